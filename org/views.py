from django.utils.translation import gettext_lazy as _

from audit.models import AuditAction
from audit.services import audit_record
from core.tables import Column
from core.views import ObjectDeleteView, ObjectDetailView, ObjectEditView, ObjectImportView, ObjectListView
from org.filters import PersonFilterSet, UnitFilterSet
from org.forms import PersonForm, PersonImport, UnitForm
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
    Column("phone", _("phone")),
    Column("badge_no", _("badge number")),
    Column("certificate_no", _("certificate number")),
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
