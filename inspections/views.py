"""Pages of inspections and hazards: the inspections (list, the checklist form for a tablet
at the school, the detail with its review), the supervisors' review queue, the hazards
(list, detail with its log and next step), the rectification notices (list, draft, issue,
print, PDF, Word), improvements and joint operations, this term's coverage, the guards
against the standard, and the checklists (administrators).

Views parse and render; every write is inspections.services', every count
inspections.selectors'."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, TemplateView
from django.views.generic.detail import SingleObjectMixin

from audit.models import AuditAction
from audit.services import audit_record
from core.documents import DOCX_CONTENT_TYPE, PdfUnavailable, attachment, render_pdf
from core.photos import photo_response
from core.signals import report_out_of_scope
from core.tables import Column
from core.views import (
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    ScopedViewMixin,
    add_validation_error,
)
from inspections.documents import notice_document, notice_filename, render_notice_docx
from inspections.filters import (
    ChecklistTemplateFilterSet,
    HazardFilterSet,
    ImprovementFilterSet,
    InspectionFilterSet,
    JointOperationFilterSet,
    NoticeFilterSet,
)
from inspections.forms import (
    ChecklistForm,
    ChecklistItemFormSet,
    ChecklistTemplateForm,
    HazardForm,
    HazardStepForm,
    ImprovementForm,
    InspectionForm,
    JointOperationForm,
    NoticeForm,
    ReturnForm,
)
from inspections.models import (
    AnswerPhoto,
    ChecklistTemplate,
    Hazard,
    HazardEvent,
    HazardStatus,
    Improvement,
    Inspection,
    InspectionStatus,
    JointOperation,
    Notice,
    VenueType,
)
from inspections.selectors import guard_staffing, inspection_coverage, returned_comments, review_queue
from inspections.services import (
    HAZARD_TRANSITIONS,
    checklist_template_save,
    guard_shortfall_confirm,
    hazard_create,
    hazard_transition,
    hazard_update,
    improvement_save,
    inspection_approve,
    inspection_create,
    inspection_return,
    inspection_submit,
    inspection_update,
    joint_operation_save,
    notice_create,
    notice_issue,
    notice_update,
)
from posts.models import School


def user_name(user) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


def error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


# -- inspections ---------------------------------------------------------------------------------


INSPECTION_COLUMNS = [
    Column("date", gettext_lazy("date"), link=True),
    Column("school.name", gettext_lazy("school")),
    Column("school.station.name", gettext_lazy("police station")),
    Column("status", gettext_lazy("status")),
    Column("template", gettext_lazy("checklist"), value=lambda i: str(i.template)),
    Column("hazard_count", gettext_lazy("hazards")),
    Column("round", gettext_lazy("review round")),
]


class RecordsOnlyMixin:
    """Inspections, hazards and notices are records: no delete page, whatever the permissions."""

    def has_model_perm(self, action: str) -> bool:
        return action != "delete" and super().has_model_perm(action)


class InspectionListView(RecordsOnlyMixin, ObjectListView):
    model = Inspection
    queryset = (Inspection.objects.select_related("school__station", "template")
                .annotate(hazard_count=Count("hazards")).order_by("-date", "-pk"))
    filterset_class = InspectionFilterSet
    columns = INSPECTION_COLUMNS


class InspectionFormView(ScopedViewMixin, TemplateView):
    """New: the school, the day and who inspects (then the checklist). Editing: the same
    fields and the whole checklist, made for a tablet at the school: big pass / fail / n.a.
    buttons per item, a note, the severity of a failure, a photo; the reviewer's comments
    beside the items of a returned inspection. "Save and submit" sends it for review."""

    model = Inspection
    template_name = "inspections/inspection_form.html"

    def get_permission_required(self):
        return ["inspections.change_inspection" if "pk" in self.kwargs else "inspections.add_inspection"]

    def dispatch(self, request, *args, **kwargs):
        self.object = None
        if request.user.is_authenticated and "pk" in kwargs:
            visible = Inspection.objects.visible_to(request.user).select_related("school", "template")
            self.object = visible.filter(pk=kwargs["pk"]).first()
            if self.object is None:
                report_out_of_scope(request, Inspection, {"pk": kwargs["pk"]})
                raise Http404
        return super().dispatch(request, *args, **kwargs)

    def refuse_if_frozen(self):
        if self.object is not None and not self.object.is_editable:
            messages.error(self.request, _("%(inspection)s is “%(status)s” and cannot be changed now.") % {
                "inspection": self.object, "status": self.object.get_status_display()})
            return redirect(self.object.get_absolute_url())
        return None

    def forms(self, data=None, files=None):
        user = self.request.user
        initial = None
        if self.object is None and data is None:
            initial = {"date": timezone.localdate(), **{k: v for k, v in self.request.GET.items() if k == "school"}}
        form = InspectionForm(data, instance=self.object, user=user, initial=initial)
        checklist = None
        if self.object is not None:
            answers = self.object.answers.select_related("item").order_by("item__order")
            checklist = ChecklistForm(data, files, answers=answers, comments=returned_comments(self.object))
        return form, checklist

    def get(self, request, *args, **kwargs):
        refused = self.refuse_if_frozen()
        if refused:
            return refused
        form, checklist = self.forms()
        return self.render_to_response(self.get_context_data(form=form, checklist=checklist))

    def post(self, request, *args, **kwargs):
        refused = self.refuse_if_frozen()
        if refused:
            return refused
        form, checklist = self.forms(request.POST, request.FILES)
        valid = form.is_valid() & (checklist is None or checklist.is_valid())
        if valid:
            data = form.cleaned_data
            try:
                if self.object is None:
                    inspection = inspection_create(user=request.user, school=data["school"], date=data["date"],
                                                   inspectors=data["inspectors"], note=data["note"])
                    messages.success(request, _("Started %(inspection)s: answer the checklist.") % {
                        "inspection": inspection})
                    return redirect("inspections:inspection_edit", pk=inspection.pk)
                inspection = inspection_update(
                    inspection=self.object, user=request.user, school=data["school"], date=data["date"],
                    inspectors=data["inspectors"], note=data["note"], answers=checklist.answers_data(),
                    photos=checklist.photos_data())
                if "submit" in request.POST:
                    inspection_submit(inspection=inspection, user=request.user)
                    messages.success(request, _("Submitted %(inspection)s for review.") % {"inspection": inspection})
                    return redirect(inspection.get_absolute_url())
            except ValidationError as exc:
                add_validation_error(form, exc, fields=("school", "date", "inspectors", "note"))
            else:
                messages.success(request, _("Saved %(inspection)s.") % {"inspection": inspection})
                return redirect("inspections:inspection_edit", pk=inspection.pk)
        return self.render_to_response(self.get_context_data(form=form, checklist=checklist))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(object=self.object, creating=self.object is None,
                       files_dropped=bool(self.request.FILES) and self.request.method == "POST")
        return context


class InspectionDetailView(RecordsOnlyMixin, ObjectDetailView):
    """The inspection, its answers with their photos and the reviewer's comments, the
    hazards it found, its review history, and what the user may do next."""

    model = Inspection
    queryset = Inspection.objects.select_related("school__station", "template", "created_by")
    template_name = "inspections/inspection_detail.html"
    fields = [
        Column("school.name", gettext_lazy("school")),
        Column("school.station.name", gettext_lazy("police station")),
        Column("date", gettext_lazy("date")),
        Column("status", gettext_lazy("status")),
        Column("template", gettext_lazy("checklist"), value=lambda i: str(i.template)),
        Column("inspectors", gettext_lazy("inspectors"), value=lambda i: "、".join(
            [p.name for p in i.inspectors.all()] + [user_name(u) for u in i.inspector_users.all()])),
        Column("submitted_at", gettext_lazy("submitted at")),
        Column("round", gettext_lazy("review round")),
        Column("note", gettext_lazy("note")),
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        inspection = self.object
        user = self.request.user
        comments = returned_comments(inspection)
        answers = list(inspection.answers.select_related("item").prefetch_related("photos").order_by("item__order"))
        reviewing = inspection.status == InspectionStatus.SUBMITTED and user.has_perm("inspections.review_inspection")
        context.update(
            answers=[(a, comments.get(a.item_id, "")) for a in answers],
            hazards=inspection.hazards.order_by("pk"),
            reviews=inspection.reviews.select_related("by").prefetch_related("comments__item"),
            edit_url=(reverse("inspections:inspection_edit", args=[inspection.pk])
                      if inspection.is_editable and self.has_model_perm("change") else None),
            may_submit=inspection.is_editable and self.has_model_perm("change"),
            review_form=ReturnForm(items=[a.item for a in answers]) if reviewing else None,
            hazard_add_url=(f"{reverse('inspections:hazard_add')}?school={inspection.school_id}"
                            f"&inspection={inspection.pk}"
                            if user.has_perm("inspections.add_hazard") and inspection.status != InspectionStatus.APPROVED
                            else None),
        )
        return context


class InspectionActionView(ScopedViewMixin, SingleObjectMixin, View):
    """A POST on one inspection (submit, approve, return): the service decides, the page
    says what happened or why not."""

    model = Inspection
    action = "change"
    http_method_names = ["post"]

    def post(self, request, pk):
        inspection = self.get_object()
        try:
            text = self.act(inspection)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, text)
        return redirect(inspection.get_absolute_url())


class InspectionSubmitView(InspectionActionView):
    def act(self, inspection):
        inspection_submit(inspection=inspection, user=self.request.user)
        return _("Submitted %(inspection)s for review.") % {"inspection": inspection}


class InspectionApproveView(InspectionActionView):
    action = "review"

    def act(self, inspection):
        inspection_approve(inspection=inspection, user=self.request.user, comment=self.request.POST.get("comment", ""))
        return _("Approved %(inspection)s.") % {"inspection": inspection}


class InspectionReturnView(InspectionActionView):
    action = "review"

    def act(self, inspection):
        form = ReturnForm(self.request.POST, items=inspection.template.items.all())
        if not form.is_valid():
            raise ValidationError(form.errors)
        inspection_return(inspection=inspection, user=self.request.user, comment=form.cleaned_data["comment"],
                          items=form.item_comments())
        return _("Returned %(inspection)s for correction.") % {"inspection": inspection}


class ReviewQueueView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    """Inspection reports awaiting review, oldest first."""

    permission_required = "inspections.review_inspection"
    template_name = "inspections/review_queue.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = review_queue(self.request.user).annotate(hazard_count=Count("hazards"))
        return context


class AnswerPhotoView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = "inspections.view_inspection"

    def get(self, request, pk):
        visible = AnswerPhoto.objects.filter(answer__inspection__in=Inspection.objects.visible_to(request.user))
        return photo_response(get_object_or_404(visible, pk=pk).photo)


# -- hazards ---------------------------------------------------------------------------------------


def overdue_flag(hazard) -> str:
    return _("Overdue") if hazard.is_overdue else ""


HAZARD_COLUMNS = [
    Column("found_on", gettext_lazy("found on"), link=True),
    Column("school.name", gettext_lazy("school")),
    Column("school.station.name", gettext_lazy("police station")),
    Column("category", gettext_lazy("category")),
    Column("description", gettext_lazy("description")),
    Column("severity", gettext_lazy("severity")),
    Column("deadline", gettext_lazy("deadline")),
    Column("status", gettext_lazy("status")),
    Column("is_overdue", gettext_lazy("overdue"), value=overdue_flag),
]


class HazardListView(RecordsOnlyMixin, ObjectListView):
    model = Hazard
    queryset = Hazard.objects.select_related("school__station")
    filterset_class = HazardFilterSet
    columns = HAZARD_COLUMNS


class HazardDetailView(RecordsOnlyMixin, ObjectDetailView):
    model = Hazard
    queryset = Hazard.objects.select_related("school__station", "inspection", "from_item", "created_by")
    template_name = "inspections/hazard_detail.html"
    fields = [
        Column("school.name", gettext_lazy("school")),
        Column("school.station.name", gettext_lazy("police station")),
        Column("category", gettext_lazy("category")),
        Column("description", gettext_lazy("description")),
        Column("severity", gettext_lazy("severity")),
        Column("found_on", gettext_lazy("found on")),
        Column("deadline", gettext_lazy("deadline")),
        Column("status", gettext_lazy("status")),
        Column("source", gettext_lazy("source")),
        Column("from_item", gettext_lazy("from checklist item"), value=lambda h: h.from_item.text if h.from_item else ""),
        Column("overdue_since", gettext_lazy("flagged overdue on")),
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        hazard = self.object
        steps = []
        if self.has_model_perm("change"):
            steps = [action for action in ("rectify", "verify", "reopen") if hazard.status in HAZARD_TRANSITIONS[action][0]]
        context.update(
            events=hazard.events.select_related("by"),
            notices=hazard.notices.all(),
            steps=steps,
            edit_url=(reverse("inspections:hazard_edit", args=[hazard.pk])
                      if hazard.status == HazardStatus.OPEN and self.has_model_perm("change") else None),
        )
        return context


class HazardEditView(RecordsOnlyMixin, ObjectEditView):
    """Add a hazard by hand (from an inspection's page: ?school=&inspection=), or correct an
    open one; its deadline follows its severity."""

    model = Hazard
    form_class = HazardForm

    def the_inspection(self):
        value = self.request.GET.get("inspection") or self.request.POST.get("inspection")
        if not value or not str(value).isdigit():
            return None
        return Inspection.objects.visible_to(self.request.user).filter(pk=value).first()

    def save_form(self, form):
        data = {k: v for k, v in form.cleaned_data.items() if k in ("category", "description", "severity", "found_on")}
        if self.object.pk is None:
            return hazard_create(user=self.request.user, school=form.cleaned_data["school"],
                                 inspection=self.the_inspection(), **data)
        if data.get("found_on") is None:
            data.pop("found_on", None)
        return hazard_update(hazard=self.object, user=self.request.user, **data)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["inspection"] = self.the_inspection()
        return context


class HazardStepView(ScopedViewMixin, SingleObjectMixin, View):
    """POST one step of a hazard's life from its page: rectified (with the school's report
    and a photo), verified by the re-check (销号), or reopened."""

    model = Hazard
    action = "change"
    http_method_names = ["post"]

    def post(self, request, pk):
        hazard = self.get_object()
        form = HazardStepForm(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, "; ".join(str(m) for errors in form.errors.values() for m in errors))
            return redirect(hazard.get_absolute_url())
        try:
            event = hazard_transition(hazard=hazard, user=request.user, action=form.cleaned_data["action"],
                                      note=form.cleaned_data["note"], photo=form.cleaned_data["photo"])
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("Recorded: %(event)s.") % {"event": event})
        return redirect(hazard.get_absolute_url())


class HazardPhotoView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = "inspections.view_hazard"

    def get(self, request, pk):
        visible = HazardEvent.objects.filter(hazard__in=Hazard.objects.visible_to(request.user)).exclude(photo="")
        return photo_response(get_object_or_404(visible, pk=pk).photo)


class GuardsView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    """Guards against GB/T 29315-2022, without a visit: each school's required guards by its
    enrolment beside the guards on the register there, short schools flagged, per station."""

    permission_required = "inspections.view_hazard"
    template_name = "inspections/guards.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        only_short = self.request.GET.get("short") == "1"
        context.update(guard_staffing(self.request.user, only_short=only_short), only_short=only_short,
                       may_confirm=self.request.user.has_perm("inspections.add_hazard"))
        return context


class GuardShortfallView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """POST: the inspector confirms a school's guard shortfall, which becomes a hazard."""

    permission_required = "inspections.add_hazard"
    http_method_names = ["post"]

    def post(self, request, pk):
        school = School.objects.visible_to(request.user).filter(pk=pk).first()
        if school is None:
            report_out_of_scope(request, School, {"pk": pk})
            raise Http404
        try:
            hazard = guard_shortfall_confirm(school=school, user=request.user)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
            return redirect("inspections:guards")
        messages.success(request, _("The shortfall is recorded as a hazard."))
        return redirect(hazard.get_absolute_url())


