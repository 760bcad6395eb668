"""Input of the incident pages: one form for the gate (a phone, prefilled from the shift the
officer stands) and the desk. It only parses; the rules of each kind and the roster are the
services' (incidents.services), whose errors come back onto the fields they name."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateTimeLocalInput
from core.photos import PHOTO_ACCEPT, validate_photo
from incidents.models import Incident, IncidentKind, StepKind, SuspiciousOutcome
from incidents.services import KIND_FIELDS, MAX_PHOTOS
from org.models import Person
from posts.models import Post, School


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Several photos in one input (Django's documented pattern), each held to the photo
    rules of core.photos."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultiplePhotoInput(attrs={"accept": PHOTO_ACCEPT, "capture": "environment"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        if len(files) > MAX_PHOTOS:
            raise forms.ValidationError(_("At most %(n)d photos per incident.") % {"n": MAX_PHOTOS})
        cleaned = [single(item, initial) for item in files]
        for item in cleaned:
            validate_photo(item)
        return cleaned


class IncidentForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=IncidentKind.choices, widget=forms.RadioSelect)
    occurred_at = forms.DateTimeField(label=_("occurred at"), widget=DateTimeLocalInput())
    school = forms.ModelChoiceField(label=_("school"), queryset=School.objects.none(), required=False)
    post = forms.ModelChoiceField(label=_("post"), queryset=Post.objects.none(), required=False)
    people_count = forms.IntegerField(label=_("people concerned"), min_value=1, max_value=10_000, initial=1)
    summary = forms.CharField(label=_("what happened"), max_length=500, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    action_taken = forms.CharField(label=_("what was done"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    resolved = forms.BooleanField(label=_("resolved"), required=False)
    id_checked = forms.BooleanField(label=_("ID checked"), required=False)
    items_checked = forms.CharField(label=_("items checked"), max_length=200, required=False)
    outcome = forms.ChoiceField(label=_("outcome"), required=False,
                                choices=[("", "---------"), *SuspiciousOutcome.choices])
    parties = forms.CharField(label=_("parties"), max_length=300, required=False)
    mediation = forms.CharField(label=_("mediation"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    publicity = forms.BooleanField(label=_("for publicity"), required=False)
    publicity_text = forms.CharField(label=_("write-up for publicity"), required=False,
                                     widget=forms.Textarea(attrs={"rows": 3}))
    photos = MultiplePhotoField(label=_("photos"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = School.objects.visible_to(user).order_by("name")
        self.fields["post"].queryset = Post.objects.visible_to(user).select_related("school").order_by(
            "school__name", "name")
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, forms.RadioSelect):
                continue
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select form-select-lg")
            else:
                widget.attrs.setdefault("class", "form-control form-control-lg")
            # Which kinds a field belongs to: static/js/incidents.js shows it for those only.
            kinds = [kind for kind, fields in KIND_FIELDS.items() if name in fields]
            if kinds:
                widget.attrs["data-kinds"] = " ".join(kinds)

    def clean(self):
        data = super().clean()
        if not data.get("school") and not data.get("post"):
            self.add_error("school", _("Choose the school."))
        return data

    def service_fields(self) -> dict:
        """What the services take: the fields of the incident, the photos apart."""
        data = dict(self.cleaned_data)
        data.pop("photos", None)
        if data.get("school") is None:
            data.pop("school", None)
        return data

    @staticmethod
    def initial_from(incident: Incident) -> dict:
        return {name: getattr(incident, name) for name in (
            "kind", "occurred_at", "school", "post", "people_count", "summary", "action_taken", "resolved",
            "id_checked", "items_checked", "outcome", "parties", "mediation", "publicity", "publicity_text")}


class StepForm(forms.Form):
    kind = forms.ChoiceField(choices=StepKind.choices)
    person = forms.ModelChoiceField(label=_("taken by"), queryset=Person.objects.none(), required=False)
    department = forms.CharField(label=_("department"), max_length=100, required=False)
    note = forms.CharField(label=_("note"), max_length=500, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.visible_to(user)
