"""Excel in and out (.xlsx, openpyxl).

Out: every workbook we hand out is built by `build_workbook`, and every cell it writes goes
through `write_row`. Numbers and dates stay numbers and dates; every text is stored as text
(never as a formula or an error value), and a text that a spreadsheet could read as a formula
(it begins with =, +, -, @, a tab or a carriage return: OWASP's CSV-injection list) is also
marked with Excel's quote prefix, the mark Excel itself sets when someone types a value after
an apostrophe. So Excel, WPS and LibreOffice show `=HYPERLINK(...)` as the text it is, keep it
text when someone edits the cell, and the text in the file is exactly the stored name (a
literal apostrophe in front would show in the cell and come back with a re-import).

In: `read_rows` refuses, before openpyxl parses anything, a file larger than
IMPORT_MAX_BYTES, a file that is not a zip (.xlsx is one), a workbook that would unpack to
more than IMPORT_MAX_UNCOMPRESSED_BYTES, and a first sheet that declares more rows than
allowed; then it reads in read-only mode (rows streamed, cached values, no formulas).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Sequence
from urllib.parse import quote

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from core.tables import cell_value

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
# A cell whose text begins with one of these could be taken for a formula (OWASP).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# An .xlsx is a handful of parts; thousands of them is not a workbook a person made.
MAX_ZIP_MEMBERS = 1000


class ExcelReadError(Exception):
    """The upload is not a readable .xlsx file, or is too big; the message says why, for the
    user."""


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_TRIGGERS)


def write_row(ws, row: int, values: Sequence) -> list:
    """Write `values` into row `row` of `ws`, safely: each value as `cell_value` stores it
    (numbers, dates and times as such, the rest as text); every text as a text cell,
    characters that XML cannot hold removed, and a formula-like text quote-prefixed.
    Returns the values written."""
    written = []
    for column, raw in enumerate(values, start=1):
        value = cell_value(raw)
        if isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell = ws.cell(row=row, column=column, value=value)
        if isinstance(value, str):
            # openpyxl would store "=…" as a formula and "#N/A" as an error value.
            cell.data_type = "s"
            if looks_like_formula(value):
                cell.quotePrefix = True
        written.append(value)
    return written


def build_workbook(
    sheet_title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence],
    notes: Sequence[str | Sequence] = (),
    notes_title: str | None = None,
) -> bytes:
    """A workbook: one sheet with a bold frozen header row and sensible column widths, and,
    when `notes` are given, a second sheet (`notes_title`) with them, each a line of text or a
    row of cells (import templates put their column notes and an example row there, where
    the import does not read them)."""
    wb = Workbook(write_only=False)
    ws = wb.active
    ws.title = sheet_title[:31]
    write_row(ws, 1, list(headers))
    for cell in ws[1]:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center")
    widths = [max(8, len(str(h)) * 2 + 2) for h in headers]
    for number, row in enumerate(rows, start=2):
        values = write_row(ws, number, row)
        for i, value in enumerate(values[: len(widths)]):
            if value is not None:
                widths[i] = min(50, max(widths[i], len(str(value)) * 2 if isinstance(value, str) else 12))
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    if notes:
        notes_ws = wb.create_sheet((notes_title or _("Notes"))[:31])
        for number, line in enumerate(notes, start=1):
            write_row(notes_ws, number, [line] if isinstance(line, str) else line)
        for i in range(1, notes_ws.max_column + 1):
            notes_ws.column_dimensions[get_column_letter(i)].width = 16  # long notes spill over
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def workbook_response(filename: str, content: bytes) -> HttpResponse:
    stamp = timezone.localdate().strftime("%Y%m%d")
    name = f"{filename}-{stamp}.xlsx"
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


# -- reading an upload ----------------------------------------------------------------------


def file_size_text(size: int) -> str:
    """5242880 -> "5 MB", 7654321 -> "7.3 MB", 2000 -> "2 KB"."""
    if size < 1024 * 1024:
        return f"{-(-size // 1024)} KB"
    text = f"{size / 1024 / 1024:.1f}".removesuffix(".0")
    return f"{text} MB"


def upload_size(upload) -> int:
    size = getattr(upload, "size", None)
    if size is None:
        position = upload.tell()
        size = upload.seek(0, io.SEEK_END)
        upload.seek(position)
    return size


def check_upload_size(upload, max_bytes: int | None = None) -> None:
    """Refuse a file larger than IMPORT_MAX_BYTES, by its size alone (nothing is read)."""
    limit = settings.IMPORT_MAX_BYTES if max_bytes is None else max_bytes
    size = upload_size(upload)
    if size > limit:
        raise ExcelReadError(
            _("The file is %(size)s; an import file may be at most %(limit)s.")
            % {"size": file_size_text(size), "limit": file_size_text(limit)}
        )


def check_xlsx(upload, *, max_bytes: int | None = None, max_uncompressed: int | None = None) -> None:
    """Refuse, before any parsing, a file too big, not a zip, or one that would unpack to
    more than IMPORT_MAX_UNCOMPRESSED_BYTES. Only the zip's directory is read: the sizes it
    declares bound what can be unpacked (Python's zipfile stops at the declared size)."""
    check_upload_size(upload, max_bytes)
    limit = settings.IMPORT_MAX_UNCOMPRESSED_BYTES if max_uncompressed is None else max_uncompressed
    not_xlsx = ExcelReadError(_(
        "The file is not an Excel workbook (.xlsx). Save it in Excel as “Excel Workbook (*.xlsx)” "
        "and upload it again; .xls and .csv files are not read."
    ))
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        raise not_xlsx from None
    finally:
        upload.seek(0)
    if not members or len(members) > MAX_ZIP_MEMBERS:
        raise not_xlsx
    unpacked = sum(member.file_size for member in members)
    if unpacked > limit:
        raise ExcelReadError(
            _("The workbook unpacks to %(size)s; an import may unpack to at most %(limit)s. "
              "Remove pictures, extra sheets and unused rows, or split the file.")
            % {"size": file_size_text(unpacked), "limit": file_size_text(limit)}
        )


def too_many_rows(max_rows: int) -> ExcelReadError:
    return ExcelReadError(
        _("The file has more than %(max)d rows; split it into smaller files.") % {"max": max_rows}
    )


def read_rows(upload, max_rows: int | None = None) -> tuple[list[str], list[tuple[int, dict[str, object]]]]:
    """The header row and the data rows of the first sheet, each row with its Excel row
    number. Blank rows are skipped; cells are stripped strings or native values.

    Refuses (ExcelReadError) what `check_xlsx` refuses, and a sheet with more than
    `max_rows` data rows (IMPORT_MAX_ROWS): first by the size the sheet declares, before
    reading any row, then by counting, since a declaration can be missing or false."""
    max_rows = settings.IMPORT_MAX_ROWS if max_rows is None else max_rows
    check_xlsx(upload)
    unreadable = ExcelReadError(_("The file is not a readable Excel (.xlsx) workbook."))
    try:
        wb = load_workbook(upload, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not xlsx
        raise unreadable from None
    try:
        if not wb.worksheets:
            raise ExcelReadError(_("The workbook is empty."))
        ws = wb.worksheets[0]
        declared = ws.max_row  # from the sheet's <dimension>, read before any row
        if declared is not None and declared - 1 > max_rows:
            raise too_many_rows(max_rows)
        # Read every row there is: a declaration that is too small would otherwise cut the
        # sheet short without a word. The count below still holds the limit.
        ws.reset_dimensions()
        return _data_rows(ws, max_rows)
    except ExcelReadError:
        raise
    except Exception:  # a part that is not the XML it claims to be
        raise unreadable from None
    finally:
        wb.close()


def _data_rows(ws, max_rows: int) -> tuple[list[str], list[tuple[int, dict[str, object]]]]:
    rows = ws.iter_rows(values_only=True)
    try:
        header_row = next(rows)
    except StopIteration:
        raise ExcelReadError(_("The workbook is empty.")) from None
    headers = [str(h).strip() if h is not None else "" for h in header_row]
    data: list[tuple[int, dict[str, object]]] = []
    for number, values in enumerate(rows, start=2):
        if values is None or all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        if len(data) >= max_rows:
            raise too_many_rows(max_rows)
        record = {}
        for header, value in zip(headers, values):
            if header:
                record[header] = value.strip() if isinstance(value, str) else value
        data.append((number, record))
    return headers, data