class CoverageView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    """Schools not yet inspected INSPECTIONS_PER_TERM times this term, by station."""

    permission_required = "inspections.view_inspection"
    template_name = "inspections/coverage.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(inspection_coverage(self.request.user), show_all=self.request.GET.get("all") == "1",
                       may_add=self.request.user.has_perm("inspections.add_inspection"))
        return context


# -- notices ---------------------------------------------------------------------------------------


NOTICE_COLUMNS = [
    Column("number", gettext_lazy("number"), link=True, value=lambda n: n.number_label or _("Draft")),
    Column("school.name", gettext_lazy("school")),
    Column("school.station.name", gettext_lazy("police station")),
    Column("deadline", gettext_lazy("deadline")),
    Column("status", gettext_lazy("status")),
    Column("issued_on", gettext_lazy("issued on")),
]


class NoticeListView(RecordsOnlyMixin, ObjectListView):
    model = Notice
    queryset = Notice.objects.select_related("school__station")
    filterset_class = NoticeFilterSet
    columns = NOTICE_COLUMNS


class NoticeDetailView(RecordsOnlyMixin, ObjectDetailView):
    model = Notice
    queryset = Notice.objects.select_related("school__station", "issued_by", "created_by")
    template_name = "inspections/notice_detail.html"
    fields = [
        Column("number", gettext_lazy("number"), value=lambda n: n.number_label or _("Draft")),
        Column("status", gettext_lazy("status")),
        Column("school.name", gettext_lazy("school")),
        Column("deadline", gettext_lazy("deadline")),
        Column("created_by", gettext_lazy("drafted by"), value=lambda n: user_name(n.created_by)),
        Column("issued_on", gettext_lazy("issued on")),
        Column("issued_by", gettext_lazy("issued by"), value=lambda n: user_name(n.issued_by)),
    ]

    def has_model_perm(self, action: str) -> bool:
        if action == "change" and not self.object.is_editable:
            return False
        return super().has_model_perm(action)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        notice = self.object
        may_issue = notice.is_editable and self.has_model_perm("change")
        context.update(
            doc=notice_document(notice),
            issue_url=reverse("inspections:notice_issue", args=[notice.pk]) if may_issue else None,
        )
        return context


