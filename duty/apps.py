from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


def _person_saved(sender, instance, created, update_fields=None, **kwargs):
    """org sits below duty and does not know the tallies: a person's kind decides whether his
    shifts count in the person-times deployed, so a change to it counts his tallied days
    again (duty.tallies). A new person has no shifts yet."""
    if created or (update_fields is not None and "kind" not in update_fields):
        return
    from duty.tallies import retally_person

    retally_person(instance.pk)


class DutyConfig(AppConfig):
    name = "duty"
    verbose_name = _("Duty")

    def ready(self):
        from org.models import Person

        post_save.connect(_person_saved, sender=Person, dispatch_uid="duty.tallies.person_saved")
