"""The work briefing (工作总结) as a document: HQ's narrative (or the default) with its
placeholders filled from the period's figures, the good deeds marked for publicity as its
closing examples, laid out once (`compose_briefing`) and rendered as plain text and as Word.

The reads are reports.selectors.briefing's; this module composes and lays out, and
`briefing_export` answers the download (the page's and the API's alike, audited). The Word
file follows GB/T 9704 (党政机关公文格式): A4, margins 3.7/3.5/2.8/2.6 cm, the title in
方正小标宋简体 二号 centred, the parts' headings in 黑体 三号, the text in 仿宋_GB2312 三号
indented by two characters, the "一是…" lead-ins in 楷体_GB2312, 22 lines a page, the page
number at the foot, the unit and date at the end."""

from __future__ import annotations

import datetime
import re

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from audit.models import AuditAction
from audit.services import audit_record
from core.documents import (
    DOCX_CONTENT_TYPE,
    HEADING_FONT,
    attachment,
    chinese_date,
    docx_a4_document,
    docx_bytes,
    docx_font,
    safe_filename,
)
from core.signals import query_filters
from inspections.models import ImprovementKind
from reports.briefing_default import SECTIONS
from reports.selectors.briefing import briefing_content
from reports.selectors.summary import SUMMARY_KEYS, SUMMARY_LABELS

TEXT_CONTENT_TYPE = "text/plain; charset=utf-8"
TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
LEAD_IN_FONT = "楷体_GB2312"
FOOTER_FONT = "宋体"
SIZE_ERHAO = Pt(22)  # 二号
SIZE_SANHAO = Pt(16)  # 三号
SIZE_SIHAO = Pt(14)  # 四号
# 22 lines on the type area of 22.5 cm (GB/T 9704): 28.95 pt each.
LINE_PITCH = Pt(28.95)
INDENT_CHARS = 2
PAGE_MARGINS = {"top_margin": Cm(3.7), "bottom_margin": Cm(3.5), "left_margin": Cm(2.8), "right_margin": Cm(2.6)}

# A placeholder is anything in braces but a line break; one naming nothing known is refused.
PLACEHOLDER = re.compile(r"\{([^{}\n]*)\}")
# The unit and the period's days, beside the figures.
PERIOD_PLACEHOLDERS = {
    "unit": gettext_lazy("Name of the unit"),
    "start": gettext_lazy("First day of the period"),
    "end": gettext_lazy("Last day of the period"),
}
# "一是夯实组织领导。": a sub-point's lead-in, up to its first full stop.
LEAD_IN = re.compile(r"^([一二三四五六七八九十]+是[^。！？\n]{1,40}?。)")


# -- placeholders ------------------------------------------------------------------------------


def figure_placeholders() -> list[str]:
    """The placeholders of the figures, in DESIGN.md's order: each key of stats/summary, the
    improvements one per kind (`improvements.cctv`)."""
    names = []
    for key in SUMMARY_KEYS:
        if key == "improvements":
            names += [f"improvements.{kind}" for kind in ImprovementKind.values]
        else:
            names.append(key)
    return names


def placeholder_names() -> list[str]:
    return [*figure_placeholders(), *PERIOD_PLACEHOLDERS]


def placeholder_labels() -> dict[str, str]:
    return {name: SUMMARY_LABELS.get(name, PERIOD_PLACEHOLDERS.get(name, name)) for name in placeholder_names()}


def unknown_placeholders(text: str, known: set[str] | None = None) -> list[str]:
    known = set(placeholder_names()) if known is None else known
    return list(dict.fromkeys(name for name in PLACEHOLDER.findall(text or "") if name not in known))


def placeholder_errors(fields: dict[str, str]) -> dict[str, list[str]]:
    """For each field whose text names an unknown placeholder, the error naming it."""
    known = set(placeholder_names())
    errors = {}
    for name, text in fields.items():
        unknown = unknown_placeholders(text, known)
        if unknown:
            errors[name] = [_("Unknown placeholder %(placeholders)s: a placeholder names a figure, such as "
                              "{posts} or {improvements.cctv}.") % {
                "placeholders": "、".join(f"{{{item}}}" for item in unknown)}]
    return errors


