"""The attendance and supervision API, as a phone, a dispatcher, a supervisor and HQ use it:
`assignments/{id}/check-in/`, `check-out/` and `excuse/`, `spot-checks/`, `bulletins/` (with
`issue`); the figures, `stats/duty/`, are tests/reports/test_api.py.

Every endpoint answers anonymous requests 401, a role without the permission 403, a user of
another station 404 for that station's object (and leaves it unchanged), and the allowed role
200/201; list query counts do not grow with the rows. Permissions come from org/roles.py:
officers check themselves in; dispatchers record radio roll-calls and excuse absences and
read the supervision records; supervisors make spot checks and draft and issue bulletins;
HQ reads; administrators see none of it.

The shift is Monday 7 September 2026 at each station's gate, 07:25-08:10 (Asia/Shanghai),
published; the clock is frozen. Messages are checked in English (the msgids)."""

import datetime

import pytest
from rest_framework.test import APIClient

from attendance.models import CheckIn, CheckInMethod
from attendance.services import assignment_check_in
from duty.models import Assignment, AttendanceStatus, Shift
from supervision.models import Bulletin, FindingIssue, SpotCheck, SpotCheckMethod
from supervision.services import bulletin_create, bulletin_issue, spot_check_create
from tests.contracts import count_queries, snapshot
from tests.factories import PersonFactory
from tests.scenes import ALL_KIT, END, MINUTE, START, client_for, put_on, two_gates_on_duty

pytestmark = pytest.mark.usefixtures("english")

D = datetime.date
METRES_PER_DEGREE_OF_LATITUDE = 111_195


def at_the_gate(cast, metres=0, **extra) -> dict:
    """A phone's check-in body, `metres` north of station A's gate, with the full kit."""
    lat = float(cast.post_a.lat) + metres / METRES_PER_DEGREE_OF_LATITUDE
    return {"lat": f"{lat:.6f}", "lng": f"{float(cast.post_a.lng):.6f}", "equipment": ALL_KIT, **extra}


@pytest.fixture
def duty(cast, clock):
    """Oscar and 李同 on station A's gate shift, 乙警 on station B's."""
    return two_gates_on_duty(cast)


def url(assignment, action) -> str:
    return f"/api/v1/assignments/{assignment.pk}/{action}/"


# --- check-in --------------------------------------------------------------------------------


