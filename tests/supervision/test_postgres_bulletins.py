"""Attendance and supervision writes at the same moment, on the production database: six
supervisors issuing six bulletins at once, and a phone whose retry races its own first
check-in.

These need PostgreSQL (real concurrent transactions and row locks; SQLite serialises every
write). Each thread works on its own database connection and closes it at its end; the tests
commit for real (transaction=True); the flush after each puts back the migrations' data
(holidays, role groups) through post_migrate, for later tests."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from attendance.models import CheckIn, KitItem
from attendance.services import assignment_check_in
from duty.models import Assignment, AttendanceStatus, Shift
from supervision.models import Bulletin, BulletinCounter
from supervision.services import bulletin_create, bulletin_issue
from tests.scenes import run_together

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL (concurrent transactions and row locks); run with DATABASE_URL=postgres://…",
)
committed = pytest.mark.django_db(transaction=True)

TZ = ZoneInfo("Asia/Shanghai")
D = datetime.date
START = datetime.datetime(2026, 9, 7, 7, 25, tzinfo=TZ)


@committed
def test_six_bulletins_issued_at_once_get_the_numbers_one_to_six(cast, time_machine):
    time_machine.move_to(datetime.datetime(2026, 10, 8, 10, 0, tzinfo=TZ), tick=False)
    drafts = [
        bulletin_create(unit=cast.bureau, title=f"第{n}份草稿", period_start=D(2026, 9, 1), period_end=D(2026, 9, 30),
                        user=cast.sam)
        for n in range(6)
    ]
    assert not BulletinCounter.objects.exists()  # the first issue of the year creates the counter, too

    outcomes = run_together(*(lambda b=b: bulletin_issue(bulletin=b, user=cast.sam) for b in drafts))

    assert [error for _value, error in outcomes if error is not None] == []
    numbers = sorted(value.number for value, _error in outcomes)
    assert numbers == [1, 2, 3, 4, 5, 6]
    stored = Bulletin.objects.order_by("number")
    assert [(b.year, b.number, b.status) for b in stored] == [(2026, n, Bulletin.Status.ISSUED) for n in range(1, 7)]
    assert {b.pk for b in stored} == {b.pk for b in drafts}
    assert BulletinCounter.objects.get(year=2026).last_number == 6


@committed
def test_a_check_in_and_its_retry_at_the_same_moment_make_one_check_in(cast, time_machine):
    time_machine.move_to(START, tick=False)
    shift = Shift.objects.create(post=cast.post_a, station=cast.station_a, date=START.date(), period="am",
                                 starts_at=START, ends_at=START + datetime.timedelta(minutes=45), published=True)
    assignment = Assignment.objects.create(shift=shift, person=cast.officer_a, station=cast.station_a,
                                           starts_at=shift.starts_at, ends_at=shift.ends_at)

    def check_in(lat):
        return lambda: assignment_check_in(assignment=assignment, user=cast.oscar, lat=lat, lng=cast.post_a.lng,
                                           equipment=list(KitItem.values))

    outcomes = run_together(check_in(cast.post_a.lat), check_in(cast.post_a.lat))

    assert [error for _value, error in outcomes if error is not None] == []
    (row,) = CheckIn.objects.all()
    (first, first_created), (second, second_created) = (value for value, _error in outcomes)
    assert first.pk == second.pk == row.pk
    assert sorted([first_created, second_created]) == [False, True]
    assignment.refresh_from_db()
    assert assignment.checked_in_at == START and assignment.attendance == AttendanceStatus.ON_TIME
