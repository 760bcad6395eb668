import datetime
import itertools

from posts.models import CalendarOverride, Post, School, Term, Timetable
from tests.contracts import APIContract, PageContract
from tests.factories import CalendarOverrideFactory, PostFactory, SchoolFactory, TermFactory, TimetableFactory

_n = itertools.count()
STAFFING_FORM = {
    "need_police": 1, "need_auxiliary": 1, "need_school_security": 1,
    "need_guard": 2, "need_staff": 2, "need_volunteer": 4,
}


class SchoolResource:
    model = School

    def make_object(self, cast, station):
        return SchoolFactory(station=station)


class TestSchoolsAPI(SchoolResource, APIContract):
    url = "/api/v1/schools/"

    def create_payload(self, cast):
        return {"name": f"新建小学{next(_n)}", "kind": "primary", "station": cast.station_a.pk}

    def update_payload(self, cast, obj):
        return {"pupils": 1500}


class TestSchoolPages(SchoolResource, PageContract):
    def form_data(self, cast):
        return {"name": f"表单幼儿园{next(_n)}", "kind": "kindergarten", "station": cast.station_a.pk, "pupils": 300}


class PostResource:
    model = Post

    def make_object(self, cast, station):
        return PostFactory(school=SchoolFactory(station=station))


class TestPostsAPI(PostResource, APIContract):
    url = "/api/v1/posts/"

    def create_payload(self, cast):
        return {"school": cast.school_a.pk, "name": f"侧门护学岗{next(_n)}", "staffing": {"police": 2}}

    def update_payload(self, cast, obj):
        return {"lead_minutes": 20}


class TestPostPages(PostResource, PageContract):
    def form_data(self, cast):
        return {
            "school": cast.school_a.pk, "name": f"后门护学岗{next(_n)}", "radius_m": 150,
            "lead_minutes": 15, "active": "on", **STAFFING_FORM,
        }


class TermResource:
    model = Term
    may_write = {"dispatcher"}  # HQ reads only

    def make_object(self, cast, station):
        return TermFactory(school=SchoolFactory(station=station))


class TestTermsAPI(TermResource, APIContract):
    url = "/api/v1/terms/"

    def create_payload(self, cast):
        return {"school": cast.school_a.pk, "name": "春季学期", "start": "2027-02-20", "end": "2027-07-05"}

    def update_payload(self, cast, obj):
        return {"name": "春季学期（调整）"}


class TestTermPages(TermResource, PageContract):
    def form_data(self, cast):
        return {"school": cast.school_a.pk, "name": "春季学期", "start": "2027-02-20", "end": "2027-07-05"}


class OverrideResource:
    model = CalendarOverride
    may_write = {"dispatcher"}  # HQ reads only

    def make_object(self, cast, station):
        return CalendarOverrideFactory(school=SchoolFactory(station=station))


class TestCalendarOverridesAPI(OverrideResource, APIContract):
    url = "/api/v1/calendar-overrides/"

    def create_payload(self, cast):
        day = datetime.date(2026, 12, 1) + datetime.timedelta(days=next(_n))
        return {"school": cast.school_a.pk, "date": day.isoformat(), "is_school_day": False, "reason": "期末考试"}

    def update_payload(self, cast, obj):
        return {"reason": "运动会（改期）"}


class TestCalendarOverridePages(OverrideResource, PageContract):
    def form_data(self, cast):
        day = datetime.date(2026, 12, 1) + datetime.timedelta(days=next(_n))
        return {"school": cast.school_a.pk, "date": day.isoformat(), "reason": "期末考试"}


class TimetableResource:
    model = Timetable

    def make_object(self, cast, station):
        return TimetableFactory(school=SchoolFactory(station=station))


class TestTimetablesAPI(TimetableResource, APIContract):
    url = "/api/v1/timetables/"

    def create_payload(self, cast):
        return {
            "school": cast.school_a.pk, "period": "pm", "weekdays": [1, 2, 3, 4, 5],
            "start": "16:30", "end": "17:10", "valid_from": "2026-09-01",
        }

    def update_payload(self, cast, obj):
        return {"end": "17:20"}


class TestTimetablePages(TimetableResource, PageContract):
    def form_data(self, cast):
        return {
            "school": cast.school_a.pk, "period": "pm", "weekdays": ["1", "2", "3", "4", "5"],
            "start": "16:30", "end": "17:10", "valid_from": "2026-09-01",
        }
