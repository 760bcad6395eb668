"""The morning burst: 2,000 officers checking in at once, against a trivial view of the same
server.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python benchmarks/checkin_burst.py \
        [--clients 32] [--worker-class gthread|sync] [--workers 2] [--threads 8] [--deadline 120]

PostgreSQL only. On the server DATABASE_URL names it creates a throw-away database
huxue_bench_checkin_<pid>, migrates it and builds, with bulk_create: 20 stations, 500 schools
with one post each, one published shift per post that started five minutes ago and ends in an
hour, and 2,000 police officers (four a post), each with a login account, the officer role and
an API token, each on his post's shift.

It then starts gunicorn (this Python's, `huxue.wsgi:application`; by default 2 gthread workers
of 8 threads, which keep connections alive, where sync workers close each one) on a free
loopback port with persistent database connections (CONN_MAX_AGE=600), a random SECRET_KEY,
HTTPS=0 and DEBUG unset, waits for /healthz, and measures two phases with the same client
threads, each on its own keep-alive http.client connection:

1. the burst: `POST /api/v1/assignments/{id}/check-in/` with `Authorization: Token …` and the
   phone's body (the post's location, the full kit) for each of the 2,000 assignments, once;
2. the floor: `GET /api/v1/` (DRF's API root, listing the routes) with a token, 2,000 times: a
   trivial authenticated view of the same server, the same middleware and token lookup.

It prints requests/s, p50/p95 latency and errors for both and the ratio burst / floor, checks
that the database holds exactly one check-in per assignment, stops the gunicorn it started
(by its pid) and drops the database, also after an error. It asserts no times: the numbers
are for reading (aim: no error, and at least a third of the floor's throughput).
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import os
import queue
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

STATIONS = 20
POSTS = 500
PEOPLE_PER_POST = 4
STARTUP_SECONDS = 60
REQUEST_TIMEOUT = 30


def admin_execute(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
        conn.execute(sql)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- the fixture -----------------------------------------------------------------------------


def build() -> list[tuple[int, str, str]]:
    """The stations, posts, shifts, people, accounts and tokens; returns one job per
    assignment: (assignment id, token, request body)."""
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from attendance.models import KitItem
    from duty.models import Assignment, Shift
    from org.models import ApiToken, Person, PersonKind, Role, Unit, UnitKind, User
    from org.tokens import key_digest
    from posts.models import Period, Post, School, SchoolKind

    now = timezone.now()
    local = timezone.localtime(now)
    starts, ends = now - datetime.timedelta(minutes=5), now + datetime.timedelta(hours=1)
    period = Period.AM if local.hour < 12 else Period.PM

    bureau = Unit.objects.create(name="基准分局", kind=UnitKind.BUREAU)
    stations = Unit.objects.bulk_create(
        [Unit(name=f"基准{n:02d}派出所", kind=UnitKind.STATION, parent=bureau) for n in range(STATIONS)]
    )

    def point(n: int) -> tuple[Decimal, Decimal]:
        return Decimal("30.500000") + Decimal(n) / 10_000, Decimal("105.500000") + Decimal(n) / 10_000

    schools = School.objects.bulk_create([
        School(name=f"基准第{n:03d}小学", kind=SchoolKind.PRIMARY, station=stations[n % STATIONS],
               lat=point(n)[0], lng=point(n)[1])
        for n in range(POSTS)
    ])
    posts = Post.objects.bulk_create([
        Post(school=school, name="正门护学岗", station_id=school.station_id, lat=point(n)[0], lng=point(n)[1])
        for n, school in enumerate(schools)
    ])
    shifts = Shift.objects.bulk_create([
        Shift(post=post, station_id=post.station_id, date=local.date(), period=period, starts_at=starts,
              ends_at=ends, published=True)
        for post in posts
    ])
    count = POSTS * PEOPLE_PER_POST
    users = User.objects.bulk_create([
        User(username=f"bench{n:04d}", role=Role.OFFICER, unit_id=shifts[n % POSTS].station_id, password="!")
        for n in range(count)
    ])
    officer_group = Group.objects.get(name=Role.OFFICER)
    User.groups.through.objects.bulk_create(
        [User.groups.through(user_id=user.pk, group_id=officer_group.pk) for user in users]
    )
    people = Person.objects.bulk_create([
        Person(name=f"民警{n:04d}", kind=PersonKind.POLICE, unit_id=user.unit_id, badge_no=f"B{n:05d}", user=user)
        for n, user in enumerate(users)
    ])
    tokens = [secrets.token_urlsafe(32) for _user in users]
    ApiToken.objects.bulk_create(
        [ApiToken(user=user, name="benchmark", digest=key_digest(key)) for user, key in zip(users, tokens)]
    )
    assignments = Assignment.objects.bulk_create([
        Assignment(shift=shifts[n % POSTS], person=person, station_id=shifts[n % POSTS].station_id,
                   starts_at=starts, ends_at=ends)
        for n, person in enumerate(people)
    ])
    kit = list(KitItem.values)
    jobs = []
    for n, (assignment, token) in enumerate(zip(assignments, tokens)):
        lat, lng = point(n % POSTS)
        body = json.dumps({"lat": f"{lat:.6f}", "lng": f"{lng:.6f}", "equipment": kit})
        jobs.append((assignment.pk, token, body))
    return jobs


# --- the server ------------------------------------------------------------------------------


class Server:
    """gunicorn on a free loopback port, with the bench database; stopped by its pid."""

    def __init__(self, database_url: str, worker_class: str, workers: int, threads: int, folder: str):
        self.port = free_port()
        self.log_path = Path(folder) / "gunicorn.log"
        env = {key: value for key, value in os.environ.items() if key != "DEBUG"}
        env.update({
            "DATABASE_URL": database_url,
            "CONN_MAX_AGE": "600",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "HTTPS": "0",
            "ALLOWED_HOSTS": "127.0.0.1",
            "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
            "HUXUE_VAR_DIR": folder,  # the file-system broker /healthz looks at, not the repository's var/
            "LOG_LEVEL": "WARNING",
        })
        command = [
            sys.executable, "-m", "gunicorn", "huxue.wsgi:application",
            "--bind", f"127.0.0.1:{self.port}", "--workers", str(workers), "--worker-class", worker_class,
            "--timeout", "60", "--graceful-timeout", "10", "--keep-alive", "5", "--log-level", "warning",
        ]
        if worker_class == "gthread":
            command += ["--threads", str(threads)]
        self.log = open(self.log_path, "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)

    def wait_until_up(self) -> None:
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/healthz")
                response = conn.getresponse()
                body = json.loads(response.read() or b"{}")
                conn.close()
                if body.get("database") == "ok":
                    return
            except (OSError, ValueError, http.client.HTTPException):
                pass
            time.sleep(0.2)
        raise SystemExit(f"gunicorn did not answer /healthz within {STARTUP_SECONDS} s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self) -> None:
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.kill(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self.log.close()


# --- the clients -----------------------------------------------------------------------------


class Phase:
    def __init__(self, name: str):
        self.name = name
        self.latencies: list[float] = []
        self.statuses: dict[str, int] = {}
        self.errors = 0
        self.seconds = 0.0
        self.lock = threading.Lock()

    def record(self, latency: float, outcome: str, ok: bool) -> None:
        with self.lock:
            self.latencies.append(latency)
            self.statuses[outcome] = self.statuses.get(outcome, 0) + 1
            if not ok:
                self.errors += 1

    @property
    def done(self) -> int:
        return len(self.latencies)

    @property
    def rate(self) -> float:
        return self.done / self.seconds if self.seconds else 0.0

    def line(self) -> str:
        ms = sorted(x * 1000 for x in self.latencies) or [0.0]
        p50 = statistics.median(ms)
        p95 = ms[min(len(ms) - 1, int(round(0.95 * (len(ms) - 1))))]
        statuses = ", ".join(f"{key}: {n}" for key, n in sorted(self.statuses.items()))
        return (f"{self.name:<9} {self.done:>5} requests in {self.seconds:6.2f} s = {self.rate:7.1f} req/s   "
                f"p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  max {ms[-1]:6.1f} ms   errors {self.errors}   ({statuses})")


def run_phase(name: str, port: int, clients: int, requests: list[tuple[str, str, str, str | None]], expect: set[int],
              deadline_seconds: float) -> Phase:
    """Send `requests` ((method, path, token, body)) from `clients` threads, each on its own
    keep-alive connection, as fast as they answer; every request is sent once."""
    phase = Phase(name)
    work: queue.SimpleQueue = queue.SimpleQueue()
    for item in requests:
        work.put(item)
    barrier = threading.Barrier(clients + 1)
    deadline = [0.0]

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
        barrier.wait()
        try:
            while time.monotonic() < deadline[0]:
                try:
                    method, path, token, body = work.get_nowait()
                except queue.Empty:
                    return
                headers = {"Authorization": f"Token {token}", "Accept": "application/json"}
                if body is not None:
                    headers["Content-Type"] = "application/json"
                began = time.perf_counter()
                try:
                    conn.request(method, path, body=body, headers=headers)
                    response = conn.getresponse()
                    response.read()
                    outcome, ok = str(response.status), response.status in expect
                    if response.getheader("Connection", "").lower() == "close":
                        conn.close()  # the next request opens a new connection
                except (OSError, http.client.HTTPException) as exc:
                    outcome, ok = type(exc).__name__, False
                    conn.close()
                phase.record(time.perf_counter() - began, outcome, ok)
        finally:
            conn.close()

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    deadline[0] = time.monotonic() + deadline_seconds
    began = time.perf_counter()
    barrier.wait()
    for thread in threads:
        thread.join(deadline_seconds + REQUEST_TIMEOUT + 5)
    phase.seconds = time.perf_counter() - began
    left = work.qsize()
    if left:
        phase.errors += left
        phase.statuses["not sent (deadline)"] = left
    return phase


# --- the run ---------------------------------------------------------------------------------


def run(args, database_url: str, folder: str) -> None:
    from django.core.management import call_command
    from django.db import connection, connections

    began = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    print(f"database: {connection.settings_dict['NAME']} (PostgreSQL {connection.pg_version})")
    print(f"migrated in {time.perf_counter() - began:.1f} s")
    began = time.perf_counter()
    jobs = build()
    print(f"fixture: {STATIONS} stations, {POSTS} posts with a running shift, {len(jobs)} police officers with "
          f"tokens on them, built in {time.perf_counter() - began:.1f} s")
    connections.close_all()

    if args.worker_class == "gthread":
        shape = f"{args.workers} gthread workers x {args.threads} threads"
    else:
        shape = f"{args.workers} sync workers"
    print(f"server: gunicorn, {shape}, CONN_MAX_AGE=600, on 127.0.0.1; clients: {args.clients} threads, "
          f"http.client keep-alive connections; {os.cpu_count()} CPUs")
    server = Server(database_url, args.worker_class, args.workers, args.threads, folder)
    try:
        server.wait_until_up()
        burst = run_phase(
            "check-in", server.port, args.clients,
            [("POST", f"/api/v1/assignments/{pk}/check-in/", token, body) for pk, token, body in jobs],
            expect={201}, deadline_seconds=args.deadline,
        )
        floor = run_phase(
            "floor", server.port, args.clients,
            [("GET", "/api/v1/", jobs[n % len(jobs)][1], None) for n in range(args.floor_requests)],
            expect={200}, deadline_seconds=args.deadline,
        )
    finally:
        server.stop()
        print(f"stopped gunicorn (pid {server.process.pid}, exit code {server.process.returncode})")
    print("check-in = POST /api/v1/assignments/{id}/check-in/ (token, location at the post, full kit), each once")
    print("floor    = GET /api/v1/ (the API root view, token-authenticated), a trivial view of the same server")
    print(burst.line())
    print(floor.line())
    ratio = burst.rate / floor.rate if floor.rate else 0.0
    print(f"check-in / floor throughput: {ratio:.2f}   (aim: at least 0.33, and no error)")
    if burst.errors or floor.errors:
        print("server log (tail):\n" + server.log_tail())

    from attendance.models import CheckIn
    from duty.models import Assignment

    rows = CheckIn.objects.count()
    distinct = CheckIn.objects.values("assignment_id").distinct().count()
    checked_in = Assignment.objects.filter(checked_in_at__isnull=False).count()
    flagged = CheckIn.objects.filter(flagged=True).count()
    verdict = "ok" if rows == distinct == checked_in == len(jobs) else "MISMATCH"
    print(f"database: {rows} check-ins for {distinct} assignments, {checked_in} assignments checked in, "
          f"{flagged} flagged (expected {len(jobs)}, 0 flagged): {verdict}")
    connections.close_all()
    if verdict != "ok":
        raise SystemExit(1)


def on_scratch_database(script: str, label: str, body) -> None:
    """Run `body(bench_url, folder)` with Django set up on a scratch PostgreSQL database made
    beside DATABASE_URL's (and a scratch var folder), then drop both, whatever happens. Used by
    every benchmark here."""
    url = os.environ.get("DATABASE_URL", "")
    if urlsplit(url).scheme not in {"postgres", "postgresql", "pgsql"}:
        sys.exit(f"{script} needs PostgreSQL: set DATABASE_URL=postgres://… (a server where it may create "
                 "and drop a database)")
    name = f"huxue_bench_{label}_{os.getpid()}"
    bench_url = urlunsplit(urlsplit(url)._replace(path=f"/{name}"))
    folder = tempfile.mkdtemp(prefix=f"huxue-{label}-bench-")
    os.environ.update({
        "DATABASE_URL": bench_url, "HUXUE_VAR_DIR": folder, "HTTPS": "0",
        "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "DJANGO_SETTINGS_MODULE": "huxue.settings",
    })
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    warnings.filterwarnings("ignore", message="No directory at")
    admin_execute(url, f'CREATE DATABASE "{name}"')
    try:
        import django

        django.setup()
        try:
            body(bench_url, folder)
        finally:
            from django.db import connections

            connections.close_all()
    finally:
        admin_execute(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        print(f"dropped {name}")
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=32, help="client threads (default 32)")
    parser.add_argument("--worker-class", choices=["gthread", "sync"], default="gthread",
                        help="gunicorn worker class (default gthread)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--threads", type=int, default=8, help="threads per gthread worker (default 8)")
    parser.add_argument("--floor-requests", type=int, default=POSTS * PEOPLE_PER_POST)
    parser.add_argument("--deadline", type=float, default=120, help="seconds each phase may take at most")
    args = parser.parse_args()

    on_scratch_database("checkin_burst.py", "checkin", lambda bench_url, folder: run(args, bench_url, folder))


if __name__ == "__main__":
    main()
