"""Every number the API and the forms take in is bounded by the column it is stored in, so a
number the database cannot hold is a 400 (or a form error) naming the field, on SQLite as on
PostgreSQL, and never a 500 ("integer out of range") nor a half-written row.

The API is walked through its own schema: each numeric property of each request body must
document its range, and one past the top of it is refused by name. The serializers and forms
behind it are walked too, to show each range stays inside its model column's."""

import datetime
import inspect
from decimal import Decimal

import pytest
from django import forms
from django.urls import resolve
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.settings import spectacular_settings
from rest_framework import serializers
from rest_framework.test import APIClient

import duty.forms
import supervision.forms
import org.forms
import posts.forms
from attendance.models import CheckIn
from core.api.serializers import NUMBER_FIELDS
from core.bounds import column_range, model_column
from core.forms import ScopedModelForm
from duty.models import Assignment, Leave, Shift, StandingAssignment
from incidents.models import Incident
from inspections.models import Improvement, JointOperation
from inspections.services import notice_create
from keypersons.idnumber import with_check_character
from keypersons.services import keyperson_create
from outreach.models import Activity, Drill, DrillPlan, Training
from org.models import User
from supervision.models import Bulletin, SpotCheck
from tests.factories import CalendarOverrideFactory, TermFactory, TimetableFactory

TZ = datetime.timezone(datetime.timedelta(hours=8))
from tests.fixtures import give_second_factor
from tests.inspections.helpers import an_inspection


def request_bodies() -> list[tuple[str, str, dict]]:
    """(method, path, properties) of every operation that takes a JSON body."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema["components"]["schemas"]
    bodies = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if content is None:
                continue
            ref = content["schema"].get("$ref", "")
            component = components[ref.rsplit("/", 1)[-1]] if ref else content["schema"]
            bodies.append((method.upper(), path, component.get("properties", {})))
    return bodies


def numeric_inputs(properties: dict) -> dict[str, dict]:
    """The numeric properties a client sends, with staffing's counts ({kind: count})."""
    found = {}
    for name, prop in properties.items():
        if prop.get("readOnly"):
            continue
        if prop.get("type") in ("integer", "number"):
            found[name] = prop
        elif isinstance(prop.get("additionalProperties"), dict) and prop["additionalProperties"].get("type") in (
            "integer", "number"
        ):
            found[name] = prop["additionalProperties"]
    return found


def one_past_the_top(name: str, prop: dict):
    too_big = Decimal(str(prop["maximum"])) + (1 if prop["type"] == "integer" else Decimal("0.5"))
    value = int(too_big) if prop["type"] == "integer" else float(too_big)
    return {"police": value} if name == "staffing" else value


@pytest.fixture
def root(cast):
    return User.objects.create_superuser("root", password="Test-pass-2026", unit=cast.bureau)


