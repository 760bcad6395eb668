from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.models import OutboxMessage
from core.outbox import outbox_retry


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """What waits to leave, what left, and what failed. Rows are written by the services and
    delivered by `core.deliver_outbox`: nobody edits them here; a superuser may ask for a
    fresh series of attempts."""

    list_display = ["id", "kind", "recipient", "created_at", "attempts", "next_attempt_at", "delivered_at",
                    "short_error"]
    list_filter = ["kind", ("delivered_at", admin.EmptyFieldListFilter), "task_name"]
    search_fields = ["task_name", "last_error"]
    date_hierarchy = "created_at"
    actions = ["retry"]
    readonly_fields = ["kind", "payload", "task_name", "task_kwargs", "task_id", "created_at", "attempts",
                       "next_attempt_at", "delivered_at", "last_error"]

    @admin.display(description=_("recipient"))
    def recipient(self, row):
        return row.payload.get("to") or row.payload.get("phone") or row.task_name

    @admin.display(description=_("last error"))
    def short_error(self, row):
        return row.last_error[:120]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_retry_permission(self, request):
        return request.user.is_superuser

    @admin.action(description=_("Try the selected undelivered messages again now"), permissions=["retry"])
    def retry(self, request, queryset):
        count = outbox_retry(ids=queryset.values_list("pk", flat=True))
        self.message_user(
            request, ngettext("%(count)d message will be tried again.", "%(count)d messages will be tried again.",
                              count) % {"count": count}, messages.SUCCESS)
