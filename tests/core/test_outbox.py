"""The outbox: side effects are rows written in the caller's transaction, delivered later,
each exactly once; a failure is tried again later, never twice at once."""

import ast
import datetime
import uuid
from pathlib import Path

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from core.models import OutboxKind, OutboxMessage
from core.outbox import (
    outbox_deliver,
    outbox_enqueue_message,
    outbox_enqueue_messages,
    outbox_enqueue_task,
    outbox_purge,
    outbox_retry,
    outbox_task,
    retry_delay,
)
from core.sms import LoggingSmsBackend, SmsError
from core.tasks import deliver_outbox
from tests.core.brokers import DOWN, celery_broker, eager_celery, published


class FlakySmsBackend(LoggingSmsBackend):
    """Refuses the first `failures` messages (a gateway outage), then sends like the
    logging backend."""

    failures = 0

    def send(self, phone, text):
        if type(self).failures > 0:
            type(self).failures -= 1
            raise SmsError("gateway answered 503")
        super().send(phone, text)


@pytest.fixture
def sent_sms():
    LoggingSmsBackend.sent = []
    yield LoggingSmsBackend.sent
    LoggingSmsBackend.sent = []


@pytest.fixture
def flaky_sms(settings, sent_sms):
    settings.SMS_BACKEND = "tests.core.test_outbox.FlakySmsBackend"
    yield FlakySmsBackend
    FlakySmsBackend.failures = 0


def email(to="zhangbin@example.org", subject="新班次", body="周一 早高峰"):
    return OutboxKind.EMAIL, {"to": to, "subject": subject, "body": body}


def sms(phone="13900000001", text="新班次"):
    return OutboxKind.SMS, {"phone": phone, "text": text}


def test_enqueueing_only_writes_rows(db, sent_sms):
    outbox_enqueue_messages(messages=[email(), sms()])
    assert OutboxMessage.objects.filter(delivered_at__isnull=True).count() == 2
    assert mail.outbox == [] and sent_sms == []


def test_each_message_goes_out_once_and_a_second_run_sends_nothing(db, sent_sms):
    outbox_enqueue_messages(messages=[email(), sms()])

    first = outbox_deliver()

    assert (first.delivered, first.failed) == (2, 0)
    (sent,) = mail.outbox
    assert sent.to == ["zhangbin@example.org"] and sent.subject == "新班次" and sent.body == "周一 早高峰"
    assert sent_sms == [("13900000001", "新班次")]
    assert not OutboxMessage.objects.filter(delivered_at__isnull=True).exists()
    assert set(OutboxMessage.objects.values_list("attempts", flat=True)) == {1}

    second = outbox_deliver()
    assert (second.delivered, second.failed) == (0, 0)
    assert len(mail.outbox) == 1 and len(sent_sms) == 1


def test_a_rolled_back_change_takes_its_messages_with_it(db, sent_sms):
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox_enqueue_message(kind=OutboxKind.SMS, payload={"phone": "13900000001", "text": "新班次"})
        raise RuntimeError("the change failed")
    assert not OutboxMessage.objects.exists()
    outbox_deliver()
    assert sent_sms == []


def test_a_failing_send_is_tried_again_later_and_not_sent_twice(db, flaky_sms, time_machine):
    time_machine.move_to(datetime.datetime(2026, 9, 7, 7, 0, tzinfo=datetime.UTC), tick=False)
    flaky_sms.failures = 1
    outbox_enqueue_messages(messages=[sms(), email()])

    first = outbox_deliver()

    # The gateway refused the SMS; the email went all the same.
    assert (first.delivered, first.failed) == (1, 1)
    assert len(mail.outbox) == 1 and flaky_sms.sent == []
    row = OutboxMessage.objects.get(kind=OutboxKind.SMS)
    assert row.delivered_at is None and row.attempts == 1
    assert row.last_error == "SmsError: gateway answered 503"
    assert row.next_attempt_at == timezone.now() + retry_delay(1)

    # Not before its time...
    assert outbox_deliver().delivered == 0
    assert flaky_sms.sent == []

    # ...then once, and never again.
    time_machine.shift(retry_delay(1))
    assert outbox_deliver().delivered == 1
    assert flaky_sms.sent == [("13900000001", "新班次")]
    row.refresh_from_db()
    assert row.delivered_at is not None and row.attempts == 2
    time_machine.shift(datetime.timedelta(hours=2))
    assert outbox_deliver().delivered == 0
    assert len(flaky_sms.sent) == 1 and len(mail.outbox) == 1


