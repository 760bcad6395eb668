"""Leave (a person away for whole days: sick, annual leave, training), and what entering it
does to the shifts he is already booked on.

The page, the API and anything else that records leave call these services, never a bare
`form.save()` or `serializer.save()`."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from duty.models import Assignment, Leave, Shift
from duty.services.assignments import assignment_delete
from duty.services.notifications import notify_station_dispatchers, shift_text
from org.models import Person, User
from org.scope import require_in_scope


@dataclass
class LeaveSaved:
    """The leave as saved, and the shifts its person was taken off because of it."""

    leave: Leave
    removed_from: list[Shift] = field(default_factory=list)


def _booked_shifts_during(leave: Leave) -> list[Assignment]:
    """The person's bookings that the leave makes impossible: active, on a shift within the
    leave's days that has not ended. A shift already over is a record and is left alone; so is
    one he has checked in on (he stood it, or is standing it: the attendance record says what
    happened next, not the roster)."""
    return list(
        Assignment.objects.filter(
            person_id=leave.person_id, active=True, checked_in_at__isnull=True,
            shift__date__gte=leave.start_date, shift__date__lte=leave.end_date,
            shift__ends_at__gt=timezone.now(),
        )
        .select_related("shift__post__school")
        .order_by("starts_at")
    )


def _save_and_clear_bookings(*, leave: Leave, user: User | None) -> LeaveSaved:
    require_in_scope(user, leave.person.unit_id, field="person",
                     message=_("%(name)s is not in your scope.") % {"name": leave.person.name})
    # Leave belongs to the unit that manages the person; clean() sets it too, but
    # clean_fields() runs first and would call the missing station an error.
    leave.station_id = leave.person.unit_id
    leave.full_clean()
    leave.save()
    # Lock the person like a booking does, so a dispatcher who books him meanwhile either
    # waits and is refused (he is on leave) or committed first and is removed here.
    Person.objects.select_for_update().get(pk=leave.person_id)
    booked = _booked_shifts_during(leave)
    for assignment in booked:
        # The unassign service keeps its own rules and tells the person when the week is published.
        assignment_delete(assignment=assignment, user=user)
    removed = [a.shift for a in booked]
    if removed:
        title = _("%(name)s is on leave %(start)s to %(end)s (%(reason)s): removed from %(count)d shifts") % {
            "name": leave.person.name, "start": leave.start_date, "end": leave.end_date,
            "reason": leave.reason, "count": len(removed),
        }
        notify_station_dispatchers(station_id=leave.station_id, title=title,
                                   body="\n".join(shift_text(s) for s in removed), shift_id=removed[0].pk)
    return LeaveSaved(leave=leave, removed_from=removed)


@transaction.atomic
def leave_create(
    *, user: User | None, person: Person, start_date, end_date, reason: str
) -> LeaveSaved:
    """Record that `person` is away from `start_date` to `end_date` (whole days).

    Shifts he is already booked on within those days (not ended, not checked in) lose him:
    he is taken off each through the unassign service, which tells him when the week is
    published, and the station's dispatchers get one notification listing them. The posts
    then show short on the roster, for the dispatcher to fill.

    Why remove rather than refuse: entering leave is a dispatcher recording a fact (he is
    sick, he is away), not asking permission. A refusal would not make him available; it would
    only send the dispatcher hunting through the board to unbook each shift before the fact
    could be written down, while the roster kept showing a post as manned by someone who will
    not come. All of it happens in one transaction: the leave, every removal and every
    notification, or none."""
    leave = Leave(person=person, start_date=start_date, end_date=end_date, reason=reason)
    return _save_and_clear_bookings(leave=leave, user=user)


@transaction.atomic
def leave_update(
    *, user: User | None, leave: Leave, person: Person | None = None, start_date=None, end_date=None,
    reason: str | None = None,
) -> LeaveSaved:
    """Change a leave (None leaves a field as it is). Its person's bookings within the new
    days are removed as in `leave_create`; shifts freed by shortening a leave are not
    re-booked (the dispatcher decides who stands them)."""
    leave = Leave.objects.select_for_update().get(pk=leave.pk)
    require_in_scope(user, leave.station_id, field="person", message=_("This leave is not in your scope."))
    for name, value in (("person", person), ("start_date", start_date), ("end_date", end_date), ("reason", reason)):
        if value is not None:
            setattr(leave, name, value)
    return _save_and_clear_bookings(leave=leave, user=user)
