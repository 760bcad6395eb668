"""Kept counts of closed days: a DayTally row per station and day with the person-times
deployed and the attendance of that day's assignments, so the figures of a term (the
dashboard, stats/summary, the work briefing) add up a row per station and day instead of
counting millions of assignments (benchmarks/dashboard_scale.py).

The rule that keeps them true:

- a day is tallied (TalliedDay) once it is closed: it is over and every active assignment
  of its scheduled shifts has been closed by attendance.services.close_ended_shifts, which
  tallies the days it finds closed (`tally_closed_days`) after each run;
- whatever changes an assignment of a day already tallied counts that day again in the same
  transaction (`retally`): taking someone off or moving him, an excuse, a late check-out,
  re-generating shifts, a person's kind (police, auxiliary) changing, an edit in the admin;
- what reads them (attendance.selectors.counts.Scope) adds the tallies of the tallied days
  of a range to a fresh count of the others (today, and any day not closed yet), so a
  figure is the same whichever days are tallied;
- `manage.py tally_days --check` recounts every tallied day and names any row that differs
  (tests/duty/test_tallies.py holds each write path to it); every night `duty.check_tallies`
  recounts the last TALLY_CHECK_DAYS tallied days and counts again any that differ (a change
  that raced the tallying of its day: the count does not wait for an uncommitted row).
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Min
from django.utils import timezone

from duty.counting import ATTENDANCE_COUNTS, STOOD, attendance_counts, decided_q
from duty.models import Assignment, DayTally, Shift, ShiftStatus, TalliedDay

__all__ = ["COUNTED", "day_counts", "retally", "retally_person", "tally_check", "tally_closed_days", "tally_days",
           "tally_mend"]

logger = logging.getLogger(__name__)


def counted(now: datetime.datetime) -> dict:
    """The columns of DayTally as aggregates over a day's active assignments, by the figures'
    own rules (duty.counting); on a closed day every shift has ended by `now`."""
    return {"stood": Count("pk", filter=STOOD), **attendance_counts(decided_q(now))}


# DayTally's counted columns, in order.
COUNTED = ("stood", *ATTENDANCE_COUNTS)

# How many days one transaction tallies at most (a province's day is about 45,000 assignments).
DAYS_PER_TRANSACTION = 7


def day_counts(dates: Iterable[datetime.date], stations: Iterable[int] | None = None) -> list[DayTally]:
    """The tallies of these days (at these stations when given) counted afresh from the
    assignments: one unsaved DayTally per station and day that has active assignments."""
    assignments = Assignment.objects.filter(active=True, shift__date__in=list(dates))
    if stations is not None:
        assignments = assignments.filter(station_id__in=list(stations))
    rows = assignments.order_by().values("station_id", "shift__date").annotate(**counted(timezone.now()))
    return [DayTally(station_id=row.pop("station_id"), date=row.pop("shift__date"), **row) for row in rows]


def _write(dates: list[datetime.date], stations: list[int] | None) -> None:
    stale = DayTally.objects.filter(date__in=dates)
    if stations is not None:
        stale = stale.filter(station_id__in=stations)
    stale.delete()
    DayTally.objects.bulk_create(day_counts(dates, stations), batch_size=2000)


def tally_days(dates: Iterable[datetime.date], *, now: datetime.datetime | None = None) -> int:
    """Count these days afresh and mark them tallied (whether or not they were). For days
    that are closed only: `tally_closed_days` decides which. Returns the rows written."""
    now = now or timezone.now()
    dates = sorted(set(dates))
    written = 0
    for i in range(0, len(dates), DAYS_PER_TRANSACTION):
        chunk = dates[i:i + DAYS_PER_TRANSACTION]
        with transaction.atomic():
            # The days' rows first: a retally of one of them waits here until these commit.
            TalliedDay.objects.bulk_create([TalliedDay(date=d, tallied_at=now) for d in chunk],
                                           update_conflicts=True, unique_fields=["date"], update_fields=["tallied_at"])
            list(TalliedDay.objects.select_for_update().filter(date__in=chunk).order_by("date"))
            _write(chunk, None)
            written += DayTally.objects.filter(date__in=chunk).count()
    return written


def tally_closed_days(*, now: datetime.datetime | None = None) -> list[datetime.date]:
    """Tally every day before today, from the first shift on, that is not tallied yet and
    is closed: no active assignment of a scheduled shift of it is still open. Returns the
    days it tallied. Cheap when there is nothing to do: two small queries."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    first = Shift.objects.aggregate(first=Min("date"))["first"]
    if first is None or first >= today:
        return []
    done = set(TalliedDay.objects.filter(date__gte=first, date__lt=today).values_list("date", flat=True))
    days = [first + datetime.timedelta(days=n) for n in range((today - first).days)]
    candidates = [d for d in days if d not in done]
    if not candidates:
        return []
    still_open = set(
        Assignment.objects.filter(shift__date__in=candidates, active=True, closed_at__isnull=True,
                                  shift__status=ShiftStatus.SCHEDULED)
        .order_by().values_list("shift__date", flat=True).distinct()
    )
    closed = [d for d in candidates if d not in still_open]
    tally_days(closed, now=now)
    return closed


