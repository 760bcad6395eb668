"""Putting people on shifts: assign, unassign, move, copy last week, publish a week.

Every path (the roster board, the API, standing assignments, copying) goes through the rules
in duty.services.availability. On PostgreSQL the database refuses an overlapping booking
too, so two dispatchers who book one person at the same moment cannot both succeed."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from duty.models import Assignment, AssignmentSource, RosterWeek, Shift, ShiftStatus
from duty.services.availability import Availability, Booking, booking_label
from duty.services.notifications import notify_assignment, notify_published
from duty.tallies import retally
from org.models import Person, User
from org.scope import require_in_scope


def _check_shift_open(shift: Shift) -> None:
    if shift.status == ShiftStatus.CANCELLED:
        raise ValidationError({"shift": _("This shift is cancelled.")})
    if shift.ends_at <= timezone.now():
        raise ValidationError({"shift": _("This shift is over.")})


def _check_in_scope(user: User | None, person: Person, shift: Shift) -> None:
    require_in_scope(user, shift.station_id, field="shift", message=_("This shift is not in your scope."))
    require_in_scope(user, person.unit_id, field="person",
                     message=_("%(name)s is not in your scope.") % {"name": person.name})


def require_monday(week_start: datetime.date) -> None:
    """A roster week is named by its Monday."""
    if week_start.weekday() != 0:
        raise ValidationError({"week": _("A roster week starts on a Monday.")})


def _check_week(user: User | None, station, week_start: datetime.date) -> None:
    require_monday(week_start)
    require_in_scope(user, station.pk, field="station", message=_("This station is not in your scope."))


def _lock_person(person: Person) -> Person:
    """Serialise bookings of one person: a second dispatcher waits here until the first
    commits, then sees the first booking and is refused with a clear message."""
    return Person.objects.select_for_update().get(pk=person.pk)


def _refuse_if_unavailable(person: Person, shift: Shift, *, exclude_shift_id: int | None = None) -> None:
    availability = Availability([person.pk], shift.starts_at, shift.ends_at)
    if exclude_shift_id is not None:
        availability.bookings[person.pk] = [
            b for b in availability.bookings.get(person.pk, []) if b.shift_id != exclude_shift_id
        ]
    refusal = availability.refusal(
        person, shift_id=shift.pk, day=shift.date, starts_at=shift.starts_at, ends_at=shift.ends_at
    )
    if refusal:
        raise ValidationError({"person": refusal})


def _overlap_message(person: Person, shift: Shift) -> str:
    """After the database refused a booking: name the booking that won the race."""
    other = (
        Assignment.objects.filter(person=person, active=True, starts_at__lt=shift.ends_at, ends_at__gt=shift.starts_at)
        .exclude(shift=shift)
        .select_related("shift__post__school")
        .first()
    )
    if other is None:
        return _("%(name)s is already on this shift.") % {"name": person.name}
    label = booking_label(str(other.shift.post), other.starts_at, other.ends_at)
    return _("%(name)s is already on %(booking)s, which overlaps this shift.") % {"name": person.name, "booking": label}


def _insert(assignment: Assignment, person: Person, shift: Shift) -> Assignment:
    try:
        with transaction.atomic():
            assignment.save()
    except IntegrityError:
        raise ValidationError({"person": _overlap_message(person, shift)}) from None
    return assignment


@transaction.atomic
def assignment_create(
    *, shift: Shift, person: Person, user: User | None, source: str = AssignmentSource.MANUAL
) -> Assignment:
    """Put `person` on `shift`, if the rules allow; tell the person if the week is published."""
    shift = Shift.objects.select_related("post__school").get(pk=shift.pk)
    _check_shift_open(shift)
    _check_in_scope(user, person, shift)
    person = _lock_person(person)
    _refuse_if_unavailable(person, shift)
    assignment = _insert(
        Assignment(
            shift=shift, person=person, station_id=shift.station_id, starts_at=shift.starts_at,
            ends_at=shift.ends_at, source=source, created_by=user,
        ),
        person, shift,
    )
    if shift.published:
        notify_assignment(person_id=person.pk, shift=shift, change="assigned")
    return assignment


@transaction.atomic
def assignment_delete(*, assignment: Assignment, user: User | None) -> None:
    """Take someone off a shift; not once he has checked in."""
    assignment = Assignment.objects.select_related("shift__post__school").get(pk=assignment.pk)
    if assignment.checked_in_at is not None:
        raise ValidationError({"assignment": _("%(name)s has checked in; the assignment can no longer be removed.")
                               % {"name": assignment.person.name}})
    shift = assignment.shift
    person_id = assignment.person_id
    assignment.delete()
    retally(dates=[shift.date], stations=[assignment.station_id])
    if shift.published:
        notify_assignment(person_id=person_id, shift=shift, change="removed")


@transaction.atomic
def assignment_move(*, assignment: Assignment, to_shift: Shift, user: User | None) -> Assignment:
    """Move someone to another shift (dragging on the board): one booking, re-checked."""
    assignment = Assignment.objects.select_related("shift__post__school", "person").get(pk=assignment.pk)
    if assignment.checked_in_at is not None:
        raise ValidationError({"assignment": _("%(name)s has checked in; the assignment can no longer be moved.")
                               % {"name": assignment.person.name}})
    old_shift, old_station_id = assignment.shift, assignment.station_id
    to_shift = Shift.objects.select_related("post__school").get(pk=to_shift.pk)
    if to_shift.pk == old_shift.pk:
        return assignment
    _check_shift_open(to_shift)
    person = _lock_person(assignment.person)
    _check_in_scope(user, person, to_shift)
    _refuse_if_unavailable(person, to_shift, exclude_shift_id=old_shift.pk)
    assignment.shift = to_shift
    assignment.station_id = to_shift.station_id
    assignment.starts_at, assignment.ends_at = to_shift.starts_at, to_shift.ends_at
    assignment.active = True
    try:
        with transaction.atomic():
            assignment.save()
    except IntegrityError:
        raise ValidationError({"person": _overlap_message(person, to_shift)}) from None
    retally(dates=[old_shift.date], stations=[old_station_id])
    if old_shift.published:
        notify_assignment(person_id=person.pk, shift=old_shift, change="removed")
    if to_shift.published:
        notify_assignment(person_id=person.pk, shift=to_shift, change="assigned")
    return assignment


@dataclass
class CopyResult:
    copied: int = 0
    skipped: list[str] = field(default_factory=list)


@transaction.atomic
def week_copy(*, station, week_start: datetime.date, user: User | None) -> CopyResult:
    """Copy last week's assignments of a station onto the same post, weekday and period of
    the week starting `week_start`. What cannot be copied is skipped, with the reason."""
    _check_week(user, station, week_start)
    previous = week_start - datetime.timedelta(days=7)
    source_rows = list(
        Assignment.objects.filter(
            station=station, shift__date__gte=previous, shift__date__lt=week_start, active=True
        ).select_related("shift__post__school", "person")
    )
    targets = {
        (s.post_id, s.date, s.period): s
        for s in Shift.objects.filter(station=station, date__gte=week_start, date__lt=week_start + datetime.timedelta(days=7))
        .select_related("post__school")
    }
    result = CopyResult()
    if not source_rows:
        return result
    span_start = min(s.starts_at for s in targets.values()) if targets else timezone.now()
    span_end = max(s.ends_at for s in targets.values()) if targets else timezone.now()
    people = list(Person.objects.select_for_update().filter(pk__in={a.person_id for a in source_rows}))
    availability = Availability([p.pk for p in people], span_start, span_end)
    new = []
    now = timezone.now()
    published_targets = []
    for old in source_rows:
        day = old.shift.date + datetime.timedelta(days=7)
        label = f"{old.person.name} {old.shift.post} {day} {old.shift.get_period_display()}"
        target = targets.get((old.shift.post_id, day, old.shift.period))
        if target is None:
            result.skipped.append(_("%(what)s: no shift that day (not a school day, or not generated).") % {"what": label})
            continue
        if target.status == ShiftStatus.CANCELLED or target.ends_at <= now:
            result.skipped.append(_("%(what)s: the shift is cancelled or over.") % {"what": label})
            continue
        refusal = availability.refusal(old.person, shift_id=target.pk, day=day, starts_at=target.starts_at,
                                       ends_at=target.ends_at)
        if refusal:
            result.skipped.append(f"{label}: {refusal}")
            continue
        availability.book(old.person_id, Booking(target.pk, target.starts_at, target.ends_at,
                                                 booking_label(str(target.post), target.starts_at, target.ends_at)))
        new.append(Assignment(
            shift=target, person_id=old.person_id, station_id=station.pk, starts_at=target.starts_at,
            ends_at=target.ends_at, source=AssignmentSource.COPIED, created_by=user,
        ))
        if target.published:
            published_targets.append((old.person_id, target))
    try:
        with transaction.atomic():
            Assignment.objects.bulk_create(new, batch_size=500)
    except IntegrityError:
        raise ValidationError({"week": _("Someone booked one of these people meanwhile; copy again.")}) from None
    for person_id, target in published_targets:
        notify_assignment(person_id=person_id, shift=target, change="assigned")
    result.copied = len(new)
    return result


@transaction.atomic
def week_publish(*, station, week_start: datetime.date, user: User | None, notify: bool = True) -> RosterWeek:
    """Publish a station's week: officers see its shifts, and everyone on them is told
    (`notify=False` only for loading data, e.g. the demo)."""
    _check_week(user, station, week_start)
    week, _created = RosterWeek.objects.select_for_update().get_or_create(station=station, week_start=week_start)
    shifts = Shift.objects.filter(station=station, date__gte=week_start, date__lt=week_start + datetime.timedelta(days=7))
    shift_ids = list(shifts.filter(published=False).values_list("pk", flat=True))
    shifts.update(published=True)
    week.published_at = timezone.now()
    week.published_by = user
    week.save()
    if notify:
        notify_published(shift_ids=shift_ids)
    return week
