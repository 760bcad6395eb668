from django.db import migrations

from inspections.checklist import NAME, create_default_checklist


def create_checklist(apps, schema_editor):
    create_default_checklist(apps.get_model("inspections", "ChecklistTemplate"),
                             apps.get_model("inspections", "ChecklistItem"))


def remove_checklist(apps, schema_editor):
    Template = apps.get_model("inspections", "ChecklistTemplate")
    Template.objects.filter(name=NAME, version=1, inspections__isnull=True).delete()


class Migration(migrations.Migration):
    """The default checklist (inspections/checklist.py): public order, fire, traffic, food,
    hazardous chemicals and the security basics of DOMAIN.md, each item citing what it checks."""

    dependencies = [("inspections", "0002_role_groups")]

    operations = [migrations.RunPython(create_checklist, remove_checklist)]
