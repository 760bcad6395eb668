"""What is happening at the posts now: the live duty board of a peak, and the shift an
officer should be checking in to.

Both are reads (selectors): every check-in, check-out and excuse goes through
attendance.services, and the attendance of each person is decided by its one rule,
`attendance_status`, so the board agrees with the figures computed after the shift.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from attendance.models import CheckIn
from attendance.services import KIT_WEARERS, attendance_status, there_q
from duty.models import Assignment, AttendanceStatus, Shift, ShiftStatus
from duty.selectors.roster import KINDS, PersonShift, person_shifts, staffing_gap
from org.models import Person, PersonKind, Unit, User
from org.scope import scope_is_everywhere, scope_unit_ids
from posts.models import Period

MY_SHIFT_LOOKAHEAD_DAYS = 14


class PostState(models.TextChoices):
    """A post's state on the live board, in the order a duty officer reads them."""

    NOBODY = "nobody", _("Nobody there")
    SHORT = "short", _("Short")
    STAFFED = "staffed", _("Fully staffed")
    NOT_STARTED = "not_started", _("Not started")


def current_peak(now: datetime.datetime) -> tuple[datetime.date, str]:
    """The peak the board shows by default: today's morning before noon (local time), the
    afternoon from noon on."""
    local = timezone.localtime(now)
    return local.date(), (Period.AM if local.hour < 12 else Period.PM).value


@dataclass
class LivePerson:
    """One person on a shift as the board shows him: there (checked in and not gone), gone
    (checked out before the end: an early withdrawal), or not there yet."""

    assignment: Assignment
    check_in: CheckIn | None
    status: str  # an AttendanceStatus value, from the one rule

    @property
    def person(self) -> Person:
        return self.assignment.person

    @property
    def is_there(self) -> bool:
        return self.check_in is not None and self.status in (AttendanceStatus.ON_TIME, AttendanceStatus.LATE)

    @property
    def has_left(self) -> bool:
        return self.check_in is not None and self.status == AttendanceStatus.LEFT_EARLY

    @property
    def is_excused(self) -> bool:
        return self.status == AttendanceStatus.EXCUSED

    @property
    def wears_kit(self) -> bool:
        return self.person.kind in KIT_WEARERS

    def get_status_display(self) -> str:
        return AttendanceStatus(self.status).label


@dataclass
class LivePost:
    """One post's shift of the peak with its state and its people."""

    shift: Shift
    state: str
    people: list[LivePerson]
    required: dict[str, int]
    present: dict[str, int]
    short: dict[str, int]
    nobody_alarm: bool
    started_minutes: int  # minutes since the start (negative before it)

    @property
    def post(self):
        return self.shift.post

    @property
    def there(self) -> list[LivePerson]:
        return [p for p in self.people if p.is_there]

    @property
    def gone(self) -> list[LivePerson]:
        return [p for p in self.people if p.has_left]

    @property
    def not_there(self) -> list[LivePerson]:
        return [p for p in self.people if not p.is_there and not p.has_left]

    @property
    def staffing(self) -> list[dict]:
        """Per kind of person wanted or present: how many are there against how many the
        post needs, in the fixed order of kinds."""
        return [
            {"kind": kind, "label": PersonKind(kind).label, "present": self.present.get(kind, 0),
             "required": self.required.get(kind, 0), "short": self.short.get(kind, 0)}
            for kind in KINDS if self.present.get(kind) or self.required.get(kind)
        ]

    @property
    def present_total(self) -> int:
        return sum(self.present.values())

    @property
    def required_total(self) -> int:
        return sum(self.required.values())

    def get_state_display(self) -> str:
        return PostState(self.state).label


# A post with a problem: started, and nobody there or short of its staffing.
PROBLEM_STATES = frozenset({PostState.NOBODY, PostState.SHORT})
# The order in which a duty officer reads posts: the alarms, nobody there, short, the rest.
_STATE_ORDER = {PostState.NOBODY: 0, PostState.SHORT: 1, PostState.NOT_STARTED: 2, PostState.STAFFED: 3}


def _problems_first(post: LivePost) -> tuple:
    return (not post.nobody_alarm, _STATE_ORDER[post.state])


def state_counts(posts: list[LivePost]) -> dict[str, int]:
    """How many posts are in each state, every state present (zero included)."""
    found = Counter(p.state for p in posts)
    return {state.value: found.get(state.value, 0) for state in PostState}


@dataclass
class LiveStation:
    """One station's posts on the all-stations board, problems first."""

    station: Unit
    posts: list[LivePost]

    @property
    def counts(self) -> dict[str, int]:
        return state_counts(self.posts)

    @property
    def problems(self) -> list[LivePost]:
        return [p for p in self.posts if p.state in PROBLEM_STATES]

    @property
    def has_problem(self) -> bool:
        return any(p.state in PROBLEM_STATES for p in self.posts)

    @property
    def alarms(self) -> int:
        return sum(p.nobody_alarm for p in self.posts)

    @property
    def states(self) -> list[dict]:
        """The states present at this station, with their counts, in reading order."""
        counts = self.counts
        return [{"value": state.value, "label": state.label, "count": counts[state.value]}
                for state in sorted(PostState, key=_STATE_ORDER.get) if counts[state.value]]


