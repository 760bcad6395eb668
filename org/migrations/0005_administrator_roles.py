from django.db import migrations, models

from org.roles import sync_role_groups


class Migration(migrations.Migration):
    """The security and audit administrators beside the system administrator (三权分立), the
    security administrator's permission to change roles, and every role's group synced again:
    the system administrator loses the people, schools and posts he read."""

    dependencies = [
        ("org", "0004_phone_number_validator"),
        # Every app's permissions exist before the groups are synced again.
        ("posts", "0005_school_contact_phone_validator"),
        ("duty", "0009_attendance_moves_out"),
        ("attendance", "0002_content_types_and_role_groups"),
        ("supervision", "0002_content_types_and_role_groups"),
        ("audit", "0002_append_only_and_purge_schedule"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="user",
            options={
                "permissions": [("change_user_role", "Can change a user's role and permissions")],
                "verbose_name": "user",
                "verbose_name_plural": "users",
            },
        ),
        migrations.AlterField(
            model_name="user",
            name="role",
            field=models.CharField(
                blank=True,
                choices=[
                    ("dispatcher", "Dispatcher"),
                    ("officer", "Officer"),
                    ("supervisor", "Supervisor"),
                    ("hq", "HQ"),
                    ("admin", "Administrator"),
                    ("security", "Security administrator"),
                    ("auditor", "Audit administrator"),
                ],
                max_length=16,
                verbose_name="role",
            ),
        ),
        migrations.RunPython(sync_role_groups, migrations.RunPython.noop),
    ]
