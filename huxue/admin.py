"""The back office's third-party sections in Chinese: the periodic jobs (django-celery-beat,
whose own catalogue leaves a column and a filter in English) and the login lockout
(django-axes, which has no Chinese catalogue: its strings are in ours, and its section's
name is huxue.apps.AxesConfig's)."""

from axes.admin import AccessAttemptAdmin as AxesAccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from django_celery_beat.admin import PeriodicTaskAdmin as BeatPeriodicTaskAdmin
from django_celery_beat.models import PeriodicTask


class TaskFilter(admin.SimpleListFilter):
    """The list filter by task, under a Chinese title (the model's field has an untranslated
    verbose name)."""

    title = _("task")
    parameter_name = "task"

    def lookups(self, request, model_admin):
        tasks = PeriodicTask.objects.order_by("task").values_list("task", flat=True).distinct()
        return [(task, task) for task in tasks]

    def queryset(self, request, queryset):
        return queryset.filter(task=self.value()) if self.value() else queryset


admin.site.unregister(PeriodicTask)


@admin.register(PeriodicTask)
class PeriodicTaskAdmin(BeatPeriodicTaskAdmin):
    list_display = ("name", "enabled", "schedule", "interval", "start_time", "last_run_at", "one_off")
    list_filter = ["enabled", "one_off", TaskFilter, "start_time", "last_run_at"]

    @admin.display(description=_("schedule"))
    def schedule(self, task: PeriodicTask):
        return task.scheduler


admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class AccessAttemptAdmin(AxesAccessAttemptAdmin):
    """axes' list with its lockout column under a Chinese title (axes gives it none)."""

    list_display = [
        "lockout_status" if column == "status" else column for column in AxesAccessAttemptAdmin.list_display
    ]

    @admin.display(description=_("status"))
    def lockout_status(self, attempt: AccessAttempt) -> str:
        return self.status(attempt)


# Django's admin has no Chinese yet for the hidden headings of its side menu.
ADMIN_STRINGS = (gettext_noop("Model name"), gettext_noop("Add link"), gettext_noop("Change or view list link"))

# django-axes's own strings (its models' and admin's), which it has no Chinese for: named here
# so that `make messages` keeps their translations in our catalogue.
AXES_STRINGS = (
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
    gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"),
    gettext_noop("Access Attempt"),
    gettext_noop("User Agent"),
    gettext_noop("IP Address"),
    gettext_noop("HTTP Accept"),
    gettext_noop("Path"),
    gettext_noop("Attempt Time"),
    gettext_noop("Access lock out"),
    gettext_noop("GET Data"),
    gettext_noop("POST Data"),
    gettext_noop("Failed Logins"),
    gettext_noop("Expires At"),
    gettext_noop("The time when access attempt expires and is no longer valid."),
    gettext_noop("Logout Time"),
    gettext_noop("Session key hash (sha256)"),
    gettext_noop("Locked Out"),
    gettext_noop("Form Data"),
    gettext_noop("Meta Data"),
    gettext_noop("Clean up expired attempts"),
    gettext_noop("Not set"),
    gettext_noop("Attempt Remaining"),
)
