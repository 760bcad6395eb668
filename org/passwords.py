"""Password rules for MLPS level 3: length and common-password checks come from Django;
this adds the character-class rule (at least three of lower, upper, digits, symbols)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class CharacterClassValidator:
    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    @staticmethod
    def classes_in(password: str) -> int:
        return sum(
            [
                any(c.islower() for c in password),
                any(c.isupper() for c in password),
                any(c.isdigit() for c in password),
                any(not c.isalnum() for c in password),
            ]
        )

    def validate(self, password, user=None):
        if self.classes_in(password) < self.min_classes:
            raise ValidationError(
                _(
                    "This password must mix at least %(min)d of: lower-case letters, upper-case "
                    "letters, digits and symbols."
                ),
                code="password_too_simple",
                params={"min": self.min_classes},
            )

    def get_help_text(self):
        return _(
            "Your password must mix at least %(min)d of: lower-case letters, upper-case letters, "
            "digits and symbols."
        ) % {"min": self.min_classes}
