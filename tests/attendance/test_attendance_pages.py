"""The attendance pages through the test client: an officer's "my shift now" check-in page
and the live duty board (states, the "nobody there" list, the htmx body, scope and
permissions, queries).

The clock is frozen on Wednesday 2 September 2026 at 07:45, during the morning peak. Shifts
are made directly (published, scheduled) with the windows each test needs."""

import datetime
import json
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import translation

from attendance.models import CheckInMethod, KitItem
from attendance.selectors.live import PostState, current_peak, live_board
from attendance.services import assignment_check_in, assignment_check_out, assignment_excuse
from core import registry
from duty.models import Assignment, Shift
from org.models import PersonKind
from tests.contracts import ROLES, count_queries
from tests.factories import PersonFactory, PostFactory, SchoolFactory, ShiftFactory

TZ = ZoneInfo("Asia/Shanghai")
DAY = datetime.date(2026, 9, 2)
NOW = datetime.datetime(2026, 9, 2, 7, 45, tzinfo=TZ)
ALL_KIT = list(KitItem.values)
NO_STAFFING = {kind.value: 0 for kind in PersonKind}


def at(hour: int, minute: int, day: datetime.date = DAY) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=TZ)


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def assign(shift: Shift, person) -> Assignment:
    return Assignment.objects.create(
        shift=shift, person=person, station=shift.station, starts_at=shift.starts_at, ends_at=shift.ends_at,
    )


def staffed_post(station, name, **staffing):
    post = PostFactory(school=SchoolFactory(station=station), name=name)
    post.staffing = {**NO_STAFFING, **staffing}
    post.save()
    return post


def _script(response, element_id: str) -> str:
    html = response.content.decode()
    start = html.index(f'id="{element_id}"')
    start = html.index(">", start) + 1
    return html[start : html.index("</script>", start)]


# -- "my shift now" -----------------------------------------------------------------------------


@pytest.fixture
def morning(cast, frozen):
    """Oscar (张斌) stands station A's main gate this morning, 07:25-08:10."""
    cast.shift = ShiftFactory(post=cast.post_a, starts_at=at(7, 25), ends_at=at(8, 10), published=True)
    cast.assignment = assign(cast.shift, cast.officer_a)
    return cast


def test_the_check_in_page_shows_the_shift_running_now(morning, client):
    client.force_login(morning.oscar)
    response = client.get(reverse("attendance:checkin"))
    assert response.status_code == 200
    now = response.context["shift_now"]
    assert now.current.assignment == morning.assignment
    assert now.is_open and now.check_in is None
    html = response.content.decode()
    assert 'id="checkin-btn"' in html and 'id="checkin-btn" disabled' not in html
    assert morning.post_a.school.name in html and "07:25-08:10" in html
    config = json.loads(_script(response, "checkin-config"))
    assert config["urls"]["check_in"] == f"/api/v1/assignments/{morning.assignment.pk}/check-in/"
    assert config["urls"]["check_out"] == f"/api/v1/assignments/{morning.assignment.pk}/check-out/"
    assert config["wears_kit"] is True
    assert [k["value"] for k in config["kit"]] == ALL_KIT
    assert config["check_in"] is None
    # Five kit boxes, none ticked: the officer ticks what he wears.
    assert html.count('class="form-check-input kit-item"') == 5
    assert "checked" not in html.split('id="checkin-kit-list"')[1].split("</fieldset>")[0]
    strings = json.loads(_script(response, "checkin-i18n"))
    assert strings["denied"] and strings["confirm_early"]


def test_after_checking_in_the_page_shows_the_check_in_and_offers_check_out(morning, client):
    assignment_check_in(assignment=morning.assignment, user=morning.oscar, lat=30.5201, lng=105.5801,
                        equipment=ALL_KIT[:3])
    client.force_login(morning.oscar)
    response = client.get(reverse("attendance:checkin"))
    config = json.loads(_script(response, "checkin-config"))
    assert config["check_in"]["distance_m"] == 0
    assert config["check_in"]["kit_missing"] == ["radio", "body_camera"]
    assert config["check_in"]["flagged"] is True
    html = response.content.decode()
    assert 'id="checkin-form" hidden' in html
    assert 'id="checkout-btn"' in html


