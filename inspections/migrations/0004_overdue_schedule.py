import json

from django.db import migrations


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="10", hour="6", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Shanghai"
    )
    PeriodicTask.objects.get_or_create(
        name="Flag overdue hazards (daily)",
        defaults={"task": "inspections.flag_overdue_hazards", "crontab": crontab, "kwargs": json.dumps({}),
                  "description": "Flags the hazards past their rectification deadline and tells the station and HQ."},
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task="inspections.flag_overdue_hazards").delete()


class Migration(migrations.Migration):
    """The daily overdue-hazard flag, as a django-celery-beat entry (editable in the admin)."""

    dependencies = [("inspections", "0003_default_checklist"), ("django_celery_beat", "0019_alter_periodictasks_options")]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
