"""Every write endpoint, for every role: who may write, as the README promises it.

- dispatchers (派出所内勤) keep their station's schools, posts, terms, calendar overrides,
  timetables, people, leave and standing assignments, generate shifts, run the roster
  board, record radio roll-calls and excuse absences;
- officers (执勤民警) check themselves in and out, and write nothing else;
- supervisors (督察) record spot checks and write and issue bulletins;
- HQ (分局指挥中心) sees every station of the bureau, read-only: it writes nothing;
- administrators keep units and the public-holiday calendar.

The expected writers are written out here, not read from org/roles.py, so a permission
given to the wrong role fails this test. A role that may not write gets 403 (or 404 where it
may not even see the object) and the database is left as it was; a role that may gets past
the permission check (its empty or minimal request may still be refused as bad input).
Each request runs in a savepoint that is rolled back, so the attempts do not add up.
"""

import datetime
from dataclasses import dataclass
from typing import Any, Callable
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.db import transaction
from django.urls import reverse
from rest_framework.test import APIClient

from duty.models import Assignment, Leave, StandingAssignment
from supervision.services import bulletin_create
from org.models import Unit, UnitKind
from posts.models import Holiday, weekdays_to_mask
from tests.contracts import ROLES
from tests.factories import (
    CalendarOverrideFactory,
    PersonFactory,
    PostFactory,
    SchoolFactory,
    ShiftFactory,
    TermFactory,
    TimetableFactory,
)

TZ = ZoneInfo("Asia/Shanghai")
MONDAY = datetime.date(2026, 9, 7)
NOW = datetime.datetime(2026, 9, 7, 7, 30, tzinfo=TZ)

DISPATCHER = frozenset({"dispatcher"})
OFFICER_AND_DISPATCHER = frozenset({"officer", "dispatcher"})
SUPERVISOR = frozenset({"supervisor"})
ADMIN = frozenset({"admin"})
ALLOWED = {200, 201, 202, 204, 302, 400}
REFUSED = {403, 404}


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str  # "post", "patch", "delete" (API), "page" (an HTML form: GET and POST) or "action" (POST)
    url: Callable[[Any], str]
    writers: frozenset
    data: Callable[[str, Any], dict] = lambda role, o: {}

    @property
    def is_api(self) -> bool:
        return self.method not in ("page", "action")


def crud_api(resource: str, key: str, writers=DISPATCHER) -> list[Endpoint]:
    base = f"/api/v1/{resource}/"
    return [
        Endpoint(f"{resource} create", "post", lambda o: base, writers),
        Endpoint(f"{resource} update", "patch", lambda o: f"{base}{o[key].pk}/", writers),
        Endpoint(f"{resource} delete", "delete", lambda o: f"{base}{o[key].pk}/", writers),
    ]


def crud_pages(app: str, model: str, key: str, writers=DISPATCHER, importable=False) -> list[Endpoint]:
    pages = [
        Endpoint(f"{model} add page", "page", lambda o: reverse(f"{app}:{model}_add"), writers),
        Endpoint(f"{model} edit page", "page", lambda o: reverse(f"{app}:{model}_edit", args=[o[key].pk]), writers),
        Endpoint(f"{model} delete page", "page", lambda o: reverse(f"{app}:{model}_delete", args=[o[key].pk]),
                 writers),
    ]
    if importable:
        pages.append(Endpoint(f"{model} import page", "page", lambda o: reverse(f"{app}:{model}_import"), writers))
    return pages


def check_in_data(role, o) -> dict:
    # An officer checks himself in by phone; anyone else can only try a radio roll-call.
    if role == "officer":
        return {"lat": 30.5201, "lng": 105.5801, "equipment": []}
    return {"method": "radio", "equipment": []}


WEEK = lambda role, o: {"station": o["cast"].station_a.pk, "week": MONDAY.isoformat()}  # noqa: E731