class NoticeEditView(RecordsOnlyMixin, ObjectEditView):
    """Draft a notice (from a school's hazards: ?school=) or edit a draft; an issued notice
    sends the user back with the reason."""

    model = Notice
    form_class = NoticeForm

    def refuse_if_issued(self):
        if self.object.pk and not self.object.is_editable:
            messages.error(self.request, _("%(notice)s is issued and can no longer be changed.") % {
                "notice": self.object})
            return redirect(self.object.get_absolute_url())
        return None

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        return self.refuse_if_issued() or self.render_to_response(self.get_context_data())

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        refused = self.refuse_if_issued()
        if refused:
            return refused
        form = self.get_form()
        return self.form_valid(form) if form.is_valid() else self.form_invalid(form)

    def save_form(self, form):
        data = form.cleaned_data
        fields = {"school": data["school"], "hazards": data["hazards"], "deadline": data["deadline"],
                  "text": data["text"]}
        if self.object.pk is None:
            return notice_create(user=self.request.user, **fields)
        return notice_update(notice=self.object, user=self.request.user, **fields)


class NoticeIssueView(ScopedViewMixin, SingleObjectMixin, View):
    """POST: number the draft (船公（治）整字〔2026〕第N号), freeze it, notify its hazards."""

    model = Notice
    action = "change"
    http_method_names = ["post"]

    def post(self, request, pk):
        notice = self.get_object()
        try:
            notice = notice_issue(notice=notice, user=request.user)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("Issued as %(number)s.") % {"number": notice.number_label})
        return redirect(notice.get_absolute_url())


