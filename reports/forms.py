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