ENDPOINTS = [
    # -- the API ---------------------------------------------------------------------------
    *crud_api("units", "unit", ADMIN),
    *crud_api("people", "person"),
    *crud_api("schools", "school"),
    *crud_api("posts", "post"),
    *crud_api("terms", "term"),
    *crud_api("calendar-overrides", "override"),
    *crud_api("timetables", "timetable"),
    *crud_api("standing-assignments", "standing"),
    *crud_api("leaves", "leave"),
    Endpoint("shifts generate", "post", lambda o: "/api/v1/shifts/generate/", DISPATCHER,
             lambda role, o: {"start": MONDAY.isoformat(), "end": MONDAY.isoformat()}),
    Endpoint("assignments create", "post", lambda o: "/api/v1/assignments/", DISPATCHER,
             lambda role, o: {"shift": o["draft"].pk, "person": o["person"].pk}),
    Endpoint("assignments delete", "delete", lambda o: f"/api/v1/assignments/{o['on_draft'].pk}/", DISPATCHER),
    Endpoint("assignments move", "post", lambda o: f"/api/v1/assignments/{o['on_draft'].pk}/move/", DISPATCHER,
             lambda role, o: {"shift": o["draft_pm"].pk}),
    Endpoint("assignments check-in", "post", lambda o: f"/api/v1/assignments/{o['oscar_now'].pk}/check-in/",
             OFFICER_AND_DISPATCHER, check_in_data),
    Endpoint("assignments check-out", "post", lambda o: f"/api/v1/assignments/{o['oscar_now'].pk}/check-out/",
             OFFICER_AND_DISPATCHER),
    Endpoint("assignments excuse", "post", lambda o: f"/api/v1/assignments/{o['oscar_now'].pk}/excuse/",
             DISPATCHER, lambda role, o: {"reason": "病假"}),
    Endpoint("roster publish", "post", lambda o: "/api/v1/roster/publish/", DISPATCHER, WEEK),
    Endpoint("roster copy week", "post", lambda o: "/api/v1/roster/copy-week/", DISPATCHER, WEEK),
    Endpoint("spot-checks create", "post", lambda o: "/api/v1/spot-checks/", SUPERVISOR,
             lambda role, o: {"post": o["cast"].post_a.pk, "method": "video", "checked_at": NOW.isoformat()}),
    Endpoint("bulletins create", "post", lambda o: "/api/v1/bulletins/", SUPERVISOR),
    Endpoint("bulletins update", "patch", lambda o: f"/api/v1/bulletins/{o['bulletin'].pk}/", SUPERVISOR,
             lambda role, o: {"title": "督察通报（修改）"}),
    Endpoint("bulletins issue", "post", lambda o: f"/api/v1/bulletins/{o['bulletin'].pk}/issue/", SUPERVISOR),
    # -- the pages -------------------------------------------------------------------------
    *crud_pages("org", "unit", "unit", ADMIN),
    *crud_pages("org", "person", "person", importable=True),
    *crud_pages("posts", "school", "school", importable=True),
    *crud_pages("posts", "post", "post", importable=True),
    *crud_pages("posts", "term", "term"),
    *crud_pages("posts", "calendaroverride", "override"),
    *crud_pages("posts", "timetable", "timetable"),
    *crud_pages("posts", "holiday", "holiday", ADMIN, importable=True),
    *crud_pages("duty", "leave", "leave"),
    *crud_pages("duty", "standingassignment", "standing"),
    Endpoint("spot check page", "page", lambda o: reverse("supervision:spotcheck_add"), SUPERVISOR),
    Endpoint("bulletin add page", "page", lambda o: reverse("supervision:bulletin_add"), SUPERVISOR),
    Endpoint("bulletin edit page", "page", lambda o: reverse("supervision:bulletin_edit", args=[o["bulletin"].pk]),
             SUPERVISOR),
    Endpoint("bulletin issue", "action", lambda o: reverse("supervision:bulletin_issue", args=[o["bulletin"].pk]),
             SUPERVISOR),
]


def assign(shift, person) -> Assignment:
    return Assignment.objects.create(shift=shift, person=person, station=shift.station, starts_at=shift.starts_at,
                                     ends_at=shift.ends_at)


