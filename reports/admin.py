from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from reports.models import Briefing


@admin.register(Briefing)
class BriefingAdmin(SimpleHistoryAdmin):
    """The work briefings' texts, one per unit and period (HQ writes them on the briefing page;
    the form here validates the same way: the model's clean() refuses unknown placeholders)."""

    list_display = ["unit", "start", "end", "title", "updated_by", "updated_at"]
    list_filter = ["unit"]
    search_fields = ["title", "unit__name"]
    date_hierarchy = "end"
    list_select_related = ["unit", "updated_by"]
    readonly_fields = ["updated_by", "updated_at"]
