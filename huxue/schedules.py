"""The periodic jobs' names in the back office. Each app's data migration creates its
django-celery-beat entries under an English name (a stable msgid), and names the task in its
registry.py (`periodic_tasks`); after every migrate they are given their Chinese names and descriptions from the catalogue. An entry an administrator
has renamed or described himself is left as he wrote it."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from core import registry

# The base's own tasks; every app names its tasks in its registry.py (`periodic_tasks`).
# task: (name as the migration wrote it, description as the migration wrote it or None)
CORE_TASKS = {
    "core.deliver_outbox": (_("Deliver the outbox"), None),
    "core.purge_outbox": (_("Purge the delivered outbox"), None),
}


def periodic_tasks() -> dict:
    return {**CORE_TASKS, **registry.periodic_tasks()}


def sync_periodic_task_names(**kwargs) -> None:
    """Give the entries still under their migration's English name and description their
    Chinese ones (post_migrate; safe to run any number of times)."""
    from django_celery_beat.models import PeriodicTask

    with translation.override(settings.LANGUAGE_CODE):
        for task, (name, description) in periodic_tasks().items():
            original_name = _original(name)
            for entry in PeriodicTask.objects.filter(task=task, name=original_name):
                if PeriodicTask.objects.filter(name=str(name)).exclude(pk=entry.pk).exists():
                    continue  # the Chinese name is taken: leave this one be
                entry.name = str(name)
                if description is not None and entry.description == _original(description):
                    entry.description = str(description)
                entry.save()


def _original(lazy) -> str:
    """A lazy string's msgid: what the migration wrote."""
    with translation.override(None):
        return str(lazy)
