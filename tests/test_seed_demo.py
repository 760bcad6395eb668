"""`manage.py seed_demo`: the demo district of the source report, loaded once.

Loading the demo takes seconds (a month of duty with it), so the module loads it once and
every test reads it inside its own transaction; the tests that write are rolled back."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from django_otp.plugins.otp_totp.models import TOTPDevice

from demo.district import BUREAU_NAME, DEMO_OTP_SECRET, DEMO_USERS
from org.otp import key_from_secret
from org.models import Person, PersonKind, Role, Unit, UnitKind, User
from posts.models import CalendarOverride, Post, School, Term, Timetable

PASSWORD = "Demo-pass-2026"
NAMED_SCHOOLS = ["顺城街幼儿园", "圣莲岛小学"]


def seed(**options) -> str:
    out = StringIO()
    call_command("seed_demo", password=PASSWORD, stdout=out, stderr=StringIO(), **options)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Unit, School, Post, Person, Timetable, Term, CalendarOverride, User)
    }


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        output = seed()
        yield output
        call_command("flush", interactive=False, verbosity=0)


@pytest.mark.django_db
def test_a_weak_password_is_refused_and_nothing_is_written():
    # First in the module: before the demo is loaded for the others.
    with pytest.raises(CommandError):
        call_command("seed_demo", password="short", stdout=StringIO())

    assert not Unit.objects.exists()
    assert not User.objects.exists()


@pytest.mark.django_db
def test_the_report_district_with_106_posts_covering_every_school(seeded):
    output = seeded

    assert "Demo data loaded" in output
    assert Post.objects.active().count() == 106
    assert School.objects.count() >= 90
    assert not School.objects.exclude(posts__active=True).exists()
    assert Unit.objects.get(name=BUREAU_NAME).kind == UnitKind.BUREAU
    for name in NAMED_SCHOOLS:
        school = School.objects.get(name=name)
        assert school.station.name == "仁里派出所"
        assert school.posts.filter(active=True).exists()
    for post in Post.objects.select_related("school"):
        assert post.station_id == post.school.station_id


@pytest.mark.django_db
def test_people_of_every_kind_and_the_guards_hired_this_term(seeded):
    for kind in PersonKind:
        assert Person.objects.filter(kind=kind).exists(), kind
    hired = Person.objects.filter(
        kind=PersonKind.GUARD,
        hire_date__range=(datetime.date(2026, 9, 1), datetime.date(2026, 11, 20)),
    )
    assert hired.count() == 57
    dismissed = Person.objects.filter(active=False)
    assert dismissed.exists()
    assert not dismissed.filter(dismissed_reason="").exists()
    for person in Person.objects.select_related("school", "unit").filter(school__isnull=False)[:200]:
        person.full_clean()
    for timetable in Timetable.objects.all()[:100]:
        timetable.full_clean()


@pytest.mark.django_db
def test_one_demo_login_per_role(seeded):
    for username, role, unit_name, _full_name in DEMO_USERS:
        user = User.objects.get(username=username)
        assert user.role == role
        assert user.unit.name == unit_name
        # The demo's dispatcher of 仁里派出所 also keeps the key-person register.
        keeps_register = ["keyperson_register"] if username == "dispatcher" else []
        assert sorted(user.groups.values_list("name", flat=True)) == sorted([role, *keeps_register])
        assert user.check_password(PASSWORD)
    assert not User.objects.filter(is_superuser=True).exists()  # none of the administrators either
    assert {u for u, *_ in DEMO_USERS} == {
        "admin", "security", "auditor", "hq", "supervisor", "dispatcher", "dispatcher2", "officer",
    }
    officer = User.objects.get(username="officer")
    assert officer.role == Role.OFFICER
    assert officer.person.kind == PersonKind.POLICE
    assert officer.person.unit.name == "仁里派出所"
    assert officer.person.name == "张斌"


@pytest.mark.django_db
def test_the_accounts_that_need_a_second_factor_have_the_printed_demo_secret(seeded):
    enrolled = set(TOTPDevice.objects.filter(confirmed=True, key=key_from_secret(DEMO_OTP_SECRET))
                   .values_list("user__username", flat=True))
    assert enrolled == {"admin", "security", "auditor", "hq", "supervisor"}
    assert DEMO_OTP_SECRET in seeded
    assert "  hq           hq          Demo-pass-2026  yes" in seeded
    assert "  officer      officer     Demo-pass-2026  no" in seeded


@pytest.mark.django_db
def test_a_second_run_changes_nothing(seeded):
    before = counts()

    output = seed()

    assert "already there" in output
    assert counts() == before


@pytest.mark.django_db
def test_reset_rebuilds_the_same_demo(seeded):
    before = counts()
    Post.objects.filter(name="正门护学岗").update(name="改过的名字")

    seed(reset=True, interactive=False)

    assert counts() == before
    assert Post.objects.active().count() == 106
    assert not Post.objects.filter(name="改过的名字").exists()
    # The kept duty counts went with the old assignments and were counted again.
    from duty.tallies import tally_check

    assert tally_check() == []


@pytest.mark.django_db
def test_a_month_of_duty_and_the_coming_two_weeks(seeded):
    from django.utils import timezone

    from attendance.models import CheckIn
    from duty.models import Assignment, RosterWeek, Shift
    from duty.services.generation import week_start
    from supervision.models import Bulletin, SpotCheck

    now = timezone.now()
    assert Shift.objects.filter(ends_at__lte=now).exists()
    assert Shift.objects.filter(starts_at__gt=now).exists()
    assert CheckIn.objects.exists()
    assert Assignment.objects.filter(ends_at__lte=now, attendance="absent").exists()
    assert not Assignment.objects.filter(ends_at__lte=now, closed_at__isnull=True).exists()
    # The closed days are counted and kept (duty.tallies), and true.
    from duty.models import TalliedDay
    from duty.tallies import tally_check

    assert TalliedDay.objects.filter(date__lt=timezone.localdate()).exists()
    assert tally_check() == []
    assert SpotCheck.objects.exists()
    assert Bulletin.objects.filter(status="issued", number=1).exists()
    assert Bulletin.objects.filter(status="draft").exists()
    this_week = week_start(timezone.localdate())
    assert RosterWeek.objects.filter(week_start=this_week, published_at__isnull=False).count() == 8
    officer = User.objects.get(username="officer")
    assert Assignment.objects.filter(person=officer.person, starts_at__gt=now).exists()


@pytest.mark.django_db
def test_a_term_of_incidents_in_the_report_s_proportions(seeded):
    from incidents.models import Incident
    from incidents.selectors import incident_summary

    hq = User.objects.filter(role=Role.HQ).first()
    figures = incident_summary(user=hq)

    # The report: 219 person-times of help and alarms, 300 assistances, 80 suspicious persons,
    # 19 emergencies, 51 disputes resolved; person-times are drawn at random around them.
    assert 180 <= figures["help_and_alarms"] <= 260
    assert figures["help_given"] == 300
    assert 60 <= figures["suspicious_checked"] <= 100
    assert figures["emergencies_handled"] == 19
    assert figures["disputes_resolved"] == 51
    assert Incident.objects.filter(kind="dispute", resolved=False).exists()
    assert Incident.objects.filter(publicity=True).count() >= 1
    # Each names who stood the post then, from the roster.
    assert not Incident.objects.filter(on_duty__isnull=True).exists()
