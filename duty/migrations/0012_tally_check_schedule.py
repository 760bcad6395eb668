import json

from django.db import migrations


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="20", hour="3", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Shanghai"
    )
    PeriodicTask.objects.get_or_create(
        name="Check the kept duty counts (nightly)",
        defaults={"task": "duty.check_tallies", "crontab": crontab, "kwargs": json.dumps({}),
                  "description": "Recounts the last TALLY_CHECK_DAYS closed days and counts again any whose "
                                 "kept figures differ."},
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task="duty.check_tallies").delete()


class Migration(migrations.Migration):
    """The nightly check of the kept duty counts, as a django-celery-beat entry (editable in the admin)."""

    dependencies = [("duty", "0011_day_tallies"), ("django_celery_beat", "0019_alter_periodictasks_options")]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
