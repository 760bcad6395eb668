from rest_framework import permissions

from core.scope import can_write


class ModelPermissions(permissions.DjangoModelPermissions):
    """Django model permissions for every method, reads included (a role without
    `view_x` gets 403), plus the write rule for district-wide rows."""

    perms_map = {
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "POST": ["%(app_label)s.add_%(model_name)s"],
        "PUT": ["%(app_label)s.change_%(model_name)s"],
        "PATCH": ["%(app_label)s.change_%(model_name)s"],
        "DELETE": ["%(app_label)s.delete_%(model_name)s"],
    }

    def has_object_permission(self, request, view, obj):
        if request.method in permissions.SAFE_METHODS:
            return True
        return can_write(request.user, obj)


class IsAuthenticated(permissions.IsAuthenticated):
    """For endpoints that are not a model (stats, the schema): any signed-in user."""


def HasPerms(*perms: str, on_object: bool = False) -> type[permissions.BasePermission]:
    """A permission class requiring `perms`, for an action that needs more than its HTTP
    method's model permission: `@action(..., permission_classes=[ModelPermissions,
    HasPerms("duty.add_shift")])`. A refusal is DRF's usual 403.

    With `on_object=True` the check waits until the object is found, so another station's
    object still answers 404 before a missing permission answers 403."""

    class _HasPerms(permissions.BasePermission):
        def has_permission(self, request, view):
            return on_object or request.user.has_perms(perms)

        def has_object_permission(self, request, view, obj):
            return not on_object or request.user.has_perms(perms)

    _HasPerms.__name__ = _HasPerms.__qualname__ = f"HasPerms({', '.join(perms)})"
    return _HasPerms
