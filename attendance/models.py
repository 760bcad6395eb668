from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from duty.models import Assignment


class KitItem(models.TextChoices):
    """The standard kit police and auxiliaries wear on duty (the report's list)."""

    POLICE_KIT = "police_kit", _("Individual police equipment")
    CAP = "cap", _("Cap")
    SHOULDER_LIGHT = "shoulder_light", _("Shoulder light")
    RADIO = "radio", _("Handheld radio")
    BODY_CAMERA = "body_camera", _("Body camera")


class CheckInMethod(models.TextChoices):
    PHONE = "phone", _("Phone at the post")
    RADIO = "radio", _("Radio roll-call (recorded by the dispatcher)")


class CheckIn(models.Model):
    """The evidence of one check-in: where, when, which kit, recorded by whom. One per
    assignment, so a phone that retries on a bad network gets the first one back.

    The times and the decided status are the assignment's own columns (duty's
    Assignment.checked_in_at, checked_out_at, attendance), which the roster reads without
    this app; this row is what only attendance reads. Created in duty (duty 0005), its table
    keeps its first name."""

    assignment = models.OneToOneField(Assignment, verbose_name=_("assignment"), on_delete=models.CASCADE,
                                      related_name="check_in")
    at = models.DateTimeField(_("checked in at"))
    method = models.CharField(_("method"), max_length=8, choices=CheckInMethod.choices, default=CheckInMethod.PHONE)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    lat = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    lng = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    accuracy_m = models.PositiveIntegerField(_("location accuracy (m)"), null=True, blank=True)
    distance_m = models.PositiveIntegerField(_("distance to the post (m)"), null=True, blank=True)
    inside_geofence = models.BooleanField(_("inside the geofence"), null=True)
    outside_reason = models.CharField(_("reason for checking in away from the post"), max_length=200, blank=True)
    kit = models.JSONField(_("kit worn"), default=list, blank=True)
    kit_missing = models.JSONField(_("kit missing"), default=list, blank=True)
    flagged = models.BooleanField(_("flagged"), default=False)

    class Meta:
        db_table = "duty_checkin"
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        indexes = [models.Index(fields=["flagged", "at"])]

    def __str__(self) -> str:
        return f"{self.assignment_id} @ {self.at:%Y-%m-%d %H:%M}"

    def kit_missing_display(self) -> str:
        return "、".join(str(KitItem(item).label) for item in self.kit_missing if item in KitItem.values)
