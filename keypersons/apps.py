from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_keepers(sender, **kwargs):
    # After every migrate and every flush (the browser tests), the keepers' group gets its
    # permissions back, as org does for the role groups; its members are the security
    # administrator's choice and are not touched.
    from django.apps import apps

    from keypersons.access import sync_keepers_group

    sync_keepers_group(apps)


class KeyPersonsConfig(AppConfig):
    name = "keypersons"
    verbose_name = _("Key persons")

    def ready(self):
        post_migrate.connect(_sync_keepers, sender=self, dispatch_uid="keypersons.sync_keepers")
