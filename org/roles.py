"""The five roles and what each may do. A role is a Django group named by its code, holding
the permissions every installed app gives it in its registry.py (`role_permissions`, collected
by core/registry.py; org's own are in org/registry.py). They are (re)synced by
`sync_role_groups`, which migrations call whenever an app adds models, so a fresh database
and an upgraded one end up with the same groups."""

from core import registry
from org.models import Role


def role_group_label(group_name: str) -> str:
    """What the back office calls a role's group: the role's name from the catalogue (派出所内勤).
    The group itself keeps the role's code as its name, which the services look it up by."""
    try:
        return str(Role(group_name).label)
    except ValueError:  # a group someone made by hand
        return group_name


def sync_role_groups(apps, schema_editor=None) -> None:
    """Create each role's group and give it exactly the permissions the apps give the role
    that exist so far. Safe to run any number of times (used as a migration's RunPython)."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        # A migration's historical app configs have no models module, which makes
        # create_permissions skip them; pretend for the call, then put it back.
        original = getattr(app_config, "models_module", None)
        if original is None:
            app_config.models_module = True
        try:
            create_permissions(app_config, apps=apps, verbosity=0)
        finally:
            app_config.models_module = original

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role in Role.values:
        group, _ = Group.objects.get_or_create(name=role)
        wanted = {tuple(perm.split(".")) for perm in registry.role_permissions(role)}
        found = [
            p.pk
            for p in Permission.objects.select_related("content_type")
            if (p.content_type.app_label, p.codename) in wanted
        ]
        group.permissions.set(found)
