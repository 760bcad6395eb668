from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import DetailUrlMixin
from core.validation import end_before_start_errors, require_end_after_start
from org.models import STANDARD_STAFFING, PersonKind, Unit, UnitKind, phone_validator
from org.scope import GlobalQuerySet, ScopedQuerySet

LAT_VALIDATORS = [MinValueValidator(Decimal("-90")), MaxValueValidator(Decimal("90"))]
LNG_VALIDATORS = [MinValueValidator(Decimal("-180")), MaxValueValidator(Decimal("180"))]
ISO_WEEKDAYS = range(1, 8)
WEEKDAY_LABELS = {
    1: _("Mon"), 2: _("Tue"), 3: _("Wed"), 4: _("Thu"), 5: _("Fri"), 6: _("Sat"), 7: _("Sun"),
}


class SchoolKind(models.TextChoices):
    KINDERGARTEN = "kindergarten", _("Kindergarten")
    PRIMARY = "primary", _("Primary school")
    JUNIOR = "junior", _("Junior high school")
    SENIOR = "senior", _("Senior high school")
    NINE_YEAR = "nine_year", _("Nine-year school")
    VOCATIONAL = "vocational", _("Vocational school")


class Period(models.TextChoices):
    AM = "am", _("Morning")
    PM = "pm", _("Afternoon")


def station_choices():
    return {"kind__in": [UnitKind.STATION, UnitKind.TEAM]}


class School(DetailUrlMixin, models.Model):
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=SchoolKind.choices)
    station = models.ForeignKey(
        Unit, verbose_name=_("police station"), on_delete=models.PROTECT,
        related_name="schools", limit_choices_to=station_choices,
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    lat = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=LAT_VALIDATORS,
    )
    lng = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=LNG_VALIDATORS,
    )
    pupils = models.PositiveIntegerField(_("pupils"), default=0)
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(
        _("contact phone"), max_length=32, blank=True, validators=[phone_validator]
    )
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_path = "station"

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        ordering = ["station_id", "name"]
        indexes = [models.Index(fields=["station", "kind"]), models.Index(fields=["name"])]
        constraints = [
            models.UniqueConstraint(
                fields=["station", "name"], name="school_name_unique_per_station",
                violation_error_message=_("This station already has a school with this name."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


def _staffing_field(kind: PersonKind) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        _("required %(kind)s") % {"kind": kind.label},
        default=STANDARD_STAFFING[kind],
        validators=[MaxValueValidator(50)],
    )


class PostQuerySet(ScopedQuerySet):
    def active(self):
        return self.filter(active=True)


class Post(DetailUrlMixin, models.Model):
    """A duty point at a school gate, with how many people of each kind it needs.

    The staffing requirement is one column per kind: the six kinds are fixed by the report's
    "1+1+1+2+2+4" standard, and columns keep it readable in one row without joins."""

    school = models.ForeignKey(
        School, verbose_name=_("school"), on_delete=models.PROTECT, related_name="posts"
    )
    name = models.CharField(_("name"), max_length=100)
    station = models.ForeignKey(
        Unit, verbose_name=_("police station"), on_delete=models.PROTECT,
        related_name="posts", limit_choices_to=station_choices,
    )
    lat = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=LAT_VALIDATORS,
    )
    lng = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=LNG_VALIDATORS,
    )
    radius_m = models.PositiveIntegerField(
        _("geofence radius (m)"), default=150,
        validators=[MinValueValidator(10), MaxValueValidator(5000)],
    )
    lead_minutes = models.PositiveSmallIntegerField(
        _("lead time (minutes)"), default=15, validators=[MaxValueValidator(120)]
    )
    active = models.BooleanField(_("active"), default=True)
    need_police = _staffing_field(PersonKind.POLICE)
    need_auxiliary = _staffing_field(PersonKind.AUXILIARY)
    need_school_security = _staffing_field(PersonKind.SCHOOL_SECURITY)
    need_guard = _staffing_field(PersonKind.GUARD)
    need_staff = _staffing_field(PersonKind.STAFF)
    need_volunteer = _staffing_field(PersonKind.VOLUNTEER)
    history = HistoricalRecords()

    objects = PostQuerySet.as_manager()
    scope_path = "station"

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["station_id", "school__name", "name"]
        indexes = [
            models.Index(fields=["station", "active"]),
            models.Index(fields=["school", "active"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "name"], name="post_name_unique_per_school",
                violation_error_message=_("This school already has a post with this name."),
            ),
        ]

    def __str__(self) -> str:
        return Post.label(self.school.name, self.name) if self.school_id else self.name

    @staticmethod
    def label(school_name: str, post_name: str) -> str:
        """How a post is named everywhere: "圣莲岛小学·正门护学岗"."""
        return f"{school_name}·{post_name}"

    @property
    def staffing(self) -> dict[str, int]:
        return {kind.value: getattr(self, f"need_{kind.value}") for kind in PersonKind}

    @staffing.setter
    def staffing(self, value: dict[str, int]) -> None:
        for kind, count in value.items():
            setattr(self, f"need_{kind}", count)

    @property
    def required_total(self) -> int:
        return sum(self.staffing.values())

    @property
    def location(self) -> tuple[float, float] | None:
        """Where check-ins are measured from: the post's own point, else the school's."""
        if self.lat is not None and self.lng is not None:
            return float(self.lat), float(self.lng)
        if self.school_id and self.school.lat is not None and self.school.lng is not None:
            return float(self.school.lat), float(self.school.lng)
        return None


