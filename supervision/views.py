"""Pages for supervision: spot checks (list, detail with the contradictions between findings
and check-ins, the create page with its findings, the random sample, finding photos), the
supervision bulletins (list, draft, edit, preview, issue, print, PDF, Word). The HQ figures
page is reports/.

Views parse input and render; every write is a service of supervision.services, every read
beyond a list or detail a selector of supervision.selectors."""

from __future__ import annotations


from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, TemplateView
from django.views.generic.detail import SingleObjectMixin

from audit.models import AuditAction
from audit.services import audit_record
from core.documents import DOCX_CONTENT_TYPE, PdfUnavailable, attachment, render_pdf
from core.forms import now_to_the_minute
from core.photos import photo_response
from core.tables import Column
from core.views import ObjectDetailView, ObjectEditView, ObjectListView, ScopedViewMixin, add_validation_error
from duty.models import Assignment
from org.models import Person
from supervision.documents import bulletin_document, document_filename, number_label, render_docx
from supervision.filters import BulletinFilterSet, SpotCheckFilterSet
from supervision.forms import (
    BulletinForm,
    FindingFormSet,
    SpotCheckForm,
)
from supervision.models import Bulletin, Finding, SpotCheck, SpotCheckMethod
from supervision.selectors import bulletin_content, contradictions, shift_running_at
from supervision.services import (
    SAMPLE_SIZE_MAX,
    bulletin_create,
    bulletin_issue,
    bulletin_update,
    random_sample,
    sample_size,
    spot_check_create,
)

FINDINGS_PREFIX = "findings"


# -- spot checks ---------------------------------------------------------------------------


def supervisor_name(check: SpotCheck) -> str:
    user = check.supervisor
    return (user.get_full_name() or user.username) if user is not None else ""


SPOTCHECK_COLUMNS = [
    Column("checked_at", gettext_lazy("checked at"), link=True),
    Column("post", gettext_lazy("post"), value=lambda c: str(c.post)),
    Column("station.name", gettext_lazy("police station")),
    Column("method", gettext_lazy("method")),
    Column("supervisor", gettext_lazy("supervisor"), value=supervisor_name),
    Column("findings_count", gettext_lazy("findings")),
]


class NoEditPagesMixin:
    """Spot checks are records of what was seen: no edit or delete pages, whatever the
    permissions say."""

    def has_model_perm(self, action: str) -> bool:
        return action in ("view", "add") and super().has_model_perm(action)


class SpotCheckListView(NoEditPagesMixin, ObjectListView):
    model = SpotCheck
    queryset = (
        SpotCheck.objects.select_related("post__school", "station", "supervisor")
        .annotate(findings_count=Count("findings"))
        .order_by("-checked_at", "-pk")  # a GROUP BY query does not use Meta.ordering
    )
    filterset_class = SpotCheckFilterSet
    columns = SPOTCHECK_COLUMNS
    template_name = "supervision/spotcheck_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sample_url"] = reverse("supervision:spotcheck_sample") if self.has_model_perm("add") else None
        return context


