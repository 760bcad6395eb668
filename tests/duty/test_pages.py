"""The duty pages through the test client: the roster board and its printable and Excel
forms, an officer's own shifts and calendar feed, notifications, and the leave,
standing-assignment and shift lists.

The clock is frozen on Wednesday 2 September 2026; shifts are generated for the weeks of
7 and 14 September at 圣莲岛小学 (station A) and 凯旋路小学 (station B)."""

import datetime
import io
import itertools
import json
from urllib.parse import unquote
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar
from openpyxl import load_workbook

from duty.feeds import feed_token
from duty.models import Leave, Notification, Shift, StandingAssignment
from duty.services.assignments import assignment_create, week_publish
from duty.services.generation import shift_generate
from duty.views.roster import ROSTER_TITLE
from org.models import PersonKind
from tests.contracts import ROLES, PageContract, count_queries
from tests.factories import PersonFactory, PostFactory, SchoolFactory, ShiftFactory, TermFactory, TimetableFactory

TZ = ZoneInfo("Asia/Shanghai")
D = datetime.date
T = datetime.time
NOW = datetime.datetime(2026, 9, 2, 10, 0, tzinfo=TZ)
THIS_WEEK = D(2026, 8, 31)
WEEK = D(2026, 9, 7)
LATER_WEEK = D(2026, 9, 14)
_n = itertools.count()


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def roster(cast, frozen):
    """Two weeks of shifts for both stations; mornings 07:25-08:10, afternoons 16:15-17:10."""
    TermFactory(school=None, start=D(2026, 9, 1), end=D(2027, 1, 20))
    for school in (cast.school_a, cast.school_b):
        TimetableFactory(school=school, period="am", start=T(7, 40), end=T(8, 10))
        TimetableFactory(school=school, period="pm", start=T(16, 30), end=T(17, 10))
    shift_generate(start=WEEK, end=LATER_WEEK + datetime.timedelta(days=6))
    return cast


def shift_of(post, day, period="am") -> Shift:
    return Shift.objects.get(post=post, date=day, period=period)


def board_url(name="duty:roster", **params) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse(name) + (f"?{query}" if query else "")


# -- the roster board --------------------------------------------------------------------


def test_the_board_opens_on_the_dispatchers_station_and_this_week(roster, client):
    client.force_login(roster.alice)
    response = client.get(reverse("duty:roster"))
    assert response.status_code == 200
    assert response.context["station"] == roster.station_a
    assert response.context["week"] == THIS_WEEK
    config = json.loads(_script(response, "roster-config"))
    assert config["station"] == roster.station_a.pk
    assert config["week"] == THIS_WEEK.isoformat()
    assert config["urls"]["assignments"] == "/api/v1/assignments/"
    # The JS strings come with the page, as JSON, so they are translated with it.
    strings = json.loads(_script(response, "roster-i18n"))
    assert strings["removed"] and strings["undo"]
    assert [s.name for s in response.context["stations"]] == [roster.station_a.name]


def _script(response, element_id: str) -> str:
    html = response.content.decode()
    start = html.index(f'id="{element_id}"')
    start = html.index(">", start) + 1
    return html[start : html.index("</script>", start)]


def test_the_board_snaps_any_date_to_its_monday(roster, client):
    client.force_login(roster.alice)
    response = client.get(board_url(week="2026-09-10"))
    assert response.context["week"] == WEEK
    assert response.context["prev_url"] == f"?station={roster.station_a.pk}&week=2026-08-31"
    assert response.context["next_url"] == f"?station={roster.station_a.pk}&week=2026-09-14"


def test_the_board_shows_this_week_for_a_week_that_is_not_a_date(roster, client):
    client.force_login(roster.alice)
    assert client.get(board_url(week="next-tuesday")).context["week"] == THIS_WEEK


