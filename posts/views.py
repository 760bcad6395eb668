from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from core.tables import Column
from posts.models import WEEKDAY_LABELS
from core.views import ObjectDeleteView, ObjectDetailView, ObjectEditView, ObjectImportView, ObjectListView
from org.views import PERSON_COLUMNS
from posts.filters import (
    CalendarOverrideFilterSet,
    HolidayFilterSet,
    PostFilterSet,
    SchoolFilterSet,
    TermFilterSet,
    TimetableFilterSet,
)
from posts.forms import (
    CalendarOverrideForm,
    HolidayForm,
    HolidayImport,
    PostForm,
    PostImport,
    SchoolForm,
    SchoolImport,
    TermForm,
    TimetableForm,
)
from posts.models import CalendarOverride, Holiday, HolidayYear, Post, School, Term, Timetable

SCHOOL_COLUMNS = [
    Column("name", _("name"), link=True),
    Column("kind", _("kind")),
    Column("station.name", _("police station")),
    Column("address", _("address")),
    Column("pupils", _("pupils")),
    Column("contact_name", _("contact person")),
    Column("contact_phone", _("contact phone")),
]

POST_COLUMNS = [
    Column("name", _("name"), link=True),
    Column("school.name", _("school")),
    Column("station.name", _("police station")),
    Column("radius_m", _("geofence radius (m)")),
    Column("lead_minutes", _("lead time (minutes)")),
    Column("staffing_text", _("staffing"), value=lambda p: "+".join(str(v) for v in p.staffing.values())),
    Column("active", _("active")),
]

TIMETABLE_COLUMNS = [
    Column("school.name", _("school"), link=True),
    Column("period", _("period")),
    Column("weekdays_display", _("weekdays")),
    Column("start", _("start time")),
    Column("end", _("end time")),
    Column("valid_from", _("valid from")),
    Column("valid_to", _("valid to")),
]

TERM_COLUMNS = [
    Column("name", _("name"), link=True),
    Column("school.name", _("school"), value=lambda t: t.school.name if t.school_id else _("All schools")),
    Column("start", _("start date")),
    Column("end", _("end date")),
]

OVERRIDE_COLUMNS = [
    Column("date", _("date"), link=True),
    Column("school.name", _("school"), value=lambda o: o.school.name if o.school_id else _("All schools")),
    Column("is_school_day", _("school day")),
    Column("follows_weekday", _("follows the timetable of")),
    Column("reason", _("reason")),
]


class SchoolListView(ObjectListView):
    model = School
    queryset = School.objects.select_related("station")
    filterset_class = SchoolFilterSet
    columns = SCHOOL_COLUMNS
    importable = True


class SchoolDetailView(ObjectDetailView):
    model = School
    queryset = School.objects.select_related("station")
    fields = [*SCHOOL_COLUMNS, Column("lat", _("latitude")), Column("lng", _("longitude"))]

    def get_related_tables(self):
        school = self.object
        return [
            {"title": _("Posts"), "columns": POST_COLUMNS, "rows": school.posts.select_related("school", "station")},
            {"title": _("Timetables"), "columns": TIMETABLE_COLUMNS, "rows": school.timetables.select_related("school")},
            {"title": _("People"), "columns": PERSON_COLUMNS, "rows": school.people.select_related("unit", "school")},
        ]


class SchoolEditView(ObjectEditView):
    model = School
    form_class = SchoolForm


class SchoolDeleteView(ObjectDeleteView):
    model = School


class SchoolImportView(ObjectImportView):
    model = School
    spec = SchoolImport()


class PostListView(ObjectListView):
    model = Post
    queryset = Post.objects.select_related("school", "station")
    filterset_class = PostFilterSet
    columns = POST_COLUMNS
    importable = True


class PostDetailView(ObjectDetailView):
    model = Post
    queryset = Post.objects.select_related("school", "station")
    template_name = "posts/post_detail.html"
    fields = [
        *POST_COLUMNS[:5],
        Column("lat", _("latitude")),
        Column("lng", _("longitude")),
        Column("active", _("active")),
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        post = self.object
        context["staffing_rows"] = [
            (Post._meta.get_field(f"need_{kind}").verbose_name, count) for kind, count in post.staffing.items()
        ]
        context["location"] = post.location
        context["location_from_school"] = post.lat is None and post.location is not None
        return context


class PostEditView(ObjectEditView):
    model = Post
    form_class = PostForm


class PostDeleteView(ObjectDeleteView):
    model = Post


class PostImportView(ObjectImportView):
    model = Post
    spec = PostImport()


class TermListView(ObjectListView):
    model = Term
    queryset = Term.objects.select_related("school")
    filterset_class = TermFilterSet
    columns = TERM_COLUMNS


class TermDetailView(ObjectDetailView):
    model = Term
    queryset = Term.objects.select_related("school")
    fields = TERM_COLUMNS


class TermEditView(ObjectEditView):
    model = Term
    form_class = TermForm


class TermDeleteView(ObjectDeleteView):
    model = Term


class CalendarOverrideListView(ObjectListView):
    model = CalendarOverride
    queryset = CalendarOverride.objects.select_related("school")
    filterset_class = CalendarOverrideFilterSet
    columns = OVERRIDE_COLUMNS


class CalendarOverrideDetailView(ObjectDetailView):
    model = CalendarOverride
    queryset = CalendarOverride.objects.select_related("school")
    fields = OVERRIDE_COLUMNS


class CalendarOverrideEditView(ObjectEditView):
    model = CalendarOverride
    form_class = CalendarOverrideForm


class CalendarOverrideDeleteView(ObjectDeleteView):
    model = CalendarOverride


class TimetableListView(ObjectListView):
    model = Timetable
    queryset = Timetable.objects.select_related("school")
    filterset_class = TimetableFilterSet
    columns = TIMETABLE_COLUMNS


class TimetableDetailView(ObjectDetailView):
    model = Timetable
    queryset = Timetable.objects.select_related("school")
    fields = TIMETABLE_COLUMNS


class TimetableEditView(ObjectEditView):
    model = Timetable
    form_class = TimetableForm


class TimetableDeleteView(ObjectDeleteView):
    model = Timetable


HOLIDAY_COLUMNS = [
    Column("date", _("date"), link=True),
    Column("weekday", _("weekday"), value=lambda h: WEEKDAY_LABELS[h.date.isoweekday()]),
    Column("kind", _("kind")),
    Column("name", _("name")),
    Column("year.source", _("source")),
]


class HolidayListView(ObjectListView):
    """The public-holiday calendar, with the years it knows: a date in another year is
    decided by the weekday rule and flagged as a guess wherever it matters."""

    model = Holiday
    queryset = Holiday.objects.select_related("year")
    filterset_class = HolidayFilterSet
    columns = HOLIDAY_COLUMNS
    importable = True
    paginate_by = 100
    template_name = "posts/holiday_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["years"] = HolidayYear.objects.annotate(days_count=Count("days")).order_by("-year")
        return context


class HolidayDetailView(ObjectDetailView):
    model = Holiday
    queryset = Holiday.objects.select_related("year")
    fields = HOLIDAY_COLUMNS


class HolidayEditView(ObjectEditView):
    model = Holiday
    form_class = HolidayForm


class HolidayDeleteView(ObjectDeleteView):
    model = Holiday


class HolidayImportView(ObjectImportView):
    model = Holiday
    spec = HolidayImport()
