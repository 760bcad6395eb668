"""Building blocks for a morning on duty, shared by the live-board and figures tests: posts
with chosen staffing, published shifts at given times, and people put on them (checked in by
radio when asked). Times are Asia/Shanghai wall-clock times on DAY unless a day is given."""

import datetime
from zoneinfo import ZoneInfo

from duty.models import Assignment, CheckInMethod, Shift
from duty.services.attendance import assignment_check_in
from org.models import PersonKind
from tests.factories import PostFactory, SchoolFactory

TZ = ZoneInfo("Asia/Shanghai")
DAY = datetime.date(2026, 9, 2)
NO_STAFFING = {kind.value: 0 for kind in PersonKind}


def at(hour: int, minute: int, day: datetime.date = DAY) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=TZ)


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


def put_on(shift, person, *, checked_in_by=None) -> Assignment:
    """`person` on `shift`; checked in by radio at 07:26 by `checked_in_by` when given."""
    assignment = Assignment.objects.create(shift=shift, person=person, station=shift.station,
                                           starts_at=shift.starts_at, ends_at=shift.ends_at)
    if checked_in_by is not None:
        assignment_check_in(assignment=assignment, user=checked_in_by, method=CheckInMethod.RADIO, now=at(7, 26))
    return assignment
