"""The register's pages: the list (masked; Excel export), a person (masked) with his
follow-ups, co-managing parties, schools and disputes, the reveal (POST with a purpose: the
values in that answer only), the edit pages, archiving, a follow-up, confirming the suggested
schools, the access history (the auditor's and the keepers'), and the register's own
two-factor door for keepers whose role needs no code elsewhere.

Every page of the register: signed in, holding the permission (else 403), with a second
factor given this session (else the code page), in scope (else 404), answered with
`Cache-Control: no-store`, and each read recorded as one audit row (keypersons.services)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from audit.models import AuditAction
from core.excel import build_workbook, workbook_response
from core.signals import report_out_of_scope
from core.tables import Column
from core.views import ObjectListView, add_validation_error
from keypersons.access import AUDIT_PERMISSION, second_factor_passed
from keypersons.filters import KeyPersonFilterSet
from keypersons.forms import ArchiveForm, FollowUpForm, KeyPersonForm, PurposeForm, SchoolsForm
from keypersons.models import KeyPerson
from keypersons.selectors import (
    access_history,
    followup_list,
    keyperson_detail,
    keyperson_headline,
    keyperson_list,
    register_accesses,
    schools_nearby,
)
from keypersons.services import (
    audit_filters,
    followup_create,
    keyperson_archive,
    keyperson_create,
    keyperson_record_read,
    keyperson_reveal,
    keyperson_update,
)
from org.otp import has_app
from org.otp_views import EnrolView, VerifyView, next_url


class RegisterDoorMixin:
    """Signed in, then the permission (403), then the second factor (the register's code
    page), and `Cache-Control: no-store` on whatever is answered."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and self.has_permission():
            if not second_factor_passed(request):
                return redirect_to_login(request.get_full_path(), reverse("keypersons:verify"))
        response = super().dispatch(request, *args, **kwargs)
        add_never_cache_headers(response)
        return response


class RegisterPage(RegisterDoorMixin, LoginRequiredMixin, PermissionRequiredMixin):
    pass


def person_or_404(request, pk, queryset=None) -> KeyPerson:
    """A person in the user's scope, or 404 (recorded as a refusal when he exists elsewhere)."""
    queryset = queryset if queryset is not None else keyperson_detail(user=request.user)
    person = queryset.filter(pk=pk).first()
    if person is None:
        report_out_of_scope(request, KeyPerson, {"pk": pk})
        raise Http404
    return person


COLUMNS = [
    Column("name", gettext_lazy("name"), link=True),
    Column("id_number", gettext_lazy("ID number"), value=lambda p: p.masked_id_number),
    Column("sex", gettext_lazy("sex")),
    Column("birth_date", gettext_lazy("birth date")),
    Column("categories", gettext_lazy("categories"), value=lambda p: p.categories_display),
    Column("risk", gettext_lazy("risk level")),
    Column("status", gettext_lazy("status")),
    Column("phone", gettext_lazy("phone"), value=lambda p: p.masked_phone),
    Column("station.name", gettext_lazy("police station")),
    Column("officer.name", gettext_lazy("responsible officer")),
    Column("follow_up_due", gettext_lazy("next follow-up due")),
    Column("overdue", gettext_lazy("follow-up overdue"), value=lambda p: _("Overdue") if p.is_overdue() else ""),
]


class KeyPersonListView(RegisterDoorMixin, ObjectListView):
    model = KeyPerson
    filterset_class = KeyPersonFilterSet
    columns = COLUMNS
    template_name = "keypersons/keyperson_list.html"

    def get_queryset(self):
        self.queryset = keyperson_list(user=self.request.user)
        return super().get_queryset()

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if request.GET.get("export") != "xlsx" and response.status_code == 200:
            keyperson_record_read(request=request, persons=self.shown, action=AuditAction.LIST,
                                  detail={"filters": audit_filters(request.GET)})
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        self.shown = list(context["object_list"])
        context["figures"] = keyperson_headline(user=self.request.user)
        return context

    def export(self):
        """The filtered rows, masked, as Excel; one "export" audit row naming the rows it held
        and the purpose (?purpose=) when given, instead of the base's row, which names none."""
        people = list(self.get_queryset())
        title = str(self.model._meta.verbose_name_plural)
        content = build_workbook(title, [str(c.header) for c in self.columns],
                                 ([c.shown(p, self.request.user) for c in self.columns] for p in people))
        filters = audit_filters(self.request.GET)
        purpose = str(filters.pop("purpose", "")).strip()
        keyperson_record_read(request=self.request, persons=people, action=AuditAction.EXPORT, detail={
            "list": title, "filters": filters, "rows": len(people), "format": "xlsx",
            **({"purpose": purpose} if purpose else {})})
        return workbook_response(title, content)


