from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from duty.models import Assignment, GenerationRun, Leave, Notification, RosterWeek, Shift, StandingAssignment
from duty.tallies import retally


def _retally_around(assignment: Assignment, before: tuple | None) -> None:
    dates, stations = {assignment.shift.date}, {assignment.station_id}
    if before is not None:
        dates.add(before[0])
        stations.add(before[1])
    retally(dates=dates, stations=stations)


@admin.register(Shift)
class ShiftAdmin(admin.ModelAdmin):
    list_display = ["post", "date", "period", "starts_at", "ends_at", "status", "published"]
    list_filter = ["status", "published", "period", "station"]
    date_hierarchy = "date"
    list_select_related = ["post__school"]
    raw_id_fields = ["post"]

    # Deleting a shift deletes its assignments: the days it touches are counted again (duty.tallies).
    def delete_model(self, request, obj):
        day, station = obj.date, obj.station_id
        super().delete_model(request, obj)
        retally(dates=[day], stations=[station])

    def delete_queryset(self, request, queryset):
        touched = list(queryset.order_by().values_list("date", "station_id").distinct())
        super().delete_queryset(request, queryset)
        if touched:
            retally(dates={d for d, _s in touched}, stations={s for _d, s in touched})


@admin.register(Assignment)
class AssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["person", "shift", "active", "source", "checked_in_at"]
    list_filter = ["active", "source"]
    raw_id_fields = ["shift", "person"]
    list_select_related = ["person", "shift__post__school"]

    # An edit here bypasses the services: the days it touches are counted again (duty.tallies).
    def save_model(self, request, obj, form, change):
        before = (Assignment.objects.filter(pk=obj.pk).values_list("shift__date", "station_id").first()
                  if change else None)
        super().save_model(request, obj, form, change)
        _retally_around(obj, before)

    def delete_model(self, request, obj):
        before = (obj.shift.date, obj.station_id)
        super().delete_model(request, obj)
        retally(dates=[before[0]], stations=[before[1]])

    def delete_queryset(self, request, queryset):
        touched = list(queryset.order_by().values_list("shift__date", "station_id").distinct())
        super().delete_queryset(request, queryset)
        if touched:
            retally(dates={d for d, _s in touched}, stations={s for _d, s in touched})


@admin.register(StandingAssignment)
class StandingAssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["person", "post", "periods", "start_date", "end_date"]
    raw_id_fields = ["person", "post"]


@admin.register(Leave)
class LeaveAdmin(SimpleHistoryAdmin):
    list_display = ["person", "start_date", "end_date", "reason"]
    raw_id_fields = ["person"]


@admin.register(RosterWeek)
class RosterWeekAdmin(SimpleHistoryAdmin):
    list_display = ["station", "week_start", "published_at", "published_by"]


@admin.register(GenerationRun)
class GenerationRunAdmin(admin.ModelAdmin):
    list_display = ["started_at", "requested_by", "unit", "start", "end", "created", "retimed", "cancelled", "left"]
    readonly_fields = [f.name for f in GenerationRun._meta.fields]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["recipient", "title", "created_at", "read_at"]
    raw_id_fields = ["recipient", "shift"]
