from django.urls import path

from core.views import crud_paths
from inspections import views
from inspections.models import Improvement, JointOperation

app_name = "inspections"

urlpatterns = [
    path("", views.InspectionListView.as_view(), name="inspection_list"),
    path("add/", views.InspectionFormView.as_view(), name="inspection_add"),
    path("<int:pk>/", views.InspectionDetailView.as_view(), name="inspection_detail"),
    path("<int:pk>/edit/", views.InspectionFormView.as_view(), name="inspection_edit"),
    path("<int:pk>/submit/", views.InspectionSubmitView.as_view(), name="inspection_submit"),
    path("<int:pk>/approve/", views.InspectionApproveView.as_view(), name="inspection_approve"),
    path("<int:pk>/return/", views.InspectionReturnView.as_view(), name="inspection_return"),
    path("review/", views.ReviewQueueView.as_view(), name="review_queue"),
    path("coverage/", views.CoverageView.as_view(), name="coverage"),
    path("guards/", views.GuardsView.as_view(), name="guards"),
    path("guards/<int:pk>/confirm/", views.GuardShortfallView.as_view(), name="guard_shortfall"),
    path("answer-photos/<int:pk>/", views.AnswerPhotoView.as_view(), name="answer_photo"),
    path("hazards/", views.HazardListView.as_view(), name="hazard_list"),
    path("hazards/add/", views.HazardEditView.as_view(), name="hazard_add"),
    path("hazards/<int:pk>/", views.HazardDetailView.as_view(), name="hazard_detail"),
    path("hazards/<int:pk>/edit/", views.HazardEditView.as_view(), name="hazard_edit"),
    path("hazards/<int:pk>/step/", views.HazardStepView.as_view(), name="hazard_step"),
    path("hazard-photos/<int:pk>/", views.HazardPhotoView.as_view(), name="hazard_photo"),
    path("notices/", views.NoticeListView.as_view(), name="notice_list"),
    path("notices/add/", views.NoticeEditView.as_view(), name="notice_add"),
    path("notices/<int:pk>/", views.NoticeDetailView.as_view(), name="notice_detail"),
    path("notices/<int:pk>/edit/", views.NoticeEditView.as_view(), name="notice_edit"),
    path("notices/<int:pk>/issue/", views.NoticeIssueView.as_view(), name="notice_issue"),
    path("notices/<int:pk>/print/", views.NoticePrintView.as_view(), name="notice_print"),
    path("notices/<int:pk>/pdf/", views.NoticePdfView.as_view(), name="notice_pdf"),
    path("notices/<int:pk>/docx/", views.NoticeDocxView.as_view(), name="notice_docx"),
    *crud_paths("improvements", Improvement, list_view=views.ImprovementListView,
                detail_view=views.ImprovementDetailView, edit_view=views.ImprovementEditView,
                delete_view=views.ImprovementDeleteView),
    *crud_paths("joint-operations", JointOperation, list_view=views.JointOperationListView,
                detail_view=views.JointOperationDetailView, edit_view=views.JointOperationEditView,
                delete_view=views.JointOperationDeleteView),
    path("checklists/", views.ChecklistTemplateListView.as_view(), name="checklisttemplate_list"),
    path("checklists/add/", views.ChecklistTemplateEditView.as_view(), name="checklisttemplate_add"),
    path("checklists/<int:pk>/", views.ChecklistTemplateDetailView.as_view(), name="checklisttemplate_detail"),
    path("checklists/<int:pk>/edit/", views.ChecklistTemplateEditView.as_view(), name="checklisttemplate_edit"),
]