def test_check_in_is_not_open_yet_well_before_the_shift(cast, frozen, client):
    shift = ShiftFactory(post=cast.post_a, starts_at=at(9, 0), ends_at=at(9, 40), published=True)  # opens at 08:30
    assign(shift, cast.officer_a)
    client.force_login(cast.oscar)
    response = client.get(reverse("attendance:checkin"))
    now = response.context["shift_now"]
    assert not now.is_open
    assert now.seconds_to_open == 45 * 60 + 1
    html = response.content.decode()
    assert 'id="checkin-btn" disabled' in html
    assert "08:30" in html.split('id="checkin-not-open"')[1].split("</div>")[0]
    assert json.loads(_script(response, "checkin-config"))["opens_in"] == 45 * 60 + 1


def test_with_nothing_left_today_the_page_says_when_the_next_shift_is(cast, frozen, client):
    ended = ShiftFactory(post=cast.post_a, starts_at=at(6, 30), ends_at=at(7, 10), published=True)
    assign(ended, cast.officer_a)
    tomorrow = DAY + datetime.timedelta(days=1)
    assign(ShiftFactory(post=cast.post_a, period="pm", starts_at=at(16, 15, tomorrow), ends_at=at(17, 10, tomorrow),
                        published=True), cast.officer_a)
    client.force_login(cast.oscar)
    response = client.get(reverse("attendance:checkin"))
    assert response.context["shift_now"].current is None
    html = response.content.decode()
    assert 'id="checkin-none"' in html
    assert "09-03" in html and "16:15-17:10" in html
    assert 'id="checkin-config"' not in html


def test_without_any_shift_the_page_says_so(cast, frozen, client):
    # A draft is not his shift yet.
    ShiftFactory(post=cast.post_a, starts_at=at(7, 25), ends_at=at(8, 10), published=False)
    client.force_login(cast.oscar)
    response = client.get(reverse("attendance:checkin"))
    assert response.status_code == 200
    assert response.context["shift_now"].current is None
    assert response.context["shift_now"].next_shift is None
    assert 'id="checkin-none"' in response.content.decode()


def test_a_checked_out_shift_gives_way_to_the_next_one_today(morning, client):
    assignment_check_in(assignment=morning.assignment, user=morning.oscar, lat=30.5201, lng=105.5801,
                        equipment=ALL_KIT)
    assignment_check_out(assignment=morning.assignment, user=morning.oscar)
    afternoon = assign(ShiftFactory(post=staffed_post(morning.station_a, "侧门", police=1), period="pm",
                                    starts_at=at(16, 15), ends_at=at(17, 10), published=True), morning.officer_a)
    client.force_login(morning.oscar)
    response = client.get(reverse("attendance:checkin"))
    assert response.context["shift_now"].current.assignment == afternoon
    assert 'id="checkin-btn" disabled' in response.content.decode()


def test_an_excused_shift_shows_the_excuse_and_no_button(morning, client):
    assignment_excuse(assignment=morning.assignment, user=morning.alice, reason="市局培训")
    client.force_login(morning.oscar)
    html = client.get(reverse("attendance:checkin")).content.decode()
    assert 'id="checkin-excused"' in html and "市局培训" in html
    assert 'id="checkin-btn"' not in html


def test_an_account_without_a_person_is_told_why_there_is_nothing_to_check_in(cast, frozen, client):
    client.force_login(cast.alice)  # a dispatcher: may record check-ins, stands no post
    response = client.get(reverse("attendance:checkin"))
    assert response.status_code == 200
    assert 'id="checkin-no-person"' in response.content.decode()


