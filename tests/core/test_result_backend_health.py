"""/healthz names a broken Celery result backend (the roster page polls task results there)."""

import pytest


@pytest.fixture
def reachable_broker(settings):
    # The embedded broker (a folder) answers everywhere these tests run.
    settings.CELERY_BROKER_URL = "filesystem://"


def test_healthz_reports_the_result_backend(db, client, reachable_broker):
    body = client.get("/healthz").json()
    assert body["result_backend"] == "ok"


def test_healthz_says_503_naming_an_unreachable_redis_result_backend(db, client, settings, reachable_broker):
    settings.CELERY_RESULT_BACKEND = "redis://127.0.0.1:1/13"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["database"] == "ok" and body["broker"] == "ok"
    assert body["result_backend"].startswith("error")
    assert body["status"] == "error"


def test_healthz_says_503_when_the_result_folder_cannot_be_written(db, client, settings, reachable_broker, tmp_path):
    not_a_folder = tmp_path / "results"
    not_a_folder.write_text("")
    for url in (f"file://{tmp_path / 'missing'}", f"file://{not_a_folder}"):
        settings.CELERY_RESULT_BACKEND = url
        response = client.get("/healthz")
        assert response.status_code == 503, url
        assert response.json()["result_backend"].startswith("error"), url
    settings.CELERY_RESULT_BACKEND = f"file://{tmp_path}"
    assert client.get("/healthz").json()["result_backend"] == "ok"