class NoticePrintView(ScopedViewMixin, DetailView):
    """The notice as a clean A4 page; the PDF is this very page."""

    model = Notice
    queryset = Notice.objects.select_related("school__station")
    template_name = "inspections/notice_print.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["doc"] = notice_document(self.object)
        if not kwargs.get("for_pdf"):
            audit_record(action=AuditAction.PRINT, request=self.request, obj=self.object, detail={"format": "html"})
        return context


class NoticePdfView(NoticePrintView):
    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        context = self.get_context_data(object=self.object, for_pdf=True)
        html = render_to_string(self.template_name, context, request=request)
        try:
            pdf = render_pdf(html)
        except PdfUnavailable as exc:
            return HttpResponse(render_to_string("inspections/notice_pdf_unavailable.html", {
                "object": self.object, "reason": str(exc),
                "docx_url": reverse("inspections:notice_docx", args=[self.object.pk]),
                "print_url": reverse("inspections:notice_print", args=[self.object.pk]),
            }, request=request), status=503)
        audit_record(action=AuditAction.EXPORT, request=request, obj=self.object, detail={"format": "pdf"})
        return attachment(pdf, "application/pdf", notice_filename(context["doc"], "pdf"))


class NoticeDocxView(NoticePrintView):
    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        doc = notice_document(self.object)
        audit_record(action=AuditAction.EXPORT, request=request, obj=self.object, detail={"format": "docx"})
        return attachment(render_notice_docx(doc), DOCX_CONTENT_TYPE, notice_filename(doc, "docx"))


