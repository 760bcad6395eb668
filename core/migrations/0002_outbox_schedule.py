import json

from django.db import migrations

# (name, task, every, period, expire seconds, description)
SCHEDULES = [
    ("Deliver the outbox", "core.deliver_outbox", 5, "seconds", 60,
     "投递发件箱：每 5 秒发送已保存的邮件、短信和后台任务（如排班生成）；发送失败的按递增间隔重试，每条只发一次。"
     " Sends the emails, text messages and background tasks the outbox holds; a failure is retried later."),
    ("Purge the delivered outbox", "core.purge_outbox", 1, "days", None,
     "清理发件箱：每天删除 OUTBOX_KEEP_DAYS 天前已投递（或已放弃）的记录。"
     " Deletes rows delivered (or given up) more than OUTBOX_KEEP_DAYS days ago."),
]


def create(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, every, period, expire_seconds, description in SCHEDULES:
        interval, _ = IntervalSchedule.objects.get_or_create(every=every, period=period)
        # A run that waited longer than expire_seconds (no worker) is dropped, not piled up:
        # the next one does the same work.
        PeriodicTask.objects.get_or_create(
            name=name,
            defaults={"task": task, "interval": interval, "kwargs": json.dumps({}), "description": description,
                      "expire_seconds": expire_seconds},
        )


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        task__in=[task for _, task, *_rest in SCHEDULES]
    ).delete()


class Migration(migrations.Migration):
    """The outbox's delivery and clean-up as django-celery-beat entries, editable in the admin."""

    dependencies = [("core", "0001_outbox"), ("django_celery_beat", "0019_alter_periodictasks_options")]

    operations = [migrations.RunPython(create, remove)]
