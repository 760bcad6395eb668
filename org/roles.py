"""The five roles and what each may do. A role is a Django group named by its code; its
permissions are (re)synced by `sync_role_groups`, which migrations call whenever an app adds
models, so a fresh database and an upgraded one end up with the same groups."""

from org.models import Role

CRUD = ("view", "add", "change", "delete")


def _perms(app_model: str, actions=CRUD) -> list[str]:
    app, model = app_model.split(".")
    return [f"{app}.{action}_{model}" for action in actions]


POSTS_MODELS = ["posts.school", "posts.post", "posts.term", "posts.calendaroverride", "posts.timetable"]
DUTY_ROSTER_MODELS = ["duty.assignment", "duty.standingassignment", "duty.leave"]
DUTY_VIEW = [
    "duty.view_shift", "duty.view_assignment", "duty.view_standingassignment", "duty.view_leave",
    "duty.view_rosterweek", "duty.view_generationrun",
]
CALENDAR_VIEW = ["posts.view_holiday", "posts.view_holidayyear"]
SUPERVISION_VIEW = ["duty.view_checkin", "duty.view_spotcheck", "duty.view_finding", "duty.view_bulletin"]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.DISPATCHER: [
        "org.view_unit",
        *_perms("org.person"),
        *[perm for model in POSTS_MODELS for perm in _perms(model)],
        *DUTY_VIEW,
        *CALENDAR_VIEW,
        "duty.add_shift",  # generate shifts
        "duty.change_rosterweek",  # publish a week
        *[perm for model in DUTY_ROSTER_MODELS for perm in _perms(model)],
        *SUPERVISION_VIEW,
        "duty.add_checkin",  # radio roll-call for someone at the post
    ],
    Role.OFFICER: [
        "org.view_unit",
        "posts.view_school",
        "posts.view_post",
        "posts.view_timetable",
        "posts.view_term",
        "posts.view_calendaroverride",
        "duty.view_shift",
        "duty.view_assignment",
        "duty.add_checkin",  # his own check-in at the post
        "duty.view_bulletin",
        *CALENDAR_VIEW,
    ],
    Role.SUPERVISOR: [
        "org.view_unit",
        "org.view_person",
        *[f"{model.split('.')[0]}.view_{model.split('.')[1]}" for model in POSTS_MODELS],
        *DUTY_VIEW,
        *CALENDAR_VIEW,
        *SUPERVISION_VIEW,
        *_perms("duty.spotcheck"),
        *_perms("duty.finding"),
        "duty.add_bulletin",
        "duty.change_bulletin",
        "duty.delete_bulletin",
    ],
    # HQ sees every station and changes nothing (README: "every station of the bureau,
    # read-only"): no terms, calendar overrides or shift generation, which can cancel shifts
    # a station has staffed. Its own view permissions only.
    Role.HQ: [
        "org.view_unit",
        "org.view_person",
        *[f"{model.split('.')[0]}.view_{model.split('.')[1]}" for model in POSTS_MODELS],
        *DUTY_VIEW,
        *CALENDAR_VIEW,
        *SUPERVISION_VIEW,
    ],
    Role.ADMIN: [
        *_perms("org.unit"),
        *_perms("org.user"),
        "org.view_person",
        "auth.view_group",
        *[f"{model.split('.')[0]}.view_{model.split('.')[1]}" for model in POSTS_MODELS],
        *_perms("posts.holiday"),
        *_perms("posts.holidayyear"),
        "duty.view_generationrun",
    ],
}


def role_group_label(group_name: str) -> str:
    """What the back office calls a role's group: the role's name from the catalogue (派出所内勤).
    The group itself keeps the role's code as its name, which the services look it up by."""
    try:
        return str(Role(group_name).label)
    except ValueError:  # a group someone made by hand
        return group_name


def sync_role_groups(apps, schema_editor=None) -> None:
    """Create each role's group and give it exactly the permissions listed above that exist
    so far. Safe to run any number of times (used as a migration's RunPython)."""
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
    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=str(role.value if hasattr(role, "value") else role))
        wanted = set()
        for perm in perms:
            app_label, codename = perm.split(".")
            wanted.add((app_label, codename))
        found = [
            p.pk
            for p in Permission.objects.select_related("content_type")
            if (p.content_type.app_label, p.codename) in wanted
        ]
        group.permissions.set(found)
