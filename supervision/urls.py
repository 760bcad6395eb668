from django.urls import path
from django.views.generic import RedirectView

from supervision import views

app_name = "supervision"

urlpatterns = [
    path("spot-checks/", views.SpotCheckListView.as_view(), name="spotcheck_list"),
    path("spot-checks/add/", views.SpotCheckCreateView.as_view(), name="spotcheck_add"),
    path("spot-checks/on-shift/", views.SpotCheckOnShiftView.as_view(), name="spotcheck_on_shift"),
    path("spot-checks/sample/", views.SpotCheckSampleView.as_view(), name="spotcheck_sample"),
    path("spot-checks/<int:pk>/", views.SpotCheckDetailView.as_view(), name="spotcheck_detail"),
    path("findings/<int:pk>/photo/", views.FindingPhotoView.as_view(), name="finding_photo"),
    path("bulletins/", views.BulletinListView.as_view(), name="bulletin_list"),
    path("bulletins/add/", views.BulletinEditView.as_view(), name="bulletin_add"),
    path("bulletins/<int:pk>/", views.BulletinDetailView.as_view(), name="bulletin_detail"),
    path("bulletins/<int:pk>/edit/", views.BulletinEditView.as_view(), name="bulletin_edit"),
    path("bulletins/<int:pk>/issue/", views.BulletinIssueView.as_view(), name="bulletin_issue"),
    path("bulletins/<int:pk>/print/", views.BulletinPrintView.as_view(), name="bulletin_print"),
    path("bulletins/<int:pk>/pdf/", views.BulletinPdfView.as_view(), name="bulletin_pdf"),
    path("bulletins/<int:pk>/docx/", views.BulletinDocxView.as_view(), name="bulletin_docx"),
]


def old_addresses() -> list:
    """The pages' first addresses, under /duty/, kept for bookmarks: each answers a permanent
    redirect to the same page here, query string and all."""
    return [
        path(f"duty/{pattern.pattern}", RedirectView.as_view(
            pattern_name=f"{app_name}:{pattern.name}", permanent=True, query_string=True))
        for pattern in urlpatterns
    ]
