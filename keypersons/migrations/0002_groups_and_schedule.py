import json

from django.db import migrations

from keypersons.access import sync_keepers_group
from org.roles import sync_role_groups

SCHEDULE = ("Alert overdue key-person follow-ups", "keypersons.alert_overdue",
            "Tells the station's keepers of the register and HQ of each follow-up overdue, once per overdue period.")


def sync_keepers(apps, schema_editor):
    sync_keepers_group(apps)


def create_schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    name, task, description = SCHEDULE
    interval, _ = IntervalSchedule.objects.get_or_create(every=1, period="hours")
    PeriodicTask.objects.get_or_create(
        name=name, defaults={"task": task, "interval": interval, "kwargs": json.dumps({}), "description": description},
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=SCHEDULE[1]).delete()


class Migration(migrations.Migration):
    """The role groups get what keypersons/registry.py gives supervisors and HQ (reading); the
    register's keepers get their group (keypersons/access.py), whose members the security
    administrator chooses; the overdue follow-ups are looked for every hour."""

    dependencies = [
        ("keypersons", "0001_initial"),
        ("audit", "0004_keyperson_register_actions"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(sync_role_groups, migrations.RunPython.noop),
        migrations.RunPython(sync_keepers, migrations.RunPython.noop),
        migrations.RunPython(create_schedule, remove_schedule),
    ]
