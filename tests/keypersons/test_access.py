"""Who reaches the register, through the API and the pages: the shared contract
(tests/contracts.py), and by hand what it cannot say.

Alice and Bob are dispatchers and keepers (conftest): they write in their own station and
get 404 for the other's persons. Supervisors and HQ read, masked. Officers and the three
administrators get 403; so does Carol, a dispatcher of station A who is not a keeper. Nobody
deletes a person (archived instead). And nobody enters without his second factor, whatever
his role: the pages send him to the register's code page, the API answers 403."""

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from keypersons.idnumber import with_check_character
from keypersons.models import KeyPerson
from org.tokens import token_mint
from tests.contracts import APIContract, PageContract, snapshot
from tests.keypersons.conftest import a_person, an_id_number, api_for

API = "/api/v1/key-persons/"


class KeyPersonResource:
    model = KeyPerson
    may_read = {"dispatcher", "supervisor", "hq"}
    may_write = {"dispatcher"}
    writable_actions = {"create", "update"}

    def make_object(self, cast, station):
        return a_person(cast, station)


class TestKeyPersonsAPI(KeyPersonResource, APIContract):
    url = API
    detail_actions = ("reveal", "archive", "follow-ups")
    # Above the contract's 12: the verified device (1), the person's schools, disputes and
    # parties (3), and the list's own audit row (the chain's last row, the insert: 2+; on
    # PostgreSQL the chain's lock is one more).
    query_ceiling = 22

    def client_for(self, user):
        return api_for(user)

    def create_payload(self, cast):
        return {"name": "王某", "id_number": an_id_number(), "category": ["drug_user"], "risk": "high",
                "station": cast.station_a.pk, "officer": cast.officer_a.pk, "address": "遂宁市船山区金鱼街3号",
                "basis": "社区戒毒人员", "phone": "13900001111", "location": [30.531, 105.574],
                "co_managers": [{"kind": "community", "name": "网格员李某", "contact": "13800002222"}]}

    def update_payload(self, cast, obj):
        return {"risk": "low", "phone": "13911112222"}

    def action_data(self, cast, action, obj):
        return {"reveal": {"purpose": "核实身份以便走访"}, "archive": {"reason": "已迁出本辖区"},
                "follow-ups": {"date": "2026-01-05", "officer": cast.officer_a.pk, "method": "visit",
                               "observed": "在家", "status_after": "stable"}}[action]


class TestKeyPersonPages(KeyPersonResource, PageContract):
    detail_actions = ("reveal", "archive")
    # The page's ceiling is this + 6: above the contract's, the verified device, the counts
    # above the list, and the list's own audit row (with the chain's lock on PostgreSQL).
    query_ceiling = 18

    def form_data(self, cast):
        return {"name": "李某", "id_number": with_check_character("51090419900101001"), "categories": ["petitioner"], "risk": "medium",
                "station": cast.station_a.pk, "officer": cast.officer_a.pk, "status": "stable",
                "address": "遂宁市船山区顺城街1号", "basis": "多次上访", "registered_on": "2026-01-05"}

    def action_data(self, cast, action, obj):
        return {"reveal": {"purpose": "核实身份以便走访"}, "archive": {"reason": "已迁出本辖区"}}[action]


# --- what the contract cannot say ----------------------------------------------------------------


def test_a_dispatcher_who_is_not_a_keeper_gets_403_everywhere(cast):
    person = a_person(cast)
    before = snapshot(person)
    api = api_for(cast.carol)
    assert api.get(API).status_code == 403
    assert api.get(f"{API}{person.pk}/").status_code == 403
    assert api.post(f"{API}{person.pk}/reveal/", {"purpose": "看看"}, format="json").status_code == 403
    assert api.patch(f"{API}{person.pk}/", {"risk": "low"}, format="json").status_code == 403
    client = Client()
    client.force_login(cast.carol)
    for url in (reverse("keypersons:keyperson_list"), reverse("keypersons:keyperson_detail", args=[person.pk]),
                reverse("keypersons:keyperson_add"), reverse("keypersons:access_history", args=[person.pk])):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("keypersons:keyperson_reveal", args=[person.pk]), {"purpose": "看看"}).status_code == 403
    assert snapshot(person) == before


