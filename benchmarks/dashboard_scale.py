"""The work report's figures and the HQ dashboard at a province's size, against the floor
PostgreSQL itself sets.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python benchmarks/dashboard_scale.py \\
        [--scale 1.0] [--runs 5] [--explain] [--keep | --reuse huxue_bench_NNNN]

PostgreSQL only. A throw-away database (huxue_bench_<pid>), migrated and filled by
benchmarks/province.py at `--scale`, dropped at the end whatever happens (--keep leaves it,
--reuse measures a database kept earlier instead of generating one). Over the term to date,
as the province's HQ (an HQ account at the top: it sees every unit), for the whole province,
its first city and that city's first station, it times

  (a) reports.selectors.summary.stats_summary (the stats/summary figures),
  (b) reports.selectors.dashboard.dashboard_data (everything the HQ dashboard shows),
  (c) the floor: the same figures by hand-written SQL, one query per group of figures (the
      summary's, and the dashboard's, which include the summary's), each as tight as it can
      be written: one pass per table with the same filters, grouping sets where one pass
      answers several groupings,

each the median of --runs runs after one warm-up (the user's cached scope dropped before each
run, as in a new request), and prints the times, the queries each ran and the ratios to the
floor (the issue's aim: the whole province under 1 s and within 1.5x of the floor). The floor
is checked to answer the same figures as the selectors: a difference is printed and the
script exits 1. It asserts nothing about time.

--explain prints EXPLAIN (ANALYZE, BUFFERS) of every query the summary, the dashboard and the
floor run for the whole province (captured with CaptureQueriesContext), and flags each Seq
Scan on a table of more than 10,000 rows.
"""

from __future__ import annotations

import argparse
import datetime
import os
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.province import (  # noqa: E402
    DISTRICTS_AT_SCALE_1,
    database_url_or_exit,
    generate,
    print_written,
    throwaway_database,
    with_database,
)

SEQ_SCAN_ROWS = 10_000
DEPLOYED = ("police", "auxiliary")
KINDS = ("police", "auxiliary", "school_security", "guard", "staff", "volunteer")
INCIDENT_KINDS = ("help", "alarm", "assistance", "suspicious", "emergency", "dispute", "good_deed")
HAZARD_CATEGORIES = ("public_order", "fire", "traffic", "food", "chemicals", "security")
HAZARD_STATUSES = ("open", "notified", "rectified", "verified")
IMPROVEMENT_KINDS = ("traffic_sign", "cctv", "road_marking", "anti_ram", "alarm_button")
STAGES = (("school", "school_response_at", "RAPID_RESPONSE_SCHOOL_SECONDS"),
          ("police", "police_arrival_at", "RAPID_RESPONSE_POLICE_SECONDS"),
          ("reinforcement", "reinforcement_at", "RAPID_RESPONSE_REINFORCEMENT_SECONDS"))


# -- the floor: hand-written SQL ---------------------------------------------------------------------


