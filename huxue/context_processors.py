from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# (label, url name, permission); a user sees the entries he holds the permission for.
NAVIGATION = [
    (_("Schools"), "posts:school_list", "posts.view_school"),
    (_("Posts"), "posts:post_list", "posts.view_post"),
    (_("Timetables"), "posts:timetable_list", "posts.view_timetable"),
    (_("Terms"), "posts:term_list", "posts.view_term"),
    (_("Calendar overrides"), "posts:calendaroverride_list", "posts.view_calendaroverride"),
    (_("Holidays"), "posts:holiday_list", "posts.view_holiday"),
    (_("People"), "org:person_list", "org.view_person"),
    (_("Units"), "org:unit_list", "org.view_unit"),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    path = request.path
    for label, name, perm in NAVIGATION:
        if user.has_perm(perm):
            url = reverse(name)
            items.append({"label": label, "url": url, "active": path.startswith(url)})
    return {
        "nav_items": items,
        "nav_admin": user.is_staff,
        "user_role_label": user.get_role_display() if getattr(user, "role", "") else "",
    }
