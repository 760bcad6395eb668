"""The province generator of the benchmarks (benchmarks/province.py) at its smallest scale: the
structure it promises (cities, districts as bureaus, stations, schools, posts, a term of
shifts with one assignment each), the work report's figures in the source report's
proportions per district, attendance decided by the attendance rule, nobody on two shifts at
once, the key persons' secrets readable by the register's crypto, and stats_summary agreeing
with what the generator says it wrote.

Generated once for the module (2 districts, about 42,000 shifts), at a fixed moment:
Wednesday 18 November 2026 at 12:00, between the morning and the afternoon peak, so that no
shift is running and every figure is the report's exactly."""

from __future__ import annotations

import datetime
import io
import zoneinfo
from collections import Counter

import pytest
from django.db import transaction
from django.db.models import Count, F, Q, Sum

from attendance.models import CheckIn
from attendance.services import attendance_status
from benchmarks.province import (
    DISTRICTS_AT_SCALE_1,
    DISTRICTS_PER_CITY,
    PER_DISTRICT,
    SCHOOL_DAYS,
    SCHOOLS_PER_DISTRICT,
    STATIONS_PER_DISTRICT,
    Province,
    generate,
)
from duty.models import Assignment, AttendanceStatus, Shift
from incidents.models import Incident
from inspections.models import Hazard, Improvement, Inspection, JointOperation, Notice
from keypersons import crypto, idnumber
from keypersons.models import KeyPerson
from org.models import Person, PersonKind, Unit, UnitKind
from outreach.models import Activity, Drill, Training
from posts.models import Post, School
from supervision.models import Bulletin

