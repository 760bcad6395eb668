"""The Content-Security-Policy is on every answer (pages, the back office, the API, its docs,
error pages), strict as written in huxue/settings.py; the API's description needs a signed-in
user; violations reported by browsers are logged, with a bounded body."""

import json
import logging

import pytest
from django.urls import reverse

STRICT = {
    "default-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "report-uri /csp-report/",
}


def policy(response) -> dict[str, str]:
    directives = [part.strip() for part in response["Content-Security-Policy"].split(";") if part.strip()]
    return {directive.split()[0]: directive for directive in directives}


def assert_strict(response):
    directives = policy(response)
    assert STRICT <= set(directives.values()), directives
    for name in ("script-src", "style-src"):
        sources = directives[name].split()[1:]
        assert sources[0] == "'self'" and all(s == "'self'" or s.startswith("'nonce-") for s in sources), directives
    assert "unsafe" not in response["Content-Security-Policy"]


def test_every_kind_of_answer_carries_the_policy(cast, client):
    anonymous = [reverse("login"), "/healthz", "/no-such-page/", reverse("schema")]
    for url in anonymous:
        assert_strict(client.get(url))
    client.force_login(cast.ada)
    for url in (reverse("home"), reverse("admin:index"), reverse("api-docs"), reverse("api-docs") + "?script",
                reverse("schema"), "/api/v1/units/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_strict(response)


def test_no_page_needs_a_nonce(cast, client):
    client.force_login(cast.alice)
    for url in (reverse("home"), reverse("api-docs"), reverse("org:person_list")):
        assert "nonce-" not in client.get(url)["Content-Security-Policy"], url


def test_the_api_docs_are_for_signed_in_users(cast, client):
    schema = client.get(reverse("schema"), {"format": "json"})
    assert schema.status_code == 401
    assert "paths" not in schema.content.decode()
    for name in ("api-docs", "api-redoc"):
        response = client.get(reverse(name))
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("login")), name
    script = client.get(reverse("api-docs") + "?script")
    assert script.status_code == 302
    client.force_login(cast.oscar)
    assert client.get(reverse("schema"), {"format": "json"}).status_code == 200
    assert client.get(reverse("api-docs")).status_code == 200
    assert client.get(reverse("api-docs") + "?script").status_code == 200


def test_the_api_docs_pages_load_their_scripts_and_styles_from_files(cast, client):
    client.force_login(cast.alice)
    swagger = client.get(reverse("api-docs")).content.decode()
    assert "<style" not in swagger and "<script>" not in swagger
    assert f'<script src="{reverse("api-docs")}?script="></script>' in swagger
    script = client.get(reverse("api-docs") + "?script")
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()
    # Redoc cannot keep to the policy: its address leads to Swagger UI.
    assert client.get(reverse("api-redoc"))["Location"] == reverse("api-docs")


def test_a_violation_report_is_logged(db, client, caplog):
    report = {"csp-report": {
        "document-uri": "https://huxue.example.org/", "violated-directive": "script-src-elem",
        "blocked-uri": "inline", "original-policy": "x" * 1000}}
    with caplog.at_level(logging.WARNING, logger="huxue.csp"):
        response = client.post(reverse("csp-report"), json.dumps(report), content_type="application/csp-report")
    assert response.status_code == 204
    [record] = [r for r in caplog.records if r.name == "huxue.csp"]
    message = record.getMessage()
    assert "script-src-elem" in message and "inline" in message
    assert "original-policy" not in message


@pytest.mark.parametrize("body, status", [
    ("x" * (8 * 1024 + 1), 413),
    ("not json", 400),
    ("[1, 2]", 400),
    ('{"csp-report": "text"}', 400),
])
def test_a_report_that_is_too_big_or_not_a_report_is_refused(db, client, caplog, body, status):
    with caplog.at_level(logging.WARNING, logger="huxue.csp"):
        response = client.post(reverse("csp-report"), body, content_type="application/csp-report")
    assert response.status_code == status
    assert not [r for r in caplog.records if r.name == "huxue.csp"]


def test_a_report_is_taken_without_a_csrf_token(db):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(
        reverse("csp-report"), '{"csp-report": {}}', content_type="application/csp-report")
    assert response.status_code == 204
