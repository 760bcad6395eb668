"""A rectification notice (整改通知书) as a document: the preview on its page, the print page
(A4), the PDF (WeasyPrint, from the print page) and Word (python-docx), laid out with
core.documents as the supervision bulletins are."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.shared import Cm, Pt, RGBColor

from core.documents import (
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
from inspections.models import Notice

# The document's own words: a 整改通知书 is a Chinese official document, whatever the
# language of the screens around it.
DOCUMENT_HEADING = "整改通知书"


def notice_document(notice: Notice) -> dict:
    """Everything the printed, PDF and Word forms show, as text, in reading order."""
    hazards = list(notice.hazards.all().order_by("found_on", "pk"))
    day = notice.issued_on or timezone.localdate()
    unit = notice.school.station.name
    return {
        "heading": DOCUMENT_HEADING,
        "number": notice.number_label or _("Draft"),
        "draft": notice.is_editable,
        "addressee": f"{notice.school.name}：",
        "paragraphs": split_paragraphs(notice.text) or [
            f"经检查，你单位存在下列安全隐患，现责令你单位于{chinese_date(notice.deadline)}前整改完毕，"
            f"并将整改情况书面报告{unit}。逾期未整改的，将依法处理。"],
        "deadline": f"整改期限：{chinese_date(notice.deadline)}前",
        "hazards_title": "存在的安全隐患",
        "hazard_headers": ["序号", "类别", "隐患情况", "发现日期", "整改期限"],
        "hazard_rows": [[index, h.get_category_display(), h.description, chinese_date(h.found_on),
                         chinese_date(h.deadline)] for index, h in enumerate(hazards, start=1)],
        "unit": unit,
        "date": chinese_date(day),
        "receipt": "被检查单位签收：　　　　　　　　　　年　　月　　日",
    }


def notice_filename(doc: dict, extension: str) -> str:
    return safe_filename(f"{doc['heading']}-{doc['number']}-{doc['addressee'].rstrip('：')}", extension)


def render_notice_docx(doc: dict) -> bytes:
    """The notice as a Word file: the red heading and number, the school addressed, the
    text, the hazards, the deadline, the issuing unit and date, the school's receipt."""
    red = RGBColor(0xC0, 0x00, 0x00)
    document = docx_a4_document()
    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    docx_font(heading.add_run(doc["heading"]), east_asian=HEADING_FONT, size=Pt(30), bold=True, color=red)
    number = document.add_paragraph()
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    docx_font(number.add_run(doc["number"]), size=Pt(14), color=red if doc["draft"] else None)
    docx_bottom_rule(number)
    addressee = document.add_paragraph()
    addressee.paragraph_format.space_before = Pt(12)
    docx_font(addressee.add_run(doc["addressee"]), size=Pt(14), bold=True)
    docx_paragraphs(document, doc["paragraphs"])
    title = document.add_paragraph()
    title.paragraph_format.space_before = Pt(12)
    docx_font(title.add_run(doc["hazards_title"]), east_asian=HEADING_FONT, size=Pt(14), bold=True)
    docx_table(document, doc["hazard_headers"], doc["hazard_rows"], Pt(10))
    deadline = document.add_paragraph()
    deadline.paragraph_format.space_before = Pt(12)
    docx_font(deadline.add_run(doc["deadline"]), size=Pt(12), bold=True)
    signature = document.add_paragraph()
    signature.paragraph_format.space_before = Pt(24)
    signature.paragraph_format.tab_stops.add_tab_stop(Cm(16.6), alignment=WD_TAB_ALIGNMENT.RIGHT)
    docx_font(signature.add_run("\t" + doc["unit"]), size=Pt(12))
    date = document.add_paragraph()
    date.paragraph_format.tab_stops.add_tab_stop(Cm(16.6), alignment=WD_TAB_ALIGNMENT.RIGHT)
    docx_font(date.add_run("\t" + doc["date"]), size=Pt(12))
    receipt = document.add_paragraph()
    receipt.paragraph_format.space_before = Pt(24)
    docx_font(receipt.add_run(doc["receipt"]), size=Pt(11))
    return docx_bytes(document)
