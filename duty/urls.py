from django.urls import path

from duty.views import roster as views
from duty.models import Leave, StandingAssignment
from core.views import crud_paths

app_name = "duty"

urlpatterns = [
    path("roster/", views.RosterBoardView.as_view(), name="roster"),
    path("roster/cells/<int:shift>/", views.RosterCellView.as_view(), name="roster_cell"),
    path("roster/print/", views.RosterPrintView.as_view(), name="roster_print"),
    path("roster/export/", views.RosterExportView.as_view(), name="roster_export"),
    path("my-shifts/", views.MyShiftsView.as_view(), name="my_shifts"),
    path("my-shifts.ics", views.MyShiftsFeedView.as_view(), name="my_shifts_feed"),
    path("notifications/", views.NotificationListView.as_view(), name="notifications"),
    path("shifts/", views.ShiftListView.as_view(), name="shift_list"),
    path("shifts/<int:pk>/", views.ShiftDetailView.as_view(), name="shift_detail"),
    *crud_paths(
        "leave", Leave, list_view=views.LeaveListView, detail_view=views.LeaveDetailView,
        edit_view=views.LeaveEditView, delete_view=views.LeaveDeleteView,
    ),
    *crud_paths(
        "standing-assignments", StandingAssignment, list_view=views.StandingAssignmentListView,
        detail_view=views.StandingAssignmentDetailView, edit_view=views.StandingAssignmentEditView,
        delete_view=views.StandingAssignmentDeleteView,
    ),
]