class KeyPersonDetailView(RegisterPage, TemplateView):
    """A person, masked; the reveal answers this page again with the values filled in."""

    permission_required = "keypersons.view_keyperson"
    template_name = "keypersons/keyperson_detail.html"

    def get(self, request, pk):
        person = person_or_404(request, pk)
        keyperson_record_read(request=request, person=person)
        return self.render_to_response(self.page_context(person))

    def page_context(self, person: KeyPerson, **extra) -> dict:
        user = self.request.user
        may_change = user.has_perm("keypersons.change_keyperson") and not person.is_archived
        nearby = schools_nearby(user=user, location=person.secret("location")) if may_change else []
        confirmed = {school.pk for school in person.schools.all()}
        context = {
            "person": person,
            "object": person,
            "list_url": reverse("keypersons:keyperson_list"),
            "categories": person.categories_display,
            "follow_ups": followup_list(user=user, person=person),
            "co_managers": person.co_managers.all(),
            "schools": person.schools.all(),
            "disputes": person.disputes.all(),
            "overdue": person.is_overdue(),
            "today": timezone.localdate(),
            "may_reveal": user.has_perm("keypersons.reveal_keyperson"),
            "may_change": may_change,
            "may_add_follow_up": user.has_perm("keypersons.add_followup") and not person.is_archived,
            "may_see_access": user.has_perm("keypersons.reveal_keyperson") or user.has_perm(AUDIT_PERMISSION),
            "purpose_form": PurposeForm(),
            "archive_form": ArchiveForm(),
            "follow_up_form": FollowUpForm(user=user, initial={"date": timezone.localdate(),
                                                              "officer": person.officer_id}),
            "suggested": [near for near in nearby if near.school.pk not in confirmed],
        }
        context.update(extra)
        return context


class KeyPersonRevealView(KeyPersonDetailView):
    """POST a purpose: the page again, the secrets shown in this answer only, audited."""

    permission_required = "keypersons.reveal_keyperson"
    http_method_names = ["post"]

    def post(self, request, pk):
        person = person_or_404(request, pk)
        form = PurposeForm(request.POST)
        form.is_valid()
        try:
            revealed = keyperson_reveal(person=person, user=request.user, request=request,
                                        purpose=form.cleaned_data.get("purpose", ""))
        except ValidationError as exc:
            add_validation_error(form, exc)
            return self.render_to_response(self.page_context(person, purpose_form=form), status=400)
        return self.render_to_response(self.page_context(person, revealed=revealed))


class KeyPersonEditView(RegisterPage, FormView):
    """Register (no pk) or correct a person, through the services."""

    template_name = "keypersons/keyperson_form.html"
    form_class = KeyPersonForm

    def get_permission_required(self):
        return ["keypersons.change_keyperson" if "pk" in self.kwargs else "keypersons.add_keyperson"]

    def dispatch(self, request, *args, **kwargs):
        self.person = None
        if request.user.is_authenticated and "pk" in kwargs and self.has_permission() and second_factor_passed(request):
            self.person = person_or_404(request, kwargs["pk"])
            if self.person.is_archived:
                raise PermissionDenied(_("An archived person cannot be changed."))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        if self.person is not None:
            keyperson_record_read(request=request, person=self.person, detail={"page": "edit"})
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "instance": self.person}

    def get_initial(self):
        if self.person is not None:
            return KeyPersonForm.initial_from(self.person)
        initial = {"registered_on": timezone.localdate()}
        if self.request.user.unit_id:
            initial["station"] = self.request.user.unit_id
        return initial

    def form_valid(self, form):
        try:
            if self.person is None:
                person = keyperson_create(user=self.request.user, request=self.request, **form.service_fields())
                messages.success(self.request, _("Registered %(person)s.") % {"person": person})
            else:
                person = keyperson_update(person=self.person, user=self.request.user, request=self.request,
                                          **form.service_fields())
                messages.success(self.request, _("Saved %(person)s.") % {"person": person})
        except ValidationError as exc:
            add_validation_error(form, exc)
            return self.form_invalid(form)
        return redirect("keypersons:keyperson_detail", pk=person.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(person=self.person, creating=self.person is None, list_url=reverse("keypersons:keyperson_list"))
        return context


class PersonActionView(RegisterPage, View):
    """A POST on one person from his page, then back to it."""

    http_method_names = ["post"]

    def post(self, request, pk):
        person = person_or_404(request, pk, KeyPerson.objects.visible_to(request.user))
        try:
            text = self.act(person)
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))
        else:
            messages.success(request, text)
        return redirect("keypersons:keyperson_detail", pk=pk)


