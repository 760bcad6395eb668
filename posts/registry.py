"""What posts brings to the whole system (core/registry.py): schools, posts, terms, the
calendar and timetables, and each role's permissions on them."""

from django.utils.translation import gettext_lazy as _

from core.registry import AppEntry, MenuItem, model_permissions as perms
from org.models import Role

MODELS = ["posts.school", "posts.post", "posts.term", "posts.calendaroverride", "posts.timetable"]
VIEW = [perm for model in MODELS for perm in perms(model, ["view"])]
KEEP = [perm for model in MODELS for perm in perms(model)]
CALENDAR_VIEW = ["posts.view_holiday", "posts.view_holidayyear"]

entry = AppEntry(
    label="posts",
    urls="posts.urls",
    api_routes=[
        ("schools", "posts.api.SchoolViewSet"),
        ("posts", "posts.api.PostViewSet"),
        ("terms", "posts.api.TermViewSet"),
        ("calendar-overrides", "posts.api.CalendarOverrideViewSet"),
        ("timetables", "posts.api.TimetableViewSet"),
    ],
    menu=[
        MenuItem("schools", _("Schools"), "posts:school_list", "posts.view_school",
                 roles={Role.DISPATCHER: 3}, order=60),
        MenuItem("posts", _("Posts"), "posts:post_list", "posts.view_post", roles={Role.DISPATCHER: 4}, order=70),
        MenuItem("timetables", _("Timetables"), "posts:timetable_list", "posts.view_timetable",
                 roles={Role.DISPATCHER: 5}, order=80),
        MenuItem("terms", _("Terms"), "posts:term_list", "posts.view_term", order=130),
        MenuItem("overrides", _("Calendar overrides"), "posts:calendaroverride_list",
                 "posts.view_calendaroverride", order=140),
        MenuItem("holidays", _("Holidays"), "posts:holiday_list", "posts.view_holiday",
                 roles={Role.ADMIN: 3}, order=150),
    ],
    role_permissions={
        Role.DISPATCHER: [*KEEP, *CALENDAR_VIEW],
        # An officer reads his schools, posts, timetables and calendar; he keeps none of them.
        Role.OFFICER: [*VIEW, *CALENDAR_VIEW],
        Role.SUPERVISOR: [*VIEW, *CALENDAR_VIEW],
        Role.HQ: [*VIEW, *CALENDAR_VIEW],
        # The system administrator keeps the holiday calendar (a setting); no schools or posts.
        Role.ADMIN: [*perms("posts.holiday"), *perms("posts.holidayyear")],
    },
)
