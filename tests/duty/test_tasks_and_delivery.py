"""What leaves Huxue after a change: email and SMS beside the in-app notification, written to
the outbox with the change and delivered after it, even when the broker is down at the time;
and the nightly generation, a django-celery-beat entry that fans out one task per station
through the outbox. Tasks run eagerly here (a real worker runs them in test_celery_worker.py)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import transaction
from django_celery_beat.models import PeriodicTask
from rest_framework.test import APIClient

from core.models import OutboxKind, OutboxMessage
from core.outbox import outbox_deliver
from duty.models import Assignment, Notification, RosterWeek, Shift
from duty.services.assignments import week_publish
from duty.services.generation import shift_generate, week_start
from duty.tasks import generate_upcoming
from huxue.sms import LoggingSmsBackend
from tests.core.brokers import DOWN, celery_broker, eager_celery
from tests.factories import TermFactory, TimetableFactory

TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def eager():
    with eager_celery():
        yield


@pytest.fixture
def sent_sms():
    LoggingSmsBackend.sent = []
    yield LoggingSmsBackend.sent
    LoggingSmsBackend.sent = []


def shift_with_oscar(cast, starts: datetime.datetime) -> Shift:
    """A draft shift at station A's gate with Oscar (officer, email and phone) on it."""
    cast.oscar.email = "zhangbin@example.org"
    cast.oscar.save()
    cast.officer_a.phone = "13900000001"
    cast.officer_a.save()
    shift = Shift.objects.create(post=cast.post_a, station=cast.station_a, date=starts.date(), period="am",
                                 starts_at=starts, ends_at=starts + datetime.timedelta(minutes=45))
    Assignment.objects.create(shift=shift, person=cast.officer_a, station=cast.station_a,
                              starts_at=shift.starts_at, ends_at=shift.ends_at)
    return shift


def test_publishing_tells_the_officer_in_the_app_by_email_and_by_sms(cast, sent_sms, time_machine):
    time_machine.move_to(datetime.datetime(2026, 8, 20, 9, 0, tzinfo=TZ), tick=False)
    shift = shift_with_oscar(cast, datetime.datetime(2026, 9, 7, 7, 25, tzinfo=TZ))

    week_publish(station=cast.station_a, week_start=week_start(shift.date), user=cast.alice)

    (note,) = Notification.objects.filter(recipient=cast.oscar)
    assert "圣莲岛小学·正门护学岗" in note.body
    # Email and SMS are rows written with the change; nothing has left yet.
    assert sorted(OutboxMessage.objects.values_list("kind", flat=True)) == [OutboxKind.EMAIL, OutboxKind.SMS]
    assert mail.outbox == [] and sent_sms == []

    assert outbox_deliver().delivered == 2
    (email,) = mail.outbox
    assert email.to == ["zhangbin@example.org"] and email.subject == note.title
    assert note.body in email.body
    assert sent_sms == [("13900000001", note.title)]
    assert outbox_deliver().delivered == 0
    assert len(mail.outbox) == 1 and len(sent_sms) == 1


def test_nothing_leaves_when_the_change_is_rolled_back(cast, sent_sms):
    from duty.services.notifications import notify_people

    cast.officer_a.phone = "13900000001"
    cast.officer_a.save()
    with pytest.raises(RuntimeError), transaction.atomic():
        notify_people(items=[(cast.officer_a.pk, "新班次", "", None)])
        assert OutboxMessage.objects.count() == 1
        raise RuntimeError("the change failed")
    assert not OutboxMessage.objects.exists()
    outbox_deliver()
    assert sent_sms == [] and mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_publishing_answers_200_while_the_broker_is_down_and_the_messages_go_out_once_later(cast, sent_sms, settings):
    """Committed for real, as in production: the request's transaction commits and nothing
    after it may reach for the broker. (Before the outbox, the commit hook sent a Celery
    message, and an unreachable broker turned the saved publication into a 500.)"""
    monday = datetime.date(2030, 9, 2)
    shift = shift_with_oscar(cast, datetime.datetime(2030, 9, 2, 7, 25, tzinfo=TZ))
    client = APIClient()
    client.force_login(cast.alice)
    client.raise_request_exception = False

    with celery_broker(DOWN, settings):
        response = client.post("/api/v1/roster/publish/", {"station": cast.station_a.pk, "week": monday.isoformat()},
                               format="json")
        assert response.status_code == 200, response.content
        assert RosterWeek.objects.get(station=cast.station_a, week_start=monday).published_at is not None
        rows = OutboxMessage.objects.filter(delivered_at__isnull=True)
        assert sorted(rows.values_list("kind", flat=True)) == [OutboxKind.EMAIL, OutboxKind.SMS]
        # Moving someone on a published week writes to the outbox too, and answers 200.
        other = Shift.objects.create(post=cast.post_a, station=cast.station_a, date=monday, period="pm",
                                     starts_at=shift.starts_at + datetime.timedelta(hours=9),
                                     ends_at=shift.ends_at + datetime.timedelta(hours=9), published=True)
        (assignment,) = Assignment.objects.filter(shift=shift)
        response = client.post(f"/api/v1/assignments/{assignment.pk}/move/", {"shift": other.pk}, format="json")
        assert response.status_code == 200, response.content
        waiting = OutboxMessage.objects.filter(delivered_at__isnull=True).count()
        assert waiting == 6  # published; removed from the morning; put on the afternoon (email + SMS each)
        assert mail.outbox == [] and sent_sms == []

    delivered = outbox_deliver()

    assert (delivered.delivered, delivered.failed) == (waiting, 0)
    assert len(mail.outbox) == 3 and len(sent_sms) == 3
    assert {m.subject for m in mail.outbox} == {text for _, text in sent_sms}
    assert outbox_deliver().delivered == 0
    assert len(mail.outbox) == 3 and len(sent_sms) == 3


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

    # 仁里派出所 and 凯旋路派出所 (teams too, none here); one task each, queued in the outbox.
    assert len(task_ids) == 2
    rows = OutboxMessage.objects.filter(kind=OutboxKind.TASK, delivered_at__isnull=True)
    assert sorted(str(row.task_id) for row in rows) == sorted(task_ids)
    assert {row.task_kwargs["unit_id"] for row in rows} == {cast.station_a.pk, cast.station_b.pk}
    assert not Shift.objects.exists()

    assert outbox_deliver().delivered == 2
    days = {d for d in Shift.objects.values_list("date", flat=True)}
    assert min(days) == datetime.date(2026, 9, 7) and max(days) <= datetime.date(2026, 9, 19)
    assert Shift.objects.filter(post=cast.post_a).count() == Shift.objects.filter(post=cast.post_b).count() == 10
    # Run again: nothing new, the same shifts.
    before = Shift.objects.count()
    generate_upcoming()
    assert outbox_deliver().delivered == 2
    assert Shift.objects.count() == before
    assert shift_generate(start=datetime.date(2026, 9, 7), end=datetime.date(2026, 9, 19)).created == 0