class Floor:
    """The figures by hand-written SQL for one user and unit over start..end. The scope is the
    unit tree read once (as the selectors do) and intersected in Python; every other query
    filters by that id list."""

    def __init__(self, *, user, start, end, unit=None, now=None):
        from django.conf import settings
        from django.utils import timezone

        self.user, self.start, self.end, self.unit = user, start, end, unit
        self.now = now or timezone.now()
        self.tz = settings.TIME_ZONE
        zone = timezone.get_current_timezone()
        self.today = timezone.localtime(self.now).date()
        self.day_from = datetime.datetime.combine(start, datetime.time.min, tzinfo=zone)
        self.day_to = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone)
        self.settings = settings

    def rows(self, sql: str, params: dict) -> list[tuple]:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def scope(self) -> None:
        """The unit tree (one query): the ids in the user's scope under the unit, the stations
        among them, and the units a bulletin may come from (those and the ones above)."""
        tree = self.rows("SELECT id, parent_id, kind, name FROM org_unit", {})
        parents = {pk: parent for pk, parent, _kind, _name in tree}
        children: dict = {}
        for pk, parent in parents.items():
            children.setdefault(parent, []).append(pk)

        def below(root):
            seen, stack = set(), [root]
            while stack:
                pk = stack.pop()
                if pk not in seen:
                    seen.add(pk)
                    stack.extend(children.get(pk, ()))
            return seen

        def above(pk):
            found = set()
            node = parents.get(pk)
            while node is not None and node not in found:
                found.add(node)
                node = parents.get(node)
            return found

        kinds = {pk: kind for pk, _parent, kind, _name in tree}
        root = self.user.unit_id
        if self.user.role in ("hq", "supervisor"):
            while root is not None and kinds.get(root) != "bureau":
                root = parents.get(root)
        visible = below(root) if root is not None else set()
        ids = visible & below(self.unit.pk) if self.unit is not None else visible
        self.ids = sorted(ids)
        self.everywhere = len(ids) == len(parents)
        self.stations = {pk: name for pk, _parent, kind, name in tree if pk in ids and kind == "station"}
        readable = visible | (above(self.user.unit_id) if self.user.unit_id else set())
        reach = (below(self.unit.pk) | above(self.unit.pk)) if self.unit is not None else readable
        self.bulletin_units = sorted(readable & reach)

    def params(self, **extra) -> dict:
        # `everywhere`: the scope is every unit there is (HQ at the top), so the unit filter is
        # left out (a literal true: PostgreSQL drops the condition). A list of every unit's id
        # would only cost: 1,724 ids in = ANY() make the planner cost a sequential scan's
        # filter as a linear search and choose worse plans.
        return {"ids": self.ids, "everywhere": self.everywhere, "start": self.start, "end": self.end,
                "day_from": self.day_from,
                "day_to": self.day_to, "tz": self.tz, "today": self.today, "now": self.now, **extra}

    # -- the summary's groups ---------------------------------------------------------------------

    def posts(self) -> dict:
        ((posts, schools, covered),) = self.rows("""
            SELECT (SELECT count(*) FROM posts_post WHERE active AND (%(everywhere)s OR station_id = ANY(%(ids)s))),
                   count(*),
                   count(*) FILTER (WHERE EXISTS (SELECT 1 FROM posts_post p WHERE p.school_id = s.id AND p.active))
            FROM posts_school s WHERE (%(everywhere)s OR s.station_id = ANY(%(ids)s))""", self.params())
        return {"posts": posts, "schools": schools, "schools_covered": covered}

    def person_times(self) -> int:
        ((n,),) = self.rows("""
            SELECT count(*) FROM duty_assignment a
            JOIN duty_shift s ON s.id = a.shift_id JOIN org_person p ON p.id = a.person_id
            WHERE a.active AND (%(everywhere)s OR a.station_id = ANY(%(ids)s)) AND s.date BETWEEN %(start)s AND %(end)s
              AND a.checked_in_at IS NOT NULL AND p.kind IN ('police', 'auxiliary')""", self.params())
        return n

    INCIDENTS = """
        SELECT {week}, kind, count(*), sum(people_count),
               count(*) FILTER (WHERE kind = 'dispute' AND resolved)
        FROM incidents_incident
        WHERE status <> 'draft' AND (%(everywhere)s OR station_id = ANY(%(ids)s)) AND occurred_at >= %(day_from)s
          AND occurred_at < %(day_to)s
        GROUP BY 1, 2"""

    def incidents(self, rows=None) -> dict:
        if rows is None:
            rows = self.rows(self.INCIDENTS.format(week="NULL::date"), self.params())
        by_kind = {kind: [0, 0] for kind in INCIDENT_KINDS}
        resolved = 0
        for _week, kind, n, people, disputes in rows:
            by_kind[kind][0] += n
            by_kind[kind][1] += people
            resolved += disputes
        return {
            "help_and_alarms": by_kind["help"][1] + by_kind["alarm"][1],
            "help_given": by_kind["assistance"][0],
            "suspicious_checked": by_kind["suspicious"][1],
            "emergencies_handled": by_kind["emergency"][0],
            "disputes_resolved": resolved,
        }

    def bulletins(self) -> int:
        ((n,),) = self.rows("""
            SELECT count(*) FROM duty_bulletin WHERE status = 'issued' AND unit_id = ANY(%(units)s)
              AND issued_at >= %(day_from)s AND issued_at < %(day_to)s""", self.params(units=self.bulletin_units))
        return n

    def inspections(self) -> dict:
        p = self.params()
        ((guards,),) = self.rows("""
            SELECT count(*) FROM org_person
            WHERE kind = 'guard' AND (%(everywhere)s OR unit_id = ANY(%(ids)s))
              AND hire_date BETWEEN %(start)s AND %(end)s""", p)
        ((inspections,),) = self.rows("""
            SELECT count(*) FROM inspections_inspection i JOIN posts_school s ON s.id = i.school_id
            WHERE i.status <> 'draft' AND (%(everywhere)s OR s.station_id = ANY(%(ids)s))
              AND i.date BETWEEN %(start)s AND %(end)s""", p)
        ((notices,),) = self.rows("""
            SELECT count(*) FROM inspections_notice n JOIN posts_school s ON s.id = n.school_id
            WHERE n.status = 'issued' AND (%(everywhere)s OR s.station_id = ANY(%(ids)s))
              AND n.issued_on BETWEEN %(start)s AND %(end)s""", p)
        quantities = dict(self.rows("""
            SELECT i.kind, sum(i.quantity) FROM inspections_improvement i JOIN posts_school s ON s.id = i.school_id
            WHERE (%(everywhere)s OR s.station_id = ANY(%(ids)s)) AND i.date BETWEEN %(start)s AND %(end)s
            GROUP BY 1""", p))
        ((operations, police, venues, fixed),) = self.rows("""
            SELECT count(*), coalesce(sum(police_count), 0), coalesce(sum(venues_checked), 0),
                   coalesce(sum(hazards_fixed), 0)
            FROM inspections_jointoperation
            WHERE (%(everywhere)s OR unit_id = ANY(%(ids)s)) AND date BETWEEN %(start)s AND %(end)s""", p)
        return {"guards_hired": guards, "inspections": inspections, "notices": notices,
                "improvements": {kind: quantities.get(kind, 0) for kind in IMPROVEMENT_KINDS},
                "joint_operations": operations, "joint_police": police, "joint_venues": venues,
                "joint_hazards_fixed": fixed}

    def hazards_found(self) -> int:
        ((n,),) = self.rows("""
            SELECT count(*) FROM inspections_hazard h JOIN posts_school s ON s.id = h.school_id
            WHERE (%(everywhere)s OR s.station_id = ANY(%(ids)s))
              AND h.found_on BETWEEN %(start)s AND %(end)s""", self.params())
        return n

    KEY_PERSONS = """
        SELECT station_id,
               count(*) FILTER (WHERE registered_on <= %(end)s AND (archived_at IS NULL OR archived_at >= %(day_from)s)),
               count(*) FILTER (WHERE registered_on <= %(end)s AND (archived_at IS NULL OR archived_at >= %(day_from)s)
                                AND status = 'stable'),
               count(*) FILTER (WHERE archived_at IS NULL AND follow_up_due < %(today)s)
        FROM keypersons_keyperson WHERE (%(everywhere)s OR station_id = ANY(%(ids)s)) GROUP BY 1"""

    def activities(self) -> dict:
        ((talks, open_days, leaflets, reached),) = self.rows("""
            SELECT count(*) FILTER (WHERE kind = 'talk'), count(*) FILTER (WHERE kind = 'open_day'),
                   coalesce(sum(materials), 0), coalesce(sum(audience), 0)
            FROM outreach_activity
            WHERE (%(everywhere)s OR station_id = ANY(%(ids)s)) AND date BETWEEN %(start)s AND %(end)s""",
            self.params())
        ((police, batches, sessions, trained),) = self.rows("""
            SELECT coalesce(sum(trainees) FILTER (WHERE kind = 'police'), 0), count(*) FILTER (WHERE kind = 'police'),
                   count(*) FILTER (WHERE kind = 'security_staff'),
                   coalesce(sum(trainees) FILTER (WHERE kind = 'security_staff'), 0)
            FROM outreach_training
            WHERE (%(everywhere)s OR unit_id = ANY(%(ids)s)) AND date BETWEEN %(start)s AND %(end)s""",
            self.params())
        return {"talks": talks, "open_days": open_days, "leaflets": leaflets, "people_reached": reached,
                "police_trained": police, "police_training_batches": batches, "security_trainings": sessions,
                "security_trained": trained}

    def drills_sql(self) -> str:
        stages = []
        for name, column, setting in STAGES:
            seconds = int(getattr(self.settings, setting))
            target = f"alarm_at + interval '{seconds} seconds'"
            stages.append(f"count(*) FILTER (WHERE kind = 'rapid_response' AND {column} IS NOT NULL "
                          f"AND {column} <= {target}) AS {name}_met")
            stages.append(f"count(*) FILTER (WHERE kind = 'rapid_response' AND alarm_at IS NOT NULL AND "
                          f"({column} > {target} OR ({column} IS NULL AND closed_at IS NOT NULL))) AS {name}_missed")
        return f"""
            SELECT station_id, count(*) FILTER (WHERE kind <> 'rapid_response'),
                   count(*) FILTER (WHERE kind = 'rapid_response'), {', '.join(stages)}
            FROM outreach_drill
            WHERE (%(everywhere)s OR station_id = ANY(%(ids)s)) AND date BETWEEN %(start)s AND %(end)s
            GROUP BY 1"""

    def summary(self) -> dict:
        """stats_summary's figures: 14 queries after the unit tree."""
        self.scope()
        key_persons = self.rows(self.KEY_PERSONS, self.params())
        drills = self.rows(self.drills_sql(), self.params())
        return {
            **self.posts(),
            "person_times": self.person_times(),
            **self.incidents(),
            "bulletins": self.bulletins(),
            **self.inspections(),
            "hazards_found": self.hazards_found(),
            "key_persons": sum(row[1] for row in key_persons),
            "key_persons_stable": sum(row[2] for row in key_persons),
            **self.activities(),
            "drills": sum(row[1] for row in drills),
            "rapid_response_pulls": sum(row[2] for row in drills),
        }

    # -- the dashboard's ---------------------------------------------------------------------------

    def dashboard(self) -> dict:
        """Every figure the dashboard shows, the summary's included, each group once: 20
        queries after the unit tree."""
        from django.conf import settings
        from django.utils import timezone

        self.scope()
        p = self.params()
        # One pass over the range's assignments, grouped by week and station (a few thousand
        # rows) and rolled up here: person-times by week, attendance by station. (GROUPING SETS
        # would answer both groupings itself, but PostgreSQL 15 runs them without parallel
        # workers: slower than this.)
        assignments = self.rows("""
            SELECT date_trunc('week', s.date)::date AS week, a.station_id,
                   count(*) FILTER (WHERE a.checked_in_at IS NOT NULL AND p.kind IN ('police', 'auxiliary')),
                   count(*) FILTER (WHERE a.ends_at <= %(now)s AND a.attendance <> 'excused'),
                   count(*) FILTER (WHERE a.ends_at <= %(now)s AND a.attendance = 'on_time')
            FROM duty_assignment a
            JOIN duty_shift s ON s.id = a.shift_id JOIN org_person p ON p.id = a.person_id
            WHERE a.active AND (%(everywhere)s OR a.station_id = ANY(%(ids)s)) AND s.date BETWEEN %(start)s AND %(end)s
            GROUP BY 1, 2""", p)
        person_weeks: dict = {}
        attendance: dict = {}
        for week, station, n, assigned, on_time in assignments:
            person_weeks[week] = person_weeks.get(week, 0) + n
            before = attendance.get(station, (0, 0))
            attendance[station] = (before[0] + assigned, before[1] + on_time)
        week = "date_trunc('week', occurred_at AT TIME ZONE %(tz)s)::date"
        incidents = self.rows(self.INCIDENTS.format(week=week), p)
        hazards = self.rows("""
            SELECT h.category, h.status, date_trunc('week', h.found_on)::date, count(*),
                   count(*) FILTER (WHERE h.status IN ('open', 'notified') AND h.deadline < %(today)s)
            FROM inspections_hazard h JOIN posts_school s ON s.id = h.school_id
            WHERE (%(everywhere)s OR s.station_id = ANY(%(ids)s)) AND h.found_on BETWEEN %(start)s AND %(end)s
            GROUP BY GROUPING SETS ((1, 2), (3))""", p)
        closed = dict(self.rows("""
            SELECT date_trunc('week', e.at AT TIME ZONE %(tz)s)::date, count(DISTINCT e.hazard_id)
            FROM inspections_hazardevent e JOIN inspections_hazard h ON h.id = e.hazard_id
            JOIN posts_school s ON s.id = h.school_id
            WHERE (%(everywhere)s OR s.station_id = ANY(%(ids)s)) AND e.to_status = 'verified'
              AND e.at >= %(day_from)s
              AND e.at < %(day_to)s GROUP BY 1""", p))
        overdue_hazards = dict(self.rows("""
            SELECT s.station_id, count(*) FROM inspections_hazard h JOIN posts_school s ON s.id = h.school_id
            WHERE (%(everywhere)s OR s.station_id = ANY(%(ids)s)) AND h.status IN ('open', 'notified')
              AND h.deadline < %(today)s
            GROUP BY 1""", p))
        key_persons = self.rows(self.KEY_PERSONS, p)
        follow_ups = dict(self.rows("""
            SELECT date_trunc('week', f.date)::date, count(*) FROM keypersons_followup f
            JOIN keypersons_keyperson k ON k.id = f.key_person_id
            WHERE (%(everywhere)s OR k.station_id = ANY(%(ids)s)) AND k.registered_on <= %(end)s
              AND (k.archived_at IS NULL OR k.archived_at >= %(day_from)s) AND f.date BETWEEN %(start)s AND %(end)s
            GROUP BY 1""", p))
        findings = {station: n for station, n in self.rows("""
            SELECT c.station_id, count(f.id) FROM duty_spotcheck c LEFT JOIN duty_finding f ON f.spot_check_id = c.id
            WHERE (%(everywhere)s OR c.station_id = ANY(%(ids)s)) AND c.checked_at >= %(day_from)s
              AND c.checked_at < %(day_to)s
            GROUP BY 1""", p)}
        drills = self.rows(self.drills_sql(), p)
        day = self.today
        period = "am" if timezone.localtime(self.now).hour < 12 else "pm"
        present = " + ".join(f"count(a.id) FILTER (WHERE pe.kind = '{k}')" for k in KINDS)
        short = " OR ".join(f"count(a.id) FILTER (WHERE pe.kind = '{k}') < po.need_{k}" for k in KINDS)
        duty_now = self.rows(f"""
            SELECT station_id, state, count(*), count(*) FILTER (WHERE alarm) FROM (
                SELECT s.station_id,
                       CASE WHEN %(now)s < s.starts_at THEN 'not_started' WHEN {present} = 0 THEN 'nobody'
                            WHEN {short} THEN 'short' ELSE 'staffed' END AS state,
                       %(now)s >= s.starts_at AND {present} = 0
                           AND %(now)s - s.starts_at >= %(after)s * interval '1 minute' AS alarm
                FROM duty_shift s JOIN posts_post po ON po.id = s.post_id
                LEFT JOIN duty_assignment a ON a.shift_id = s.id AND a.active AND a.checked_in_at < a.ends_at
                     AND (a.checked_out_at IS NULL OR a.checked_out_at >= a.ends_at) AND a.attendance <> 'excused'
                LEFT JOIN org_person pe ON pe.id = a.person_id
                WHERE s.date = %(day)s AND s.period = %(period)s AND s.status = 'scheduled' AND po.active
                  AND (%(everywhere)s OR s.station_id = ANY(%(ids)s))
                GROUP BY s.id, po.id) peak
            GROUP BY 1, 2""", {**p, "day": day, "period": period, "after": settings.NOBODY_THERE_AFTER_MINUTES})

        by_category = {(c, s): n for c, s, _w, n, _o in hazards if c is not None}
        summary = {
            **self.posts(),
            "person_times": sum(person_weeks.values()),
            **self.incidents(incidents),
            "bulletins": self.bulletins(),
            **self.inspections(),
            "hazards_found": sum(by_category.values()),
            "key_persons": sum(row[1] for row in key_persons),
            "key_persons_stable": sum(row[2] for row in key_persons),
            **self.activities(),
            "drills": sum(row[1] for row in drills),
            "rapid_response_pulls": sum(row[2] for row in drills),
        }
        weeks: dict = {}
        for week, n in person_weeks.items():
            weeks.setdefault(week, {})["person_times"] = n
        for week, _kind, n, _people, _disputes in incidents:
            row = weeks.setdefault(week, {})
            row["incidents_total"] = row.get("incidents_total", 0) + n
        for _c, _s, week, n, _o in hazards:
            if week is not None:
                weeks.setdefault(week, {})["hazards_opened"] = n
        for week, n in closed.items():
            weeks.setdefault(week, {})["hazards_closed"] = n
        for week, n in follow_ups.items():
            weeks.setdefault(week, {})["follow_ups"] = n
        weeks = {week: {k: v for k, v in row.items() if v} for week, row in weeks.items()}
        weeks = {week: row for week, row in weeks.items() if row}
        incidents_by_kind = {kind: 0 for kind in INCIDENT_KINDS}
        for _week, kind, n, _people, _disputes in incidents:
            incidents_by_kind[kind] += n
        overdue_follow_ups = {row[0]: row[3] for row in key_persons}
        stage_met = {row[0]: sum(row[3 + 2 * k] for k in range(len(STAGES))) for row in drills}
        pulls = {row[0]: row[2] for row in drills}
        league = {pk: {"assigned": attendance.get(pk, (0, 0))[0], "on_time": attendance.get(pk, (0, 0))[1],
                       "findings": findings.get(pk, 0), "overdue_hazards": overdue_hazards.get(pk, 0),
                       "overdue_follow_ups": overdue_follow_ups.get(pk, 0), "pulls": pulls.get(pk, 0),
                       "stages_met": stage_met.get(pk, 0)} for pk in self.stations}
        total = {key: sum(row[key] for row in league.values()) for key in
                 ("assigned", "on_time", "findings", "overdue_hazards", "overdue_follow_ups", "pulls", "stages_met")}
        states = {"nobody": 0, "short": 0, "staffed": 0, "not_started": 0}
        for _station, state, n, _alarms in duty_now:
            states[state] += n
        return {
            "summary": summary,
            "weeks": weeks,
            "league": league,
            "total": total,
            "incidents_by_kind": incidents_by_kind,
            "hazards_by_category": {c: sum(n for (cat, _s), n in by_category.items() if cat == c)
                                    for c in HAZARD_CATEGORIES},
            "hazards_by_status": {s: sum(n for (_c, st), n in by_category.items() if st == s)
                                  for s in HAZARD_STATUSES},
            "hazards_overdue": sum(o for c, _s, _w, _n, o in hazards if c is not None),
            "duty_now": {"posts": sum(states.values()), "counts": states,
                         "alarms": sum(row[3] for row in duty_now)},
        }


