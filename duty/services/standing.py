"""Standing assignments: a person at a post on chosen weekdays and periods for a date range.

Generation puts the person on the shifts it creates that match (`standing_apply`). Entering,
changing or deleting a standing assignment also decides what happens to the shifts already
generated, through these services (the page and the API call them, never a bare save):

- created: the person is put on the matching shifts that have not started, by the same rules
  as a dispatcher's click; the ones he cannot stand (leave, another post at that time) are
  named, not forced;
- changed: the same for the new pattern, and he is taken off the not-started shifts this rule
  put him on that no longer match;
- deleted: he is taken off the not-started shifts the rule put him on.

Shifts that have started or ended are records and are left alone."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from duty.models import Assignment, AssignmentSource, Shift, ShiftStatus, StandingAssignment
from duty.services.assignments import assignment_delete
from duty.services.availability import Availability, Booking, booking_label
from duty.services.notifications import notify_people, shift_text
from org.models import User
from org.scope import require_in_scope
from posts.models import Period


@dataclass
class StandingApplied:
    assigned: list[Assignment] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def standing_apply(*, shifts, start: datetime.date, end: datetime.date, user: User | None,
                   rules: list[StandingAssignment] | None = None) -> StandingApplied:
    """Put the people of matching standing assignments on `shifts` ((id, post id, date,
    period) rows), by the same rules as a dispatcher's click; what cannot be applied is
    reported, not forced. `rules`: these standing assignments only (default: every one of
    those posts overlapping start..end)."""
    applied = StandingApplied()
    by_post: dict[int, list[tuple[int, datetime.date, str]]] = defaultdict(list)
    for pk, post_id, day, period in shifts:
        by_post[post_id].append((pk, day, period))
    if not by_post:
        return applied
    if rules is None:
        rules = list(
            StandingAssignment.objects.filter(post_id__in=by_post, start_date__lte=end, end_date__gte=start)
            .select_related("person", "post__school")
        )
    if not rules:
        return applied
    windows = {
        pk: (starts_at, ends_at, station_id)
        for pk, starts_at, ends_at, station_id in Shift.objects.filter(
            pk__in=[pk for pk, *_ in shifts]
        ).values_list("id", "starts_at", "ends_at", "station_id")
    }
    tz = ZoneInfo(settings.TIME_ZONE)
    span_start = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    span_end = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    availability = Availability({rule.person_id for rule in rules}, span_start, span_end)
    for rule in rules:
        post_label = str(rule.post)
        for pk, day, period in by_post[rule.post_id]:
            if not rule.applies_to(day, period):
                continue
            starts_at, ends_at, station_id = windows[pk]
            refusal = availability.refusal(rule.person, shift_id=pk, day=day, starts_at=starts_at, ends_at=ends_at)
            if refusal:
                applied.skipped.append(f"{post_label} {day} {Period(period).label}: {refusal}")
                continue
            availability.book(rule.person_id, Booking(pk, starts_at, ends_at, booking_label(post_label, starts_at, ends_at)))
            applied.assigned.append(Assignment(
                shift_id=pk, person_id=rule.person_id, station_id=station_id, starts_at=starts_at,
                ends_at=ends_at, source=AssignmentSource.STANDING, created_by=user,
            ))
    Assignment.objects.bulk_create(applied.assigned, batch_size=1000)
    return applied


# What a standing assignment is made of, as the page and the API pass it in.
STANDING_FIELDS = ("person", "post", "weekdays", "periods", "start_date", "end_date")


@dataclass
class StandingSaved:
    """The standing assignment as saved, the shifts its person was put on, the ones he could
    not be put on (with the reason), and the ones he was taken off."""

    standing: StandingAssignment | None
    assigned: list[Shift] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    removed: list[Shift] = field(default_factory=list)


def _upcoming_standing_bookings(standing: StandingAssignment) -> list[Assignment]:
    """What this rule put its person on that has not started: active, from a standing
    assignment, at its post, not checked in."""
    return list(
        Assignment.objects.filter(
            person_id=standing.person_id, shift__post_id=standing.post_id, source=AssignmentSource.STANDING,
            active=True, checked_in_at__isnull=True, starts_at__gt=timezone.now(),
        ).select_related("shift__post__school")
    )


def _take_off(bookings: list[Assignment], user: User | None) -> list[Shift]:
    for assignment in bookings:
        assignment_delete(assignment=assignment, user=user)  # tells him when the week is published
    return [a.shift for a in bookings]


def _apply_to_generated(standing: StandingAssignment, user: User | None) -> StandingApplied:
    """Put the rule's person on the matching generated shifts that have not started."""
    shifts = list(
        Shift.objects.filter(
            post_id=standing.post_id, status=ShiftStatus.SCHEDULED, starts_at__gt=timezone.now(),
            date__gte=standing.start_date, date__lte=standing.end_date,
        ).exclude(Exists(Assignment.objects.filter(shift=OuterRef("pk"), person_id=standing.person_id, active=True)))
        .values_list("id", "post_id", "date", "period")
    )
    applied = standing_apply(shifts=shifts, start=standing.start_date, end=standing.end_date, user=user,
                             rules=[standing])
    published = dict(Shift.objects.filter(pk__in=[a.shift_id for a in applied.assigned], published=True)
                     .select_related("post__school").in_bulk())
    notify_people(items=[
        (standing.person_id, _("New shift: %(shift)s") % {"shift": shift_text(shift)}, "", shift.pk)
        for shift in published.values()
    ])
    return applied


