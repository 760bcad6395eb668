from core.views import crud_paths
from posts import views
from posts.models import CalendarOverride, Holiday, Post, School, Term, Timetable

app_name = "posts"

urlpatterns = [
    *crud_paths(
        "schools", School, list_view=views.SchoolListView, detail_view=views.SchoolDetailView,
        edit_view=views.SchoolEditView, delete_view=views.SchoolDeleteView, import_view=views.SchoolImportView,
    ),
    *crud_paths(
        "posts", Post, list_view=views.PostListView, detail_view=views.PostDetailView,
        edit_view=views.PostEditView, delete_view=views.PostDeleteView, import_view=views.PostImportView,
    ),
    *crud_paths(
        "terms", Term, list_view=views.TermListView, detail_view=views.TermDetailView,
        edit_view=views.TermEditView, delete_view=views.TermDeleteView,
    ),
    *crud_paths(
        "calendar-overrides", CalendarOverride, list_view=views.CalendarOverrideListView,
        detail_view=views.CalendarOverrideDetailView, edit_view=views.CalendarOverrideEditView,
        delete_view=views.CalendarOverrideDeleteView,
    ),
    *crud_paths(
        "holidays", Holiday, list_view=views.HolidayListView, detail_view=views.HolidayDetailView,
        edit_view=views.HolidayEditView, delete_view=views.HolidayDeleteView, import_view=views.HolidayImportView,
    ),
    *crud_paths(
        "timetables", Timetable, list_view=views.TimetableListView, detail_view=views.TimetableDetailView,
        edit_view=views.TimetableEditView, delete_view=views.TimetableDeleteView,
    ),
]
