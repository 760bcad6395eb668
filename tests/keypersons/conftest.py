"""The register's tests: Alice (station A) and Bob (station B) are dispatchers AND keepers of
the register (the security administrator gave them its group); Carol is a dispatcher of
station A who is not. Every client here has given its second factor (a confirmed
authenticator and a verified session), as the register demands of everyone; the tests of
the door itself use a plain client."""

import datetime
import itertools

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from keypersons.access import KEEPERS_GROUP
from keypersons.idnumber import with_check_character
from keypersons.services import keyperson_create
from org.models import Role
from org.services import user_create
from tests.factories import PersonFactory
from tests.fixtures import PASSWORD

_serial = itertools.count(1)


def verify(client, user) -> None:
    """Log `user` in on `client` with a verified second factor (as django_otp.login does)."""
    client.force_login(user)
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="authenticator", defaults={"confirmed": True})
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


class VerifiedClient(Client):
    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        device, _ = TOTPDevice.objects.get_or_create(user=user, name="authenticator", defaults={"confirmed": True})
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()


class VerifiedAPIClient(APIClient):
    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        device, _ = TOTPDevice.objects.get_or_create(user=user, name="authenticator", defaults={"confirmed": True})
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()


def api_for(user) -> APIClient:
    client = VerifiedAPIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


@pytest.fixture
def client():
    """The test client, verified on force_login (the register asks everyone for the code)."""
    return VerifiedClient()


@pytest.fixture(autouse=True)
def keepers(request):
    if "cast" not in request.fixturenames:
        return None
    cast = request.getfixturevalue("cast")
    group = Group.objects.get(name=KEEPERS_GROUP)
    cast.alice.groups.add(group)
    cast.bob.groups.add(group)
    cast.carol = user_create(username="carol", password=PASSWORD, role=Role.DISPATCHER, unit=cast.station_a,
                             full_name="卡萝")
    cast.officer_b = PersonFactory(name="乙警", unit=cast.station_b)
    return group


def an_id_number(birth=datetime.date(1985, 3, 12), area="510903") -> str:
    return with_check_character(f"{area}{birth:%Y%m%d}{next(_serial) % 1000:03d}")


def a_person(cast, station=None, *, user=None, **fields):
    """A medium-risk person of `station` (A by default), registered by its keeper."""
    station = station or cast.station_a
    officer = cast.officer_a if station == cast.station_a else cast.officer_b
    keeper = user or (cast.alice if station == cast.station_a else cast.bob)
    values = {"name": f"测试人员{next(_serial)}", "id_number": an_id_number(), "phone": "13812345678",
              "address": "遂宁市船山区仁里街8号", "basis": "社区排查发现", "categories": ["petitioner"],
              "risk": "medium", "station": station, "officer": officer, **fields}
    return keyperson_create(user=keeper, **values)