@pytest.fixture
def rows(cast, root):
    """One row of every resource, so that an operation on `{id}` finds one."""
    start = datetime.datetime(2026, 9, 7, 7, 25, tzinfo=TZ)
    shift = Shift.objects.create(post=cast.post_a, station=cast.station_a, date=start.date(), period="am",
                                 starts_at=start, ends_at=start + datetime.timedelta(minutes=45))
    Assignment.objects.create(shift=shift, person=cast.officer_a, station=cast.station_a,
                              starts_at=shift.starts_at, ends_at=shift.ends_at)
    term = TermFactory(school=cast.school_a)
    TimetableFactory(school=cast.school_a)
    CalendarOverrideFactory(school=cast.school_a)
    StandingAssignment.objects.create(person=cast.officer_a, post=cast.post_a, station=cast.station_a,
                                      start_date=start.date(), end_date=start.date())
    Leave.objects.create(person=cast.officer_a, station=cast.station_a, start_date=start.date(),
                         end_date=start.date(), reason="培训")
    SpotCheck.objects.create(post=cast.post_a, station=cast.station_a, method="video", checked_at=start, supervisor=root)
    Bulletin.objects.create(unit=cast.bureau, title="督察通报", period_start=start.date(), period_end=start.date())
    Incident.objects.create(kind="help", occurred_at=start, school=cast.school_a, post=cast.post_a,
                            station=cast.station_a, summary="家长求助")
    Activity.objects.create(school=cast.school_a, station=cast.station_a, kind="talk", topic="drugs", date=start.date())
    Training.objects.create(unit=cast.station_a, kind="police", date=start.date(), trainees=10)
    Drill.objects.create(school=cast.school_a, station=cast.station_a, kind="rapid_response", date=start.date(),
                         alarm_at=start, source="pull")
    DrillPlan.objects.create(school=cast.school_a, station=cast.station_a, term=term, kind="fire", planned=1)
    inspection = an_inspection(cast, fail={1: "门卫未值守"}, submit=True, date=start.date())
    notice_create(user=cast.alice, school=cast.school_a, hazards=list(inspection.hazards.all()))
    Improvement.objects.create(school=cast.school_a, kind="cctv", quantity=1, date=start.date())
    JointOperation.objects.create(unit=cast.station_a, date=start.date(), title="校园周边联合整治")
    keyperson_create(user=None, name="测试人员", id_number=with_check_character("51090319850312001"),
                     phone="13812345678", address="遂宁市船山区仁里街8号", basis="社区排查发现",
                     categories=["petitioner"], risk="medium", station=cast.station_a, officer=cast.officer_a)


def an_existing_id(path: str) -> int:
    """The id of a row the operation at `path` reads (0, that is none, when there is none:
    a check-in reads its body before it looks the assignment up)."""
    view = resolve(path.replace("{id}", "0")).func.cls
    row = view.queryset.model.objects.order_by("pk").first()
    return row.pk if row is not None else 0


def test_every_numeric_input_of_the_api_documents_its_range_and_one_past_it_is_a_400_naming_it(rows, root):
    client = APIClient()
    give_second_factor(client, root)
    checked = []
    for method, path, properties in request_bodies():
        for name, prop in numeric_inputs(properties).items():
            assert "maximum" in prop and "minimum" in prop, f"{method} {path}: {name} has no range"
            url = path.replace("{id}", str(an_existing_id(path))) if "{id}" in path else path
            body = {name: one_past_the_top(name, prop)}
            response = getattr(client, method.lower())(url, body, format="json")
            assert response.status_code == 400, (method, path, name, response.status_code, response.content)
            assert name in response.json(), (method, path, name, response.json())
            checked.append(f"{method} {path} {name}")
    # The inputs that once overflowed a column are among those walked.
    assert "POST /api/v1/assignments/{id}/check-in/ accuracy_m" in checked
    assert "POST /api/v1/schools/ pupils" in checked
    assert "PATCH /api/v1/posts/{id}/ radius_m" in checked


def request_serializers():
    """The serializer of every operation's request body (through the schema generator, so
    what is walked is what the API reads), and those nested in them."""
    generator = SchemaGenerator()
    generator._initialise_endpoints()
    found = {}
    for path, _regex, method, view in generator._get_paths_and_endpoints():
        if method not in ("POST", "PUT", "PATCH"):
            continue
        view.request = spectacular_settings.GET_MOCK_REQUEST(method, path, view, None)
        view.schema.method, view.schema.path = method, path
        serializer = view.schema.get_request_serializer()
        if serializer is not None:
            found[f"{method} {path}"] = serializer if isinstance(serializer, serializers.BaseSerializer) else serializer()
    return found


def walk(serializer, label):
    """(label, field, model) of each field of `serializer` and of the serializers in it."""
    model = getattr(getattr(serializer, "Meta", None), "model", None)
    for name, field in serializer.fields.items():
        if isinstance(field, serializers.ListSerializer):
            field = field.child
        if isinstance(field, serializers.BaseSerializer):
            yield from walk(field, f"{label}.{name}")
        else:
            yield f"{label}.{name}", field, model


