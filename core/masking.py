"""Masking a number that identifies a person (a mobile number, a badge or certificate number)
for the places that must not show it whole: 13812341234 -> 138****1234. Who sees which
number whole is org/privacy.py's rule; this is only how a masked number looks, kept in core so
the SMS back ends (core/sms.py) mask the numbers they log too."""

from __future__ import annotations

MASK = "*"


def mask_number(value: str | None) -> str:
    """The first three and last four characters of an 11-character mobile number (or of any
    value of 9 characters or more), the rest starred; shorter values keep only their last
    quarter (at most two characters); empty stays empty. The length is kept, so a masked
    number still reads as the kind of number it is."""
    text = str(value or "").strip()
    if not text:
        return ""
    if len(text) >= 9:
        head, tail = 3, 4
    else:
        head, tail = 0, min(2, len(text) // 4)
    return text[:head] + MASK * (len(text) - head - tail) + (text[-tail:] if tail else "")
