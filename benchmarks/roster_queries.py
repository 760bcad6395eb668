"""Queries per request of the roster board and the shift list, at 10 and at 100 posts.

    .venv/bin/python benchmarks/roster_queries.py                      # SQLite, a temporary file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python benchmarks/roster_queries.py

A page or API answer whose query count grows with the rows it shows is an N+1 waiting for a
big station. For one station's week this counts the queries (CaptureQueriesContext) of
GET /api/v1/roster/ (the board's data), GET /api/v1/shifts/ (the shift list) and the board
pages /duty/roster/ and /duty/roster/print/ (skipped if their URL does not resolve), first
with 10 posts, then with 100, each post with its week of shifts and a person on every shift,
and prints them side by side with "equal: yes/no".

The database is a throw-away one: a SQLite file in a temporary directory, or with a
PostgreSQL DATABASE_URL a database huxue_bench_<pid> created next to the one named and
dropped at the end.
"""

from __future__ import annotations

import datetime
import os
import secrets
import shutil
import sys
import tempfile
import warnings
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SIZES = (10, 100)


def admin_execute(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
        conn.execute(sql)


class Station:
    """One station with a dispatcher, a term, and posts added on demand with their week of
    shifts (through shift_generate) and one person on each shift."""

    def __init__(self):
        from django.utils import timezone

        from org.models import Role, Unit, UnitKind
        from org.services import user_create
        from posts.models import School, SchoolKind, Term

        bureau = Unit.objects.create(name="基准分局", kind=UnitKind.BUREAU)
        self.unit = Unit.objects.create(name="基准派出所", kind=UnitKind.STATION, parent=bureau)
        self.school = School.objects.create(name="基准小学", kind=SchoolKind.PRIMARY, station=self.unit)
        self.user = user_create(username="bench", password=secrets.token_urlsafe(16) + "Aa1!", role=Role.DISPATCHER,
                                unit=self.unit)
        today = timezone.localdate()
        self.week = today + datetime.timedelta(days=14 - today.weekday())  # the Monday after next
        Term.objects.create(school=None, name="基准学期", start=self.week - datetime.timedelta(days=30),
                            end=self.week + datetime.timedelta(days=60))
        self._add_timetables()
        self.posts = 0

    def _add_timetables(self):
        from posts.models import CalendarOverride, Period, Timetable, weekdays_to_mask

        every_day = weekdays_to_mask(range(1, 8))  # a full week of cells, holidays or not
        Timetable.objects.bulk_create([
            Timetable(school=self.school, period=Period.AM, weekdays=every_day, start=datetime.time(7, 40),
                      end=datetime.time(8, 10), valid_from=self.week - datetime.timedelta(days=30)),
            Timetable(school=self.school, period=Period.PM, weekdays=every_day, start=datetime.time(16, 30),
                      end=datetime.time(17, 10), valid_from=self.week - datetime.timedelta(days=30)),
        ])
        # Every day of the week a school day, so each post has 14 shifts whatever the calendar says.
        CalendarOverride.objects.bulk_create([
            CalendarOverride(school=self.school, date=self.week + datetime.timedelta(days=i), is_school_day=True,
                             reason="基准")
            for i in range(7)
        ])

    def grow_to(self, count: int) -> None:
        from duty.models import Assignment, Shift
        from duty.services.generation import shift_generate
        from org.models import Person, PersonKind
        from posts.models import Post

        new = Post.objects.bulk_create(
            [Post(school=self.school, name=f"{n:03d}号护学岗", station=self.unit) for n in range(self.posts, count)]
        )
        people = Person.objects.bulk_create(
            [Person(name=f"民警{n:03d}", kind=PersonKind.POLICE, unit=self.unit, badge_no=f"B{n:05d}")
             for n in range(self.posts, count)]
        )
        self.posts = count
        shift_generate(start=self.week, end=self.week + datetime.timedelta(days=6), post_ids=[p.pk for p in new])
        person_of = {post.pk: person for post, person in zip(new, people)}
        Assignment.objects.bulk_create([
            Assignment(shift=shift, person=person_of[shift.post_id], station=self.unit, starts_at=shift.starts_at,
                       ends_at=shift.ends_at)
            for shift in Shift.objects.filter(post_id__in=person_of)
        ])


def endpoints(station: Station) -> list[tuple[str, str]]:
    from django.urls import Resolver404, resolve

    week = station.week.isoformat()
    end = (station.week + datetime.timedelta(days=6)).isoformat()
    found = [
        ("GET /api/v1/roster/", f"/api/v1/roster/?station={station.unit.pk}&week={week}"),
        ("GET /api/v1/shifts/", f"/api/v1/shifts/?unit={station.unit.pk}&date_from={week}&date_to={end}&page_size=500"),
    ]
    for label, path in (("GET /duty/roster/", "/duty/roster/"), ("GET /duty/roster/print/", "/duty/roster/print/")):
        try:
            resolve(path)
        except Resolver404:
            print(f"{label}: no such URL here, skipped")
            continue
        found.append((label, f"{path}?station={station.unit.pk}&week={week}"))
    return found


def count(client, url: str) -> tuple[int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}: {response.content[:300]!r}")
    return len(ctx.captured_queries), len(response.content)


def run() -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client's host, a local e-mail backend
    call_command("migrate", verbosity=0, interactive=False)
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    station = Station()
    client = Client()
    client.force_login(station.user)
    urls = endpoints(station)
    counts: dict[str, list[int]] = {label: [] for label, _url in urls}
    from duty.models import Assignment, Shift

    for size in SIZES:
        station.grow_to(size)
        print(f"{size} posts: {Shift.objects.count()} shifts, {Assignment.objects.count()} assignments in the week")
        for label, url in urls:
            client.get(url)  # warm per-process caches (content types, permissions, templates)
            queries, _size = count(client, url)
            counts[label].append(queries)
    width = max(len(label) for label in counts)
    print(f"{'':{width}}  {SIZES[0]:>4} posts  {SIZES[1]:>4} posts")
    for label, (few, many) in counts.items():
        print(f"{label:{width}}  {few:>10}  {many:>10}   equal: {'yes' if few == many else 'no'}")


def main() -> None:
    url = os.environ.get("DATABASE_URL", "")
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("HTTPS", "0")
    os.environ.setdefault("STATICFILES_BACKEND", "django.contrib.staticfiles.storage.StaticFilesStorage")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huxue.settings")
    scheme = urlsplit(url).scheme
    cleanup = None
    if scheme in {"postgres", "postgresql", "pgsql"}:
        name = f"huxue_bench_{os.getpid()}"
        admin_execute(url, f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = urlunsplit(urlsplit(url)._replace(path=f"/{name}"))

        def cleanup():
            admin_execute(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            print(f"dropped {name}")
    elif scheme in {"", "sqlite"}:
        folder = tempfile.mkdtemp(prefix="huxue-bench-")
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
        os.environ.setdefault("HUXUE_VAR_DIR", folder)

        def cleanup():
            shutil.rmtree(folder, ignore_errors=True)
    else:
        sys.exit(f"roster_queries.py runs on SQLite or PostgreSQL, not {scheme!r}")
    warnings.filterwarnings("ignore", message="No directory at")  # no collected static files; none needed
    try:
        import django

        django.setup()
        try:
            run()
        finally:
            from django.db import connections

            connections.close_all()
    finally:
        cleanup()


if __name__ == "__main__":
    main()
