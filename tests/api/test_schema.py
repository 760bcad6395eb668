"""The schema at /api/schema/ tells the truth about every answer: the errors each operation
gives (400 with a field map; 401, 403, 404 with `{"detail"}`; 409 when a delete is blocked),
the sample of posts as the plain list it is, times of day as "HH:MM" both ways. The fuzzing
of every operation against it is tests/api/test_fuzz.py (make test-api-fuzz)."""

import datetime
import re

import jsonschema
import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from duty.models import Shift
from tests.factories import TimetableFactory

TZ = datetime.timezone(datetime.timedelta(hours=8))


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def operations(schema):
    for path, items in schema["paths"].items():
        for method, operation in items.items():
            yield method.upper(), path, operation


def component(schema, ref: str) -> dict:
    return schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]


def answer_schema(schema, path, method, code) -> dict:
    body = schema["paths"][path][method.lower()]["responses"][str(code)]["content"]["application/json"]["schema"]
    return component(schema, body["$ref"]) if "$ref" in body else body


def test_every_operation_documents_its_errors(schema):
    for method, path, operation in operations(schema):
        codes = set(operation["responses"])
        label = f"{method} {path}"
        if path == "/api/v1/auth/token/":
            assert {"400", "429"} <= codes, label
            continue
        assert {"401", "403"} <= codes, label
        paginated = any(p["name"] == "page" for p in operation.get("parameters", []))
        if "{" in path or paginated:  # another station's id, a page past the last
            assert "404" in codes, label
        if method != "GET" or any(p["in"] == "query" for p in operation.get("parameters", [])):
            assert "400" in codes, label
        if method == "DELETE":
            assert "409" in codes, label


def test_the_error_bodies_match_what_is_documented(cast, schema):
    client = APIClient()
    client.force_login(cast.alice)
    bad = client.post("/api/v1/timetables/", {"school": cast.school_a.pk, "period": "xx"}, format="json")
    assert bad.status_code == 400
    jsonschema.validate(bad.json(), answer_schema(schema, "/api/v1/timetables/", "POST", 400))
    blocked = client.delete(f"/api/v1/schools/{cast.school_a.pk}/")
    assert blocked.status_code == 409
    jsonschema.validate(blocked.json(), answer_schema(schema, "/api/v1/schools/{id}/", "DELETE", 409))
    missing = client.get(f"/api/v1/schools/{cast.school_b.pk}/")  # another station's
    assert missing.status_code == 404
    jsonschema.validate(missing.json(), answer_schema(schema, "/api/v1/schools/{id}/", "GET", 404))
    anonymous = APIClient().get("/api/v1/schools/")
    assert anonymous.status_code == 401
    jsonschema.validate(anonymous.json(), answer_schema(schema, "/api/v1/schools/", "GET", 401))


def test_an_address_the_api_does_not_have_answers_its_json_404(cast):
    client = APIClient()
    client.force_login(cast.alice)
    for url in ("/api/v1/schools/0.5/", "/api/v1/schools/abc/", "/api/v1/no-such-thing/", "/api/v1/schools/\n./"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response["Content-Type"] == "application/json" and "detail" in response.json(), url
    assert client.get("/api/v1/schools").status_code == 301  # the slash is still added first


def test_the_sample_of_posts_is_documented_and_answered_as_a_plain_list(cast, schema, time_machine):
    documented = answer_schema(schema, "/api/v1/spot-checks/sample/", "GET", 200)
    assert documented["type"] == "array"
    parameters = {p["name"] for p in schema["paths"]["/api/v1/spot-checks/sample/"]["get"]["parameters"]}
    assert parameters == {"size"}
    start = datetime.datetime(2026, 9, 7, 7, 25, tzinfo=TZ)
    time_machine.move_to(start + datetime.timedelta(minutes=5), tick=False)
    Shift.objects.create(post=cast.post_a, station=cast.station_a, date=start.date(), period="am", starts_at=start,
                         ends_at=start + datetime.timedelta(minutes=45), published=True)
    client = APIClient()
    client.force_login(cast.sam)
    body = client.get("/api/v1/spot-checks/sample/", {"size": 3}).json()
    assert isinstance(body, list) and len(body) == 1
    item = component(schema, documented["items"]["$ref"])
    jsonschema.validate(body, {"type": "array", "items": item})


def test_times_of_day_are_hh_mm_in_the_schema_and_in_the_answers(cast, schema):
    start = component(schema, "#/components/schemas/Timetable")["properties"]["start"]
    assert "format" not in start and start["pattern"]
    timetable = TimetableFactory(school=cast.school_a, start=datetime.time(7, 40), end=datetime.time(8, 10))
    client = APIClient()
    client.force_login(cast.alice)
    body = client.get(f"/api/v1/timetables/{timetable.pk}/").json()
    assert (body["start"], body["end"]) == ("07:40", "08:10")
    assert re.fullmatch(start["pattern"], body["start"])
    # What the schema allows is read back the same way; seconds are still understood.
    response = client.patch(f"/api/v1/timetables/{timetable.pk}/", {"start": "07:35", "end": "08:15:00"}, format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["start"], response.json()["end"]) == ("07:35", "08:15")
