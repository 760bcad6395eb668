"""Each role's home page (reports.selectors.home): a station's dispatcher sees his station's
gaps, open and overdue hazards, emergencies not closed in time and, when he keeps the
register, the key persons overdue for a follow-up; a supervisor the review queue, this
month's findings by kind and the bulletins; HQ this month's headline figures, the dashboard
and what is overdue; an officer lands on his shift; the administrators keep the counts.
Each card links to the list that counts it, and that list counts as many rows; the queries
of each page do not grow with the rows.

The clock is frozen on Wednesday 16 September 2026 at 07:45, during the morning peak."""

import datetime
import itertools
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from duty.models import Assignment, Shift
from incidents.models import Incident
from incidents.services import incident_create
from inspections.models import Hazard, HazardStatus, Inspection
from inspections.services import inspection_approve
from keypersons.access import KEEPERS_GROUP
from keypersons.idnumber import with_check_character
from keypersons.models import KeyPerson
from keypersons.services import keyperson_create
from org.models import PersonKind
from reports.selectors.home import HQ_HEADLINE_KEYS, REVIEW_QUEUE_SHOWN, home_counts
from reports.selectors.summary import stats_summary, summary_links
from supervision.models import Bulletin
from supervision.services import bulletin_create, bulletin_issue
from tests.contracts import count_queries
from tests.factories import PersonFactory, PostFactory, ShiftFactory
from tests.fixtures import give_second_factor
from tests.inspections.helpers import an_inspection
from tests.scenes import findings_on

TZ = ZoneInfo("Asia/Shanghai")
TODAY = datetime.date(2026, 9, 16)  # a Wednesday
NOW = datetime.datetime(2026, 9, 16, 7, 45, tzinfo=TZ)
MONTH_START = datetime.date(2026, 9, 1)
POLICE_ONLY = {kind.value: 0 for kind in PersonKind} | {PersonKind.POLICE.value: 1}
# The most queries each role's home page may take, however many rows (the navigation
# and the session included).
CEILINGS = {"alice": 40, "sam": 22, "henry": 34, "ada": 12}
_serial = itertools.count(1)


def at(day: datetime.date, hour: int, minute: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=TZ)


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


def html_of(client, user, name="home") -> str:
    client.force_login(user)
    response = client.get(reverse(name))
    assert response.status_code == 200
    return response.content.decode()


def figure(html: str, element_id: str) -> int:
    """The number shown in the element with that id."""
    start = html.index(f'id="{element_id}"')
    start = html.index(">", start) + 1
    return int(html[start:html.index("<", start)].strip())


def link(html: str, element_id: str) -> str:
    """The href of the card whose figure has that id (its link is `<id>-link`)."""
    start = html.index(f'id="{element_id}-link"')
    tag_start = html.rindex("<a ", 0, start)
    href = html.index('href="', tag_start) + len('href="')
    return html[href:html.index('"', href)].replace("&amp;", "&")


def listed(client, url: str) -> int:
    """How many rows the list page at `url` counts."""
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["paginator"].count


# -- the scene ------------------------------------------------------------------------------------


def assign(shift: Shift, person) -> Assignment:
    return Assignment.objects.create(shift=shift, person=person, station=shift.station,
                                     starts_at=shift.starts_at, ends_at=shift.ends_at)


def a_hazard(school, status=HazardStatus.OPEN, *, deadline=TODAY + datetime.timedelta(days=10)) -> Hazard:
    return Hazard.objects.create(school=school, category="traffic", description="斑马线褪色", severity="medium",
                                 found_on=MONTH_START, deadline=deadline, status=status)


def an_emergency(user, post, occurred_at) -> Incident:
    return incident_create(user=user, kind="emergency", post=post, occurred_at=occurred_at, summary="校门口突发事件")


def a_key_person(cast, *, overdue: bool) -> KeyPerson:
    number = with_check_character(f"51090319850312{next(_serial) % 1000:03d}")
    person = keyperson_create(user=cast.alice, name=f"测试人员{next(_serial)}", id_number=number, phone="13812345678",
                              address="遂宁市船山区仁里街8号", basis="社区排查发现", categories=["petitioner"],
                              risk="medium", station=cast.station_a, officer=cast.officer_a)
    if overdue:
        KeyPerson.objects.filter(pk=person.pk).update(follow_up_due=TODAY - datetime.timedelta(days=3))
    return person


