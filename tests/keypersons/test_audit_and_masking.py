"""Every action on the register writes exactly one audit row, with the purpose where one was
given; the numbers are masked in every list, export and API answer; a reveal needs a purpose
and is itself audited; the access history answers who looked at a person, when and why."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from audit.models import AuditEvent
from tests.keypersons.conftest import a_person, an_id_number, api_for

pytestmark = pytest.mark.usefixtures("english_pages")
API = "/api/v1/key-persons/"
ID_NUMBER = "510903198503121233"


@pytest.fixture
def person(cast):
    from keypersons.idnumber import with_check_character

    return a_person(cast, id_number=with_check_character(ID_NUMBER[:17]), phone="13987654321")


def rows_after(seq: int):
    return list(AuditEvent.objects.filter(seq__gt=seq).order_by("seq"))


def last_seq() -> int:
    return AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def one_row(action_call, expected_action):
    before = last_seq()
    response = action_call()
    assert response.status_code in (200, 201, 302), (response.status_code, getattr(response, "content", b"")[:300])
    rows = rows_after(before)
    assert [row.action for row in rows] == [expected_action], [(r.action, r.detail) for r in rows]
    return rows[0], response


def test_every_page_action_writes_exactly_one_row(cast, client, person):
    client.force_login(cast.alice)
    detail = reverse("keypersons:keyperson_detail", args=[person.pk])
    row, _ = one_row(lambda: client.get(reverse("keypersons:keyperson_list")), "list")
    assert row.detail["ids"] == [person.pk]
    row, _ = one_row(lambda: client.get(detail), "view")
    assert row.object_id == str(person.pk)
    row, _ = one_row(lambda: client.post(reverse("keypersons:keyperson_reveal", args=[person.pk]),
                                         {"purpose": "核实身份以便走访"}), "reveal")
    assert row.detail["purpose"] == "核实身份以便走访"
    row, _ = one_row(lambda: client.get(reverse("keypersons:keyperson_list"), {"export": "xlsx",
                                                                              "purpose": "季度报表"}), "export")
    assert (row.detail["purpose"], row.detail["ids"], row.detail["rows"]) == ("季度报表", [person.pk], 1)
    data = {"name": "新登记", "id_number": an_id_number(), "categories": ["grievance"], "risk": "high",
            "station": cast.station_a.pk, "officer": cast.officer_a.pk, "status": "stable", "address": "某街1号",
            "basis": "排查发现", "registered_on": "2026-01-05"}
    row, response = one_row(lambda: client.post(reverse("keypersons:keyperson_add"), data), "create")
    created = row.object_id
    data.update(id_number="", address="", basis="", risk="low")
    row, _ = one_row(lambda: client.post(reverse("keypersons:keyperson_edit", args=[created]), data), "change")
    assert row.detail["fields"] == ["risk"]
    row, _ = one_row(lambda: client.post(reverse("keypersons:followup_add", args=[person.pk]), {
        "date": "2026-01-05", "officer": cast.officer_a.pk, "method": "visit", "observed": "在家",
        "status_after": "stable"}), "create")
    assert row.object_type == "keypersons.followup" and row.detail["key_person"] == person.pk
    row, _ = one_row(lambda: client.post(reverse("keypersons:keyperson_archive", args=[person.pk]),
                                         {"reason": "已迁出本辖区"}), "archive")
    assert row.detail["reason"] == "已迁出本辖区"


def test_every_api_action_writes_exactly_one_row(cast, person):
    api = api_for(cast.alice)
    one_row(lambda: api.get(API), "list")
    one_row(lambda: api.get(f"{API}{person.pk}/"), "view")
    row, response = one_row(lambda: api.post(f"{API}{person.pk}/reveal/", {"purpose": "核实身份以便走访"},
                                             format="json"), "reveal")
    assert response.json()["id_number"] == person.secret("id_number")
    payload = {"name": "王某", "id_number": an_id_number(), "category": ["drug_user"], "officer": cast.officer_a.pk,
               "address": "金鱼街3号", "basis": "社区戒毒人员"}
    row, response = one_row(lambda: api.post(API, payload, format="json"), "create")
    new = response.json()["id"]
    row, _ = one_row(lambda: api.patch(f"{API}{new}/", {"phone": "13911112222"}, format="json"), "change")
    assert row.detail["fields"] == ["phone"]
    one_row(lambda: api.post(f"{API}{new}/follow-ups/", {"date": "2026-01-05", "officer": cast.officer_a.pk,
                                                         "method": "call", "observed": "正常",
                                                         "status_after": "stable"}, format="json"), "create")
    one_row(lambda: api.post(f"{API}{new}/archive/", {"reason": "已去世"}, format="json"), "archive")


def test_a_reveal_needs_a_purpose_and_a_refused_one_reveals_nothing(cast, client, person):
    api = api_for(cast.alice)
    client.force_login(cast.alice)
    before = last_seq()
    response = api.post(f"{API}{person.pk}/reveal/", {"purpose": "  看 "}, format="json")
    assert response.status_code == 400
    assert response.json() == {"purpose": ["Say why you need it (at least 4 characters)."]}
    assert api.post(f"{API}{person.pk}/reveal/", {}, format="json").status_code == 400
    response = client.post(reverse("keypersons:keyperson_reveal", args=[person.pk]), {"purpose": ""})
    assert response.status_code == 400
    assert person.secret("id_number") not in response.content.decode()
    assert [row.action for row in rows_after(before)] == []
    # With a purpose, the page shows the values in that answer only; the next view masks them.
    response = client.post(reverse("keypersons:keyperson_reveal", args=[person.pk]), {"purpose": "核实身份以便走访"})
    assert person.secret("id_number") in response.content.decode()
    response = client.get(reverse("keypersons:keyperson_detail", args=[person.pk]))
    assert person.secret("id_number") not in response.content.decode()
    # Supervisors and HQ read, masked, and reveal nothing.
    assert api_for(cast.henry).post(f"{API}{person.pk}/reveal/", {"purpose": "核实身份以便走访"},
                                    format="json").status_code == 403


def test_numbers_are_masked_in_every_list_export_and_api_answer(cast, client, person):
    whole, phone = person.secret("id_number"), person.secret("phone")
    masked = f"510903********{whole[-4:]}"
    for user in (cast.alice, cast.sam, cast.henry):
        client.force_login(user)
        for url in (reverse("keypersons:keyperson_list"), reverse("keypersons:keyperson_detail", args=[person.pk])):
            text = client.get(url).content.decode()
            assert whole not in text and phone not in text, (user, url)
            assert masked in text, (user, url)
        export = client.get(reverse("keypersons:keyperson_list"), {"export": "xlsx"})
        sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
        cells = [str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value is not None]
        assert masked in cells and "139****4321" in cells
        assert not any(whole in cell or phone in cell for cell in cells)
        api = api_for(user)
        for response in (api.get(API), api.get(f"{API}{person.pk}/"), api.get(API, {"id_number": whole})):
            text = response.content.decode()
            assert response.status_code == 200
            assert whole not in text and phone not in text and masked in text


def test_the_list_and_api_find_a_person_by_id_number_and_the_row_keeps_it_masked(cast, person):
    a_person(cast)
    api = api_for(cast.alice)
    before = last_seq()
    response = api.get(API, {"id_number": person.secret("id_number").lower()})
    assert [row["id"] for row in response.json()["results"]] == [person.pk]
    (row,) = rows_after(before)
    assert row.detail["filters"]["id_number"] == person.masked_id_number
    assert api.get(API, {"nickname": "x"}).status_code == 400


def test_the_auditor_answers_who_looked_at_this_person_when_and_why(cast, client, person):
    other = a_person(cast)
    client.force_login(cast.alice)
    client.get(reverse("keypersons:keyperson_list"), {"name": other.name})  # a list without him
    client.get(reverse("keypersons:keyperson_list"))  # a list with him
    client.post(reverse("keypersons:keyperson_reveal", args=[person.pk]), {"purpose": "协查走访需要"})
    api_for(cast.henry).get(f"{API}{person.pk}/")
    client.force_login(cast.audrey)
    response = client.get(reverse("keypersons:access_history", args=[person.pk]))
    rows = response.context["events"]
    assert [(row.username, row.action) for row in rows] == [
        ("henry", "view"), ("alice", "reveal"), ("alice", "list"), ("alice", "create")]
    assert rows[1].purpose == "协查走访需要"
    assert "协查走访需要" in response.content.decode()
    overview = client.get(reverse("keypersons:access_overview")).context["accesses"]
    assert {(entry["person_id"], entry["reveals"]) for entry in overview} == {(person.pk, 1), (other.pk, 0)}
    answer = api_for(cast.audrey).get(f"{API}{person.pk}/access-history/").json()
    assert [(row["username"], row["action"], row["purpose"]) for row in answer][:2] == [
        ("henry", "view", ""), ("alice", "reveal", "协查走访需要")]


def test_a_keeper_reads_the_access_history_of_his_own_station_only(cast, person):
    assert api_for(cast.alice).get(f"{API}{person.pk}/access-history/").status_code == 200
    assert api_for(cast.bob).get(f"{API}{person.pk}/access-history/").status_code == 404
    assert api_for(cast.sam).get(f"{API}{person.pk}/access-history/").status_code == 403


def test_a_date_in_the_future_is_refused_naming_the_field(cast, person):
    response = api_for(cast.alice).post(f"{API}{person.pk}/follow-ups/", {
        "date": (datetime.date.today() + datetime.timedelta(days=3)).isoformat(), "officer": cast.officer_a.pk,
        "method": "call", "observed": "正常", "status_after": "stable"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"date": ["A follow-up cannot be in the future."]}
