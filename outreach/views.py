"""Pages for outreach: activities (with photos), trainings, drills and drill plans (lists with
Excel export, details, edit pages), the plan against what was done, each station's "135"
record by month, and the pull: started from the desk, its phone page where each arrival is
tapped, and the stage panel the page refreshes.

Views parse input and render; every write is a service of outreach.services, every figure a
selector of outreach.selectors; each stage's verdict is outreach.models.StageResult's."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, FormView, TemplateView
from django.views.generic.detail import SingleObjectMixin

from core.photos import photo_response
from core.tables import Column
from core.views import ObjectDeleteView, ObjectDetailView, ObjectEditView, ObjectListView, ScopedViewMixin
from org.models import Unit
from outreach.filters import ActivityFilterSet, DrillFilterSet, DrillPlanFilterSet, TrainingFilterSet
from outreach.forms import ActivityForm, DrillForm, DrillPlanForm, PulledDrillForm, PullStartForm, TrainingForm
from outreach.models import Activity, ActivityPhoto, Drill, DrillPlan, DrillSource, Stage, Training, stage_target
from outreach.selectors import drill_plan_progress, rapid_response_record, running_pulls
from outreach.services import (
    activity_create,
    activity_update,
    drill_create,
    drill_plan_save,
    drill_update,
    rapid_response_close,
    rapid_response_pull_start,
    training_create,
    training_update,
)
from posts.models import Term

# -- activities ----------------------------------------------------------------------------------

ACTIVITY_COLUMNS = [
    Column("date", gettext_lazy("date"), link=True),
    Column("kind", gettext_lazy("kind")),
    Column("topic", gettext_lazy("topic")),
    Column("school.name", gettext_lazy("school")),
    Column("station.name", gettext_lazy("police station")),
    Column("audience", gettext_lazy("people reached")),
    Column("materials", gettext_lazy("materials handed out")),
    Column("photo_count", gettext_lazy("photos")),
]


class ActivityListView(ObjectListView):
    model = Activity
    queryset = (Activity.objects.select_related("school", "station").annotate(photo_count=Count("photos"))
                .order_by("-date", "-pk"))
    filterset_class = ActivityFilterSet
    columns = ACTIVITY_COLUMNS


class ActivityDetailView(ObjectDetailView):
    model = Activity
    queryset = Activity.objects.select_related("school", "station", "created_by")
    template_name = "outreach/activity_detail.html"
    fields = [*ACTIVITY_COLUMNS[:7], Column("place", gettext_lazy("place")), Column("note", gettext_lazy("note")),
              Column("created_by", gettext_lazy("recorded by"))]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["photos"] = [
            {"url": reverse("outreach:activity_photo", args=[photo.pk]), "uploaded_at": photo.uploaded_at}
            for photo in self.object.photos.all()
        ]
        return context


class ActivityEditView(ObjectEditView):
    model = Activity
    form_class = ActivityForm
    template_name = "outreach/activity_form.html"

    def save_form(self, form):
        data = {name: form.cleaned_data[name] for name in ActivityForm.Meta.fields}
        photos = form.cleaned_data.get("photos") or []
        if self.object.pk is None:
            return activity_create(user=self.request.user, photos=photos, **data)
        return activity_update(activity=self.object, user=self.request.user, photos=photos, **data)


class ActivityDeleteView(ObjectDeleteView):
    model = Activity


class ActivityPhotoView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """An activity's photo, for users who may see the activity (another station's: 404)."""

    permission_required = "outreach.view_activity"

    def get(self, request, pk):
        visible = ActivityPhoto.objects.filter(activity__in=Activity.objects.visible_to(request.user))
        return photo_response(get_object_or_404(visible, pk=pk).photo)


# -- trainings --------------------------------------------------------------------------------------

TRAINING_COLUMNS = [
    Column("date", gettext_lazy("date"), link=True),
    Column("kind", gettext_lazy("kind")),
    Column("batch", gettext_lazy("batch")),
    Column("unit.name", gettext_lazy("organising unit")),
    Column("school.name", gettext_lazy("school")),
    Column("place", gettext_lazy("place")),
    Column("trainees", gettext_lazy("trainees")),
]


class TrainingListView(ObjectListView):
    model = Training
    queryset = Training.objects.select_related("unit", "school")
    filterset_class = TrainingFilterSet
    columns = TRAINING_COLUMNS


class TrainingDetailView(ObjectDetailView):
    model = Training
    queryset = Training.objects.select_related("unit", "school", "created_by")
    fields = [*TRAINING_COLUMNS, Column("subjects", gettext_lazy("subjects")),
              Column("created_by", gettext_lazy("recorded by"))]

    def get_related_tables(self):
        return [{
            "title": _("People trained"),
            "columns": [Column("name", gettext_lazy("name")), Column("kind", gettext_lazy("kind")),
                        Column("unit.name", gettext_lazy("unit"))],
            "rows": self.object.people.select_related("unit"),
        }]


class TrainingEditView(ObjectEditView):
    model = Training
    form_class = TrainingForm

    def save_form(self, form):
        data = {name: form.cleaned_data[name] for name in TrainingForm.Meta.fields if name != "people"}
        people = list(form.cleaned_data.get("people") or [])
        if self.object.pk is None:
            return training_create(user=self.request.user, people=people, **data)
        return training_update(training=self.object, user=self.request.user, people=people, **data)


class TrainingDeleteView(ObjectDeleteView):
    model = Training


# -- drills ---------------------------------------------------------------------------------------


def stages_text(drill: Drill) -> str:
    """A drill's stages for a list cell and the export: "√ 45s · × 200s · …"."""
    parts = []
    for result in drill.stage_results():
        mark = {"met": "√", "missed": "×", "pending": "…"}[result.result]
        parts.append(f"{mark} {result.seconds}s" if result.seconds is not None else mark)
    return " · ".join(parts)


