"""Excel in and out (.xlsx, openpyxl). Lists export through `workbook_response`; imports read
rows through `read_rows`."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from huxue.tables import cell_value

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


class ExcelReadError(Exception):
    """The upload is not a readable .xlsx file; the message says why, for the user."""


def build_workbook(
    sheet_title: str, headers: Sequence[str], rows: Iterable[Sequence], notes: Sequence[str] = ()
) -> bytes:
    """A one-sheet workbook: bold frozen header row, sensible column widths. `notes` go to a
    second sheet (used by import templates to explain each column)."""
    wb = Workbook(write_only=False)
    ws = wb.active
    ws.title = sheet_title[:31]
    ws.append(list(headers))
    for cell in ws[1]:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center")
    widths = [max(8, len(str(h)) * 2 + 2) for h in headers]
    for row in rows:
        values = [cell_value(v) for v in row]
        ws.append(values)
        for i, value in enumerate(values[: len(widths)]):
            if value is not None:
                widths[i] = min(50, max(widths[i], len(str(value)) * 2 if isinstance(value, str) else 12))
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    if notes:
        notes_ws = wb.create_sheet(_("Notes"))
        for line in notes:
            notes_ws.append([line])
        notes_ws.column_dimensions["A"].width = 100
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def workbook_response(filename: str, content: bytes) -> HttpResponse:
    stamp = timezone.localdate().strftime("%Y%m%d")
    name = f"{filename}-{stamp}.xlsx"
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


def read_rows(upload, max_rows: int) -> tuple[list[str], list[tuple[int, dict[str, object]]]]:
    """The header row and the data rows of the first sheet, each row with its Excel row
    number. Blank rows are skipped; cells are stripped strings or native values."""
    try:
        wb = load_workbook(upload, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not xlsx
        raise ExcelReadError(_("The file is not a readable Excel (.xlsx) workbook.")) from None
    ws = wb.worksheets[0]
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
            raise ExcelReadError(
                _("The file has more than %(max)d rows; split it into smaller files.") % {"max": max_rows}
            )
        record = {}
        for header, value in zip(headers, values):
            if header:
                record[header] = value.strip() if isinstance(value, str) else value
        data.append((number, record))
    wb.close()
    return headers, data
