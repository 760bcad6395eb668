import datetime

from django import forms
from django.utils import timezone

from duty.models import Leave, StandingAssignment
from duty.services.generation import week_start
from core.forms import DateInput, ScopedModelForm
from posts.forms import WeekdaysField, WeekdaysFormMixin


class LeaveForm(ScopedModelForm):
    """Leave belongs to the unit that manages the person, so scope follows the person."""

    class Meta:
        model = Leave
        fields = ["person", "start_date", "end_date", "reason"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}



class StandingAssignmentForm(WeekdaysFormMixin, ScopedModelForm):
    """A standing assignment belongs to the station of its post."""

    weekdays = WeekdaysField()

    class Meta:
        model = StandingAssignment
        fields = ["person", "post", "weekdays", "periods", "start_date", "end_date"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = self.fields["post"].queryset.select_related("school")



class RosterQueryForm(forms.Form):
    """The station and week a roster page shows. Any date is snapped to its Monday; no date
    (or one that is not a date) means this week. The station must be one of `stations`:
    `chosen_station()` is None otherwise, and the caller answers 404 so nothing leaks."""

    station = forms.IntegerField(required=False, min_value=1)
    week = forms.DateField(required=False)

    def __init__(self, data, *, stations, default_station):
        super().__init__(data)
        self.stations = {unit.pk: unit for unit in stations}
        self.default_station = default_station

    def clean_week(self):
        return week_start(self.cleaned_data.get("week") or timezone.localdate())

    def chosen_station(self):
        self.is_valid()
        if "station" in self.errors:
            return None
        wanted = self.cleaned_data.get("station")
        return self.default_station if wanted is None else self.stations.get(wanted)

    def week_start(self) -> datetime.date:
        self.is_valid()
        if "week" in self.errors:
            return week_start(timezone.localdate())
        return self.cleaned_data["week"]
