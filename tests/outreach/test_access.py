"""Who may do what with activities, trainings, drills and drill plans, through the API and the
pages: the shared contract (tests/contracts.py).

Dispatchers keep their station's records; supervisors and HQ read the whole bureau (HQ also
organises trainings); officers read drills (theirs to tap arrivals in); the administrators
read none. Another station's record answers 404. The clock is frozen on Wednesday 2 December
2026, 10:00."""

import datetime
import itertools
from zoneinfo import ZoneInfo

import pytest

from outreach.models import Activity, Drill, DrillPlan, Training
from outreach.services import activity_create, drill_create, drill_plan_save, training_create
from posts.models import Term
from tests.contracts import APIContract, PageContract
from tests.factories import SchoolFactory

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2026, 12, 2, 10, 0, tzinfo=TZ)
TODAY = NOW.date()
YESTERDAY = TODAY - datetime.timedelta(days=1)
_n = itertools.count()


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


# --- activities --------------------------------------------------------------------------------


class ActivityResource:
    model = Activity
    may_read = {"dispatcher", "supervisor", "hq"}

    def make_object(self, cast, station):
        return activity_create(user=None, kind="talk", topic="telecom_fraud", school=SchoolFactory(station=station),
                               date=YESTERDAY, audience=300, materials=200)


class TestActivitiesAPI(ActivityResource, APIContract):
    url = "/api/v1/activities/"

    def create_payload(self, cast):
        return {"kind": "talk", "topic": "drugs", "school": cast.school_a.pk, "date": YESTERDAY.isoformat(),
                "audience": 420, "materials": 300}

    def update_payload(self, cast, obj):
        return {"audience": 450}


class TestActivityPages(ActivityResource, PageContract):
    def form_data(self, cast):
        return {"kind": "film", "topic": "bullying", "school": cast.school_a.pk, "date": YESTERDAY.isoformat(),
                "audience": 120, "materials": 0, "place": f"报告厅{next(_n)}", "note": ""}


# --- trainings ---------------------------------------------------------------------------------


class TrainingResource:
    model = Training
    may_read = {"dispatcher", "supervisor", "hq"}
    may_write = {"dispatcher", "hq"}

    def make_object(self, cast, station):
        return training_create(user=None, unit=station, kind="security_staff", date=YESTERDAY, trainees=16,
                               subjects="钢叉使用")


class TestTrainingsAPI(TrainingResource, APIContract):
    url = "/api/v1/trainings/"

    def create_payload(self, cast):
        return {"kind": "security_staff", "date": YESTERDAY.isoformat(), "school": cast.school_a.pk,
                "trainees": 18, "subjects": "门卫值守", "people": [cast.officer_a.pk]}

    def update_payload(self, cast, obj):
        return {"trainees": 20}


class TestTrainingPages(TrainingResource, PageContract):
    def form_data(self, cast):
        return {"unit": cast.station_a.pk, "kind": "police", "date": YESTERDAY.isoformat(), "place": "训练基地",
                "batch": f"第{next(_n)}批", "trainees": 40, "subjects": "警械使用"}


# --- drills ------------------------------------------------------------------------------------


class DrillResource:
    model = Drill
    may_read = {"dispatcher", "officer", "supervisor", "hq"}

    def make_object(self, cast, station):
        return drill_create(user=None, school=SchoolFactory(station=station), kind="fire", date=YESTERDAY,
                            participants=900)


class TestDrillsAPI(DrillResource, APIContract):
    url = "/api/v1/drills/"

    def create_payload(self, cast):
        alarm = NOW - datetime.timedelta(hours=2)
        return {"school": cast.school_a.pk, "kind": "rapid_response", "participants": 20,
                "alarm_at": alarm.isoformat(),
                "school_response_at": (alarm + datetime.timedelta(seconds=50)).isoformat(),
                "police_arrival_at": (alarm + datetime.timedelta(seconds=170)).isoformat(),
                "reinforcement_at": (alarm + datetime.timedelta(seconds=320)).isoformat()}

    def update_payload(self, cast, obj):
        return {"participants": 950}


class TestDrillPages(DrillResource, PageContract):
    def form_data(self, cast):
        return {"school": cast.school_a.pk, "kind": "anti_terror", "date": YESTERDAY.isoformat(),
                "participants": 600 + next(_n), "note": ""}


# --- drill plans -------------------------------------------------------------------------------


def the_term() -> Term:
    return Term.objects.get_or_create(name="2026-2027学年第一学期", defaults={
        "start": datetime.date(2026, 9, 1), "end": datetime.date(2027, 1, 20)})[0]


class DrillPlanResource:
    model = DrillPlan
    may_read = {"dispatcher", "supervisor", "hq"}

    def make_object(self, cast, station):
        return drill_plan_save(user=None, school=SchoolFactory(station=station), term=the_term(), kind="fire",
                               planned=2)


class TestDrillPlansAPI(DrillPlanResource, APIContract):
    url = "/api/v1/drill-plans/"

    def create_payload(self, cast):
        term = the_term()
        return {"school": cast.school_a.pk, "term": term.pk, "kind": "anti_terror", "planned": 1}

    def update_payload(self, cast, obj):
        return {"planned": 3}


class TestDrillPlanPages(DrillPlanResource, PageContract):
    def form_data(self, cast):
        term = the_term()
        kinds = ["fire", "anti_terror", "evacuation", "rapid_response"]
        return {"school": cast.school_a.pk, "term": term.pk, "kind": kinds[next(_n) % 4], "planned": 2}
