from django.db import migrations

from org.roles import sync_role_groups


class Migration(migrations.Migration):
    """Give the roles their permissions on the duty models."""

    dependencies = [("duty", "0002_assignment_no_overlap"), ("org", "0003_role_groups"), ("posts", "0003_load_package_holidays")]

    operations = [migrations.RunPython(sync_role_groups, migrations.RunPython.noop)]
