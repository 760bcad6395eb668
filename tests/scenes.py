"""Building blocks for a morning on duty, shared by the tests: posts with chosen staffing,
published shifts at given times, people put on them (checked in by radio when asked), a day's
attendance and findings for the figures and bulletins, and the small helpers the service and
API tests read with. Times are Asia/Shanghai wall-clock times on DAY unless a day is
given; `moment(...)` takes a whole date and time. The attendance tests' shift is Monday
7 September 2026, START to END (07:25-08:10)."""

import datetime
import threading
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connections
from rest_framework.test import APIClient

from attendance.models import CheckInMethod, KitItem
from attendance.services import assignment_check_in
from duty.models import Assignment, AttendanceStatus, Shift
from org.models import PersonKind
from supervision.models import FindingIssue
from supervision.services import spot_check_create
from tests.factories import PersonFactory, PostFactory, SchoolFactory, ShiftFactory

TZ = ZoneInfo("Asia/Shanghai")
DAY = datetime.date(2026, 9, 2)
NO_STAFFING = {kind.value: 0 for kind in PersonKind}
TIMEOUT = 60  # seconds a thread of run_together may take
ALL_KIT = list(KitItem.values)
MINUTE = datetime.timedelta(minutes=1)
START = datetime.datetime(2026, 9, 7, 7, 25, tzinfo=TZ)
END = datetime.datetime(2026, 9, 7, 8, 10, tzinfo=TZ)
# The smallest valid PNG: a 1x1 transparent pixel.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)


def at(hour: int, minute: int, day: datetime.date = DAY) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=TZ)


def moment(*args) -> datetime.datetime:
    """datetime(*args) in Asia/Shanghai: moment(2026, 9, 7, 7, 20)."""
    return datetime.datetime(*args, tzinfo=TZ)


def post_at(station, name, **staffing):
    """A post of a new school of `station` needing only the given kinds (e.g. police=1)."""
    post = PostFactory(school=SchoolFactory(station=station), name=name)
    post.staffing = {**NO_STAFFING, **staffing}
    post.save()
    return post


def shift_at(post, start, end, day=DAY) -> Shift:
    """A published morning shift of `post` from `start` to `end` ((hour, minute) pairs)."""
    return Shift.objects.create(post=post, station=post.station, date=day, period="am",
                                starts_at=at(*start, day), ends_at=at(*end, day), published=True)


def put_on(shift, person, *, checked_in_by=None, **fields) -> Assignment:
    """`person` on `shift` (with any other `fields` of the assignment, e.g. its attendance);
    checked in by radio at 07:26 by `checked_in_by` when given."""
    assignment = Assignment.objects.create(shift=shift, person=person, station=shift.station,
                                           starts_at=shift.starts_at, ends_at=shift.ends_at, **fields)
    if checked_in_by is not None:
        assignment_check_in(assignment=assignment, user=checked_in_by, method=CheckInMethod.RADIO, now=at(7, 26))
    return assignment


def radio_in(assignment, user, **extra):
    """A dispatcher's radio roll-call for `assignment`, with the full kit unless told; the check-in."""
    extra.setdefault("equipment", ALL_KIT)
    return assignment_check_in(assignment=assignment, user=user, method=CheckInMethod.RADIO, **extra)[0]


def refusal(call) -> tuple[str, str]:
    """The field and the message of the ValidationError `call` raises."""
    with pytest.raises(ValidationError) as excinfo:
        call()
    ((field, (message, *_)),) = excinfo.value.message_dict.items()
    return field, message


def client_for(user) -> APIClient:
    """An API client logged in as `user`. The server answers in the browser's language; the
    tests read the English msgids."""
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def two_gates_on_duty(cast):
    """Oscar and 李同 on station A's gate shift, 乙警 on station B's (Monday morning)."""
    cast.shift_a = ShiftFactory(post=cast.post_a, published=True)
    cast.shift_b = ShiftFactory(post=cast.post_b, published=True)
    cast.mine = put_on(cast.shift_a, cast.officer_a)
    cast.colleague = put_on(cast.shift_a, PersonFactory(name="李同", unit=cast.station_a))
    cast.theirs_b = put_on(cast.shift_b, PersonFactory(name="乙警", unit=cast.station_b))
    return cast


def findings_on(cast, day: datetime.date):
    """`day` at station A: three assignments (甲 on time, 乙 late, 丙 absent; cast.people) and
    a spot check that found two people absent (one absent all along, one who had come on
    time): two "absent" findings against one absence in the attendance record. Station B: one
    on-time assignment (丁), no checks."""
    shift = ShiftFactory(post=cast.post_a, date=day, published=True)
    people = [PersonFactory(name=name, unit=cast.station_a) for name in ("甲", "乙", "丙")]
    put_on(shift, people[0], attendance=AttendanceStatus.ON_TIME, checked_in_at=at(7, 20, day))
    put_on(shift, people[1], attendance=AttendanceStatus.LATE, checked_in_at=at(7, 35, day))
    put_on(shift, people[2], attendance=AttendanceStatus.ABSENT)
    shift_b = ShiftFactory(post=cast.post_b, date=day, published=True)
    put_on(shift_b, PersonFactory(name="丁", unit=cast.station_b), attendance=AttendanceStatus.ON_TIME,
           checked_in_at=at(7, 20, day))
    spot_check_create(post=cast.post_a, method="onsite", checked_at=at(7, 50, day), supervisor=cast.sam,
                      findings=[{"person": people[2], "issue": FindingIssue.ABSENT, "note": "未到岗"},
                                {"person": people[0], "issue": FindingIssue.ABSENT, "note": "巡查时不在岗"}])
    cast.people = people
    return cast


def run_together(*calls):
    """Run each call in its own thread (its own database connection, closed at its end),
    released at the same moment by a barrier; returns [(value, error)] in the order of the
    calls. For the PostgreSQL concurrency tests."""
    barrier = threading.Barrier(len(calls), timeout=TIMEOUT)
    outcomes: list = [None] * len(calls)

    def work(index, call):
        try:
            barrier.wait()
            outcomes[index] = (call(), None)
        except Exception as error:  # noqa: BLE001 - handed back to the test
            outcomes[index] = (None, error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck (a deadlock?)"
    return outcomes
