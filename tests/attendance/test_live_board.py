"""HQ's all-stations live board (the figures page is tests/reports/).

The live board of every station shows problems first: a folded section per station, the
stations with posts where nobody is there or that are short at the top and open, each listing
its problem posts first; the rest folded. Its query count does not depend on how many
stations and posts there are. The clock is frozen on Wednesday 2 September 2026 at 07:45."""

import datetime
import re

import pytest
from django.urls import reverse

from attendance.selectors.live import PostState, live_board
from org.models import PersonKind, Role, Unit, UnitKind
from org.services import user_create
from tests.contracts import count_queries
from tests.factories import PersonFactory
from tests.fixtures import PASSWORD
from tests.scenes import DAY, TZ, post_at, put_on, shift_at

NOW = datetime.datetime(2026, 9, 2, 7, 45, tzinfo=TZ)


# -- the all-stations live board ---------------------------------------------------------------


@pytest.fixture
def morning(cast, time_machine):
    """This morning's peak, 07:25-08:10, across three stations:
    - 仁里 (A): 东门 fully staffed, 西门 where nobody came (the alarm);
    - 凯旋路 (B): its gate fully staffed, nothing wrong;
    - 南津路 (C): 北门 short of its auxiliary, 南门 not started yet (08:00)."""
    time_machine.move_to(NOW, tick=False)
    cast.station_c = Unit.objects.create(name="南津路派出所", kind=UnitKind.STATION, parent=cast.bureau)
    # Radio roll-calls at any station (a station's own dispatcher would do it at his).
    cast.root = user_create(username="root", password=PASSWORD, role=Role.ADMIN, unit=cast.bureau,
                            is_superuser=True)
    a, b, c = cast.station_a, cast.station_b, cast.station_c
    east, west = post_at(a, "东门", police=1), post_at(a, "西门", police=1)
    gate_b = post_at(b, "正门", police=1)
    north, south = post_at(c, "北门", police=1, auxiliary=1), post_at(c, "南门", police=1)
    put_on(shift_at(east, (7, 25), (8, 10)), PersonFactory(unit=a), checked_in_by=cast.alice)
    put_on(shift_at(west, (7, 25), (8, 10)), PersonFactory(unit=a))
    put_on(shift_at(gate_b, (7, 25), (8, 10)), PersonFactory(unit=b), checked_in_by=cast.bob)
    north_shift = shift_at(north, (7, 25), (8, 10))
    put_on(north_shift, PersonFactory(unit=c), checked_in_by=cast.root)
    put_on(north_shift, PersonFactory(unit=c, kind=PersonKind.AUXILIARY))
    put_on(shift_at(south, (8, 0), (8, 40)), PersonFactory(unit=c))
    cast.morning_posts = {"east": east, "west": west, "gate_b": gate_b, "north": north, "south": south}
    return cast


def sections(html: str) -> list[tuple[str, bool, list[str]]]:
    """Each station section of the page: its station id, whether it is open, and the states of
    its posts in page order."""
    found = []
    for match in re.finditer(r'<details class="card mb-2 live-station" data-station="(\d+)"( open)?>(.*?)</details>',
                             html, re.S):
        states = re.findall(r'live-post-line" id="post-\d+" data-post="\d+" data-shift="\d+" data-state="(\w+)"',
                            match.group(3))
        found.append((match.group(1), bool(match.group(2)), states))
    return found


def test_the_board_groups_stations_with_problems_first(morning):
    board = live_board(user=morning.henry, day=DAY, period="am", now=NOW)
    groups = board.stations
    assert [g.station for g in groups] == [morning.station_a, morning.station_c, morning.station_b]
    assert [g.has_problem for g in groups] == [True, True, False]
    a, c, _b = groups
    assert [p.post.name for p in a.posts] == ["西门", "东门"]  # nobody there, before the staffed gate
    assert [p.state for p in c.posts] == [PostState.SHORT, PostState.NOT_STARTED]
    assert [p.post.name for p in a.problems] == ["西门"]


def test_hq_sees_problem_stations_open_at_the_top_and_the_rest_folded(morning, client):
    client.force_login(morning.henry)
    html = client.get(reverse("attendance:live")).content.decode()
    assert sections(html) == [
        (str(morning.station_a.pk), True, ["nobody", "staffed"]),
        (str(morning.station_c.pk), True, ["short", "not_started"]),
        (str(morning.station_b.pk), False, ["staffed"]),
    ]
    # The alarm at the top links to the post's line, in an open section.
    west = morning.morning_posts["west"]
    assert f'href="#post-{west.pk}"' in html and f'id="post-{west.pk}"' in html
    # A short post says what it lacks; each section leads to the station's own board.
    north_line = html.split(f'id="post-{morning.morning_posts["north"].pk}"')[1].split("</li>")[0]
    assert 'data-kind="auxiliary"' in north_line
    assert f"?station={morning.station_c.pk}&amp;date=2026-09-02&amp;period=am" in html


def test_a_stations_own_board_keeps_the_cards_with_the_people(morning, client):
    client.force_login(morning.henry)
    response = client.get(reverse("attendance:live"), {"station": morning.station_c.pk})
    html = response.content.decode()
    assert "<details" not in html and 'id="live-posts"' in html and "live-there" in html


def test_the_all_stations_board_costs_the_same_queries_however_many_stations(morning, client):
    client.force_login(morning.henry)
    url = reverse("attendance:live")
    client.get(url)  # warm up per-process caches
    few = count_queries(lambda: client.get(url))
    few_body = count_queries(lambda: client.get(url, headers={"HX-Request": "true"}))
    for index in range(4):
        station = Unit.objects.create(name=f"新建{index}派出所", kind=UnitKind.STATION, parent=morning.bureau)
        for name in ("正门", "侧门", "后门"):
            shift = shift_at(post_at(station, name, police=1, auxiliary=1), (7, 25), (8, 10))
            put_on(shift, PersonFactory(unit=station), checked_in_by=morning.root)
            put_on(shift, PersonFactory(unit=station, kind=PersonKind.AUXILIARY))
    response = client.get(url)
    assert len(response.context["board"].stations) == 7
    many = count_queries(lambda: client.get(url))
    many_body = count_queries(lambda: client.get(url, headers={"HX-Request": "true"}))
    assert (few, few_body) == (many, many_body)
