"""A supervision bulletin (督察通报) as a document: one presentation of its content, shown in
the preview, printed (HTML, A4), rendered to PDF (WeasyPrint) and to Word (python-docx).

The content itself comes from supervision.selectors.bulletin_content: live figures for a
draft, the frozen ones once issued. This module only lays it out."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.shared import Cm, Pt, RGBColor

from core.documents import (  # noqa: F401  (DOCX_CONTENT_TYPE: kept importable from here)
    DOCX_CONTENT_TYPE,
    HEADING_FONT,
    chinese_date,
    docx_a4_document,
    docx_bottom_rule,
    docx_bytes,
    docx_font,
    docx_paragraphs,
    docx_table,
    safe_filename,
    split_paragraphs,
)
from supervision.models import Bulletin, FindingIssue

# The document's own fixed words: a 督察通报 is a Chinese official document, whatever the
# language of the screens around it.
DOCUMENT_HEADING = "督察通报"
FINDING_KEYS = ("station", "post", "checked_at", "method", "person", "issue", "note")


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
    paragraphs = split_paragraphs(bulletin.text)
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
    return safe_filename(f"{doc['heading']}-{doc['number']}-{doc['title']}", extension)


# -- Word --------------------------------------------------------------------------------


def render_docx(doc: dict) -> bytes:
    """The bulletin as a Word file: the red heading and number, unit and date, title, text,
    then the station table and the findings list."""
    red = RGBColor(0xC0, 0x00, 0x00)
    document = docx_a4_document()

    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    docx_font(heading.add_run(doc["heading"]), east_asian=HEADING_FONT, size=Pt(36), bold=True, color=red)

    number = document.add_paragraph()
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    docx_font(number.add_run(doc["number"]), size=Pt(14), color=red if doc["draft"] else None)

    meta = document.add_paragraph()
    docx_font(meta.add_run(doc["unit"]), size=Pt(12))
    docx_font(meta.add_run("\t" + doc["date"]), size=Pt(12))
    meta.paragraph_format.tab_stops.add_tab_stop(Cm(16.6), alignment=WD_TAB_ALIGNMENT.RIGHT)
    docx_bottom_rule(meta)

    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_before = Pt(12)
    docx_font(title.add_run(doc["title"]), east_asian=HEADING_FONT, size=Pt(18), bold=True)

    period = document.add_paragraph()
    period.alignment = WD_ALIGN_PARAGRAPH.CENTER
    docx_font(period.add_run(doc["period"]), size=Pt(11))

    docx_paragraphs(document, doc["paragraphs"])

    for title_text, headers, rows in (
        (doc["stations_title"], doc["station_headers"], doc["station_rows"]),
        (doc["findings_title"], doc["finding_headers"], doc["finding_rows"]),
    ):
        section_title = document.add_paragraph()
        section_title.paragraph_format.space_before = Pt(12)
        docx_font(section_title.add_run(title_text), east_asian=HEADING_FONT, size=Pt(14), bold=True)
        if rows:
            docx_table(document, headers, rows, Pt(9))
        else:
            docx_font(document.add_paragraph().add_run(doc["empty"]), size=Pt(11))

    return docx_bytes(document)
