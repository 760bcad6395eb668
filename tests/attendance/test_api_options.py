"""The attendance actions on an assignment answer an OPTIONS request (DRF's metadata) with the
body their POST reads, not a server error: the viewset has no model serializer of its own."""

import pytest

from tests.scenes import client_for


@pytest.mark.parametrize("action, fields", [
    ("check-in", {"lat", "lng", "accuracy_m", "equipment", "outside_reason", "method"}),
    ("check-out", {"lat", "lng"}),
    ("excuse", {"reason"}),
])
def test_options_describes_the_body_of_the_action(cast, action, fields):
    response = client_for(cast.alice).options(f"/api/v1/assignments/1/{action}/")
    assert response.status_code == 200
    assert set(response.json()["actions"]["POST"]) == fields
