from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from org.models import Person, User, Unit
from org.services import user_set_role


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "parent", "code"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "last_name", "first_name", "unit", "role", "is_active"]
    list_filter = ["role", "is_active", "unit"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (_("Huxue"), {"fields": ["unit", "role"]}),
    ]
    add_fieldsets = [
        *DjangoUserAdmin.add_fieldsets,
        (_("Huxue"), {"fields": ["unit", "role"]}),
    ]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if form.instance.role:
            # The role decides the group; keep them in step whatever the form said.
            user_set_role(user=form.instance, role=form.instance.role)


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "unit", "school", "badge_no", "active"]
    list_filter = ["kind", "active", "unit"]
    search_fields = ["name", "badge_no", "phone"]
    autocomplete_fields = ["school", "user"]
    list_select_related = ["unit", "school"]
