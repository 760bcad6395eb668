"""Roster generation at city scale, against the floor PostgreSQL itself sets.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python benchmarks/roster_generation.py [--profile]

PostgreSQL only. The script creates a throw-away database next to the one DATABASE_URL names
(huxue_bench_<pid>), migrates it, and drops it at the end, whatever happens. In it: 1 bureau,
10 stations, 1,000 schools with one post each and a morning and an afternoon timetable, and one
district-wide term of 100 school days: 200,000 shifts. It prints

  (a) the first shift_generate over the term (through the service, every post),
  (b) a second run, which creates nothing,
  (c) the floor: the shift table emptied and the same 200,000 rows written by one plain
      INSERT … SELECT … CROSS JOIN generate_series(…),

and the ratios service/floor and second/first. It asserts nothing about time; --profile adds
a cProfile of each run (top functions by cumulative time).
"""

from __future__ import annotations

import argparse
import cProfile
import datetime
import io
import os
import pstats
import secrets
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

STATIONS = 10
SCHOOLS_PER_STATION = 100
SCHOOL_DAYS = 100
PERIODS = 2
EXPECTED = STATIONS * SCHOOLS_PER_STATION * SCHOOL_DAYS * PERIODS


def database_url_or_exit() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if urlsplit(url).scheme not in {"postgres", "postgresql", "pgsql"}:
        sys.exit(
            "roster_generation.py measures PostgreSQL (the production database) and refuses to run on "
            "SQLite or without a database. Set DATABASE_URL=postgres://user@host:5432/dbname; the script "
            "creates and drops its own throw-away database next to that one."
        )
    return url


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def admin_execute(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
        conn.execute(sql)


def timed(func):
    started = time.perf_counter()
    value = func()
    return value, time.perf_counter() - started


def profiled(profiler, func):
    if profiler is None:
        return func()
    profiler.enable()
    try:
        return func()
    finally:
        profiler.disable()


def choose_range(first_day: datetime.date) -> tuple[datetime.date, datetime.date, list[datetime.date]]:
    """From the first Monday after `first_day`, the shortest range holding SCHOOL_DAYS school
    days by the calendar (public holidays and make-up days included), with a term over it."""
    from posts.calendar import SchoolCalendar
    from posts.models import Term

    start = first_day + datetime.timedelta(days=7 - first_day.weekday())
    term = Term.objects.create(school=None, name="基准学期", start=start, end=start + datetime.timedelta(days=300))
    calendar = SchoolCalendar(start, term.end, None)
    days = [day for day in calendar.dates() if calendar.day(None, day).is_school_day][:SCHOOL_DAYS]
    term.end = days[-1]
    term.save()
    return start, days[-1], days


def build_city() -> None:
    from org.models import Unit, UnitKind
    from posts.models import Period, Post, School, SchoolKind, Timetable, weekdays_to_mask

    bureau = Unit.objects.create(name="基准分局", kind=UnitKind.BUREAU)
    stations = Unit.objects.bulk_create(
        [Unit(name=f"基准{n:02d}派出所", kind=UnitKind.STATION, parent=bureau) for n in range(STATIONS)]
    )
    schools = School.objects.bulk_create(
        [School(name=f"基准第{s * SCHOOLS_PER_STATION + n:04d}小学", kind=SchoolKind.PRIMARY, station=station)
         for s, station in enumerate(stations) for n in range(SCHOOLS_PER_STATION)],
        batch_size=1000,
    )
    Post.objects.bulk_create(
        [Post(school=school, name="正门护学岗", station_id=school.station_id, lead_minutes=15) for school in schools],
        batch_size=1000,
    )
    weekdays = weekdays_to_mask([1, 2, 3, 4, 5])
    Timetable.objects.bulk_create(
        [Timetable(school=school, period=period, weekdays=weekdays, start=start, end=end,
                   valid_from=datetime.date(2020, 1, 1))
         for school in schools
         for period, start, end in ((Period.AM, datetime.time(7, 40), datetime.time(8, 10)),
                                    (Period.PM, datetime.time(16, 30), datetime.time(17, 10)))],
        batch_size=1000,
    )


FLOOR_SQL = """
INSERT INTO duty_shift (post_id, station_id, date, period, starts_at, ends_at, status, published,
                        calendar_guess, created_at, updated_at)
SELECT p.id, p.station_id, d::date, t.period,
       ((d::date + t.start) AT TIME ZONE %(tz)s) - make_interval(mins => p.lead_minutes),
       (d::date + t."end") AT TIME ZONE %(tz)s,
       'scheduled', false, false, now(), now()
FROM posts_post p
JOIN posts_timetable t ON t.school_id = p.school_id
CROSS JOIN generate_series(%(start)s::date, %(end)s::date, interval '1 day') AS d
WHERE p.active AND d::date = ANY(%(days)s)
"""


def floor_insert(start, end, days) -> int:
    from django.conf import settings
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(FLOOR_SQL, {"tz": settings.TIME_ZONE, "start": start, "end": end, "days": days})
        return cursor.rowcount


def run(profile: bool) -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from duty.models import Shift
    from duty.services.generation import shift_generate

    print(f"database: {connection.settings_dict['NAME']} (PostgreSQL {connection.cursor().connection.info.server_version})")
    _, seconds = timed(lambda: call_command("migrate", verbosity=0, interactive=False))
    print(f"migrated in {seconds:.1f} s")
    _, seconds = timed(build_city)
    start, end, days = choose_range(timezone.localdate())
    print(f"fixture: {STATIONS} stations, {STATIONS * SCHOOLS_PER_STATION} schools/posts, "
          f"{len(days)} school days {start}..{end} ({(end - start).days + 1} calendar days), built in {seconds:.1f} s")

    first_profile, second_profile = (cProfile.Profile(), cProfile.Profile()) if profile else (None, None)
    first, first_s = timed(lambda: profiled(first_profile, lambda: shift_generate(start=start, end=end)))
    count = Shift.objects.count()
    print(f"(a) first run:  {first_s:7.2f} s  created={first.created:,} (table: {count:,}; expected {EXPECTED:,})")
    if first.created != EXPECTED or count != EXPECTED:
        sys.exit(f"unexpected row count: created {first.created}, in table {count}, expected {EXPECTED}")

    second, second_s = timed(lambda: profiled(second_profile, lambda: shift_generate(start=start, end=end)))
    print(f"(b) second run: {second_s:7.2f} s  created={second.created:,} existing={second.existing:,}")

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE duty_shift CASCADE")  # and the assignments, notifications … on them
    floor_rows, floor_s = timed(lambda: floor_insert(start, end, days))
    print(f"(c) floor:      {floor_s:7.2f} s  one INSERT … SELECT, {floor_rows:,} rows")
    if floor_rows != EXPECTED:
        sys.exit(f"the floor inserted {floor_rows} rows, expected {EXPECTED}")

    print(f"service / floor: {first_s / floor_s:.2f}x   (aim: within 3x)")
    print(f"second / first:  {second_s / first_s:.2f}    (aim: well under 1)")

    for title, profiler in (("first run", first_profile), ("second run", second_profile)):
        if profiler:
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
            print(f"--- profile of the {title} (cProfile slows it down) ---")
            print(out.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--profile", action="store_true", help="print a cProfile of both runs")
    args = parser.parse_args()

    url = database_url_or_exit()
    name = f"huxue_bench_{os.getpid()}"
    admin_execute(url, f'CREATE DATABASE "{name}"')
    try:
        os.environ["DATABASE_URL"] = with_database(url, name)
        os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huxue.settings")
        import django

        django.setup()
        try:
            run(args.profile)
        finally:
            from django.db import connections

            connections.close_all()
    finally:
        admin_execute(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        print(f"dropped {name}")


if __name__ == "__main__":
    main()