def placeholder_values(figures: dict, *, unit_name: str, start: datetime.date, end: datetime.date) -> dict[str, str]:
    """What each placeholder prints: the figures as the report writes them (6292, 18000), a
    dict of figures one key per entry (`improvements.cctv`), the unit's name, the days."""
    values: dict[str, str] = {}
    for key, value in figures.items():
        if isinstance(value, dict):
            values.update({f"{key}.{sub}": str(number or 0) for sub, number in value.items()})
        else:
            values[key] = str(value or 0)
    values.update(unit=unit_name, start=chinese_date(start), end=chinese_date(end))
    return values


def fill(text: str, values: dict[str, str]) -> str:
    """The text with each known placeholder replaced; an unknown one is left as typed (the
    model refuses to save one, so only a hand-made row could hold it)."""
    return PLACEHOLDER.sub(lambda match: values.get(match.group(1), match.group(0)), text or "")


def text_paragraphs(text: str) -> list[str]:
    """A field's paragraphs: one a line, blank lines dropped."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


# -- the document ------------------------------------------------------------------------------


def example_sentence(incident) -> str:
    """"6月2日，顺城街幼儿园执勤人员及时控制一辆失控电动三轮车…": the day, the school, and
    the write-up for publicity (or the incident's summary), without its closing stop."""
    text = (incident.publicity_text or incident.summary or "").strip().rstrip("。；;.!！ ")
    if not text:
        return ""
    school = incident.school.name
    if text.startswith(school):
        text = text[len(school):].lstrip("，, ")
    day = timezone.localtime(incident.occurred_at)
    who = "" if text.startswith("执勤") else "执勤人员"
    return f"{day.month}月{day.day}日，{school}{who}{text}"


def compose_briefing(*, narrative: dict[str, str], figures: dict, examples: list, unit_name: str,
                     start: datetime.date, end: datetime.date, today: datetime.date) -> dict:
    """Everything the preview, the text and the Word file show, as text, in reading order:
    the title, the opening, the four parts (numeral, heading, paragraphs; the examples close
    the last part), the unit and the day written."""
    values = placeholder_values(figures, unit_name=unit_name, start=start, end=end)
    sections = []
    for key, numeral in SECTIONS:
        sections.append({
            "key": key,
            "numeral": numeral,
            "heading": fill(narrative.get(f"{key}_heading", ""), values).strip().rstrip("。"),
            "paragraphs": [fill(p, values) for p in text_paragraphs(narrative.get(key, ""))],
        })
    sentences = [s for s in (example_sentence(incident) for incident in examples) if s]
    if sentences:
        closing = "；".join(sentences) + "。"
        last = sections[-1]["paragraphs"]
        if last:
            last[-1] += closing
        else:
            last.append(closing)
    return {
        "title": fill(narrative.get("title", ""), values).strip(),
        "opening": [fill(p, values) for p in text_paragraphs(narrative.get("opening", ""))],
        "sections": sections,
        "examples": sentences,
        "unit": unit_name,
        "date": chinese_date(today),
        "start": start,
        "end": end,
    }


def briefing_document(content, *, today: datetime.date | None = None) -> dict:
    """The document of a reports.selectors.briefing.BriefingContent, dated `today` (the day
    it is written: today by default)."""
    return compose_briefing(narrative=content.narrative, figures=content.figures, examples=content.examples,
                            unit_name=content.unit.name, start=content.start, end=content.end,
                            today=today or timezone.localdate())


def briefing_export(request, data: dict, extension: str) -> HttpResponse:
    """The briefing of `data`'s period and unit (in the requesting user's scope) as a download,
    `extension` docx or txt, audited as an export: the page's downloads and the API's."""
    content = briefing_content(user=request.user, unit=data["unit"], start=data["start"], end=data["end"])
    doc = briefing_document(content)
    audit_record(action=AuditAction.EXPORT, request=request, detail={
        "list": str(_("Work briefing")), "filters": query_filters(request.GET), "unit": content.unit.pk, "start": content.start.isoformat(),
        "end": content.end.isoformat(), "format": extension, "edited": content.saved is not None})
    if extension == "docx":
        return attachment(render_docx(doc), DOCX_CONTENT_TYPE, briefing_filename(doc, "docx"))
    return attachment(render_text(doc).encode("utf-8"), TEXT_CONTENT_TYPE, briefing_filename(doc, "txt"))


def section_heading(section: dict) -> str:
    return f"{section['numeral']}、{section['heading']}"


def briefing_filename(doc: dict, extension: str) -> str:
    return safe_filename(f"{doc['title'] or _('Work briefing')}-{doc['start']:%Y%m%d}-{doc['end']:%Y%m%d}",
                         extension)


# -- plain text --------------------------------------------------------------------------------


def render_text(doc: dict) -> str:
    """The briefing as plain text: the title, a blank line, the paragraphs one a line (each
    part's heading on its own), a blank line, the unit and the day."""
    lines = [doc["title"], "", *doc["opening"]]
    for section in doc["sections"]:
        lines.append(section_heading(section))
        lines.extend(section["paragraphs"])
    lines += ["", doc["unit"], doc["date"]]
    return "\n".join(lines) + "\n"


# -- Word --------------------------------------------------------------------------------------


def _pitch(paragraph, *, indent: bool = False, align=WD_ALIGN_PARAGRAPH.JUSTIFY):
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE_PITCH
    fmt.space_before = fmt.space_after = Pt(0)
    paragraph.alignment = align
    if indent:
        # Two characters, whatever the font size: Word reads firstLineChars, others firstLine.
        fmt.first_line_indent = Pt(SIZE_SANHAO.pt * INDENT_CHARS)
        paragraph._p.get_or_add_pPr().get_or_add_ind().set(qn("w:firstLineChars"), str(INDENT_CHARS * 100))
    return paragraph


def _body(document, text: str) -> None:
    paragraph = _pitch(document.add_paragraph(), indent=True)
    match = LEAD_IN.match(text)
    if match:
        docx_font(paragraph.add_run(match.group(1)), east_asian=LEAD_IN_FONT, size=SIZE_SANHAO, bold=True)
        text = text[match.end():]
    if text:
        docx_font(paragraph.add_run(text), east_asian=BODY_FONT, size=SIZE_SANHAO)


def _page_number(section) -> None:
    """"— 1 —" centred at the foot of every page, in 宋体 四号."""
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    docx_font(footer.add_run("— "), east_asian=FOOTER_FONT, size=SIZE_SIHAO)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    footer._p.append(field)
    docx_font(footer.add_run(" —"), east_asian=FOOTER_FONT, size=SIZE_SIHAO)


def render_docx(doc: dict) -> bytes:
    document = docx_a4_document()
    for section in document.sections:
        for name, value in PAGE_MARGINS.items():
            setattr(section, name, value)
        _page_number(section)
    normal = document.styles["Normal"]
    normal.font.size = SIZE_SANHAO
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)

    title = _pitch(document.add_paragraph(), align=WD_ALIGN_PARAGRAPH.CENTER)
    title.paragraph_format.line_spacing = Pt(36)
    title.paragraph_format.space_after = Pt(28.95)
    docx_font(title.add_run(doc["title"]), east_asian=TITLE_FONT, size=SIZE_ERHAO)

    for text in doc["opening"]:
        _body(document, text)
    for section in doc["sections"]:
        heading = _pitch(document.add_paragraph(), indent=True)
        heading.paragraph_format.keep_with_next = True
        docx_font(heading.add_run(section_heading(section)), east_asian=HEADING_FONT, size=SIZE_SANHAO)
        for text in section["paragraphs"]:
            _body(document, text)

    # The unit and the day, right-aligned four characters in, after a blank line.
    _pitch(document.add_paragraph())
    for text in (doc["unit"], doc["date"]):
        line = _pitch(document.add_paragraph(), align=WD_ALIGN_PARAGRAPH.RIGHT)
        line.paragraph_format.right_indent = Pt(SIZE_SANHAO.pt * 4)
        docx_font(line.add_run(text), east_asian=BODY_FONT, size=SIZE_SANHAO)
    return docx_bytes(document)
