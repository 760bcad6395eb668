"""What the audit trail brings to the whole system (core/registry.py): its search page for
the audit administrator, who alone reads it."""

from django.utils.translation import gettext_lazy as _

from core.registry import AppEntry, MenuItem

# The role's code (org.models.Role.AUDITOR): audit sits below org and does not import it.
AUDITOR = "auditor"

entry = AppEntry(
    label="audit",
    urls="audit.urls",
    menu=[
        MenuItem("audit_trail", _("Audit trail"), "audit:auditevent_list", "audit.view_auditevent",
                 roles={AUDITOR: 1}, order=180),
    ],
    role_permissions={AUDITOR: ["audit.view_auditevent"]},
    periodic_tasks={"audit.purge": (_("Purge the old audit trail"), None)},
)
