"""Input of the inspection pages. The forms only parse: every rule is inspections.services',
whose errors come back onto the fields they name."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, ScopedModelForm
from core.photos import PHOTO_ACCEPT, validate_photo
from inspections.models import (
    AnswerResult,
    ChecklistTemplate,
    Hazard,
    HazardCategory,
    HazardStatus,
    Improvement,
    Inspection,
    JointOperation,
    Notice,
    Severity,
    VenueType,
)
from org.models import Person, PersonKind


def photo_input():
    return forms.ClearableFileInput(attrs={"accept": PHOTO_ACCEPT, "capture": "environment",
                                           "class": "form-control"})


class InspectionForm(ScopedModelForm):
    """The inspection's own fields: the school, the day, who inspects."""

    class Meta:
        model = Inspection
        fields = ["school", "date", "inspectors", "note"]
        widgets = {"date": DateInput(), "inspectors": forms.CheckboxSelectMultiple,
                   "note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["inspectors"].queryset = (
            Person.objects.visible_to(user).filter(active=True, kind__in=[PersonKind.POLICE, PersonKind.AUXILIARY])
            .order_by("unit_id", "name")
        )
        self.fields["inspectors"].help_text = _("You are an inspector yourself; tick the others who came.")

    def _post_clean(self):
        # The services validate the inspection as a whole (its checklist is chosen there).
        pass


class ChecklistForm(forms.Form):
    """The checklist at the school: for each item, pass / fail / not applicable, a note, the
    severity when it failed, and a photo. Fields are named by the item's id."""

    def __init__(self, *args, answers, comments=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.answers = list(answers)
        self.comments = comments or {}
        severities = [("", _("usual")), *Severity.choices]
        for answer in self.answers:
            key = answer.item_id
            self.fields[f"result-{key}"] = forms.ChoiceField(
                label=answer.item.text, choices=AnswerResult.choices, required=False, widget=forms.RadioSelect,
                initial=answer.result)
            self.fields[f"note-{key}"] = forms.CharField(
                label=_("note"), max_length=500, required=False, initial=answer.note,
                widget=forms.TextInput(attrs={"class": "form-control"}))
            self.fields[f"severity-{key}"] = forms.ChoiceField(
                label=_("severity"), choices=severities, required=False, initial=answer.severity,
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}))
            self.fields[f"photo-{key}"] = forms.FileField(label=_("photo"), required=False, widget=photo_input(),
                                                          validators=[validate_photo])

    def rows(self):
        """Each item with its fields and the reviewer's comment on it, grouped by section."""
        sections: list[tuple[str, list]] = []
        for answer in self.answers:
            key = answer.item_id
            row = {"answer": answer, "item": answer.item, "result": self[f"result-{key}"],
                   "note": self[f"note-{key}"], "severity": self[f"severity-{key}"], "photo": self[f"photo-{key}"],
                   "comment": self.comments.get(key, "")}
            if not sections or sections[-1][0] != answer.item.section:
                sections.append((answer.item.section, []))
            sections[-1][1].append(row)
        return sections

    def answers_data(self) -> dict:
        data = self.cleaned_data
        return {a.item_id: {"result": data.get(f"result-{a.item_id}") or "", "note": data.get(f"note-{a.item_id}", ""),
                            "severity": data.get(f"severity-{a.item_id}") or ""} for a in self.answers}

    def photos_data(self) -> dict:
        return {a.item_id: [self.cleaned_data.get(f"photo-{a.item_id}")] for a in self.answers
                if self.cleaned_data.get(f"photo-{a.item_id}")}


class ReturnForm(forms.Form):
    """A supervisor's review: a comment, and a comment on any item (fields `item-<id>`)."""

    comment = forms.CharField(label=_("comment"), required=False, widget=forms.Textarea(attrs={"rows": 2,
                                                                                               "class": "form-control"}))

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        for item in items:
            self.fields[f"item-{item.pk}"] = forms.CharField(
                label=item.text, max_length=500, required=False,
                widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}))

    def item_comments(self) -> dict[int, str]:
        return {int(name.split("-", 1)[1]): value for name, value in self.cleaned_data.items()
                if name.startswith("item-") and value}


