from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse

from core import registry
from org.models import Person, Role, User

# Officers, on a phone at the gate, get only their own pages (check in, my shifts;
# notifications are the bell) and no "More".
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
    """The menu, from every installed app's pages (core/registry.py): the user's own pages if
    he stands posts, then his role's pages in their positions, then the rest of what he may
    open under "More" in the pages' order (nothing more for officers)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "nav_more": []}
    has_person, unread = _account_status(user)
    path = request.path
    pages = registry.menu_items()
    items = [
        _entry(page.label, reverse(page.url_name), path)
        for page in pages
        if page.personal and has_person and (not page.permission or user.has_perm(page.permission))
    ]
    permitted = [page for page in pages if not page.personal and user.has_perm(page.permission)]
    primary = sorted((page for page in permitted if user.role in page.roles), key=lambda page: page.roles[user.role])
    more = [] if user.role in ROLES_WITHOUT_MORE else [page for page in permitted if page not in primary]
    items += [_entry(page.label, reverse(page.url_name), path) for page in primary]
    more_items = [_entry(page.label, reverse(page.url_name), path) for page in more]
    return {
        "nav_items": items,
        "nav_more": more_items,
        "nav_more_active": any(item["active"] for item in more_items),
        "nav_admin": user.is_staff,
        "nav_unread": unread,
        "user_role_label": user.get_role_display() if getattr(user, "role", "") else "",
    }