DRILL_COLUMNS = [
    Column("date", gettext_lazy("date"), link=True),
    Column("kind", gettext_lazy("kind")),
    Column("school.name", gettext_lazy("school")),
    Column("station.name", gettext_lazy("police station")),
    Column("participants", gettext_lazy("participants")),
    Column("source", gettext_lazy("source")),
    Column("alarm_at", gettext_lazy("alarm at")),
    Column("stages", gettext_lazy('"135" stages (school · police · reinforcements)'), value=stages_text),
]


class DrillListView(ObjectListView):
    model = Drill
    queryset = Drill.objects.select_related("school", "station")
    filterset_class = DrillFilterSet
    columns = DRILL_COLUMNS
    template_name = "outreach/drill_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["pull_url"] = reverse("outreach:pull_start") if user.has_perm("outreach.start_pull") else None
        context["record_url"] = reverse("outreach:rapid_response_record")
        context["running"] = list(running_pulls(user)[:10])
        return context


class DrillDetailView(ObjectDetailView):
    model = Drill
    queryset = Drill.objects.select_related("school", "station", "started_by")
    template_name = "outreach/drill_detail.html"
    fields = [*DRILL_COLUMNS[:7], Column("closed_at", gettext_lazy("closed at")),
              Column("started_by", gettext_lazy("recorded by")), Column("note", gettext_lazy("note"))]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        drill = self.object
        context.update(
            stages=drill.stage_results(),
            arrivals=list(drill.arrivals.select_related("person", "user")),
            notified=list(drill.notified.select_related("unit").order_by("name")),
            pull_url=reverse("outreach:pull", args=[drill.pk]) if drill.source == DrillSource.PULL else None,
        )
        return context


class DrillEditView(ObjectEditView):
    model = Drill
    form_class = DrillForm

    def get_form_class(self):
        if self.object.pk and self.object.source == DrillSource.PULL:
            return PulledDrillForm
        return DrillForm

    def save_form(self, form):
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        if self.object.pk is None:
            return drill_create(user=self.request.user, **data)
        return drill_update(drill=self.object, user=self.request.user, **data)


class DrillDeleteView(ObjectDeleteView):
    model = Drill


# -- drill plans ----------------------------------------------------------------------------------

PLAN_COLUMNS = [
    Column("school.name", gettext_lazy("school"), link=True),
    Column("station.name", gettext_lazy("police station")),
    Column("term.name", gettext_lazy("term")),
    Column("kind", gettext_lazy("kind")),
    Column("planned", gettext_lazy("planned")),
]


class DrillPlanListView(ObjectListView):
    model = DrillPlan
    queryset = DrillPlan.objects.select_related("school", "station", "term")
    filterset_class = DrillPlanFilterSet
    columns = PLAN_COLUMNS


class DrillPlanDetailView(ObjectDetailView):
    model = DrillPlan
    queryset = DrillPlan.objects.select_related("school", "station", "term")
    fields = PLAN_COLUMNS

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        (row,) = [r for r in drill_plan_progress(self.request.user, term=self.object.term, school=self.object.school)
                  if r["plan"].pk == self.object.pk]
        context["field_rows"] += [(_("done"), row["done"]), (_("left"), row["left"])]
        return context


class DrillPlanEditView(ObjectEditView):
    model = DrillPlan
    form_class = DrillPlanForm

    def save_form(self, form):
        data = {name: form.cleaned_data[name] for name in DrillPlanForm.Meta.fields}
        return drill_plan_save(user=self.request.user, plan=self.object if self.object.pk else None, **data)


class DrillPlanDeleteView(ObjectDeleteView):
    model = DrillPlan


