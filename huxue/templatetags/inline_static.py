"""`{% inline_css "css/bulletin.css" %}`: a static style sheet's text, for a document that is
not served to a browser (the bulletin's PDF: WeasyPrint renders an HTML string and fetches
nothing). Pages in a browser link the same file, since the Content-Security-Policy refuses
inline styles; so the file stays the one copy of those rules."""

from __future__ import annotations

from django import template
from django.contrib.staticfiles import finders
from django.utils.safestring import mark_safe

register = template.Library()


def _read(path: str) -> str:
    found = finders.find(path)
    if not found:
        raise template.TemplateSyntaxError(f"No static file {path!r}")
    with open(found, encoding="utf-8") as handle:
        return handle.read()


@register.simple_tag
def inline_css(path: str) -> str:
    # Our own files only (the path is written in a template, never taken from a request).
    return mark_safe(_read(path).replace("</", "<\\/"))
