"""The work briefing's narrative (工作总结): HQ's text for one unit and period, kept per
(unit, start, end). Its figures are not typed: the text holds placeholders (`{posts}`,
`{improvements.cctv}`) filled from reports.selectors.summary when the briefing is generated
(reports/briefing.py); a period nobody has edited reads the default (reports/briefing_default.py)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.validation import end_before_start_errors
from org.models import Unit
from org.scope import ScopedQuerySet
from reports.briefing_default import SECTIONS

# The fields HQ writes, in the document's order: the title, the opening paragraph, then each
# part's heading and text.
NARRATIVE_FIELDS: tuple[str, ...] = (
    "title", "opening", *[name for key, _numeral in SECTIONS for name in (f"{key}_heading", key)],
)


class Briefing(models.Model):
    """One unit's briefing for one period, as HQ last saved it."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    title = models.CharField(_("title"), max_length=200)
    opening = models.TextField(_("opening paragraph"), blank=True)
    deployment_heading = models.CharField(_("heading of part one (organisation and deployment)"), max_length=200)
    deployment = models.TextField(_("part one: organisation and deployment"), blank=True)
    duty_heading = models.CharField(_("heading of part two (planning and duty)"), max_length=200)
    duty = models.TextField(_("part two: planning and duty"), blank=True)
    prevention_heading = models.CharField(_("heading of part three (prevention and hazards)"), max_length=200)
    prevention = models.TextField(_("part three: prevention and hazards"), blank=True)
    outreach_heading = models.CharField(_("heading of part four (publicity, training and service)"),
                                        max_length=200)
    outreach = models.TextField(_("part four: publicity, training and service"), blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("last edited by"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(_("last edited at"), auto_now=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_path = "unit"

    class Meta:
        verbose_name = _("work briefing")
        verbose_name_plural = _("work briefings")
        ordering = ["-end", "-start", "unit"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "start", "end"], name="briefing_unique_per_unit_and_period",
                violation_error_message=_("This unit already has a briefing for this period."),
            ),
            models.CheckConstraint(
                condition=Q(end__gte=F("start")), name="briefing_period_valid",
                violation_error_message=_("The period cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.start:%Y-%m-%d}~{self.end:%Y-%m-%d}"

    def clean(self):
        """The period in order, and every placeholder of the text naming a figure (or the
        unit or a day of the period): an unknown one is an error on its field, naming it."""
        from reports.briefing import placeholder_errors

        errors = {
            **end_before_start_errors(start=self.start, end=self.end, end_field="end"),
            **placeholder_errors({name: getattr(self, name) for name in NARRATIVE_FIELDS}),
        }
        if errors:
            raise ValidationError(errors)

    def narrative(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in NARRATIVE_FIELDS}