@pytest.fixture
def station(cast, frozen):
    """Station A's post needs one police officer. This week: this morning's shift is running
    with nobody there (short), this afternoon's has Oscar (staffed), Monday's ended with
    nobody (history, not short). Next week: Monday's has Oscar, Tuesday's nobody (short).
    Station B has a shift this week with nobody (not Alice's).
    Hazards: at A one of each status, plus one open past its deadline; at B one overdue.
    Emergencies: at A one not closed in time and one just reported; at B one not closed in time."""
    cast.post_a.staffing = POLICE_ONLY
    cast.post_a.save()
    next_monday = TODAY + datetime.timedelta(days=5)
    cast.running = ShiftFactory(post=cast.post_a, date=TODAY, published=True)  # 07:25-08:10
    assign(ShiftFactory(post=cast.post_a, date=TODAY, period="pm", published=True), cast.officer_a)
    ShiftFactory(post=cast.post_a, date=TODAY - datetime.timedelta(days=2), published=True)
    assign(ShiftFactory(post=cast.post_a, date=next_monday), cast.officer_a)
    ShiftFactory(post=cast.post_a, date=next_monday + datetime.timedelta(days=1))
    ShiftFactory(post=cast.post_b, date=TODAY + datetime.timedelta(days=1), published=True)

    for status in HazardStatus.values:
        a_hazard(cast.school_a, status)
    a_hazard(cast.school_a, deadline=TODAY - datetime.timedelta(days=1))
    a_hazard(cast.school_b, HazardStatus.NOTIFIED, deadline=TODAY - datetime.timedelta(days=2))

    an_emergency(cast.oscar, cast.post_a, at(TODAY, 5, 0))
    an_emergency(cast.oscar, cast.post_a, at(TODAY, 7, 40))
    an_emergency(cast.bob, cast.post_b, at(TODAY - datetime.timedelta(days=1), 16, 30))
    return cast


# -- the dispatcher ---------------------------------------------------------------------------------


def test_the_dispatcher_sees_his_stations_gaps_this_week_and_next(station, client):
    html = html_of(client, station.alice)
    assert station.station_a.name in html.split('id="home-station"')[1].split("</h2>")[0]
    assert figure(html, "home-short-this_week") == 1
    assert figure(html, "home-short-next_week") == 1
    # Each links to that week's roster board, whose own total says as many.
    for key, monday in (("this_week", "2026-09-14"), ("next_week", "2026-09-21")):
        url = link(html, f"home-short-{key}")
        assert url == f"{reverse('duty:roster')}?station={station.station_a.pk}&week={monday}"
        assert client.get(url).context["grid"]["totals"]["short"] == 1


def test_a_gap_filled_is_a_gap_no_more(station, client):
    assign(station.running, station.officer_a)
    html = html_of(client, station.alice)
    assert figure(html, "home-short-this_week") == 0
    assert figure(html, "home-nobody") == 1  # assigned, but not checked in


def test_while_a_peak_runs_the_dispatcher_sees_the_posts_with_nobody_there(station, client):
    html = html_of(client, station.alice)
    assert figure(html, "home-nobody") == 1
    url = link(html, "home-nobody")
    assert url == f"{reverse('attendance:live')}?station={station.station_a.pk}"
    assert client.get(url).context["board"].counts["nobody"] == 1


def test_between_peaks_there_is_no_live_figure(station, client, frozen):
    frozen.move_to(at(TODAY, 10, 0), tick=False)
    html = html_of(client, station.alice)
    assert 'id="home-nobody"' not in html
    assert 'id="home-no-peak"' in html


def test_the_dispatchers_open_and_overdue_hazards_are_the_lists_counts(station, client):
    html = html_of(client, station.alice)
    # Open, notified, rectified and the overdue open one; not the verified one, not station B's.
    assert figure(html, "home-hazards-open") == 4
    assert figure(html, "home-hazards-overdue") == 1
    assert listed(client, link(html, "home-hazards-open")) == 4
    assert listed(client, link(html, "home-hazards-overdue")) == 1


def test_the_dispatchers_emergencies_not_closed_in_time(station, client):
    html = html_of(client, station.alice)
    assert figure(html, "home-emergencies-overdue") == 1
    assert listed(client, link(html, "home-emergencies-overdue")) == 1


def test_key_persons_overdue_only_for_a_keeper_of_the_register(station, client):
    a_key_person(station, overdue=True)
    a_key_person(station, overdue=False)
    html = html_of(client, station.alice)
    assert 'id="home-keypersons-overdue"' not in html
    station.alice.groups.add(Group.objects.get(name=KEEPERS_GROUP))
    give_second_factor(client, station.alice)
    response = client.get(reverse("home"))
    html = response.content.decode()
    assert figure(html, "home-keypersons-overdue") == 1
    assert listed(client, link(html, "home-keypersons-overdue")) == 1


