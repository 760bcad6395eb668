"""Who may do what with spot checks and bulletins, through the API and the pages: the shared
contract (tests/contracts.py), and by hand what only bulletins have (drafts, issuing, reading
from below and above the issuing unit).

Supervisors record spot checks and write bulletins; dispatchers and HQ read both; officers
read bulletins only; administrators neither. Supervisors see the whole bureau, so the user "of
another station" with the same permissions is the supervisor of another bureau.

A spot check is a record of what was seen: created, never edited or deleted. A bulletin is
drafted, edited while a draft, and issued (numbered and frozen); never deleted. The clock is
frozen on Wednesday 2 September 2026, 07:50."""

import datetime
import itertools
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from org.models import Role, Unit, UnitKind
from org.services import user_create
from supervision.models import Bulletin, SpotCheck
from supervision.services import bulletin_create, bulletin_issue, spot_check_create
from tests.contracts import APIContract, PageContract, snapshot
from tests.factories import PostFactory, SchoolFactory
from tests.fixtures import PASSWORD

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2026, 9, 2, 7, 50, tzinfo=TZ)
TODAY = NOW.date()
LAST_WEEK = TODAY - datetime.timedelta(days=7)
_n = itertools.count()


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def other_bureaus_supervisor(cast):
    """A supervisor with Sam's permissions whose scope is another bureau."""
    bureau = Unit.objects.create(name="越溪分局", kind=UnitKind.BUREAU)
    return user_create(username="sue", password=PASSWORD, role=Role.SUPERVISOR, unit=bureau, full_name="苏督")


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


# --- spot checks -------------------------------------------------------------------------------


class SpotCheckResource:
    model = SpotCheck
    may_read = {"dispatcher", "supervisor", "hq"}
    may_write = {"supervisor"}
    writable_actions = {"create"}

    def make_object(self, cast, station):
        post = PostFactory(school=SchoolFactory(station=station))
        return spot_check_create(post=post, method="video", checked_at=NOW - datetime.timedelta(minutes=10),
                                 supervisor=cast.sam, findings=[{"issue": "other", "note": "未见护学岗标识"}])

    def writer(self, cast):
        return cast.sam

    def outsider(self, cast):
        return other_bureaus_supervisor(cast)


class TestSpotChecksAPI(SpotCheckResource, APIContract):
    url = "/api/v1/spot-checks/"

    def create_payload(self, cast):
        return {"post": cast.post_a.pk, "method": "radio", "checked_at": NOW.isoformat(), "note": "电台点名",
                "findings": [{"person": cast.officer_a.pk, "issue": "kit_missing", "note": "未带反光背心"}]}


class TestSpotCheckPages(SpotCheckResource, PageContract):
    def form_data(self, cast):
        return {
            "post": cast.post_a.pk, "method": "onsite", "checked_at": NOW.strftime("%Y-%m-%dT%H:%M"),
            "note": f"第{next(_n)}次巡查", "findings-TOTAL_FORMS": "0", "findings-INITIAL_FORMS": "0",
            "findings-MIN_NUM_FORMS": "0", "findings-MAX_NUM_FORMS": "30",
        }


# --- bulletins ---------------------------------------------------------------------------------


def a_bulletin(cast, unit, *, issued=True) -> Bulletin:
    bulletin = bulletin_create(unit=unit, title=f"督察通报{next(_n)}", period_start=LAST_WEEK, period_end=TODAY,
                               user=cast.sam)
    return bulletin_issue(bulletin=bulletin, user=cast.sam) if issued else bulletin


class BulletinResource:
    model = Bulletin
    may_read = {"dispatcher", "officer", "supervisor", "hq"}
    may_write = {"supervisor"}
    writable_actions = {"create", "update"}
    detail_actions = ("issue",)

    def make_object(self, cast, station):
        # Issued, so that every reader sees it (drafts stay with those who may change them).
        return a_bulletin(cast, station)

    def writer(self, cast):
        return cast.sam

    def outsider(self, cast):
        return other_bureaus_supervisor(cast)