def test_the_pause_between_tries_doubles_up_to_an_hour():
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 4)] == [10, 20, 40, 80]
    assert retry_delay(20) == datetime.timedelta(hours=1)


@override_settings(OUTBOX_MAX_ATTEMPTS=3)
def test_it_gives_up_after_the_last_attempt_keeping_the_error_and_can_be_asked_again(db, flaky_sms, time_machine):
    time_machine.move_to(datetime.datetime(2026, 9, 7, 7, 0, tzinfo=datetime.UTC), tick=False)
    flaky_sms.failures = 100
    row = outbox_enqueue_message(kind=OutboxKind.SMS, payload={"phone": "13900000001", "text": "新班次"})
    for _ in range(5):
        outbox_deliver()
        time_machine.shift(datetime.timedelta(hours=2))
    row.refresh_from_db()
    assert row.attempts == 3 and row.delivered_at is None and "503" in row.last_error

    flaky_sms.failures = 0
    assert outbox_retry(ids=[row.pk]) == 1
    assert outbox_deliver().delivered == 1
    assert flaky_sms.sent == [("13900000001", "新班次")]


def test_bad_messages_are_refused_naming_the_field(db):
    with pytest.raises(ValidationError) as error:
        outbox_enqueue_message(kind=OutboxKind.EMAIL, payload={"subject": "新班次"})
    assert "payload" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        outbox_enqueue_message(kind="fax", payload={"to": "x"})
    assert "kind" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        outbox_enqueue_message(kind=OutboxKind.TASK, payload={})
    assert "kind" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        outbox_enqueue_task(name="duty.generate_shifts", kwargs={"start": datetime.date(2026, 9, 7)})
    assert "task_kwargs" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        outbox_enqueue_task(name="")
    assert "task_name" in error.value.message_dict
    assert not OutboxMessage.objects.exists()


def test_a_task_goes_to_the_broker_under_the_id_chosen_when_it_was_queued(db, settings):
    with celery_broker("memory://", settings):
        published()  # nothing left over from another test
        row = outbox_enqueue_task(name="huxue.ping", kwargs={"note": "护学"})
        assert published() == []  # queued in the database only

        assert outbox_deliver().delivered == 1
        (headers, kwargs), = published()
        assert headers["id"] == str(row.task_id) and headers["task"] == "huxue.ping"
        assert kwargs == {"note": "护学"}
        assert outbox_deliver().delivered == 0
        assert published() == []
    assert outbox_task(task_id=str(row.task_id)).delivered_at is not None


def test_while_the_broker_is_down_tasks_wait_and_go_once_it_is_back(db, settings, time_machine, sent_sms):
    time_machine.move_to(datetime.datetime(2026, 9, 7, 7, 0, tzinfo=datetime.UTC), tick=False)
    first = outbox_enqueue_task(name="huxue.ping")
    second = outbox_enqueue_task(name="huxue.ping")
    outbox_enqueue_messages(messages=[sms()])

    with celery_broker(DOWN, settings):
        result = outbox_deliver()

    # One try reached the broker and failed; the second task waited without a try; the SMS
    # does not need the broker and went.
    assert (result.delivered, result.failed) == (1, 1)
    assert sent_sms == [("13900000001", "新班次")]
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.delivered_at is None and first.attempts == 1 and "OperationalError" in first.last_error
    assert second.delivered_at is None and second.attempts == 0

    time_machine.shift(retry_delay(1))
    with celery_broker("memory://", settings):
        published()
        assert outbox_deliver().delivered == 2
        ids = sorted(headers["id"] for headers, _ in published())
        assert ids == sorted([str(first.task_id), str(second.task_id)])
        assert outbox_deliver().delivered == 0
    assert len(sent_sms) == 1


