"""The register's forms. Plain forms, not model forms: the secrets are typed in plain text and
handed to the services, which encrypt them. On the edit page the secret fields start empty
("leave empty to keep"): the edit page shows no secret, so opening it is not a reveal."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput
from keypersons.models import Category, CoManagerKind, FollowUpMethod, KeyPerson, Risk, Status
from keypersons.selectors import disputes_in_scope, schools_in_scope
from org.models import Person, Unit, UnitKind

KEEP = _("Leave empty to keep what is recorded.")
SECRET_INPUTS = ("id_number", "phone", "address", "basis", "notes")


def _style(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, (forms.CheckboxSelectMultiple, forms.RadioSelect)):
            continue
        if isinstance(widget, (forms.Select, forms.SelectMultiple)):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")


class KeyPersonForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=50)
    id_number = forms.CharField(label=_("ID number"), max_length=20, required=False,
                                widget=forms.TextInput(attrs={"autocomplete": "off"}))
    phone = forms.CharField(label=_("phone"), max_length=30, required=False,
                            widget=forms.TextInput(attrs={"autocomplete": "off"}))
    address = forms.CharField(label=_("address"), max_length=300, required=False)
    lat = forms.FloatField(label=_("latitude"), required=False, min_value=-90, max_value=90)
    lng = forms.FloatField(label=_("longitude"), required=False, min_value=-180, max_value=180)
    categories = forms.MultipleChoiceField(label=_("categories"), choices=Category.choices,
                                           widget=forms.CheckboxSelectMultiple)
    risk = forms.ChoiceField(label=_("risk level"), choices=Risk.choices, initial=Risk.MEDIUM)
    station = forms.ModelChoiceField(label=_("police station"), queryset=Unit.objects.none())
    officer = forms.ModelChoiceField(label=_("responsible officer"), queryset=Person.objects.none())
    schools = forms.ModelMultipleChoiceField(label=_("schools nearby"), queryset=Person.objects.none(), required=False)
    disputes = forms.ModelMultipleChoiceField(label=_("disputes involved in"), queryset=Person.objects.none(),
                                              required=False)
    status = forms.ChoiceField(label=_("status"), choices=Status.choices, initial=Status.STABLE)
    away_place = forms.CharField(label=_("away to"), max_length=100, required=False)
    away_until = forms.DateField(label=_("away until"), required=False, widget=DateInput())
    registered_on = forms.DateField(label=_("registered on"), required=False, widget=DateInput())
    basis = forms.CharField(label=_("basis of registration"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    notes = forms.CharField(label=_("notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, instance: KeyPerson | None = None, **kwargs):
        self.user = user
        self.instance = instance
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = Unit.objects.visible_to(user).filter(kind=UnitKind.STATION)
        self.fields["officer"].queryset = Person.objects.visible_to(user).filter(active=True).order_by("name")
        self.fields["schools"].queryset = schools_in_scope(user).order_by("name")
        self.fields["disputes"].queryset = disputes_in_scope(user).select_related("school")
        for kind in CoManagerKind:
            self.fields[f"co_{kind.value}_name"] = forms.CharField(
                label=_("%(party)s: who") % {"party": kind.label}, max_length=100, required=False)
            self.fields[f"co_{kind.value}_contact"] = forms.CharField(
                label=_("%(party)s: how to reach them") % {"party": kind.label}, max_length=100, required=False,
                widget=forms.TextInput(attrs={"autocomplete": "off"}))
        if instance is not None:
            for name in (*SECRET_INPUTS, "lat", "lng"):
                self.fields[name].help_text = KEEP
                self.fields[name].widget.attrs["placeholder"] = str(KEEP)
        else:
            for name in ("id_number", "address", "basis"):
                self.fields[name].required = True
        _style(self)

    @classmethod
    def initial_from(cls, person: KeyPerson) -> dict:
        """What the edit page starts with: everything but the secrets."""
        initial = {name: getattr(person, name) for name in ("name", "risk", "status", "away_place", "away_until",
                                                            "registered_on")}
        initial.update(station=person.station_id, officer=person.officer_id, categories=person.category_values,
                       schools=list(person.schools.values_list("pk", flat=True)),
                       disputes=list(person.disputes.values_list("pk", flat=True)))
        for manager in person.co_managers.order_by("pk"):
            initial.setdefault(f"co_{manager.kind}_name", manager.name)
        return initial

    def clean(self):
        data = super().clean()
        if (data.get("lat") is None) != (data.get("lng") is None):
            self.add_error("lng", _("Give both the latitude and the longitude, or neither."))
        return data

    def service_fields(self) -> dict:
        """What the services take: on the edit page, an empty secret is left out (kept)."""
        data = self.cleaned_data
        fields = {name: data[name] for name in ("name", "categories", "risk", "station", "officer", "schools",
                                                "disputes", "status", "away_place", "away_until")}
        if data.get("registered_on"):
            fields["registered_on"] = data["registered_on"]
        for name in SECRET_INPUTS:
            if data.get(name) or self.instance is None:
                fields[name] = data.get(name) or ""
        if data.get("lat") is not None:
            fields["location"] = (data["lat"], data["lng"])
        fields["co_managers"] = self._co_managers()
        return fields

    def _co_managers(self) -> list[dict]:
        kept = {}
        if self.instance is not None:
            for manager in self.instance.co_managers.order_by("pk"):
                kept.setdefault(manager.kind, manager)
        rows = []
        for kind in CoManagerKind.values:
            name = self.cleaned_data.get(f"co_{kind}_name", "").strip()
            contact = self.cleaned_data.get(f"co_{kind}_contact", "").strip()
            if not name:
                continue
            if not contact and kind in kept:
                contact = kept[kind].secret("contact")
            rows.append({"kind": kind, "name": name, "contact": contact})
        return rows


class PurposeForm(forms.Form):
    purpose = forms.CharField(label=_("purpose"), max_length=500, required=False,
                              widget=forms.TextInput(attrs={"class": "form-control",
                                                            "placeholder": _("Why you need it now")}))


class ArchiveForm(forms.Form):
    reason = forms.CharField(label=_("reason for archiving"), max_length=200, required=False,
                             widget=forms.TextInput(attrs={"class": "form-control"}))


class FollowUpForm(forms.Form):
    date = forms.DateField(label=_("date"), widget=DateInput())
    officer = forms.ModelChoiceField(label=_("officer"), queryset=Person.objects.none())
    method = forms.ChoiceField(label=_("method"), choices=FollowUpMethod.choices)
    observed = forms.CharField(label=_("what was seen"), widget=forms.Textarea(attrs={"rows": 2}))
    status_after = forms.ChoiceField(label=_("status after"), choices=Status.choices, initial=Status.STABLE)
    away_place = forms.CharField(label=_("away to"), max_length=100, required=False)
    away_until = forms.DateField(label=_("away until"), required=False, widget=DateInput())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = Person.objects.visible_to(user).filter(active=True).order_by("name")
        _style(self)


class SchoolsForm(forms.Form):
    schools = forms.ModelMultipleChoiceField(label=_("schools nearby"), queryset=Person.objects.none(),
                                             required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["schools"].queryset = schools_in_scope(user)
