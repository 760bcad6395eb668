"""Scoped reads of the roster: one station's week for the board, who can be picked for a
shift, the stations a dispatcher may open, and a person's own shifts."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from duty.models import (
    Assignment,
    RosterWeek,
    Shift,
    ShiftStatus,
    sees_everyones_attendance,
)
from duty.services.availability import Availability
from org.models import Person, PersonKind, Unit, UnitKind, User
from posts.calendar import SchoolCalendar, week_start
from posts.models import Period, Post

KINDS = [kind.value for kind in PersonKind]


def staffing_gap(required: dict[str, int], filled: dict[str, int]) -> tuple[dict, dict]:
    """What a shift lacks and what it has too many of, per kind of person."""
    missing = {k: required.get(k, 0) - filled.get(k, 0) for k in KINDS if filled.get(k, 0) < required.get(k, 0)}
    over = {k: filled.get(k, 0) - required.get(k, 0) for k in KINDS if filled.get(k, 0) > required.get(k, 0)}
    return missing, over


def roster_week(*, station: Unit, week_start: datetime.date, user: User) -> dict:
    """One station's week for the roster board: posts as rows, days × periods as columns,
    each cell the shift with its people and its gap against the post's staffing. A shift
    that has ended is history: its gap is shown but not counted as short (or over), since
    nobody can be put on it any more. A fixed number of queries, however many posts and
    people."""
    now = timezone.now()
    days = [week_start + datetime.timedelta(days=i) for i in range(7)]
    posts = list(
        Post.objects.visible_to(user).filter(station=station, active=True).select_related("school")
        .order_by("school__name", "name")
    )
    shifts = list(
        Shift.objects.visible_to(user).filter(station=station, date__range=(days[0], days[-1]))
    )
    assignments = (
        Assignment.objects.filter(shift__in=[s.pk for s in shifts])
        .select_related("person")
        .order_by("person__kind", "person__name")
    )
    by_shift = defaultdict(list)
    for a in assignments:
        by_shift[a.shift_id].append(a)
    # The gaps count everyone; names and check-ins follow the assignments' own rule (an
    # officer sees the people of his own shifts, and his own check-in only).
    shown = None if sees_everyones_attendance(user) else set(
        Assignment.objects.visible_to(user).filter(shift__in=[s.pk for s in shifts]).values_list("pk", flat=True)
    )
    week = RosterWeek.objects.filter(station=station, week_start=week_start).first()
    calendar = SchoolCalendar(days[0], days[-1], {p.school_id for p in posts})
    guesses = {d.isoformat(): calendar.day(None, d).guess for d in days}
    posts_by_id = {p.pk: p for p in posts}
    shift_cells = {}
    totals = {"shifts": 0, "short": 0, "over": 0}
    for shift in shifts:
        post = posts_by_id.get(shift.post_id)
        if post is None:  # a post made inactive since: no row on the board, so no count either
            continue
        required = post.staffing if post else {}
        people = by_shift.get(shift.pk, [])
        filled: dict[str, int] = defaultdict(int)
        for a in people:
            if a.active:
                filled[a.person.kind] += 1
        missing, over = staffing_gap(required, filled)
        cancelled = shift.status == ShiftStatus.CANCELLED
        ended = shift.ends_at <= now
        if not cancelled:
            totals["shifts"] += 1
            if not ended:
                totals["short"] += bool(missing)
                totals["over"] += bool(over)
        shift_cells[(shift.post_id, shift.date.isoformat(), shift.period)] = {
            "id": shift.pk,
            "window": shift.window_display,
            "starts_at": shift.starts_at.isoformat(),
            "ends_at": shift.ends_at.isoformat(),
            "status": shift.status,
            "published": shift.published,
            "calendar_guess": shift.calendar_guess,
            "started": shift.starts_at <= now,
            "ended": ended,
            "people": [
                {"assignment": a.pk, "person": a.person_id, "name": a.person.name, "kind": a.person.kind,
                 "checked_in": a.checked_in_at is not None if a.attendance_visible_to(user) else None}
                for a in people if shown is None or a.pk in shown
            ],
            "filled": dict(filled),
            "missing": missing,
            "over": over,
        }
    rows = []
    for post in posts:
        cells = []
        for day in days:
            for period in (Period.AM, Period.PM):
                cells.append({"date": day.isoformat(), "period": period,
                              "shift": shift_cells.get((post.pk, day.isoformat(), period))})
        rows.append({
            "post": {"id": post.pk, "name": post.name, "school": post.school.name, "staffing": post.staffing},
            "cells": cells,
        })
    return {
        "station": {"id": station.pk, "name": station.name},
        "week_start": week_start.isoformat(),
        "days": [{"date": d.isoformat(), "weekday": d.isoweekday(), "calendar_guess": guesses[d.isoformat()]} for d in days],
        "published_at": week.published_at.isoformat() if week and week.published_at else None,
        "rows": rows,
        "totals": totals,
        "kinds": KINDS,
    }


def roster_candidates(*, shift: Shift, user: User, q: str = "", kind: str = "") -> list[dict]:
    """The people a dispatcher may pick for a shift, each with his load this week and, when
    he cannot be chosen, why."""
    people = Person.objects.visible_to(user).filter(active=True).select_related("school").order_by("kind", "name")
    if q:
        people = people.filter(name__icontains=q.strip())
    if kind:
        people = people.filter(kind=kind)
    people = list(people[:300])
    monday = week_start(shift.date)
    tz = timezone.get_current_timezone()
    span_start = datetime.datetime.combine(monday, datetime.time.min, tzinfo=tz)
    span_end = span_start + datetime.timedelta(days=7)
    availability = Availability([p.pk for p in people], min(span_start, shift.starts_at), max(span_end, shift.ends_at))
    result = []
    for person in people:
        refusal = availability.refusal(person, shift_id=shift.pk, day=shift.date, starts_at=shift.starts_at,
                                       ends_at=shift.ends_at)
        result.append({
            "id": person.pk, "name": person.name, "kind": person.kind, "kind_label": person.get_kind_display(),
            "school": person.school.name if person.school_id else "",
            "load": availability.load(person.pk, monday),
            "available": refusal is None, "reason": refusal or "",
        })
    result.sort(key=lambda r: (not r["available"], r["load"], r["kind"], r["name"]))
    return result


def roster_stations(*, user: User) -> list[Unit]:
    """The units whose roster the user may open: the stations in his scope, and any other
    unit of his scope that mans an active post (an HQ team). One query."""
    mans_a_post = Exists(Post.objects.filter(station=OuterRef("pk"), active=True))
    return list(
        Unit.objects.visible_to(user).filter(Q(kind=UnitKind.STATION) | Q(mans_a_post)).order_by("name")
    )


@dataclass
class PersonShift:
    """One of a person's shifts, with the others standing it with him."""

    assignment: Assignment
    shift: Shift
    others: list[Person] = field(default_factory=list)


def person_shifts(*, person: Person, start: datetime.date, end: datetime.date) -> list[PersonShift]:
    """A person's published, not cancelled shifts from `start` to `end` (dates, inclusive),
    earliest first, each with the other people on it. Two queries, however many shifts.

    Not scoped to a user: it answers "where must I be", which the person may always know."""
    mine = list(
        Assignment.objects.filter(
            person=person, active=True, shift__published=True, shift__status=ShiftStatus.SCHEDULED,
            shift__date__range=(start, end),
        )
        .select_related("shift__post__school")
        .order_by("starts_at")
    )
    others: dict[int, list[Person]] = defaultdict(list)
    if mine:
        rows = (
            Assignment.objects.filter(shift_id__in=[a.shift_id for a in mine], active=True)
            .exclude(person=person)
            .select_related("person")
            .order_by("person__kind", "person__name")
        )
        for row in rows:
            others[row.shift_id].append(row.person)
    return [PersonShift(assignment=a, shift=a.shift, others=others[a.shift_id]) for a in mine]


def person_for_user(user) -> Person | None:
    """The person on the roster that a login account stands for, if any."""
    return Person.objects.filter(user=user).select_related("unit").first()

