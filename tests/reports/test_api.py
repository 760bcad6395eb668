"""The duty figures through the API, /api/v1/stats/duty/ (reports/api.py): they follow the
user's scope, add the tables by post and person on request, refuse bad parameters by field,
and answer 401 to anonymous requests and 403 to roles that do not watch attendance. The first
address, /api/v1/stats/attendance/, deprecated, answers the same.

The shift is Monday 7 September 2026 at each station's gate, 07:25-08:10 (Asia/Shanghai)."""

import pytest
from rest_framework.test import APIClient

from attendance.models import CheckInMethod
from attendance.services import assignment_check_in, close_ended_shifts
from tests.scenes import ALL_KIT, START, client_for, moment, two_gates_on_duty

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def duty(cast, clock):
    """Oscar and 李同 on station A's gate shift, 乙警 on station B's."""
    return two_gates_on_duty(cast)


# --- stats/duty/ --------------------------------------------------------------------------


STATS = "/api/v1/stats/duty/"
DAY = {"start": "2026-09-07", "end": "2026-09-07"}


@pytest.fixture
def decided(duty, clock):
    """Oscar on time, 李同 absent at station A; 乙警 on time at station B; seen at 09:00."""
    clock(START)
    assignment_check_in(assignment=duty.mine, user=duty.alice, method=CheckInMethod.RADIO, equipment=ALL_KIT)
    assignment_check_in(assignment=duty.theirs_b, user=duty.bob, method=CheckInMethod.RADIO, equipment=ALL_KIT)
    clock(moment(2026, 9, 7, 9, 0))
    close_ended_shifts()
    return duty


def test_the_figures_follow_the_scope(decided):
    cast = decided
    whole = client_for(cast.henry).get(STATS, DAY)
    assert whole.status_code == 200
    assert whole.json()["person_times"] == 2
    assert whole.json()["attendance"] == {"assigned": 3, "on_time": 2, "rate": 0.6667}
    assert [(r["station__name"], r["assigned"], r["absent"]) for r in whole.json()["attendance_by_station"]] == [
        ("仁里派出所", 2, 1), ("凯旋路派出所", 1, 0)]
    alices = client_for(cast.alice).get(STATS, DAY).json()
    assert alices["attendance"] == {"assigned": 2, "on_time": 1, "rate": 0.5}
    narrowed = client_for(cast.henry).get(STATS, {**DAY, "unit": cast.station_b.pk}).json()
    assert narrowed["attendance"] == {"assigned": 1, "on_time": 1, "rate": 1.0}


def test_the_figures_by_post_and_by_person(decided):
    client = client_for(decided.sam)
    by_post = client.get(STATS, {**DAY, "detail": "post"}).json()["attendance_by_post"]
    assert [(r["shift__post_id"], r["assigned"], r["on_time"]) for r in by_post] == [
        (decided.post_a.pk, 2, 1), (decided.post_b.pk, 1, 1)]
    by_person = client.get(STATS, {**DAY, "detail": "person"}).json()["attendance_by_person"]
    assert {r["person__name"]: r["rate"] for r in by_person} == {"张斌": 1.0, "李同": 0.0, "乙警": 1.0}


def test_the_figures_refuse_bad_parameters_by_field(decided):
    client = client_for(decided.bob)
    assert "start" in client.get(STATS, {"end": "2026-09-07"}).json()
    response = client.get(STATS, {"start": "2026-09-08", "end": "2026-09-07"})
    assert response.status_code == 400 and "end" in response.json()
    response = client.get(STATS, {**DAY, "unit": decided.station_a.pk})  # not Bob's to see
    assert response.status_code == 400 and "unit" in response.json()


def test_the_figures_answer_401_and_403(decided):
    assert APIClient().get(STATS, DAY).status_code == 401
    assert client_for(decided.ada).get(STATS, DAY).status_code == 403
    # Station figures are for those who watch attendance, not for the officers measured.
    assert client_for(decided.oscar).get(STATS, DAY).status_code == 403
    for role in ("dispatcher", "supervisor", "hq"):
        assert client_for(decided.user(role)).get(STATS, DAY).status_code == 200, role


# --- the first address, deprecated ----------------------------------------------------------


OLD_STATS = "/api/v1/stats/attendance/"


def test_the_first_address_answers_the_same_as_stats_duty(decided):
    client = client_for(decided.henry)
    for query in (DAY, {**DAY, "unit": decided.station_a.pk}, {**DAY, "detail": "post"},
                  {**DAY, "detail": "person"}):
        new, old = client.get(STATS, query), client.get(OLD_STATS, query)
        assert (new.status_code, old.status_code) == (200, 200), query
        assert new.json() == old.json(), query
    bad = {"start": "2026-09-08", "end": "2026-09-07"}
    assert client.get(OLD_STATS, bad).json() == client.get(STATS, bad).json()
    assert client_for(decided.oscar).get(OLD_STATS, DAY).status_code == 403
    assert APIClient().get(OLD_STATS, DAY).status_code == 401


def test_the_schema_marks_the_first_address_deprecated():
    from drf_spectacular.generators import SchemaGenerator

    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    assert paths["/api/v1/stats/attendance/"]["get"].get("deprecated") is True
    assert not paths["/api/v1/stats/duty/"]["get"].get("deprecated")
