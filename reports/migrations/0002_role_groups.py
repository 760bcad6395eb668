from django.db import migrations

from org.roles import sync_role_groups


class Migration(migrations.Migration):
    """The role groups get the permissions reports/registry.py gives each role on the work
    briefing (HQ writes it; supervisors and dispatchers read it)."""

    dependencies = [
        ("reports", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(sync_role_groups, migrations.RunPython.noop),
    ]
