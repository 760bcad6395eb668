"""The periodic jobs' names in the back office. Each app's data migration creates its
django-celery-beat entries under an English name (a stable msgid); after every migrate they
are given their Chinese names and descriptions from the catalogue. An entry an administrator
has renamed or described himself is left as he wrote it."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

# task: (name as the migration wrote it, description as the migration wrote it or None)
PERIODIC_TASKS = {
    "duty.generate_upcoming": (
        _("Generate the coming shifts (nightly)"),
        _("Generates the next ROSTER_GENERATE_DAYS_AHEAD days for every station, one task per station."),
    ),
    "duty.close_ended_shifts": (
        _("Close ended shifts and mark absences"),
        _("Decides the attendance of shifts that have ended: absent, late, left early."),
    ),
    "duty.send_reminders": (
        _("Remind people before their shift"),
        _("Notifies each assignee REMIND_BEFORE_MINUTES before a published shift, once."),
    ),
    "core.deliver_outbox": (_("Deliver the outbox"), None),
    "core.purge_outbox": (_("Purge the delivered outbox"), None),
    "audit.purge": (_("Purge the old audit trail"), None),
}


def sync_periodic_task_names(**kwargs) -> None:
    """Give the entries still under their migration's English name and description their
    Chinese ones (post_migrate; safe to run any number of times)."""
    from django_celery_beat.models import PeriodicTask

    with translation.override(settings.LANGUAGE_CODE):
        for task, (name, description) in PERIODIC_TASKS.items():
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
