"""Pages of the incident log: the list (flags emergencies not closed in time; Excel), an
incident with its people on duty, photos and handling timeline, the form (the officer's phone
at the gate, prefilled from the shift he stands; the desk), a handling step, a photo, and one
school's incidents with its counts by kind.

Views parse and render; every write is incidents.services', every count incidents.selectors'."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import BooleanField, Case, Q, Value, When
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from core.forms import now_to_the_minute
from core.photos import photo_response
from core.signals import report_out_of_scope
from core.tables import Column
from core.views import ObjectDetailView, ObjectListView, add_validation_error
from duty.models import Assignment
from incidents.filters import IncidentFilterSet
from incidents.forms import IncidentForm, StepForm
from incidents.models import Incident, IncidentKind, IncidentPhoto, IncidentStatus, StepKind
from incidents.selectors import incident_breakdown, incident_summary, on_duty_at
from incidents.services import TRANSITIONS, edit_refusal, incident_create, incident_step, incident_update
from posts.models import School


def with_overdue_flag(queryset):
    """Each row marked `is_overdue` by the one rule (IncidentQuerySet.overdue_emergencies)."""
    overdue = Incident.objects.overdue_emergencies(now=timezone.now()).values("pk")
    return queryset.annotate(is_overdue=Case(When(pk__in=overdue, then=Value(True)), default=Value(False),
                                             output_field=BooleanField()))


def overdue_text(incident) -> str:
    return _("Overdue") if getattr(incident, "is_overdue", False) else ""


INCIDENT_COLUMNS = [
    Column("occurred_at", gettext_lazy("occurred at"), link=True),
    Column("kind", gettext_lazy("kind")),
    Column("school.name", gettext_lazy("school")),
    Column("post.name", gettext_lazy("post")),
    Column("station.name", gettext_lazy("police station")),
    Column("people_count", gettext_lazy("people concerned")),
    Column("summary", gettext_lazy("what happened")),
    Column("status", gettext_lazy("status")),
    Column("resolved", gettext_lazy("resolved")),
    Column("is_overdue", gettext_lazy("emergency overdue"), value=overdue_text),
]


class IncidentListView(ObjectListView):
    model = Incident
    queryset = Incident.objects.select_related("school", "post", "station")
    filterset_class = IncidentFilterSet
    columns = INCIDENT_COLUMNS
    template_name = "incidents/incident_list.html"

    def get_queryset(self):
        return with_overdue_flag(super().get_queryset())


class IncidentDetailView(ObjectDetailView):
    model = Incident
    queryset = Incident.objects.select_related("school", "post", "station", "shift", "reported_by")
    template_name = "incidents/incident_detail.html"
    fields = [
        Column("kind", gettext_lazy("kind")),
        Column("occurred_at", gettext_lazy("occurred at")),
        Column("school.name", gettext_lazy("school")),
        Column("post.name", gettext_lazy("post")),
        Column("station.name", gettext_lazy("police station")),
        Column("shift", gettext_lazy("shift"), value=lambda i: (
            f"{i.shift.date:%Y-%m-%d} {i.shift.get_period_display()} {i.shift.window_display}" if i.shift_id else
            _("No shift of this post was running at the time."))),
        Column("people_count", gettext_lazy("people concerned")),
        Column("summary", gettext_lazy("what happened")),
        Column("action_taken", gettext_lazy("what was done")),
        Column("status", gettext_lazy("status")),
        Column("resolved", gettext_lazy("resolved")),
    ]
    kind_fields = {
        IncidentKind.SUSPICIOUS: [Column("id_checked", gettext_lazy("ID checked")),
                                  Column("items_checked", gettext_lazy("items checked")),
                                  Column("outcome", gettext_lazy("outcome"))],
        IncidentKind.DISPUTE: [Column("parties", gettext_lazy("parties")),
                               Column("mediation", gettext_lazy("mediation"))],
        IncidentKind.GOOD_DEED: [Column("publicity", gettext_lazy("for publicity")),
                                 Column("publicity_text", gettext_lazy("write-up for publicity"))],
    }

    def get_queryset(self):
        return with_overdue_flag(super().get_queryset())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        incident = self.object
        user = self.request.user
        context["field_rows"] += [(c.header, c.text_for(incident, user)) for c in self.kind_fields.get(incident.kind, [])]
        steps = []
        if user.has_perm("incidents.change_incident"):
            steps = [StepKind(kind) for kind in (StepKind.TAKEN, StepKind.ESCALATED, StepKind.REFERRED,
                                                 StepKind.CLOSED, StepKind.REOPENED)
                     if incident.status in TRANSITIONS[kind][0]]
        may_edit = edit_refusal(user, incident) is None and (
            user.has_perm("incidents.change_incident") or user.has_perm("incidents.add_incident"))
        context.update(
            timeline=incident.steps.select_related("by", "person"),
            on_duty=incident.on_duty.order_by("kind", "name"),
            photos=incident.photos.all(),
            steps=steps,
            step_form=StepForm(user=user),
            edit_url=reverse("incidents:incident_edit", args=[incident.pk]) if may_edit else None,
            delete_url=None,
        )
        return context


class IncidentFormView(LoginRequiredMixin, PermissionRequiredMixin, FormView):
    """One form for the gate and the desk. New: `?assignment=<id>` (the officer's shift
    page) fills in the post, the time and the people on duty. Editing: a reported incident
    by the desk; a draft also by its author, who may report it from here.

    A request sent by static/js/incidents.js (`Accept: application/json`) is answered in
    JSON: where to go, or the field errors; the page keeps what was typed on the phone when
    the network fails and sends it again when it is back."""

    template_name = "incidents/incident_form.html"
    form_class = IncidentForm

    def get_permission_required(self):
        return ["incidents.add_incident"] if "pk" not in self.kwargs else ["incidents.view_incident"]

    def dispatch(self, request, *args, **kwargs):
        self.incident = None
        self.assignment = None
        if request.user.is_authenticated and "pk" in kwargs:
            visible = Incident.objects.visible_to(request.user).select_related("school", "post")
            try:
                self.incident = visible.get(pk=kwargs["pk"])
            except Incident.DoesNotExist:
                report_out_of_scope(request, Incident, {"pk": kwargs["pk"]})
                raise Http404 from None
            refusal = edit_refusal(request.user, self.incident)
            if refusal:
                raise PermissionDenied(refusal)
        return super().dispatch(request, *args, **kwargs)

    def wants_json(self) -> bool:
        return "application/json" in self.request.headers.get("Accept", "")

    def the_assignment(self):
        """The shift the officer stands (?assignment=), if he may see it."""
        value = self.request.GET.get("assignment") or self.request.POST.get("assignment")
        if not value or not str(value).isdigit():
            return None
        return (Assignment.objects.visible_to(self.request.user).select_related("shift__post__school")
                .filter(pk=value).first())

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def get_initial(self):
        if self.incident is not None:
            return IncidentForm.initial_from(self.incident)
        initial = {"occurred_at": now_to_the_minute(), "people_count": 1}
        self.assignment = self.the_assignment()
        if self.assignment is not None:
            post = self.assignment.shift.post
            initial.update(post=post, school=post.school)
        for key in ("kind", "school", "post"):
            if self.request.GET.get(key):
                initial[key] = self.request.GET[key]
        return initial

    def form_valid(self, form):
        user = self.request.user
        report = "draft" not in self.request.POST
        try:
            if self.incident is None:
                incident = incident_create(user=user, report=report, photos=form.cleaned_data["photos"],
                                           **form.service_fields())
            else:
                incident = incident_update(incident=self.incident, user=user, photos=form.cleaned_data["photos"],
                                           report=report and self.incident.is_draft, **form.service_fields())
        except ValidationError as exc:
            add_validation_error(form, exc)
            return self.form_invalid(form)
        if incident.is_draft:
            text = _("Draft kept: finish and report it when you can.")
        elif self.incident is None:
            text = _("Reported: %(incident)s.") % {"incident": incident}
        else:
            text = _("Saved %(incident)s.") % {"incident": incident}
        messages.success(self.request, text)
        url = reverse("incidents:incident_detail", args=[incident.pk])
        if self.wants_json():
            return JsonResponse({"id": incident.pk, "url": url, "status": incident.status})
        return redirect(url)

    def form_invalid(self, form):
        if self.wants_json():
            return JsonResponse({"errors": {name: [str(m) for m in errors] for name, errors in form.errors.items()}},
                                status=400)
        return super().form_invalid(form)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        on_duty = None
        if self.incident is not None:
            on_duty = list(self.incident.on_duty.all())
        elif self.assignment is not None:
            on_duty = on_duty_at(post=self.assignment.shift.post, at=timezone.now()).people
        context.update(
            incident=self.incident,
            assignment=self.assignment,
            on_duty=on_duty,
            may_draft=self.incident is None or self.incident.is_draft,
            kinds=[{"value": k.value, "label": k.label} for k in IncidentKind],
        )
        return context


class IncidentStepView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """One handling step, from the incident's page (POST)."""

    permission_required = "incidents.change_incident"

    def post(self, request, pk):
        incident = Incident.objects.visible_to(request.user).filter(pk=pk).first()
        if incident is None:
            report_out_of_scope(request, Incident, {"pk": pk})
            raise Http404
        form = StepForm(request.POST, user=request.user)
        if not form.is_valid():
            messages.error(request, "; ".join(str(m) for errors in form.errors.values() for m in errors))
            return redirect("incidents:incident_detail", pk=pk)
        try:
            step = incident_step(incident=incident, user=request.user, kind=form.cleaned_data["kind"],
                                 person=form.cleaned_data["person"], department=form.cleaned_data["department"],
                                 note=form.cleaned_data["note"])
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))
        else:
            messages.success(request, _("Recorded: %(step)s.") % {"step": step.get_kind_display()})
        return redirect("incidents:incident_detail", pk=pk)


