"""The audit trail itself: rows written by audit_record only, never changed or deleted by the
application, chained by hashes that `audit_verify` walks, purged only when old enough."""

import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import RequestFactory
from django.utils import timezone

from audit.models import AuditAction, AuditEvent, AuditResult, AuditTrailImmutable
from audit.services import ALGORITHM, audit_purge, audit_record, audit_verify, event_hash

pytestmark = pytest.mark.django_db


def _rows(n=3, **kwargs):
    return [audit_record(action=AuditAction.EXPORT, detail={"n": i}, **kwargs) for i in range(n)]


def test_a_row_records_who_where_what_and_the_result(cast):
    request = RequestFactory().get("/org/people/", REMOTE_ADDR="10.1.2.3", HTTP_USER_AGENT="Firefox")
    request.user = cast.alice
    event = audit_record(action=AuditAction.READ_PERSONAL, request=request, obj=cast.station_a,
                         detail={"page": "detail", "day": datetime.date(2026, 9, 7)})
    event = AuditEvent.objects.get(pk=event.pk)
    assert event.user_id == cast.alice.pk
    assert event.username == cast.alice.username
    assert event.unit_id == cast.alice.unit_id
    assert event.unit_name == str(cast.alice.unit)
    assert event.ip == "10.1.2.3"
    assert event.user_agent == "Firefox"
    assert event.action == AuditAction.READ_PERSONAL
    assert event.object_type == "org.unit"
    assert event.object_id == str(cast.station_a.pk)
    assert event.object_text == str(cast.station_a)
    assert event.result == AuditResult.OK
    assert event.detail == {"page": "detail", "day": "2026-09-07"}
    assert event.algorithm == ALGORITHM == "sm3"


def test_a_failed_login_keeps_the_username_tried():
    event = audit_record(action=AuditAction.LOGIN_FAILED, username="nobody", result=AuditResult.FAILED)
    assert (event.user_id, event.username, event.result) == (None, "nobody", "failed")


def test_unknown_actions_and_results_are_refused():
    with pytest.raises(ValueError):
        audit_record(action="looked_around")
    with pytest.raises(ValueError):
        audit_record(action=AuditAction.LOGIN, result="maybe")


def test_rows_chain_one_after_the_other():
    first, second, third = _rows()
    assert [first.seq, second.seq, third.seq] == [1, 2, 3]
    assert second.prev_hash == first.hash and third.prev_hash == second.hash
    assert all(event.hash == event_hash(event) for event in AuditEvent.objects.all())
    assert audit_verify() == (3, None)


def test_the_application_cannot_change_or_delete_a_row():
    event = _rows(1)[0]
    event.result = AuditResult.FAILED
    with pytest.raises(AuditTrailImmutable):
        event.save()
    with pytest.raises(AuditTrailImmutable):
        event.delete()
    with pytest.raises(AuditTrailImmutable):
        AuditEvent.objects.filter(pk=event.pk).update(result="failed")
    with pytest.raises(AuditTrailImmutable):
        AuditEvent.objects.all().delete()
    with pytest.raises(AuditTrailImmutable):
        AuditEvent.objects.create(action=AuditAction.LOGIN, seq=99, hash="x", algorithm="sm3")
    with pytest.raises(AuditTrailImmutable):
        AuditEvent.objects.bulk_create([AuditEvent(action=AuditAction.LOGIN, seq=99, hash="x")])
    assert AuditEvent.objects.get(pk=event.pk).result == AuditResult.OK


def test_the_admin_is_read_only(admin_client):
    event = _rows(1)[0]
    assert admin_client.get(f"/admin/audit/auditevent/{event.pk}/change/").status_code == 200
    assert admin_client.post(f"/admin/audit/auditevent/{event.pk}/delete/").status_code == 403
    assert admin_client.get("/admin/audit/auditevent/add/").status_code == 403


def _behind_the_applications_back(sql, params):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_auditevent_append_only")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_auditevent_append_only")


def test_a_row_changed_behind_the_applications_back_breaks_the_chain():
    _first, second, _third = _rows()
    _behind_the_applications_back("UPDATE audit_auditevent SET username = %s WHERE id = %s", ["mallory", second.pk])
    checked, broken = audit_verify()
    assert (checked, broken.seq, broken.reason) == (1, second.seq, "content does not match its hash")
    with pytest.raises(CommandError, match=f"#{second.seq}"):
        call_command("audit_verify")


def test_a_row_deleted_behind_the_applications_back_breaks_the_chain():
    _first, second, third = _rows()
    _behind_the_applications_back("DELETE FROM audit_auditevent WHERE id = %s", [second.pk])
    checked, broken = audit_verify()
    assert (checked, broken.seq) == (1, third.seq)


def test_a_forged_row_with_a_recomputed_hash_still_breaks_the_link_to_the_next():
    _first, second, _third = _rows()
    second.detail = {"n": 42}
    forged = event_hash(second)
    _behind_the_applications_back("UPDATE audit_auditevent SET detail = %s, hash = %s WHERE id = %s",
                                  ['{"n": 42}', forged, second.pk])
    _checked, broken = audit_verify()
    assert broken.seq == second.seq + 1
    assert broken.reason == "previous hash does not match the previous row"


def test_the_command_says_the_chain_holds(capsys):
    _rows()
    call_command("audit_verify")
    assert "3 rows checked" in capsys.readouterr().out


def test_the_purge_keeps_younger_rows_and_the_rest_still_verifies(time_machine):
    now = timezone.now()
    time_machine.move_to(now - datetime.timedelta(days=200), tick=False)
    old = _rows(2)
    time_machine.move_to(now - datetime.timedelta(days=189), tick=False)
    young = _rows(2)
    time_machine.move_to(now, tick=False)
    assert audit_purge() == 2
    assert sorted(AuditEvent.objects.values_list("pk", flat=True)) == sorted(e.pk for e in young)
    assert not AuditEvent.objects.filter(pk__in=[e.pk for e in old]).exists()
    assert audit_verify() == (2, None)
    assert audit_record(action=AuditAction.LOGIN).prev_hash == young[-1].hash


def test_the_purge_never_goes_below_190_days(settings, time_machine):
    now = timezone.now()
    time_machine.move_to(now - datetime.timedelta(days=100), tick=False)
    _rows(1)
    time_machine.move_to(now, tick=False)
    settings.AUDIT_KEEP_DAYS = 30
    assert audit_purge() == 0
    assert AuditEvent.objects.count() == 1


def test_the_purge_task_is_scheduled_daily():
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="audit.purge")
    assert (task.interval.every, task.interval.period, task.enabled) == (1, "days", True)


def test_settings_refuse_a_keep_period_under_190_days(monkeypatch):
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='huxue.settings'; django.setup()"],
        env={**__import__("os").environ, "AUDIT_KEEP_DAYS": "30"}, capture_output=True, text=True,
    )
    assert result.returncode != 0
    assert "AUDIT_KEEP_DAYS must be at least 190" in result.stderr


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the database's own refusal is PostgreSQL's trigger")
def test_postgresql_refuses_to_change_or_delete_a_young_row():
    from django.db import DatabaseError, transaction

    event = _rows(1)[0]
    for sql in ("UPDATE audit_auditevent SET username = 'x' WHERE id = %s", "DELETE FROM audit_auditevent WHERE id = %s"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk, username="").exists()
