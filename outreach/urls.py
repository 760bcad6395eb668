from django.urls import path

from core.views import crud_paths
from outreach import views
from outreach.models import Activity, Drill, DrillPlan, Training

app_name = "outreach"

urlpatterns = [
    *crud_paths("activities", Activity, list_view=views.ActivityListView, detail_view=views.ActivityDetailView,
                edit_view=views.ActivityEditView, delete_view=views.ActivityDeleteView),
    path("activity-photos/<int:pk>/", views.ActivityPhotoView.as_view(), name="activity_photo"),
    *crud_paths("trainings", Training, list_view=views.TrainingListView, detail_view=views.TrainingDetailView,
                edit_view=views.TrainingEditView, delete_view=views.TrainingDeleteView),
    path("drills/pull/", views.PullStartView.as_view(), name="pull_start"),
    path("drills/record/", views.RapidResponseRecordView.as_view(), name="rapid_response_record"),
    path("drills/<int:pk>/pull/", views.PullView.as_view(), name="pull"),
    path("drills/<int:pk>/pull/stages/", views.PullStagesView.as_view(), name="pull_stages"),
    path("drills/<int:pk>/pull/close/", views.PullCloseView.as_view(), name="pull_close"),
    *crud_paths("drills", Drill, list_view=views.DrillListView, detail_view=views.DrillDetailView,
                edit_view=views.DrillEditView, delete_view=views.DrillDeleteView),
    path("drill-plans/progress/", views.DrillPlanProgressView.as_view(), name="drill_plan_progress"),
    *crud_paths("drill-plans", DrillPlan, list_view=views.DrillPlanListView, detail_view=views.DrillPlanDetailView,
                edit_view=views.DrillPlanEditView, delete_view=views.DrillPlanDeleteView),
]