# -- improvements and joint operations -----------------------------------------------------------


IMPROVEMENT_COLUMNS = [
    Column("date", gettext_lazy("date installed"), link=True),
    Column("school.name", gettext_lazy("school")),
    Column("school.station.name", gettext_lazy("police station")),
    Column("kind", gettext_lazy("kind")),
    Column("quantity", gettext_lazy("quantity")),
    Column("unit", gettext_lazy("unit of count")),
    Column("note", gettext_lazy("note")),
]


class ImprovementListView(ObjectListView):
    model = Improvement
    queryset = Improvement.objects.select_related("school__station")
    filterset_class = ImprovementFilterSet
    columns = IMPROVEMENT_COLUMNS


class ImprovementDetailView(ObjectDetailView):
    model = Improvement
    queryset = Improvement.objects.select_related("school__station")
    fields = IMPROVEMENT_COLUMNS


class ImprovementEditView(ObjectEditView):
    model = Improvement
    form_class = ImprovementForm

    def save_form(self, form):
        fields = {k: form.cleaned_data[k] for k in ("school", "kind", "quantity", "date", "note")}
        return improvement_save(user=self.request.user, improvement=self.object if self.object.pk else None, **fields)


class ImprovementDeleteView(ObjectDeleteView):
    model = Improvement