def test_no_serializer_accepts_a_number_its_column_cannot_hold():
    walked = []
    for operation, serializer in request_serializers().items():
        for label, field, model in walk(serializer, operation):
            if field.read_only or not isinstance(field, NUMBER_FIELDS):
                continue
            walked.append(label)
            assert field.max_value is not None and field.min_value is not None, label
            bounds = column_range(model_column(model, field.source)) if model else None
            if bounds is not None:
                assert bounds[0] <= field.min_value and field.max_value <= bounds[1], label
    assert "POST /api/v1/assignments/{id}/check-in/.accuracy_m" in walked
    assert "PUT /api/v1/schools/{id}/.pupils" in walked


def model_forms():
    for module in (org.forms, posts.forms, duty.forms, supervision.forms):
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, ScopedModelForm) and cls is not ScopedModelForm and cls.__module__ == module.__name__:
                yield cls


def test_every_numeric_form_field_is_bounded_by_its_column_and_one_past_it_is_an_error_on_it(cast, root):
    walked = []
    for cls in model_forms():
        for name, field in cls(user=root).fields.items():
            if not isinstance(field, (forms.IntegerField, forms.FloatField, forms.DecimalField)):
                continue
            low, high = column_range(model_column(cls._meta.model, name))
            assert low <= field.min_value and field.max_value <= high, f"{cls.__name__}.{name}"
            too_big = field.max_value + 1
            form = cls(data={name: str(too_big)}, user=root)
            assert not form.is_valid()
            assert name in form.errors, (cls.__name__, name, form.errors)
            walked.append(f"{cls.__name__}.{name}")
    assert "SchoolForm.pupils" in walked and "PostForm.need_volunteer" in walked and "SchoolImportForm.lat" in walked


def test_a_pupil_count_past_a_32_bit_column_is_refused_on_sqlite_too(cast, root):
    client = APIClient()
    give_second_factor(client, root)
    response = client.patch(f"/api/v1/schools/{cast.school_a.pk}/", {"pupils": 2**31}, format="json")
    assert response.status_code == 400 and "pupils" in response.json()
    cast.school_a.refresh_from_db()
    assert cast.school_a.pupils != 2**31


def test_a_check_in_with_a_trillion_metre_accuracy_is_a_400_naming_it_and_records_nothing(cast, time_machine):
    start = datetime.datetime(2026, 9, 7, 7, 25, tzinfo=TZ)
    time_machine.move_to(start - datetime.timedelta(minutes=5), tick=False)
    shift = Shift.objects.create(post=cast.post_a, station=cast.station_a, date=start.date(), period="am",
                                 starts_at=start, ends_at=start + datetime.timedelta(minutes=45), published=True)
    mine = Assignment.objects.create(shift=shift, person=cast.officer_a, station=cast.station_a,
                                     starts_at=shift.starts_at, ends_at=shift.ends_at)
    client = APIClient()
    client.force_login(cast.oscar)
    body = {"lat": float(cast.post_a.lat), "lng": float(cast.post_a.lng), "accuracy_m": 10**12}
    response = client.post(f"/api/v1/assignments/{mine.pk}/check-in/", body, format="json")
    assert response.status_code == 400
    assert "accuracy_m" in response.json()
    assert not CheckIn.objects.exists()
    body["accuracy_m"] = 2**31 - 1  # the column's top is still taken
    assert client.post(f"/api/v1/assignments/{mine.pk}/check-in/", body, format="json").status_code == 201


def test_a_number_filter_is_bounded_by_its_column(cast, root):
    client = APIClient()
    give_second_factor(client, root)
    response = client.get("/api/v1/bulletins/", {"year": 40000})
    assert response.status_code == 400 and "year" in response.json()
    assert client.get("/api/v1/bulletins/", {"year": 2026}).status_code == 200
