from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles(sender, **kwargs):
    # After every migrate and every flush (tests), the role groups get their permissions
    # back; the data migration alone would leave them empty after a flush.
    from django.apps import apps

    from org.roles import sync_role_groups

    sync_role_groups(apps)


class OrgConfig(AppConfig):
    name = "org"
    verbose_name = _("Units and people")

    def ready(self):
        post_migrate.connect(_sync_roles, sender=self, dispatch_uid="org.sync_roles")
        # A new password, a role or group change, a deactivation or a lockout revokes the
        # account's API tokens, wherever it happens (org/tokens.py).
        from org.tokens import connect_revocation_signals

        connect_revocation_signals()