def retally(*, dates: Iterable[datetime.date], stations: Iterable[int] | None = None) -> None:
    """After a change to assignments of these days (at these stations, when given): count
    again those of the days already tallied. Call it inside the transaction of the change;
    it locks the days' TalliedDay rows, so two changes to one day count it one after the
    other. Days from today on are never tallied: no query for them."""
    today = timezone.localdate()
    dates = sorted({d for d in dates if d is not None and d < today})
    if not dates:
        return
    with transaction.atomic():
        tallied = list(TalliedDay.objects.select_for_update().filter(date__in=dates)
                       .order_by("date").values_list("date", flat=True))
        if tallied:
            _write(tallied, None if stations is None else sorted(set(stations)))


def retally_person(person_id: int) -> None:
    """After a person changed (his kind decides whether he counts in the person-times): the
    tallied days he has assignments on, at their stations."""
    rows = (Assignment.objects.filter(person_id=person_id, active=True,
                                      shift__date__in=TalliedDay.objects.values("date"))
            .order_by().values_list("shift__date", "station_id").distinct())
    rows = list(rows)
    if rows:
        retally(dates={d for d, _s in rows}, stations={s for _d, s in rows})


def _differences(dates: Iterable[datetime.date]) -> list[tuple[datetime.date, int, dict, dict]]:
    """(day, station, kept, counted) for each station and day whose kept row differs from a
    fresh count of these days (a missing row as {})."""
    dates = sorted(dates)
    fields = list(COUNTED)
    found = []
    for i in range(0, len(dates), DAYS_PER_TRANSACTION):
        chunk = dates[i:i + DAYS_PER_TRANSACTION]
        fresh = {(t.date, t.station_id): {f: getattr(t, f) for f in fields} for t in day_counts(chunk)}
        kept = {(t.date, t.station_id): {f: getattr(t, f) for f in fields} for t in DayTally.objects.filter(date__in=chunk)}
        found += [(day, station, kept.get((day, station), {}), fresh.get((day, station), {}))
                  for day, station in sorted(fresh.keys() | kept.keys())
                  if fresh.get((day, station)) != kept.get((day, station))]
    return found


def tally_check(dates: Iterable[datetime.date] | None = None) -> list[str]:
    """Every tallied day (or these) counted afresh and compared with its rows: one line per
    station and day that differs, none when the tallies are true."""
    if dates is None:
        dates = TalliedDay.objects.values_list("date", flat=True)
    return [f"{day} station {station}: kept {kept}, counted {counted}"
            for day, station, kept, counted in _differences(dates)]


def tally_mend(*, days: int | None = None, now: datetime.datetime | None = None) -> list[datetime.date]:
    """The nightly check: the tallied days of the last `days` (TALLY_CHECK_DAYS) counted
    afresh; those whose rows differ are counted again, logged as a warning. Returns them."""
    days = settings.TALLY_CHECK_DAYS if days is None else days
    today = timezone.localdate(now or timezone.now())
    recent = list(TalliedDay.objects.filter(date__gte=today - datetime.timedelta(days=days), date__lt=today)
                  .values_list("date", flat=True))
    stale = sorted({day for day, _station, _kept, _counted in _differences(recent)})
    if stale:
        logger.warning("kept duty counts differed from a fresh count on %s; counted again", stale)
        for day in stale:
            retally(dates=[day])
    return stale