# -- comparing the floor with the selectors ------------------------------------------------------------


def dashboard_figures(data: dict) -> dict:
    """The dashboard's numbers in the floor's shape."""
    summary = {}
    for item in data["summary"]:
        key = item["key"]
        if key.startswith("improvements."):
            summary.setdefault("improvements", {})[key.split(".", 1)[1]] = item["value"]
        else:
            summary[key] = item["value"]
    weeks = {}
    for row in data["weeks"]:
        values = {key: row[key] for key in ("person_times", "incidents_total", "hazards_opened", "hazards_closed",
                                              "follow_ups") if row.get(key)}
        if values:
            weeks[row["week"]] = values
    keys = ("assigned", "on_time", "findings", "overdue_hazards", "overdue_follow_ups", "pulls", "stages_met")
    league = {row["station_id"]: {key: row[key] or 0 for key in keys} for row in data["league"]["stations"]}
    return {
        "summary": summary,
        "weeks": weeks,
        "league": league,
        "total": {key: data["league"]["total"][key] or 0 for key in keys},
        "incidents_by_kind": {row["kind"]: row["incidents"] for row in data["incidents_by_kind"] or []},
        "hazards_by_category": {row["category"]: row["hazards"] for row in data["hazards"]["by_category"]},
        "hazards_by_status": {row["status"]: row["hazards"] for row in data["hazards"]["by_status"]},
        "hazards_overdue": data["hazards"]["overdue"],
        "duty_now": {"posts": data["duty_now"]["posts"], "counts": data["duty_now"]["counts"],
                     "alarms": data["duty_now"]["alarms"]},
    }


