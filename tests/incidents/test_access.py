"""Who may do what with incidents, through the API and the pages: the shared contract
(tests/contracts.py), and by hand what the contract cannot say.

Dispatchers and supervisors record and correct incidents and take their handling steps;
officers report them (and keep and finish their own drafts) but correct nothing and take no
step; HQ reads; the administrators read nothing. Nobody deletes one. Another station's
incident answers 404 on every page and endpoint. The clock is frozen on Monday
7 September 2026, 16:30."""

import datetime
import itertools
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from incidents.models import Incident, IncidentPhoto
from incidents.services import incident_create
from tests.contracts import ROLES, APIContract, PageContract, snapshot
from tests.factories import PostFactory, SchoolFactory
from tests.scenes import PNG, client_for

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2026, 9, 7, 16, 30, tzinfo=TZ)
_n = itertools.count()

pytestmark = pytest.mark.usefixtures("media")


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def desk_of(cast, station):
    return cast.alice if station == cast.station_a else cast.bob


def an_incident(cast, station, **fields):
    """A reported help request at a new school of `station`, recorded by its dispatcher."""
    post = PostFactory(school=SchoolFactory(station=station))
    values = {"kind": "help", "post": post, "occurred_at": NOW - datetime.timedelta(hours=9),
              "summary": f"家长求助{next(_n)}", "people_count": 2, **fields}
    return incident_create(user=desk_of(cast, station), **values)


class IncidentResource:
    model = Incident
    may_read = {"dispatcher", "officer", "supervisor", "hq"}
    # Officers may add (the gate's report) but not change: the contract's writes are checked
    # for the desk, and the officer's refusals by hand below.
    may_write = {"dispatcher", "supervisor", "officer"}
    writable_actions = {"create", "update"}

    def make_object(self, cast, station):
        return an_incident(cast, station)


class TestIncidentsAPI(IncidentResource, APIContract):
    url = "/api/v1/incidents/"
    detail_actions = ("report", "take", "escalate", "refer", "close", "reopen")

    def create_payload(self, cast):
        return {"kind": "alarm", "occurred_at": (NOW - datetime.timedelta(hours=9)).isoformat(),
                "post": cast.post_a.pk, "people_count": 3, "summary": "学生报警：有人尾随"}

    def update_payload(self, cast, obj):
        return {"summary": "学生报警：有人尾随（已核实）", "action_taken": "护送回家"}

    def action_data(self, cast, action, obj):
        return {"refer": {"department": "交警大队"}, "reopen": {"note": "家长再次反映"}}.get(action, {})


class TestIncidentPages(IncidentResource, PageContract):
    detail_actions = ("step",)

    def form_data(self, cast):
        return {"kind": "help", "occurred_at": (NOW - datetime.timedelta(hours=9)).strftime("%Y-%m-%dT%H:%M"),
                "school": cast.school_a.pk, "post": cast.post_a.pk, "people_count": 2,
                "summary": f"家长求助{next(_n)}", "action_taken": ""}

    def action_data(self, cast, action, obj):
        return {"kind": "taken"}


# --- what the contract cannot say ----------------------------------------------------------------

API = "/api/v1/incidents/"
STEPS = ("take", "escalate", "refer", "close", "reopen")


def test_an_officer_reports_through_the_api_but_corrects_nothing_and_takes_no_step(cast):
    incident = an_incident(cast, cast.station_a)
    before = snapshot(incident)
    api = client_for(cast.oscar)
    response = api.post(API, TestIncidentsAPI().create_payload(cast), format="json")
    assert response.status_code == 201, response.content
    assert Incident.objects.get(pk=response.json()["id"]).reported_by == cast.oscar
    assert api.patch(f"{API}{incident.pk}/", {"summary": "改了"}, format="json").status_code == 403
    assert api.delete(f"{API}{incident.pk}/").status_code == 403
    for action in (*STEPS, "report"):
        response = api.post(f"{API}{incident.pk}/{action}/", {"department": "x", "note": "x"}, format="json")
        assert response.status_code == 403, (action, response.content)
    assert snapshot(incident) == before