NOW = datetime.datetime(2026, 11, 18, 12, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
SCALE = 0.01  # 189 × 0.01: two districts in one city
DISTRICTS = 2


@pytest.fixture(scope="module")
def province(django_db_setup, django_db_blocker) -> Province:
    """Generated once, rolled back after the module's tests (each test runs in a savepoint)."""
    with django_db_blocker.unblock():
        with transaction.atomic():
            out = io.StringIO()
            generated = generate(SCALE, seed=7, stdout=out, now=NOW)
            generated.output = out.getvalue()
            yield generated
            transaction.set_rollback(True)


def per_district(key: str):
    value = PER_DISTRICT[key]
    return {k: v * DISTRICTS for k, v in value.items()} if isinstance(value, dict) else value * DISTRICTS


def test_the_structure_of_the_province(db, province):
    assert (province.districts, province.cities) == (DISTRICTS, 1) == (DISTRICTS, -(-DISTRICTS // DISTRICTS_PER_CITY))
    top = Unit.objects.get(pk=province.province_id)
    assert top.kind == UnitKind.BUREAU and top.parent_id is None
    cities = Unit.objects.filter(parent=top, kind=UnitKind.BUREAU)
    assert cities.count() == 1
    districts = Unit.objects.filter(parent__in=cities, kind=UnitKind.BUREAU)
    assert districts.count() == DISTRICTS
    stations = Unit.objects.filter(parent__in=districts)
    assert set(stations.values_list("kind", flat=True)) == {UnitKind.STATION}
    assert stations.count() == DISTRICTS * STATIONS_PER_DISTRICT == province.stations
    assert Unit.objects.subtree_ids(top.pk) >= set(stations.values_list("pk", flat=True))

    assert School.objects.filter(station__in=stations).count() == DISTRICTS * SCHOOLS_PER_DISTRICT
    active = Post.objects.filter(active=True)
    assert active.count() == per_district("posts") == province.posts
    assert Post.objects.filter(active=False).count() == 2 * DISTRICTS
    assert School.objects.filter(posts__active=True).distinct().count() == per_district("schools_covered")
    assert set(Post.objects.values_list("station_id", flat=True)) <= set(stations.values_list("pk", flat=True))
    for post in Post.objects.select_related("school")[:50]:
        assert post.station_id == post.school.station_id

    # Police and auxiliaries at every station, a security officer and guards at every school.
    people = Counter(Person.objects.values_list("unit_id", "kind"))
    for station in stations:
        assert people[(station.pk, PersonKind.POLICE)] == 10 and people[(station.pk, PersonKind.AUXILIARY)] == 10
    assert Person.objects.filter(kind=PersonKind.SCHOOL_SECURITY).count() == DISTRICTS * SCHOOLS_PER_DISTRICT

    # A term of SCHOOL_DAYS school days; one shift per active post, day and period, none at an old gate.
    shifts = Shift.objects.all()
    assert shifts.values("date").distinct().count() == SCHOOL_DAYS
    assert shifts.count() == SCHOOL_DAYS * 2 * province.posts
    assert not shifts.filter(post__active=False).exists()
    assert province.start == shifts.order_by("date").first().date < province.end == NOW.date() < province.term_end
    # One assignment on each shift, its window the shift's, at the shift's station.
    assert Assignment.objects.count() == shifts.count()
    assert not Shift.objects.annotate(n=Count("assignments")).exclude(n=1).exists()
    sample = Assignment.objects.select_related("shift")[:2000]
    for assignment in sample:
        assert (assignment.starts_at, assignment.ends_at, assignment.station_id) == (
            assignment.shift.starts_at, assignment.shift.ends_at, assignment.shift.station_id)
    # The report's scale: about 4 million assignments at scale 1.
    assert 3_900_000 < Assignment.objects.count() / DISTRICTS * DISTRICTS_AT_SCALE_1 < 4_100_000
    assert "generated" in province.output and "duty_assignment" in province.written


def test_nobody_stands_two_shifts_at_once(db, province):
    rows = Assignment.objects.values_list("person_id", "shift__date", "shift__period")
    doubled = [key for key, n in Counter(rows).items() if n > 1]
    assert doubled == []
    # Police and auxiliaries stand their own station's posts; school people their own school's.
    assert not Assignment.objects.filter(person__kind__in=(PersonKind.POLICE, PersonKind.AUXILIARY)).exclude(
        person__unit_id=F("station_id")).exists()
    assert not Assignment.objects.filter(person__school__isnull=False).exclude(
        person__school_id=F("shift__post__school_id")).exists()


def test_attendance_is_decided_by_the_rule(db, province):
    rows = Assignment.objects.values_list("starts_at", "ends_at", "checked_in_at", "checked_out_at", "attendance",
                                          "closed_at", "excuse_reason")
    outcomes = Counter()
    for starts, ends, checked_in, checked_out, attendance, closed, reason in rows:
        if ends <= NOW:
            assert closed is not None
            assert attendance == attendance_status(starts_at=starts, ends_at=ends, checked_in_at=checked_in,
                                                   checked_out_at=checked_out, now=NOW,
                                                   excused=attendance == AttendanceStatus.EXCUSED)
            assert (attendance == AttendanceStatus.EXCUSED) == bool(reason)
        else:
            assert (attendance, closed, checked_in, checked_out) == (AttendanceStatus.PENDING, None, None, None)
        outcomes[attendance] += 1
    ended = sum(n for status, n in outcomes.items() if status != AttendanceStatus.PENDING)
    # Mostly on time, some late, some absent.
    assert outcomes[AttendanceStatus.ON_TIME] > 0.85 * ended
    assert 0 < outcomes[AttendanceStatus.LATE] < 0.1 * ended
    assert 0 < outcomes[AttendanceStatus.ABSENT] < 0.05 * ended
    assert outcomes[AttendanceStatus.LEFT_EARLY] > 0 and outcomes[AttendanceStatus.EXCUSED] > 0
    # The evidence: one check-in row per checked-in assignment, at its time.
    checked_in = Assignment.objects.filter(checked_in_at__isnull=False)
    assert CheckIn.objects.count() == checked_in.count()
    assert not CheckIn.objects.exclude(at=F("assignment__checked_in_at")).exists()


def test_the_figures_are_the_source_report_s_per_district(db, province):
    """Counted here by DESIGN.md's rules with plain queries (not through the selectors)."""
    start, end = province.start, province.end
    day_from = datetime.datetime.combine(start, datetime.time.min, tzinfo=NOW.tzinfo)
    day_to = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=NOW.tzinfo)
    incidents = Incident.objects.exclude(status="draft").filter(occurred_at__gte=day_from, occurred_at__lt=day_to)
    activities = Activity.objects.filter(date__range=(start, end))
    trainings = Training.objects.filter(date__range=(start, end))
    drills = Drill.objects.filter(date__range=(start, end))
    joint = JointOperation.objects.filter(date__range=(start, end))
    screened = KeyPerson.objects.filter(registered_on__lte=end).filter(
        Q(archived_at__isnull=True) | Q(archived_at__gte=day_from))
    counted = {
        "posts": Post.objects.filter(active=True).count(),
        "schools": School.objects.count(),
        "schools_covered": School.objects.filter(posts__active=True).distinct().count(),
        "person_times": Assignment.objects.filter(
            active=True, shift__date__range=(start, end), checked_in_at__isnull=False,
            person__kind__in=(PersonKind.POLICE, PersonKind.AUXILIARY)).count(),
        "help_and_alarms": incidents.filter(kind__in=("help", "alarm")).aggregate(n=Sum("people_count"))["n"],
        "help_given": incidents.filter(kind="assistance").count(),
        "suspicious_checked": incidents.filter(kind="suspicious").aggregate(n=Sum("people_count"))["n"],
        "emergencies_handled": incidents.filter(kind="emergency").count(),
        "disputes_resolved": incidents.filter(kind="dispute", resolved=True).count(),
        "bulletins": Bulletin.objects.filter(status="issued", issued_at__gte=day_from, issued_at__lt=day_to).count(),
        "guards_hired": Person.objects.filter(kind=PersonKind.GUARD, hire_date__range=(start, end)).count(),
        "inspections": Inspection.objects.exclude(status="draft").filter(date__range=(start, end)).count(),
        "hazards_found": Hazard.objects.filter(found_on__range=(start, end)).count(),
        "notices": Notice.objects.filter(status="issued", issued_on__range=(start, end)).count(),
        "improvements": dict(Improvement.objects.filter(date__range=(start, end)).values_list("kind")
                             .annotate(n=Sum("quantity")).order_by()),
        "key_persons": screened.count(),
        "key_persons_stable": screened.filter(status="stable").count(),
        "joint_operations": joint.count(),
        "joint_police": joint.aggregate(n=Sum("police_count"))["n"],
        "joint_venues": joint.aggregate(n=Sum("venues_checked"))["n"],
        "joint_hazards_fixed": joint.aggregate(n=Sum("hazards_fixed"))["n"],
        "talks": activities.filter(kind="talk").count(),
        "open_days": activities.filter(kind="open_day").count(),
        "leaflets": activities.aggregate(n=Sum("materials"))["n"],
        "people_reached": activities.aggregate(n=Sum("audience"))["n"],
        "police_trained": trainings.filter(kind="police").aggregate(n=Sum("trainees"))["n"],
        "police_training_batches": trainings.filter(kind="police").count(),
        "security_trainings": trainings.filter(kind="security_staff").count(),
        "security_trained": trainings.filter(kind="security_staff").aggregate(n=Sum("trainees"))["n"],
        "drills": drills.exclude(kind="rapid_response").count(),
        "rapid_response_pulls": drills.filter(kind="rapid_response").count(),
    }
    assert counted == {key: per_district(key) for key in PER_DISTRICT} == province.expected
    # And the rows the figures must not count are there to be left out.
    assert Incident.objects.filter(status="draft").exists()
    assert Incident.objects.filter(kind="dispute", resolved=False).exists()
    assert Inspection.objects.filter(status="draft").exists()
    assert Notice.objects.filter(status="draft").exists()
    assert KeyPerson.objects.filter(archived_at__isnull=False).exists()
    assert Person.objects.filter(kind=PersonKind.GUARD, hire_date__lt=start).exists()


def test_some_hazards_verified_some_overdue(db, province):
    today = NOW.date()
    statuses = Counter(Hazard.objects.values_list("status", flat=True))
    assert statuses["verified"] > statuses["open"] > 0 and statuses["notified"] > 0
    overdue = Hazard.objects.overdue(today=today)
    assert overdue.exists() and not overdue.filter(overdue_since__isnull=True).exists()
    assert Hazard.objects.filter(status__in=("open", "notified"), deadline__gte=today).exists()
    # Each issued notice lists its hazards; the overdue follow-ups of key persons are there too.
    assert not Notice.objects.filter(status="issued").annotate(n=Count("hazards")).filter(n=0).exists()
    assert KeyPerson.objects.overdue(today=today).count() == 3 * DISTRICTS


def test_key_persons_are_encrypted_as_the_register_keeps_them(db, province):
    persons = KeyPerson.objects.on_register()
    assert persons.count() == per_district("key_persons")
    for person in persons[:20]:
        number = person.secret("id_number")
        parsed = idnumber.parse(number, today=NOW.date())
        assert (parsed.birth_date, parsed.sex) == (person.birth_date, person.sex)
        assert person.id_number_hash == crypto.lookup_hash(number)
        assert person.id_number_cipher.startswith(crypto.current_prefix())
        assert person.secret("address") and person.follow_ups.exists()
    assert KeyPerson.objects.with_id_number(persons[0].secret("id_number")).get() == persons[0]


def test_a_station_sees_its_own(db, province):
    dispatcher = province.user("dispatcher")
    station = province.unit("station")
    assert dispatcher.unit_id == station.pk
    mine = Assignment.objects.visible_to(dispatcher)
    assert mine.count() == Assignment.objects.filter(station=station).count() > 0
    assert set(Post.objects.visible_to(dispatcher).values_list("station_id", flat=True)) == {station.pk}
    hq = province.user("hq")
    assert Assignment.objects.visible_to(hq).count() == Assignment.objects.count()


def test_stats_summary_reads_what_the_generator_wrote(db, province):
    from reports.selectors.summary import stats_summary

    hq = province.user("hq")
    assert stats_summary(user=hq, start=province.start, end=province.end) == province.expected
    # A district is the source report's district.
    district = province.unit("district")
    assert stats_summary(user=hq, start=province.start, end=province.end, unit=district) == {
        key: (dict(value) if isinstance(value, dict) else value) for key, value in PER_DISTRICT.items()}
