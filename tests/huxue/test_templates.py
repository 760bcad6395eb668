"""Pages carry no inline script or style, so they can be served under the strict
Content-Security-Policy of huxue/settings.py (no 'unsafe-inline'):

- no inline event handlers (onclick=, onsubmit=, ...): the shared script static/js/huxue.js
  gives the same behaviour to data- attributes (data-huxue-print, data-huxue-confirm);
- no <script> with a body, except JSON data blocks (type="application/json"), which a browser
  never runs;
- no <style> element and no style="" attribute: the rules are in static/css/. The one
  exception is the bulletin's PDF, which WeasyPrint renders from an HTML string: it embeds the
  same static files with {% inline_css %}, and only when rendering for the PDF."""

import re
from pathlib import Path

from django.conf import settings

INLINE_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE | re.DOTALL)
STYLE_ATTRIBUTE = re.compile(r"<[^>]*\sstyle\s*=", re.IGNORECASE | re.DOTALL)
SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.IGNORECASE | re.DOTALL)
STYLE_ELEMENT = re.compile(r"<style\b[^>]*>(.*?)</style>", re.IGNORECASE | re.DOTALL)
# Template comments may name the elements they explain.
COMMENT = re.compile(r"{#.*?#}|{% comment %}.*?{% endcomment %}", re.DOTALL)
PDF_ONLY_STYLE = re.compile(r"^(\s*{% inline_css \"[^\"]+\" %}\s*)+$")


def templates() -> dict[str, str]:
    return {
        str(path.relative_to(settings.BASE_DIR)): COMMENT.sub("", path.read_text(encoding="utf-8"))
        for path in sorted(Path(settings.BASE_DIR, "templates").rglob("*.html"))
    }


def test_no_template_has_an_inline_event_handler():
    assert [name for name, text in templates().items() if INLINE_HANDLER.search(text)] == []


def test_no_template_has_a_style_attribute():
    assert [name for name, text in templates().items() if STYLE_ATTRIBUTE.search(text)] == []


def test_no_template_has_a_script_body_other_than_json_data():
    offenders = [
        name for name, text in templates().items()
        for attributes, body in SCRIPT.findall(text)
        if body.strip() and 'type="application/json"' not in attributes
    ]
    assert offenders == []


def test_no_template_has_a_style_element_but_the_pdf_s_embedded_sheets():
    offenders = [
        name for name, text in templates().items()
        for body in STYLE_ELEMENT.findall(text)
        if not PDF_ONLY_STYLE.match(body)
    ]
    assert offenders == []


def test_the_patterns_catch_what_they_are_for():
    assert STYLE_ATTRIBUTE.search('<div class="x"\n style="width: 1rem">')
    assert SCRIPT.findall("<script>alert(1)</script>") == [("", "alert(1)")]
    assert not PDF_ONLY_STYLE.match("body { color: red }")
    assert PDF_ONLY_STYLE.match('{% inline_css "css/a.css" %}\n{% inline_css "css/b.css" %}')
