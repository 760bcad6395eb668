"""Shift generation: "on-duty time follows the school's time" (上岗时间跟着学校时间走).

For every active post, school day and period, one shift whose window is the school's
timetable window for that weekday and date, opened earlier by the post's lead minutes.

Idempotent and atomic: the unique constraint on (post, date, period) and an
`INSERT … ON CONFLICT DO NOTHING` make a second run, or two runs at once, create each shift
once. A re-run after a timetable, term or calendar change re-times or cancels the future
shifts nobody has checked in to, restores cancelled ones that are wanted again, and never
touches a shift that has started.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import BigIntegerField, Exists, Func, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from core.outbox import outbox_enqueue_task

from duty.models import Assignment, GenerationRun, RosterWeek, Shift, ShiftStatus
from duty.services.availability import Availability, Booking, booking_label
from duty.services.notifications import notify_shift_changes
from duty.services.standing import standing_apply
from core.validation import require_end_after_start
from org.models import Unit, UnitKind, User
from org.scope import require_in_scope
from posts.calendar import SchoolCalendar, week_start
from posts.models import Period, Post, Timetable

MAX_DAYS = 400
INSERT_BATCH = 1000  # rows per INSERT … VALUES statement (SQLite)
ARRAY_BATCH = 20000  # rows per INSERT … SELECT FROM unnest(…) statement (PostgreSQL)
PERIODS = (Period.AM, Period.PM)


@dataclass
class GenerationResult:
    created: int = 0
    existing: int = 0
    retimed: int = 0
    cancelled: int = 0
    restored: int = 0
    left: int = 0
    standing_assigned: int = 0
    guessed_days: int = 0
    # Shifts wanted by the timetables but not created because they had already started when
    # asked for (a range in the past creates nothing; this says why).
    skipped_past: int = 0
    standing_skipped: list[str] = field(default_factory=list)
    run_id: int | None = None

    def as_dict(self) -> dict:
        return asdict(self)


class EpochSeconds(Func):
    """Whole seconds since 1970 of a timestamptz column (PostgreSQL)."""

    template = "EXTRACT(EPOCH FROM %(expressions)s)::bigint"
    output_field = BigIntegerField()


def _epoch(moment: datetime.datetime) -> int:
    return int(moment.timestamp())


def _posts_for(unit: Unit | None, user: User | None, post_ids=None) -> list[tuple[int, int, int, int, str]]:
    posts = Post.objects.filter(active=True)
    if user is not None:
        posts = posts.visible_to(user)
    if unit is not None:
        posts = posts.filter(station_id__in=unit.subtree_ids())
    if post_ids is not None:
        posts = posts.filter(pk__in=post_ids)
    return list(posts.values_list("id", "school_id", "station_id", "lead_minutes", "name"))


class _Timetables:
    """The timetables of some schools, answering "which window on this date and weekday"."""

    def __init__(self, school_ids, start: datetime.date, end: datetime.date):
        self.rows: dict[tuple[int, str], list[tuple[int, datetime.time, datetime.time, datetime.date, datetime.date | None]]]
        self.rows = defaultdict(list)
        queryset = Timetable.objects.filter(school_id__in=school_ids, valid_from__lte=end).exclude(valid_to__lt=start)
        for school_id, period, mask, t_start, t_end, v_from, v_to in queryset.values_list(
            "school_id", "period", "weekdays", "start", "end", "valid_from", "valid_to"
        ):
            self.rows[(school_id, period)].append((mask, t_start, t_end, v_from, v_to))

    def window(self, school_id: int, period: str, day: datetime.date, weekday: int):
        bit = 1 << weekday
        for mask, t_start, t_end, v_from, v_to in self.rows.get((school_id, period), ()):
            if mask & bit and v_from <= day and (v_to is None or day <= v_to):
                return t_start, t_end
        return None


def _desired_shifts(posts, start, end) -> tuple[dict, int]:
    """(post_id, date, period) -> (starts_at, ends_at, guess, station_id) for every shift
    the calendar and timetables ask for."""
    tz = ZoneInfo(settings.TIME_ZONE)
    school_ids = {school_id for _pid, school_id, *_ in posts}
    calendar = SchoolCalendar(start, end, school_ids)
    timetables = _Timetables(school_ids, start, end)
    posts_by_school: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for post_id, school_id, station_id, lead, _name in posts:
        posts_by_school[school_id].append((post_id, station_id, lead))
    desired = {}
    guessed_days = set()
    for day in calendar.dates():
        for school_id, school_posts in posts_by_school.items():
            info = calendar.day(school_id, day)
            if not info.is_school_day:
                continue
            if info.guess:
                guessed_days.add(day)
            for period in PERIODS:
                window = timetables.window(school_id, period, day, info.weekday)
                if window is None:
                    continue
                opens = datetime.datetime.combine(day, window[0], tzinfo=tz)
                closes = datetime.datetime.combine(day, window[1], tzinfo=tz)
                for post_id, station_id, lead in school_posts:
                    desired[(post_id, day, period)] = (
                        opens - datetime.timedelta(minutes=lead), closes, info.guess, station_id)
    return desired, len(guessed_days)


def _insert_shifts(rows: list[tuple]) -> list[tuple[int, int, datetime.date, str]]:
    """INSERT … ON CONFLICT DO NOTHING RETURNING, in batches: the rows another run inserted
    first are skipped by the database, and we learn exactly which ones we created."""
    if not rows:
        return []
    if connection.vendor == "postgresql":
        return _insert_shifts_unnest(rows)
    ops = connection.ops
    table = Shift._meta.db_table
    columns = ["post_id", "station_id", "date", "period", "starts_at", "ends_at", "status", "published",
               "calendar_guess", "created_at", "updated_at"]
    now = ops.adapt_datetimefield_value(timezone.now())
    created = []
    with connection.cursor() as cursor:
        for i in range(0, len(rows), INSERT_BATCH):
            batch = rows[i : i + INSERT_BATCH]
            params = []
            for post_id, station_id, day, period, starts_at, ends_at, published, guess in batch:
                params += [
                    post_id, station_id, ops.adapt_datefield_value(day), period,
                    ops.adapt_datetimefield_value(starts_at), ops.adapt_datetimefield_value(ends_at),
                    ShiftStatus.SCHEDULED, published, guess, now, now,
                ]
            placeholders = ", ".join(["(" + ", ".join(["%s"] * len(columns)) + ")"] * len(batch))
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES {placeholders} "
                f"ON CONFLICT (post_id, date, period) DO NOTHING RETURNING id, post_id, date, period",
                params,
            )
            for pk, post_id, day, period in cursor.fetchall():
                if isinstance(day, str):  # SQLite returns dates as text
                    day = datetime.date.fromisoformat(day)
                created.append((pk, post_id, day, period))
    return created


def _array_literal(values) -> str:
    """A PostgreSQL array literal of values whose text needs no quoting (ids, ISO dates and
    datetimes, "am"/"pm", "t"/"f"): one string parameter instead of an array psycopg would
    quote element by element."""
    return "{" + ",".join(values) + "}"


def _insert_shifts_unnest(rows: list[tuple]) -> list[tuple[int, int, datetime.date, str]]:
    """The same insert on PostgreSQL with one array per column: a statement has eleven
    parameters however many rows it carries. (A VALUES list has eleven placeholders per
    row, and psycopg's parsing of those cost more than the insert itself.)"""
    now = timezone.now()
    sql = (
        f"INSERT INTO {Shift._meta.db_table} (post_id, station_id, date, period, starts_at, ends_at, status, "
        "published, calendar_guess, created_at, updated_at) "
        "SELECT r.post_id, r.station_id, r.day, r.period, r.starts_at, r.ends_at, %s, r.published, r.guess, "
        "%s, %s "
        "FROM unnest(%s::bigint[], %s::bigint[], %s::date[], %s::varchar[], %s::timestamptz[], "
        "%s::timestamptz[], %s::boolean[], %s::boolean[]) "
        "AS r(post_id, station_id, day, period, starts_at, ends_at, published, guess) "
        "ON CONFLICT (post_id, date, period) DO NOTHING RETURNING id, post_id, date, period"
    )
    created = []
    with connection.cursor() as cursor:
        for i in range(0, len(rows), ARRAY_BATCH):
            batch = rows[i : i + ARRAY_BATCH]
            post_ids, station_ids, days, periods, starts, ends, published, guesses = zip(*batch)
            columns = [
                _array_literal(map(str, post_ids)), _array_literal(map(str, station_ids)),
                _array_literal(d.isoformat() for d in days), _array_literal(periods),
                _array_literal(t.isoformat() for t in starts), _array_literal(t.isoformat() for t in ends),
                _array_literal("t" if flag else "f" for flag in published),
                _array_literal("t" if flag else "f" for flag in guesses),
            ]
            cursor.execute(sql, [str(ShiftStatus.SCHEDULED), now, now, *columns])
            created += cursor.fetchall()
    return created


def shift_generate_check(*, start: datetime.date, end: datetime.date, unit: Unit | None, user: User | None) -> None:
    """The request's own rules (a range in order and not too long, a unit in the user's
    scope): checked by shift_generate, and before a generation is queued, so a bad range
    answers 400 at once instead of failing later in the worker."""
    require_end_after_start(start=start, end=end, end_field="end")
    if (end - start).days >= MAX_DAYS:
        raise ValidationError({"end": _("Generate at most %(days)d days at once.") % {"days": MAX_DAYS}})
    if unit is not None:
        require_in_scope(user, unit.pk, field="unit", message=_("This unit is not in your scope."))


def shift_generate(
    *,
    start: datetime.date,
    end: datetime.date,
    unit: Unit | None = None,
    user: User | None = None,
    post_ids=None,
    progress: Callable[[str, int, int], None] | None = None,
    allow_past: bool = False,
) -> GenerationResult:
    """Create, re-time, cancel or restore the shifts of `unit` (or of everything the user
    may see, or of everything) from `start` to `end`, and apply standing assignments to the
    shifts it creates. Returns what it did; records the run.

    `allow_past` also creates shifts that have already started (loading history, the demo);
    it never changes an existing one that has started."""
    shift_generate_check(start=start, end=end, unit=unit, user=user)
    report = progress or (lambda stage, done, total: None)

    posts = _posts_for(unit, user, post_ids)
    if not posts:
        return GenerationResult()
    report("calendar", 0, len(posts))
    desired, guessed_days = _desired_shifts(posts, start, end)
    now = timezone.now()
    result = GenerationResult(guessed_days=guessed_days)
    post_ids = [p[0] for p in posts]

    with transaction.atomic():
        published_weeks = set(
            RosterWeek.objects.filter(
                station_id__in={p[2] for p in posts}, week_start__gte=week_start(start), week_start__lte=end,
                published_at__isnull=False,
            ).values_list("station_id", "week_start")
        )
        checked_in = Assignment.objects.filter(shift=OuterRef("pk"), checked_in_at__isnull=False)
        existing = (
            Shift.objects.filter(post_id__in=post_ids, date__range=(start, end))
            .annotate(checked_in=Exists(checked_in))
        )
        if connection.vendor == "postgresql":
            # Whole seconds compare as well as datetimes (windows are whole minutes) and
            # load far faster: a re-run reads every shift of the range.
            existing = existing.annotate(s=EpochSeconds("starts_at"), e=EpochSeconds("ends_at"))
            columns, seconds = ("s", "e"), int
        else:
            columns, seconds = ("starts_at", "ends_at"), _epoch
        existing = existing.values_list("id", "post_id", "date", "period", *columns, "status", "checked_in")
        now_s = _epoch(now)
        retime, cancel, restore = [], [], []
        for pk, post_id, day, period, starts_at, ends_at, status, has_check_in in existing.iterator(chunk_size=5000):
            starts_s, ends_s = seconds(starts_at), seconds(ends_at)
            want = desired.pop((post_id, day, period), None)
            if starts_s <= now_s or has_check_in:
                result.left += 1
                continue
            if want is None:
                if status == ShiftStatus.SCHEDULED:
                    cancel.append(pk)
                else:
                    result.existing += 1
                continue
            new_start, new_end = want[0], want[1]
            if status == ShiftStatus.CANCELLED:
                restore.append((pk, new_start, new_end))
            elif (starts_s, ends_s) != (_epoch(new_start), _epoch(new_end)):
                retime.append((pk, new_start, new_end))
            else:
                result.existing += 1

        # Shifts already in the past when asked for are not created after the fact.
        to_insert = [
            (post_id, station_id, day, period, s, e, (station_id, week_start(day)) in published_weeks, guess)
            for (post_id, day, period), (s, e, guess, station_id) in desired.items()
            if allow_past or s > now
        ]
        result.skipped_past = len(desired) - len(to_insert)
        report("insert", 0, len(to_insert))
        created = _insert_shifts(to_insert)
        result.created = len(created)

        _refuse_overlaps_after_retiming(retime + restore)
        try:
            with transaction.atomic():
                _apply_windows(retime + restore, restore_ids=[pk for pk, *_ in restore])
        except IntegrityError:  # PostgreSQL's constraint: someone booked meanwhile
            raise ValidationError(
                _("Re-timing would put someone on two overlapping shifts; move that person first, then generate again.")
            ) from None
        result.retimed, result.restored = len(retime), len(restore)
        if cancel:
            Shift.objects.filter(pk__in=cancel).update(status=ShiftStatus.CANCELLED, updated_at=now)
            Assignment.objects.filter(shift_id__in=cancel).update(active=False)
        result.cancelled = len(cancel)

        report("standing", 0, len(created))
        _apply_standing_assignments(created, start, end, result, user)

        changed = [pk for pk, *_ in retime] + cancel + [pk for pk, *_ in restore]
        if changed:
            notify_shift_changes(shift_ids=changed, cancelled_ids=set(cancel))

        run = GenerationRun.objects.create(
            requested_by=user, unit=unit, start=start, end=end, finished_at=timezone.now(),
            **{k: v for k, v in result.as_dict().items() if k not in {"standing_skipped", "run_id", "skipped_past"}},
        )
        result.run_id = run.pk
    report("done", 1, 1)
    return result


def _refuse_overlaps_after_retiming(changes) -> None:
    """The assignment rules hold after re-timing too: nobody may end up on two overlapping
    shifts (checked here on every database; PostgreSQL's constraint is the backstop). The
    message names the person and both shifts, so the dispatcher knows whom to move."""
    if not changes:
        return
    windows = {pk: (s, e) for pk, s, e in changes}
    moved = list(
        Assignment.objects.filter(shift_id__in=windows).select_related("person", "shift__post__school")
    )
    if not moved:
        return
    span_start = min(s for s, _e in windows.values())
    span_end = max(e for _s, e in windows.values())
    availability = Availability({a.person_id for a in moved}, span_start, span_end)
    labels = {a.shift_id: str(a.shift.post) for a in moved}
    for person_id, bookings in availability.bookings.items():
        availability.bookings[person_id] = [
            Booking(b.shift_id, *windows[b.shift_id], booking_label(labels.get(b.shift_id, ""), *windows[b.shift_id]))
            if b.shift_id in windows else b
            for b in bookings
        ]
    for a in moved:
        starts_at, ends_at = windows[a.shift_id]
        other = availability.conflict(a.person_id, a.shift_id, starts_at, ends_at)
        if other is not None:
            raise ValidationError(_(
                "After re-timing, %(name)s would be on %(shift)s and on %(other)s at once; move %(name)s "
                "first, then generate again."
            ) % {"name": a.person.name, "shift": booking_label(str(a.shift.post), starts_at, ends_at),
                 "other": other.label})
        # Count the re-timed booking for the people checked after this one.
        availability.bookings[a.person_id] = [
            b for b in availability.bookings[a.person_id] if b.shift_id != a.shift_id
        ] + [Booking(a.shift_id, starts_at, ends_at, booking_label(str(a.shift.post), starts_at, ends_at))]


def _apply_windows(changes, *, restore_ids) -> None:
    """Give shifts their new windows, and their assignments the same windows."""
    if not changes:
        return
    shifts = []
    for pk, new_start, new_end in changes:
        shift = Shift(pk=pk, starts_at=new_start, ends_at=new_end, status=ShiftStatus.SCHEDULED,
                      updated_at=timezone.now())
        shifts.append(shift)
    Shift.objects.bulk_update(shifts, ["starts_at", "ends_at", "status", "updated_at"], batch_size=500)
    windows = {pk: (s, e) for pk, s, e in changes}
    assignments = list(Assignment.objects.filter(shift_id__in=windows).only("id", "shift_id"))
    for assignment in assignments:
        assignment.starts_at, assignment.ends_at = windows[assignment.shift_id]
        assignment.active = True
    Assignment.objects.bulk_update(assignments, ["starts_at", "ends_at", "active"], batch_size=500)


def _apply_standing_assignments(created, start, end, result: GenerationResult, user) -> None:
    """Put the people of matching standing assignments on the shifts just created."""
    applied = standing_apply(shifts=created, start=start, end=end, user=user)
    result.standing_assigned = len(applied.assigned)
    result.standing_skipped.extend(applied.skipped)


# The Celery task that runs shift_generate (duty.tasks.generate_shifts), named here so the
# service can queue it through the outbox without importing the task module.
GENERATE_TASK = "duty.generate_shifts"


def shift_generate_later(*, start: datetime.date, end: datetime.date, unit_id: int | None = None,
                         user_id: int | None = None) -> str:
    """Queue one generation through the outbox (in the caller's transaction) and return the
    id it will run under, for the roster page to poll."""
    row = outbox_enqueue_task(name=GENERATE_TASK, kwargs={
        "start": start.isoformat(), "end": end.isoformat(), "unit_id": unit_id, "user_id": user_id,
    })
    return str(row.task_id)


def shift_generate_upcoming(*, days: int | None = None) -> list[str]:
    """The nightly run: the coming days for every station, one queued generation per station
    so that several workers share the work."""
    days = days or settings.ROSTER_GENERATE_DAYS_AHEAD
    start = timezone.localdate()
    end = start + datetime.timedelta(days=days - 1)
    units = Unit.objects.filter(kind__in=[UnitKind.STATION, UnitKind.TEAM]).values_list("pk", flat=True)
    with transaction.atomic():
        return [shift_generate_later(start=start, end=end, unit_id=unit_id) for unit_id in units]
