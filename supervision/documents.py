"""A supervision bulletin (督察通报) as a document: one presentation of its content, shown in
the preview, printed (HTML, A4), rendered to PDF (WeasyPrint) and to Word (python-docx).

The content itself comes from supervision.selectors.bulletin_content: live figures for a
draft, the frozen ones once issued. This module only lays it out."""

from __future__ import annotations

import datetime
import io
import re
from urllib.parse import quote

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from supervision.models import Bulletin, FindingIssue

# The document's own fixed words: a 督察通报 is a Chinese official document, whatever the
# language of the screens around it.
DOCUMENT_HEADING = "督察通报"
EAST_ASIAN_FONT = "宋体"
HEADING_FONT = "黑体"
CJK_FONT_HINT = "CJK"
FINDING_KEYS = ("station", "post", "checked_at", "method", "person", "issue", "note")
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def chinese_date(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def number_label(bulletin: Bulletin) -> str:
    """"2026年第3期" once issued; "Draft" before (a draft has no number yet)."""
    if not bulletin.is_editable and bulletin.number:
        return f"{bulletin.year}年第{bulletin.number}期"
    return _("Draft")


def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


def findings_by_kind_text(row: dict) -> str:
    """"Absent ×2；Left the post ×1": a station's findings by kind in one cell."""
    counts = row.get("findings_by_issue") or {}
    return "；".join(f"{label}×{counts[issue]}" for issue, label in FindingIssue.choices if counts.get(issue))


def bulletin_document(bulletin: Bulletin, content: dict) -> dict:
    """Everything the printed, PDF and Word forms show, as text, in reading order."""
    draft = bulletin.is_editable
    day = timezone.localtime(bulletin.issued_at).date() if bulletin.issued_at else timezone.localdate()
    stations = content.get("stations", [])
    findings = content.get("findings", [])
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n|\r\n\s*\r\n", bulletin.text or "") if p.strip()]
    return {
        "heading": DOCUMENT_HEADING,
        "number": number_label(bulletin),
        "draft": draft,
        "unit": bulletin.unit.name,
        "date": chinese_date(day),
        "title": bulletin.title,
        "period": _("Period: %(start)s to %(end)s") % {
            "start": chinese_date(bulletin.period_start), "end": chinese_date(bulletin.period_end)},
        "paragraphs": paragraphs,
        "stations_title": _("Attendance and findings by police station"),
        "station_headers": [
            _("police station"), _("assigned"), _("on time"), _("late"), _("absent"), _("left early"),
            _("attendance rate"), _("spot checks"), _("findings"), _("findings by kind"),
        ],
        "station_rows": [
            [row.get("station", ""),
             *[row.get(key, 0) for key in ("assigned", "on_time", "late", "absent", "left_early")],
             percent(row.get("rate")), row.get("spot_checks", 0), row.get("findings", 0),
             findings_by_kind_text(row)]
            for row in stations
        ],
        "findings_title": _("Findings"),
        "finding_headers": [
            _("police station"), _("post"), _("checked at"), _("method"), _("person"), _("issue"), _("note"),
        ],
        "finding_rows": [[item.get(key, "") for key in FINDING_KEYS] for item in findings],
        "empty": _("None in this period."),
    }


def document_filename(doc: dict, extension: str) -> str:
    name = f"{doc['heading']}-{doc['number']}-{doc['title']}"
    return re.sub(r'[\\/:*?"<>|\s]+', "_", name)[:120] + f".{extension}"


def attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


# -- PDF ---------------------------------------------------------------------------------


class PdfUnavailable(Exception):
    """WeasyPrint cannot make a readable Chinese PDF here (no Pango, or no CJK font)."""


def render_pdf(html: str) -> bytes:
    """The print page as a PDF with its Chinese font embedded. WeasyPrint is imported here,
    not at start-up: it needs Pango from the OS, and the rest of Huxue must run without it.
    Without a CJK font every Chinese glyph would come out as a box, so that is refused too."""
    try:
        import weasyprint
    except Exception as exc:  # ImportError, or OSError when Pango's libraries are missing
        raise PdfUnavailable(str(exc)) from exc
    try:
        document = weasyprint.HTML(string=html, base_url=None).render()
        pdf = document.write_pdf()
    except OSError as exc:
        raise PdfUnavailable(str(exc)) from exc
    families = {str(getattr(font, "family", "") or "") for font in document.fonts.values()}
    if not any(CJK_FONT_HINT in family for family in families):
        raise PdfUnavailable(_("No CJK font was found (fonts used: %(fonts)s).") % {
            "fonts": ", ".join(sorted(families)) or "-"})
    return pdf


# -- Word --------------------------------------------------------------------------------


def _font(run, *, east_asian: str = EAST_ASIAN_FONT, size=None, bold=False, color=None):
    """Set a run's fonts; Word picks the East Asian font from w:eastAsia, not from w:ascii."""
    run.font.name = "Times New Roman"
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), east_asian)
    if size is not None:
        run.font.size = size
    run.bold = bold or None
    if color is not None:
        run.font.color.rgb = color
    return run