def differences(label: str, ours: dict, theirs: dict, path: str = "") -> list[str]:
    found = []
    for key in sorted(set(ours) | set(theirs), key=str):
        a, b = ours.get(key), theirs.get(key)
        if isinstance(a, dict) and isinstance(b, dict):
            found += differences(label, a, b, f"{path}{key}.")
        elif a != b:
            found.append(f"{label}: {path}{key}: floor {a!r}, selectors {b!r}")
    return found


# -- timing and explaining ----------------------------------------------------------------------------


def timed(user, func, runs: int) -> tuple[float, int, object]:
    """The median of `runs` runs after a warm-up (the scope dropped before each), the queries
    of one run, and its answer."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from org.scope import forget_scope

    forget_scope(user)
    func()
    times = []
    for _ in range(runs):
        forget_scope(user)
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
    forget_scope(user)
    with CaptureQueriesContext(connection) as captured:
        answer = func()
    return statistics.median(times), len(captured.captured_queries), answer


def table_sizes() -> dict[str, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, reltuples::bigint FROM pg_class WHERE relkind = 'r' "
                       "AND relnamespace = 'public'::regnamespace")
        return dict(cursor.fetchall())


def explain(title: str, func, user, sizes: dict[str, int]) -> int:
    """EXPLAIN (ANALYZE, BUFFERS) of every query `func` runs; answers the Seq Scans flagged. Ends
    with the queries by time, the slowest first."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from org.scope import forget_scope

    forget_scope(user)
    with CaptureQueriesContext(connection) as captured:
        func()
    flagged = 0
    slowest = []
    print(f"\n===== EXPLAIN: {title} ({len(captured.captured_queries)} queries) =====")
    for number, query in enumerate(captured.captured_queries, start=1):
        sql = query["sql"]
        if not re.match(r"\s*(SELECT|WITH)\b", sql, re.IGNORECASE):
            continue
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            plan = [row[0] for row in cursor.fetchall()]
        print(f"\n--- {title} #{number} ({query['time']} s): {sql[:600]}{' …' if len(sql) > 600 else ''}")
        slowest.append((float(query["time"]), number, " ".join(sql.split())[:140]))
        for line in plan:
            print("    " + line)
            for table in re.findall(r"Seq Scan on (\w+)", line):
                if sizes.get(table, 0) > SEQ_SCAN_ROWS:
                    flagged += 1
                    print(f"    !!! Seq Scan on {table} ({sizes[table]:,} rows)")
    print(f"\n--- {title}: the queries by time")
    for seconds, number, text in sorted(slowest, reverse=True)[:12]:
        print(f"    {seconds:7.3f} s  #{number:<3} {text}")
    return flagged