class IncidentPhotoView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = "incidents.view_incident"

    def get(self, request, pk):
        visible = IncidentPhoto.objects.filter(incident__in=Incident.objects.visible_to(request.user))
        return photo_response(get_object_or_404(visible, pk=pk).photo)


class SchoolIncidentsView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    """One school's incident log: the counts by kind (the work report's figures for it) and
    its latest incidents."""

    permission_required = "incidents.view_incident"
    template_name = "incidents/school_incidents.html"
    latest = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        school = School.objects.visible_to(user).filter(pk=self.kwargs["pk"]).select_related("station").first()
        if school is None:
            report_out_of_scope(self.request, School, {"pk": self.kwargs["pk"]})
            raise Http404
        rows = with_overdue_flag(
            Incident.objects.visible_to(user).filter(school=school).select_related("post", "school", "station")
        )
        context.update(
            school=school,
            summary=incident_summary(user=user, school=school),
            breakdown=incident_breakdown(user=user, school=school)["by_kind"],
            incidents=rows[: self.latest],
            list_url=f"{reverse('incidents:incident_list')}?school={school.pk}",
            drafts=rows.filter(status=IncidentStatus.DRAFT).count(),
            open_count=rows.filter(~Q(status__in=[IncidentStatus.DRAFT, IncidentStatus.CLOSED])).count(),
        )
        return context
