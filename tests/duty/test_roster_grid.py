"""The roster week is rendered once, on the server: the board and the printable page draw it
through the same grid template, and the board asks for a single cell again after a write.

The clock is frozen on Wednesday 2 September 2026 at 10:00; shifts are generated for the
week of 7 September at 圣莲岛小学 (station A) and 凯旋路小学 (station B), and 张斌 (Oscar)
stands station A's Monday morning."""

import datetime
import re
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from duty.models import Shift
from duty.services.assignments import assignment_create, assignment_delete
from duty.services.generation import shift_generate
from org.models import PersonKind
from tests.factories import PersonFactory, PostFactory, SchoolFactory, TermFactory, TimetableFactory

TZ = ZoneInfo("Asia/Shanghai")
D = datetime.date
T = datetime.time
NOW = datetime.datetime(2026, 9, 2, 10, 0, tzinfo=TZ)
WEEK = D(2026, 9, 7)
# The board page's queries, whatever the number of posts, shifts and people: the session and
# user, permissions, units in scope and the stations, the week's posts, shifts, assignments
# and publication, five for the school calendar, the navigation, and the session saved.
# Measured at 20; a query per post, shift or person breaks it.
BOARD_QUERY_CEILING = 20


@pytest.fixture
def week(cast, time_machine):
    time_machine.move_to(NOW, tick=False)
    TermFactory(school=None, start=D(2026, 9, 1), end=D(2027, 1, 20))
    for school in (cast.school_a, cast.school_b):
        TimetableFactory(school=school, period="am", start=T(7, 40), end=T(8, 10))
        TimetableFactory(school=school, period="pm", start=T(16, 30), end=T(17, 10))
    shift_generate(start=WEEK, end=WEEK + datetime.timedelta(days=6))
    cast.monday_am = Shift.objects.get(post=cast.post_a, date=WEEK, period="am")
    cast.assignment = assignment_create(shift=cast.monday_am, person=cast.officer_a, user=cast.alice)
    return cast


def week_query(station, **extra) -> str:
    params = {"station": station.pk, "week": WEEK.isoformat(), **extra}
    return "?" + "&".join(f"{k}={v}" for k, v in params.items())


def cell_url(shift) -> str:
    return reverse("duty:roster_cell", args=[shift.pk])


class CellTexts(HTMLParser):
    """The visible text of every shift cell (td[data-shift]) of a page, by shift id, with its
    whitespace folded: what a reader sees, whichever page drew it."""

    def __init__(self, html: str):
        super().__init__()
        self.texts: dict[str, str] = {}
        self.cells: dict[str, dict[str, str]] = {}
        self._shift = None
        self._depth = 0
        self._parts: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self._shift is None and tag == "td" and "data-shift" in attrs:
            self._shift, self._depth, self._parts = attrs["data-shift"], 0, []
            self.cells[self._shift] = attrs
        if self._shift is not None and tag == "td":
            self._depth += 1

    def handle_endtag(self, tag):
        if self._shift is not None and tag == "td":
            self._depth -= 1
            if self._depth == 0:
                self.texts[self._shift] = re.sub(r"\s+", " ", "".join(self._parts)).strip()
                self._shift = None

    def handle_data(self, data):
        if self._shift is not None:
            self._parts.append(data)


def test_the_board_and_the_printable_page_show_the_same_cells(week, client):
    client.force_login(week.alice)
    query = week_query(week.station_a)
    board = client.get(reverse("duty:roster") + query)
    printed = client.get(reverse("duty:roster_print") + query)
    assert board.status_code == printed.status_code == 200
    board_cells, printed_cells = CellTexts(board.content.decode()), CellTexts(printed.content.decode())
    shifts = Shift.objects.filter(station=week.station_a, date__range=(WEEK, WEEK + datetime.timedelta(days=6)))
    assert set(board_cells.texts) == set(printed_cells.texts) == {str(s.pk) for s in shifts}
    assert board_cells.texts == printed_cells.texts
    monday = board_cells.texts[str(week.monday_am.pk)]
    assert "张斌" in monday and "08:10" in monday
    # Both were drawn by the grid template; only the board's cells carry its controls.
    assert "roster-open" in board_cells.cells[str(week.monday_am.pk)]["class"]
    assert "roster-open" not in printed_cells.cells[str(week.monday_am.pk)]["class"]
    assert 'class="roster-remove"' in board.content.decode()
    assert 'class="roster-remove"' not in printed.content.decode()


