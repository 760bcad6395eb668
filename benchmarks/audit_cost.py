"""What the audit trail costs: the check-in burst, a list page and its Excel export, each
measured with the trail off (AUDIT_ENABLED=0) and on, in the same run, against the same data.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python benchmarks/audit_cost.py \
        [--clients 16] [--rounds 1] [--page-requests 600] [--export-requests 150] [--deadline 120]

PostgreSQL only. It creates a throw-away database huxue_bench_audit_<pid>, migrates it and
builds checkin_burst.py's fixture (20 stations, 500 posts each with a shift running now, 2,000
police officers with API tokens, each on his post's shift), plus a dispatcher of the first
station (100 of the officers are his station's people), who signs in on each server's login page.

Then, for each round (at most 5), first with the trail off and then on, it starts gunicorn on a
free loopback port (checkin_burst.Server: 2 gthread workers x 8 threads, CONN_MAX_AGE=600)
with AUDIT_ENABLED set, and measures with the same client threads:

1. check-in: the 2,000 check-ins of the burst, each once (the check-ins are deleted and the
   assignments reset before each server, so both modes do the same writes);
2. list: `GET /org/people/` as the dispatcher (the people list page), --page-requests times;
3. export: `GET /org/people/?export=xlsx`, --export-requests times: with the trail on, each
   writes an "export" row (chained, serialised by the trail's advisory lock).

It prints each phase's line for both modes and the ratio of the trail's time to the time
without it (off throughput / on throughput; the issue's aim: under 1.10), checks that every
request succeeded and that the trail holds the rows the "on" runs wrote, stops each gunicorn
it started (by its pid) and drops the database, also after an error. It asserts no times.
"""

from __future__ import annotations

import argparse
import http.client
import os
import queue
import re
import secrets
import sys
import threading
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from checkin_burst import REQUEST_TIMEOUT, Phase, Server, build, on_scratch_database, run_phase  # noqa: E402

MAX_ROUNDS = 5
PAGE = "/org/people/"


def make_dispatcher() -> tuple[str, str]:
    """A dispatcher of the fixture's first station (100 of the officers are his people)."""
    from org.models import Role, Unit, UnitKind
    from org.services import user_create

    station = Unit.objects.filter(kind=UnitKind.STATION).order_by("name").first()
    password = secrets.token_urlsafe(16) + "-Aa1"
    user_create(username="bench_dispatcher", password=password, role=Role.DISPATCHER, unit=station)
    return "bench_dispatcher", password


