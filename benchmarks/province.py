"""A province of Huxue data in the source report's proportions, for every benchmark.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python benchmarks/province.py [--scale 0.05] [--keep]

The source report is one district's (船山分局): 106 posts, and over the term to date 6,292
person-times, 219 help requests and alarms, 300 times help given, 80 suspicious persons
checked, 19 emergencies, 51 disputes resolved, 6 bulletins, 57 guards hired, 159 inspections,
35 hazards, 18 notices, the improvements, 41 key persons, 4 joint operations, 80 talks, 7 open
days, the trainings and the drills (PER_DISTRICT below). A province is DISTRICTS_AT_SCALE_1
such districts (20,034 posts at scale 1.0), nine to a city, each district a bureau under its
city's bureau under the province's, with eight police stations and a hundred schools.

Over a term of SCHOOL_DAYS school days, ELAPSED_SCHOOL_DAYS of them before today (by the
school calendar, public holidays included): one shift per post, day and period (about 4
million at scale 1) and one assignment on each, a police officer or auxiliary on about two
in five and the school's own security officer (or a guard, at a second gate) on the rest;
the shifts that have ended decided (on time, late, left early, absent, excused) with their
check-ins, today's later ones still to come. Then the incidents, inspections, hazards (some
verified, some overdue), notices, improvements, joint operations, key persons (their secrets
encrypted by the register's own crypto) and their follow-ups, activities, trainings, drills,
spot checks and bulletins of each district, dated in the term to date.

`generate(scale)` multiplies the number of districts (at least one). The big tables are
written by COPY on PostgreSQL (executemany elsewhere, for the tests on SQLite), with ids given
here so that no row is read back; no row goes through a service, so neither history nor audit
rows are written, except the accounts (an HQ user of the province and a dispatcher of its
first station) and the term. It answers a `Province`: the units to measure, the range (the
term to date) and the summary's expected figures for the whole province.

The command line creates a throw-away database next to the one DATABASE_URL names
(huxue_bench_<pid>), migrates it, generates, prints what it wrote and how long it took, and
drops it at the end, whatever happens, unless --keep (then it prints its name).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import math
import os
import random
import secrets
import sys
import time
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

DISTRICTS_AT_SCALE_1 = 189
DISTRICTS_PER_CITY = 9
STATIONS_PER_DISTRICT = 8
SCHOOLS_PER_DISTRICT = 100
SECOND_GATES_PER_DISTRICT = 6  # schools with a second post: 106 posts a district
INACTIVE_POSTS_PER_DISTRICT = 2  # old gates, no longer stood: no shifts, not counted
POLICE_PER_STATION = 10
AUXILIARIES_PER_STATION = 10
GUARDS_PER_SCHOOL = 2
SCHOOL_DAYS = 100
ELAPSED_SCHOOL_DAYS = 75  # school days of the term before today

# The source report's figures for one district over the term to date (DESIGN.md's
# stats/summary keys). The generator writes exactly these per district; person-times also
# count the check-ins of a shift running at the moment of generation.
PER_DISTRICT = {
    "posts": 106, "schools": SCHOOLS_PER_DISTRICT, "schools_covered": SCHOOLS_PER_DISTRICT,
    "person_times": 6292, "help_and_alarms": 219, "help_given": 300, "suspicious_checked": 80,
    "emergencies_handled": 19, "disputes_resolved": 51, "bulletins": 6, "guards_hired": 57,
    "inspections": 159, "hazards_found": 35, "notices": 18,
    "improvements": {"traffic_sign": 19, "cctv": 11, "road_marking": 2400, "anti_ram": 4, "alarm_button": 16},
    "key_persons": 41, "key_persons_stable": 41,
    "joint_operations": 4, "joint_police": 1210, "joint_venues": 600, "joint_hazards_fixed": 16,
    "talks": 80, "open_days": 7, "leaflets": 18000, "people_reached": 20000,
    "police_trained": 600, "police_training_batches": 3, "security_trainings": 25, "security_trained": 400,
    "drills": 41, "rapid_response_pulls": 23,
}

# How the ended assignments of police and auxiliaries went, per district (checked in: 6,292).
POLICE_OUTCOMES = {"on_time": 5950, "late": 280, "left_early": 62, "absent": 168, "excused": 40}
# And those of the schools' own people, as shares.
SCHOOL_OUTCOMES = (("on_time", 0.92), ("late", 0.04), ("left_early", 0.01), ("absent", 0.02), ("excused", 0.01))
# Rows that the figures must not count, per district: drafts, unresolved disputes, archived
# key persons, inspections not carried out yet.
DRAFT_INCIDENTS = 5
UNRESOLVED_DISPUTES = 4
DRAFT_INSPECTIONS = 4
DRAFT_NOTICES = 2
ARCHIVED_KEY_PERSONS = 2
OVERDUE_KEY_PERSONS = 3
SPOT_CHECKS = 60
FINDINGS = 12

AM_WINDOWS = ((7, 30), (7, 40), (7, 50))  # arrival: 30 minutes from these
PM_WINDOWS = ((16, 20), (16, 30), (17, 0))  # dismissal: 40 minutes from these
AM_MINUTES, PM_MINUTES, LEAD_MINUTES = 30, 40, 15

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂华建国志红玉兰福生德海林斌波宇浩凯鹏飞云峰"
SCHOOL_KINDS = ("primary",) * 5 + ("kindergarten",) * 3 + ("junior",) * 2 + ("senior", "nine_year")


# -- writing rows ---------------------------------------------------------------------------------


class Writer:
    """Rows into tables: COPY on PostgreSQL, executemany elsewhere. Ids are handed out here
    (`next_ids`), so that rows can point at rows written before them without reading them
    back; the sequences are set past them at the end (`finish`)."""

    def __init__(self):
        from django.db import connection

        self.connection = connection
        self.postgres = connection.vendor == "postgresql"
        self.next_id: dict[type, int] = {}
        self.written: dict[str, int] = {}
        self.models: set[type] = set()

    def ids(self, model, count: int) -> range:
        """`count` fresh ids of `model`'s table."""
        from django.db.models import Max

        if model not in self.next_id:
            last = model.objects.order_by().aggregate(m=Max("pk"))["m"]
            self.next_id[model] = (last or 0) + 1
        first = self.next_id[model]
        self.next_id[model] = first + count
        self.models.add(model)
        return range(first, first + count)

    def write(self, model, fields: tuple[str, ...], rows) -> int:
        """Write `rows` (tuples in `fields` order; field names, "id" included when given; a JSON
        column's value as the Python object)."""
        from django.db import models as dj

        opts = model._meta
        columns = [opts.pk.column if name in ("id", "pk") else opts.get_field(name).column for name in fields]
        table = opts.db_table
        quoted = ", ".join(self.connection.ops.quote_name(c) for c in columns)
        count = 0
        with self.connection.cursor() as cursor:
            if self.postgres:
                # Binary COPY with each column's type named: several times faster than text.
                cursor.execute("SELECT a.attname, t.typname FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid "
                               "WHERE a.attrelid = %s::regclass AND a.attnum > 0", [table])
                types = dict(cursor.fetchall())
                sql = f"COPY {self.connection.ops.quote_name(table)} ({quoted}) FROM STDIN (FORMAT BINARY)"
                with cursor.cursor.copy(sql) as copy:
                    copy.set_types([types[column] for column in columns])
                    for row in rows:
                        copy.write_row(row)
                        count += 1
            else:
                adapters = []
                for name in fields:
                    f = opts.pk if name in ("id", "pk") else opts.get_field(name)
                    adapters.append(_sqlite_datetime if isinstance(f, dj.DateTimeField)
                                    else datetime.time.isoformat if isinstance(f, dj.TimeField)
                                    else json.dumps if isinstance(f, dj.JSONField) else None)
                placeholders = ", ".join(["%s"] * len(columns))
                sql = f"INSERT INTO {self.connection.ops.quote_name(table)} ({quoted}) VALUES ({placeholders})"
                batch = []
                for row in rows:
                    batch.append(tuple(a(v) if a and v is not None else v for a, v in zip(adapters, row)))
                    if len(batch) >= 5000:
                        cursor.executemany(sql, batch)
                        count += len(batch)
                        batch = []
                if batch:
                    cursor.executemany(sql, batch)
                    count += len(batch)
        self.written[table] = self.written.get(table, 0) + count
        return count

    def finish(self) -> None:
        """Sequences past the ids given (PostgreSQL; SQLite follows explicit ids itself)."""
        from django.core.management.color import no_style

        models = sorted(self.models, key=lambda model: model._meta.label)
        statements = self.connection.ops.sequence_reset_sql(no_style(), models)
        with self.connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