def test_eager_mode_runs_a_task_here_under_its_chosen_id(db):
    row = outbox_enqueue_task(name="huxue.ping")
    with eager_celery(keep_results=True) as app:
        outbox_deliver()
        result = app.AsyncResult(str(row.task_id))
        assert result.state == "SUCCESS" and result.result["pong"] is True


def test_the_delivery_task_delivers_and_is_a_beat_entry_every_few_seconds(db, sent_sms):
    entry = PeriodicTask.objects.get(task="core.deliver_outbox")
    assert entry.enabled and entry.interval.period == "seconds" and entry.interval.every <= 10
    assert entry.expire_seconds and "发件箱" in entry.description
    assert PeriodicTask.objects.filter(task="core.purge_outbox", enabled=True).exists()
    assert deliver_outbox.acks_late

    outbox_enqueue_messages(messages=[sms()])
    assert deliver_outbox.apply().get() == {"delivered": 1, "failed": 0}
    assert deliver_outbox.apply().get() == {"delivered": 0, "failed": 0}
    assert sent_sms == [("13900000001", "新班次")]


def test_the_purge_forgets_old_delivered_rows_and_keeps_the_rest(db, sent_sms, time_machine, settings):
    settings.OUTBOX_KEEP_DAYS = 7
    time_machine.move_to(datetime.datetime(2026, 9, 1, 7, 0, tzinfo=datetime.UTC), tick=False)
    outbox_enqueue_messages(messages=[sms()])
    outbox_deliver()
    # Undelivered, and waiting for its next try after a failure: kept, however old.
    waiting = OutboxMessage.objects.create(kind=OutboxKind.SMS, payload={"phone": "13900000003", "text": "x"},
                                           attempts=2, next_attempt_at=timezone.now() + datetime.timedelta(days=30))
    time_machine.shift(datetime.timedelta(days=8))
    recent = outbox_enqueue_message(kind=OutboxKind.SMS, payload={"phone": "13900000002", "text": "x"})
    outbox_deliver()

    assert outbox_purge() == 1
    assert set(OutboxMessage.objects.values_list("pk", flat=True)) == {waiting.pk, recent.pk}


def test_an_unknown_task_id_is_not_found(db):
    assert outbox_task(task_id=str(uuid.uuid4())) is None
    assert outbox_task(task_id="not-a-uuid") is None
    row = outbox_enqueue_task(name="huxue.ping")
    assert outbox_task(task_id=str(row.task_id), name="duty.generate_shifts") is None
    assert outbox_task(task_id=str(row.task_id), name="huxue.ping") == row


def test_the_admin_lists_the_outbox_and_edits_nothing(db, admin_client):
    row = outbox_enqueue_message(kind=OutboxKind.SMS, payload={"phone": "13900000001", "text": "新班次"})
    response = admin_client.get("/admin/core/outboxmessage/")
    assert response.status_code == 200
    assert "13900000001" in response.content.decode()
    assert admin_client.get("/admin/core/outboxmessage/add/").status_code == 403
    detail = admin_client.get(f"/admin/core/outboxmessage/{row.pk}/change/")
    assert detail.status_code == 200 and 'name="_save"' not in detail.content.decode()
    admin_client.post(f"/admin/core/outboxmessage/{row.pk}/delete/", {"post": "yes"})
    assert OutboxMessage.objects.filter(pk=row.pk).exists()


def test_core_imports_no_project_app():
    """core is the base: every app may import it, and it imports none of them."""
    apps = {"org", "posts", "duty", "huxue", "tests"}
    core = Path(__file__).resolve().parents[2] / "core"
    offenders = []
    for path in core.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            offenders += [f"{path.name}: {name}" for name in names if name.split(".")[0] in apps]
    assert offenders == []