def test_another_stations_person_is_404_on_every_page_and_action(cast, client):
    person = a_person(cast, cast.station_b)
    before = snapshot(person)
    client.force_login(cast.alice)
    for name in ("keyperson_detail", "keyperson_edit", "access_history"):
        assert client.get(reverse(f"keypersons:{name}", args=[person.pk])).status_code == 404, name
    for name in ("keyperson_reveal", "keyperson_archive", "followup_add", "keyperson_schools"):
        assert client.post(reverse(f"keypersons:{name}", args=[person.pk]), {"purpose": "核实身份", "reason": "迁出"}
                           ).status_code == 404, name
    api = api_for(cast.alice)
    for action in ("access-history", "nearby-schools", "follow-ups"):
        assert api.get(f"{API}{person.pk}/{action}/").status_code == 404, action
    assert snapshot(person) == before


def test_without_a_second_factor_the_pages_ask_for_it_and_the_api_refuses(cast):
    person = a_person(cast)
    client = Client()
    client.force_login(cast.alice)  # a dispatcher: no code asked anywhere else
    assert client.get(reverse("home")).status_code == 200
    response = client.get(reverse("keypersons:keyperson_detail", args=[person.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("keypersons:verify"))
    # No app yet: the register's door enrols one first.
    response = client.get(response["Location"])
    assert response.status_code == 302 and response["Location"].startswith(reverse("keypersons:verify_enrol"))
    assert client.get(response["Location"]).status_code == 200
    api = APIClient()
    api.force_login(cast.alice)
    assert api.get(API).status_code == 403
    assert api.get(f"{API}{person.pk}/").status_code == 403


def test_the_register_s_code_page_verifies_a_keeper_and_lets_him_in(cast):
    from django_otp.oath import TOTP

    person = a_person(cast)
    device = TOTPDevice.objects.create(user=cast.alice, name="authenticator", confirmed=True)
    client = Client()
    client.force_login(cast.alice)
    target = reverse("keypersons:keyperson_detail", args=[person.pk])
    verify = f"{reverse('keypersons:verify')}?next={target}"
    assert client.get(verify).status_code == 200
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    response = client.post(verify, {"code": f"{totp.token():06d}", "next": target})
    assert response.status_code == 302 and response["Location"] == target
    assert client.get(target).status_code == 200


@pytest.mark.otp
def test_a_keeper_s_api_token_is_refused_but_hq_s_token_holds(cast):
    a_person(cast)
    _token, key = token_mint(user=cast.alice)
    api = APIClient(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get(API).status_code == 403  # minted without a code: no second factor
    _token, key = token_mint(user=cast.henry)  # HQ's token endpoint asks the code
    api = APIClient(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get(API).status_code == 200


def test_every_answer_of_the_register_is_no_store(cast, client):
    person = a_person(cast)
    client.force_login(cast.alice)
    for url in (reverse("keypersons:keyperson_list"), reverse("keypersons:keyperson_detail", args=[person.pk]),
                reverse("keypersons:keyperson_edit", args=[person.pk]), reverse("keypersons:keyperson_add"),
                f"{reverse('keypersons:keyperson_list')}?export=xlsx",
                reverse("keypersons:access_history", args=[person.pk])):
        assert "no-store" in client.get(url)["Cache-Control"], url
    response = client.post(reverse("keypersons:keyperson_reveal", args=[person.pk]), {"purpose": "核实身份以便走访"})
    assert "no-store" in response["Cache-Control"]
    api = api_for(cast.alice)
    for response in (api.get(API), api.get(f"{API}{person.pk}/"),
                     api.post(f"{API}{person.pk}/reveal/", {"purpose": "核实身份以便走访"}, format="json")):
        assert "no-store" in response["Cache-Control"]


def test_the_auditor_reads_who_looked_but_not_the_register(cast, client):
    person = a_person(cast)
    client.force_login(cast.audrey)
    assert client.get(reverse("keypersons:keyperson_list")).status_code == 403
    assert client.get(reverse("keypersons:keyperson_detail", args=[person.pk])).status_code == 403
    assert client.get(reverse("keypersons:access_overview")).status_code == 200
    assert client.get(reverse("keypersons:access_history", args=[person.pk])).status_code == 200
    api = api_for(cast.audrey)
    assert api.get(f"{API}{person.pk}/").status_code == 403
    assert api.get(f"{API}{person.pk}/access-history/").status_code == 200
    assert api.get(f"{API}{person.pk}/reveal/").status_code == 403
