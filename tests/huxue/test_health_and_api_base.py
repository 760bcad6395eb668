from django.urls import reverse

from org.models import Role
from org.services import user_create
from posts.models import School, Timetable
from tests.factories import SchoolFactory
from tests.fixtures import PASSWORD


def test_healthz_reports_the_database_and_the_broker(db, client):
    response = client.get("/healthz")
    body = response.json()
    assert body["database"] == "ok"
    assert "broker" in body
    assert response.status_code == (200 if body["broker"] == "ok" else 503)


def test_healthz_says_503_when_the_broker_is_unreachable(db, client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "ok"
    assert response.json()["broker"].startswith("error")


def test_the_schema_and_docs_are_served_without_internet(cast, client):
    client.force_login(cast.alice)
    schema = client.get(reverse("schema"), {"format": "json"})
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    for path in ("/api/v1/units/", "/api/v1/people/", "/api/v1/schools/", "/api/v1/posts/",
                 "/api/v1/terms/", "/api/v1/calendar-overrides/", "/api/v1/timetables/", "/api/v1/auth/token/"):
        assert path in paths, path
    docs = client.get(reverse("api-docs"))
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html
    assert "cdn" not in html.lower()


def test_a_bad_request_answers_400_with_a_field_map(cast, api):
    api.force_login(cast.alice)
    response = api.post(
        "/api/v1/timetables/",
        {"school": cast.school_a.pk, "period": "pm", "weekdays": [1, 2, 3], "start": "17:10",
         "end": "16:30", "valid_from": "2026-09-01"},
        format="json",
    )
    assert response.status_code == 400
    assert "end" in response.json()
    assert not Timetable.objects.exists()


def test_an_id_from_another_station_is_refused_like_a_missing_one(cast, api):
    api.force_login(cast.alice)
    response = api.post("/api/v1/posts/", {"school": cast.school_b.pk, "name": "越权岗"}, format="json")
    assert response.status_code == 400
    assert "school" in response.json()


def test_a_dispatcher_cannot_set_a_term_for_every_school(cast, api):
    api.force_login(cast.alice)
    response = api.post("/api/v1/terms/", {"school": None, "name": "全区学期", "start": "2027-02-20",
                                           "end": "2027-07-05"}, format="json")
    assert response.status_code == 400
    assert "school" in response.json()


def test_only_an_administrator_of_the_bureau_sets_a_term_for_every_school(cast, api):
    term = {"school": None, "name": "全区学期", "start": "2027-02-20", "end": "2027-07-05"}
    api.force_login(cast.henry)  # HQ reads every station and writes nothing
    assert api.post("/api/v1/terms/", term, format="json").status_code == 403
    root = user_create(username="root", password=PASSWORD, role=Role.ADMIN, unit=cast.bureau, is_superuser=True)
    api.force_login(root)
    response = api.post("/api/v1/terms/", term, format="json")
    assert response.status_code == 201, response.content


def test_deleting_a_school_that_has_posts_answers_409_and_keeps_it(cast, api):
    api.force_login(cast.alice)
    response = api.delete(f"/api/v1/schools/{cast.school_a.pk}/")
    assert response.status_code == 409
    assert "detail" in response.json()
    assert cast.school_a.__class__.objects.filter(pk=cast.school_a.pk).exists()


def test_page_size_is_capped_at_500(cast, api):
    # 501 more schools in station A: with the cast's two, more than one capped page.
    School.objects.bulk_create(SchoolFactory.build(station=cast.station_a) for _ in range(501))
    api.force_login(cast.henry)
    response = api.get("/api/v1/schools/", {"page_size": 10000})
    assert response.status_code == 200
    for page_size in (1000, 501):
        body = api.get("/api/v1/schools/", {"page_size": page_size}).json()
        assert body["count"] == 503
        assert len(body["results"]) == 500, page_size
        assert body["next"], page_size