class KeyPersonArchiveView(PersonActionView):
    permission_required = "keypersons.change_keyperson"

    def act(self, person):
        form = ArchiveForm(self.request.POST)
        form.is_valid()
        keyperson_archive(person=person, user=self.request.user, request=self.request,
                          reason=form.cleaned_data.get("reason", ""))
        return _("Archived %(person)s.") % {"person": person}


class FollowUpAddView(PersonActionView):
    permission_required = "keypersons.add_followup"

    def act(self, person):
        form = FollowUpForm(self.request.POST, user=self.request.user)
        if not form.is_valid():
            raise ValidationError([str(m) for errors in form.errors.values() for m in errors])
        followup_create(person=person, user=self.request.user, request=self.request, **form.cleaned_data)
        return _("Follow-up recorded.")


class SchoolsConfirmView(PersonActionView):
    """The keeper confirms, by hand, which suggested schools are near the person."""

    permission_required = "keypersons.change_keyperson"

    def act(self, person):
        form = SchoolsForm(self.request.POST, user=self.request.user)
        if not form.is_valid():
            raise ValidationError([str(m) for errors in form.errors.values() for m in errors])
        schools = {*person.schools.all(), *form.cleaned_data["schools"]}
        keyperson_update(person=person, user=self.request.user, request=self.request, schools=list(schools))
        return _("Schools nearby confirmed.")


class AccessHistoryView(RegisterDoorMixin, LoginRequiredMixin, TemplateView):
    """Who looked at this person, when and why: for the audit administrator (any person: he
    reads the trail, not the register) and for the keepers (in their scope)."""

    template_name = "keypersons/access_history.html"

    def has_permission(self) -> bool:
        user = self.request.user
        return user.has_perm(AUDIT_PERMISSION) or user.has_perm("keypersons.reveal_keyperson")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not self.has_permission():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        pk = self.kwargs["pk"]
        if user.has_perm(AUDIT_PERMISSION):
            name = KeyPerson.objects.filter(pk=pk).values_list("name", flat=True).first()
            if name is None:
                raise Http404
        else:
            name = person_or_404(self.request, pk, KeyPerson.objects.visible_to(user)).name
        context.update(name=name, person_id=pk, events=access_history(person_id=pk),
                       is_auditor=user.has_perm(AUDIT_PERMISSION))
        return context


class AccessOverviewView(RegisterDoorMixin, LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    """For the audit administrator: every person of the register read or changed, with how
    often and when last; each opens his access history."""

    permission_required = AUDIT_PERMISSION
    template_name = "keypersons/access_overview.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "accesses": register_accesses()}


class RegisterVerifyView(VerifyView):
    """The register's code page: as org's, but asked of anyone entering the register without
    a verified session, whatever his role (org's page lets through the roles that need no
    code elsewhere)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            is_verified = getattr(request.user, "is_verified", None)
            if is_verified and is_verified():
                return redirect(next_url(request))
            if not has_app(request.user):
                return redirect(f"{reverse('keypersons:verify_enrol')}?{request.GET.urlencode()}")
        return super(VerifyView, self).dispatch(request, *args, **kwargs)


class RegisterEnrolView(EnrolView):
    """A keeper's first visit: enrol an authenticator app, as org's enrolment page does."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            is_verified = getattr(request.user, "is_verified", None)
            if is_verified and is_verified():
                return redirect(next_url(request))
            if has_app(request.user):
                return redirect(f"{reverse('keypersons:verify')}?{request.GET.urlencode()}")
        return super(EnrolView, self).dispatch(request, *args, **kwargs)

