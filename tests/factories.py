"""factory-boy factories for the models tests need; defaults are valid rows."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import factory

from duty.models import Assignment, Shift
from org.models import Person, PersonKind, Unit, UnitKind
from posts.models import CalendarOverride, Period, Post, School, SchoolKind, Term, Timetable, weekdays_to_mask


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"测试{n}派出所")
    kind = UnitKind.STATION


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    name = factory.Sequence(lambda n: f"测试第{n}小学")
    kind = SchoolKind.PRIMARY
    station = factory.SubFactory(UnitFactory)
    address = "船山区测试路1号"
    lat = Decimal("30.520000")
    lng = Decimal("105.580000")
    pupils = 800


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"{n}号门护学岗")
    station = factory.SelfAttribute("school.station")
    lat = Decimal("30.520100")
    lng = Decimal("105.580100")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"人员{n}")
    kind = PersonKind.POLICE
    unit = factory.SubFactory(UnitFactory)
    badge_no = factory.Sequence(lambda n: f"{100000 + n}")
    phone = "13800000000"


class GuardFactory(PersonFactory):
    kind = PersonKind.GUARD
    school = factory.SubFactory(SchoolFactory)
    unit = factory.SelfAttribute("school.station")
    badge_no = ""
    certificate_no = factory.Sequence(lambda n: f"BA{n:06d}")
    hire_date = datetime.date(2026, 9, 1)


class TermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Term

    school = None
    name = "2026-2027学年第一学期"
    start = datetime.date(2026, 9, 1)
    end = datetime.date(2027, 1, 20)


class TimetableFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Timetable

    school = factory.SubFactory(SchoolFactory)
    period = Period.AM
    weekdays = weekdays_to_mask([1, 2, 3, 4, 5])
    start = datetime.time(7, 40)
    end = datetime.time(8, 10)
    valid_from = datetime.date(2026, 9, 1)
    valid_to = None


class CalendarOverrideFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CalendarOverride

    school = factory.SubFactory(SchoolFactory)
    date = datetime.date(2026, 11, 20)
    is_school_day = False
    reason = "运动会"


SHANGHAI = ZoneInfo("Asia/Shanghai")
# A post without a timetable: the morning shift starts at 07:25, the afternoon one at 16:15;
# both last 45 minutes.
DEFAULT_STARTS = {Period.AM: datetime.time(7, 25), Period.PM: datetime.time(16, 15)}
DEFAULT_LENGTH = datetime.timedelta(minutes=45)


class ShiftFactory(factory.django.DjangoModelFactory):
    """A shift on Monday 7 September 2026, 07:25-08:10 (Asia/Shanghai), a draft.

    Give `date` and `period` and the times follow the defaults above; give `starts_at` (and
    `ends_at`) and the date is the local date of `starts_at`. A new post unless one is given,
    so post, date and period stay unique."""

    class Meta:
        model = Shift

    post = factory.SubFactory(PostFactory)
    station = factory.SelfAttribute("post.station")
    date = factory.LazyAttribute(
        lambda o: o.starts_at.astimezone(SHANGHAI).date() if o.starts_at else datetime.date(2026, 9, 7)
    )
    period = Period.AM
    starts_at = None  # filled in by _adjust_kwargs from date and period
    ends_at = None  # filled in by _adjust_kwargs: starts_at + DEFAULT_LENGTH
    published = False

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        if kwargs["starts_at"] is None:
            kwargs["starts_at"] = datetime.datetime.combine(
                kwargs["date"], DEFAULT_STARTS[kwargs["period"]], tzinfo=SHANGHAI
            )
        if kwargs["ends_at"] is None:
            kwargs["ends_at"] = kwargs["starts_at"] + DEFAULT_LENGTH
        return kwargs


class AssignmentFactory(factory.django.DjangoModelFactory):
    """A person on a shift, for the shift's whole window; a new police officer of the shift's
    station unless a person is given."""

    class Meta:
        model = Assignment

    shift = factory.SubFactory(ShiftFactory)
    person = factory.SubFactory(PersonFactory, unit=factory.SelfAttribute("..shift.station"))
    station = factory.SelfAttribute("shift.station")
    starts_at = factory.SelfAttribute("shift.starts_at")
    ends_at = factory.SelfAttribute("shift.ends_at")
