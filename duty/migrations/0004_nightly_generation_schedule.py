import json

from django.db import migrations


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="30", hour="1", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Shanghai"
    )
    PeriodicTask.objects.get_or_create(
        name="Generate the coming shifts (nightly)",
        defaults={"task": "duty.generate_upcoming", "crontab": crontab, "kwargs": json.dumps({}),
                  "description": "Generates the next ROSTER_GENERATE_DAYS_AHEAD days for every station, one task per station."},
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task="duty.generate_upcoming").delete()


class Migration(migrations.Migration):
    """The nightly shift generation, as a django-celery-beat entry (editable in the admin)."""

    dependencies = [("duty", "0003_role_groups"), ("django_celery_beat", "0019_alter_periodictasks_options")]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
