"""Who can stand which shift: the one rule set for assigning people.

A person can be put on a shift when he is active, in the dispatcher's scope, not on leave
that day, not already on the shift, and not on another shift whose window overlaps it. The
same `Availability` object answers for one assignment (the picker, a click on the board)
and for thousands (standing assignments during generation, copying a week), so the rule is
written once. PostgreSQL also enforces the overlap rule itself (an exclusion constraint),
for two dispatchers who click at the same moment.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from duty.models import Assignment, Leave
from org.models import Person
from posts.models import Post


@dataclass(frozen=True)
class Booking:
    """An active assignment of a person, enough to explain a conflict."""

    shift_id: int
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    label: str  # "圣莲岛小学·正门护学岗 2026-12-01 上午 07:25-08:10"


def booking_label(post_label: str, starts_at: datetime.datetime, ends_at: datetime.datetime) -> str:
    start = timezone.localtime(starts_at)
    end = timezone.localtime(ends_at)
    return f"{post_label} {start:%Y-%m-%d %H:%M}-{end:%H:%M}"


class Availability:
    """Leave and bookings of some people over a time span, loaded in two queries."""

    def __init__(self, person_ids: Iterable[int], start: datetime.datetime, end: datetime.datetime):
        person_ids = list(set(person_ids))
        self.leaves: dict[int, list[tuple[datetime.date, datetime.date, str]]] = defaultdict(list)
        self.bookings: dict[int, list[Booking]] = defaultdict(list)
        if not person_ids:
            return
        local_start = timezone.localtime(start).date()
        local_end = timezone.localtime(end).date()
        for person_id, l_start, l_end, reason in Leave.objects.filter(
            person_id__in=person_ids, start_date__lte=local_end, end_date__gte=local_start
        ).values_list("person_id", "start_date", "end_date", "reason"):
            self.leaves[person_id].append((l_start, l_end, reason))
        rows = (
            Assignment.objects.filter(
                person_id__in=person_ids, active=True, starts_at__lt=end, ends_at__gt=start
            )
            .values_list("person_id", "shift_id", "starts_at", "ends_at", "shift__post__name",
                         "shift__post__school__name")
        )
        for person_id, shift_id, s_start, s_end, post_name, school_name in rows:
            label = booking_label(Post.label(school_name, post_name), s_start, s_end)
            self.bookings[person_id].append(Booking(shift_id, s_start, s_end, label))

    def leave_on(self, person_id: int, day: datetime.date) -> str | None:
        for l_start, l_end, reason in self.leaves.get(person_id, ()):
            if l_start <= day <= l_end:
                return reason
        return None

    def conflict(self, person_id: int, shift_id: int, starts_at, ends_at) -> Booking | None:
        for booking in self.bookings.get(person_id, ()):
            if booking.shift_id != shift_id and booking.starts_at < ends_at and starts_at < booking.ends_at:
                return booking
        return None

    def on_shift(self, person_id: int, shift_id: int) -> bool:
        return any(b.shift_id == shift_id for b in self.bookings.get(person_id, ()))

    def book(self, person_id: int, booking: Booking) -> None:
        """Count a booking made in this batch, so the batch does not double-book either."""
        self.bookings[person_id].append(booking)

    def load(self, person_id: int, week_start: datetime.date) -> int:
        """How many shifts the person has in the week starting week_start."""
        week_end = week_start + datetime.timedelta(days=7)
        return sum(
            1 for b in self.bookings.get(person_id, ())
            if week_start <= timezone.localtime(b.starts_at).date() < week_end
        )

    def refusal(self, person: Person, *, shift_id: int, day: datetime.date, starts_at, ends_at) -> str | None:
        """Why `person` cannot stand this shift, in words for the dispatcher, or None."""
        if not person.active:
            return _("%(name)s is dismissed and cannot stand a post.") % {"name": person.name}
        if self.on_shift(person.pk, shift_id):
            return _("%(name)s is already on this shift.") % {"name": person.name}
        reason = self.leave_on(person.pk, day)
        if reason is not None:
            return _("%(name)s is on leave on %(date)s (%(reason)s).") % {
                "name": person.name, "date": day.isoformat(), "reason": reason}
        booking = self.conflict(person.pk, shift_id, starts_at, ends_at)
        if booking is not None:
            return _("%(name)s is already on %(booking)s, which overlaps this shift.") % {
                "name": person.name, "booking": booking.label}
        return None