def test_oscar_checks_in_from_his_phone(duty):
    response = client_for(duty.oscar).post(url(duty.mine, "check-in"), at_the_gate(duty, 40), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    check = CheckIn.objects.get()
    assert body["id"] == check.pk and body["assignment"] == duty.mine.pk
    assert body["method"] == "phone" and body["distance_m"] == 40
    assert body["inside_geofence"] is True and body["flagged"] is False
    assert body["kit_missing"] == []
    assert check.recorded_by == duty.oscar
    duty.mine.refresh_from_db()
    assert duty.mine.checked_in_at == START - 5 * MINUTE and duty.mine.attendance == AttendanceStatus.ON_TIME
    listed = client_for(duty.oscar).get(f"/api/v1/assignments/{duty.mine.pk}/").json()
    assert listed["checked_in_at"] is not None


def test_a_retried_check_in_answers_200_with_the_first(duty, clock):
    client = client_for(duty.oscar)
    first = client.post(url(duty.mine, "check-in"), at_the_gate(duty, 10, equipment=["cap"]), format="json")
    assert first.status_code == 201
    clock(START + 3 * MINUTE)
    again = client.post(url(duty.mine, "check-in"), at_the_gate(duty, 90), format="json")
    assert again.status_code == 200
    assert again.json() == first.json()
    assert CheckIn.objects.count() == 1
    stored = CheckIn.objects.get()
    assert (str(stored.lat), stored.distance_m, stored.kit) == (at_the_gate(duty, 10)["lat"], 10, ["cap"])


def test_outside_the_fence_without_a_reason_is_400_naming_the_distance(duty):
    client = client_for(duty.oscar)
    response = client.post(url(duty.mine, "check-in"), at_the_gate(duty, 300), format="json")
    assert response.status_code == 400
    (message,) = response.json()["outside_reason"]
    assert "300 m from the post" in message
    assert not CheckIn.objects.exists()

    response = client.post(url(duty.mine, "check-in"), at_the_gate(duty, 300, outside_reason="路口疏导交通"),
                           format="json")
    assert response.status_code == 201
    body = response.json()
    assert (body["inside_geofence"], body["flagged"], body["outside_reason"], body["distance_m"]) == (
        False, True, "路口疏导交通", 300)


def test_missing_kit_is_answered_and_flagged(duty):
    response = client_for(duty.oscar).post(url(duty.mine, "check-in"),
                                           at_the_gate(duty, equipment=["police_kit", "cap"]), format="json")
    assert response.status_code == 201
    assert response.json()["kit_missing"] == ["shoulder_light", "radio", "body_camera"]
    assert response.json()["flagged"] is True


def test_bad_check_in_input_is_400_by_field(duty, clock):
    client = client_for(duty.oscar)
    response = client.post(url(duty.mine, "check-in"), at_the_gate(duty, equipment=["umbrella"]), format="json")
    assert response.status_code == 400 and "equipment" in response.json()
    response = client.post(url(duty.mine, "check-in"), {"equipment": ALL_KIT}, format="json")
    assert response.status_code == 400 and "lat" in response.json()
    clock(START - 31 * MINUTE)
    response = client.post(url(duty.mine, "check-in"), at_the_gate(duty), format="json")
    assert response.status_code == 400
    (message,) = response.json()["assignment"]
    assert "opens at 06:55" in message
    assert not CheckIn.objects.exists()


def test_check_in_refuses_anonymous_roles_without_it_another_person_and_another_station(duty):
    body = at_the_gate(duty)
    before = (snapshot(duty.mine), snapshot(duty.colleague))
    assert APIClient().post(url(duty.mine, "check-in"), body, format="json").status_code == 401
    for role in ("supervisor", "hq", "admin"):
        response = client_for(duty.user(role)).post(url(duty.mine, "check-in"), body, format="json")
        assert response.status_code == 403, role
    # Oscar sees 李同's assignment (same station) but may not check him in.
    response = client_for(duty.oscar).post(url(duty.colleague, "check-in"), body, format="json")
    assert response.status_code == 403
    assert "李同" in response.json()["detail"]
    # The dispatcher may not check someone in "by phone"; the other station's does not see it.
    assert client_for(duty.alice).post(url(duty.mine, "check-in"), body, format="json").status_code == 403
    response = client_for(duty.bob).post(url(duty.mine, "check-in"), {"method": "radio"}, format="json")
    assert response.status_code == 404
    assert client_for(duty.oscar).post(url(duty.theirs_b, "check-in"), body, format="json").status_code == 404
    assert not CheckIn.objects.exists()
    assert (snapshot(duty.mine), snapshot(duty.colleague)) == before


def test_someone_elses_check_in_is_not_handed_over_on_a_retry(duty):
    assignment_check_in(assignment=duty.colleague, user=duty.alice, method=CheckInMethod.RADIO, equipment=ALL_KIT)
    response = client_for(duty.oscar).post(url(duty.colleague, "check-in"), at_the_gate(duty), format="json")
    assert response.status_code == 403
    assert "lat" not in response.json()


def test_the_dispatcher_records_a_radio_roll_call(duty, clock):
    clock(START + 2 * MINUTE)
    response = client_for(duty.alice).post(url(duty.colleague, "check-in"),
                                           {"method": "radio", "equipment": ALL_KIT}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["method"] == "radio"
    check = CheckIn.objects.get()
    assert (check.method, check.recorded_by, check.assignment) == (CheckInMethod.RADIO, duty.alice, duty.colleague)
    duty.colleague.refresh_from_db()
    assert duty.colleague.attendance == AttendanceStatus.LATE


# --- check-out -------------------------------------------------------------------------------


def test_check_out_before_the_end_is_leaving_early(duty, clock):
    client = client_for(duty.oscar)
    response = client.post(url(duty.mine, "check-out"), {}, format="json")
    assert response.status_code == 400 and "assignment" in response.json()
    client.post(url(duty.mine, "check-in"), at_the_gate(duty), format="json")
    clock(END - MINUTE)
    client = client_for(duty.oscar)  # log in again: a login idles out after 30 minutes
    response = client.post(url(duty.mine, "check-out"), at_the_gate(duty, 20), format="json")
    assert response.status_code == 200
    assert response.json()["attendance"] == "left_early"
    duty.mine.refresh_from_db()
    assert duty.mine.checked_out_at == END - MINUTE and duty.mine.check_out_distance_m == 20


def test_check_out_at_the_end_keeps_on_time(duty, clock):
    client = client_for(duty.oscar)
    client.post(url(duty.mine, "check-in"), at_the_gate(duty), format="json")
    clock(END)
    response = client_for(duty.oscar).post(url(duty.mine, "check-out"), {}, format="json")
    assert response.status_code == 200 and response.json()["attendance"] == "on_time"


def test_check_out_refuses_anonymous_roles_without_it_another_person_and_another_station(duty):
    assignment_check_in(assignment=duty.colleague, user=duty.alice, method=CheckInMethod.RADIO, equipment=ALL_KIT)
    before = snapshot(duty.colleague)
    assert APIClient().post(url(duty.colleague, "check-out"), {}, format="json").status_code == 401
    for role in ("supervisor", "hq", "admin"):
        assert client_for(duty.user(role)).post(url(duty.colleague, "check-out"), {}).status_code == 403, role
    assert client_for(duty.oscar).post(url(duty.colleague, "check-out"), {}, format="json").status_code == 403
    assert client_for(duty.bob).post(url(duty.colleague, "check-out"), {}, format="json").status_code == 404
    assert snapshot(duty.colleague) == before
    # The station's dispatcher records it for him (a radio call-out).
    response = client_for(duty.alice).post(url(duty.colleague, "check-out"), {}, format="json")
    assert response.status_code == 200


# --- excuse ----------------------------------------------------------------------------------


def test_the_dispatcher_excuses_with_a_reason(duty):
    client = client_for(duty.alice)
    response = client.post(url(duty.colleague, "excuse"), {"reason": ""}, format="json")
    assert response.status_code == 400 and "reason" in response.json()
    response = client.post(url(duty.colleague, "excuse"), {"reason": "抽调处置警情"}, format="json")
    assert response.status_code == 200
    assert response.json() == {"attendance": "excused", "excuse_reason": "抽调处置警情"}
    duty.colleague.refresh_from_db()
    assert duty.colleague.excused_by == duty.alice


def test_excuse_refuses_anonymous_officers_supervisors_and_another_station(duty):
    before = snapshot(duty.mine)
    body = {"reason": "病假"}
    assert APIClient().post(url(duty.mine, "excuse"), body, format="json").status_code == 401
    for role in ("officer", "supervisor", "hq", "admin"):
        assert client_for(duty.user(role)).post(url(duty.mine, "excuse"), body, format="json").status_code == 403, role
    assert client_for(duty.bob).post(url(duty.mine, "excuse"), body, format="json").status_code == 404
    assert snapshot(duty.mine) == before


# --- spot-checks/ ----------------------------------------------------------------------------


SPOT_CHECKS = "/api/v1/spot-checks/"


def make_check(cast, post=None, findings=2) -> SpotCheck:
    post = post or cast.post_a
    shift = Shift.objects.filter(post=post).first()
    people = list(Assignment.objects.filter(shift=shift).values_list("person_id", flat=True)) if shift else []
    return spot_check_create(
        post=post, method=SpotCheckMethod.VIDEO, checked_at=START + 10 * MINUTE, supervisor=cast.sam,
        findings=[{"person": people[n % len(people)] if people else None, "issue": FindingIssue.CONDUCT, "note": "n"}
                  for n in range(findings)],
    )


@pytest.fixture
def checking(duty, clock):
    clock(START + 15 * MINUTE)
    return duty


def spot_check_payload(cast) -> dict:
    return {"post": cast.post_a.pk, "method": "onsite", "checked_at": (START + 12 * MINUTE).isoformat(),
            "note": "四不两直",
            "findings": [{"person": cast.officer_a.pk, "issue": "absent", "note": "岗位无人"},
                         {"person": cast.colleague.person_id, "issue": "kit_missing"}]}


def test_the_supervisor_records_a_spot_check_and_sees_the_contradiction(checking):
    cast = checking
    assignment_check_in(assignment=cast.mine, user=cast.oscar, lat=cast.post_a.lat, lng=cast.post_a.lng,
                        equipment=ALL_KIT, now=START)
    client = client_for(cast.sam)
    response = client.post(SPOT_CHECKS, spot_check_payload(cast), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    check = SpotCheck.objects.get()
    assert body["id"] == check.pk
    assert (body["shift"], body["station"], body["supervisor"]) == (cast.shift_a.pk, cast.station_a.pk, cast.sam.pk)
    assert [(f["person"], f["issue"]) for f in body["findings"]] == [
        (cast.officer_a.pk, "absent"), (cast.colleague.person_id, "kit_missing")]

    detail = client.get(f"{SPOT_CHECKS}{check.pk}/").json()
    (contradiction,) = detail["contradictions"]
    assert contradiction["person"] == cast.officer_a.pk and contradiction["issue"] == "absent"
    assert contradiction["check_in"]["at"] is not None and contradiction["check_in"]["distance_m"] == 0


def test_a_finding_about_someone_not_on_the_shift_is_400(checking):
    cast = checking
    payload = spot_check_payload(cast)
    payload["findings"].append({"person": PersonFactory(name="钱七", unit=cast.station_a).pk, "issue": "absent"})
    response = client_for(cast.sam).post(SPOT_CHECKS, payload, format="json")
    assert response.status_code == 400
    assert "钱七" in response.json()["findings"][0]
    response = client_for(cast.sam).post(SPOT_CHECKS, {**payload, "method": "telepathy"}, format="json")
    assert response.status_code == 400 and "method" in response.json()
    assert not SpotCheck.objects.exists()


def test_spot_checks_answer_401_to_anonymous_requests(checking):
    check = make_check(checking)
    client = APIClient()
    assert client.get(SPOT_CHECKS).status_code == 401
    assert client.get(f"{SPOT_CHECKS}{check.pk}/").status_code == 401
    assert client.post(SPOT_CHECKS, spot_check_payload(checking), format="json").status_code == 401
    assert client.get(f"{SPOT_CHECKS}sample/").status_code == 401


def test_spot_checks_answer_403_to_roles_without_the_permission(checking):
    cast = checking
    check = make_check(cast)
    for role in ("officer", "admin"):
        client = client_for(cast.user(role))
        assert client.get(SPOT_CHECKS).status_code == 403, role
        assert client.get(f"{SPOT_CHECKS}{check.pk}/").status_code == 403, role
    for role in ("officer", "admin", "dispatcher", "hq"):
        client = client_for(cast.user(role))
        assert client.post(SPOT_CHECKS, spot_check_payload(cast), format="json").status_code == 403, role
        assert client.get(f"{SPOT_CHECKS}sample/").status_code == 403, role
    assert SpotCheck.objects.count() == 1


def test_readers_list_and_retrieve_spot_checks_of_their_scope_only(checking):
    cast = checking
    check_a, check_b = make_check(cast), make_check(cast, post=cast.post_b)
    for role in ("dispatcher", "supervisor", "hq"):
        client = client_for(cast.user(role))
        response = client.get(SPOT_CHECKS)
        assert response.status_code == 200, role
        assert {"count", "next", "previous", "results"} <= set(response.json())
        assert client.get(f"{SPOT_CHECKS}{check_a.pk}/").status_code == 200, role
    bob = client_for(cast.bob)
    assert bob.get(f"{SPOT_CHECKS}{check_a.pk}/").status_code == 404
    assert [row["id"] for row in bob.get(SPOT_CHECKS).json()["results"]] == [check_b.pk]
    assert client_for(cast.alice).get(f"{SPOT_CHECKS}{check_b.pk}/").status_code == 404


def test_the_sample_suggests_posts_on_duty_now(checking):
    response = client_for(checking.sam).get(f"{SPOT_CHECKS}sample/", {"size": 5})
    assert response.status_code == 200
    assert sorted(row["shift"] for row in response.json()) == sorted([checking.shift_a.pk, checking.shift_b.pk])
    assert client_for(checking.sam).get(f"{SPOT_CHECKS}sample/", {"size": "x"}).status_code == 400


def test_the_spot_check_list_query_count_does_not_grow_with_rows(checking):
    cast = checking
    client = client_for(cast.alice)
    client.get(SPOT_CHECKS)
    for _ in range(2):
        make_check(cast)
    few = count_queries(lambda: client.get(SPOT_CHECKS))
    for _ in range(10):
        make_check(cast)
    many = count_queries(lambda: client.get(SPOT_CHECKS))
    assert client.get(SPOT_CHECKS).json()["count"] == 12
    assert few == many, (few, many)
    assert many <= 12, many


# --- bulletins/ ------------------------------------------------------------------------------


BULLETINS = "/api/v1/bulletins/"


def make_bulletin(cast, unit=None, issued=True) -> Bulletin:
    bulletin = bulletin_create(unit=unit or cast.station_a, title="督察通报", period_start=D(2026, 9, 1),
                               period_end=D(2026, 9, 30), user=cast.sam)
    return bulletin_issue(bulletin=bulletin, user=cast.sam) if issued else bulletin


def bulletin_payload(cast) -> dict:
    return {"unit": cast.bureau.pk, "title": "九月督察通报", "period_start": "2026-09-01", "period_end": "2026-09-30"}


def test_the_supervisor_drafts_edits_and_issues_a_bulletin(checking):
    cast = checking
    client = client_for(cast.sam)
    response = client.post(BULLETINS, bulletin_payload(cast), format="json")
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    assert response.json()["status"] == "draft" and response.json()["number"] is None
    response = client.patch(f"{BULLETINS}{pk}/", {"text": "正文"}, format="json")
    assert response.status_code == 200 and response.json()["text"] == "正文"

    response = client.post(f"{BULLETINS}{pk}/issue/")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["status"], body["year"], body["number"]) == ("issued", 2026, 1)
    assert body["issued_at"] is not None and "stations" in body["content"]
    second = client.post(BULLETINS, {**bulletin_payload(cast), "title": "专项通报"}, format="json").json()
    assert client.post(f"{BULLETINS}{second['id']}/issue/").json()["number"] == 2


def test_an_issued_bulletin_refuses_an_update_and_a_second_issue(checking):
    cast = checking
    bulletin = make_bulletin(cast, unit=cast.bureau)
    before = snapshot(bulletin)
    client = client_for(cast.sam)
    response = client.patch(f"{BULLETINS}{bulletin.pk}/", {"title": "改过的标题"}, format="json")
    assert response.status_code == 400 and "status" in response.json()
    response = client.put(f"{BULLETINS}{bulletin.pk}/", bulletin_payload(cast), format="json")
    assert response.status_code == 400 and "status" in response.json()
    assert client.post(f"{BULLETINS}{bulletin.pk}/issue/").status_code == 400
    assert snapshot(bulletin) == before


def test_bulletins_answer_401_to_anonymous_requests(checking):
    bulletin = make_bulletin(checking)
    client = APIClient()
    assert client.get(BULLETINS).status_code == 401
    assert client.get(f"{BULLETINS}{bulletin.pk}/").status_code == 401
    assert client.post(BULLETINS, bulletin_payload(checking), format="json").status_code == 401
    assert client.patch(f"{BULLETINS}{bulletin.pk}/", {"title": "x"}, format="json").status_code == 401
    assert client.post(f"{BULLETINS}{bulletin.pk}/issue/").status_code == 401


def test_bulletins_answer_403_to_roles_without_the_permission(checking):
    cast = checking
    issued, draft = make_bulletin(cast), make_bulletin(cast, issued=False)
    before = (snapshot(issued), snapshot(draft))
    admin = client_for(cast.ada)
    assert admin.get(BULLETINS).status_code == 403
    assert admin.get(f"{BULLETINS}{issued.pk}/").status_code == 403
    for role in ("dispatcher", "officer", "hq", "admin"):
        client = client_for(cast.user(role))
        assert client.post(BULLETINS, bulletin_payload(cast), format="json").status_code == 403, role
        assert client.patch(f"{BULLETINS}{draft.pk}/", {"title": "x"}, format="json").status_code == 403, role
        assert client.post(f"{BULLETINS}{draft.pk}/issue/").status_code == 403, role
    assert (snapshot(issued), snapshot(draft)) == before
    assert Bulletin.objects.count() == 2


def test_readers_see_the_bulletins_sent_to_them_and_not_another_stations(checking):
    cast = checking
    to_a, to_b, bureau_wide = (make_bulletin(cast, unit=unit) for unit in (cast.station_a, cast.station_b, cast.bureau))
    for role in ("dispatcher", "officer", "supervisor", "hq"):
        client = client_for(cast.user(role))
        assert client.get(BULLETINS).status_code == 200, role
        assert client.get(f"{BULLETINS}{to_a.pk}/").status_code == 200, role
        assert client.get(f"{BULLETINS}{bureau_wide.pk}/").status_code == 200, role
    bob = client_for(cast.bob)
    assert bob.get(f"{BULLETINS}{to_a.pk}/").status_code == 404
    assert {row["id"] for row in bob.get(BULLETINS).json()["results"]} == {to_b.pk, bureau_wide.pk}


def test_the_bulletin_list_query_count_does_not_grow_with_rows(checking):
    cast = checking
    client = client_for(cast.alice)
    client.get(BULLETINS)
    for _ in range(2):
        make_bulletin(cast)
    few = count_queries(lambda: client.get(BULLETINS))
    for _ in range(10):
        make_bulletin(cast)
    many = count_queries(lambda: client.get(BULLETINS))
    assert client.get(BULLETINS).json()["count"] == 12
    assert few == many, (few, many)
    assert many <= 12, many


# --- the edges found while building the phone page and the live board ------------------------


def test_an_officer_of_another_unit_checks_in_his_own_assignment(duty):
    """An HQ team's officer standing a station's post: the station is outside his unit's
    scope, but his own published assignment is his to check in."""
    from org.models import Unit, UnitKind
    from org.services import user_create
    from tests.fixtures import PASSWORD

    team = Unit.objects.create(name="机关实战大队", kind=UnitKind.TEAM, parent=duty.bureau)
    person = PersonFactory(name="队员甲", unit=team)
    user = user_create(username="teamer", password=PASSWORD, role="officer", unit=team, person=person)
    visiting = put_on(duty.shift_a, person)
    response = client_for(user).post(url(visiting, "check-in"), at_the_gate(duty), format="json")
    assert response.status_code == 201, response.json()
    # Who stands with him on his shift he sees (duty.models.AssignmentQuerySet), but he checks
    # in nobody but himself; anyone else's assignment stays invisible to him.
    assert client_for(user).post(url(duty.mine, "check-in"), at_the_gate(duty), format="json").status_code == 403
    assert client_for(user).post(url(duty.theirs_b, "check-in"), at_the_gate(duty), format="json").status_code == 404


def test_a_radio_roll_call_without_a_kit_list_flags_no_kit(duty):
    response = client_for(duty.alice).post(url(duty.mine, "check-in"), {"method": "radio"}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["kit_missing"] == [] and response.json()["flagged"] is False


def test_a_radio_roll_call_with_the_kit_reported_flags_what_is_missing(duty):
    response = client_for(duty.alice).post(url(duty.mine, "check-in"), {"method": "radio", "equipment": ["cap"]},
                                           format="json")
    assert response.status_code == 201
    assert set(response.json()["kit_missing"]) == set(ALL_KIT) - {"cap"}


def test_a_radio_roll_call_after_the_shift_is_refused(duty, clock):
    clock(END)
    response = client_for(duty.alice).post(url(duty.mine, "check-in"), {"method": "radio"}, format="json")
    assert response.status_code == 400
    assert "ended at 08:10" in response.json()["assignment"][0]


def test_someone_who_checked_in_cannot_be_excused(duty):
    client_for(duty.oscar).post(url(duty.mine, "check-in"), at_the_gate(duty), format="json")
    response = client_for(duty.alice).post(url(duty.mine, "excuse"), {"reason": "病假"}, format="json")
    assert response.status_code == 400
    assert "checked in" in response.json()["reason"][0]


def test_a_phones_fifteen_decimals_are_accepted_and_rounded(duty):
    body = at_the_gate(duty)
    body["lat"] = float(body["lat"]) + 0.000000123456789
    response = client_for(duty.oscar).post(url(duty.mine, "check-in"), body, format="json")
    assert response.status_code == 201, response.json()
    assert CheckIn.objects.get().lat == duty.post_a.lat