@contextlib.contextmanager
def loading(writer: Writer, models):
    """On PostgreSQL, the tables of `models` without their secondary indexes, unique, foreign-key
    and exclusion constraints while the block fills them, then each rebuilt in one pass (as a
    bulk load does: maintaining them row by row, and the deferred foreign-key checks of
    millions of rows at commit, cost several times the load itself). Inside the transaction:
    an error leaves the tables as they were. Elsewhere, nothing."""
    if not writer.postgres:
        yield
        return
    saved = []
    with writer.connection.cursor() as cursor:
        # The foreign-key checks of the rows written so far, now: a table with pending checks
        # cannot be altered (a foreign key's drop alters the table it points to).
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        for model in models:
            table = model._meta.db_table
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype IN ('f', 'u', 'x') ORDER BY conname", [table])
            constraints = cursor.fetchall()
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = %s "
                "AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass) "
                "ORDER BY indexname", [table, table])
            indexes = cursor.fetchall()
            quoted = writer.connection.ops.quote_name(table)
            for name, _definition in constraints:
                cursor.execute(f'ALTER TABLE {quoted} DROP CONSTRAINT "{name}"')
            for name, _definition in indexes:
                cursor.execute(f'DROP INDEX "{name}"')
            saved.append((quoted, constraints, indexes))
    yield
    with writer.connection.cursor() as cursor:
        for quoted, constraints, indexes in saved:
            for _name, definition in indexes:
                cursor.execute(definition)
            for name, definition in constraints:
                cursor.execute(f'ALTER TABLE {quoted} ADD CONSTRAINT "{name}" {definition}')
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _sqlite_datetime(value: datetime.datetime) -> str:
    """As Django keeps an aware datetime in SQLite: naive UTC text."""
    return value.astimezone(datetime.timezone.utc).replace(tzinfo=None).isoformat(" ")


# -- what was generated --------------------------------------------------------------------------


@dataclass
class Province:
    scale: float
    districts: int
    cities: int
    stations: int
    schools: int
    posts: int
    start: datetime.date  # the term's first day
    end: datetime.date  # today: the figures' range is the term to date
    term_end: datetime.date
    now: datetime.datetime
    province_id: int
    city_id: int  # the first city
    district_id: int  # its first district
    station_id: int  # that district's first station
    hq_id: int  # an HQ account of the province (sees all of it)
    dispatcher_id: int  # the first station's dispatcher
    expected: dict  # stats_summary's figures for the whole province over start..end
    written: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def unit(self, which: str):
        from org.models import Unit

        return Unit.objects.get(pk=getattr(self, f"{which}_id"))

    def user(self, which: str):
        from org.models import User

        return User.objects.get(pk=getattr(self, f"{which}_id"))


def districts_for(scale: float) -> int:
    return max(1, round(DISTRICTS_AT_SCALE_1 * scale))


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _spread(total: int, parts: int, rng: random.Random) -> list[int]:
    """`total` split into `parts` positive whole numbers (near equal, shuffled)."""
    base, extra = divmod(total, parts)
    values = [base + (1 if i < extra else 0) for i in range(parts)]
    rng.shuffle(values)
    return values


def _school_days(today: datetime.date) -> tuple[list[datetime.date], object]:
    """A district-wide term of SCHOOL_DAYS school days, ELAPSED_SCHOOL_DAYS of them before
    today, by the school calendar (holidays and make-up days included)."""
    from posts.calendar import SchoolCalendar
    from posts.models import Term

    term = Term.objects.create(school=None, name="基准学期", start=today - datetime.timedelta(days=250),
                               end=today + datetime.timedelta(days=250))
    calendar = SchoolCalendar(term.start, term.end, None)
    before = [d for d in calendar.dates() if d < today and calendar.day(None, d).is_school_day]
    rest = [d for d in calendar.dates() if d >= today and calendar.day(None, d).is_school_day]
    days = before[-ELAPSED_SCHOOL_DAYS:] + rest[: SCHOOL_DAYS - ELAPSED_SCHOOL_DAYS]
    term.start, term.end = days[0], days[-1]
    term.save(update_fields=["start", "end"])
    return days, term


# -- the generator ---------------------------------------------------------------------------------


def generate(scale: float = 1.0, *, seed: int = 2021, stdout=None, now: datetime.datetime | None = None) -> Province:
    """Write a province of `scale` (the number of districts: DISTRICTS_AT_SCALE_1 × scale, at
    least one) into the default database, and answer what it wrote (see the module's text)."""
    from django.conf import settings
    from django.db import connection, transaction
    from django.utils import timezone

    stdout = stdout or sys.stdout
    started = time.perf_counter()
    now = now or timezone.now()
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    today = now.astimezone(tz).date()
    with transaction.atomic():
        province = _generate(scale, seed=seed, stdout=stdout, now=now, today=today, tz=tz)
    if connection.vendor == "postgresql":
        step = time.perf_counter()
        tables = sorted(province.written)
        with connection.cursor() as cursor:
            if connection.in_atomic_block:
                cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in tables))
            else:  # also the visibility map, for index-only scans as on a settled database
                cursor.execute("VACUUM (ANALYZE) " + ", ".join(connection.ops.quote_name(t) for t in tables))
        print(f"  analysed {len(tables)} tables in {time.perf_counter() - step:.1f} s", file=stdout)
    province.seconds = time.perf_counter() - started
    total = sum(province.written.values())
    print(f"generated {total:,} rows in {province.seconds:.1f} s (scale {scale}: {province.districts} districts, "
          f"{province.posts:,} posts)", file=stdout)
    return province


