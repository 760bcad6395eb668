from django.contrib import admin

from audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The trail, read only: no one adds, changes or deletes a row here."""

    list_display = ["seq", "time", "username", "unit_name", "ip", "action", "object_type", "object_text", "result"]
    list_filter = ["action", "result", "object_type"]
    search_fields = ["username", "object_text", "object_id", "ip"]
    date_hierarchy = "time"
    actions = None

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
