"""Input of the report pages: the range and unit of the figures page."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput
from core.validation import require_end_after_start
from org.models import Unit
from reports.selectors import default_range


class FiguresForm(forms.Form):
    """The range and unit of the figures page; the dates default to
    reports.selectors.default_range (the month to date)."""

    start = forms.DateField(label=_("from"), widget=DateInput(attrs={"class": "form-control"}))
    end = forms.DateField(label=_("to"), widget=DateInput(attrs={"class": "form-control"}))
    unit = forms.ModelChoiceField(label=_("unit"), queryset=Unit.objects.none(), required=False,
                                  widget=forms.Select(attrs={"class": "form-select"}))

    def __init__(self, data, *, user):
        # Missing dates take their defaults as if typed, so the page shows what it counts.
        data = data.copy()
        for name, default in zip(("start", "end"), default_range(timezone.localdate())):
            if not data.get(name):
                data[name] = default.isoformat()
        super().__init__(data)
        self.fields["unit"].queryset = Unit.objects.visible_to(user).order_by("kind", "name")

    def clean(self):
        cleaned = super().clean()
        # Raised here, the error lands on the "end" field (Form._clean_form adds it there).
        require_end_after_start(start=cleaned.get("start"), end=cleaned.get("end"), end_field="end")
        return cleaned


# -- the work briefing -------------------------------------------------------------------------


class BriefingForm(FiguresForm):
    """The period and unit of a work briefing: the figures page's (this month to date by
    default), the unit defaulting to the top of the user's scope (HQ's bureau)."""

    def __init__(self, data, *, user):
        super().__init__(data, user=user)
        self.user = user

    def clean(self):
        from reports.selectors.briefing import briefing_unit

        cleaned = super().clean()
        if "unit" not in self.errors:
            unit = briefing_unit(self.user, cleaned.get("unit"))
            if unit is None:
                self.add_error("unit", _("Choose a unit."))
            else:
                cleaned["unit"] = unit
        return cleaned


class BriefingTextForm(forms.Form):
    """HQ's narrative of a briefing (reports.models.NARRATIVE_FIELDS): the title, the opening
    paragraph, each part's heading and text, one paragraph a line; the figures are
    placeholders such as {posts}, filled when the briefing is generated."""

    def __init__(self, *args, **kwargs):
        from reports.models import NARRATIVE_FIELDS, Briefing

        super().__init__(*args, **kwargs)
        for name, field in forms.models.fields_for_model(Briefing, fields=NARRATIVE_FIELDS).items():
            field.widget.attrs["class"] = "form-control"
            if isinstance(field.widget, forms.Textarea):
                field.widget.attrs["rows"] = 4 if name == "opening" else 8
            self.fields[name] = field