class SpotCheckDetailView(NoEditPagesMixin, ObjectDetailView):
    """The check, who was on the shift (with check-in times), the findings, and every
    finding that contradicts a check-in beside its evidence."""

    model = SpotCheck
    queryset = SpotCheck.objects.select_related("post__school", "station", "supervisor", "shift")
    template_name = "supervision/spotcheck_detail.html"
    fields = [
        Column("post", gettext_lazy("post"), value=lambda c: str(c.post)),
        Column("station.name", gettext_lazy("police station")),
        Column("shift", gettext_lazy("shift"), value=lambda c: (
            f"{c.shift.date:%Y-%m-%d} {c.shift.get_period_display()} {c.shift.window_display}" if c.shift else
            _("No shift of this post was running at the time."))),
        Column("checked_at", gettext_lazy("checked at")),
        Column("method", gettext_lazy("method")),
        Column("supervisor", gettext_lazy("supervisor"), value=supervisor_name),
        Column("note", gettext_lazy("note")),
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        check = self.object
        on_shift = []
        if check.shift_id:
            on_shift = list(
                Assignment.objects.filter(shift_id=check.shift_id).select_related("person", "check_in")
                .order_by("person__kind", "person__name")
            )
        found = contradictions(check)
        contradicted = {item["finding"].pk for item in found}
        findings = list(check.findings.select_related("person"))
        context.update(
            on_shift=on_shift,
            findings=[(f, f.pk in contradicted) for f in findings],
            contradictions=found,
            add_url=reverse("supervision:spotcheck_add") if self.has_model_perm("add") else None,
        )
        return context


def on_shift_people(user, post, at):
    """The shift a check of `post` at `at` is about, its assignments, and the people a
    finding may name: those on the shift; with no shift running, the station's people."""
    if post is None or at is None:
        return None, [], []
    shift = shift_running_at(post=post, at=at)
    if shift is None:
        people = Person.objects.visible_to(user).filter(unit_id=post.station_id, active=True)
        return None, [], list(people.order_by("kind", "name"))
    assignments = list(
        Assignment.objects.filter(shift=shift).select_related("person", "check_in")
        .order_by("person__kind", "person__name")
    )
    return shift, assignments, [a.person for a in assignments]


def _clean_or_none(field, value):
    try:
        return field.clean(value)
    except ValidationError:
        return None


class SpotCheckCreateView(ScopedViewMixin, TemplateView):
    """A supervisor records a check and its findings in one go (spot_check_create: all or
    nothing). The people offered in the findings are those on the post's shift at the time
    of the check; they follow the post and time through a small htmx request."""

    model = SpotCheck
    action = "add"
    template_name = "supervision/spotcheck_form.html"

    def initial(self) -> dict:
        initial = {"checked_at": now_to_the_minute(), "method": SpotCheckMethod.ONSITE}
        for key in ("post", "method", "checked_at"):
            if self.request.GET.get(key):
                initial[key] = self.request.GET[key]
        return initial

    def build(self, data=None, files=None):
        user = self.request.user
        form = SpotCheckForm(data, user=user, initial=None if data is not None else self.initial())
        source = form.data if form.is_bound else form.initial
        post = _clean_or_none(form.fields["post"], source.get("post"))
        at = _clean_or_none(form.fields["checked_at"], source.get("checked_at"))
        shift, assignments, people = on_shift_people(user, post, at)
        formset = FindingFormSet(data, files, prefix=FINDINGS_PREFIX,
                                 form_kwargs={"user": user, "people": people})
        return form, formset, {"post": post, "at": at, "shift": shift, "assignments": assignments}

    def get(self, request, *args, **kwargs):
        form, formset, chosen = self.build()
        return self.render_to_response(self.get_context_data(form=form, formset=formset, chosen=chosen))

    def post(self, request, *args, **kwargs):
        form, formset, chosen = self.build(request.POST, request.FILES)
        if "refresh" not in request.POST and form.is_valid() and formset.is_valid():
            data = form.cleaned_data
            try:
                check = spot_check_create(
                    post=data["post"], method=data["method"], checked_at=data["checked_at"],
                    supervisor=request.user, note=data["note"],
                    findings=[row.to_service() for row in formset.filled_forms()],
                )
            except ValidationError as exc:
                findings_errors = []
                # The check's own fields go to the form; the rest ("findings", or a finding's
                # field) above the findings, where the message names the row.
                add_validation_error(form, exc, fields=("post", "method", "checked_at"),
                                   fallback=findings_errors.extend)
                formset.service_errors = findings_errors
            else:
                messages.success(request, _("Recorded the spot check of %(post)s with %(n)d finding(s).") % {
                    "post": check.post, "n": check.findings.count()})
                return redirect(check.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=form, formset=formset, chosen=chosen))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        formset = context["formset"]
        service_errors = getattr(formset, "service_errors", [])
        refused = bool(context["form"].errors or formset.total_error_count() or service_errors)
        context.update(
            service_errors=service_errors,
            files_dropped=bool(self.request.FILES) and refused,
            on_shift_url=reverse("supervision:spotcheck_on_shift"),
        )
        return context


