"""The cast every test shares, written down once (like healthchecks' Alice and Bob).

Bureau 船山分局 has two stations:
- 仁里派出所 (station A): Alice is its dispatcher; Oscar is one of its police officers.
- 凯旋路派出所 (station B): Bob is its dispatcher.
Sam is a supervisor and Henry is HQ (both see the whole bureau). Three administrators share
the back office and read no business data: Ada (system: accounts, units, settings), Sid
(security: roles, permissions, second factors) and Audrey (audit: the audit trail).
Each station has one school with one post. Everyone's password is PASSWORD.
"""

from dataclasses import dataclass

from org.models import Person, Role, Unit, UnitKind, User
from org.services import user_create
from posts.models import Post, School
from tests.factories import PersonFactory, PostFactory, SchoolFactory

PASSWORD = "Test-pass-2026"


@dataclass
class Cast:
    bureau: Unit
    station_a: Unit
    station_b: Unit
    hq_office: Unit
    alice: User  # dispatcher, station A
    bob: User  # dispatcher, station B
    oscar: User  # officer, station A
    sam: User  # supervisor, bureau
    henry: User  # HQ, command office under the bureau
    ada: User  # system administrator
    sid: User  # security administrator
    audrey: User  # audit administrator
    school_a: School
    school_b: School
    post_a: Post
    post_b: Post
    officer_a: Person  # Oscar's person record

    def user(self, role: str) -> User:
        return {
            "dispatcher": self.alice,
            "officer": self.oscar,
            "supervisor": self.sam,
            "hq": self.henry,
            "admin": self.ada,
            "security": self.sid,
            "auditor": self.audrey,
        }[role]


def build_cast() -> Cast:
    bureau = Unit.objects.create(name="船山分局", kind=UnitKind.BUREAU)
    station_a = Unit.objects.create(name="仁里派出所", kind=UnitKind.STATION, parent=bureau)
    station_b = Unit.objects.create(name="凯旋路派出所", kind=UnitKind.STATION, parent=bureau)
    hq_office = Unit.objects.create(name="指挥中心", kind=UnitKind.OFFICE, parent=bureau)
    school_a = SchoolFactory(name="圣莲岛小学", station=station_a)
    school_b = SchoolFactory(name="凯旋路小学", station=station_b)
    post_a = PostFactory(school=school_a, name="正门护学岗")
    post_b = PostFactory(school=school_b, name="正门护学岗")
    officer_a = PersonFactory(name="张斌", unit=station_a)

    def make(username, role, unit, **extra):
        return user_create(username=username, password=PASSWORD, role=role, unit=unit, **extra)

    return Cast(
        bureau=bureau,
        station_a=station_a,
        station_b=station_b,
        hq_office=hq_office,
        alice=make("alice", Role.DISPATCHER, station_a, full_name="艾丽"),
        bob=make("bob", Role.DISPATCHER, station_b, full_name="薄博"),
        oscar=make("oscar", Role.OFFICER, station_a, full_name="张斌", person=officer_a),
        sam=make("sam", Role.SUPERVISOR, bureau, full_name="沈督"),
        henry=make("henry", Role.HQ, hq_office, full_name="何指"),
        ada=make("ada", Role.ADMIN, bureau, full_name="管理员"),
        sid=make("sid", Role.SECURITY, bureau, full_name="安全员"),
        audrey=make("audrey", Role.AUDITOR, bureau, full_name="审计员"),
        school_a=school_a,
        school_b=school_b,
        post_a=post_a,
        post_b=post_b,
        officer_a=officer_a,
    )


def give_second_factor(client, user) -> None:
    """Sign `user` in on `client` with his second factor given this session (as django_otp's
    login does with a confirmed authenticator): for the generic tests that walk every
    endpoint, the key-person register's included, which asks it of everyone."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(user)
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="authenticator", defaults={"confirmed": True})
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
