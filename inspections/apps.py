from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _default_checklist(sender, **kwargs):
    # After a flush (tests) the checklist comes back as the migration made it; a database
    # holding any checklist is left as it is.
    from inspections.checklist import create_default_checklist
    from inspections.models import ChecklistItem, ChecklistTemplate

    create_default_checklist(ChecklistTemplate, ChecklistItem)


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = _("Inspections and hazards")

    def ready(self):
        post_migrate.connect(_default_checklist, sender=self, dispatch_uid="inspections.default_checklist")
