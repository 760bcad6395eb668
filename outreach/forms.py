from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, ScopedModelForm
from core.photos import PHOTO_ACCEPT
from outreach.models import Activity, Drill, DrillPlan, Training
from posts.models import School


class DateTimeSecondsInput(forms.DateTimeInput):
    """A local date and time to the second: a "135" stage is timed in seconds."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs={"step": 1, **(attrs or {})}, format="%Y-%m-%dT%H:%M:%S")


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Several photos at once (each is checked by the service, core.photos.validate_photo)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultiplePhotoInput(attrs={"accept": PHOTO_ACCEPT, "class": "form-control"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultiplePhotoField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class ActivityForm(ScopedModelForm):
    photos = MultiplePhotoField(label=_("photos"), help_text=_("JPG, PNG or WebP; added to those already kept."))

    class Meta:
        model = Activity
        fields = ["kind", "topic", "school", "date", "audience", "materials", "place", "note"]
        widgets = {"date": DateInput(), "note": forms.Textarea(attrs={"rows": 3})}


class TrainingForm(ScopedModelForm):
    class Meta:
        model = Training
        fields = ["unit", "kind", "date", "school", "place", "batch", "trainees", "subjects", "people"]
        widgets = {"date": DateInput(), "subjects": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].required = False
        self.fields["unit"].help_text = _("Left empty: your own unit.")
        self.fields["people"].widget.attrs["size"] = 8


class DrillForm(ScopedModelForm):
    class Meta:
        model = Drill
        fields = ["school", "kind", "date", "participants", "alarm_at", "school_response_at", "police_arrival_at",
                  "reinforcement_at", "note"]
        widgets = {
            "date": DateInput(),
            "alarm_at": DateTimeSecondsInput(),
            "school_response_at": DateTimeSecondsInput(),
            "police_arrival_at": DateTimeSecondsInput(),
            "reinforcement_at": DateTimeSecondsInput(),
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].required = False
        self.fields["date"].help_text = _("Left empty: the day of the alarm.")

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("date") and not cleaned.get("alarm_at") and "date" not in self.errors:
            self.add_error("date", _("Give the date, or the time of the alarm."))
        return cleaned


class PulledDrillForm(ScopedModelForm):
    """A pull's times, school and kind were stamped by the server: only the rest is edited."""

    class Meta:
        model = Drill
        fields = ["participants", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}


class DrillPlanForm(ScopedModelForm):
    class Meta:
        model = DrillPlan
        fields = ["school", "term", "kind", "planned"]

    def validate_unique(self):
        # The service checks the constraint with the station it sets; a duplicate is named there.
        pass


class PullStartForm(forms.Form):
    school = forms.ModelChoiceField(queryset=School.objects.none(), label=_("school"),
                                    widget=forms.Select(attrs={"class": "form-select form-select-lg"}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = School.objects.visible_to(user).select_related("station").order_by(
            "station__name", "name")