def sign_in(port: int, username: str, password: str) -> str:
    """Sign in through the server's login page (each server has its own SECRET_KEY, so a
    session made here would not hold there); returns the Cookie header."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    try:
        conn.request("GET", "/login/")
        response = conn.getresponse()
        body = response.read().decode()
        jar = SimpleCookie()
        for header in response.msg.get_all("Set-Cookie") or []:
            jar.load(header)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
        form = urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token})
        conn.request("POST", "/login/", body=form, headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": "; ".join(f"{key}={morsel.value}" for key, morsel in jar.items())})
        response = conn.getresponse()
        response.read()
        for header in response.msg.get_all("Set-Cookie") or []:
            jar.load(header)
        if response.status != 302 or "sessionid" not in jar:
            raise SystemExit(f"signing in as {username} failed: {response.status}")
        return "; ".join(f"{key}={morsel.value}" for key, morsel in jar.items())
    finally:
        conn.close()


def reset_check_ins() -> None:
    from attendance.models import CheckIn
    from duty.models import Assignment

    CheckIn.objects.all().delete()
    default = Assignment._meta.get_field("attendance").get_default()
    Assignment.objects.update(checked_in_at=None, attendance=default)


def run_page_phase(name: str, port: int, clients: int, paths: list[str], cookie: str,
                   deadline_seconds: float) -> Phase:
    """GET each of `paths` once with the session cookie, from `clients` threads on keep-alive
    connections; 200 is a success."""
    phase = Phase(name)
    work: queue.SimpleQueue = queue.SimpleQueue()
    for path in paths:
        work.put(path)
    barrier = threading.Barrier(clients + 1)
    deadline = [0.0]

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
        barrier.wait()
        try:
            while time.monotonic() < deadline[0]:
                try:
                    path = work.get_nowait()
                except queue.Empty:
                    return
                began = time.perf_counter()
                try:
                    conn.request("GET", path, headers={"Cookie": cookie})
                    response = conn.getresponse()
                    response.read()
                    outcome, ok = str(response.status), response.status == 200
                    if response.getheader("Connection", "").lower() == "close":
                        conn.close()
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


def measure(args, database_url: str, folder: str, enabled: bool, jobs, account: tuple[str, str]) -> dict[str, Phase]:
    from django.db import connections

    reset_check_ins()
    connections.close_all()
    os.environ["AUDIT_ENABLED"] = "1" if enabled else "0"
    label = "on" if enabled else "off"
    server = Server(database_url, "gthread", 2, 8, folder)
    try:
        server.wait_until_up()
        cookie = sign_in(server.port, *account)
        phases = {
            "check-in": run_phase(
                f"check-in {label}", server.port, args.clients,
                [("POST", f"/api/v1/assignments/{pk}/check-in/", token, body) for pk, token, body in jobs],
                expect={201}, deadline_seconds=args.deadline),
            "list": run_page_phase(f"list {label}", server.port, args.clients, [PAGE] * args.page_requests,
                                   cookie, args.deadline),
            "export": run_page_phase(f"export {label}", server.port, args.clients,
                                     [f"{PAGE}?export=xlsx"] * args.export_requests, cookie, args.deadline),
        }
    finally:
        server.stop()
    if any(phase.errors for phase in phases.values()):
        print("server log (tail):\n" + server.log_tail())
    return phases


def run(args, database_url: str, folder: str) -> None:
    from django.core.management import call_command
    from django.db import connection, connections

    from audit.models import AuditAction, AuditEvent
    from audit.services import audit_verify

    began = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    print(f"database: {connection.settings_dict['NAME']} (PostgreSQL {connection.pg_version}); "
          f"migrated in {time.perf_counter() - began:.1f} s")
    jobs = build()
    account = make_dispatcher()
    print(f"fixture: {len(jobs)} officers on running shifts; a dispatcher reads {PAGE}")
    print(f"server: gunicorn, 2 gthread workers x 8 threads, on 127.0.0.1; clients: {args.clients} threads; "
          f"{os.cpu_count()} CPUs; {args.rounds} round(s), the trail off then on")
    totals = {mode: {} for mode in ("off", "on")}
    exports_before = AuditEvent.objects.filter(action=AuditAction.EXPORT).count()
    errors = 0
    for round_ in range(1, args.rounds + 1):
        for enabled in (False, True):
            mode = "on" if enabled else "off"
            phases = measure(args, database_url, folder, enabled, jobs, account)
            print(f"round {round_}, trail {mode}:")
            for key, phase in phases.items():
                print("  " + phase.line())
                errors += phase.errors
                seconds, done = totals[mode].get(key, (0.0, 0))
                totals[mode][key] = (seconds + phase.seconds, done + phase.done)
    print("trail on / off (time per request, from throughput; aim: under 1.10):")
    for key in ("check-in", "list", "export"):
        rate = {mode: (totals[mode][key][1] / totals[mode][key][0]) if totals[mode][key][0] else 0.0
                for mode in totals}
        ratio = rate["off"] / rate["on"] if rate["on"] else float("inf")
        print(f"  {key:<9} off {rate['off']:7.1f} req/s   on {rate['on']:7.1f} req/s   ratio {ratio:.3f}")
    exports = AuditEvent.objects.filter(action=AuditAction.EXPORT).count() - exports_before
    checked, broken = audit_verify()
    expected = args.rounds * args.export_requests
    print(f"trail: {exports} export rows written by the 'on' runs (expected {expected}); chain of {checked} rows "
          f"{'holds' if broken is None else f'BROKEN at #{broken.seq}: {broken.reason}'}")
    connections.close_all()
    if errors or exports != expected or broken is not None:
        raise SystemExit(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=16, help="client threads (default 16)")
    parser.add_argument("--rounds", type=int, default=1, help=f"off/on pairs (default 1, at most {MAX_ROUNDS})")
    parser.add_argument("--page-requests", type=int, default=600, help="list page requests per run (default 600)")
    parser.add_argument("--export-requests", type=int, default=150, help="exports per run (default 150)")
    parser.add_argument("--deadline", type=float, default=120, help="seconds each phase may take at most")
    args = parser.parse_args()
    if not 1 <= args.rounds <= MAX_ROUNDS:
        sys.exit(f"--rounds must be between 1 and {MAX_ROUNDS}")
    if not (1 <= args.page_requests <= 20_000 and 1 <= args.export_requests <= 5_000 and 1 <= args.clients <= 64):
        sys.exit("--page-requests (1-20000), --export-requests (1-5000) and --clients (1-64) are bounded")

    on_scratch_database("audit_cost.py", "audit", lambda bench_url, folder: run(args, bench_url, folder))


if __name__ == "__main__":
    main()