# -- the run ---------------------------------------------------------------------------------------------


def find_province():
    """The province of a database generated earlier (--reuse): its top, first city and station,
    HQ account and term to date."""
    from django.utils import timezone

    from duty.models import Shift
    from org.models import Unit, User

    top = Unit.objects.get(name="基准省公安厅")
    city = Unit.objects.filter(parent=top, kind="bureau").order_by("pk").first()
    district = Unit.objects.filter(parent=city).order_by("pk").first()
    station = Unit.objects.filter(parent=district).order_by("pk").first()
    hq = User.objects.filter(username__startswith="bench_hq_").order_by("pk").first()
    start = Shift.objects.order_by("date").values_list("date", flat=True).first()
    return city, station, hq, start, timezone.localdate(), None


def run(args) -> int:
    from django.db import connection
    from django.utils import timezone

    from reports.selectors.dashboard import dashboard_data
    from reports.selectors.summary import stats_summary

    if args.reuse:
        city, station, hq, start, end, expected = find_province()
        print(f"reusing the province in {connection.settings_dict['NAME']}")
    else:
        province = generate(args.scale, seed=args.seed)
        print_written(province)
        city, station = province.unit("city"), province.unit("station")
        hq, start, end, expected = province.user("hq"), province.start, province.end, province.expected
    # One moment for every "now" figure (the live board's peak, overdue hazards and follow-ups),
    # so that the selectors and the floor answer for the same peak.
    now = timezone.now()
    print(f"measuring as {hq.username} (HQ at {hq.unit}), {start}..{end} at {timezone.localtime(now):%H:%M}, "
          f"median of {args.runs} runs after a warm-up")

    problems = []
    results = []
    for label, unit in (("province", None), (f"city ({city.name})", city), (f"station ({station.name})", station)):
        summary_s, summary_q, summary = timed(hq, lambda u=unit: stats_summary(user=hq, start=start, end=end, unit=u),
                                              args.runs)
        dash_s, dash_q, dash = timed(
            hq, lambda u=unit: dashboard_data(user=hq, start=start, end=end, unit=u, now=now), args.runs)
        floor_summary_s, floor_summary_q, floor_summary = timed(
            hq, lambda u=unit: Floor(user=hq, start=start, end=end, unit=u, now=now).summary(), args.runs)
        floor_dash_s, floor_dash_q, floor_dash = timed(
            hq, lambda u=unit: Floor(user=hq, start=start, end=end, unit=u, now=now).dashboard(), args.runs)
        problems += differences(f"{label} summary", floor_summary, summary)
        problems += differences(f"{label} dashboard", floor_dash, dashboard_figures(dash))
        if unit is None and expected is not None:
            problems += differences("province summary against the generator", expected, summary)
        results.append((label, summary["posts"], summary["person_times"], summary_s, summary_q, floor_summary_s,
                        floor_summary_q, dash_s, dash_q, floor_dash_s, floor_dash_q))

    print()
    print(f"{'':<34} {'posts':>6} {'person-times':>12} | {'summary':>9} {'floor':>9} {'ratio':>6} "
          f"| {'dashboard':>9} {'floor':>9} {'ratio':>6}")
    for (label, posts, person_times, s, sq, fs, fsq, d, dq, fd, fdq) in results:
        print(f"{label[:34]:<34} {posts:>6,} {person_times:>12,} | {s:>7.3f} s {fs:>7.3f} s {s / fs:>5.2f}x "
              f"| {d:>7.3f} s {fd:>7.3f} s {d / fd:>5.2f}x")
        print(f"{'  queries':<34} {'':>6} {'':>12} | {sq:>9} {fsq:>9} {'':>6} | {dq:>9} {fdq:>9}")
    print("aim: the whole province under 1 s and within 1.5x of the floor")

    if args.explain:
        sizes = table_sizes()
        flagged = {}
        for label, unit in (("province", None), ("city", city), ("station", station)):
            for title, func in (
                ("stats_summary", lambda u=unit: stats_summary(user=hq, start=start, end=end, unit=u)),
                ("dashboard_data", lambda u=unit: dashboard_data(user=hq, start=start, end=end, unit=u, now=now)),
                ("floor of the dashboard", lambda u=unit: Floor(user=hq, start=start, end=end, unit=u,
                                                                now=now).dashboard()),
            ):
                flagged[f"{title}, {label}"] = explain(f"{title}, {label}", func, hq, sizes)
        print(f"\nSeq Scans on tables over {SEQ_SCAN_ROWS:,} rows:")
        for title, n in flagged.items():
            print(f"  {title:<40} {n}")

    for line in problems:
        print("DIFFERENCE " + line)
    if problems:
        print(f"{len(problems)} differences between the floor and the selectors")
        return 1
    print("the floor answered the same figures as the selectors" +
          (", and the summary the generator's" if expected is not None else ""))
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0,
                        help=f"districts = {DISTRICTS_AT_SCALE_1} x scale (default 1.0: 20,034 posts)")
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each (after one warm-up)")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN (ANALYZE, BUFFERS) every query")
    parser.add_argument("--keep", action="store_true", help="leave the database behind and print its name")
    parser.add_argument("--reuse", metavar="DATABASE", help="measure a database kept earlier (huxue_bench_…)")
    args = parser.parse_args()
    if not 1 <= args.runs <= 50:
        sys.exit("--runs: 1 to 50")
    if not 0 < args.scale <= 5:
        sys.exit("--scale: between 0 and 5")
    if args.reuse:
        if not re.fullmatch(r"huxue_bench_\d+", args.reuse):
            sys.exit("--reuse: a database this script or province.py kept (huxue_bench_<number>)")
        os.environ["DATABASE_URL"] = with_database(database_url_or_exit("dashboard_scale.py"), args.reuse)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huxue.settings")
        import django

        django.setup()
        sys.exit(run(args))
    with throwaway_database("dashboard_scale.py", keep=args.keep):
        code = run(args)
    sys.exit(code)


if __name__ == "__main__":
    main()