def test_another_stations_dispatcher_sees_his_own(station, client):
    html = html_of(client, station.bob)
    assert figure(html, "home-short-this_week") == 1
    assert figure(html, "home-short-next_week") == 0
    assert figure(html, "home-hazards-open") == 1
    assert figure(html, "home-hazards-overdue") == 1
    assert figure(html, "home-emergencies-overdue") == 1
    assert 'id="home-nobody"' not in html  # no shift of his this peak: nothing is running
    assert 'id="count-schools"' not in html


# -- the supervisor ---------------------------------------------------------------------------------


@pytest.fixture
def supervision(station, frozen):
    """Inspections submitted for review: B's on Monday, A's on Tuesday and this morning;
    a draft and an approved one besides. Two findings on 2 September (station A), bulletins:
    one draft, one issued this month, one issued in August."""
    cast = station
    for user, school, moment in ((cast.bob, cast.school_b, at(TODAY - datetime.timedelta(days=2), 10, 0)),
                                 (cast.alice, cast.school_a, at(TODAY - datetime.timedelta(days=1), 10, 0)),
                                 (cast.alice, cast.school_a, at(TODAY, 7, 0))):
        frozen.move_to(moment, tick=False)
        an_inspection(cast, school, user=user, submit=True, date=moment.date())
    frozen.move_to(at(TODAY - datetime.timedelta(days=1), 11, 0), tick=False)
    approved = an_inspection(cast, cast.school_b, user=cast.bob, submit=True, date=TODAY - datetime.timedelta(days=1))
    inspection_approve(inspection=approved, user=cast.sam)
    frozen.move_to(at(datetime.date(2026, 8, 20), 9, 0), tick=False)
    bulletin_issue(bulletin=bulletin_create(unit=cast.bureau, title="八月通报", period_start=datetime.date(2026, 8, 1),
                                            period_end=datetime.date(2026, 8, 19), user=cast.sam), user=cast.sam)
    frozen.move_to(NOW, tick=False)
    an_inspection(cast, cast.school_a, user=cast.alice, date=TODAY)  # a draft
    findings_on(cast, datetime.date(2026, 9, 2))
    bulletin_issue(bulletin=bulletin_create(unit=cast.bureau, title="九月通报", period_start=MONTH_START,
                                            period_end=TODAY, user=cast.sam), user=cast.sam)
    bulletin_create(unit=cast.bureau, title="下期通报", period_start=MONTH_START, period_end=TODAY, user=cast.sam)
    return cast


def test_the_supervisor_sees_the_review_queue_oldest_first(supervision, client):
    html = html_of(client, supervision.sam)
    assert figure(html, "home-review-count") == 3
    oldest = html.split('id="home-review-oldest"')[1].split("</ol>")[0]
    queue = Inspection.objects.filter(status="submitted").order_by("submitted_at")
    assert [f'href="{i.get_absolute_url()}"' in oldest for i in queue] == [True] * 3
    positions = [oldest.index(i.get_absolute_url()) for i in queue]
    assert positions == sorted(positions)
    assert queue[0].school == supervision.school_b
    # The card links to the review queue, which lists as many.
    start = html.index('id="home-review-count"')
    href = html.rindex('href="', 0, start) + len('href="')
    url = html[href:html.index('"', href)]
    assert url == reverse("inspections:review_queue")
    assert client.get(url).context["rows"].count() == 3


def test_the_supervisor_sees_the_first_few_of_a_long_queue(supervision, client, frozen):
    for _ in range(REVIEW_QUEUE_SHOWN):
        an_inspection(supervision, supervision.school_a, user=supervision.alice, submit=True, date=TODAY)
    html = html_of(client, supervision.sam)
    assert figure(html, "home-review-count") == 3 + REVIEW_QUEUE_SHOWN
    assert html.split('id="home-review-oldest"')[1].split("</ol>")[0].count("<li") == REVIEW_QUEUE_SHOWN


def test_the_supervisor_sees_this_months_findings_by_kind_and_the_bulletins(supervision, client):
    html = html_of(client, supervision.sam)
    assert figure(html, "home-findings-total") == 2
    assert figure(html, "home-findings-absent") == 2
    assert figure(html, "home-findings-left_post") == 0
    # The figures page counts them with the same selector, for the same days.
    start = html.index('id="home-findings-total"')
    href = html.rindex('href="', 0, start) + len('href="')
    url = html[href:html.index('"', href)].replace("&amp;", "&")
    assert url == f"{reverse('reports:figures')}?start=2026-09-01&end=2026-09-16"
    assert client.get(url).context["findings_total"] == 2
    assert figure(html, "home-bulletins-drafted") == 1
    assert figure(html, "home-bulletins-issued") == 1
    assert listed(client, link(html, "home-bulletins-drafted")) == 1
    assert listed(client, link(html, "home-bulletins-issued")) == 1
    assert Bulletin.objects.filter(status="issued").count() == 2