class SpotCheckOnShiftView(SpotCheckCreateView):
    """htmx: who is on the chosen post's shift at the chosen time (a panel), and every
    findings row's person choices re-rendered for them (out-of-band swaps)."""

    template_name = "supervision/spotcheck_on_shift.html"
    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        form, formset, chosen = self.build(request.GET)
        selects = [row["person"].as_widget(attrs={"hx-swap-oob": "true"}) for row in formset.forms]
        return self.render_to_response({"chosen": chosen, "selects": selects, "oob": True})


class SpotCheckSampleView(ScopedViewMixin, TemplateView):
    """An unannounced random sample of the posts on duty right now, spread over stations,
    each with a link that opens the check form for it."""

    model = SpotCheck
    action = "add"
    template_name = "supervision/spotcheck_sample.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            size = sample_size(int(self.request.GET["size"]))
        except (KeyError, ValueError):
            size = sample_size()
        now = now_to_the_minute()
        shifts = random_sample(user=self.request.user, size=size)
        add = reverse("supervision:spotcheck_add")

        def check_url(shift) -> str:
            return f"{add}?{urlencode({'post': shift.post_id, 'method': SpotCheckMethod.ONSITE})}"

        context.update(size=size, size_max=SAMPLE_SIZE_MAX, now=now,
                       rows=[{"shift": s, "check_url": check_url(s)} for s in shifts])
        return context


class FindingPhotoView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """A finding's photo, for signed-in users who may see the spot check (another station's:
    404). Photos are never under a public media URL."""

    permission_required = "supervision.view_finding"

    def get(self, request, pk):
        visible = Finding.objects.filter(spot_check__in=SpotCheck.objects.visible_to(request.user))
        return photo_response(get_object_or_404(visible.exclude(photo=""), pk=pk).photo)


# -- bulletins -----------------------------------------------------------------------------


BULLETIN_COLUMNS = [
    Column("number", gettext_lazy("number"), value=number_label),
    Column("title", gettext_lazy("title"), link=True),
    Column("unit.name", gettext_lazy("issuing unit")),
    Column("period_start", gettext_lazy("period from")),
    Column("period_end", gettext_lazy("period to")),
    Column("status", gettext_lazy("status")),
    Column("issued_at", gettext_lazy("issued at")),
]


class BulletinListView(ObjectListView):
    model = Bulletin
    queryset = Bulletin.objects.select_related("unit")
    filterset_class = BulletinFilterSet
    columns = BULLETIN_COLUMNS

    def has_model_perm(self, action: str) -> bool:
        return action != "delete" and super().has_model_perm(action)


class BulletinPageMixin:
    """The bulletin's document (live figures for a draft, frozen once issued)."""

    def document(self, bulletin: Bulletin) -> dict:
        return bulletin_document(bulletin, bulletin_content(bulletin=bulletin, user=self.request.user))


class BulletinDetailView(BulletinPageMixin, ObjectDetailView):
    model = Bulletin
    queryset = Bulletin.objects.select_related("unit", "created_by", "issued_by")
    template_name = "supervision/bulletin_detail.html"
    fields = [
        Column("number", gettext_lazy("number"), value=number_label),
        Column("status", gettext_lazy("status")),
        Column("unit.name", gettext_lazy("issuing unit")),
        Column("period_start", gettext_lazy("period from")),
        Column("period_end", gettext_lazy("period to")),
        Column("created_by", gettext_lazy("drafted by")),
        Column("issued_at", gettext_lazy("issued at")),
        Column("issued_by", gettext_lazy("issued by")),
    ]

    def has_model_perm(self, action: str) -> bool:
        if action == "delete" or (action == "change" and not self.object.is_editable):
            return False
        return super().has_model_perm(action)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        bulletin = self.object
        may_issue = bulletin.is_editable and self.has_model_perm("change")
        context.update(
            doc=self.document(bulletin),
            issue_url=reverse("supervision:bulletin_issue", args=[bulletin.pk]) if may_issue else None,
            print_url=reverse("supervision:bulletin_print", args=[bulletin.pk]),
            pdf_url=reverse("supervision:bulletin_pdf", args=[bulletin.pk]),
            docx_url=reverse("supervision:bulletin_docx", args=[bulletin.pk]),
        )
        return context


