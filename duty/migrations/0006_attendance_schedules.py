import json

from django.db import migrations

SCHEDULES = [
    ("Close ended shifts and mark absences", "duty.close_ended_shifts", 5,
     "Decides the attendance of shifts that have ended: absent, late, left early."),
    ("Remind people before their shift", "duty.send_reminders", 5,
     "Notifies each assignee REMIND_BEFORE_MINUTES before a published shift, once."),
]


def create(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, minutes, description in SCHEDULES:
        interval, _ = IntervalSchedule.objects.get_or_create(every=minutes, period="minutes")
        PeriodicTask.objects.get_or_create(
            name=name, defaults={"task": task, "interval": interval, "kwargs": json.dumps({}), "description": description}
        )


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        task__in=[task for _, task, _, _ in SCHEDULES]
    ).delete()


class Migration(migrations.Migration):
    """The attendance jobs as django-celery-beat entries, editable in the admin."""

    dependencies = [("duty", "0005_attendance_and_supervision"), ("django_celery_beat", "0019_alter_periodictasks_options")]

    operations = [migrations.RunPython(create, remove)]
