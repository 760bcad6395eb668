from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from posts.models import CalendarOverride, Holiday, HolidayYear, Post, School, Term, Timetable


@admin.register(School)
class SchoolAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "station", "pupils"]
    list_filter = ["kind", "station"]
    search_fields = ["name", "address"]
    list_select_related = ["station"]


@admin.register(Post)
class PostAdmin(SimpleHistoryAdmin):
    list_display = ["name", "school", "station", "active", "lead_minutes", "radius_m"]
    list_filter = ["active", "station"]
    search_fields = ["name", "school__name"]
    autocomplete_fields = ["school"]
    list_select_related = ["school", "station"]


@admin.register(Term)
class TermAdmin(SimpleHistoryAdmin):
    list_display = ["name", "school", "start", "end"]
    autocomplete_fields = ["school"]


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(SimpleHistoryAdmin):
    list_display = ["date", "school", "is_school_day", "reason"]
    list_filter = ["is_school_day"]
    autocomplete_fields = ["school"]


@admin.register(Timetable)
class TimetableAdmin(SimpleHistoryAdmin):
    list_display = ["school", "period", "weekdays_display", "start", "end", "valid_from", "valid_to"]
    list_filter = ["period"]
    autocomplete_fields = ["school"]


class HolidayInline(admin.TabularInline):
    model = Holiday
    extra = 0


@admin.register(HolidayYear)
class HolidayYearAdmin(SimpleHistoryAdmin):
    list_display = ["year", "source", "note"]
    inlines = [HolidayInline]


@admin.register(Holiday)
class HolidayAdmin(SimpleHistoryAdmin):
    list_display = ["date", "kind", "name", "year"]
    list_filter = ["kind", "year"]
    date_hierarchy = "date"
