"""The district the figures of reports/ are counted on (stats/summary, the briefing, the
dashboard): two stations over September and October 2026 (the clock on 2 November), written
down as plain rows (ROWS) that `hand_count` counts in Python, knowing nothing of the
selectors, for any period and station; `district` (a fixture, see conftest.py) writes them."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group

from duty.models import AttendanceStatus
from incidents.services import incident_create
from inspections.models import Improvement, JointOperation, Notice
from inspections.services import hazard_create
from keypersons.access import KEEPERS_GROUP
from keypersons.idnumber import with_check_character
from keypersons.services import keyperson_archive, keyperson_create
from outreach.models import Activity, Drill, Training
from supervision.models import Bulletin
from tests.factories import AssignmentFactory, GuardFactory, PersonFactory, PostFactory, SchoolFactory, ShiftFactory
from tests.inspections.helpers import an_inspection

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=TZ)
D = datetime.date
SEP = (D(2026, 9, 1), D(2026, 9, 30))
OCT = (D(2026, 10, 1), D(2026, 10, 31))
LAST_OF_SEP = (D(2026, 9, 30), D(2026, 9, 30))
ACROSS = (D(2026, 9, 20), D(2026, 10, 10))
PERIODS = [SEP, OCT, LAST_OF_SEP, ACROSS]

# The fixture, row by row: (what, station, day, values). Incidents carry their local time.
ROWS = [
    # Assignments: (kind of person, checked in, active).
    ("assignment", "a", D(2026, 9, 7), ("police", True, True)),
    ("assignment", "a", D(2026, 9, 7), ("auxiliary", True, True)),
    ("assignment", "a", D(2026, 9, 7), ("guard", True, True)),  # a guard is not police deployed
    ("assignment", "a", D(2026, 9, 30), ("police", False, True)),  # not checked in
    ("assignment", "a", D(2026, 10, 8), ("police", True, False)),  # taken off the shift
    ("assignment", "a", D(2026, 10, 9), ("police", True, True)),
    ("assignment", "b", D(2026, 9, 22), ("police", True, True)),
    ("assignment", "b", D(2026, 10, 12), ("auxiliary", True, True)),
    # Incidents: (kind, local time, people_count, extra).
    ("incident", "a", D(2026, 9, 7), ("help", (7, 40), 3, {})),
    ("incident", "a", D(2026, 9, 30), ("alarm", (23, 59), 5, {})),  # the last minute of September
    ("incident", "a", D(2026, 10, 1), ("help", (0, 0), 6, {})),  # the first minute of October
    ("incident", "a", D(2026, 9, 21), ("assistance", (16, 30), 2, {})),
    ("incident", "a", D(2026, 9, 22), ("suspicious", (7, 45), 2, {"outcome": "released", "id_checked": True})),
    ("incident", "a", D(2026, 9, 23), ("emergency", (8, 0), 1, {})),
    ("incident", "a", D(2026, 9, 24), ("dispute", (16, 40), 2, {"parties": "两位家长", "resolved": True,
                                                                 "mediation": "当场调解"})),
    ("incident", "a", D(2026, 9, 25), ("dispute", (16, 40), 2, {"parties": "两位家长"})),  # unresolved
    ("incident", "b", D(2026, 10, 12), ("alarm", (7, 40), 10, {})),
    ("incident", "b", D(2026, 10, 13), ("emergency", (7, 40), 1, {})),
    ("incident", "b", D(2026, 9, 8), ("assistance", (7, 40), 1, {})),
    # Bulletins issued: by which unit (the bureau's is read at every station).
    ("bulletin", "bureau", D(2026, 9, 30), ()),
    ("bulletin", "a", D(2026, 10, 5), ()),
    ("bulletin", "b", D(2026, 10, 6), ()),
    # Guards hired.
    ("guard", "a", D(2026, 9, 3), ()),
    ("guard", "a", D(2026, 10, 3), ()),
    ("guard", "b", D(2026, 9, 30), ()),
    # Inspections: (submitted?); a draft counts nowhere.
    ("inspection", "a", D(2026, 9, 10), (True,)),
    ("inspection", "a", D(2026, 9, 30), (False,)),
    ("inspection", "b", D(2026, 10, 2), (True,)),
    # Hazards found by hand.
    ("hazard", "a", D(2026, 9, 10), ()),
    ("hazard", "a", D(2026, 10, 2), ()),
    ("hazard", "b", D(2026, 10, 2), ()),
    # Notices: (issued?).
    ("notice", "a", D(2026, 9, 12), (True,)),
    ("notice", "b", D(2026, 10, 3), (True,)),
    ("notice", "b", D(2026, 10, 4), (False,)),
    # Improvements: (kind, quantity).
    ("improvement", "a", D(2026, 9, 15), ("traffic_sign", 3)),
    ("improvement", "a", D(2026, 10, 15), ("road_marking", 400)),
    ("improvement", "b", D(2026, 9, 30), ("cctv", 2)),
    ("improvement", "b", D(2026, 10, 1), ("alarm_button", 5)),
    # Joint operations: (police, venues, hazards fixed), by the organising unit.
    ("joint", "bureau", D(2026, 9, 18), (300, 150, 4)),
    ("joint", "a", D(2026, 10, 18), (40, 20, 1)),
    # Key persons: (registered on, archived on or None, status).
    ("keyperson", "a", D(2026, 8, 1), (None, "stable")),
    ("keyperson", "a", D(2026, 9, 25), (None, "away")),
    ("keyperson", "a", D(2026, 8, 1), (D(2026, 9, 15), "stable")),  # archived mid-September
    ("keyperson", "b", D(2026, 10, 20), (None, "stable")),
    # Activities: (kind, audience, materials).
    ("activity", "a", D(2026, 9, 9), ("talk", 300, 100)),
    ("activity", "a", D(2026, 10, 9), ("open_day", 120, 40)),
    ("activity", "b", D(2026, 9, 29), ("leaflets", 0, 1000)),
    ("activity", "b", D(2026, 10, 10), ("talk", 200, 50)),
    # Trainings: (kind, trainees), by the organising unit.
    ("training", "bureau", D(2026, 9, 12), ("police", 200)),
    ("training", "a", D(2026, 10, 12), ("security_staff", 15)),
    ("training", "b", D(2026, 9, 30), ("security_staff", 20)),
    # Drills: (kind).
    ("drill", "a", D(2026, 9, 16), ("fire",)),
    ("drill", "a", D(2026, 10, 16), ("rapid_response",)),
    ("drill", "b", D(2026, 10, 1), ("anti_terror",)),
]


def hand_count(start: datetime.date, end: datetime.date, station: str | None) -> dict:
    """Every figure counted from ROWS in plain Python. `station` "a" or "b" counts that
    station (and the bureau's bulletins, which are read there); None counts the bureau."""
    def rows(what):
        for kind, where, day, values in ROWS:
            in_unit = station is None or where == station or (what == "bulletin" and where == "bureau")
            if kind == what and in_unit and start <= day <= end:
                yield where, day, values

    def at(where):
        return station is None or where == station

    incidents = list(rows("incident"))
    improvements = {kind: 0 for kind in ("traffic_sign", "cctv", "road_marking", "anti_ram", "alarm_button")}
    for _where, _day, (kind, quantity) in rows("improvement"):
        improvements[kind] += quantity
    joint = list(rows("joint"))
    screened = [values for kind, where, day, values in ROWS
                if kind == "keyperson" and at(where) and day <= end and (values[0] is None or values[0] >= start)]
    activities = list(rows("activity"))
    trainings = list(rows("training"))
    drills = [values[0] for _w, _d, values in rows("drill")]
    return {
        "posts": {None: 2, "a": 1, "b": 1}[station],
        "schools": {None: 3, "a": 2, "b": 1}[station],
        "schools_covered": {None: 2, "a": 1, "b": 1}[station],
        "person_times": sum(1 for _w, _d, (kind, checked_in, active) in rows("assignment")
                            if kind in ("police", "auxiliary") and checked_in and active),
        "help_and_alarms": sum(v[2] for _w, _d, v in incidents if v[0] in ("help", "alarm")),
        "help_given": sum(1 for _w, _d, v in incidents if v[0] == "assistance"),
        "suspicious_checked": sum(v[2] for _w, _d, v in incidents if v[0] == "suspicious"),
        "emergencies_handled": sum(1 for _w, _d, v in incidents if v[0] == "emergency"),
        "disputes_resolved": sum(1 for _w, _d, v in incidents if v[0] == "dispute" and v[3].get("resolved")),
        "bulletins": len(list(rows("bulletin"))),
        "guards_hired": len(list(rows("guard"))),
        "inspections": sum(1 for _w, _d, (submitted,) in rows("inspection") if submitted),
        "hazards_found": len(list(rows("hazard"))),
        "notices": sum(1 for _w, _d, (issued,) in rows("notice") if issued),
        "improvements": improvements,
        "key_persons": len(screened),
        "key_persons_stable": sum(1 for _archived, status in screened if status == "stable"),
        "joint_operations": len(joint),
        "joint_police": sum(v[0] for _w, _d, v in joint),
        "joint_venues": sum(v[1] for _w, _d, v in joint),
        "joint_hazards_fixed": sum(v[2] for _w, _d, v in joint),
        "talks": sum(1 for _w, _d, v in activities if v[0] == "talk"),
        "open_days": sum(1 for _w, _d, v in activities if v[0] == "open_day"),
        "leaflets": sum(v[2] for _w, _d, v in activities),
        "people_reached": sum(v[1] for _w, _d, v in activities),
        "police_trained": sum(v[1] for _w, _d, v in trainings if v[0] == "police"),
        "police_training_batches": sum(1 for _w, _d, v in trainings if v[0] == "police"),
        "security_trainings": sum(1 for _w, _d, v in trainings if v[0] == "security_staff"),
        "security_trained": sum(v[1] for _w, _d, v in trainings if v[0] == "security_staff"),
        "drills": sum(1 for kind in drills if kind != "rapid_response"),
        "rapid_response_pulls": sum(1 for kind in drills if kind == "rapid_response"),
    }


_serial = iter(range(1, 1000))


def an_id_number(born: str = "19800101") -> str:
    return with_check_character(f"510903{born}{next(_serial):03d}")


@pytest.fixture
def district(cast, time_machine):
    """The cast's two stations (one school and one active post each) with a second school at
    station A that has no post, an inactive post at B, and every row of ROWS."""
    time_machine.move_to(NOW, tick=False)
    SchoolFactory(name="无岗小学", station=cast.station_a)
    PostFactory(school=cast.school_b, name="侧门", active=False)
    cast.alice.groups.add(Group.objects.get(name=KEEPERS_GROUP))
    cast.bob.groups.add(Group.objects.get(name=KEEPERS_GROUP))
    units = {"a": cast.station_a, "b": cast.station_b, "bureau": cast.bureau}
    schools = {"a": cast.school_a, "b": cast.school_b}
    posts = {"a": cast.post_a, "b": cast.post_b}
    keepers = {"a": cast.alice, "b": cast.bob}
    officers = {"a": cast.officer_a, "b": PersonFactory(name="乙警", unit=cast.station_b)}
    shifts = {}
    bulletin_numbers = iter(range(1, 100))
    notice_numbers = iter(range(1, 100))
    for what, where, day, values in ROWS:
        unit = units[where]
        if what == "assignment":
            kind, checked_in, active = values
            if (where, day) not in shifts:
                shifts[where, day] = ShiftFactory(post=posts[where], date=day, published=True)
            shift = shifts[where, day]
            AssignmentFactory(
                shift=shift, person=PersonFactory(kind=kind, unit=unit), active=active,
                checked_in_at=shift.starts_at if checked_in else None,
                attendance=AttendanceStatus.ON_TIME if checked_in else AttendanceStatus.ABSENT)
        elif what == "incident":
            kind, (hour, minute), count, extra = values
            incident_create(user=keepers[where], report=True, kind=kind, post=posts[where], people_count=count,
                            occurred_at=datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=TZ),
                            summary=f"{kind} {day}", **extra)
        elif what == "bulletin":
            Bulletin.objects.create(unit=unit, title="督察通报", period_start=day, period_end=day, status="issued",
                                    year=2026, number=next(bulletin_numbers),
                                    issued_at=datetime.datetime.combine(day, datetime.time(22, 30), tzinfo=TZ))
        elif what == "guard":
            GuardFactory(school=schools[where], hire_date=day)
        elif what == "inspection":
            an_inspection(cast, schools[where], user=keepers[where], date=day, submit=values[0])
        elif what == "hazard":
            hazard_create(user=keepers[where], school=schools[where], category="traffic", severity="low",
                          description="路口缺少减速标志", found_on=day)
        elif what == "notice":
            issued = values[0]
            Notice.objects.create(school=schools[where], deadline=day + datetime.timedelta(days=15),
                                  status="issued" if issued else "draft", year=2026 if issued else None,
                                  number=next(notice_numbers) if issued else None, issued_on=day if issued else None)
        elif what == "improvement":
            kind, quantity = values
            Improvement.objects.create(school=schools[where], kind=kind, quantity=quantity, date=day)
        elif what == "joint":
            police, venues, fixed = values
            JointOperation.objects.create(unit=unit, date=day, title="校园周边联合整治", police_count=police,
                                          venues_checked=venues, hazards_found=fixed, hazards_fixed=fixed)
        elif what == "keyperson":
            archived, status = values
            person = keyperson_create(
                user=keepers[where], name=f"测试人员{day}", id_number=an_id_number(), phone="13812345678",
                address="遂宁市船山区仁里街8号", basis="社区排查发现", categories=["petitioner"], risk="medium",
                station=unit, officer=officers[where], registered_on=day, status=status,
                **({"away_place": "成都", "away_until": D(2026, 12, 31)} if status == "away" else {}))
            if archived is not None:
                time_machine.move_to(datetime.datetime.combine(archived, datetime.time(10), tzinfo=TZ), tick=False)
                keyperson_archive(person=person, user=keepers[where], reason="迁出辖区")
                time_machine.move_to(NOW, tick=False)
        elif what == "activity":
            kind, audience, materials = values
            Activity.objects.create(school=schools[where], station=unit, kind=kind, topic="drugs", date=day,
                                    audience=audience, materials=materials)
        elif what == "training":
            kind, trainees = values
            Training.objects.create(unit=unit, kind=kind, date=day, trainees=trainees)
        elif what == "drill":
            (kind,) = values
            alarm = datetime.datetime.combine(day, datetime.time(8), tzinfo=TZ)
            Drill.objects.create(school=schools[where], station=unit, kind=kind, date=day, participants=100,
                                 alarm_at=alarm if kind == "rapid_response" else None, closed_at=alarm)
    return cast