def test_the_check_in_page_needs_a_sign_in_and_the_permission(cast, frozen, client):
    response = client.get(reverse("attendance:checkin"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    client.force_login(cast.henry)  # HQ records no check-ins
    assert client.get(reverse("attendance:checkin")).status_code == 403


def test_my_shifts_offers_check_in_on_todays_running_shift(morning, client):
    client.force_login(morning.oscar)
    html = client.get(reverse("duty:my_shifts")).content.decode()
    assert html.count('class="btn btn-primary btn-lg w-100 mt-3 shift-check-in"') == 1
    assert f'href="{reverse("attendance:checkin")}"' in html


def test_the_navigation_offers_check_in_to_people_and_the_board_to_watchers(cast, frozen, client):
    checkin, live = reverse("attendance:checkin"), reverse("attendance:live")
    client.force_login(cast.oscar)
    html = client.get(reverse("duty:my_shifts")).content.decode()
    assert f'href="{checkin}"' in html and f'href="{live}"' not in html
    for user in (cast.alice, cast.sam, cast.henry):
        client.force_login(user)
        html = client.get(reverse("home")).content.decode()
        assert f'href="{live}"' in html, user
        assert f'href="{checkin}"' not in html, user


# -- the live board: permissions and scope ---------------------------------------------------------


def test_the_live_board_sends_anonymous_users_to_the_login_page(cast, client):
    response = client.get(reverse("attendance:live"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    # The self-refreshing body takes the whole window to the login page, not itself.
    response = client.get(reverse("attendance:live"), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response["HX-Redirect"].startswith(reverse("login"))


def test_the_live_board_is_for_dispatchers_supervisors_and_hq(cast, frozen, client):
    for role in ROLES:
        client.force_login(cast.user(role))
        expected = 200 if role in ("dispatcher", "supervisor", "hq") else 403
        assert client.get(reverse("attendance:live")).status_code == expected, role


def test_another_stations_live_board_is_404(cast, frozen, client):
    client.force_login(cast.bob)
    url = reverse("attendance:live")
    assert client.get(url, {"station": cast.station_a.pk}).status_code == 404
    assert client.get(url, {"station": "abc"}).status_code == 404
    assert client.get(url, {"station": 99999}).status_code == 404
    assert client.get(url).context["station"] == cast.station_b


def test_a_dispatcher_sees_his_station_and_hq_sees_every_station(cast, frozen, client):
    ShiftFactory(post=cast.post_a, starts_at=at(7, 25), ends_at=at(8, 10), published=True)
    ShiftFactory(post=cast.post_b, starts_at=at(7, 25), ends_at=at(8, 10), published=True)
    client.force_login(cast.alice)
    response = client.get(reverse("attendance:live"))
    assert response.context["station"] == cast.station_a
    assert [p.post for p in response.context["board"].posts] == [cast.post_a]
    # Asking for "all" is asking for the whole scope, which is still his station.
    response = client.get(reverse("attendance:live"), {"station": "all"})
    assert [p.post for p in response.context["board"].posts] == [cast.post_a]
    for user in (cast.henry, cast.sam):
        client.force_login(user)
        response = client.get(reverse("attendance:live"))
        assert response.context["station"] is None
        assert {p.post for p in response.context["board"].posts} == {cast.post_a, cast.post_b}
        response = client.get(reverse("attendance:live"), {"station": cast.station_b.pk})
        assert [p.post for p in response.context["board"].posts] == [cast.post_b]


# -- the live board: states ----------------------------------------------------------------------------


@pytest.fixture
def peak(cast, frozen):
    """Five posts of station A this morning (the clock says 07:45):
    - 东门: starts 08:00, not started, nobody in yet;
    - 北门: needs one policeman, Oscar is there: fully staffed;
    - 南门: needs a policeman and an auxiliary, only the policeman answered the radio: short;
    - 西门: started 07:25 and nobody came: nobody there, for 20 minutes;
    - 侧门: started 07:43 and nobody came yet: nobody there, but only for 2 minutes;
    - 后门: its auxiliary checked in and left at 07:40: nobody there, 15 minutes.
    Plus station B's post, which station A's board never shows."""
    a = cast.station_a
    p = {name: staffed_post(a, name, police=1, auxiliary=1) for name in ("东门", "南门", "西门", "侧门", "后门")}
    p["北门"] = staffed_post(a, "北门", police=1)
    shifts = {
        "东门": ShiftFactory(post=p["东门"], starts_at=at(8, 0), ends_at=at(8, 40), published=True),
        "北门": ShiftFactory(post=p["北门"], starts_at=at(7, 25), ends_at=at(8, 10), published=True),
        "南门": ShiftFactory(post=p["南门"], starts_at=at(7, 25), ends_at=at(8, 10), published=True),
        "西门": ShiftFactory(post=p["西门"], starts_at=at(7, 25), ends_at=at(8, 10), published=True),
        "侧门": ShiftFactory(post=p["侧门"], starts_at=at(7, 43), ends_at=at(8, 20), published=True),
        "后门": ShiftFactory(post=p["后门"], starts_at=at(7, 25), ends_at=at(8, 10), published=True),
    }
    ShiftFactory(post=cast.post_b, starts_at=at(7, 25), ends_at=at(8, 10), published=True)
    people = {
        "oscar": assign(shifts["北门"], cast.officer_a),
        "south_police": assign(shifts["南门"], PersonFactory(name="李警", unit=a)),
        "south_aux": assign(shifts["南门"], PersonFactory(name="王辅", unit=a, kind=PersonKind.AUXILIARY)),
        "west_police": assign(shifts["西门"], PersonFactory(name="赵警", unit=a)),
        "east_police": assign(shifts["东门"], PersonFactory(name="钱警", unit=a)),
        "back_aux": assign(shifts["后门"], PersonFactory(name="孙辅", unit=a, kind=PersonKind.AUXILIARY)),
    }
    assignment_check_in(assignment=people["oscar"], user=cast.oscar, lat=30.5201, lng=105.5801,
                        equipment=ALL_KIT, now=at(7, 20))
    assignment_check_in(assignment=people["south_police"], user=cast.alice, method=CheckInMethod.RADIO,
                        equipment=ALL_KIT, now=at(7, 30))
    assignment_check_in(assignment=people["back_aux"], user=cast.alice, method=CheckInMethod.RADIO,
                        equipment=ALL_KIT, now=at(7, 24))
    assignment_check_out(assignment=people["back_aux"], user=cast.alice, now=at(7, 40))
    cast.peak_posts, cast.peak_shifts, cast.peak_people = p, shifts, people
    return cast


def test_the_board_states_and_the_nobody_there_list(peak):
    board = live_board(user=peak.alice, station=peak.station_a, day=DAY, period="am", now=NOW)
    states = {item.post.name: item.state for item in board.posts}
    assert states == {
        "东门": PostState.NOT_STARTED, "北门": PostState.STAFFED, "南门": PostState.SHORT,
        "西门": PostState.NOBODY, "侧门": PostState.NOBODY, "后门": PostState.NOBODY,
    }
    assert board.counts == {"nobody": 3, "short": 1, "staffed": 1, "not_started": 1}
    # Five minutes after the start with nobody checked in: 西门 (20 min) and 后门 (20 min,
    # its auxiliary left at 07:40); 侧门 started only 2 minutes ago.
    assert {item.post.name for item in board.nobody_there} == {"后门", "西门"}
    by_name = {item.post.name: item for item in board.posts}
    south = by_name["南门"]
    assert south.short == {"auxiliary": 1}
    assert [p.person.name for p in south.there] == ["李警"]
    assert [p.person.name for p in south.not_there] == ["王辅"]
    assert south.there[0].check_in.method == CheckInMethod.RADIO
    north = by_name["北门"]
    assert north.there[0].check_in.distance_m == 0 and north.there[0].status == "on_time"
    back = by_name["后门"]
    assert [p.person.name for p in back.gone] == ["孙辅"] and not back.there
    assert by_name["东门"].started_minutes == -15


def test_the_board_page_shows_the_states_people_and_flags(peak, client):
    client.force_login(peak.alice)
    response = client.get(reverse("attendance:live"))
    assert response.status_code == 200
    html = response.content.decode()
    for name, state in (("北门", "staffed"), ("南门", "short"), ("西门", "nobody"), ("东门", "not_started")):
        shift = peak.peak_shifts[name]
        assert f'data-shift="{shift.pk}" data-state="{state}"' in html, name
    nobody = html.split('id="live-nobody"')[1].split("</ul>")[0]
    assert "西门" in nobody and "后门" in nobody and "侧门" not in nobody
    assert 'data-state="nobody">' in html and '<span class="live-count-value">3</span>' in html
    assert "李警" in html and 'class="badge text-bg-info live-radio"' in html
    # The dispatcher gets a radio roll-call and an excuse button for each person not there.
    south_aux = peak.peak_people["south_aux"]
    assert f'data-url="/api/v1/assignments/{south_aux.pk}/check-in/"' in html
    assert f'data-url="/api/v1/assignments/{south_aux.pk}/excuse/"' in html
    assert 'id="rollcall-modal"' in html and 'id="excuse-modal"' in html
    assert "hx-trigger=\"every 15s, refresh\"" in html
    # HQ watches; it records nothing.
    client.force_login(peak.henry)
    html = client.get(reverse("attendance:live")).content.decode()
    assert "live-roll-call" not in html and "live-excuse" not in html and 'id="rollcall-modal"' not in html


def test_flags_outside_the_fence_and_missing_kit_show_on_the_board(cast, frozen, client):
    shift = ShiftFactory(post=cast.post_a, starts_at=at(7, 25), ends_at=at(8, 10), published=True)
    assignment = assign(shift, cast.officer_a)
    assignment_check_in(assignment=assignment, user=cast.oscar, lat=30.5246, lng=105.5801,
                        outside_reason="正门施工，在路口执勤", equipment=["police_kit", "cap"], now=at(7, 30))
    client.force_login(cast.alice)
    html = client.get(reverse("attendance:live")).content.decode()
    assert "live-outside" in html and "正门施工，在路口执勤" in html
    missing = html.split('class="badge text-bg-danger live-kit-missing">')[1].split("</span>")[0]
    with translation.override("zh-hans"):
        labels = [str(KitItem(item).label) for item in ("shoulder_light", "radio", "body_camera")]
    assert all(label in missing for label in labels), missing


def test_the_htmx_request_gets_the_body_alone(peak, client):
    client.force_login(peak.alice)
    url = reverse("attendance:live") + "?refresh=5"
    page = client.get(url).content.decode()
    body = client.get(url, headers={"HX-Request": "true"})
    assert body.status_code == 200
    text = body.content.decode()
    assert text.lstrip().startswith('<div id="live-body"')
    assert "<html" not in text and "<nav" not in text and 'id="live-query"' not in text
    assert 'id="live-query"' in page and 'id="live-body"' in page
    # It reloads itself from the same address, at the asked pace.
    assert f'hx-get="{url}"' in text and 'hx-trigger="every 5s, refresh"' in text
    assert 'hx-swap="outerHTML"' in text


def test_the_refresh_pace_is_kept_within_bounds(cast, frozen, client):
    client.force_login(cast.alice)
    for asked, used in (("1", 2), ("2", 2), ("60", 60), ("100000", 300), ("x", 15)):
        assert client.get(reverse("attendance:live"), {"refresh": asked}).context["refresh"] == used, asked


def test_the_board_looks_back_at_another_day_and_period(peak, client):
    client.force_login(peak.alice)
    pm = ShiftFactory(post=peak.peak_posts["北门"], period="pm", starts_at=at(16, 15), ends_at=at(17, 10),
                      published=True)
    yesterday = DAY - datetime.timedelta(days=1)
    old = ShiftFactory(post=peak.peak_posts["西门"], starts_at=at(7, 25, yesterday), ends_at=at(8, 10, yesterday),
                       published=True)
    response = client.get(reverse("attendance:live"), {"period": "pm"})
    assert [item.shift for item in response.context["board"].posts] == [pm]
    assert response.context["board"].posts[0].state == PostState.NOT_STARTED
    assert not response.context["is_current"]
    response = client.get(reverse("attendance:live"), {"date": yesterday.isoformat(), "period": "am"})
    assert [item.shift for item in response.context["board"].posts] == [old]
    assert response.context["ended"]
    # A date that is not a date means today.
    response = client.get(reverse("attendance:live"), {"date": "yesterday"})
    assert response.context["day"] == DAY and response.context["is_current"]


def test_the_current_peak_turns_at_noon():
    assert current_peak(at(11, 59)) == (DAY, "am")
    assert current_peak(at(12, 0)) == (DAY, "pm")
    assert current_peak(datetime.datetime(2026, 9, 1, 23, 30, tzinfo=datetime.timezone.utc)) == (DAY, "am")


def test_the_live_board_does_not_grow_in_queries_with_posts(cast, frozen, client):
    def add_posts(count):
        for _ in range(count):
            post = PostFactory(school=SchoolFactory(station=cast.station_a))
            shift = ShiftFactory(post=post, starts_at=at(7, 25), ends_at=at(8, 10), published=True)
            police = assign(shift, PersonFactory(unit=cast.station_a))
            assign(shift, PersonFactory(unit=cast.station_a, kind=PersonKind.AUXILIARY))
            assignment_check_in(assignment=police, user=cast.alice, method=CheckInMethod.RADIO, now=at(7, 30))

    client.force_login(cast.alice)
    url = reverse("attendance:live")
    add_posts(2)
    client.get(url)  # warm up per-process caches
    few = count_queries(lambda: client.get(url))
    few_body = count_queries(lambda: client.get(url, headers={"HX-Request": "true"}))
    assert len(client.get(url).context["board"].posts) == 2
    add_posts(10)
    many = count_queries(lambda: client.get(url))
    many_body = count_queries(lambda: client.get(url, headers={"HX-Request": "true"}))
    assert len(client.get(url).context["board"].posts) == 12
    assert (few, few_body) == (many, many_body)
    # The board's own queries, and one count for each app's alert above it (core.registry).
    alert_apps = sum(1 for entry in registry.entries() if entry.board_alerts)
    assert many <= 13 + alert_apps, many
