from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import DetailUrlMixin
from core.validation import end_before_start_errors, require_end_after_start
from org.models import Person, PersonKind, Role, Unit
from org.scope import ScopedQuerySet
from posts.models import WEEKDAY_LABELS, Period, Post, mask_to_weekdays, weekdays_to_mask


class ShiftStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled")


class ShiftQuerySet(ScopedQuerySet):
    def scheduled(self):
        return self.filter(status=ShiftStatus.SCHEDULED)

    def visible_to(self, user):
        """Officers see published shifts only; everyone else sees drafts too."""
        queryset = super().visible_to(user)
        if getattr(user, "role", "") == "officer" and not user.is_superuser:
            queryset = queryset.filter(published=True)
        return queryset


class Shift(DetailUrlMixin, models.Model):
    """One post, one school day, one period: the window people stand the post.

    Generated from the school's timetable (see duty.services.generation); `station` is
    copied from the post so scope and the roster board filter without a join."""

    post = models.ForeignKey(Post, verbose_name=_("post"), on_delete=models.PROTECT, related_name="shifts")
    station = models.ForeignKey(
        Unit, verbose_name=_("police station"), on_delete=models.PROTECT, related_name="shifts"
    )
    date = models.DateField(_("date"))
    period = models.CharField(_("period"), max_length=2, choices=Period.choices)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    status = models.CharField(
        _("status"), max_length=16, choices=ShiftStatus.choices, default=ShiftStatus.SCHEDULED
    )
    published = models.BooleanField(_("published"), default=False)
    calendar_guess = models.BooleanField(
        _("calendar is a guess"), default=False,
        help_text=_("The year's public holidays were not known when the shift was generated."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ShiftQuerySet.as_manager()
    scope_path = "station"

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        ordering = ["date", "period", "post_id"]
        indexes = [
            models.Index(fields=["station", "date", "period"]),
            models.Index(fields=["date", "period", "status"]),
            models.Index(fields=["starts_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "date", "period"], name="shift_unique_post_date_period",
                violation_error_message=_("This post already has a shift in this period."),
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="shift_ends_after_start",
                violation_error_message=_("A shift must end after it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.post} {self.date} {self.get_period_display()}"

    @property
    def has_started(self) -> bool:
        return self.starts_at <= timezone.now()

    @property
    def window_display(self) -> str:
        start = timezone.localtime(self.starts_at)
        end = timezone.localtime(self.ends_at)
        return f"{start:%H:%M}-{end:%H:%M}"


class AttendanceStatus(models.TextChoices):
    PENDING = "pending", _("Not yet decided")
    ON_TIME = "on_time", _("On time")
    LATE = "late", _("Late")
    ABSENT = "absent", _("Absent")
    LEFT_EARLY = "left_early", _("Left early")
    EXCUSED = "excused", _("Excused")


class AssignmentSource(models.TextChoices):
    MANUAL = "manual", _("Assigned by hand")
    STANDING = "standing", _("Standing assignment")
    COPIED = "copied", _("Copied from last week")


def sees_everyones_attendance(user) -> bool:
    """Whether the user reads every assignment of his scope with its check-in and check-out
    (dispatchers, supervisors and HQ, who watch attendance; what an administrator may open
    is up to his permissions). An officer sees his own attendance only."""
    return user.is_authenticated and (user.is_superuser or getattr(user, "role", "") != Role.OFFICER)


class AssignmentQuerySet(ScopedQuerySet):
    """Who sees which assignments, for the API and the pages alike.

    Those who watch attendance see every assignment of their scope, drafts included. An
    officer sees, on published shifts only, his own assignments and, on the shifts he
    stands, who stands with him; nobody else's. On a colleague's row he sees who, not when:
    `Assignment.attendance_visible_to` hides the check-in and check-out."""

    def active(self):
        return self.filter(active=True)

    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if sees_everyones_attendance(user):
            return super().visible_to(user)
        his_shifts = self.model.objects.filter(person__user=user).values("shift_id")
        return self.filter(shift__published=True).filter(Q(person__user=user) | Q(shift_id__in=his_shifts))

    def attendable_by(self, user):
        """What a user may check in or out at: what he sees, and his own assignments on
        published shifts wherever they are (an HQ team's officer standing a station's post)."""
        return self.visible_to(user) | self.filter(person__user=user, shift__published=True)


class Assignment(DetailUrlMixin, models.Model):
    """One person on one shift.

    `starts_at`/`ends_at` repeat the shift's window so that the database itself can refuse a
    person on two overlapping shifts (an exclusion constraint on PostgreSQL, added by
    migration duty 0002); services keep them equal to the shift's. `active` is false while
    the shift is cancelled, so a cancelled shift blocks nobody."""

    shift = models.ForeignKey(Shift, verbose_name=_("shift"), on_delete=models.CASCADE, related_name="assignments")
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="assignments"
    )
    station = models.ForeignKey(
        Unit, verbose_name=_("police station"), on_delete=models.PROTECT, related_name="+"
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    active = models.BooleanField(_("active"), default=True)
    source = models.CharField(_("source"), max_length=16, choices=AssignmentSource.choices,
                              default=AssignmentSource.MANUAL)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assigned by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("checked out at"), null=True, blank=True)
    check_out_distance_m = models.PositiveIntegerField(_("distance at check-out (m)"), null=True, blank=True)
    attendance = models.CharField(_("attendance"), max_length=12, choices=AttendanceStatus.choices,
                                  default=AttendanceStatus.PENDING)
    excuse_reason = models.CharField(_("excuse"), max_length=200, blank=True)
    excused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("excused by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    closed_at = models.DateTimeField(_("attendance closed at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    history = HistoricalRecords()

    objects = AssignmentQuerySet.as_manager()
    scope_path = "station"

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["shift__date", "shift__period", "person__kind", "person__name"]
        indexes = [
            models.Index(fields=["person", "starts_at"]),
            models.Index(fields=["station", "starts_at"]),
            models.Index(fields=["attendance", "ends_at"]),
            models.Index(fields=["closed_at", "ends_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(attendance="excused") | ~Q(excuse_reason=""), name="assignment_excuse_has_reason",
                violation_error_message=_("An excused absence needs a reason."),
            ),
            models.UniqueConstraint(
                fields=["shift", "person"], name="assignment_unique_person_per_shift",
                violation_error_message=_("This person is already on this shift."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person.name} @ {self.shift}"

    def attendance_visible_to(self, user) -> bool:
        """Whether the user may see when this person checked in and out: his own, or
        anyone's for those who watch attendance (see AssignmentQuerySet)."""
        return sees_everyones_attendance(user) or (user.is_authenticated and self.person.user_id == user.pk)


# Who counts in the person-times deployed (出动警力人次): police and auxiliaries.
DEPLOYED_KINDS = (PersonKind.POLICE, PersonKind.AUXILIARY)


class DayTally(models.Model):
    """A closed day's duty at one station, counted once (duty.tallies): the person-times
    deployed and the attendance of its assignments, so figures over a term add up a row per
    station and day instead of counting millions of assignments. Only days in TalliedDay
    have rows, and a change to such a day's assignments counts its rows again in the same
    transaction; `manage.py tally_days --check` compares every row with a fresh count."""

    date = models.DateField(_("date"))
    station = models.ForeignKey(Unit, verbose_name=_("police station"), on_delete=models.CASCADE, related_name="+")
    stood = models.PositiveIntegerField(_("person-times deployed"), default=0)
    assigned = models.PositiveIntegerField(_("assigned"), default=0)
    on_time = models.PositiveIntegerField(_("on time"), default=0)
    late = models.PositiveIntegerField(_("late"), default=0)
    absent = models.PositiveIntegerField(_("absent"), default=0)
    left_early = models.PositiveIntegerField(_("left early"), default=0)

    class Meta:
        verbose_name = _("day tally")
        verbose_name_plural = _("day tallies")
        constraints = [
            models.UniqueConstraint(fields=["date", "station"], name="daytally_one_per_station_day"),
            models.CheckConstraint(
                condition=Q(on_time__lte=F("assigned")) & Q(late__lte=F("assigned")) & Q(absent__lte=F("assigned"))
                & Q(left_early__lte=F("assigned")),
                name="daytally_parts_within_assigned",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.station_id} {self.date}"


class TalliedDay(models.Model):
    """A day whose duty is kept in DayTally: every shift of it has ended and been closed."""

    date = models.DateField(_("date"), primary_key=True)
    tallied_at = models.DateTimeField(_("tallied at"))

    class Meta:
        verbose_name = _("tallied day")
        verbose_name_plural = _("tallied days")
        ordering = ["date"]

    def __str__(self) -> str:
        return str(self.date)


class StandingAssignment(DetailUrlMixin, models.Model):
    """A person at a post on chosen weekdays and periods for a date range; generation puts
    the person on the shifts it creates that match."""

    class Periods(models.TextChoices):
        AM = "am", _("Morning")
        PM = "pm", _("Afternoon")
        BOTH = "both", _("Morning and afternoon")

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE,
                               related_name="standing_assignments")
    post = models.ForeignKey(Post, verbose_name=_("post"), on_delete=models.CASCADE,
                             related_name="standing_assignments")
    station = models.ForeignKey(Unit, verbose_name=_("police station"), on_delete=models.PROTECT, related_name="+")
    weekdays = models.PositiveSmallIntegerField(_("weekdays"), default=weekdays_to_mask(range(1, 6)))
    periods = models.CharField(_("periods"), max_length=4, choices=Periods.choices, default=Periods.BOTH)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to"))
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_path = "station"

    class Meta:
        verbose_name = _("standing assignment")
        verbose_name_plural = _("standing assignments")
        ordering = ["post_id", "person_id"]
        indexes = [models.Index(fields=["post", "start_date", "end_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="standing_ends_after_start",
                violation_error_message=_("The range cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person.name} @ {self.post} ({self.get_periods_display()})"

    def applies_to(self, date, period) -> bool:
        return (
            self.start_date <= date <= self.end_date
            and bool(self.weekdays & (1 << date.isoweekday()))
            and self.periods in (period, self.Periods.BOTH)
        )

    def weekdays_display(self) -> str:
        return "、".join(str(WEEKDAY_LABELS[d]) for d in mask_to_weekdays(self.weekdays))

    def clean(self):
        # A standing assignment belongs to its post's station (scope follows the post).
        if self.post_id:
            self.station_id = self.post.station_id
        errors = {}
        errors.update(end_before_start_errors(
            start=self.start_date, end=self.end_date, end_field="end_date",
            message=_("The range cannot end before it starts."),
        ))
        if not self.weekdays or self.weekdays & 1 or self.weekdays >= 256:
            errors["weekdays"] = _("Choose at least one weekday (1 = Monday … 7 = Sunday).")
        if errors:
            raise ValidationError(errors)


class Leave(DetailUrlMixin, models.Model):
    """A person is unavailable (leave, training, sick) for whole days, with a reason."""

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="leaves")
    station = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to"))
    reason = models.CharField(_("reason"), max_length=200)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_path = "station"

    class Meta:
        verbose_name = _("leave")
        verbose_name_plural = _("leave")
        ordering = ["-start_date"]
        indexes = [models.Index(fields=["person", "start_date", "end_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="leave_ends_after_start",
                violation_error_message=_("Leave cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person.name} {self.start_date}~{self.end_date} {self.reason}"

    def clean(self):
        # Leave belongs to the unit that manages the person (scope follows the person).
        if self.person_id:
            self.station_id = self.person.unit_id
        require_end_after_start(
            start=self.start_date, end=self.end_date, end_field="end_date",
            message=_("Leave cannot end before it starts."),
        )
        if not (self.reason or "").strip():
            raise ValidationError({"reason": _("Give the reason.")})


class RosterWeek(models.Model):
    """A station's week of shifts: a draft until the dispatcher publishes it."""

    station = models.ForeignKey(Unit, verbose_name=_("police station"), on_delete=models.CASCADE, related_name="+")
    week_start = models.DateField(_("week of"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("published by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_path = "station"

    class Meta:
        verbose_name = _("roster week")
        verbose_name_plural = _("roster weeks")
        constraints = [
            models.UniqueConstraint(fields=["station", "week_start"], name="roster_week_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.station} {self.week_start}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class Notification(models.Model):
    """An in-app message to a user (a shift assigned, moved, cancelled; a reminder; an
    emergency at a post; a rapid-response pull)."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    shift = models.ForeignKey(Shift, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # The page the message is about (an incident, a drill), when it is not a shift.
    link = models.CharField(_("link"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["recipient", "read_at", "created_at"])]

    def __str__(self) -> str:
        return self.title


class GenerationRun(models.Model):
    """The record of one shift generation: who asked, for what, and what it did."""

    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    created = models.PositiveIntegerField(_("created"), default=0)
    existing = models.PositiveIntegerField(_("unchanged"), default=0)
    retimed = models.PositiveIntegerField(_("re-timed"), default=0)
    cancelled = models.PositiveIntegerField(_("cancelled"), default=0)
    restored = models.PositiveIntegerField(_("restored"), default=0)
    left = models.PositiveIntegerField(_("left alone (started)"), default=0)
    standing_assigned = models.PositiveIntegerField(_("standing assignments applied"), default=0)
    guessed_days = models.PositiveIntegerField(_("days decided by guess"), default=0)

    class Meta:
        verbose_name = _("generation run")
        verbose_name_plural = _("generation runs")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.start}~{self.end} @ {self.started_at:%Y-%m-%d %H:%M}"

