"""The school calendar: is a date a school day for a school, and whose weekday's timetable
applies? One place decides it, for shift generation, the pages and the API alike.

Precedence, most specific first:
1. a calendar override for the school, then one for every school (exam day, closure,
   a Saturday make-up class);
2. the term: no school outside the school's own terms, or the district-wide terms if the
   school has none of its own;
3. the public-holiday rows: a holiday is off; a make-up working day on a weekend is on and
   follows Monday's timetable;
4. the weekday rule: Monday to Friday on, weekends off. In a year with no holiday rows this
   rule is a guess, and the answer says so.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext as _

from posts.models import CalendarOverride, Holiday, HolidayYear, Term

MONDAY = 1


def week_start(day: datetime.date) -> datetime.date:
    """The Monday of the day's week (the roster's week starts on Monday)."""
    return day - datetime.timedelta(days=day.weekday())


@dataclass(frozen=True)
class SchoolDay:
    date: datetime.date
    is_school_day: bool
    weekday: int  # the ISO weekday whose timetable applies
    guess: bool  # decided by the weekday rule in a year without holiday rows
    reason: str


class SchoolCalendar:
    """Answers `day(school_id, date)` for many schools and dates after loading the range's
    terms, overrides and holidays in five queries."""

    def __init__(self, start: datetime.date, end: datetime.date, school_ids=None):
        self.start, self.end = start, end
        terms = Term.objects.filter(start__lte=end, end__gte=start)
        overrides = CalendarOverride.objects.filter(date__range=(start, end))
        own_terms = Term.objects.filter(school__isnull=False)
        if school_ids is not None:
            school_ids = list(school_ids)
            terms = terms.filter(school_id__in=school_ids) | terms.filter(school__isnull=True)
            overrides = overrides.filter(school_id__in=school_ids) | overrides.filter(school__isnull=True)
            own_terms = own_terms.filter(school_id__in=school_ids)
        # Whether a school keeps terms of its own is decided over all its terms, not only those
        # touching this range: otherwise a date after the school's term would fall back to the
        # district term, and the answer would depend on which dates were asked for together.
        self.schools_with_terms = set(own_terms.values_list("school_id", flat=True).distinct())
        self.terms: dict[int | None, list[tuple[datetime.date, datetime.date]]] = defaultdict(list)
        for school_id, t_start, t_end in terms.values_list("school_id", "start", "end"):
            self.terms[school_id].append((t_start, t_end))
        self.overrides: dict[tuple[int | None, datetime.date], tuple[bool, int | None, str]] = {
            (school_id, day): (on, follows, reason)
            for school_id, day, on, follows, reason in overrides.values_list(
                "school_id", "date", "is_school_day", "follows_weekday", "reason"
            )
        }
        self.holidays: dict[datetime.date, tuple[str, str]] = {
            day: (kind, name)
            for day, kind, name in Holiday.objects.filter(date__range=(start, end)).values_list("date", "kind", "name")
        }
        self.known_years = set(
            HolidayYear.objects.filter(year__range=(start.year, end.year)).values_list("year", flat=True)
        )
        # A school with neither terms nor overrides of its own keeps the district's calendar:
        # decided once per date, however many such schools ask.
        self.schools_with_own_days = self.schools_with_terms | {
            school_id for school_id, _date in self.overrides if school_id is not None
        }
        self._district_days: dict[datetime.date, SchoolDay] = {}

    def in_term(self, school_id: int | None, day: datetime.date) -> bool:
        if school_id is not None and school_id in self.schools_with_terms:
            spans = self.terms.get(school_id, [])
        else:
            spans = self.terms.get(None, [])
        return any(t_start <= day <= t_end for t_start, t_end in spans)

    def day(self, school_id: int | None, day: datetime.date) -> SchoolDay:
        if school_id is not None and school_id in self.schools_with_own_days:
            return self._decide(school_id, day)
        answer = self._district_days.get(day)
        if answer is None:
            answer = self._district_days[day] = self._decide(None, day)
        return answer

    def _decide(self, school_id: int | None, day: datetime.date) -> SchoolDay:
        iso = day.isoweekday()
        override = self.overrides.get((school_id, day)) if school_id is not None else None
        if override is None:
            override = self.overrides.get((None, day))
        if override is not None:
            on, follows, reason = override
            weekday = follows or (iso if iso <= 5 else MONDAY)
            return SchoolDay(day, on, weekday, False, reason)
        if not self.in_term(school_id, day):
            return SchoolDay(day, False, iso, False, _("Outside the term"))
        holiday = self.holidays.get(day)
        if holiday is not None:
            kind, name = holiday
            if kind == Holiday.Kind.OFF:
                return SchoolDay(day, False, iso, False, name or _("Public holiday"))
            return SchoolDay(day, True, iso if iso <= 5 else MONDAY, False, name or _("Make-up working day"))
        guess = day.year not in self.known_years
        if iso >= 6:
            return SchoolDay(day, False, iso, guess, _("Weekend"))
        return SchoolDay(day, True, iso, guess, "")

    def dates(self):
        day = self.start
        while day <= self.end:
            yield day
            day += datetime.timedelta(days=1)


def school_day(school_id: int | None, day: datetime.date) -> SchoolDay:
    """One date for one school (or for every school when school_id is None)."""
    return SchoolCalendar(day, day, None if school_id is None else [school_id]).day(school_id, day)
