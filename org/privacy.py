"""Least privilege on people's numbers: who sees a person's mobile, badge and certificate
numbers whole. Everyone else who may read the person sees them masked (138****1234) in
lists, detail pages, Excel exports and API answers. docs/SECURITY.md has the table.

- A dispatcher sees them whole: he calls the people of his station (his scope holds no
  other station's people).
- Anyone sees his own record's numbers whole.
- HQ, supervisors and the administrators see them masked: they read people across the
  bureau to check and count, not to call them.
"""

from __future__ import annotations

# Role codes (org.models.Role): this module is imported by org.models.
NUMBERS_WHOLE_ROLES = frozenset({"dispatcher"})
SENSITIVE_PERSON_FIELDS = ("phone", "badge_no", "certificate_no")


def sees_numbers_whole(user, person) -> bool:
    if user is None or not user.is_authenticated:
        return False
    if person.user_id is not None and person.user_id == user.pk:
        return True
    return getattr(user, "role", "") in NUMBERS_WHOLE_ROLES
