"""Excel import, all rows or none.

An import is declared by an `ImportSpec`: the columns of its template and the ModelForm that
validates one row (the same form the create page uses, so a row is refused for exactly the
reasons the page would refuse it). `run_import` first refuses a file that is too big or has
too many rows (core.excel.read_rows, before parsing), then validates every row, reading
only; if any row fails, nothing is written and every bad row is reported with its row
number, column and reason. Only then does one short transaction save every row.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django import forms
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import UniqueConstraint
from django.utils import translation
from django.utils.translation import gettext as _

from core.excel import ExcelReadError, build_workbook, read_rows

TRUE_WORDS = {"是", "y", "yes", "true", "1", "有效", "在岗"}
FALSE_WORDS = {"否", "n", "no", "false", "0", "无效", "清退"}


@dataclass(frozen=True)
class ImportColumn:
    header: str
    field: str
    required: bool = False
    note: str = ""
    example: object = ""
    default: object = None


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = _("row %(row)d") % {"row": self.row} if self.row else _("file")
        if self.column:
            where += f"「{self.column}」"
        return f"{where}: {self.message}"


@dataclass
class ImportResult:
    created: int = 0
    errors: list[RowError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)


class ImportFailed(Exception):
    def __init__(self, errors: list[RowError]):
        super().__init__("; ".join(str(e) for e in errors[:5]))
        self.errors = errors


class NamedModelChoiceField(forms.ModelChoiceField):
    """Picks a related row by its name within the queryset (the user's scope), saying
    clearly whether the name is unknown or ambiguous."""

    def __init__(self, *args, name_field: str = "name", **kwargs):
        self.name_field = name_field
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, self.queryset.model):
            return value
        matches = list(self.queryset.filter(**{self.name_field: str(value).strip()})[:2])
        if not matches:
            raise forms.ValidationError(
                _("“%(name)s” is not a %(model)s you can use.")
                % {"name": value, "model": self.queryset.model._meta.verbose_name},
                code="invalid_choice",
            )
        if len(matches) > 1:
            raise forms.ValidationError(
                _("Several %(model)s are named “%(name)s”; rename one first.")
                % {"name": value, "model": self.queryset.model._meta.verbose_name_plural},
                code="ambiguous",
            )
        return matches[0]


class ImportSpec:
    """Subclass per importable model: set `title`, `form_class` and `columns`."""

    title: str = ""
    form_class: type[forms.ModelForm]
    columns: list[ImportColumn] = []

    def template_bytes(self) -> bytes:
        """The data sheet holds the headers only; the notes and an example row are on a
        second sheet, which an import never reads (so the example is never imported)."""
        headers = [c.header + ("*" if c.required else "") for c in self.columns]
        notes: list = [_("Fill one row per record from row 2. Columns marked * are required.")]
        notes += [f"{c.header}: {c.note}" for c in self.columns if c.note]
        notes += ["", _("Example (for reference only; this sheet is not imported):"), headers,
                  [c.example for c in self.columns]]
        return build_workbook(self.title, headers, [], notes, notes_title=_("Instructions"))

    def form_data(self, record: dict[str, object], form: forms.ModelForm) -> dict[str, object]:
        data: dict[str, object] = {}
        for column in self.columns:
            value = record.get(column.header, record.get(column.header + "*"))
            if value in (None, "") and column.default is not None:
                value = column.default
            data[column.field] = self.coerce(form.fields.get(column.field), value)
        return data

    @staticmethod
    def coerce(form_field, value):
        """Excel cells to what a form field parses: labels of choices to codes, 是/否 to
        booleans, dates and times to ISO text."""
        if value is None:
            return ""
        if isinstance(value, datetime.datetime):
            return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
        if isinstance(value, (datetime.date, datetime.time)):
            return value.isoformat()
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = str(value).strip()
        if isinstance(form_field, forms.BooleanField):
            lowered = text.lower()
            if lowered in TRUE_WORDS:
                return "on"
            if lowered in FALSE_WORDS or text == "":
                return ""
            return text
        if isinstance(form_field, forms.TypedChoiceField) or (
            isinstance(form_field, forms.ChoiceField)
            and not isinstance(form_field, forms.ModelChoiceField)
        ):
            # Templates are Chinese whatever language the uploader's browser asks for.
            with translation.override("zh-hans"):
                chinese = {str(label): code for code, label in form_field.choices}
            english = {str(label): code for code, label in form_field.choices}
            codes = {str(code): code for code, _label in form_field.choices}
            for table in (chinese, codes, english):
                if text in table:
                    return table[text]
        return text


def run_import(spec: ImportSpec, upload, *, user) -> ImportResult:
    """Validate every row of `upload`, then save them all in one transaction. Raises
    ImportFailed with every bad row when any row is bad; nothing is written then, and no
    transaction was opened."""
    try:
        headers, rows = read_rows(upload, settings.IMPORT_MAX_ROWS)
    except ExcelReadError as exc:
        raise ImportFailed([RowError(0, "", str(exc))]) from None
    known = {c.header for c in spec.columns} | {c.header + "*" for c in spec.columns}
    missing = [c.header for c in spec.columns if c.required and c.header not in headers
               and c.header + "*" not in headers]
    if missing:
        raise ImportFailed([RowError(1, h, _("This column is missing.")) for h in missing])
    if not rows:
        raise ImportFailed([RowError(0, "", _(
            "The file has no data rows: fill in one record per row from row 2 of the first sheet."))])
    header_of = {c.field: c.header for c in spec.columns}
    result = ImportResult(ignored_columns=[h for h in headers if h and h not in known])

    # Validate every row first, reading only (a form's save() may write, so it waits).
    valid: list[tuple[int, forms.ModelForm]] = []
    seen: dict[tuple, int] = {}  # unique key -> the row that has it
    blank = spec.form_class(user=user)  # its fields tell how to read each cell
    for number, record in rows:
        form = spec.form_class(spec.form_data(record, blank), user=user)
        if not form.is_valid():
            for field_name, messages in form.errors.items():
                column = header_of.get(field_name, "")
                for message in messages:
                    if field_name != "__all__" and field_name not in header_of and field_name in form.fields:
                        message = f"{form.fields[field_name].label}: {message}"
                    result.errors.append(RowError(number, column, message))
            continue
        for fields, key in unique_keys(form.instance):
            if key in seen:
                columns = [header_of[f] for f in fields if f in header_of]
                result.errors.append(RowError(
                    number, columns[-1] if columns else "",
                    _("Repeats row %(row)d (%(fields)s).") % {"row": seen[key], "fields": "、".join(columns)},
                ))
            else:
                seen[key] = number
        valid.append((number, slim(form)))
    if result.errors:
        raise ImportFailed(result.errors)

    # Then write, all or nothing; the transaction holds the writes only.
    saving = 0  # the row being saved, for the message below
    try:
        with transaction.atomic():
            for saving, form in valid:  # noqa: B007 (read after the loop)
                form.save()
                result.created += 1
    except IntegrityError:
        # Someone saved a clashing record between our check and our write.
        raise ImportFailed([RowError(saving, "", _(
            "Another user saved a conflicting record while this file was being imported; "
            "nothing was imported. Try again."))]) from None
    return result


def slim(form: forms.ModelForm) -> forms.ModelForm:
    """A validated form, without its own copies of every field and widget (some 20 KB a
    row, most of what a form holds). Saving needs only its instance and cleaned data, so a
    5,000-row file's forms fit in a few megabytes while they wait to be saved."""
    form.fields = {}
    form._bound_fields_cache = {}
    return form


def unique_keys(instance) -> list[tuple[tuple[str, ...], tuple]]:
    """The values of `instance` that the database holds unique (unique fields and unique
    constraints over fields; a conditional constraint only where its condition holds), each
    as (field names, key). Two rows of one file with the same key would clash on saving. A
    key with a NULL in it clashes with nothing."""
    opts = instance._meta
    groups: list[tuple[str, ...]] = [
        (f.name,) for f in opts.concrete_fields if f.unique and not f.primary_key
    ]
    groups += [tuple(names) for names in opts.unique_together]
    for constraint in opts.constraints:
        if not isinstance(constraint, UniqueConstraint) or not constraint.fields or constraint.expressions:
            continue
        if constraint.condition is not None:
            against = instance._get_field_expression_map(meta=opts)
            if not constraint.condition.check(against):
                continue
        groups.append(tuple(constraint.fields))
    keys = []
    for names in groups:
        values = tuple(getattr(instance, opts.get_field(name).attname) for name in names)
        if None not in values:
            keys.append((names, (opts.label, names, values)))
    return keys
