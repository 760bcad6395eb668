from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView, View

from audit.models import AuditAction
from audit.services import audit_record
from core.tables import Column
from core.views import ObjectDeleteView, ObjectDetailView, ObjectEditView, ObjectImportView, ObjectListView
from org.filters import PersonFilterSet, UnitFilterSet
from org.forms import PersonForm, PersonImport, UnitForm
from org.lockout import IP_ADDRESS, USERNAME, failure_limit, lockout_list, lockout_unlock, recent_failures
from org.models import Person, Unit

UNIT_COLUMNS = [
    Column("name", _("name"), link=True),
    Column("kind", _("kind")),
    Column("parent.name", _("parent unit")),
    Column("code", _("code")),
    Column("phone", _("phone")),
]

PERSON_COLUMNS = [
    Column("name", _("name"), link=True),
    Column("kind", _("kind")),
    Column("unit.name", _("unit")),
    Column("school.name", _("school")),
    Column("phone", _("phone"), sensitive=True),
    Column("badge_no", _("badge number"), sensitive=True),
    Column("certificate_no", _("certificate number"), sensitive=True),
    Column("hire_date", _("hire date")),
    Column("active", _("active")),
]


class UnitListView(ObjectListView):
    model = Unit
    queryset = Unit.objects.select_related("parent")
    filterset_class = UnitFilterSet
    columns = UNIT_COLUMNS


class UnitDetailView(ObjectDetailView):
    model = Unit
    queryset = Unit.objects.select_related("parent")
    fields = UNIT_COLUMNS

    def get_related_tables(self):
        return [
            {
                "title": _("Units below"),
                "columns": UNIT_COLUMNS[:2],
                "rows": self.object.children.all(),
            }
        ]


class UnitEditView(ObjectEditView):
    model = Unit
    form_class = UnitForm


class UnitDeleteView(ObjectDeleteView):
    model = Unit


class PersonListView(ObjectListView):
    model = Person
    queryset = Person.objects.select_related("unit", "school")
    filterset_class = PersonFilterSet
    columns = PERSON_COLUMNS
    importable = True


class PersonDetailView(ObjectDetailView):
    model = Person
    queryset = Person.objects.select_related("unit", "school", "user")
    fields = [
        *PERSON_COLUMNS,
        Column("dismissed_reason", _("dismissal reason")),
        Column("dismissed_on", _("dismissed on")),
        Column("user.username", _("login account")),
    ]

    def get_object(self, queryset=None):
        person = super().get_object(queryset)
        audit_record(action=AuditAction.READ_PERSONAL, request=self.request, obj=person, detail={"via": "page"})
        return person


class PersonEditView(ObjectEditView):
    model = Person
    form_class = PersonForm


class PersonDeleteView(ObjectDeleteView):
    model = Person


class PersonImportView(ObjectImportView):
    model = Person
    spec = PersonImport()


class LockoutListView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    """The security administrator's page: the accounts and addresses locked out now, each with
    an unlock button, and the latest failed logins (kept whatever a later success resets)."""

    permission_required = "axes.view_accessattempt"
    template_name = "org/lockouts.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **kwargs, lockouts=lockout_list(), failures=recent_failures(),
            may_unlock=self.request.user.has_perm("axes.delete_accessattempt"),
            limits={USERNAME: failure_limit(USERNAME), IP_ADDRESS: failure_limit(IP_ADDRESS)},
        )


class LockoutUnlockView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """POST `parameter` (username or ip_address) and `value`: that account or address may log
    in again at once."""

    permission_required = "axes.delete_accessattempt"
    http_method_names = ["post"]

    def post(self, request):
        parameter, value = request.POST.get("parameter", ""), request.POST.get("value", "").strip()
        if parameter not in (USERNAME, IP_ADDRESS) or not value:
            return HttpResponseBadRequest(_("Say which account or address to unlock."))
        lockout_unlock(parameter=parameter, value=value, request=request)
        messages.success(request, _("Unlocked: %(value)s.") % {"value": value})
        return redirect("org:lockout_list")
