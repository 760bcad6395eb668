"""Attendance at the post: check-in and check-out from a phone, the dispatcher's radio
roll-call, excuses, and the one rule that turns times into a status.

准时到岗, 严禁无故缺岗脱岗和提前撤岗: on time, never absent, never withdrawing early. A
check-in is kept even away from the post (flagged, with the reason given); a repeated
check-in returns the first, so a phone on a bad network can simply retry.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from attendance.geo import distance_m, within
from attendance.models import CheckIn, CheckInMethod, KitItem
from duty.models import Assignment, AttendanceStatus, ShiftStatus
from duty.tallies import retally, tally_closed_days
from org.models import PersonKind, User
from org.scope import in_scope

KIT_WEARERS = {PersonKind.POLICE, PersonKind.AUXILIARY}
MICRO_DEGREE = Decimal("0.000001")


def geofence_verdict(*, post, lat, lng) -> tuple[Decimal, Decimal, float | None, bool | None]:
    """Where a phone stands against a post's geofence: the location as kept (micro-degrees),
    the distance in metres and whether that is inside, or None for both when neither the post
    nor its school has a point. The check-in and the post page's "how far am I" ask this
    same function, so they cannot disagree. A location that is not one raises a
    ValidationError naming `lat`."""
    try:
        # Phones report 15 decimals; a micro-degree (about 0.1 m) is all we keep.
        lat = Decimal(str(lat)).quantize(MICRO_DEGREE)
        lng = Decimal(str(lng)).quantize(MICRO_DEGREE)
    except ArithmeticError:
        raise ValidationError({"lat": _("Give the location as decimal degrees.")}) from None
    if not lat.is_finite() or not lng.is_finite() or not (-90 <= lat <= 90) or not (-180 <= lng <= 180):
        raise ValidationError({"lat": _("The location is not on Earth.")})
    location = post.location
    if location is None:
        return lat, lng, None, None
    distance = distance_m(float(lat), float(lng), *location)
    return lat, lng, distance, within(distance, post.radius_m)


def attendance_status(
    *,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    checked_in_at: datetime.datetime | None,
    checked_out_at: datetime.datetime | None,
    now: datetime.datetime,
    excused: bool = False,
) -> str:
    """The one rule. Absent: no check-in by the end of the shift. Left early: checked out
    before the end. Late: checked in after the start. On time: in by the start and (if out)
    out at or after the end. Before the end without a check-in it is not decided yet."""
    if excused:
        return AttendanceStatus.EXCUSED
    if checked_in_at is None or checked_in_at >= ends_at:
        return AttendanceStatus.ABSENT if now >= ends_at else AttendanceStatus.PENDING
    if checked_out_at is not None and checked_out_at < ends_at:
        return AttendanceStatus.LEFT_EARLY
    if checked_in_at > starts_at:
        return AttendanceStatus.LATE
    return AttendanceStatus.ON_TIME


def there_q() -> Q:
    """`attendance_status` as a condition on assignments, for its two answers that mean the
    person is at the post (LivePerson.is_there): checked in (a CheckIn row) before the end,
    not excused, and not checked out before the end, so on time or late whatever the time
    now. tests/attendance/test_there_q.py holds it to the rule."""
    return (Q(check_in__isnull=False) & ~Q(attendance=AttendanceStatus.EXCUSED)
            & Q(checked_in_at__lt=F("ends_at"))
            & (Q(checked_out_at__isnull=True) | Q(checked_out_at__gte=F("ends_at"))))


def _status_of(assignment: Assignment, now) -> str:
    return attendance_status(
        starts_at=assignment.starts_at, ends_at=assignment.ends_at, checked_in_at=assignment.checked_in_at,
        checked_out_at=assignment.checked_out_at, now=now,
        excused=assignment.attendance == AttendanceStatus.EXCUSED,
    )


def _may_record_for_others(user: User, assignment: Assignment) -> bool:
    return user.has_perm("duty.change_assignment") and in_scope(user, assignment.station_id)


def _visible_locked(assignment: Assignment, user: User) -> Assignment:
    """The assignment, read afresh and locked, if the user may check in or out at it
    (`AssignmentQuerySet.attendable_by`); otherwise Assignment.DoesNotExist, which the API
    answers 404."""
    return (
        Assignment.objects.attendable_by(user).select_for_update(of=("self",))
        .select_related("person", "shift__post").get(pk=assignment.pk)
    )


def check_in_lead() -> datetime.timedelta:
    """How long before a shift starts its check-in opens (settings.CHECK_IN_OPENS_MINUTES);
    it closes when the shift ends. A spot check in that window is a check of that shift
    (supervision.selectors.shift_running_at)."""
    return datetime.timedelta(minutes=settings.CHECK_IN_OPENS_MINUTES)


def _check_window(assignment: Assignment, now: datetime.datetime) -> None:
    opens = assignment.starts_at - check_in_lead()
    if now < opens:
        raise ValidationError({"assignment": _(
            "Check-in opens at %(time)s, %(minutes)d minutes before the shift starts."
        ) % {"time": timezone.localtime(opens).strftime("%H:%M"), "minutes": settings.CHECK_IN_OPENS_MINUTES}})
    if now >= assignment.ends_at:
        raise ValidationError({"assignment": _(
            "The shift ended at %(time)s; check-in is closed. Ask the dispatcher to record it."
        ) % {"time": timezone.localtime(assignment.ends_at).strftime("%H:%M")}})


def _parse_kit(kit) -> list[str]:
    kit = list(dict.fromkeys(kit or []))
    unknown = [item for item in kit if item not in KitItem.values]
    if unknown:
        raise ValidationError({"equipment": _("Unknown kit item(s): %(items)s. Use: %(known)s.") % {
            "items": ", ".join(map(str, unknown)), "known": ", ".join(KitItem.values)}})
    return kit


@transaction.atomic
def assignment_check_in(
    *,
    assignment: Assignment,
    user: User,
    lat: Decimal | float | None = None,
    lng: Decimal | float | None = None,
    accuracy_m: int | None = None,
    equipment: list[str] | None = None,
    outside_reason: str = "",
    method: str = CheckInMethod.PHONE,
    now: datetime.datetime | None = None,
) -> tuple[CheckIn, bool]:
    """Check someone in at the post. Returns (check-in, created); a repeat returns the first
    check-in unchanged with created=False. An assignment the user may not see raises
    Assignment.DoesNotExist."""
    now = now or timezone.now()
    # The school is read only if the post has no location of its own (Post.location).
    assignment = _visible_locked(assignment, user)
    # Whose assignment it is comes first: a "retry" by someone else must not hand over the
    # first check-in (and its location).
    own = assignment.person.user_id == user.pk
    if method == CheckInMethod.PHONE and not own:
        raise PermissionDenied(_("This is %(name)s's assignment; you can only check yourself in.")
                               % {"name": assignment.person.name})
    if method == CheckInMethod.RADIO and not _may_record_for_others(user, assignment):
        raise PermissionDenied(_("Only the station's dispatcher can record a radio roll-call."))
    if assignment.checked_in_at is not None:
        existing = CheckIn.objects.filter(assignment=assignment).first()
        if existing is not None:
            return existing, False
    if not assignment.active or assignment.shift.status == ShiftStatus.CANCELLED:
        raise ValidationError({"assignment": _("This shift is cancelled.")})
    if assignment.attendance == AttendanceStatus.EXCUSED:
        raise ValidationError({"assignment": _("This assignment is excused.")})
    # A radio roll-call has the same window: after the end, presence can no longer be
    # recorded as a check-in (the dispatcher excuses instead).
    _check_window(assignment, now)

    post = assignment.shift.post
    distance = inside = None
    if lat is not None and lng is not None:
        lat, lng, distance, inside = geofence_verdict(post=post, lat=lat, lng=lng)
    elif method == CheckInMethod.PHONE:
        raise ValidationError({"lat": _("The phone's location is needed to check in; allow the browser to share it.")})

    outside_reason = (outside_reason or "").strip()
    if inside is False and not outside_reason:
        raise ValidationError({"outside_reason": _(
            "You are %(distance)d m from the post (the fence is %(radius)d m). Say why you are checking in from here."
        ) % {"distance": round(distance), "radius": post.radius_m}})

    kit = _parse_kit(equipment)
    missing = []
    # The wearer confirms his kit on the phone; over the radio the dispatcher records the
    # kit only if he asked (no list given: not checked, not flagged).
    kit_checked = method == CheckInMethod.PHONE or equipment is not None
    if assignment.person.kind in KIT_WEARERS and kit_checked:
        missing = [item for item in KitItem.values if item not in kit]

    check_in = CheckIn(
        assignment=assignment, at=now, method=method, recorded_by=user,
        lat=lat if lat is not None else None, lng=lng if lng is not None else None,
        accuracy_m=accuracy_m, distance_m=round(distance) if distance is not None else None,
        inside_geofence=inside, outside_reason=outside_reason if inside is False else "",
        kit=kit, kit_missing=missing, flagged=bool(missing) or inside is False,
    )
    # No savepoint needed: the assignment's row is locked (PostgreSQL) or the write
    # transaction is exclusive (SQLite), so no second check-in can slip in between.
    check_in.save()
    assignment.checked_in_at = now
    assignment.attendance = _status_of(assignment, now)
    # The CheckIn row is the record of this change (who, when, where, with what kit); a
    # history row of the assignment would repeat it on the morning's busiest request.
    assignment.skip_history_when_saving = True
    assignment.save(update_fields=["checked_in_at", "attendance"])
    del assignment.skip_history_when_saving
    return check_in, True


@transaction.atomic
def assignment_check_out(
    *, assignment: Assignment, user: User, lat=None, lng=None, now: datetime.datetime | None = None
) -> Assignment:
    """Leave the post. Before the end of the shift that is an early withdrawal, recorded as
    such; a repeat returns the first check-out."""
    now = now or timezone.now()
    assignment = _visible_locked(assignment, user)
    if assignment.person.user_id != user.pk and not _may_record_for_others(user, assignment):
        raise PermissionDenied(_("This is %(name)s's assignment; you can only check yourself out.")
                               % {"name": assignment.person.name})
    if assignment.checked_out_at is not None:
        return assignment
    if assignment.checked_in_at is None:
        raise ValidationError({"assignment": _("Check in first.")})
    if lat is not None and lng is not None:
        location = assignment.shift.post.location
        if location is not None:
            assignment.check_out_distance_m = round(distance_m(float(lat), float(lng), *location))
    assignment.checked_out_at = now
    assignment.attendance = _status_of(assignment, now)
    assignment.save(update_fields=["checked_out_at", "check_out_distance_m", "attendance"])
    retally(dates=[assignment.shift.date], stations=[assignment.station_id])
    return assignment


@transaction.atomic
def assignment_excuse(*, assignment: Assignment, user: User, reason: str) -> Assignment:
    """The dispatcher excuses an absence (sick, called to an incident), with the reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the excuse.")})
    assignment = (Assignment.objects.select_for_update(of=("self",)).select_related("person", "shift")
                  .get(pk=assignment.pk))
    if not _may_record_for_others(user, assignment):
        raise PermissionDenied(_("Only the station's dispatcher can excuse an absence."))
    if assignment.checked_in_at is not None:
        raise ValidationError({"reason": _("%(name)s checked in; only an absence can be excused.")
                               % {"name": assignment.person.name}})
    assignment.attendance = AttendanceStatus.EXCUSED
    assignment.excuse_reason = reason
    assignment.excused_by = user
    assignment.save(update_fields=["attendance", "excuse_reason", "excused_by"])
    retally(dates=[assignment.shift.date], stations=[assignment.station_id])
    return assignment


def close_ended_shifts(*, now: datetime.datetime | None = None, batch: int = 2000) -> int:
    """Decide the attendance of every active assignment whose shift has ended and that is
    not closed yet: absences are marked, early withdrawals and lateness kept. Safe to run
    any number of times: a closed assignment is never touched again. Returns how many it
    closed."""
    now = now or timezone.now()
    closed = 0
    while True:
        with transaction.atomic():
            rows = list(
                Assignment.objects.select_for_update(skip_locked=True)
                .filter(active=True, closed_at__isnull=True, ends_at__lte=now)
                .filter(Q(shift__status=ShiftStatus.SCHEDULED))
                .only("id", "starts_at", "ends_at", "checked_in_at", "checked_out_at", "attendance")[:batch]
            )
            if not rows:
                break
            for row in rows:
                row.attendance = _status_of(row, now)
                row.closed_at = now
            Assignment.objects.bulk_update(rows, ["attendance", "closed_at"], batch_size=500)
            closed += len(rows)
    # The days now closed are counted once and kept (duty.tallies).
    tally_closed_days(now=now)
    return closed