def _generate(scale, *, seed, stdout, now, today, tz) -> Province:
    from keypersons import crypto
    from keypersons.idnumber import with_check_character
    from org.models import Person, PersonKind, Role, STANDARD_STAFFING, Unit, UnitKind
    from org.services import user_create
    from posts.models import Post, School, Timetable, weekdays_to_mask

    rng = random.Random(seed)
    writer = Writer()
    step = [time.perf_counter()]

    def done(what: str) -> None:
        moment = time.perf_counter()
        print(f"  {what} in {moment - step[0]:.1f} s", file=stdout)
        step[0] = moment

    n_districts = districts_for(scale)
    n_cities = math.ceil(n_districts / DISTRICTS_PER_CITY)
    days, term = _school_days(today)
    start = days[0]
    elapsed_days = [d for d in days if d < today]

    # -- units ---------------------------------------------------------------------------------
    n_stations = n_districts * STATIONS_PER_DISTRICT
    unit_ids = iter(writer.ids(Unit, 2 + n_cities + n_districts + n_stations))
    province_id, office_id = next(unit_ids), next(unit_ids)
    city_ids = [next(unit_ids) for _ in range(n_cities)]
    district_ids = [next(unit_ids) for _ in range(n_districts)]
    station_ids = [next(unit_ids) for _ in range(n_stations)]
    district_city = [city_ids[d // DISTRICTS_PER_CITY] for d in range(n_districts)]
    units = [(province_id, "基准省公安厅", UnitKind.BUREAU, None, "", ""),
             (office_id, "基准省公安厅指挥中心", UnitKind.OFFICE, province_id, "", "")]
    units += [(pk, f"基准第{c + 1:02d}市公安局", UnitKind.BUREAU, province_id, "", "") for c, pk in enumerate(city_ids)]
    units += [(pk, f"基准第{d // DISTRICTS_PER_CITY + 1:02d}市第{d % DISTRICTS_PER_CITY + 1}区分局", UnitKind.BUREAU,
               district_city[d], "", "") for d, pk in enumerate(district_ids)]
    units += [(pk, f"基准第{s // STATIONS_PER_DISTRICT // DISTRICTS_PER_CITY + 1:02d}市第"
                   f"{s // STATIONS_PER_DISTRICT % DISTRICTS_PER_CITY + 1}区第{s % STATIONS_PER_DISTRICT + 1}派出所",
               UnitKind.STATION, district_ids[s // STATIONS_PER_DISTRICT], "", "") for s, pk in enumerate(station_ids)]
    writer.write(Unit, ("id", "name", "kind", "parent", "code", "phone"), units)

    # -- schools, posts, timetables ----------------------------------------------------------------
    n_schools = n_districts * SCHOOLS_PER_DISTRICT
    school_ids = list(writer.ids(School, n_schools))
    school_station = [station_ids[d * STATIONS_PER_DISTRICT + (i % STATIONS_PER_DISTRICT)]
                      for d in range(n_districts) for i in range(SCHOOLS_PER_DISTRICT)]
    school_district = [i // SCHOOLS_PER_DISTRICT for i in range(n_schools)]
    school_window = [(rng.randrange(len(AM_WINDOWS)), rng.randrange(len(PM_WINDOWS))) for _ in range(n_schools)]
    writer.write(School, ("id", "name", "kind", "station", "address", "pupils", "contact_name", "contact_phone"), (
        (school_ids[i], f"基准第{i:05d}{'幼儿园' if SCHOOL_KINDS[i % len(SCHOOL_KINDS)] == 'kindergarten' else '学校'}",
         SCHOOL_KINDS[i % len(SCHOOL_KINDS)], school_station[i], "", 300 + (i * 37) % 1500, "", "")
        for i in range(n_schools)))
    mask = weekdays_to_mask(range(1, 6))
    timetable_rows = []
    for i, school_id in enumerate(school_ids):
        am, pm = AM_WINDOWS[school_window[i][0]], PM_WINDOWS[school_window[i][1]]
        timetable_rows.append((school_id, "am", datetime.time(*am), _plus(am, AM_MINUTES)))
        timetable_rows.append((school_id, "pm", datetime.time(*pm), _plus(pm, PM_MINUTES)))
    tt_ids = iter(writer.ids(Timetable, len(timetable_rows)))
    writer.write(Timetable, ("id", "school", "period", "weekdays", "start", "end", "valid_from"),
                 ((next(tt_ids), s, p, mask, a, b, datetime.date(2020, 1, 1)) for s, p, a, b in timetable_rows))

    # Posts: each school's main gate, a second gate at SECOND_GATES_PER_DISTRICT schools of
    # each district, and INACTIVE_POSTS_PER_DISTRICT old gates no longer stood.
    posts = []  # (school index, gate 0/1, active)
    for d in range(n_districts):
        first = d * SCHOOLS_PER_DISTRICT
        posts += [(first + i, 0, True) for i in range(SCHOOLS_PER_DISTRICT)]
        posts += [(first + i * 15, 1, True) for i in range(SECOND_GATES_PER_DISTRICT)]
    active_posts = len(posts)
    for d in range(n_districts):
        posts += [(d * SCHOOLS_PER_DISTRICT + 7 + i, 2, False) for i in range(INACTIVE_POSTS_PER_DISTRICT)]
    post_ids = list(writer.ids(Post, len(posts)))
    staffing = tuple(STANDARD_STAFFING[kind] for kind in PersonKind)
    writer.write(Post, ("id", "school", "name", "station", "radius_m", "lead_minutes", "active", "need_police",
                        "need_auxiliary", "need_school_security", "need_guard", "need_staff", "need_volunteer"), (
        (post_ids[p], school_ids[s], ("正门护学岗", "侧门护学岗", "旧北门护学岗")[gate], school_station[s], 150,
         LEAD_MINUTES, active, *staffing)
        for p, (s, gate, active) in enumerate(posts)))
    done(f"{n_cities + n_districts + n_stations + 2:,} units, {n_schools:,} schools, {len(posts):,} posts")

    # -- people ---------------------------------------------------------------------------------
    # Per station: police, then auxiliaries; per school: its security officer, then its guards.
    per_station = POLICE_PER_STATION + AUXILIARIES_PER_STATION
    per_school = 1 + GUARDS_PER_SCHOOL
    person_ids = list(writer.ids(Person, n_stations * per_station + n_schools * per_school))
    station_people = {station_ids[s]: person_ids[s * per_station:(s + 1) * per_station] for s in range(n_stations)}
    school_base = n_stations * per_station
    hired_in_term = set()
    for d in range(n_districts):
        guards = [school_base + (d * SCHOOLS_PER_DISTRICT + i) * per_school + 1 + g
                  for i in range(SCHOOLS_PER_DISTRICT) for g in range(GUARDS_PER_SCHOOL)]
        hired_in_term.update(rng.sample(guards, PER_DISTRICT["guards_hired"]))
    elapsed_span = max((today - start).days, 1)

    def people():
        for s in range(n_stations):
            for k in range(per_station):
                index = s * per_station + k
                kind = PersonKind.POLICE if k < POLICE_PER_STATION else PersonKind.AUXILIARY
                yield (person_ids[index], _name(rng), kind, station_ids[s], None, "", f"B{person_ids[index]}", "",
                       None, True, "")
        for i in range(n_schools):
            for k in range(per_school):
                index = school_base + i * per_school + k
                if k == 0:
                    yield (person_ids[index], _name(rng), PersonKind.SCHOOL_SECURITY, school_station[i],
                           school_ids[i], "", "", "", None, True, "")
                else:
                    hired = (start + datetime.timedelta(days=rng.randrange(elapsed_span)) if index in hired_in_term
                             else start - datetime.timedelta(days=rng.randrange(30, 2000)))
                    yield (person_ids[index], _name(rng), PersonKind.GUARD, school_station[i], school_ids[i], "", "",
                           f"保安员证{person_ids[index]}", hired, True, "")

    writer.write(Person, ("id", "name", "kind", "unit", "school", "phone", "badge_no", "certificate_no", "hire_date",
                          "active", "dismissed_reason"), people())
    done(f"{len(person_ids):,} people")

    # -- shifts and assignments -------------------------------------------------------------------
    expected_person_times = _shifts_and_assignments(
        writer, rng, days=days, today=today, now=now, tz=tz, posts=posts[:active_posts], post_ids=post_ids,
        school_station=school_station, school_window=school_window, station_people=station_people,
        school_person=lambda s, gate: person_ids[school_base + s * per_school + gate], done=done,
        n_districts=n_districts)

    # -- the rest of each district's term -----------------------------------------------------------
    context = _Context(
        writer=writer, rng=rng, start=start, today=today, now=now, tz=tz, days=days, elapsed_days=elapsed_days,
        n_districts=n_districts, district_ids=district_ids, station_ids=station_ids, school_ids=school_ids,
        school_station=school_station, school_district=school_district, school_window=school_window,
        post_ids=post_ids, posts=posts, active_posts=active_posts, station_people=station_people,
        crypto=crypto, with_check_character=with_check_character,
    )
    _incidents(context)
    done(f"incidents ({writer.written.get('incidents_incident', 0):,})")
    _inspections(context)
    done(f"inspections, hazards, notices, improvements, joint operations "
         f"({writer.written.get('inspections_inspection', 0):,} inspections)")
    _key_persons(context)
    done(f"key persons ({writer.written.get('keypersons_keyperson', 0):,}) and their follow-ups")
    _outreach(context)
    done("activities, trainings, drills")
    _supervision(context)
    done("spot checks, findings, bulletins")
    writer.finish()

    # -- accounts ----------------------------------------------------------------------------------
    office = Unit.objects.get(pk=office_id)
    password = secrets.token_urlsafe(18) + "Aa1!"
    hq = user_create(username=f"bench_hq_{os.getpid()}", password=password, role=Role.HQ, unit=office,
                     full_name="省指挥")
    dispatcher = user_create(username=f"bench_dispatcher_{os.getpid()}", password=password, role=Role.DISPATCHER,
                             unit=Unit.objects.get(pk=station_ids[0]), full_name="所调度")
    done("accounts")

    expected = {key: (dict(value) if isinstance(value, dict) else value) for key, value in PER_DISTRICT.items()}
    for key, value in expected.items():
        if isinstance(value, dict):
            expected[key] = {k: v * n_districts for k, v in value.items()}
        else:
            expected[key] = value * n_districts
    expected["person_times"] = expected_person_times
    return Province(
        scale=scale, districts=n_districts, cities=n_cities, stations=n_stations, schools=n_schools,
        posts=active_posts, start=start, end=today, term_end=days[-1], now=now, province_id=province_id,
        city_id=city_ids[0], district_id=district_ids[0], station_id=station_ids[0], hq_id=hq.pk,
        dispatcher_id=dispatcher.pk, expected=expected, written=dict(writer.written),
    )


def _plus(hm: tuple[int, int], minutes: int) -> datetime.time:
    total = hm[0] * 60 + hm[1] + minutes
    return datetime.time(total // 60, total % 60)


def _shifts_and_assignments(writer, rng, *, days, today, now, tz, posts, post_ids, school_station, school_window,
                            station_people, school_person, done, n_districts) -> int:
    """One shift per active post, school day and period, and one assignment on each; the
    ended ones decided. Written in date order, as the nightly generation would have. Answers
    the person-times (police and auxiliaries checked in)."""
    from attendance.models import CheckIn
    from duty.models import Assignment, Shift

    with loading(writer, (Shift, Assignment, CheckIn)):
        person_times = _write_shifts_and_assignments(
            writer, rng, days=days, now=now, tz=tz, posts=posts, post_ids=post_ids, school_station=school_station,
            school_window=school_window, station_people=station_people, school_person=school_person, done=done,
            n_districts=n_districts)
    done("indexes and constraints of shifts, assignments and check-ins rebuilt")
    # The closed days counted once and kept, as closing the shifts does every few minutes
    # (duty.tallies): the figures of a term read them.
    from duty.models import DayTally
    from duty.tallies import tally_closed_days

    tallied = tally_closed_days(now=now)
    writer.written[DayTally._meta.db_table] = DayTally.objects.count()
    done(f"{len(tallied)} closed days tallied ({writer.written[DayTally._meta.db_table]:,} rows)")
    return person_times


def _write_shifts_and_assignments(writer, rng, *, days, now, tz, posts, post_ids, school_station, school_window,
                                  station_people, school_person, done, n_districts) -> int:
    from attendance.models import CheckIn
    from duty.models import Assignment, Shift

    n_posts = len(posts)
    n_slots = len(days) * 2 * n_posts
    shift_ids = writer.ids(Shift, n_slots)
    assignment_ids = writer.ids(Assignment, n_slots)
    posts_per_district = n_posts // n_districts

    # Each shift's window, by school window and day: (starts_at, ends_at).
    window_cache: dict = {}

    def window(day_index: int, period: int, school: int):
        key = (day_index, period, school_window[school][period])
        found = window_cache.get(key)
        if found is None:
            hm = (AM_WINDOWS, PM_WINDOWS)[period][school_window[school][period]]
            length = (AM_MINUTES, PM_MINUTES)[period]
            begin = datetime.datetime.combine(days[day_index], datetime.time(*hm), tzinfo=tz)
            found = window_cache[key] = (begin - datetime.timedelta(minutes=LEAD_MINUTES),
                                         begin + datetime.timedelta(minutes=length))
        return found

    # Which shifts a police officer or auxiliary stands, and how each ended one went: per
    # district, exactly POLICE_OUTCOMES among its ended shifts; among those still to come, the
    # same share. Code 0: the school's own person; 1-5: police, ended (the outcome's index);
    # 6: police, not ended.
    outcome_names = list(POLICE_OUTCOMES)
    codes = bytearray(n_slots)
    police_share = sum(POLICE_OUTCOMES.values()) / (posts_per_district * 2 * ELAPSED_SCHOOL_DAYS)
    for d in range(n_districts):
        ended, to_come = [], []
        for day_index in range(len(days)):
            for period in (0, 1):
                base = (day_index * 2 + period) * n_posts
                for p in range(d * posts_per_district, (d + 1) * posts_per_district):
                    if window(day_index, period, posts[p][0])[1] <= now:
                        ended.append(base + p)
                    else:
                        to_come.append(base + p)
        outcomes = [code for code, name in enumerate(outcome_names, start=1) for _ in range(POLICE_OUTCOMES[name])]
        for slot, code in zip(rng.sample(ended, len(outcomes)), outcomes):
            codes[slot] = code
        for slot in to_come:
            if rng.random() < police_share:
                codes[slot] = 6
    done(f"decided who stands which of {n_slots:,} shifts")

    created = datetime.datetime.combine(days[0] - datetime.timedelta(days=14), datetime.time(22), tzinfo=tz)
    minute = datetime.timedelta(minutes=1)
    school_cumulative = []
    total = 0.0
    for name, share in SCHOOL_OUTCOMES:
        total += share
        school_cumulative.append((total, name))
    person_times = 0

    def shift_rows():
        for day_index, day in enumerate(days):
            for period in (0, 1):
                base = (day_index * 2 + period) * n_posts
                for p in range(n_posts):
                    school = posts[p][0]
                    begins, ends = window(day_index, period, school)
                    yield (shift_ids[base + p], post_ids[p], school_station[school], day, ("am", "pm")[period],
                           begins, ends, "scheduled", True, False, created, created)

    writer.write(Shift, ("id", "post", "station", "date", "period", "starts_at", "ends_at", "status", "published",
                         "calendar_guess", "created_at", "updated_at"), shift_rows())
    done(f"{n_slots:,} shifts")

    def assignment_rows():
        nonlocal person_times
        for day_index in range(len(days)):
            for period in (0, 1):
                base = (day_index * 2 + period) * n_posts
                taken: dict[int, int] = {}
                for p in range(n_posts):
                    school, gate, _active = posts[p]
                    station = school_station[school]
                    begins, ends = window(day_index, period, school)
                    code = codes[base + p]
                    if code:
                        k = taken.get(station, 0)
                        taken[station] = k + 1
                        staff = station_people[station]
                        person = staff[(k + day_index * 3 + period) % len(staff)]
                        outcome = outcome_names[code - 1] if code < 6 else None
                    else:
                        person = school_person(school, gate)
                        if ends <= now:
                            r = rng.random()
                            outcome = next((name for bound, name in school_cumulative if r < bound), "on_time")
                        else:
                            outcome = None
                    checked_in = checked_out = closed = None
                    attendance, excuse = "pending", ""
                    if outcome is not None:
                        attendance, closed = outcome, ends + 5 * minute
                        if outcome == "excused":
                            excuse = "病假"
                        elif outcome != "absent":
                            checked_in = (begins + rng.randrange(1, 12) * minute if outcome == "late"
                                          else begins - rng.randrange(0, 10) * minute)
                            checked_out = (ends - rng.randrange(5, 15) * minute if outcome == "left_early"
                                           else ends + rng.randrange(0, 5) * minute)
                    elif begins <= now:  # running now: most are in already
                        if rng.random() < 0.9:
                            checked_in = begins - rng.randrange(0, 10) * minute
                    if checked_in is not None and code:
                        person_times += 1
                    yield (assignment_ids[base + p], shift_ids[base + p], person, station, begins, ends, True,
                           "standing", created, checked_in, checked_out, attendance, excuse, closed)

    writer.write(Assignment, ("id", "shift", "person", "station", "starts_at", "ends_at", "active", "source",
                              "created_at", "checked_in_at", "checked_out_at", "attendance", "excuse_reason",
                              "closed_at"), assignment_rows())
    done(f"{n_slots:,} assignments")

    # The check-in rows, one per checked-in assignment, by one INSERT … SELECT (portable SQL).
    connection = writer.connection
    table = connection.ops.quote_name(CheckIn._meta.db_table)
    kit = json.dumps(["police_kit", "cap", "shoulder_light", "radio", "body_camera"])
    json_param = "CAST(%s AS jsonb)" if writer.postgres else "%s"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (assignment_id, at, method, inside_geofence, outside_reason, kit, kit_missing, flagged) "
            f"SELECT id, checked_in_at, 'phone', %s, '', {json_param}, {json_param}, %s FROM duty_assignment "
            f"WHERE checked_in_at IS NOT NULL AND id BETWEEN %s AND %s",
            [True, kit, "[]", False, assignment_ids[0], assignment_ids[-1]],
        )
        writer.written[CheckIn._meta.db_table] = writer.written.get(CheckIn._meta.db_table, 0) + cursor.rowcount
    writer.models.add(CheckIn)
    done(f"{writer.written[CheckIn._meta.db_table]:,} check-ins")
    return person_times


@dataclass
class _Context:
    writer: Writer
    rng: random.Random
    start: datetime.date
    today: datetime.date
    now: datetime.datetime
    tz: datetime.tzinfo
    days: list
    elapsed_days: list
    n_districts: int
    district_ids: list
    station_ids: list
    school_ids: list
    school_station: list
    school_district: list
    school_window: list
    post_ids: list
    posts: list
    active_posts: int
    station_people: dict
    crypto: object
    with_check_character: object

    def schools_of(self, d: int) -> range:
        return range(d * SCHOOLS_PER_DISTRICT, (d + 1) * SCHOOLS_PER_DISTRICT)

    def main_post(self, s: int) -> int:
        """The index of school `s`'s main gate among the posts (each district's 106 active
        posts are together: its schools' main gates, then its second gates)."""
        d, i = divmod(s, SCHOOLS_PER_DISTRICT)
        return d * (SCHOOLS_PER_DISTRICT + SECOND_GATES_PER_DISTRICT) + i

    def posts_of(self, d: int) -> range:
        per = SCHOOLS_PER_DISTRICT + SECOND_GATES_PER_DISTRICT
        return range(d * per, (d + 1) * per)

    def stations_of(self, d: int) -> list[int]:
        return self.station_ids[d * STATIONS_PER_DISTRICT:(d + 1) * STATIONS_PER_DISTRICT]

    def day(self) -> datetime.date:
        """A day of the term to date (today included)."""
        return self.start + datetime.timedelta(days=self.rng.randrange((self.today - self.start).days + 1))

    def school_day(self) -> datetime.date:
        return self.rng.choice(self.elapsed_days)

    def moment(self, day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
        return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=self.tz)

    def peak_moment(self, day: datetime.date) -> datetime.datetime:
        """A moment in a morning or afternoon peak of `day`."""
        if self.rng.random() < 0.5:
            return self.moment(day, 7, 25) + datetime.timedelta(minutes=self.rng.randrange(45))
        return self.moment(day, 16, 15) + datetime.timedelta(minutes=self.rng.randrange(55))


def _incidents(c: _Context) -> None:
    from incidents.models import Incident, IncidentStep

    per = PER_DISTRICT
    rows = []
    for d in range(c.n_districts):
        plan = []
        helps = 180
        plan += [("help" if i % 3 else "alarm", 2 if i < per["help_and_alarms"] - helps else 1, True, "closed")
                 for i in range(helps)]
        plan += [("assistance", 1, True, "closed")] * per["help_given"]
        suspicious = 70
        plan += [("suspicious", 2 if i < per["suspicious_checked"] - suspicious else 1, True, "closed")
                 for i in range(suspicious)]
        plan += [("emergency", 1, True, "closed")] * per["emergencies_handled"]
        plan += [("dispute", 2, True, "closed")] * per["disputes_resolved"]
        plan += [("dispute", 2, False, "taken")] * UNRESOLVED_DISPUTES
        plan += [("good_deed", 1, True, "closed")] * 6
        plan += [(kind, 1, False, "draft") for kind in ("help", "assistance", "suspicious", "emergency", "dispute")
                 ][:DRAFT_INCIDENTS]
        for kind, people, resolved, status in plan:
            s = c.rng.choice(c.schools_of(d))
            p = c.main_post(s) if c.rng.random() < 0.95 else None
            day = c.school_day()
            at = c.peak_moment(day)
            rows.append((kind, people, resolved, status, s, p, at))
    rows.sort(key=lambda row: row[6])
    ids = c.writer.ids(Incident, len(rows))
    good = 0

    def incident_rows():
        nonlocal good
        for pk, (kind, people, resolved, status, s, p, at) in zip(ids, rows):
            extra = {"outcome": "", "id_checked": False, "parties": "", "mediation": "", "publicity": False,
                     "publicity_text": ""}
            if kind == "suspicious":
                extra.update(outcome=("released", "handed_over", "taken_in")[pk % 3], id_checked=True)
            elif kind == "dispute":
                extra.update(parties="家长与摊贩", mediation="现场调解，双方和解。" if resolved else "")
            elif kind == "good_deed":
                good += 1
                if good % 3 == 0:
                    extra.update(publicity=True, publicity_text="执勤人员及时救助一名晕倒老人。")
            yield (pk, kind, at, c.school_ids[s], c.post_ids[p] if p is not None else None, c.school_station[s],
                   people, "现场处置", "", resolved, status, extra["id_checked"], "", extra["outcome"],
                   extra["parties"], extra["mediation"], extra["publicity"], extra["publicity_text"], at, at)

    c.writer.write(Incident, ("id", "kind", "occurred_at", "school", "post", "station", "people_count", "summary",
                              "action_taken", "resolved", "status", "id_checked", "items_checked", "outcome",
                              "parties", "mediation", "publicity", "publicity_text", "created_at", "updated_at"),
                   incident_rows())
    reported = [(pk, row[6]) for pk, row in zip(ids, rows) if row[3] != "draft"]
    step_ids = c.writer.ids(IncidentStep, len(reported))
    c.writer.write(IncidentStep, ("id", "incident", "kind", "at", "department", "note"),
                   ((sid, pk, "reported", at, "", "") for sid, (pk, at) in zip(step_ids, reported)))


def _inspections(c: _Context) -> None:
    from inspections.models import (
        ChecklistTemplate,
        Hazard,
        HazardEvent,
        Improvement,
        Inspection,
        JointOperation,
        Notice,
        NoticeCounter,
    )

    per = PER_DISTRICT
    template_id = ChecklistTemplate.objects.filter(active=True).order_by("pk").values_list("pk", flat=True).first()
    if template_id is None:
        template_id = ChecklistTemplate.objects.create(name="基准检查表").pk
    categories = ("public_order", "fire", "traffic", "food", "chemicals", "security")

    inspections, hazards, notices, improvements, joint = [], [], [], [], []
    for d in range(c.n_districts):
        schools = list(c.schools_of(d))
        statuses = ["approved"] * 150 + ["submitted"] * 6 + ["returned"] * (per["inspections"] - 156)
        statuses += ["draft"] * DRAFT_INSPECTIONS
        mine = []
        for status in statuses:
            s = c.rng.choice(schools)
            day = c.school_day()
            inspections.append((status, s, day))
            if status != "draft":
                mine.append(len(inspections) - 1)
        # Hazards: verified, rectified, notified, open; each hazard past "open" was on a notice.
        plan = ["verified"] * 20 + ["rectified"] * 4 + ["notified"] * 5 + ["open"] * (per["hazards_found"] - 29)
        found = []
        for k, status in enumerate(plan):
            inspection = c.rng.choice(mine)
            s, day = inspections[inspection][1], inspections[inspection][2]
            overdue = status in ("open", "notified") and k % 2 == 0
            if overdue:
                deadline = day + datetime.timedelta(days=7)
                if deadline >= c.today:
                    day, deadline = c.start, c.start + datetime.timedelta(days=7)
            else:
                deadline = max(day + datetime.timedelta(days=30), c.today + datetime.timedelta(days=3)) \
                    if status in ("open", "notified") else day + datetime.timedelta(days=30)
            found.append((inspection, s, categories[k % len(categories)], status, day, deadline, overdue))
        first_hazard = len(hazards)
        hazards.extend(found)
        # Notices: one per notified-or-later hazard (29 of them) would be too many: 18 notices,
        # the first hazards one each, the rest added to earlier notices.
        noticed = [first_hazard + k for k, status in enumerate(plan) if status != "open"]
        groups = [[h] for h in noticed[: per["notices"]]]
        for k, h in enumerate(noticed[per["notices"]:]):
            groups[k % len(groups)].append(h)
        for group in groups:
            issued = max(hazards[h][4] for h in group)
            notices.append(("issued", hazards[group[0]][1], issued, group))
        for _ in range(DRAFT_NOTICES):
            notices.append(("draft", c.rng.choice(schools), None, []))
        for kind, total, parts in (("traffic_sign", 19, 5), ("cctv", 11, 4), ("road_marking", 2400, 3),
                                   ("anti_ram", 4, 2), ("alarm_button", 16, 4)):
            for quantity in _spread(total, parts, c.rng):
                improvements.append((c.rng.choice(schools), kind, quantity, c.day()))
        police, venues = _spread(per["joint_police"], 4, c.rng), _spread(per["joint_venues"], 4, c.rng)
        fixed = _spread(per["joint_hazards_fixed"], 4, c.rng)
        for k in range(per["joint_operations"]):
            joint.append((c.district_ids[d], c.day(), police[k], venues[k], fixed[k] + 1, fixed[k]))

    ins_ids = c.writer.ids(Inspection, len(inspections))
    c.writer.write(Inspection, ("id", "school", "date", "template", "status", "note", "round", "submitted_at",
                                "created_at", "updated_at"), (
        (pk, c.school_ids[s], day, template_id, status, "", 0 if status == "draft" else 1,
         None if status == "draft" else c.moment(day, 18), c.moment(day, 12), c.moment(day, 18))
        for pk, (status, s, day) in zip(ins_ids, inspections)))
    hz_ids = c.writer.ids(Hazard, len(hazards))
    c.writer.write(Hazard, ("id", "inspection", "school", "category", "description", "severity", "found_on",
                            "deadline", "status", "source", "overdue_since", "created_at", "updated_at"), (
        (pk, ins_ids[inspection], c.school_ids[s], category, "基准隐患", ("high", "medium", "low")[pk % 3], day,
         deadline, status, "hand", deadline + datetime.timedelta(days=1) if overdue else None, c.moment(day, 12),
         c.moment(day, 12))
        for pk, (inspection, s, category, status, day, deadline, overdue) in zip(hz_ids, hazards)))
    events = []
    for pk, (_i, _s, _c, status, day, _deadline, _o) in zip(hz_ids, hazards):
        path = ["open", "notified", "rectified", "verified"]
        reached = path[: path.index(status) + 1]
        for k, to_status in enumerate(reached):
            at = c.moment(min(day + datetime.timedelta(days=5 * k), c.today), 10)
            events.append((pk, at, reached[k - 1] if k else "", to_status))
    ev_ids = c.writer.ids(HazardEvent, len(events))
    c.writer.write(HazardEvent, ("id", "hazard", "at", "from_status", "to_status", "note", "photo"),
                   ((pk, *row, "", "") for pk, row in zip(ev_ids, events)))

    no_ids = c.writer.ids(Notice, len(notices))
    numbers: dict[int, int] = {}
    last_number = dict(NoticeCounter.objects.values_list("year", "last_number"))
    notice_rows = []
    for pk, (status, s, issued, _group) in zip(no_ids, notices):
        year = number = None
        if status == "issued":
            year = issued.year
            numbers[year] = numbers.get(year, last_number.get(year, 0)) + 1
            number = numbers[year]
        notice_rows.append((pk, c.school_ids[s], (issued or c.today) + datetime.timedelta(days=30), "", status, year,
                            number, issued, c.moment(issued or c.today, 9)))
    c.writer.write(Notice, ("id", "school", "deadline", "text", "status", "year", "number", "issued_on",
                            "created_at"), notice_rows)
    links = [(no_ids[n], hz_ids[h]) for n, (_s, _school, _i, group) in enumerate(notices) for h in group]
    through = Notice.hazards.through
    link_ids = c.writer.ids(through, len(links))
    c.writer.write(through, ("id", "notice", "hazard"), ((pk, *row) for pk, row in zip(link_ids, links)))
    for year, number in numbers.items():
        NoticeCounter.objects.update_or_create(year=year, defaults={"last_number": number})

    im_ids = c.writer.ids(Improvement, len(improvements))
    c.writer.write(Improvement, ("id", "school", "kind", "quantity", "date", "note"),
                   ((pk, c.school_ids[s], kind, q, day, "") for pk, (s, kind, q, day) in zip(im_ids, improvements)))
    jo_ids = c.writer.ids(JointOperation, len(joint))
    by_type = {"internet_cafe": 20, "game_hall": 10, "shop": 60, "food": 40}
    c.writer.write(JointOperation, ("id", "unit", "date", "title", "departments", "police_count", "venues_checked",
                                    "venues_by_type", "hazards_found", "hazards_fixed", "vendors_cleared", "note"), (
        (pk, unit, day, "校园周边联合整治", "教体、市场监管、城管", police, venues, by_type, found, fixed, 5, "")
        for pk, (unit, day, police, venues, found, fixed) in zip(jo_ids, joint)))


def _key_persons(c: _Context) -> None:
    from keypersons.models import FollowUp, KeyPerson, KeyPersonCategory

    per_district = PER_DISTRICT["key_persons"] + ARCHIVED_KEY_PERSONS
    ids = c.writer.ids(KeyPerson, per_district * c.n_districts)
    encrypt = c.crypto.encrypt
    categories = ("mental_disorder", "petitioner", "drug_user", "grievance", "school_offence")
    rows, cats, links, follow_ups = [], [], [], []
    used = set()
    for d in range(c.n_districts):
        stations = c.stations_of(d)
        for k in range(per_district):
            pk = ids[d * per_district + k]
            station = stations[k % len(stations)]
            officer = c.station_people[station][k % POLICE_PER_STATION]
            while True:
                birth = datetime.date(c.rng.randint(1960, 2000), c.rng.randint(1, 12), c.rng.randint(1, 28))
                number = c.with_check_character(f"5109{d % 100:02d}{birth:%Y%m%d}{c.rng.randint(1, 999):03d}")
                if number not in used:
                    used.add(number)
                    break
            risk = ("high", "medium", "low", "low")[k % 4]
            archived = k >= PER_DISTRICT["key_persons"]
            registered = c.start - datetime.timedelta(days=c.rng.randrange(30, 900)) if k % 3 or archived else c.day()
            last = c.today - datetime.timedelta(days=c.rng.randrange(1, 6))
            interval = {"high": 7, "medium": 15, "low": 30}[risk]
            due = last + datetime.timedelta(days=interval)
            if k < OVERDUE_KEY_PERSONS:
                last, due = c.today - datetime.timedelta(days=interval + 5), c.today - datetime.timedelta(days=5)
            archived_at = c.moment(c.start - datetime.timedelta(days=10), 10) if archived else None
            rows.append((
                pk, _name(c.rng), encrypt(number, field="keyperson.id_number"), c.crypto.lookup_hash(number),
                "m" if int(number[16]) % 2 else "f", birth,
                encrypt(f"139{c.rng.randrange(10 ** 8):08d}", field="keyperson.phone"),
                encrypt(f"基准路{c.rng.randrange(1, 500)}号", field="keyperson.address"), "",
                encrypt("基准登记依据", field="keyperson.basis"), "", risk, station, officer, "stable", "", None,
                min(registered, c.today), last, due, archived_at, "迁出辖区" if archived else "",
                c.moment(min(registered, c.today), 9), c.moment(c.today, 9),
            ))
            cats.append((pk, categories[k % len(categories)]))
            if k % 4 == 0:
                cats.append((pk, categories[(k + 1) % len(categories)]))
            links.append((pk, c.school_ids[c.schools_of(d)[k * 2 % SCHOOLS_PER_DISTRICT]]))
            if not archived:
                day = max(c.start, min(registered, c.today))
                while day < last:
                    follow_ups.append((pk, day, officer, day))
                    day += datetime.timedelta(days=interval)
                follow_ups.append((pk, last, officer, last))
    c.writer.write(KeyPerson, ("id", "name", "id_number_cipher", "id_number_hash", "sex", "birth_date",
                               "phone_cipher", "address_cipher", "location_cipher", "basis_cipher", "notes_cipher",
                               "risk", "station", "officer", "status", "away_place", "away_until", "registered_on",
                               "last_follow_up_on", "follow_up_due", "archived_at", "archived_reason", "created_at",
                               "updated_at"), rows)
    cat_ids = c.writer.ids(KeyPersonCategory, len(cats))
    c.writer.write(KeyPersonCategory, ("id", "key_person", "category"), ((i, *row) for i, row in zip(cat_ids, cats)))
    through = KeyPerson.schools.through
    link_ids = c.writer.ids(through, len(links))
    c.writer.write(through, ("id", "keyperson", "school"), ((i, *row) for i, row in zip(link_ids, links)))
    observed = encrypt("本人在家，情绪稳定。", field="followup.observed")
    fu_ids = c.writer.ids(FollowUp, len(follow_ups))
    c.writer.write(FollowUp, ("id", "key_person", "date", "officer", "method", "observed_cipher", "status_after",
                              "due_on", "created_at"), (
        (i, pk, day, officer, ("visit", "call")[i % 2], observed, "stable", due, c.moment(day, 15))
        for i, (pk, day, officer, due) in zip(fu_ids, follow_ups)))


def _outreach(c: _Context) -> None:
    from outreach.models import Activity, Drill, Training

    per = PER_DISTRICT
    topics = ("telecom_fraud", "drugs", "organised_crime", "terrorism", "traffic", "drowning", "bullying")
    activities, trainings, drills = [], [], []
    for d in range(c.n_districts):
        schools = list(c.schools_of(d))
        stations = c.stations_of(d)
        # talks 80 × (200 reached, 100 leaflets); open days 7 × 300; 10 leaflet days × 1,000
        # leaflets; 5 exhibitions × 380: 20,000 reached, 18,000 leaflets.
        plan = ([("talk", 200, 100)] * per["talks"] + [("open_day", 300, 0)] * per["open_days"]
                + [("leaflets", 0, 1000)] * 10 + [("exhibition", 380, 0)] * 5)
        for kind, audience, materials in plan:
            s = c.rng.choice(schools)
            school = None if kind == "open_day" else s
            station = c.school_station[s] if school is not None else c.rng.choice(stations)
            activities.append((kind, c.rng.choice(topics), school, station, c.day(), audience, materials))
        for trainees in _spread(per["police_trained"], per["police_training_batches"], c.rng):
            trainings.append((c.district_ids[d], "police", c.day(), None, trainees))
        for trainees in _spread(per["security_trained"], per["security_trainings"], c.rng):
            s = c.rng.choice(schools)
            trainings.append((c.school_station[s], "security_staff", c.day(), s, trainees))
        kinds = ["fire"] * 20 + ["anti_terror"] * 11 + ["evacuation"] * (per["drills"] - 31)
        kinds += ["rapid_response"] * per["rapid_response_pulls"]
        for kind in kinds:
            s = c.rng.choice(schools)
            drills.append((s, kind, c.school_day()))
    activities.sort(key=lambda row: row[4])
    act_ids = c.writer.ids(Activity, len(activities))
    c.writer.write(Activity, ("id", "kind", "topic", "school", "station", "date", "audience", "materials", "place",
                              "note"), (
        (pk, kind, topic, c.school_ids[s] if s is not None else None, station, day, audience, materials, "", "")
        for pk, (kind, topic, s, station, day, audience, materials) in zip(act_ids, activities)))
    tr_ids = c.writer.ids(Training, len(trainings))
    c.writer.write(Training, ("id", "unit", "kind", "date", "school", "place", "batch", "trainees", "subjects"), (
        (pk, unit, kind, day, c.school_ids[s] if s is not None else None, "", "", trainees, "")
        for pk, (unit, kind, day, s, trainees) in zip(tr_ids, trainings)))
    drills.sort(key=lambda row: row[2])
    dr_ids = c.writer.ids(Drill, len(drills))

    def drill_rows():
        second = datetime.timedelta(seconds=1)
        for pk, (s, kind, day) in zip(dr_ids, drills):
            alarm = school = police = reinforcement = closed = None
            if kind == "rapid_response":
                alarm = c.moment(day, 10) + c.rng.randrange(120) * 60 * second
                school = alarm + c.rng.randrange(30, 75) * second
                police = alarm + c.rng.randrange(100, 200) * second
                reinforcement = alarm + c.rng.randrange(200, 330) * second
                closed = alarm + 600 * second
            yield (pk, c.school_ids[s], c.school_station[s], kind, day, 500, alarm, school, police, reinforcement,
                   "recorded", closed, "")

    c.writer.write(Drill, ("id", "school", "station", "kind", "date", "participants", "alarm_at",
                           "school_response_at", "police_arrival_at", "reinforcement_at", "source", "closed_at",
                           "note"), drill_rows())


def _supervision(c: _Context) -> None:
    from supervision.models import Bulletin, BulletinCounter, Finding, SpotCheck

    checks, findings, bulletins = [], [], []
    issues = ("absent", "left_post", "withdrew_early", "kit_missing", "conduct", "other")
    for d in range(c.n_districts):
        posts_here = c.posts_of(d)
        for k in range(SPOT_CHECKS):
            p = c.rng.choice(posts_here)
            s = c.posts[p][0]
            at = c.peak_moment(c.school_day())
            checks.append((p, c.school_station[s], ("onsite", "video", "radio")[k % 3], at))
            if k < FINDINGS:
                station = c.school_station[s]
                findings.append((len(checks) - 1, c.station_people[station][k % 20], issues[k % len(issues)]))
        span = max((c.today - c.start).days, 6)
        for k in range(PER_DISTRICT["bulletins"]):
            issued = c.start + datetime.timedelta(days=span * (k + 1) // (PER_DISTRICT["bulletins"] + 1))
            bulletins.append((c.district_ids[d], issued))
    checks_order = sorted(range(len(checks)), key=lambda k: checks[k][3])
    position = {k: n for n, k in enumerate(checks_order)}
    sc_ids = c.writer.ids(SpotCheck, len(checks))
    c.writer.write(SpotCheck, ("id", "post", "station", "method", "checked_at", "note"), (
        (sc_ids[n], c.post_ids[checks[k][0]], checks[k][1], checks[k][2], checks[k][3], "")
        for n, k in enumerate(checks_order)))
    fi_ids = c.writer.ids(Finding, len(findings))
    c.writer.write(Finding, ("id", "spot_check", "person", "issue", "note", "photo"), (
        (pk, sc_ids[position[check]], person, issue, "", "") for pk, (check, person, issue) in zip(fi_ids, findings)))
    bulletins.sort(key=lambda row: row[1])
    last_number = dict(BulletinCounter.objects.values_list("year", "last_number"))
    numbers: dict[int, int] = {}
    bu_ids = c.writer.ids(Bulletin, len(bulletins))
    rows = []
    for pk, (unit, issued) in zip(bu_ids, bulletins):
        numbers[issued.year] = numbers.get(issued.year, last_number.get(issued.year, 0)) + 1
        at = c.moment(issued, 17)
        rows.append((pk, unit, "督察通报", max(c.start, issued - datetime.timedelta(days=14)), issued, "", "issued",
                     issued.year, numbers[issued.year], {}, at))
    c.writer.write(Bulletin, ("id", "unit", "title", "period_start", "period_end", "text", "status", "year",
                              "number", "content", "issued_at"), rows)
    for year, number in numbers.items():
        BulletinCounter.objects.update_or_create(year=year, defaults={"last_number": number})


# -- a throw-away PostgreSQL database, for the command lines of every benchmark -------------------


def database_url_or_exit(script: str) -> str:
    url = os.environ.get("DATABASE_URL", "")
    if urlsplit(url).scheme not in {"postgres", "postgresql", "pgsql"}:
        sys.exit(
            f"{script} measures PostgreSQL (the production database) and refuses to run on SQLite or without a "
            "database. Set DATABASE_URL=postgres://user@host:5432/dbname; the script creates and drops its own "
            "throw-away database next to that one."
        )
    return url


def with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def admin_execute(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
        conn.execute(sql)


@contextlib.contextmanager
def throwaway_database(script: str, *, keep: bool = False):
    """Create huxue_bench_<pid> next to DATABASE_URL's database, point Django at it, set Django
    up and migrate; drop it on the way out (whatever happened) unless `keep`. Yields its name."""
    url = database_url_or_exit(script)
    name = f"huxue_bench_{os.getpid()}"
    admin_execute(url, f'CREATE DATABASE "{name}"')
    try:
        os.environ["DATABASE_URL"] = with_database(url, name)
        os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huxue.settings")
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection, connections

        try:
            print(f"database: {name} (PostgreSQL {connection.cursor().connection.info.server_version})")
            started = time.perf_counter()
            call_command("migrate", verbosity=0, interactive=False)
            print(f"migrated in {time.perf_counter() - started:.1f} s")
            yield name
        finally:
            connections.close_all()
    finally:
        if keep:
            print(f"kept {name}: drop it with DROP DATABASE \"{name}\"")
        else:
            admin_execute(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            print(f"dropped {name}")


def print_written(province: Province, stdout=None) -> None:
    stdout = stdout or sys.stdout
    print(f"province: {province.cities} cities, {province.districts} districts, {province.stations:,} stations, "
          f"{province.schools:,} schools, {province.posts:,} active posts; term {province.start}..{province.term_end}, "
          f"figures over {province.start}..{province.end}", file=stdout)
    for table, count in sorted(province.written.items(), key=lambda item: -item[1]):
        print(f"  {table:<40} {count:>12,}", file=stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=0.05, help="districts = 189 x scale (default 0.05)")
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--keep", action="store_true", help="leave the database behind and print its name")
    args = parser.parse_args()
    if not 0 < args.scale <= 5:
        sys.exit("--scale: between 0 and 5")
    with throwaway_database("province.py", keep=args.keep):
        province = generate(args.scale, seed=args.seed)
        print_written(province)


if __name__ == "__main__":
    main()
