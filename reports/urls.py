from django.urls import path

from reports import views
from reports.views import briefing as briefing_views
from reports.views.dashboard import DashboardView

app_name = "reports"

urlpatterns = [
    path("figures/", views.FiguresView.as_view(), name="figures"),
    path("briefing/", briefing_views.BriefingView.as_view(), name="briefing"),
    path("briefing/edit/", briefing_views.BriefingEditView.as_view(), name="briefing_edit"),
    path("briefing/docx/", briefing_views.BriefingDownloadView.as_view(extension="docx"), name="briefing_docx"),
    path("briefing/txt/", briefing_views.BriefingDownloadView.as_view(extension="txt"), name="briefing_txt"),
    path("dashboard/", DashboardView.as_view(), name="dashboard"),
]
