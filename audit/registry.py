"""What the audit trail brings to the whole system (core/registry.py): its search page for
the audit administrator, who alone reads it."""

from core.registry import AppEntry

# The role's code (org.models.Role.AUDITOR): audit sits below org and does not import it.
AUDITOR = "auditor"

entry = AppEntry(
    label="audit",
    role_permissions={AUDITOR: ["audit.view_auditevent"]},
)