def _bottom_rule(paragraph, color: str = "C00000") -> None:
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "12"), ("w:space", "1"), ("w:color", color)):
        bottom.set(qn(key), value)
    border.append(bottom)
    paragraph._p.get_or_add_pPr().append(border)


def _table(document, headers: list[str], rows: list[list], size) -> None:
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, headers):
        cell.text = ""
        _font(cell.paragraphs[0].add_run(str(header)), size=size, bold=True)
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row):
            cell.text = ""
            _font(cell.paragraphs[0].add_run(str(value)), size=size)


def render_docx(doc: dict) -> bytes:
    """The bulletin as a Word file: the red heading and number, unit and date, title, text,
    then the station table and the findings list."""
    red = RGBColor(0xC0, 0x00, 0x00)
    document = Document()
    for section in document.sections:
        section.page_height, section.page_width = Cm(29.7), Cm(21.0)
        section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.2)
        section.left_margin, section.right_margin = Cm(2.2), Cm(2.2)
    normal = document.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(12)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), EAST_ASIAN_FONT)

    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(heading.add_run(doc["heading"]), east_asian=HEADING_FONT, size=Pt(36), bold=True, color=red)

    number = document.add_paragraph()
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(number.add_run(doc["number"]), size=Pt(14), color=red if doc["draft"] else None)

    meta = document.add_paragraph()
    _font(meta.add_run(doc["unit"]), size=Pt(12))
    _font(meta.add_run("\t" + doc["date"]), size=Pt(12))
    meta.paragraph_format.tab_stops.add_tab_stop(Cm(16.6), alignment=WD_TAB_ALIGNMENT.RIGHT)
    _bottom_rule(meta)

    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_before = Pt(12)
    _font(title.add_run(doc["title"]), east_asian=HEADING_FONT, size=Pt(18), bold=True)

    period = document.add_paragraph()
    period.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(period.add_run(doc["period"]), size=Pt(11))

    for text in doc["paragraphs"]:
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.first_line_indent = Pt(24)
        for index, line in enumerate(text.splitlines()):
            run = _font(paragraph.add_run(), size=Pt(12))
            if index:
                run.add_break()
            run.add_text(line)

    for title_text, headers, rows in (
        (doc["stations_title"], doc["station_headers"], doc["station_rows"]),
        (doc["findings_title"], doc["finding_headers"], doc["finding_rows"]),
    ):
        section_title = document.add_paragraph()
        section_title.paragraph_format.space_before = Pt(12)
        _font(section_title.add_run(title_text), east_asian=HEADING_FONT, size=Pt(14), bold=True)
        if rows:
            _table(document, headers, rows, Pt(9))
        else:
            _font(document.add_paragraph().add_run(doc["empty"]), size=Pt(11))

    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
