from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from org.models import Person, Role, User

# Every page of the menu, by key: (label, url name, permission needed to open it).
PAGES = {
    "roster": (_("Roster"), "duty:roster", "duty.add_assignment"),
    "live": (_("Live board"), "duty:live", "duty.view_checkin"),
    "figures": (_("Figures"), "reports:figures", "duty.view_checkin"),
    "spot_checks": (_("Spot checks"), "duty:spotcheck_list", "duty.view_spotcheck"),
    "bulletins": (_("Bulletins"), "duty:bulletin_list", "duty.view_bulletin"),
    "schools": (_("Schools"), "posts:school_list", "posts.view_school"),
    "posts": (_("Posts"), "posts:post_list", "posts.view_post"),
    "timetables": (_("Timetables"), "posts:timetable_list", "posts.view_timetable"),
    "people": (_("People"), "org:person_list", "org.view_person"),
    "leave": (_("Leave"), "duty:leave_list", "duty.view_leave"),
    "standing": (_("Standing assignments"), "duty:standingassignment_list", "duty.view_standingassignment"),
    "shifts": (_("Shifts"), "duty:shift_list", "duty.view_shift"),
    "terms": (_("Terms"), "posts:term_list", "posts.view_term"),
    "overrides": (_("Calendar overrides"), "posts:calendaroverride_list", "posts.view_calendaroverride"),
    "holidays": (_("Holidays"), "posts:holiday_list", "posts.view_holiday"),
    "units": (_("Units"), "org:unit_list", "org.view_unit"),
}

# What each role's work needs, in the order of the menu; every other page the user may open
# goes under "More". Officers, on a phone at the gate, get only their own pages (check in,
# my shifts; notifications are the bell) and no "More".
ROLE_MENUS: dict[str, list[str]] = {
    Role.DISPATCHER: ["roster", "live", "schools", "posts", "timetables", "people", "leave"],
    Role.OFFICER: [],
    Role.SUPERVISOR: ["live", "spot_checks", "bulletins", "figures"],
    Role.HQ: ["live", "figures", "bulletins", "spot_checks"],
    Role.ADMIN: ["units", "people", "holidays"],
}
ROLES_WITHOUT_MORE = frozenset({Role.OFFICER})


def _account_status(user) -> tuple[bool, int]:
    """Whether the user stands posts himself (is linked to a Person), and how many
    notifications he has not read: one query for the whole navbar."""
    row = (
        User.objects.filter(pk=user.pk)
        .annotate(
            has_person=Exists(Person.objects.filter(user=OuterRef("pk"))),
            unread=Count("notifications", filter=Q(notifications__read_at__isnull=True)),
        )
        .values_list("has_person", "unread")
        .first()
    )
    return (bool(row[0]), row[1]) if row else (False, 0)


def _entry(label, url: str, path: str) -> dict:
    return {"label": label, "url": url, "active": path.startswith(url)}


def navigation(request):
    """The menu: the user's own pages if he stands posts, then his role's pages, then the rest
    of what he may open under "More" (nothing more for officers)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "nav_more": []}
    has_person, unread = _account_status(user)
    path = request.path
    items = []
    if has_person:
        if user.has_perm("duty.add_checkin"):
            items.append(_entry(_("Check in"), reverse("duty:checkin"), path))
        items.append(_entry(_("My shifts"), reverse("duty:my_shifts"), path))
    permitted = [key for key, (_label, _name, perm) in PAGES.items() if user.has_perm(perm)]
    primary = [key for key in ROLE_MENUS.get(user.role, []) if key in permitted]
    more = [] if user.role in ROLES_WITHOUT_MORE else [key for key in permitted if key not in primary]
    items += [_entry(PAGES[key][0], reverse(PAGES[key][1]), path) for key in primary]
    more_items = [_entry(PAGES[key][0], reverse(PAGES[key][1]), path) for key in more]
    return {
        "nav_items": items,
        "nav_more": more_items,
        "nav_more_active": any(item["active"] for item in more_items),
        "nav_admin": user.is_staff,
        "nav_unread": unread,
        "user_role_label": user.get_role_display() if getattr(user, "role", "") else "",
    }