class BulletinEditView(ObjectEditView):
    """Draft a bulletin or edit a draft, through bulletin_create / bulletin_update. An issued
    bulletin is frozen: its edit page sends the user back with the reason."""

    model = Bulletin
    form_class = BulletinForm

    def refuse_if_issued(self):
        if self.object.pk and not self.object.is_editable:
            messages.error(self.request, _("%(bulletin)s is issued and can no longer be changed.") % {
                "bulletin": number_label(self.object)})
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

    def form_valid(self, form):
        data = form.cleaned_data
        fields = {name: data[name] for name in ("title", "period_start", "period_end", "text")}
        created = self.object.pk is None
        try:
            if created:
                self.object = bulletin_create(unit=data["unit"], user=self.request.user, **fields)
            else:
                self.object = bulletin_update(bulletin=self.object, user=self.request.user, **fields)
        except ValidationError as exc:
            add_validation_error(form, exc)
            return self.form_invalid(form)
        message = _("Drafted %(obj)s.") if created else _("Saved %(obj)s.")
        messages.success(self.request, message % {"obj": self.object})
        return redirect(self.object.get_absolute_url())


class BulletinIssueView(ScopedViewMixin, SingleObjectMixin, View):
    """POST: number the draft (第N期) and freeze it."""

    model = Bulletin
    action = "change"
    http_method_names = ["post"]

    def post(self, request, pk):
        bulletin = self.get_object()
        try:
            bulletin = bulletin_issue(bulletin=bulletin, user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Issued as %(number)s.") % {"number": number_label(bulletin)})
        return redirect(bulletin.get_absolute_url())


class BulletinPrintView(BulletinPageMixin, ScopedViewMixin, DetailView):
    """The bulletin as a clean A4 page; the PDF is this very page."""

    model = Bulletin
    queryset = Bulletin.objects.select_related("unit")
    template_name = "supervision/bulletin_print.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["doc"] = self.document(self.object)
        if not kwargs.get("for_pdf"):
            audit_record(action=AuditAction.PRINT, request=self.request, obj=self.object, detail={"format": "html"})
        return context


class BulletinPdfView(BulletinPrintView):
    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        context = self.get_context_data(object=self.object, for_pdf=True)
        html = render_to_string(self.template_name, context, request=request)
        try:
            pdf = render_pdf(html)
        except PdfUnavailable as exc:
            response = HttpResponse(
                render_to_string("supervision/bulletin_pdf_unavailable.html", {
                    "object": self.object, "reason": str(exc),
                    "docx_url": reverse("supervision:bulletin_docx", args=[self.object.pk]),
                    "print_url": reverse("supervision:bulletin_print", args=[self.object.pk]),
                }, request=request),
                status=503,
            )
            return response
        audit_record(action=AuditAction.EXPORT, request=request, obj=self.object, detail={"format": "pdf"})
        return attachment(pdf, "application/pdf", document_filename(context["doc"], "pdf"))


class BulletinDocxView(BulletinPrintView):
    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        doc = self.document(self.object)
        audit_record(action=AuditAction.EXPORT, request=request, obj=self.object, detail={"format": "docx"})
        return attachment(render_docx(doc), DOCX_CONTENT_TYPE, document_filename(doc, "docx"))