def test_the_cell_endpoint_draws_the_cell_as_the_board_does(week, client):
    client.force_login(week.alice)
    board = CellTexts(client.get(reverse("duty:roster") + week_query(week.station_a)).content.decode())
    response = client.get(cell_url(week.monday_am), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert CellTexts(html).texts == {str(week.monday_am.pk): board.texts[str(week.monday_am.pk)]}
    # The week's totals come along, to be swapped in out of band.
    assert re.search(r'id="roster-totals"[^>]*hx-swap-oob="true"', html)


def test_the_cell_endpoint_follows_a_write(week, client):
    client.force_login(week.alice)
    url = cell_url(week.monday_am)
    before = CellTexts(client.get(url).content.decode())
    assert "张斌" in before.texts[str(week.monday_am.pk)]
    assert before.cells[str(week.monday_am.pk)].get("data-open") == "true"
    assignment_delete(assignment=week.assignment, user=week.alice)
    after = client.get(url).content.decode()
    assert "张斌" not in CellTexts(after).texts[str(week.monday_am.pk)]
    assert f'data-missing-kind="{PersonKind.POLICE.value}"' in after


def test_another_stations_shift_is_not_found(week, client):
    client.force_login(week.bob)  # station B's dispatcher
    assert client.get(cell_url(week.monday_am)).status_code == 404
    own = Shift.objects.get(post=week.post_b, date=WEEK, period="am")
    assert client.get(cell_url(own)).status_code == 200
    assert client.get(reverse("duty:roster_cell", args=[999999])).status_code == 404


def test_the_cell_endpoint_is_for_dispatchers_signed_in(week, client):
    url = cell_url(week.monday_am)
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    client.force_login(week.oscar)  # an officer reads his shifts but does not assign people
    assert client.get(url).status_code == 403


def test_an_htmx_request_to_the_board_gets_the_week_alone(week, client):
    client.force_login(week.alice)
    response = client.get(reverse("duty:roster") + week_query(week.station_a), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and 'id="roster-table"' in html
    assert re.search(r'id="roster-published"[^>]*hx-swap-oob="true"', html)
    assert len(CellTexts(html).texts) == Shift.objects.filter(station=week.station_a).count()


@pytest.mark.parametrize("extra_posts", [0, 12])
def test_the_board_page_has_a_query_ceiling_whatever_the_posts(week, client, django_assert_max_num_queries,
                                                               extra_posts):
    for _ in range(extra_posts):
        post = PostFactory(school=SchoolFactory(station=week.station_a))
        TimetableFactory(school=post.school, period="am", start=T(7, 40), end=T(8, 10))
        TimetableFactory(school=post.school, period="pm", start=T(16, 30), end=T(17, 10))
    shift_generate(start=WEEK, end=WEEK + datetime.timedelta(days=6), unit=week.station_a)
    for shift in Shift.objects.filter(station=week.station_a, date=WEEK, period="pm"):
        assignment_create(shift=shift, person=PersonFactory(unit=week.station_a), user=None)
    client.force_login(week.alice)
    url = reverse("duty:roster") + week_query(week.station_a)
    client.get(url)  # warm up per-process caches
    with django_assert_max_num_queries(BOARD_QUERY_CEILING):
        response = client.get(url)
    assert response.content.decode().count("<tr data-post=") == 1 + extra_posts
