"""Least privilege on people's numbers (org/privacy.py, docs/SECURITY.md): a dispatcher sees
the mobile, badge and certificate numbers of his station's people whole, on the list, the
detail page, the Excel export and the API; HQ and supervisors see them masked everywhere;
anyone sees his own record whole."""

import io

import openpyxl
import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from core.masking import mask_number
from tests.factories import PersonFactory

PHONE, BADGE, CERTIFICATE = "13812345678", "NB20261234", "SC2026000123"


@pytest.fixture
def guard(cast):
    return PersonFactory(unit=cast.station_a, name="周卫", phone=PHONE, badge_no=BADGE, certificate_no=CERTIFICATE)


def page_text(client, user, url, **params) -> str:
    client.force_login(user)
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def export_cells(client, user) -> set:
    client.force_login(user)
    response = client.get(reverse("org:person_list"), {"export": "xlsx"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return {str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value is not None}


def api_person(user, person) -> dict:
    client = APIClient()
    client.force_login(user)
    response = client.get(f"/api/v1/people/{person.pk}/")
    assert response.status_code == 200
    return response.json()


WHOLE = (PHONE, BADGE, CERTIFICATE)
MASKED = tuple(mask_number(value) for value in WHOLE)


def test_a_dispatcher_sees_his_peoples_numbers_whole(cast, client, guard):
    for url in (reverse("org:person_list"), reverse("org:person_detail", args=[guard.pk])):
        text = page_text(client, cast.alice, url)
        assert all(value in text for value in WHOLE), url
    assert set(WHOLE) <= export_cells(client, cast.alice)
    assert [api_person(cast.alice, guard)[k] for k in ("phone", "badge_no", "certificate_no")] == list(WHOLE)


@pytest.mark.parametrize("role", ["supervisor", "hq"])
def test_hq_and_supervisors_see_them_masked_on_every_path(cast, client, guard, role):
    user = cast.user(role)
    for url in (reverse("org:person_list"), reverse("org:person_detail", args=[guard.pk])):
        text = page_text(client, user, url)
        assert not any(value in text for value in WHOLE), (role, url)
        assert all(value in text for value in MASKED), (role, url)
    cells = export_cells(client, user)
    assert not set(WHOLE) & cells and set(MASKED) <= cells
    assert [api_person(user, guard)[k] for k in ("phone", "badge_no", "certificate_no")] == list(MASKED)


def test_anyone_sees_his_own_record_whole(cast, guard):
    guard.user = cast.sam
    guard.save(update_fields=["user"])
    assert api_person(cast.sam, guard)["phone"] == PHONE


def test_a_masked_number_keeps_its_shape():
    assert mask_number("13812345678") == "138****5678"
    assert mask_number("") == ""