def venues_text(operation) -> str:
    counts = operation.venues_by_type or {}
    return "；".join(f"{label} {counts[value]}" for value, label in VenueType.choices if counts.get(value))


JOINT_COLUMNS = [
    Column("date", gettext_lazy("date"), link=True),
    Column("title", gettext_lazy("title")),
    Column("unit.name", gettext_lazy("organising unit")),
    Column("departments", gettext_lazy("partner departments")),
    Column("police_count", gettext_lazy("police deployed")),
    Column("venues_checked", gettext_lazy("venues checked")),
    Column("hazards_found", gettext_lazy("hazards found")),
    Column("hazards_fixed", gettext_lazy("hazards fixed")),
    Column("vendors_cleared", gettext_lazy("unlicensed vendors cleared")),
]


class JointOperationListView(ObjectListView):
    model = JointOperation
    queryset = JointOperation.objects.select_related("unit")
    filterset_class = JointOperationFilterSet
    columns = JOINT_COLUMNS


class JointOperationDetailView(ObjectDetailView):
    model = JointOperation
    queryset = JointOperation.objects.select_related("unit")
    fields = [*JOINT_COLUMNS, Column("venues_by_type", gettext_lazy("venues checked by type"), value=venues_text),
              Column("note", gettext_lazy("note"))]


