from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from audit.services import audit_record

from org.models import Person, Role, User, Unit
from org.otp import otp_reset
from org.roles import role_group_label
from org.services import ROLE_PERMISSION, user_set_role

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

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if "permissions" in form.changed_data:
            audit_record(action="permission_change", request=request, obj=form.instance, detail={
                "permissions": sorted(f"{p.content_type.app_label}.{p.codename}"
                                      for p in form.cleaned_data["permissions"]),
            })

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
    """Accounts, split between two administrators (三权分立): the system administrator
    (org.change_user) keeps an account's name, unit, password and whether it is active; the
    security administrator (ROLE_PERMISSION) alone its role, groups and permissions, through
    user_set_role. Each sees the other's fields read-only; nobody makes a superuser here."""

    list_display = ["username", "last_name", "first_name", "unit", "role", "is_active"]
    list_filter = ["role", "is_active", "unit"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Personal info"), {"fields": ["first_name", "last_name", "email"]}),
        (_("Huxue"), {"fields": ["unit", "role"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        *DjangoUserAdmin.add_fieldsets,
        (_("Huxue"), {"fields": ["unit"]}),
    ]
    ROLE_FIELDS = ["role", "groups", "user_permissions"]
    actions = ["reset_second_factor"]
    ACCOUNT_FIELDS = ["username", "first_name", "last_name", "email", "unit", "is_active"]

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) or request.user.has_perm(ROLE_PERMISSION)

    def has_role_permission(self, request) -> bool:
        return request.user.has_perm(ROLE_PERMISSION)

    @admin.action(description=_("Reset two-factor login (a new authenticator app at the next login)"),
                  permissions=["role"])
    def reset_second_factor(self, request, queryset):
        """The security administrator's (org/otp.py: otp_reset, audited), never on his own account."""
        done = 0
        for user in queryset:
            if user.pk == request.user.pk:
                self.message_user(request, _("You cannot reset your own two-factor login."), messages.ERROR)
                continue
            otp_reset(user=user, by=request.user, request=request)
            done += 1
        if done:
            self.message_user(request, _("Two-factor login reset for %(count)d accounts.") % {"count": done},
                              messages.SUCCESS)

    def get_readonly_fields(self, request, obj=None):
        fields = ["is_staff", "is_superuser", "last_login", "date_joined"]
        if obj is None:
            return fields
        if not request.user.has_perm(ROLE_PERMISSION):
            fields += self.ROLE_FIELDS
        if not request.user.has_perm("org.change_user"):
            fields += self.ACCOUNT_FIELDS
        return fields

    def user_change_password(self, request, id, form_url=""):
        if not request.user.has_perm("org.change_user"):
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == "groups":
            field.label_from_instance = lambda group: f"{role_group_label(group.name)}（{group.name}）"
        return field

    def save_model(self, request, obj, form, change):
        if change and "role" in form.changed_data:
            obj.role = form.initial.get("role", "")  # user_set_role changes it, audited, below
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        user = form.instance
        if not request.user.has_perm(ROLE_PERMISSION):
            return
        role = form.cleaned_data.get("role")
        if role:
            # The role decides the group; keep them in step whatever the form said.
            user_set_role(user=user, role=role, by=request.user, request=request)
        if change and "user_permissions" in form.changed_data:
            audit_record(action="permission_change", request=request, obj=user, detail={
                "permissions": sorted(f"{p.content_type.app_label}.{p.codename}"
                                      for p in form.cleaned_data["user_permissions"]),
            })


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "unit", "school", "badge_no", "active"]
    list_filter = ["kind", "active", "unit"]
    search_fields = ["name", "badge_no", "phone"]
    autocomplete_fields = ["school", "user"]
    list_select_related = ["unit", "school"]