def _save(standing: StandingAssignment, user: User | None) -> StandingAssignment:
    standing.full_clean(exclude=["station"])  # clean() sets the station from the post
    require_in_scope(user, standing.station_id, field="post", message=_("This post is not in your scope."))
    require_in_scope(user, standing.person.unit_id, field="person",
                     message=_("%(name)s is not in your scope.") % {"name": standing.person.name})
    standing.save()
    return standing


def _saved(standing: StandingAssignment, applied: StandingApplied, removed: list[Shift]) -> StandingSaved:
    shifts = Shift.objects.select_related("post__school").in_bulk([a.shift_id for a in applied.assigned])
    return StandingSaved(standing=standing, assigned=list(shifts.values()), skipped=applied.skipped, removed=removed)


@transaction.atomic
def standing_assignment_create(*, user: User | None, **fields) -> StandingSaved:
    """Record a standing assignment (person, post, weekdays, periods, start_date, end_date)
    and put its person on the matching shifts already generated that have not started."""
    standing = _save(StandingAssignment(**fields), user)
    return _saved(standing, _apply_to_generated(standing, user), [])


@transaction.atomic
def standing_assignment_update(*, user: User | None, standing: StandingAssignment, **fields) -> StandingSaved:
    """Change a standing assignment. Its person leaves the not-started shifts it put him on
    that the new pattern no longer covers (at its old post, if the post changed), and is put
    on the ones it now covers."""
    standing = StandingAssignment.objects.select_for_update().get(pk=standing.pk)
    require_in_scope(user, standing.station_id, field="post", message=_("This post is not in your scope."))
    before = _upcoming_standing_bookings(standing)
    for name, value in fields.items():
        setattr(standing, name, value)
    standing = _save(standing, user)
    stale = [a for a in before
             if a.shift.post_id != standing.post_id or a.person_id != standing.person_id
             or not standing.applies_to(a.shift.date, a.shift.period)]
    removed = _take_off(stale, user)
    return _saved(standing, _apply_to_generated(standing, user), removed)


@transaction.atomic
def standing_assignment_delete(*, user: User | None, standing: StandingAssignment) -> StandingSaved:
    """Delete a standing assignment; its person leaves the not-started shifts it put him on
    (the ones it still covers: he may have been moved by hand since)."""
    standing = StandingAssignment.objects.select_for_update().get(pk=standing.pk)
    require_in_scope(user, standing.station_id, field="post", message=_("This post is not in your scope."))
    covered = [a for a in _upcoming_standing_bookings(standing) if standing.applies_to(a.shift.date, a.shift.period)]
    removed = _take_off(covered, user)
    standing.delete()
    return StandingSaved(standing=None, removed=removed)
