"""Scoped reads of schools and posts that other apps count (reports/ reads the headline
figures from here, so the school list's filters and the figures agree)."""

from __future__ import annotations

from django.db.models import Count, Q

from org.models import Unit, User
from posts.models import Post, School


def school_covered_q() -> Q:
    """全覆盖: a school is covered when it has an active post (the figure and the school list's
    `covered` filter both read this)."""
    return Q(pk__in=Post.objects.filter(active=True).values("school_id"))


def posts_summary(*, user: User, unit: Unit | None = None) -> dict[str, int]:
    """设立护学岗N处, 全覆盖: the active posts, the schools, and the schools with an active
    post, in the user's scope (under `unit`), as they stand now. Two queries."""
    posts = Post.objects.visible_to(user).filter(active=True)
    schools = School.objects.visible_to(user)
    if unit is not None:
        subtree = unit.subtree_ids()
        posts = posts.filter(station_id__in=subtree)
        schools = schools.filter(station_id__in=subtree)
    counts = schools.aggregate(
        schools=Count("pk"),
        schools_covered=Count("pk", filter=school_covered_q()),
    )
    return {"posts": posts.count(), **counts}
