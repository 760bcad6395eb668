"""Rectification notices issued at the same moment, on the production database: six notices
issued at once get the numbers one to six of the year, and each its own.

These need PostgreSQL (real concurrent transactions and row locks; SQLite serialises every
write), as tests/supervision/test_postgres_bulletins.py does: each thread works on its own
connection, the test commits for real (transaction=True), and the flush after it puts back
the migrations' data through post_migrate."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from inspections.models import Hazard, HazardStatus, Notice, NoticeCounter
from inspections.services import hazard_create, notice_create, notice_issue
from tests.scenes import run_together

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL (concurrent transactions and row locks); run with DATABASE_URL=postgres://…",
)
committed = pytest.mark.django_db(transaction=True)

TZ = ZoneInfo("Asia/Shanghai")


@committed
def test_six_notices_issued_at_once_get_the_numbers_one_to_six(cast, time_machine):
    time_machine.move_to(datetime.datetime(2026, 10, 8, 10, 0, tzinfo=TZ), tick=False)
    drafts = []
    for n in range(6):
        hazard = hazard_create(user=cast.alice, school=cast.school_a, category="fire", description=f"隐患{n}",
                               severity="medium")
        drafts.append(notice_create(user=cast.alice, school=cast.school_a, hazards=[hazard]))
    assert not NoticeCounter.objects.exists()  # the first notice of the year creates the counter, too

    outcomes = run_together(*(lambda d=d: notice_issue(notice=d, user=cast.alice) for d in drafts))

    assert [error for _value, error in outcomes if error is not None] == []
    assert sorted(value.number for value, _error in outcomes) == [1, 2, 3, 4, 5, 6]
    stored = Notice.objects.order_by("number")
    assert [(n.year, n.number, n.status) for n in stored] == [(2026, k, "issued") for k in range(1, 7)]
    assert [n.number_label for n in stored][-1] == "船公（治）整字〔2026〕第6号"
    assert NoticeCounter.objects.get(year=2026).last_number == 6
    assert set(Hazard.objects.values_list("status", flat=True)) == {HazardStatus.NOTIFIED}


@committed
def test_one_notice_issued_twice_at_once_is_numbered_once(cast, time_machine):
    time_machine.move_to(datetime.datetime(2026, 10, 8, 10, 0, tzinfo=TZ), tick=False)
    hazard = hazard_create(user=cast.alice, school=cast.school_a, category="fire", description="隐患",
                           severity="medium")
    notice = notice_create(user=cast.alice, school=cast.school_a, hazards=[hazard])

    outcomes = run_together(lambda: notice_issue(notice=notice, user=cast.alice),
                            lambda: notice_issue(notice=notice, user=cast.alice))

    errors = [error for _value, error in outcomes if error is not None]
    assert len(errors) == 1 and list(errors[0].message_dict) == ["status"]  # an issued notice cannot change
    assert Notice.objects.get().number == 1 and NoticeCounter.objects.get(year=2026).last_number == 1