@dataclass
class LiveBoard:
    day: datetime.date
    period: str
    now: datetime.datetime
    nobody_after_minutes: int
    posts: list[LivePost] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        """How many posts are in each state, every state present (zero included)."""
        return state_counts(self.posts)

    @property
    def nobody_there(self) -> list[LivePost]:
        """The posts to act on first: started at least `nobody_after_minutes` ago and
        nobody has checked in."""
        return [p for p in self.posts if p.nobody_alarm]

    @property
    def stations(self) -> list[LiveStation]:
        """The posts by station for the all-stations board: stations with problems first
        (the most alarms, then the most posts with nobody there, then the most short posts),
        and in each station its problem posts first. No query: the posts carry their
        station."""
        by_station: dict[int, LiveStation] = {}
        for post in self.posts:
            group = by_station.setdefault(post.shift.station_id, LiveStation(station=post.shift.station, posts=[]))
            group.posts.append(post)
        for group in by_station.values():
            group.posts.sort(key=_problems_first)  # stable: school and post order within a state
        return sorted(by_station.values(), key=lambda g: (
            -g.alarms, -g.counts[PostState.NOBODY], -g.counts[PostState.SHORT], g.station.name))


def post_state(*, starts_at: datetime.datetime, now: datetime.datetime, required: dict[str, int],
               present: dict[str, int]) -> str:
    """A post's state. Before the start: not started, whoever is already there. From the
    start: nobody there when nobody present; fully staffed when no kind of person is short
    of the post's staffing (so the total is met too); short otherwise."""
    if now < starts_at:
        return PostState.NOT_STARTED
    if not sum(present.values()):
        return PostState.NOBODY
    missing, _over = staffing_gap(required, present)
    return PostState.SHORT if missing else PostState.STAFFED


def live_board(
    *,
    user: User,
    station: Unit | None = None,
    day: datetime.date,
    period: str,
    now: datetime.datetime,
) -> LiveBoard:
    """Every active post with a scheduled shift on `day` in `period`, in the user's scope
    (one station, or all of the scope when `station` is None), with its state at `now`.

    A person is *there* once checked in, until he checks out before the end of the shift
    (then he withdrew early and is listed as gone). Present counts are taken per kind of
    person and compared with the post's staffing (see `post_state`). A post in the "nobody
    there" state for NOBODY_THERE_AFTER_MINUTES or more after its start raises the alarm.

    Two queries however many posts and people (plus the user's scope, cached per request):
    the shifts with their post and school, then their active assignments with person and
    check-in."""
    nobody_after = settings.NOBODY_THERE_AFTER_MINUTES
    shifts = (
        Shift.objects.visible_to(user).scheduled()
        .filter(date=day, period=period, post__active=True)
        .select_related("post__school", "station")
        .order_by("station__name", "post__school__name", "post__name", "pk")
    )
    if station is not None:
        shifts = shifts.filter(station=station)
    shifts = list(shifts)
    by_shift: dict[int, list[LivePerson]] = {s.pk: [] for s in shifts}
    if shifts:
        assignments = (
            Assignment.objects.filter(shift_id__in=list(by_shift), active=True)
            .select_related("person", "check_in")
            .order_by("person__kind", "person__name", "pk")
        )
        for a in assignments:
            check_in = getattr(a, "check_in", None)
            status = attendance_status(
                starts_at=a.starts_at, ends_at=a.ends_at, checked_in_at=a.checked_in_at,
                checked_out_at=a.checked_out_at, now=now, excused=a.attendance == AttendanceStatus.EXCUSED,
            )
            by_shift[a.shift_id].append(LivePerson(assignment=a, check_in=check_in, status=status))

    board = LiveBoard(day=day, period=period, now=now, nobody_after_minutes=nobody_after)
    for shift in shifts:
        people = by_shift[shift.pk]
        present = Counter(p.person.kind for p in people if p.is_there)
        required = shift.post.staffing
        state = post_state(starts_at=shift.starts_at, now=now, required=required, present=present)
        missing, _over = staffing_gap(required, present)
        started = (now - shift.starts_at) // datetime.timedelta(minutes=1)
        board.posts.append(LivePost(
            shift=shift,
            state=state,
            people=people,
            required={k: required.get(k, 0) for k in KINDS if required.get(k, 0)},
            present={k: present[k] for k in KINDS if present.get(k)},
            short=missing,
            nobody_alarm=state == PostState.NOBODY and started >= nobody_after,
            started_minutes=started,
        ))
    return board


