"""Attendance's part of the demo (declared in attendance/registry.py; `seed_demo` runs it after
duty's, which has generated the past weeks' shifts and put each post's holders on standing
assignments): the past shifts as they went, their holders on them, mostly on time, a few
late, absent or leaving early, each check-in with its location and kit. Deterministic for a
given seed and day. Supervision's demo (supervision/demo.py) checks these shifts."""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from attendance.models import CheckIn, KitItem
from core.registry import DemoContext
from duty.models import Assignment, AttendanceStatus, Shift, StandingAssignment
from duty.tallies import tally_closed_days
from org.models import Person, PersonKind, Role, User

# The past weeks record the people who check in with Huxue: police, auxiliaries and the
# school's security officer (the school's other people are on the coming weeks' roster).
PAST_KINDS = {PersonKind.POLICE, PersonKind.AUXILIARY, PersonKind.SCHOOL_SECURITY}
KIT = list(KitItem.values)


def _post_holders() -> dict[int, list[Person]]:
    """Who holds each post: the people duty's demo put on it by standing assignment, in the
    order it did."""
    holders: dict[int, list[Person]] = defaultdict(list)
    for standing in StandingAssignment.objects.select_related("person").order_by("pk"):
        holders[standing.post_id].append(standing.person)
    return holders


def _past_attendance(rng: random.Random, holders, now: datetime.datetime, user: User) -> dict:
    """The past shifts as they went: the post holders on them, mostly on time, a few late,
    absent or leaving early; kit mostly complete. Written with bulk inserts."""
    shifts = list(Shift.objects.filter(ends_at__lte=now).select_related("post__school").order_by("starts_at"))
    taken = set(Assignment.objects.filter(shift__in=shifts).values_list("shift_id", "person_id"))
    assignments, evidence = [], []
    counts = defaultdict(int)
    for shift in shifts:
        location = shift.post.location
        for person in holders.get(shift.post_id, []):
            if person.kind not in PAST_KINDS or (shift.pk, person.pk) in taken:
                continue
            a = Assignment(shift=shift, person=person, station_id=shift.station_id, starts_at=shift.starts_at,
                           ends_at=shift.ends_at, source="standing", closed_at=shift.ends_at + datetime.timedelta(minutes=5))
            roll = rng.random()
            if roll < 0.03:
                a.attendance = AttendanceStatus.ABSENT
            else:
                late = roll > 0.94
                a.checked_in_at = shift.starts_at + datetime.timedelta(
                    minutes=rng.randint(3, 12) if late else -rng.randint(0, 10))
                if roll < 0.05:
                    a.checked_out_at = shift.ends_at - datetime.timedelta(minutes=rng.randint(5, 15))
                    a.attendance = AttendanceStatus.LEFT_EARLY
                else:
                    a.checked_out_at = shift.ends_at + datetime.timedelta(minutes=rng.randint(0, 5))
                    a.attendance = AttendanceStatus.LATE if late else AttendanceStatus.ON_TIME
                wears_kit = person.kind in (PersonKind.POLICE, PersonKind.AUXILIARY)
                missing = [rng.choice(KIT)] if wears_kit and rng.random() < 0.04 else []
                distance = rng.randint(0, 60)
                evidence.append((a, CheckIn(
                    at=a.checked_in_at, recorded_by=user,
                    lat=Decimal(str(round(location[0] + distance / 111_195, 6))) if location else None,
                    lng=Decimal(str(round(location[1], 6))) if location else None,
                    distance_m=distance if location else None, inside_geofence=True if location else None,
                    kit=[k for k in KIT if k not in missing] if wears_kit else [], kit_missing=missing,
                    flagged=bool(missing),
                )))
            counts[a.attendance] += 1
            assignments.append(a)
    Assignment.objects.bulk_create(assignments, batch_size=1000)
    for a, check_in in evidence:
        check_in.assignment = a
    CheckIn.objects.bulk_create([c for _, c in evidence], batch_size=1000)
    return {"past_assignments": len(assignments), "check_ins": len(evidence), "attendance": dict(counts)}


def seed(context: DemoContext) -> dict:
    """The attendance side of the demo (see the module docstring). Returns counts."""
    rng = random.Random(context.seed)
    supervisor = User.objects.filter(role=Role.SUPERVISOR).first()
    hq = User.objects.filter(role=Role.HQ).first() or supervisor
    with transaction.atomic():
        context.say("Past attendance…")
        counts = _past_attendance(rng, _post_holders(), timezone.now(), hq)
        # The closed days counted and kept, as closing the shifts would (duty.tallies).
        counts["tallied_days"] = len(tally_closed_days())
        return counts


def reset() -> None:
    """Delete every check-in (before duty's reset deletes the assignments they point at), in
    SQL without loading each row."""
    CheckIn.objects.all()._raw_delete(CheckIn.objects.db)
