"""Pages carry no inline event handlers (onclick=, onsubmit=, ...): the shared script
static/js/huxue.js gives the same behaviour to data- attributes (data-huxue-print,
data-huxue-confirm), so the pages can be served under a Content-Security-Policy that refuses
inline script."""

import re
from pathlib import Path

from django.conf import settings

INLINE_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE | re.DOTALL)


def test_no_template_has_an_inline_event_handler():
    offenders = [
        str(path.relative_to(settings.BASE_DIR))
        for path in sorted(Path(settings.BASE_DIR, "templates").rglob("*.html"))
        if INLINE_HANDLER.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