class Term(DetailUrlMixin, models.Model):
    """A school term; no shifts outside one. No school means it applies to every school."""

    school = models.ForeignKey(
        School, verbose_name=_("school"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="terms", help_text=_("Leave empty for a term of every school."),
    )
    name = models.CharField(_("name"), max_length=100)
    start = models.DateField(_("start date"))
    end = models.DateField(_("end date"))
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_path = "school__station"
    scope_null = "school"

    class Meta:
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        ordering = ["-start", "school_id"]
        indexes = [models.Index(fields=["start", "end"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=F("start")), name="term_ends_after_start",
                violation_error_message=_("A term cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        require_end_after_start(
            start=self.start, end=self.end, end_field="end", message=_("A term cannot end before it starts.")
        )
        if self.start and self.end and (self.end - self.start).days > 200:
            raise ValidationError({"end": _("A term lasts at most 200 days.")})
        if self.start and self.end:
            overlapping = Term.objects.filter(
                school=self.school, start__lte=self.end, end__gte=self.start
            ).exclude(pk=self.pk)
            if overlapping.exists():
                raise ValidationError(
                    {"start": _("This term overlaps %(term)s.") % {"term": overlapping.first()}}
                )


class CalendarOverride(DetailUrlMixin, models.Model):
    """A one-off change of the calendar: an exam day, sports day or closure (no school), or a
    school day where the calendar says none (a Saturday make-up class). No school means every
    school."""

    school = models.ForeignKey(
        School, verbose_name=_("school"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="calendar_overrides", help_text=_("Leave empty for every school."),
    )
    date = models.DateField(_("date"))
    is_school_day = models.BooleanField(_("school day"))
    reason = models.CharField(_("reason"), max_length=200)
    follows_weekday = models.PositiveSmallIntegerField(
        _("follows the timetable of"), null=True, blank=True,
        choices=[(d, label) for d, label in WEEKDAY_LABELS.items()],
        help_text=_("For a school day on a weekend: whose weekday's timetable applies (Monday if empty)."),
    )
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_path = "school__station"
    scope_null = "school"

    class Meta:
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")
        ordering = ["-date"]
        indexes = [models.Index(fields=["date"])]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "date"], condition=Q(school__isnull=False),
                name="override_unique_per_school_date",
                violation_error_message=_("This school already has an override on this date."),
            ),
            models.UniqueConstraint(
                fields=["date"], condition=Q(school__isnull=True),
                name="override_unique_district_date",
                violation_error_message=_("There already is a district-wide override on this date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.reason}"


def weekdays_to_mask(days) -> int:
    mask = 0
    for day in days:
        mask |= 1 << int(day)
    return mask


def mask_to_weekdays(mask: int) -> list[int]:
    return [day for day in ISO_WEEKDAYS if mask & (1 << day)]


class Timetable(DetailUrlMixin, models.Model):
    """A school's arrival (am) or dismissal (pm) window on some weekdays, valid for a date
    range (summer and winter timetables are two rows)."""

    school = models.ForeignKey(
        School, verbose_name=_("school"), on_delete=models.CASCADE, related_name="timetables"
    )
    period = models.CharField(_("period"), max_length=2, choices=Period.choices)
    # A bit mask: bit n set means ISO weekday n (1 = Monday); portable to SQLite, unlike
    # an array, and one AND answers "does this row apply on a Wednesday".
    weekdays = models.PositiveSmallIntegerField(_("weekdays"), default=weekdays_to_mask(range(1, 6)))
    start = models.TimeField(_("start time"))
    end = models.TimeField(_("end time"))
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_path = "school__station"

    class Meta:
        verbose_name = _("timetable")
        verbose_name_plural = _("timetables")
        ordering = ["school_id", "period", "valid_from"]
        indexes = [models.Index(fields=["school", "period", "valid_from"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="timetable_ends_after_start",
                violation_error_message=_("A timetable window must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="timetable_valid_range",
                violation_error_message=_("A timetable cannot stop being valid before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(weekdays__gt=0) & Q(weekdays__lt=256),
                name="timetable_weekdays_mask",
                violation_error_message=_("Choose at least one weekday."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school} {self.get_period_display()} {self.start:%H:%M}-{self.end:%H:%M}"

    @property
    def weekday_list(self) -> list[int]:
        return mask_to_weekdays(self.weekdays)

    def applies_on(self, iso_weekday: int) -> bool:
        return bool(self.weekdays & (1 << iso_weekday))

    def weekdays_display(self) -> str:
        return "、".join(str(WEEKDAY_LABELS[d]) for d in self.weekday_list)

    def clean(self):
        errors = {}
        if self.start and self.end:
            errors.update(end_before_start_errors(
                start=self.start, end=self.end, end_field="end", allow_equal=False,
                message=_("The window must end after it starts (%(start)s).") % {"start": self.start.strftime("%H:%M")},
            ))
        errors.update(end_before_start_errors(
            start=self.valid_from, end=self.valid_to, end_field="valid_to",
            message=_("A timetable cannot stop being valid before it starts."),
        ))
        if not self.weekdays or self.weekdays & 1 or self.weekdays >= 256:
            errors["weekdays"] = _("Choose at least one weekday (1 = Monday … 7 = Sunday).")
        if errors:
            raise ValidationError(errors)
        if self.school_id and self.period and self.valid_from:
            others = Timetable.objects.filter(school_id=self.school_id, period=self.period).exclude(
                pk=self.pk
            )
            for other in others:
                days = set(self.weekday_list) & set(other.weekday_list)
                dates_overlap = (other.valid_to is None or other.valid_to >= self.valid_from) and (
                    self.valid_to is None or self.valid_to >= other.valid_from
                )
                if days and dates_overlap:
                    raise ValidationError(
                        {
                            "weekdays": _(
                                "Overlaps the %(period)s timetable valid from %(from)s on "
                                "%(days)s; one school and period can have one window a day."
                            )
                            % {
                                "period": other.get_period_display(),
                                "from": other.valid_from,
                                "days": "、".join(str(WEEKDAY_LABELS[d]) for d in sorted(days)),
                            }
                        }
                    )


class HolidayYear(models.Model):
    """A year whose public holidays and make-up working days are known (loaded from the
    chinesecalendar package, or entered by an admin once the State Council publishes them).
    A date in a year without a row here is decided by the weekday rule alone: a guess."""

    class Source(models.TextChoices):
        PACKAGE = "package", _("chinesecalendar package")
        MANUAL = "manual", _("Entered by an administrator")

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords()

    objects = GlobalQuerySet.as_manager()

    class Meta:
        verbose_name = _("holiday year")
        verbose_name_plural = _("holiday years")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)


class Holiday(DetailUrlMixin, models.Model):
    """One day that differs from the weekday rule: a public holiday (off) or a make-up
    working day (调休上班日, on) that falls on a weekend."""

    class Kind(models.TextChoices):
        OFF = "off", _("Day off")
        WORKDAY = "workday", _("Make-up working day")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=50, blank=True)
    year = models.ForeignKey(
        HolidayYear, verbose_name=_("year"), on_delete=models.CASCADE, related_name="days"
    )
    history = HistoricalRecords()

    objects = GlobalQuerySet.as_manager()

    class Meta:
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name}".strip()

    def clean(self):
        if self.date and self.year_id and self.date.year != self.year_id:
            raise ValidationError({"date": _("The date is not in %(year)s.") % {"year": self.year_id}})
