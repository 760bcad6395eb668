"""The school calendar: which dates are school days for a school, and whose weekday's
timetable applies. Precedence (posts/calendar.py): a school's override, then a district-wide
override; the term (the school's own terms, else the district's); the public-holiday rows;
the weekday rule, which is a guess in a year without holiday rows."""

import datetime

import pytest

from posts.calendar import SchoolCalendar, school_day
from posts.models import Holiday, HolidayYear
from tests.factories import CalendarOverrideFactory, SchoolFactory, TermFactory

D = datetime.date
MONDAY, WEDNESDAY = 1, 3


@pytest.fixture
def schools(db):
    """Two schools of one district, in the district-wide autumn term 2026-09-01 .. 2027-01-20."""
    TermFactory(school=None, name="2026-2027学年第一学期", start=D(2026, 9, 1), end=D(2027, 1, 20))
    return SchoolFactory(name="圣莲岛小学"), SchoolFactory(name="凯旋路小学")


def test_the_holiday_rows_come_from_chinesecalendar_for_2004_to_2026(db):
    years = set(HolidayYear.objects.values_list("year", flat=True))
    assert {2004, 2025, 2026} <= years
    assert 2027 not in years
    assert Holiday.objects.get(date=D(2026, 10, 1)).kind == Holiday.Kind.OFF
    assert Holiday.objects.get(date=D(2026, 10, 10)).kind == Holiday.Kind.WORKDAY


def test_national_day_2026_is_off(schools):
    school, _ = schools
    for offset in range(7):
        day = school_day(school.pk, D(2026, 10, 1) + datetime.timedelta(days=offset))
        assert not day.is_school_day, day
        assert not day.guess
        assert day.reason == "国庆节"
    assert school_day(school.pk, D(2026, 10, 8)).is_school_day


def test_the_make_up_saturday_after_national_day_is_a_school_day_on_mondays_timetable(schools):
    school, _ = schools
    saturday = school_day(school.pk, D(2026, 10, 10))
    assert saturday.date.isoweekday() == 6
    assert saturday.is_school_day
    assert saturday.weekday == MONDAY
    assert not saturday.guess


def test_an_ordinary_weekend_is_off_and_a_weekday_is_on_its_own_timetable(schools):
    school, _ = schools
    assert not school_day(school.pk, D(2026, 10, 17)).is_school_day
    thursday = school_day(school.pk, D(2026, 10, 15))
    assert thursday.is_school_day and thursday.weekday == 4 and not thursday.guess


def test_a_date_in_a_year_without_holiday_rows_is_flagged_as_a_guess(schools):
    school, _ = schools
    day = school_day(school.pk, D(2027, 1, 5))  # a Tuesday in the term; chinesecalendar stops at 2026
    assert day.is_school_day
    assert day.guess
    weekend = school_day(school.pk, D(2027, 1, 9))
    assert not weekend.is_school_day and weekend.guess
    assert not school_day(school.pk, D(2026, 12, 29)).guess


def test_a_year_entered_by_an_administrator_is_no_longer_a_guess(schools):
    school, _ = schools
    year = HolidayYear.objects.create(year=2027, source=HolidayYear.Source.MANUAL)
    Holiday.objects.create(date=D(2027, 1, 1), kind=Holiday.Kind.OFF, name="元旦", year=year)
    assert not school_day(school.pk, D(2027, 1, 5)).guess
    new_year = school_day(school.pk, D(2027, 1, 1))
    assert not new_year.is_school_day and new_year.reason == "元旦" and not new_year.guess


def test_a_term_break_is_off(db):
    school = SchoolFactory()
    TermFactory(school=None, name="2025-2026学年第二学期", start=D(2026, 2, 24), end=D(2026, 7, 10))
    TermFactory(school=None, name="2026-2027学年第一学期", start=D(2026, 9, 1), end=D(2027, 1, 20))
    summer = school_day(school.pk, D(2026, 8, 20))  # a Thursday of the summer holidays
    assert not summer.is_school_day
    assert not summer.guess
    assert school_day(school.pk, D(2026, 7, 10)).is_school_day
    assert school_day(school.pk, D(2026, 9, 1)).is_school_day


def test_a_school_override_takes_a_school_day_off_for_that_school_only(schools):
    school, other = schools
    CalendarOverrideFactory(school=school, date=D(2026, 11, 20), is_school_day=False, reason="期末考试")
    exam = school_day(school.pk, D(2026, 11, 20))
    assert not exam.is_school_day
    assert exam.reason == "期末考试"
    assert school_day(other.pk, D(2026, 11, 20)).is_school_day


