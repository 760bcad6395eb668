"""The holiday calendar: loaded from chinesecalendar for the years it knows, importable by an
administrator for a year it does not know yet."""

import datetime

from posts.calendar import school_day
from posts.models import Holiday, HolidayYear
from tests.factories import TermFactory
from tests.posts.test_imports import xlsx


def test_the_years_the_package_knows_are_loaded_by_the_migration(db):
    assert HolidayYear.objects.filter(year=2026, source="package").exists()
    assert Holiday.objects.get(date=datetime.date(2026, 10, 1)).kind == "off"
    national_day = Holiday.objects.get(date=datetime.date(2026, 10, 10))
    assert national_day.kind == "workday" and national_day.name == "国庆节"
    assert not HolidayYear.objects.filter(year=2027).exists()


def test_an_administrator_imports_a_year_and_it_is_no_longer_a_guess(cast, client):
    TermFactory(start=datetime.date(2026, 12, 1), end=datetime.date(2027, 1, 31))
    assert school_day(None, datetime.date(2027, 1, 1)).guess is True
    client.force_login(cast.ada)
    upload = xlsx(["日期", "类型", "名称"], [
        [datetime.date(2027, 1, 1), "放假", "元旦"],
        ["2027-01-02", "放假", "元旦"],
        ["2027-01-03", "放假", "元旦"],
    ])
    response = client.post("/posts/holidays/import/", {"file": upload})
    assert response.status_code == 302, response.context and response.context.get("errors")
    assert HolidayYear.objects.get(year=2027).source == "manual"
    new_year = school_day(None, datetime.date(2027, 1, 1))
    assert new_year.is_school_day is False and new_year.guess is False
    assert school_day(None, datetime.date(2027, 1, 4)).guess is False


def test_a_bad_holiday_row_imports_nothing(cast, client):
    client.force_login(cast.ada)
    upload = xlsx(["日期", "类型", "名称"], [["2027-01-01", "放假", "元旦"], ["2027-13-01", "放假", "坏日期"],
                                         ["2027-01-04", "半天", ""]])
    response = client.post("/posts/holidays/import/", {"file": upload})
    assert response.status_code == 200
    assert {(e.row, e.column) for e in response.context["errors"]} == {(3, "日期"), (4, "类型")}
    assert not HolidayYear.objects.filter(year=2027).exists()


def test_a_dispatcher_reads_the_holidays_but_cannot_edit_them(cast, client):
    client.force_login(cast.alice)
    response = client.get("/posts/holidays/", {"year": 2026})
    assert response.status_code == 200
    assert 'id="holiday-years"' in response.content.decode()
    assert client.get("/posts/holidays/add/").status_code == 403
    assert client.get("/posts/holidays/import/").status_code == 403


def test_the_load_holidays_command_keeps_edited_years(db):
    from django.core.management import call_command

    Holiday.objects.filter(date=datetime.date(2026, 10, 10)).update(name="手工改过")
    call_command("load_holidays")
    assert Holiday.objects.get(date=datetime.date(2026, 10, 10)).name == "手工改过"


def test_the_holiday_list_query_count_does_not_grow_with_rows(cast, client):
    from tests.contracts import count_queries

    client.force_login(cast.alice)
    client.get("/posts/holidays/")
    few = count_queries(lambda: client.get("/posts/holidays/", {"year": 2004}))
    many = count_queries(lambda: client.get("/posts/holidays/", {"year": 2026}))
    assert Holiday.objects.filter(year=2026).count() > Holiday.objects.filter(year=2004).count()
    assert few == many


def test_the_shifts_api_says_when_a_date_was_a_guess(cast, api, time_machine):
    """Shifts in a year without holiday rows carry calendar_guess, and the API shows it."""
    import zoneinfo

    from duty.services.generation import shift_generate
    from tests.factories import TimetableFactory

    time_machine.move_to(datetime.datetime(2026, 12, 1, 9, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai")), tick=False)
    TermFactory(start=datetime.date(2026, 12, 1), end=datetime.date(2027, 1, 31))
    TimetableFactory(school=cast.school_a, valid_from=datetime.date(2026, 12, 1))
    shift_generate(start=datetime.date(2026, 12, 28), end=datetime.date(2027, 1, 8), unit=cast.station_a)
    api.force_login(cast.alice)
    rows = api.get("/api/v1/shifts/", {"page_size": 100}).json()["results"]
    guesses = {row["date"]: row["calendar_guess"] for row in rows}
    assert guesses["2026-12-28"] is False  # 2026's holidays are known
    assert guesses["2027-01-01"] is True  # New Year 2027: not yet known, so a school day by guess
