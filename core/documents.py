"""What every official document of Huxue shares, whichever app lays it out (a supervision
bulletin, a rectification notice): the date in Chinese, the download response and its file
name, the PDF (WeasyPrint, from the print page's HTML) and the Word file's fonts, rules and
tables (python-docx).

An app's own module lays its document out (its heading, its tables) with these; the print
page's style sheets are embedded in the PDF with `{% inline_css %}`."""

from __future__ import annotations

import datetime
import io
import re
from urllib.parse import quote

from django.http import HttpResponse
from django.utils.translation import gettext as _
from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

EAST_ASIAN_FONT = "宋体"
HEADING_FONT = "黑体"
CJK_FONT_HINT = "CJK"
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def chinese_date(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def safe_filename(name: str, extension: str) -> str:
    """A download's file name: characters no file system takes (and spaces) become "_", and
    the name is cut to 120 characters before the extension."""
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


def docx_font(run, *, east_asian: str = EAST_ASIAN_FONT, size=None, bold=False, color=None):
    """Set a run's fonts; Word picks the East Asian font from w:eastAsia, not from w:ascii."""
    run.font.name = "Times New Roman"
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), east_asian)
    if size is not None:
        run.font.size = size
    run.bold = bold or None
    if color is not None:
        run.font.color.rgb = color
    return run


def docx_bottom_rule(paragraph, color: str = "C00000") -> None:
    """The red rule under an official document's heading block."""
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "12"), ("w:space", "1"), ("w:color", color)):
        bottom.set(qn(key), value)
    border.append(bottom)
    paragraph._p.get_or_add_pPr().append(border)


def docx_table(document, headers: list[str], rows: list[list], size) -> None:
    """A bordered table: a bold header row, then the rows, every cell as text."""
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, headers):
        cell.text = ""
        docx_font(cell.paragraphs[0].add_run(str(header)), size=size, bold=True)
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row):
            cell.text = ""
            docx_font(cell.paragraphs[0].add_run(str(value)), size=size)


def docx_a4_document():
    """A new Word document on A4 with the official margins, Times New Roman and 宋体 at 12 pt."""
    document = Document()
    for section in document.sections:
        section.page_height, section.page_width = Cm(29.7), Cm(21.0)
        section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.2)
        section.left_margin, section.right_margin = Cm(2.2), Cm(2.2)
    normal = document.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(12)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), EAST_ASIAN_FONT)
    return document


def docx_paragraphs(document, paragraphs: list[str], size=None) -> None:
    """Body text: each paragraph indented by two characters, its line breaks kept."""
    for text in paragraphs:
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.first_line_indent = Pt(24)
        for index, line in enumerate(text.splitlines()):
            run = docx_font(paragraph.add_run(), size=size or Pt(12))
            if index:
                run.add_break()
            run.add_text(line)


def docx_bytes(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def split_paragraphs(text: str) -> list[str]:
    """A text area's paragraphs: separated by blank lines, each stripped, none empty."""
    return [p.strip() for p in re.split(r"\n\s*\n|\r\n\s*\r\n", text or "") if p.strip()]