class HazardForm(ScopedModelForm):
    class Meta:
        model = Hazard
        fields = ["school", "category", "description", "severity", "found_on"]
        widgets = {"found_on": DateInput(), "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        if self.instance.pk:
            del self.fields["school"]
        self.fields["found_on"].required = False

    def _post_clean(self):
        pass  # the deadline and the rest are hazard_create / hazard_update's


class HazardStepForm(forms.Form):
    action = forms.ChoiceField(choices=[("rectify", "rectify"), ("verify", "verify"), ("reopen", "reopen")])
    note = forms.CharField(label=_("note"), max_length=500, required=False)
    photo = forms.FileField(label=_("evidence photo"), required=False, validators=[validate_photo],
                            widget=photo_input())


class NoticeForm(ScopedModelForm):
    class Meta:
        model = Notice
        fields = ["school", "hazards", "deadline", "text"]
        widgets = {"deadline": DateInput(), "hazards": forms.CheckboxSelectMultiple,
                   "text": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        hazards = Hazard.objects.visible_to(user).select_related("school").order_by("school__name", "deadline")
        listed = list(self.instance.hazards.values_list("pk", flat=True)) if self.instance.pk else []
        self.fields["hazards"].queryset = hazards.filter(status=HazardStatus.OPEN) | hazards.filter(pk__in=listed)
        self.fields["hazards"].label_from_instance = lambda h: f"{h.school.name}：{h.description}（{h.deadline}）"
        self.fields["deadline"].required = False
        self.fields["text"].help_text = _("What the school is told to do; the hazards are listed under it.")

    def _post_clean(self):
        pass


class ImprovementForm(ScopedModelForm):
    class Meta:
        model = Improvement
        fields = ["school", "kind", "quantity", "date", "note"]
        widgets = {"date": DateInput()}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["quantity"].help_text = _("Traffic signs in 面, CCTV in 处, road markings in m², anti-ram "
                                              "barriers in 套, one-button alarms in 个.")

    def _post_clean(self):
        pass  # improvement_save checks the whole


class JointOperationForm(ScopedModelForm):
    """A joint operation, its venues checked by type as one number each."""

    class Meta:
        model = JointOperation
        fields = ["unit", "date", "title", "departments", "police_count", "venues_checked", "hazards_found",
                  "hazards_fixed", "vendors_cleared", "note"]
        widgets = {"date": DateInput(), "note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["unit"].required = False
        by_type = self.instance.venues_by_type or {}
        for venue in VenueType:
            self.fields[f"venues_{venue.value}"] = forms.IntegerField(
                label=venue.label, min_value=0, max_value=100_000, required=False, initial=by_type.get(venue.value),
                widget=forms.NumberInput(attrs={"class": "form-control"}))

    def venues_by_type(self) -> dict[str, int]:
        return {venue.value: self.cleaned_data[f"venues_{venue.value}"] for venue in VenueType
                if self.cleaned_data.get(f"venues_{venue.value}")}

    def _post_clean(self):
        pass  # joint_operation_save checks the whole (the unit defaults to the user's)


class ChecklistTemplateForm(forms.ModelForm):
    class Meta:
        model = ChecklistTemplate
        fields = ["name", "note"]
        widgets = {"name": forms.TextInput(attrs={"class": "form-control"}),
                   "note": forms.TextInput(attrs={"class": "form-control"})}

    def _post_clean(self):
        pass  # versions are checklist_template_save's


class ChecklistItemForm(forms.Form):
    section = forms.CharField(label=_("section"), max_length=50, required=False,
                              widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}))
    category = forms.ChoiceField(label=_("category"), choices=HazardCategory.choices,
                                 widget=forms.Select(attrs={"class": "form-select form-select-sm"}))
    text = forms.CharField(label=_("what is checked"), max_length=300,
                           widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}))
    clause = forms.CharField(label=_("standard clause"), max_length=120, required=False,
                             widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}))
    severity = forms.ChoiceField(label=_("usual severity"), choices=Severity.choices, initial=Severity.MEDIUM,
                                 widget=forms.Select(attrs={"class": "form-select form-select-sm"}))


ChecklistItemFormSet = forms.formset_factory(ChecklistItemForm, extra=3, can_delete=True, max_num=200)
