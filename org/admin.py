from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from org.models import Person, Role, User, Unit
from org.roles import role_group_label
from org.services import user_set_role

admin.site.unregister(Group)


@admin.register(Group)
class RoleGroupAdmin(GroupAdmin):
    """The role groups under their Chinese names. A role's group keeps its code as its name
    (user_set_role finds it by that), so the name cannot be changed and the group cannot be
    deleted here; its permissions are org.roles' and come back on every migrate."""

    list_display = ["role_label", "name"]

    @admin.display(description=_("role"), ordering="name")
    def role_label(self, group: Group) -> str:
        return role_group_label(group.name)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "name"] if obj is not None and obj.name in Role.values else fields

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.name in Role.values:
            return False
        return super().has_delete_permission(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        group = self.get_object(request, object_id)
        if group is not None:
            extra_context = {**(extra_context or {}), "subtitle": role_group_label(group.name)}
        return super().change_view(request, object_id, form_url, extra_context)


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

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == "groups":
            field.label_from_instance = lambda group: f"{role_group_label(group.name)}（{group.name}）"
        return field

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
