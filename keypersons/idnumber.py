"""Resident ID numbers (GB 11643-1999): 18 characters, the area code (6 digits), the birth
date (8), a sequence number (3, odd for men, even for women) and a check digit (ISO 7064
MOD 11-2; 10 is written X). The register checks each part and names what is wrong; the birth
date and sex are read from the number, never typed twice."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARACTERS = "10X98765432"
MASK = "*"


@dataclass(frozen=True)
class IdNumber:
    number: str  # normalised: 18 characters, a final x in upper case
    birth_date: datetime.date
    sex: str  # "m" or "f"


def normalise(value: str) -> str:
    """Spaces dropped, a final x written X."""
    return "".join(str(value or "").split()).upper()


def check_character(first17: str) -> str:
    """The check character of the first 17 digits."""
    return CHECK_CHARACTERS[sum(int(d) * w for d, w in zip(first17, WEIGHTS)) % 11]


def with_check_character(first17: str) -> str:
    """A whole number from its first 17 digits (the demo's and the tests' invented numbers)."""
    return first17 + check_character(first17)


def parse(value: str, *, today: datetime.date | None = None, field: str = "id_number") -> IdNumber:
    """The number checked, with its birth date and sex; a ValidationError on `field` saying
    which rule it breaks."""
    number = normalise(value)
    if not number:
        raise ValidationError({field: [_("Give the ID number.")]})
    if len(number) != 18:
        raise ValidationError({field: [_("An ID number has 18 characters; this has %(n)d.") % {"n": len(number)}]})
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise ValidationError({field: [_("An ID number is 17 digits and a last digit or X.")]})
    try:
        birth = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError({field: [_("Characters 7 to 14 are not a real birth date.")]}) from None
    today = today or datetime.date.today()
    if birth > today or birth.year < 1900:
        raise ValidationError({field: [_("The birth date in the number (%(date)s) cannot be right.") % {
            "date": birth.isoformat()}]})
    if check_character(number[:17]) != number[17]:
        raise ValidationError({field: [_("The check digit is wrong: the number is mistyped.")]})
    return IdNumber(number=number, birth_date=birth, sex="m" if int(number[16]) % 2 else "f")


def mask(number: str) -> str:
    """510903********1234: the area code and the last four characters, the rest starred."""
    text = normalise(number)
    if len(text) <= 10:
        return MASK * len(text)
    return text[:6] + MASK * (len(text) - 10) + text[-4:]