@dataclass
class StationStates:
    """One station's posts of a peak counted by state, for a dashboard: no post, person or
    check-in is built (`live_state_counts`)."""

    station_id: int
    name: str
    counts: dict[str, int] = field(default_factory=lambda: {state.value: 0 for state in PostState})
    alarms: int = 0

    @property
    def posts(self) -> int:
        return sum(self.counts.values())


def live_state_counts(*, user: User, day: datetime.date, period: str, now: datetime.datetime,
                      stations: frozenset[int] | None = None) -> list[StationStates]:
    """The live board's states counted by station (the stations in `stations` only, when
    given), by the board's own rules (who is there: `there_q`, the rule `attendance_status` as
    a condition; the state: `post_state`) on counts read in two queries: what a dashboard
    shows of a province's peak without building its board. Stations by name."""
    nobody_after = settings.NOBODY_THERE_AFTER_MINUTES
    shifts = Shift.objects.visible_to(user).scheduled().filter(date=day, period=period, post__active=True)
    if stations is not None:
        shifts = shifts.filter(station_id__in=stations)
    needs = [f"post__need_{kind}" for kind in KINDS]
    rows = list(shifts.order_by().values_list("pk", "station_id", "station__name", "starts_at", *needs))
    present: dict[int, dict[str, int]] = {}
    if rows:
        # The shifts' conditions on the join (not `shift_id IN (subquery)`: for it PostgreSQL
        # scans every assignment there is); rows of shifts not read above are never looked up.
        people = Assignment.objects.filter(there_q(), active=True, shift__date=day, shift__period=period,
                                           shift__status=ShiftStatus.SCHEDULED, shift__post__active=True)
        if not scope_is_everywhere(user):
            people = people.filter(station_id__in=scope_unit_ids(user))
        if stations is not None:
            people = people.filter(station_id__in=stations)
        counted = people.order_by().values_list("shift_id", "person__kind").annotate(n=models.Count("pk"))
        for shift_id, kind, n in counted:
            present.setdefault(shift_id, {})[kind] = n
    by_station: dict[int, StationStates] = {}
    # Most posts of a peak share their start, their staffing and who is there: the rule is
    # applied once per distinct case.
    decided: dict[tuple, tuple[str, bool]] = {}
    for pk, station_id, name, starts_at, *need in rows:
        here = present.get(pk, {})
        case = (starts_at, tuple(need), tuple(sorted(here.items())))
        if case not in decided:
            state = post_state(starts_at=starts_at, now=now, required=dict(zip(KINDS, need, strict=True)),
                               present=here)
            started = (now - starts_at) // datetime.timedelta(minutes=1)
            decided[case] = (state, state == PostState.NOBODY and started >= nobody_after)
        state, alarm = decided[case]
        group = by_station.get(station_id)
        if group is None:
            group = by_station[station_id] = StationStates(station_id=station_id, name=name)
        group.counts[state] += 1
        group.alarms += alarm
    return sorted(by_station.values(), key=lambda group: group.name)


# -- the officer's shift now -----------------------------------------------------------------


@dataclass
class ShiftNow:
    """What the check-in page shows a person: the shift to check in to (or out of) today,
    when its check-in opens, and, when nothing is left today, the next shift."""

    current: PersonShift | None
    check_in: CheckIn | None
    opens_at: datetime.datetime | None
    next_shift: PersonShift | None
    now: datetime.datetime

    @property
    def is_open(self) -> bool:
        return self.current is not None and self.opens_at <= self.now < self.current.assignment.ends_at

    @property
    def seconds_to_open(self) -> int:
        if self.current is None or self.is_open:
            return 0
        return max(0, int((self.opens_at - self.now).total_seconds()) + 1)

    @property
    def is_excused(self) -> bool:
        return self.current is not None and self.current.assignment.attendance == AttendanceStatus.EXCUSED


def person_shift_now(*, person: Person, now: datetime.datetime) -> ShiftNow:
    """The person's shift that is running or comes next today and is not checked out yet;
    check-in for it opens CHECK_IN_OPENS_MINUTES before its start and closes at its end.
    With nothing left today, the next published shift of the coming two weeks. At most three
    queries."""
    today = timezone.localdate(now)
    items = person_shifts(person=person, start=today,
                          end=today + datetime.timedelta(days=MY_SHIFT_LOOKAHEAD_DAYS - 1))
    current = next(
        (i for i in items if i.shift.date == today and i.assignment.ends_at > now
         and i.assignment.checked_out_at is None),
        None,
    )
    if current is None:
        upcoming = next((i for i in items if i.assignment.starts_at > now), None)
        return ShiftNow(current=None, check_in=None, opens_at=None, next_shift=upcoming, now=now)
    opens_at = current.assignment.starts_at - datetime.timedelta(minutes=settings.CHECK_IN_OPENS_MINUTES)
    check_in = CheckIn.objects.filter(assignment=current.assignment).first()
    return ShiftNow(current=current, check_in=check_in, opens_at=opens_at, next_shift=None, now=now)