def test_the_board_sends_anonymous_users_to_the_login_page(roster, client):
    response = client.get(reverse("duty:roster"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_board_is_for_dispatchers_only(roster, client):
    # Officers, supervisors, HQ and admins do not assign people (no duty.add_assignment).
    for role in ROLES:
        client.force_login(roster.user(role))
        expected = 200 if role == "dispatcher" else 403
        assert client.get(reverse("duty:roster")).status_code == expected, role


def test_another_stations_board_is_404(roster, client):
    client.force_login(roster.bob)
    assert client.get(board_url(station=roster.station_a.pk)).status_code == 404
    assert client.get(board_url(station="abc")).status_code == 404
    assert client.get(board_url(station=99999)).status_code == 404
    response = client.get(reverse("duty:roster"))
    assert response.context["station"] == roster.station_b


def test_the_board_page_and_its_api_do_not_grow_in_queries_with_posts(roster, client):
    client.force_login(roster.alice)
    page = board_url(station=roster.station_a.pk, week=WEEK.isoformat())
    api = f"/api/v1/roster/?station={roster.station_a.pk}&week={WEEK.isoformat()}"
    people = [PersonFactory(unit=roster.station_a, kind=kind)
              for kind in (PersonKind.POLICE, PersonKind.AUXILIARY)]

    def add_posts(count):
        posts = [PostFactory(school=SchoolFactory(station=roster.station_a)) for _ in range(count)]
        for post in posts:
            TimetableFactory(school=post.school, period="am", start=T(7, 40), end=T(8, 10))
            TimetableFactory(school=post.school, period="pm", start=T(16, 30), end=T(17, 10))
        shift_generate(start=WEEK, end=WEEK + datetime.timedelta(days=6), unit=roster.station_a)
        for post in posts:  # someone on every post, so people are loaded too
            assignment_create(shift=shift_of(post, WEEK + datetime.timedelta(days=len(posts) % 5)),
                              person=PersonFactory(unit=roster.station_a), user=None)

    add_posts(1)  # with post_a: two posts
    assignment_create(shift=shift_of(roster.post_a, WEEK), person=people[0], user=None)
    client.get(page), client.get(api)  # warm up per-process caches
    few_page, few_api = count_queries(lambda: client.get(page)), count_queries(lambda: client.get(api))
    assert len(client.get(api).json()["rows"]) == 2
    add_posts(10)
    assignment_create(shift=shift_of(roster.post_a, WEEK, "pm"), person=people[1], user=None)
    many_page, many_api = count_queries(lambda: client.get(page)), count_queries(lambda: client.get(api))
    assert len(client.get(api).json()["rows"]) == 12
    assert (few_page, few_api) == (many_page, many_api)


# -- printable and Excel ----------------------------------------------------------------


@pytest.fixture
def staffed(roster):
    """张斌 (Oscar) on station A's Monday morning of the week of 7 September."""
    assignment_create(shift=shift_of(roster.post_a, WEEK), person=roster.officer_a, user=roster.alice)
    return roster


def test_the_printable_roster_shows_the_week_of_a_station(staffed, client):
    client.force_login(staffed.alice)
    response = client.get(board_url("duty:roster_print", station=staffed.station_a.pk, week="2026-09-08"))
    assert response.status_code == 200
    assert response.context["title"] == ROSTER_TITLE
    assert response.context["week"] == WEEK
    html = response.content.decode()
    assert "@page" not in html  # the landscape rule lives in roster.css
    assert "css/roster.css" in html
    assert staffed.station_a.name in html
    assert "2026-09-07 ~ 2026-09-13" in html
    assert "张斌" in html
    monday_am = response.context["rows"][0]["cells"][0]
    assert monday_am["groups"] == [(PersonKind.POLICE.label, ["张斌"])]
    assert "1" in monday_am["missing"]  # an auxiliary and the others are still missing


def test_officers_print_only_published_weeks(staffed, client):
    client.force_login(staffed.oscar)
    url = board_url("duty:roster_print", week=WEEK.isoformat())
    response = client.get(url)
    assert response.status_code == 200
    assert all(cell is None for row in response.context["rows"] for cell in row["cells"])
    week_publish(station=staffed.station_a, week_start=WEEK, user=staffed.alice)
    response = client.get(url)
    assert "张斌" in response.content.decode()


def test_print_and_export_need_the_station_in_scope_and_the_permission(staffed, client):
    for name in ("duty:roster_print", "duty:roster_export"):
        url = board_url(name, station=staffed.station_a.pk, week=WEEK.isoformat())
        client.logout()
        assert client.get(url).status_code == 302
        client.force_login(staffed.bob)
        assert client.get(url).status_code == 404, name
        client.force_login(staffed.ada)  # the administrator does not read rosters
        assert client.get(url).status_code == 403, name
        for role in ("dispatcher", "officer", "supervisor", "hq"):
            client.force_login(staffed.user(role))
            assert client.get(url).status_code == 200, (name, role)


def test_the_excel_export_has_a_row_per_post_and_a_column_per_shift(staffed, client):
    client.force_login(staffed.alice)
    url = board_url("duty:roster_export", station=staffed.station_a.pk, week=WEEK.isoformat())
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    filename = unquote(response["Content-Disposition"].split("''", 1)[1])
    assert filename.startswith(f"{ROSTER_TITLE}-{staffed.station_a.name}-2026-09-07")
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows[0]) == 3 + 14
    assert rows[0][3].startswith("09-07")
    assert len(rows) == 2
    school, post, staffing, monday_am, *rest = rows[1]
    assert (school, post) == ("圣莲岛小学", "正门护学岗")
    assert monday_am.startswith("07:25-08:10")
    assert "张斌" in monday_am
    assert "张斌" not in "".join(str(v) for v in rest)


# -- my shifts and the calendar feed -----------------------------------------------------


@pytest.fixture
def oscars_shifts(roster):
    """Oscar stands Monday 7 (with 李辅) and Tuesday 8 September in a published week, and
    Monday 14 in a week still in draft."""
    oscar, alice = roster.officer_a, roster.alice
    monday = assignment_create(shift=shift_of(roster.post_a, WEEK), person=oscar, user=alice)
    colleague = PersonFactory(name="李辅", kind=PersonKind.AUXILIARY, unit=roster.station_a)
    assignment_create(shift=shift_of(roster.post_a, WEEK), person=colleague, user=roster.alice)
    tuesday = assignment_create(shift=shift_of(roster.post_a, WEEK + datetime.timedelta(days=1), "pm"),
                                person=roster.officer_a, user=roster.alice)
    draft = assignment_create(shift=shift_of(roster.post_a, LATER_WEEK), person=oscar, user=alice)
    week_publish(station=roster.station_a, week_start=WEEK, user=roster.alice)
    roster.published_shifts = [monday.shift, tuesday.shift]
    roster.draft_shift = draft.shift
    return roster


def test_my_shifts_lists_the_officers_coming_published_shifts(oscars_shifts, client):
    client.force_login(oscars_shifts.oscar)
    response = client.get(reverse("duty:my_shifts"))
    assert response.status_code == 200
    shown = [card["item"].shift for card in response.context["cards"]]
    assert shown == oscars_shifts.published_shifts
    html = response.content.decode()
    assert "李辅" in html  # the colleague on Monday's shift
    assert "07:25-08:10" in html and "16:15-17:10" in html
    assert "圣莲岛小学 · 正门护学岗" in html
    assert response.context["feed_url"].startswith("http://testserver/duty/my-shifts.ics?token=")


def test_my_shifts_is_404_without_a_person_and_asks_anonymous_users_to_sign_in(oscars_shifts, client):
    response = client.get(reverse("duty:my_shifts"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    client.force_login(oscars_shifts.alice)  # a dispatcher who stands no post
    assert client.get(reverse("duty:my_shifts")).status_code == 404


def test_the_calendar_feed_opens_with_its_token_and_without_a_session(oscars_shifts, client):
    oscar = oscars_shifts.oscar
    response = client.get(reverse("duty:my_shifts_feed"), {"token": feed_token(oscar)})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = sorted(calendar.walk("VEVENT"), key=lambda e: e.decoded("dtstart"))
    person = oscars_shifts.officer_a
    assert [str(e["uid"]) for e in events] == [
        f"shift-{s.pk}-person-{person.pk}@huxue" for s in oscars_shifts.published_shifts
    ]
    first = events[0]
    assert first.decoded("dtstart") == oscars_shifts.published_shifts[0].starts_at
    assert first.decoded("dtstart").tzinfo is not None
    assert first.decoded("dtend") == oscars_shifts.published_shifts[0].ends_at
    assert str(first["location"]) == oscars_shifts.school_a.address
    assert "圣莲岛小学·正门护学岗" in str(first["summary"])
    assert "李辅" in str(first["description"])


def test_a_tampered_stale_or_missing_feed_token_is_404(oscars_shifts, client):
    oscar = oscars_shifts.oscar
    url = reverse("duty:my_shifts_feed")
    token = feed_token(oscar)
    assert client.get(url, {"token": token[:-1] + ("A" if token[-1] != "A" else "B")}).status_code == 404
    assert client.get(url).status_code == 404
    assert client.get(url, {"token": "garbage"}).status_code == 404
    assert client.get(url, {"token": feed_token(oscars_shifts.alice)}).status_code == 404  # no person
    oscar.set_password("Another-pass-2026")
    oscar.save()
    assert client.get(url, {"token": token}).status_code == 404  # the password changed
    assert client.get(url, {"token": feed_token(oscar)}).status_code == 200


# -- notifications -----------------------------------------------------------------------


def test_viewing_notifications_lists_them_newest_first_and_marks_them_read_in_one_update(cast, client):
    old = Notification.objects.create(recipient=cast.oscar, title="旧消息", read_at=NOW)
    first = Notification.objects.create(recipient=cast.oscar, title="新班次一")
    second = Notification.objects.create(recipient=cast.oscar, title="新班次二")
    Notification.objects.create(recipient=cast.alice, title="别人的消息")
    client.force_login(cast.oscar)
    home = client.get(reverse("attendance:checkin")).content.decode()  # where an officer lands
    assert 'id="nav-unread"' in home and ">2<" in home

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("duty:notifications"))
    assert response.status_code == 200
    assert [n.pk for n in response.context["notifications"]] == [second.pk, first.pk, old.pk]
    assert "别人的消息" not in response.content.decode()
    updates = [q["sql"] for q in queries.captured_queries
               if q["sql"].startswith("UPDATE") and "duty_notification" in q["sql"]]
    assert len(updates) == 1
    assert not Notification.objects.filter(recipient=cast.oscar, read_at__isnull=True).exists()
    assert Notification.objects.get(recipient=cast.alice).read_at is None
    assert 'id="nav-unread"' not in client.get(reverse("attendance:checkin")).content.decode()


def test_notifications_ask_anonymous_users_to_sign_in(cast, client):
    response = client.get(reverse("duty:notifications"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_navbar_costs_one_query_however_many_notifications(cast, client):
    client.force_login(cast.oscar)
    client.get(reverse("attendance:checkin"))
    few = count_queries(lambda: client.get(reverse("attendance:checkin")))
    for i in range(5):
        Notification.objects.create(recipient=cast.oscar, title=f"消息{i}")
    assert count_queries(lambda: client.get(reverse("attendance:checkin"))) == few


def test_the_navbar_links_my_shifts_for_people_on_the_roster_and_the_board_for_dispatchers(cast, client):
    client.force_login(cast.oscar)
    html = client.get(reverse("attendance:checkin")).content.decode()  # where an officer lands
    assert f'href="{reverse("duty:my_shifts")}"' in html
    assert f'href="{reverse("duty:roster")}"' not in html
    client.force_login(cast.alice)
    html = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("duty:my_shifts")}"' not in html
    for name in ("duty:roster", "duty:shift_list", "duty:leave_list", "duty:standingassignment_list"):
        assert f'href="{reverse(name)}"' in html, name


# -- leave and standing assignments (generic pages) -------------------------------------


class LeaveResource:
    model = Leave
    may_read = {"dispatcher", "supervisor", "hq"}

    def make_object(self, cast, station):
        person = PersonFactory(unit=station)
        return Leave.objects.create(person=person, station=station, start_date=D(2026, 10, 8),
                                    end_date=D(2026, 10, 9), reason="培训")


class TestLeavePages(LeaveResource, PageContract):
    def form_data(self, cast):
        return {"person": cast.officer_a.pk, "start_date": "2026-10-12", "end_date": "2026-10-14",
                "reason": f"年休假{next(_n)}"}


def test_leave_belongs_to_the_unit_of_its_person(cast, client):
    hq_person = PersonFactory(unit=cast.bureau)  # HQ person, managed by the bureau
    client.force_login(cast.henry)
    response = client.post(reverse("duty:leave_add"), {
        "person": cast.officer_a.pk, "start_date": "2026-10-12", "end_date": "2026-10-14", "reason": "病假"})
    assert response.status_code == 403  # HQ reads leave, does not write it
    client.force_login(cast.alice)
    response = client.post(reverse("duty:leave_add"), {
        "person": cast.officer_a.pk, "start_date": "2026-10-12", "end_date": "2026-10-14", "reason": "病假"})
    assert response.status_code == 302
    assert Leave.objects.get().station == cast.station_a
    response = client.post(reverse("duty:leave_add"), {
        "person": hq_person.pk, "start_date": "2026-10-12", "end_date": "2026-10-14", "reason": "病假"})
    assert response.status_code == 200
    assert "person" in response.context["form"].errors  # not in Alice's scope


def test_leave_that_ends_before_it_starts_is_refused_on_the_end_date(cast, client):
    client.force_login(cast.alice)
    response = client.post(reverse("duty:leave_add"), {
        "person": cast.officer_a.pk, "start_date": "2026-10-14", "end_date": "2026-10-12", "reason": "病假"})
    assert response.status_code == 200
    assert "end_date" in response.context["form"].errors
    assert not Leave.objects.exists()


class StandingResource:
    model = StandingAssignment
    may_read = {"dispatcher", "supervisor", "hq"}

    def make_object(self, cast, station):
        person = PersonFactory(unit=station)
        post = PostFactory(school=SchoolFactory(station=station))
        return StandingAssignment.objects.create(person=person, post=post, station=station,
                                                 start_date=D(2026, 9, 1), end_date=D(2027, 1, 20))


class TestStandingAssignmentPages(StandingResource, PageContract):
    def form_data(self, cast):
        return {"person": cast.officer_a.pk, "post": cast.post_a.pk, "weekdays": [1, 3, 5],
                "periods": "both", "start_date": "2026-09-01", "end_date": "2027-01-20"}


def test_a_standing_assignment_belongs_to_the_station_of_its_post(cast, client):
    client.force_login(cast.alice)
    response = client.get(reverse("duty:standingassignment_add"))
    assert 'type="checkbox" name="weekdays"' in response.content.decode()
    response = client.post(reverse("duty:standingassignment_add"), {
        "person": cast.officer_a.pk, "post": cast.post_a.pk, "weekdays": [2, 4], "periods": "am",
        "start_date": "2026-09-01", "end_date": "2026-12-31"})
    assert response.status_code == 302
    standing = StandingAssignment.objects.get()
    assert standing.station == cast.post_a.station
    assert standing.weekdays == (1 << 2) | (1 << 4)
    response = client.get(reverse("duty:standingassignment_edit", args=[standing.pk]))
    assert response.context["form"].initial["weekdays"] == [2, 4]


def test_a_standing_assignment_needs_a_weekday(cast, client):
    client.force_login(cast.alice)
    response = client.post(reverse("duty:standingassignment_add"), {
        "person": cast.officer_a.pk, "post": cast.post_a.pk, "periods": "am",
        "start_date": "2026-09-01", "end_date": "2026-12-31"})
    assert response.status_code == 200
    assert "weekdays" in response.context["form"].errors
    assert not StandingAssignment.objects.exists()


# -- shifts (read only) ------------------------------------------------------------------


def test_the_shift_list_is_read_only_scoped_and_exports(roster, client):
    client.force_login(roster.alice)
    response = client.get(reverse("duty:shift_list"), {"date_from": "2026-09-07", "date_to": "2026-09-07"})
    assert response.status_code == 200
    assert response.context["add_url"] is None  # generated, never typed in
    shifts = list(response.context["object_list"])
    assert {s.post for s in shifts} == {roster.post_a}
    assert len(shifts) == 2
    export = client.get(reverse("duty:shift_list"), {"export": "xlsx"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(export.content)).worksheets[0]
    header, first, *_rest = sheet.iter_rows(values_only=True)
    assert len(header) == 6
    assert first[0] == "圣莲岛小学·正门护学岗" and first[3] == "07:25-08:10"

    shift = shifts[0]
    detail = client.get(reverse("duty:shift_detail", args=[shift.pk]))
    assert detail.status_code == 200
    assert detail.context["edit_url"] is None and detail.context["delete_url"] is None
    client.force_login(roster.bob)
    assert client.get(reverse("duty:shift_detail", args=[shift.pk])).status_code == 404
    bobs_shifts = client.get(reverse("duty:shift_list")).context["object_list"]
    assert roster.post_a not in {s.post for s in bobs_shifts}


def test_the_shift_list_for_each_role(roster, client):
    assert client.get(reverse("duty:shift_list")).status_code == 302
    for role in ROLES:
        client.force_login(roster.user(role))
        expected = 403 if role in ("admin", "security", "auditor") else 200  # administrators: no business data
        assert client.get(reverse("duty:shift_list")).status_code == expected, role
    # Officers see published shifts only.
    client.force_login(roster.oscar)
    assert not client.get(reverse("duty:shift_list")).context["object_list"]
    week_publish(station=roster.station_a, week_start=WEEK, user=roster.alice)
    assert len(client.get(reverse("duty:shift_list")).context["object_list"]) == 10


class ShiftResource:
    """Shifts are generated, never typed in: a list and a detail page, no add, edit or delete."""

    model = Shift
    may_read = {"dispatcher", "officer", "supervisor", "hq"}  # officers: published shifts only
    may_write: set[str] = set()
    writable_actions: set[str] = set()

    def make_object(self, cast, station):
        # Published, so that the officer reads it; a post of its own, so no two collide.
        return ShiftFactory(post=PostFactory(school=SchoolFactory(station=station)), published=True)


@pytest.mark.usefixtures("frozen")
class TestShiftPages(ShiftResource, PageContract):
    pass
