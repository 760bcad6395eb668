"""Phone numbers: a mainland mobile number, or a landline with its area code (an extension may
follow). One validator checks every phone field (units, people, schools' contacts), through
the model, so the pages, the API and the Excel imports refuse the same numbers."""

import io

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook
from rest_framework.test import APIClient

from org.forms import PersonForm
from org.models import Person, Unit
from org.validators import validate_phone
from posts.models import School

GOOD = [
    "13800000000", "19912345678", "15000000001",  # mobiles, 13x to 19x
    "0825-1234567", "08251234567", "010-12345678", "01012345678", "0825-12345678",  # landlines
    "0825-1234567-801", "0825-1234567转801", "010-12345678#12",  # with an extension
]
BAD = [
    "1234567",  # seven digits: no area code
    "12345678",  # a local number without its area code
    "110",
    "12800000000",  # 12x is no mobile prefix
    "1380000000",  # ten digits
    "138000000000",  # twelve
    "825-1234567",  # the area code without its 0
    "0825-123456",  # six digits after the area code
    "0825-123456789",  # nine
    "0825-1234567-",  # an empty extension
    "0825-1234567-1234567",  # an extension of seven digits
    "+86 13800000000", "138 0000 0000", "phone", "",
]


@pytest.mark.parametrize("number", GOOD)
def test_it_accepts_mobiles_and_landlines_with_an_area_code(number):
    validate_phone(number)


@pytest.mark.parametrize("number", [n for n in BAD if n])
def test_it_refuses_anything_else(number):
    with pytest.raises(ValidationError):
        validate_phone(number)


def test_every_phone_field_uses_it():
    for model, name in ((Person, "phone"), (Unit, "phone"), (School, "contact_phone")):
        assert validate_phone in model._meta.get_field(name).validators, (model, name)


def test_the_person_form_refuses_a_seven_digit_phone(cast):
    data = {"name": "王五", "kind": "police", "unit": cast.station_a.pk, "badge_no": "051234", "active": "on",
            "phone": "1234567"}
    form = PersonForm(data=data, user=cast.alice)
    assert not form.is_valid()
    assert "phone" in form.errors
    data["phone"] = "0825-2222222-8"
    assert PersonForm(data=data, user=cast.alice).is_valid()


def test_the_api_refuses_a_seven_digit_phone_for_a_person_a_unit_and_a_school(cast):
    client = APIClient()
    client.force_login(cast.alice)
    response = client.patch(f"/api/v1/people/{cast.officer_a.pk}/", {"phone": "1234567"}, format="json")
    assert response.status_code == 400 and "phone" in response.json()
    response = client.patch(f"/api/v1/schools/{cast.school_a.pk}/", {"contact_phone": "7654321"}, format="json")
    assert response.status_code == 400 and "contact_phone" in response.json()
    assert client.patch(f"/api/v1/schools/{cast.school_a.pk}/", {"contact_phone": "13912345678"},
                        format="json").status_code == 200
    client.force_login(cast.ada)
    response = client.patch(f"/api/v1/units/{cast.station_a.pk}/", {"phone": "2220110"}, format="json")
    assert response.status_code == 400 and "phone" in response.json()


def test_the_people_import_refuses_a_seven_digit_phone_and_imports_nothing(cast, client):
    client.force_login(cast.alice)
    wb = Workbook()
    wb.active.append(["姓名", "类别", "单位", "电话", "警号"])
    wb.active.append(["王五", "民警", "仁里派出所", "1234567", "051234"])
    upload = io.BytesIO()
    wb.save(upload)
    upload.seek(0)
    upload.name = "people.xlsx"
    response = client.post("/org/people/import/", {"file": upload})
    assert response.status_code == 200
    assert "请输入手机号码" in response.content.decode()  # the validator's message, on the row
    assert not Person.objects.filter(name="王五").exists()