# -- HQ ---------------------------------------------------------------------------------------------


def test_hq_sees_this_months_headline_figures_with_their_lists(station, client):
    html = html_of(client, station.henry)
    summary = stats_summary(user=station.henry, start=MONTH_START, end=TODAY)
    links = summary_links(user=station.henry, start=MONTH_START, end=TODAY)
    for key in HQ_HEADLINE_KEYS:
        assert figure(html, f"home-figure-{key}") == summary[key], key
        assert link(html, f"home-figure-{key}") == links[key], key
    assert figure(html, "home-figure-posts") == 2
    assert figure(html, "home-figure-emergencies_handled") == 3
    assert "2026-09-01 ~ 2026-09-16" in html.split('id="home-period"')[1].split("</span>")[0]
    assert f'href="{reverse("reports:dashboard")}" id="home-dashboard"' in html


def test_hq_sees_every_stations_overdue_hazards_and_emergencies(station, client):
    html = html_of(client, station.henry)
    assert figure(html, "home-hazards-overdue") == 2
    assert figure(html, "home-emergencies-overdue") == 2
    assert listed(client, link(html, "home-hazards-overdue")) == 2
    assert listed(client, link(html, "home-emergencies-overdue")) == 2


# -- the officer and the other roles -------------------------------------------------------------------


def test_the_officer_lands_on_his_next_shift_when_none_is_running(cast, frozen, client):
    tomorrow = TODAY + datetime.timedelta(days=1)
    assign(ShiftFactory(post=cast.post_a, date=tomorrow, period="pm", published=True), cast.officer_a)
    client.force_login(cast.oscar)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"] == reverse("attendance:checkin")
    response = client.get(response["Location"])
    assert response.context["shift_now"].current is None
    assert response.context["shift_now"].next_shift.shift.date == tomorrow
    html = response.content.decode()
    assert 'id="checkin-none"' in html
    assert "09-17" in html and "16:15-17:00" in html


@pytest.mark.parametrize("role", ["admin", "security", "auditor"])
def test_the_administrators_keep_the_counts_of_their_scope(station, client, role):
    user = station.user(role)
    html = html_of(client, user)
    counts = home_counts(user)
    for key, value in counts.items():
        if value is None:
            assert f'id="count-{key}"' not in html
        else:
            assert figure(html, f"count-{key}") == value
    assert 'id="home-hazards-open"' not in html and 'id="home-review-count"' not in html


# -- queries ------------------------------------------------------------------------------------------


def more_rows(cast):
    """Many more of everything each home page counts or lists: at both stations, posts with
    shifts this morning, later this week and next week, people on them, hazards, emergencies,
    inspections awaiting review, findings and bulletins."""
    next_monday = TODAY + datetime.timedelta(days=5)
    for i in range(4):
        school = cast.school_a if i % 2 else cast.school_b
        post = PostFactory(school=school)
        for day, period in ((TODAY, "am"), (TODAY + datetime.timedelta(days=1), "pm"), (next_monday, "am")):
            shift = ShiftFactory(post=post, date=day, period=period, published=True)
            assign(shift, PersonFactory(unit=post.station))
        a_hazard(school, deadline=TODAY - datetime.timedelta(days=i + 1))
        an_emergency(cast.oscar if i % 2 else cast.bob, post, at(TODAY, 4, i))
        an_inspection(cast, school, user=cast.alice if i % 2 else cast.bob, submit=True, date=TODAY)
        bulletin_create(unit=cast.bureau, title=f"草稿{i}", period_start=MONTH_START, period_end=TODAY, user=cast.sam)
    findings_on(cast, datetime.date(2026, 9, 3))


@pytest.mark.parametrize("username", list(CEILINGS))
def test_each_home_page_takes_a_fixed_number_of_queries(station, client, username, django_assert_max_num_queries):
    user = {"alice": station.alice, "sam": station.sam, "henry": station.henry, "ada": station.ada}[username]
    client.force_login(user)
    client.get(reverse("home"))
    few = count_queries(lambda: client.get(reverse("home")))
    more_rows(station)
    many = count_queries(lambda: client.get(reverse("home")))
    assert many == few
    with django_assert_max_num_queries(CEILINGS[username]):
        assert client.get(reverse("home")).status_code == 200
