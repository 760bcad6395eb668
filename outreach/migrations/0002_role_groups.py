from django.db import migrations

from org.roles import sync_role_groups


class Migration(migrations.Migration):
    """The role groups are re-synced with the permissions outreach declares
    (outreach/registry.py), as on a fresh database."""

    dependencies = [
        ("outreach", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(sync_role_groups, migrations.RunPython.noop),
    ]