class TestBulletinsAPI(BulletinResource, APIContract):
    url = "/api/v1/bulletins/"

    def create_payload(self, cast):
        return {"unit": cast.station_a.pk, "title": "九月第一周督察通报", "period_start": LAST_WEEK.isoformat(),
                "period_end": TODAY.isoformat(), "text": "现将督察情况通报如下。"}

    def update_payload(self, cast, obj):
        return {"title": "九月第一周督察通报（修改）"}


class TestBulletinPages(BulletinResource, PageContract):
    def form_data(self, cast):
        return {"unit": cast.station_a.pk, "title": f"督察通报{next(_n)}", "period_start": LAST_WEEK.isoformat(),
                "period_end": TODAY.isoformat(), "text": "现将督察情况通报如下。"}


BULLETINS = "/api/v1/bulletins/"


def test_drafts_are_seen_only_by_those_who_may_change_bulletins(cast, client):
    draft = a_bulletin(cast, cast.station_a, issued=False)
    for user in (cast.alice, cast.oscar, cast.henry):
        api = client_for(user)
        assert api.get(f"{BULLETINS}{draft.pk}/").status_code == 404, user
        assert draft.pk not in [row["id"] for row in api.get(BULLETINS).json()["results"]], user
        client.force_login(user)
        assert client.get(reverse("supervision:bulletin_detail", args=[draft.pk])).status_code == 404, user
        assert draft not in client.get(reverse("supervision:bulletin_list")).context["object_list"], user
    assert client_for(cast.sam).get(f"{BULLETINS}{draft.pk}/").json()["status"] == "draft"
    client.force_login(cast.sam)
    assert client.get(reverse("supervision:bulletin_detail", args=[draft.pk])).status_code == 200


def test_a_bulletin_is_read_below_and_above_its_issuing_unit_and_not_beside_it(cast):
    from_bureau = a_bulletin(cast, cast.bureau)
    from_station_a = a_bulletin(cast, cast.station_a)
    for user in (cast.alice, cast.bob, cast.oscar, cast.henry):  # sent down to every station
        assert client_for(user).get(f"{BULLETINS}{from_bureau.pk}/").status_code == 200, user
    for user in (cast.alice, cast.oscar, cast.sam, cast.henry):  # station A and the bureau above it
        assert client_for(user).get(f"{BULLETINS}{from_station_a.pk}/").status_code == 200, user
    bob = client_for(cast.bob)  # station B, beside it
    assert bob.get(f"{BULLETINS}{from_station_a.pk}/").status_code == 404
    assert [row["id"] for row in bob.get(BULLETINS).json()["results"]] == [from_bureau.pk]


def test_the_writer_issues_a_draft_through_the_api_and_the_pages(cast, client):
    api = client_for(cast.sam)
    draft = a_bulletin(cast, cast.station_a, issued=False)
    response = api.post(f"{BULLETINS}{draft.pk}/issue/")
    assert response.status_code == 200, response.content
    issued = Bulletin.objects.get(pk=draft.pk)
    assert (issued.status, issued.year, issued.number) == ("issued", 2026, 1)
    assert (response.json()["status"], response.json()["number"]) == ("issued", 1)
    draft = a_bulletin(cast, cast.station_a, issued=False)
    client.force_login(cast.sam)
    response = client.post(reverse("supervision:bulletin_issue", args=[draft.pk]))
    assert response.status_code == 302
    assert Bulletin.objects.get(pk=draft.pk).status == Bulletin.Status.ISSUED


def test_an_issued_bulletin_is_frozen_for_the_writer_too(cast, client):
    issued = a_bulletin(cast, cast.station_a)
    before = snapshot(issued)
    api = client_for(cast.sam)
    response = api.patch(f"{BULLETINS}{issued.pk}/", {"title": "改了"}, format="json")
    assert response.status_code == 400 and "status" in response.json(), response.content
    response = api.post(f"{BULLETINS}{issued.pk}/issue/")
    assert response.status_code == 400 and "status" in response.json(), response.content
    client.force_login(cast.sam)
    edit = reverse("supervision:bulletin_edit", args=[issued.pk])
    response = client.post(edit, {"title": "改了", "period_start": LAST_WEEK.isoformat(),
                                  "period_end": TODAY.isoformat(), "text": ""})
    assert response.status_code == 302 and response["Location"] == issued.get_absolute_url()
    assert snapshot(issued) == before