class JointOperationEditView(ObjectEditView):
    model = JointOperation
    form_class = JointOperationForm

    def save_form(self, form):
        names = ("unit", "date", "title", "departments", "police_count", "venues_checked", "hazards_found",
                 "hazards_fixed", "vendors_cleared", "note")
        fields = {k: form.cleaned_data[k] for k in names}
        fields["venues_by_type"] = form.venues_by_type()
        return joint_operation_save(user=self.request.user, operation=self.object if self.object.pk else None,
                                    **fields)


class JointOperationDeleteView(ObjectDeleteView):
    model = JointOperation


# -- checklists ------------------------------------------------------------------------------------


TEMPLATE_COLUMNS = [
    Column("name", gettext_lazy("name"), link=True),
    Column("version", gettext_lazy("version")),
    Column("active", gettext_lazy("active")),
    Column("item_count", gettext_lazy("items")),
    Column("created_at", gettext_lazy("created at")),
]


class ChecklistTemplateListView(RecordsOnlyMixin, ObjectListView):
    model = ChecklistTemplate
    queryset = ChecklistTemplate.objects.annotate(item_count=Count("items")).order_by("name", "-version")
    columns = TEMPLATE_COLUMNS

    filterset_class = ChecklistTemplateFilterSet


class ChecklistTemplateDetailView(RecordsOnlyMixin, ObjectDetailView):
    model = ChecklistTemplate
    template_name = "inspections/checklisttemplate_detail.html"
    fields = [Column("name", gettext_lazy("name")), Column("version", gettext_lazy("version")),
              Column("active", gettext_lazy("active")), Column("note", gettext_lazy("note")),
              Column("created_by", gettext_lazy("created by"), value=lambda t: user_name(t.created_by))]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(items=self.object.items.all(), used=self.object.inspections.count(),
                       edit_url=(reverse("inspections:checklisttemplate_edit", args=[self.object.pk])
                                 if self.has_model_perm("change") else None))
        return context


class ChecklistTemplateEditView(ScopedViewMixin, TemplateView):
    """An administrator edits a checklist and its items; a version already used by an
    inspection is kept, and saving makes the next version (checklist_template_save)."""

    model = ChecklistTemplate
    template_name = "inspections/checklisttemplate_form.html"

    def get_permission_required(self):
        action = "change" if "pk" in self.kwargs else "add"
        return [f"inspections.{action}_checklisttemplate"]

    def the_template(self):
        if "pk" not in self.kwargs:
            return None
        return get_object_or_404(ChecklistTemplate, pk=self.kwargs["pk"])

    def build(self, data=None):
        template = self.the_template()
        initial = None
        if template is not None and data is None:
            initial = [{"section": i.section, "category": i.category, "text": i.text, "clause": i.clause,
                        "severity": i.severity} for i in template.items.all()]
        form = ChecklistTemplateForm(data, instance=template)
        formset = ChecklistItemFormSet(data, initial=initial, prefix="items")
        return template, form, formset

    def get(self, request, *args, **kwargs):
        template, form, formset = self.build()
        return self.render_to_response(self.get_context_data(template=template, form=form, formset=formset))

    def post(self, request, *args, **kwargs):
        template, form, formset = self.build(request.POST)
        if form.is_valid() and formset.is_valid():
            items = [f.cleaned_data for f in formset.forms
                     if f.cleaned_data and not f.cleaned_data.get("DELETE") and f.cleaned_data.get("text")]
            try:
                saved = checklist_template_save(user=request.user, template=template, name=form.cleaned_data["name"],
                                                note=form.cleaned_data["note"], items=items)
            except ValidationError as exc:
                add_validation_error(form, exc, fields=("name", "note"))
            else:
                if template is not None and saved.pk != template.pk:
                    messages.success(request, _("Version %(version)d was in use: saved as version %(new)d.") % {
                        "version": template.version, "new": saved.version})
                else:
                    messages.success(request, _("Saved %(obj)s.") % {"obj": saved})
                return redirect(saved.get_absolute_url())
        return self.render_to_response(self.get_context_data(template=template, form=form, formset=formset))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        template = kwargs.get("template")
        context["in_use"] = bool(template is not None and template.inspections.exists())
        return context