class DrillPlanProgressView(ScopedViewMixin, TemplateView):
    """Per school and term: the drills planned of each kind against those done."""

    model = DrillPlan
    template_name = "outreach/drill_plan_progress.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        terms = Term.objects.visible_to(user).order_by("-start")
        term = None
        if self.request.GET.get("term", "").isdigit():
            term = terms.filter(pk=self.request.GET["term"]).first()
        if term is None:
            today = timezone.localdate()
            term = terms.filter(start__lte=today, end__gte=today).first() or terms.first()
        rows = drill_plan_progress(user, term=term) if term is not None else []
        context.update(
            terms=terms, term=term, rows=rows,
            planned=sum(r["planned"] for r in rows), done=sum(min(r["done"], r["planned"]) for r in rows),
            plans_url=reverse("outreach:drillplan_list"),
            add_url=reverse("outreach:drillplan_add") if user.has_perm("outreach.add_drillplan") else None,
        )
        return context


# -- the "135" record -------------------------------------------------------------------------------


def _month_start(day: datetime.date, months_back: int) -> datetime.date:
    year, month = day.year, day.month - months_back
    while month < 1:
        month += 12
        year -= 1
    return datetime.date(year, month, 1)


class RapidResponseRecordView(ScopedViewMixin, TemplateView):
    """Each station's "135" pulls by month: each stage's share met and median seconds."""

    model = Drill
    template_name = "outreach/rapid_response_record.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        start, end = _month_start(today, 11), today
        try:
            if self.request.GET.get("start"):
                start = datetime.date.fromisoformat(self.request.GET["start"])
            if self.request.GET.get("end"):
                end = datetime.date.fromisoformat(self.request.GET["end"])
        except ValueError:
            messages.error(self.request, _("Give dates as YYYY-MM-DD."))
        unit = None
        if self.request.GET.get("unit", "").isdigit():
            unit = Unit.objects.visible_to(self.request.user).filter(pk=self.request.GET["unit"]).first()
        context.update(
            start=start, end=end, unit=unit, units=Unit.objects.visible_to(self.request.user).order_by("name"),
            rows=rapid_response_record(self.request.user, start, end, unit),
            stages=[(stage, label) for stage, label in Stage.choices],
            targets={stage: stage_target(stage) for stage in Stage.values},
        )
        return context


# -- the pull ---------------------------------------------------------------------------------------


class PullStartView(LoginRequiredMixin, PermissionRequiredMixin, FormView):
    """Start a "135" pull at a school: the alarm is stamped now and the people on duty nearby
    are called; then the pull's page."""

    permission_required = "outreach.start_pull"
    form_class = PullStartForm
    template_name = "outreach/pull_start.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        if self.request.GET.get("school"):
            kwargs["initial"] = {"school": self.request.GET["school"]}
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["radius"] = settings.RAPID_RESPONSE_NOTIFY_RADIUS_M
        return context

    def form_valid(self, form):
        try:
            drill = rapid_response_pull_start(school=form.cleaned_data["school"], user=self.request.user)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
            return self.form_invalid(form)
        messages.success(self.request, _("Pull started at %(school)s: %(n)d people on duty nearby were called.") % {
            "school": drill.school.name, "n": drill.notified.count()})
        return redirect("outreach:pull", pk=drill.pk)


class PullPageMixin(ScopedViewMixin, SingleObjectMixin):
    model = Drill
    queryset = Drill.objects.filter(source=DrillSource.PULL).select_related("school", "station")

    def pull_context(self, drill: Drill) -> dict:
        user = self.request.user
        tappable = drill.is_running_pull and user.has_perm("outreach.add_drillarrival")
        return {
            "drill": drill,
            "stages": drill.stage_results(),
            "tappable": tappable,
            "may_close": drill.is_running_pull and user.has_perm("outreach.start_pull"),
            "stages_url": reverse("outreach:pull_stages", args=[drill.pk]),
        }


class PullView(PullPageMixin, DetailView):
    """The pull on a phone: the running clock from the alarm, and each stage with its target,
    its verdict (the server's) and a big button to tap one's arrival."""

    template_name = "outreach/pull.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        drill = self.object
        context.update(self.pull_context(drill))
        context["pull_config"] = {
            "arrivals_url": f"/api/v1/drills/{drill.pk}/arrivals/",
            "alarm_at": drill.alarm_at.isoformat(),
            "closed_at": drill.closed_at.isoformat() if drill.closed_at else None,
            # The clock counts on the server's time: the phone's may be off.
            "server_now": timezone.now().isoformat(),
        }
        context["close_url"] = reverse("outreach:pull_close", args=[drill.pk])
        return context


class PullStagesView(PullPageMixin, DetailView):
    """htmx: the stage panel alone, which the pull page refreshes while the pull runs."""

    template_name = "outreach/_pull_stages.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.pull_context(self.object))
        return context


class PullCloseView(PullPageMixin, View):
    """POST: end the pull; a stage not arrived by now is missed."""

    action = "view"
    http_method_names = ["post"]

    def post(self, request, pk):
        drill = self.get_object()
        if not request.user.has_perm("outreach.start_pull"):
            raise PermissionDenied
        try:
            rapid_response_close(drill=drill, user=request.user)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("The pull is closed."))
        return redirect("outreach:pull", pk=drill.pk)
