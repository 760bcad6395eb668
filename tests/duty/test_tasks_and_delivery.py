"""What leaves Huxue after a change: email and SMS beside the in-app notification, once the
transaction commits; and the nightly generation, a django-celery-beat entry that fans out one
task per station. Tasks run eagerly here (a real worker runs them in test_celery_worker.py)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django_celery_beat.models import PeriodicTask

from duty.models import Assignment, Notification, Shift
from duty.services.assignments import week_publish
from duty.services.generation import shift_generate, week_start
from duty.tasks import generate_upcoming
from huxue.celery import app
from huxue.sms import LoggingSmsBackend
from tests.factories import TermFactory, TimetableFactory

TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def eager():
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


@pytest.fixture
def sent_sms():
    LoggingSmsBackend.sent = []
    yield LoggingSmsBackend.sent
    LoggingSmsBackend.sent = []


def test_publishing_tells_the_officer_in_the_app_by_email_and_by_sms(
    cast, eager, sent_sms, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(datetime.datetime(2026, 8, 20, 9, 0, tzinfo=TZ), tick=False)
    cast.oscar.email = "zhangbin@example.org"
    cast.oscar.save()
    cast.officer_a.phone = "13900000001"
    cast.officer_a.save()
    starts = datetime.datetime(2026, 9, 7, 7, 25, tzinfo=TZ)
    shift = Shift.objects.create(post=cast.post_a, station=cast.station_a, date=starts.date(), period="am",
                                 starts_at=starts, ends_at=starts + datetime.timedelta(minutes=45))
    Assignment.objects.create(shift=shift, person=cast.officer_a, station=cast.station_a,
                              starts_at=shift.starts_at, ends_at=shift.ends_at)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        week_publish(station=cast.station_a, week_start=week_start(shift.date), user=cast.alice)

    assert len(callbacks) == 1  # email and SMS wait for the commit
    (note,) = Notification.objects.filter(recipient=cast.oscar)
    assert "圣莲岛小学·正门护学岗" in note.body
    (email,) = mail.outbox
    assert email.to == ["zhangbin@example.org"] and email.subject == note.title
    assert sent_sms == [("13900000001", note.title)]


def test_nothing_leaves_when_the_change_is_rolled_back(cast, eager, sent_sms, django_capture_on_commit_callbacks):
    from duty.services.notifications import notify_people

    cast.officer_a.phone = "13900000001"
    cast.officer_a.save()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify_people(items=[(cast.officer_a.pk, "新班次", "", None)])
    assert len(callbacks) == 1
    assert sent_sms == [] and mail.outbox == []


def test_the_nightly_generation_is_a_beat_entry_from_a_migration(db):
    task = PeriodicTask.objects.get(task="duty.generate_upcoming")
    assert task.enabled and task.crontab.hour == "1" and task.crontab.minute == "30"
    assert PeriodicTask.objects.filter(task="duty.close_ended_shifts", enabled=True).exists()
    assert PeriodicTask.objects.filter(task="duty.send_reminders", enabled=True).exists()


def test_the_nightly_generation_runs_one_task_per_station(cast, eager, settings, time_machine):
    time_machine.move_to(datetime.datetime(2026, 9, 6, 1, 30, tzinfo=TZ), tick=False)
    settings.ROSTER_GENERATE_DAYS_AHEAD = 14
    TermFactory(start=datetime.date(2026, 9, 1), end=datetime.date(2027, 1, 20))
    for school in (cast.school_a, cast.school_b):
        TimetableFactory(school=school, period="am")

    task_ids = generate_upcoming()

    # 仁里派出所 and 凯旋路派出所 (teams too, none here); one task each.
    assert len(task_ids) == 2
    days = {d for d in Shift.objects.values_list("date", flat=True)}
    assert min(days) == datetime.date(2026, 9, 7) and max(days) <= datetime.date(2026, 9, 19)
    assert Shift.objects.filter(post=cast.post_a).count() == Shift.objects.filter(post=cast.post_b).count() == 10
    # Run again: nothing new, the same shifts.
    before = Shift.objects.count()
    generate_upcoming()
    assert Shift.objects.count() == before
    assert shift_generate(start=datetime.date(2026, 9, 7), end=datetime.date(2026, 9, 19)).created == 0
