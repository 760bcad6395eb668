"""The duty list pages that no generic contract covers: their query count does not grow with
their rows (an N+1 in a column or a filter choice would show here)."""

import datetime
from zoneinfo import ZoneInfo

from django.urls import reverse

from duty.models import Notification, Shift
from supervision.services import bulletin_create
from tests.contracts import count_queries
from tests.factories import PostFactory, SchoolFactory

TZ = ZoneInfo("Asia/Shanghai")


def add_shifts(cast, n: int, offset: int) -> None:
    for i in range(n):
        post = PostFactory(school=SchoolFactory(station=cast.station_a))
        day = datetime.date(2026, 9, 7) + datetime.timedelta(days=offset + i)
        starts = datetime.datetime.combine(day, datetime.time(7, 25), tzinfo=TZ)
        Shift.objects.create(post=post, station=cast.station_a, date=day, period="am", starts_at=starts,
                             ends_at=starts + datetime.timedelta(minutes=45))


def test_the_shift_list_page_does_not_grow_in_queries(cast, client):
    client.force_login(cast.alice)
    url = reverse("duty:shift_list")
    add_shifts(cast, 2, 0)
    client.get(url)
    few = count_queries(lambda: client.get(url))
    add_shifts(cast, 10, 10)
    many = count_queries(lambda: client.get(url))
    assert few == many, (few, many)


def test_the_bulletin_list_page_does_not_grow_in_queries(cast, client):
    client.force_login(cast.sam)
    url = reverse("supervision:bulletin_list")

    def add(n):
        for i in range(n):
            bulletin_create(unit=cast.bureau, user=cast.sam, title=f"通报{i}",
                            period_start=datetime.date(2026, 9, 1), period_end=datetime.date(2026, 9, 30))

    add(2)
    client.get(url)
    few = count_queries(lambda: client.get(url))
    add(10)
    many = count_queries(lambda: client.get(url))
    assert few == many, (few, many)


def test_the_notifications_page_does_not_grow_in_queries(cast, client):
    client.force_login(cast.oscar)
    url = reverse("duty:notifications")

    def add(n):
        Notification.objects.bulk_create(
            [Notification(recipient=cast.oscar, title=f"新班次 {i}") for i in range(n)]
        )

    add(2)
    few = count_queries(lambda: client.get(url))  # marks the two read (one UPDATE)
    add(10)
    many = count_queries(lambda: client.get(url))  # marks the ten read (one UPDATE)
    assert few == many, (few, many)
    assert not Notification.objects.filter(recipient=cast.oscar, read_at__isnull=True).exists()
