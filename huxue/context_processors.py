from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# (label, url name, permission); a user sees the entries he holds the permission for.
NAVIGATION = [
    (_("Roster"), "duty:roster", "duty.add_assignment"),
    # Officers hold duty.view_shift too, but not duty.view_checkin: the board is for the
    # dispatchers, supervisors and HQ who watch the posts.
    (_("Live board"), "duty:live", "duty.view_checkin"),
    (_("Schools"), "posts:school_list", "posts.view_school"),
    (_("Posts"), "posts:post_list", "posts.view_post"),
    (_("Timetables"), "posts:timetable_list", "posts.view_timetable"),
    (_("Terms"), "posts:term_list", "posts.view_term"),
    (_("Calendar overrides"), "posts:calendaroverride_list", "posts.view_calendaroverride"),
    (_("People"), "org:person_list", "org.view_person"),
    (_("Units"), "org:unit_list", "org.view_unit"),
    (_("Shifts"), "duty:shift_list", "duty.view_shift"),
    (_("Standing assignments"), "duty:standingassignment_list", "duty.view_standingassignment"),
    (_("Leave"), "duty:leave_list", "duty.view_leave"),
    (_("Spot checks"), "duty:spotcheck_list", "duty.view_spotcheck"),
    (_("Bulletins"), "duty:bulletin_list", "duty.view_bulletin"),
    # HQ, supervisors and dispatchers; not officers (who may view assignments, their own).
    (_("Figures"), "duty:figures", "duty.view_checkin"),
]


def _account_status(user) -> tuple[bool, int]:
    """Whether the user stands posts himself (is linked to a Person), and how many
    notifications he has not read: one query for the whole navbar."""
    from org.models import Person, User

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


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    has_person, unread = _account_status(user)
    items = []
    path = request.path
    if has_person:
        url = reverse("duty:my_shifts")
        items.append({"label": _("My shifts"), "url": url, "active": path.startswith(url)})
        if user.has_perm("duty.add_checkin"):
            url = reverse("duty:checkin")
            items.append({"label": _("Check in"), "url": url, "active": path.startswith(url)})
    for label, name, perm in NAVIGATION:
        if user.has_perm(perm):
            url = reverse(name)
            items.append({"label": label, "url": url, "active": path.startswith(url)})
    return {
        "nav_items": items,
        "nav_admin": user.is_staff,
        "nav_unread": unread,
        "user_role_label": user.get_role_display() if getattr(user, "role", "") else "",
    }
