import datetime

from django import forms
from django.core import validators
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.bounds import column_range, model_column, narrow_field_range
from core.excel import ExcelReadError, check_upload_size
from core.scope import write_refusal


NUMBER_FIELDS = (forms.IntegerField, forms.FloatField, forms.DecimalField)


def bound_to_columns(fields: dict[str, forms.Field], model) -> None:
    """Bound each number field to the range of the model column of the same name (see
    core.bounds), replacing the range Django gave it from the connection (64-bit on SQLite
    whatever the column), so a form refuses on every database what PostgreSQL cannot store."""
    for name, field in fields.items():
        if not isinstance(field, NUMBER_FIELDS):
            continue
        bounds = column_range(model_column(model, name))
        if bounds is None:
            continue
        low, high = narrow_field_range(field, *bounds)
        field.validators += [validators.MinValueValidator(low), validators.MaxValueValidator(high)]
        field.widget.attrs.update(field.widget_attrs(field.widget))


class ScopedModelForm(forms.ModelForm):
    """A ModelForm for the signed-in user: every choice of a related row is limited to what
    the user may see, and a district-wide row needs a user who sees the whole district.

    Model validation (clean(), constraints) runs as usual, so forms, the API and Excel
    imports refuse the same things."""

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        bound_to_columns(self.fields, self._meta.model)
        for field in self.fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is not None and hasattr(queryset, "visible_to"):
                field.queryset = queryset.visible_to(user)
            if isinstance(field.widget, (forms.Select, forms.SelectMultiple)):
                field.widget.attrs.setdefault("class", "form-select")
            elif isinstance(field.widget, (forms.CheckboxSelectMultiple, forms.RadioSelect)):
                pass  # a list of boxes: each box is styled by the template
            elif isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs.setdefault("class", "form-check-input")
            else:
                field.widget.attrs.setdefault("class", "form-control")

    def _post_clean(self):
        super()._post_clean()
        error = write_refusal(self.user, self.instance)
        if error:
            for field_name, messages in error.items():
                self.add_error(field_name if field_name in self.fields else None, messages)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


def now_to_the_minute() -> datetime.datetime:
    return timezone.localtime().replace(second=0, microsecond=0)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%H:%M")


def validate_import_size(upload):
    """An import file above IMPORT_MAX_BYTES is refused by its size, before it is read."""
    try:
        check_upload_size(upload)
    except ExcelReadError as exc:
        raise forms.ValidationError(str(exc), code="file_size") from None


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        validators=[validate_import_size],
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".xlsx"}),
    )
