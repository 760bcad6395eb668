from django import forms
from django.utils.translation import gettext_lazy as _

from huxue.excel import ExcelReadError, check_upload_size
from org.scope import district_wide_write_error


class ScopedModelForm(forms.ModelForm):
    """A ModelForm for the signed-in user: every choice of a related row is limited to what
    the user may see, and a district-wide row needs a user who sees the whole district.

    Model validation (clean(), constraints) runs as usual, so forms, the API and Excel
    imports refuse the same things."""

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is not None and hasattr(queryset, "visible_to"):
                field.queryset = queryset.visible_to(user)
            if isinstance(field.widget, (forms.Select, forms.SelectMultiple)):
                field.widget.attrs.setdefault("class", "form-select")
            elif isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs.setdefault("class", "form-check-input")
            else:
                field.widget.attrs.setdefault("class", "form-control")

    def _post_clean(self):
        super()._post_clean()
        error = district_wide_write_error(self.user, self.instance)
        if error:
            for field_name, messages in error.items():
                self.add_error(field_name if field_name in self.fields else None, messages)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


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