def test_an_officer_reports_through_the_pages_but_corrects_nothing_and_takes_no_step(cast, client):
    incident = an_incident(cast, cast.station_a)
    before = snapshot(incident)
    client.force_login(cast.oscar)
    assert client.get(reverse("incidents:incident_add")).status_code == 200
    response = client.post(reverse("incidents:incident_add"), TestIncidentPages().form_data(cast))
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    edit = reverse("incidents:incident_edit", args=[incident.pk])
    assert client.get(edit).status_code == 403
    assert client.post(edit, TestIncidentPages().form_data(cast)).status_code == 403
    response = client.post(reverse("incidents:incident_step", args=[incident.pk]), {"kind": "taken"})
    assert response.status_code == 403
    assert snapshot(incident) == before


def test_an_officer_finishes_his_own_draft_and_not_someone_elses(cast, client):
    mine = incident_create(user=cast.oscar, report=False, kind="help", post=cast.post_a,
                           occurred_at=NOW - datetime.timedelta(hours=9))
    theirs = incident_create(user=cast.alice, report=False, kind="help", post=cast.post_a,
                             occurred_at=NOW - datetime.timedelta(hours=9))
    client.force_login(cast.oscar)
    assert client.get(reverse("incidents:incident_edit", args=[theirs.pk])).status_code == 403
    data = {**TestIncidentPages().form_data(cast), "summary": "家长求助找孩子"}
    response = client.post(reverse("incidents:incident_edit", args=[mine.pk]), data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    mine.refresh_from_db()
    assert (mine.status, mine.summary) == ("open", "家长求助找孩子")
    api = client_for(cast.oscar)
    response = api.post(f"{API}{theirs.pk}/report/")
    assert response.status_code == 403, response.content
    assert Incident.objects.get(pk=theirs.pk).status == "draft"


def test_roles_without_the_permission_cannot_reach_the_other_pages(cast, client):
    incident = an_incident(cast, cast.station_a)
    photo = IncidentPhoto.objects.create(incident=incident, uploaded_by=cast.alice,
                                         photo=SimpleUploadedFile("a.png", PNG, content_type="image/png"))
    for role in ROLES:
        client.force_login(cast.user(role))
        school = client.get(reverse("incidents:school_incidents", args=[incident.school_id]))
        picture = client.get(reverse("incidents:incident_photo", args=[photo.pk]))
        figures = client_for(cast.user(role)).get(f"{API}figures/")
        if role in IncidentResource.may_read:
            assert (school.status_code, picture.status_code, figures.status_code) == (200, 200, 200), role
        else:
            assert (school.status_code, picture.status_code, figures.status_code) == (403, 403, 403), role


def test_another_stations_incident_is_404_on_every_page_and_endpoint(cast, client):
    incident = an_incident(cast, cast.station_a)
    photo = IncidentPhoto.objects.create(incident=incident, uploaded_by=cast.alice,
                                         photo=SimpleUploadedFile("a.png", PNG, content_type="image/png"))
    before = snapshot(incident)
    client.force_login(cast.bob)
    for url in [incident.get_absolute_url(), reverse("incidents:incident_edit", args=[incident.pk]),
                reverse("incidents:incident_photo", args=[photo.pk]),
                reverse("incidents:school_incidents", args=[incident.school_id])]:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("incidents:incident_step", args=[incident.pk]),
                       {"kind": "taken"}).status_code == 404
    assert client.post(reverse("incidents:incident_edit", args=[incident.pk]),
                       TestIncidentPages().form_data(cast)).status_code == 404
    api = client_for(cast.bob)
    assert api.get(f"{API}{incident.pk}/").status_code == 404
    assert api.patch(f"{API}{incident.pk}/", {"summary": "x"}, format="json").status_code == 404
    for action in (*STEPS, "report"):
        response = api.post(f"{API}{incident.pk}/{action}/", {"department": "x", "note": "x"}, format="json")
        assert response.status_code == 404, (action, response.content)
    # Bob's lists and figures leave it out.
    assert client.get(reverse("incidents:incident_list")).context["object_list"].count() == 0
    assert api.get(f"{API}figures/").json()["summary"]["help_and_alarms"] == 0
    assert snapshot(incident) == before


def test_another_stations_school_or_post_cannot_be_named(cast):
    api = client_for(cast.bob)
    payload = TestIncidentsAPI().create_payload(cast)
    response = api.post(API, payload, format="json")
    assert response.status_code == 400 and "post" in response.json(), response.content
    response = api.post(API, {**payload, "post": None, "school": cast.school_a.pk}, format="json")
    assert response.status_code == 400 and "school" in response.json(), response.content
    assert not Incident.objects.exists()
