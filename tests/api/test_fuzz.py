"""Every API operation fuzzed against the API's own OpenAPI schema (schemathesis).

The schema is what /api/schema/ serves (built by its generator), and each operation is
called with data generated from it (valid and invalid), signed in with an administrator's
token (a superuser, so no operation stops at a 403). Each answer must be no server error, carry
a status code and a content type the schema documents, and have the documented body.

A few examples per operation keep it to a few minutes: `make test-api-fuzz` (`make test`
leaves it out). Set FUZZ_EXAMPLES for a longer run, FUZZ_SEED to replay one."""

import json
import os
import time
from collections import Counter

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from huxue.wsgi import application
from org.models import User
from org.tokens import token_mint

pytestmark = [pytest.mark.api_fuzz, pytest.mark.django_db]

MAX_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "4"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def served_schema() -> dict:
    """What /api/schema/ answers a signed-in user (anonymous gets 401, and no user exists while
    this module is collected): the same generator, rendered to JSON the same way."""
    return json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))


schema = schemathesis.openapi.from_dict(served_schema())
schema.app = application
schema.location = "/api/schema/"
schema.config.generation.update(max_examples=MAX_EXAMPLES)
if os.environ.get("FUZZ_SEED"):  # to replay a run: the summary line names its seed
    schema.config.seed = int(os.environ["FUZZ_SEED"])

# Requests made, by operation, and when the first was made: tests/api/conftest.py reports them.
calls: Counter = Counter()
started: list[float] = []


@pytest.fixture
def connection_kept_open():
    # The WSGI handler closes the database connection after each request, as it should in
    # production; the test's transaction lives on that connection, so keep it open during
    # the test (Django's test client does the same).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def auth_headers(cast, settings, connection_kept_open):
    # An asynchronous generation runs in the request instead of waiting for a worker.
    settings.CELERY_TASK_ALWAYS_EAGER = True
    admin = User.objects.create_superuser("root", password="Test-pass-2026", unit=cast.bureau)
    return {"Authorization": f"Token {token_mint(user=admin)[1]}"}


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_answer_is_documented_by_the_schema(case, auth_headers):
    started[:] = started or [time.monotonic()]
    calls[case.operation.label] += 1
    case.call_and_validate(headers=auth_headers, checks=CHECKS)
