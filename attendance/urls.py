from django.urls import path
from django.views.generic import RedirectView

from attendance import views

app_name = "attendance"

urlpatterns = [
    path("check-in/", views.CheckInView.as_view(), name="checkin"),
    path("live/", views.LiveBoardView.as_view(), name="live"),
]


def old_addresses() -> list:
    """The pages' first addresses, under /duty/, kept for bookmarks (officers have the
    check-in page on their phones' home screens): each answers a permanent redirect to the
    same page here, query string and all."""
    return [
        path(f"duty/{pattern.pattern}", RedirectView.as_view(
            pattern_name=f"{app_name}:{pattern.name}", permanent=True, query_string=True))
        for pattern in urlpatterns
    ]
