"""Validators of the values people type about people and places."""

from django.core.validators import RegexValidator
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _


@deconstructible(path="org.validators.PhoneNumberValidator")
class PhoneNumberValidator(RegexValidator):
    """A mainland mobile number (11 digits, 13x to 19x) or a landline with its area code
    (0 and 2 or 3 digits, then 7 or 8 digits, a hyphen between them if wanted), and after a
    landline an optional extension (-801, 转801 or #801). A number without its area code is
    refused: the system serves a whole district, and a duty note is read far from the desk."""

    regex = r"^(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(?:(?:-|转|#)\d{1,6})?)$"
    message = _(
        "Enter a mobile number (11 digits starting with 13 to 19) or a landline with its area code, "
        "such as 0825-1234567 (an extension may follow: 0825-1234567-801)."
    )
    code = "invalid_phone"


validate_phone = PhoneNumberValidator()