@pytest.fixture
def objects(cast, time_machine):
    """One object of every kind in station A's scope, and Oscar on a shift running now."""
    time_machine.move_to(NOW, tick=False)
    a = cast.station_a
    draft = ShiftFactory(post=PostFactory(school=SchoolFactory(station=a)), date=MONDAY + datetime.timedelta(days=1))
    return {
        "cast": cast,
        "unit": Unit.objects.create(name="仁里派出所巡逻队", kind=UnitKind.TEAM, parent=a),
        "person": PersonFactory(unit=a),
        "school": SchoolFactory(station=a),
        "post": PostFactory(school=SchoolFactory(station=a)),
        "term": TermFactory(school=cast.school_a),
        "override": CalendarOverrideFactory(school=cast.school_a),
        "timetable": TimetableFactory(school=cast.school_a),
        "holiday": Holiday.objects.order_by("date").first(),
        "standing": StandingAssignment.objects.create(
            person=PersonFactory(unit=a), post=cast.post_a, station=a, weekdays=weekdays_to_mask([1, 3]),
            periods=StandingAssignment.Periods.AM, start_date=MONDAY, end_date=MONDAY + datetime.timedelta(days=60)),
        "leave": Leave.objects.create(person=PersonFactory(unit=a), station=a, start_date=MONDAY,
                                      end_date=MONDAY + datetime.timedelta(days=1), reason="病假"),
        "draft": draft,
        "draft_pm": ShiftFactory(post=draft.post, date=draft.date, period="pm"),
        "on_draft": assign(draft, PersonFactory(unit=a)),
        "oscar_now": assign(ShiftFactory(post=cast.post_a, published=True), cast.officer_a),
        "bulletin": bulletin_create(unit=cast.bureau, title="督察通报", period_start=MONDAY, period_end=MONDAY,
                                    user=cast.sam),
    }


def fingerprint() -> tuple:
    """How many rows every business table and its history hold: any write shows here."""
    models = [m for label in ("org", "posts", "duty", "supervision") for m in apps.get_app_config(label).get_models()]
    return tuple(m._default_manager.count() for m in models)


def attempt(endpoint: Endpoint, role: str, o) -> list[tuple[int, bool]]:
    """Each request of the endpoint as `role`: its status and whether it changed anything,
    rolled back afterwards (so every attempt starts from the fixture's fingerprint)."""
    user = o["cast"].user(role)
    url, data = endpoint.url(o), endpoint.data(role, o)
    if endpoint.is_api:
        client = APIClient()
        client.force_login(user)
        calls = [lambda: getattr(client, endpoint.method)(url, data, format="json")]
    else:
        from django.test import Client

        client = Client()
        client.force_login(user)
        calls = [lambda: client.post(url, data)]
        if endpoint.method == "page":
            calls.insert(0, lambda: client.get(url))
    results = []
    for call in calls:
        with transaction.atomic():
            response = call()
            changed = fingerprint() != o["fingerprint"]
            transaction.set_rollback(True)
        results.append((response.status_code, changed))
    return results


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[e.name for e in ENDPOINTS])
def test_only_the_roles_that_own_the_work_may_write(endpoint, objects):
    objects["fingerprint"] = fingerprint()
    for role in ROLES:
        for status, changed in attempt(endpoint, role, objects):
            if role in endpoint.writers:
                assert status in ALLOWED, (role, status)
            else:
                assert status in REFUSED, (role, status)
                assert not changed, role


def test_hq_writes_nothing_but_its_trainings_its_pulls_and_its_work_briefings(cast):
    # HQ sees every station and changes none of their records; as the command centre it
    # organises the police training batches, may start a "135" pull at any school, and writes
    # the work briefing it sends upward.
    writes = sorted(p for p in cast.henry.get_all_permissions() if not p.split(".")[1].startswith("view_"))
    assert writes == ["outreach.add_training", "outreach.change_training", "outreach.delete_training",
                      "outreach.start_pull", "reports.add_briefing", "reports.change_briefing",
                      "reports.delete_briefing"]