def test_a_saturday_make_up_class_follows_the_weekday_it_names(schools):
    school, other = schools
    CalendarOverrideFactory(school=school, date=D(2026, 11, 21), is_school_day=True, follows_weekday=WEDNESDAY,
                            reason="周六补课")
    saturday = school_day(school.pk, D(2026, 11, 21))
    assert saturday.is_school_day
    assert saturday.weekday == WEDNESDAY
    assert saturday.reason == "周六补课"
    assert not school_day(other.pk, D(2026, 11, 21)).is_school_day


def test_a_weekend_make_up_class_without_a_named_weekday_follows_monday(schools):
    school, _ = schools
    CalendarOverrideFactory(school=school, date=D(2026, 11, 22), is_school_day=True, follows_weekday=None,
                            reason="周日补课")
    assert school_day(school.pk, D(2026, 11, 22)).weekday == MONDAY


def test_a_school_override_beats_the_public_holiday(schools):
    school, _ = schools
    CalendarOverrideFactory(school=school, date=D(2026, 10, 7), is_school_day=True, follows_weekday=WEDNESDAY,
                            reason="高三返校")
    assert school_day(school.pk, D(2026, 10, 7)).is_school_day


def test_a_district_wide_override_applies_to_every_school(schools):
    school, other = schools
    CalendarOverrideFactory(school=None, date=D(2026, 11, 23), is_school_day=False, reason="全区停课（暴雨）")
    for each in (school, other):
        day = school_day(each.pk, D(2026, 11, 23))
        assert not day.is_school_day
        assert day.reason == "全区停课（暴雨）"
    assert not school_day(None, D(2026, 11, 23)).is_school_day


def test_a_school_override_beats_a_district_wide_one(schools):
    school, other = schools
    CalendarOverrideFactory(school=None, date=D(2026, 11, 23), is_school_day=False, reason="全区停课（暴雨）")
    CalendarOverrideFactory(school=school, date=D(2026, 11, 23), is_school_day=True, reason="毕业班照常上课")
    assert school_day(school.pk, D(2026, 11, 23)).is_school_day
    assert not school_day(other.pk, D(2026, 11, 23)).is_school_day
    calendar = SchoolCalendar(D(2026, 11, 16), D(2026, 11, 29), [school.pk, other.pk])
    assert not calendar.day(other.pk, D(2026, 11, 23)).is_school_day
    assert calendar.day(school.pk, D(2026, 11, 23)).is_school_day
    assert not calendar.day(other.pk, D(2026, 11, 23)).is_school_day
    assert calendar.day(school.pk, D(2026, 11, 24)).is_school_day and calendar.day(other.pk, D(2026, 11, 24)).is_school_day


def test_a_school_with_its_own_term_ignores_the_district_term(schools):
    school, other = schools
    TermFactory(school=school, name="本校第一学期", start=D(2026, 9, 7), end=D(2026, 12, 31))
    assert not school_day(school.pk, D(2026, 9, 2)).is_school_day  # the district has begun; this school not
    assert school_day(other.pk, D(2026, 9, 2)).is_school_day
    assert school_day(school.pk, D(2026, 9, 7)).is_school_day


def test_a_school_with_its_own_term_is_off_after_it_whatever_range_is_asked_for(schools):
    # The answer for one date may not depend on which dates were asked for together: the
    # nightly run looks two weeks ahead, the board one week, a page one day.
    school, other = schools
    TermFactory(school=school, name="本校第一学期", start=D(2026, 9, 7), end=D(2026, 12, 31))
    day = D(2027, 1, 5)
    assert not school_day(school.pk, day).is_school_day
    assert not SchoolCalendar(D(2027, 1, 4), D(2027, 1, 17), [school.pk]).day(school.pk, day).is_school_day
    assert not SchoolCalendar(D(2026, 12, 28), D(2027, 1, 17), None).day(school.pk, day).is_school_day
    assert school_day(other.pk, day).is_school_day


def test_the_calendar_loads_a_range_for_many_schools_in_a_fixed_number_of_queries(schools, django_assert_max_num_queries):
    many = [SchoolFactory() for _ in range(10)]
    ids = [s.pk for s in (*schools, *many)]
    with django_assert_max_num_queries(5):
        calendar = SchoolCalendar(D(2026, 9, 1), D(2026, 12, 31), ids)
        school_days = sum(calendar.day(pk, day).is_school_day for pk in ids for day in calendar.dates())
    assert school_days > 0
