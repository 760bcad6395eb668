"""A real Celery worker process, on the broker and result backend the settings name, against
the test database (run with `make test-celery`).

The worker consumes only a queue of its own, so another worker on the same broker (the
embedded `make run` one shares the file-system broker under var/celery) never takes the
test's tasks, and the answer comes from a worker that sees the test database.
"""

import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from celery.utils.nodenames import host_format
from django.conf import settings
from django.db import connection
from kombu import Exchange, Queue

from huxue.celery import app
from huxue.tasks import ping

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

STARTUP_SECONDS = 30
TASK_SECONDS = 30


def worker_database_url() -> str:
    """DATABASE_URL of the database this test run uses (pytest-django's test database)."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    if connection.vendor == "postgresql":
        user = quote(db.get("USER") or "", safe="")
        password = quote(db.get("PASSWORD") or "", safe="")
        auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
        port = f":{db['PORT']}" if db.get("PORT") else ""
        return f"postgres://{auth}{db.get('HOST') or ''}{port}/{quote(db['NAME'], safe='')}"
    raise NotImplementedError(f"no DATABASE_URL for {connection.vendor}")


def filesystem_broker_folders() -> list[Path]:
    """The folders the file-system broker and the file result backend need (none for Redis)."""
    folders = []
    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
        for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
            if options.get(key):
                folders.append(Path(options[key]))
        folders += [settings.CELERY_DATA_DIR / name for name in ("queue", "processed", "results")]
    if settings.CELERY_RESULT_BACKEND.startswith("file://"):
        folders.append(Path(settings.CELERY_RESULT_BACKEND.removeprefix("file://")))
    return folders


def forget_filesystem_queues(marks: list[str]) -> None:
    """The file-system broker never deletes a queue: drop the stopped worker's bindings from
    the exchange tables and its unread messages, so broadcasts stop copying messages to it."""
    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    control = Path(options.get("control_folder") or "control")
    for table in control.glob("*.exchange"):
        if any(mark in table.name for mark in marks):
            table.unlink(missing_ok=True)
            continue
        try:
            rows = json.loads(table.read_text())
        except (OSError, ValueError):
            continue
        kept = [row for row in rows if not any(mark in str(row) for mark in marks)]
        if kept != rows:
            table.write_text(json.dumps(kept))
    for folder in {Path(options["data_folder_in"]), Path(options["data_folder_out"])}:
        for message in folder.glob("*.msg"):
            if any(mark in message.name for mark in marks):
                message.unlink(missing_ok=True)


def forget_queue(name: str) -> None:
    """Delete the worker's own queue (and its bindings) from a server broker such as Redis."""
    with app.connection_for_write() as conn:
        queue = Queue(name, Exchange(name), routing_key=name).bind(conn.default_channel)
        queue.declare()
        queue.delete()


def start_worker(token: str, queue: str, log_path: Path, **env) -> subprocess.Popen:
    """`celery worker` (one process: the solo pool) on the test database, consuming `queue`;
    returns once it answers a ping. `env` adds environment variables."""
    nodename = host_format(f"test-{token}@%h")
    command = [
        sys.executable, "-m", "celery", "-A", "huxue", "worker", "--pool=solo", "--loglevel=INFO",
        "--hostname", f"test-{token}@%h", "--queues", queue,
    ]
    environment = {**os.environ, "DATABASE_URL": worker_database_url(), **env}
    with open(log_path, "ab") as log:
        process = subprocess.Popen(command, env=environment, cwd=settings.BASE_DIR, stdout=log,
                                   stderr=subprocess.STDOUT)
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        if process.poll() is not None:
            pytest.fail(f"the worker exited with {process.returncode}:\n{log_path.read_text()}")
        replies = app.control.ping(destination=[nodename], timeout=1)
        if any(nodename in reply for reply in replies):
            return process
        if time.monotonic() > deadline:
            stop_worker(process)
            pytest.fail(f"the worker did not answer within {STARTUP_SECONDS} s:\n{log_path.read_text()}")


def stop_worker(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def forget_worker(token: str, queue: str) -> None:
    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        forget_filesystem_queues([f"test-{token}", str(app.control.mailbox.oid)])
    else:
        forget_queue(queue)


@pytest.fixture(scope="module")
def celery_worker(django_db_setup, tmp_path_factory):
    """Start `celery worker` on the test database; yield its node name and queue."""
    for folder in filesystem_broker_folders():
        folder.mkdir(parents=True, exist_ok=True)
    token = uuid.uuid4().hex[:12]
    queue = f"test-{token}"
    log_path = tmp_path_factory.mktemp("celery") / "worker.log"
    process = start_worker(token, queue, log_path)
    try:
        yield {"nodename": host_format(f"test-{token}@%h"), "queue": queue, "log": log_path}
    finally:
        stop_worker(process)
        forget_worker(token, queue)


def test_ping_runs_on_the_worker_against_the_test_database(celery_worker):
    result = ping.apply_async(queue=celery_worker["queue"])
    answer = result.get(timeout=TASK_SECONDS)
    assert answer["pong"] is True
    assert answer["database"] is True
    assert answer["vendor"] == connection.vendor
    assert result.successful()
    result.forget()


def test_worker_lists_the_registered_tasks(celery_worker):
    nodename = celery_worker["nodename"]
    registered = app.control.inspect(destination=[nodename], timeout=5).registered()
    assert registered is not None, "the worker did not answer inspect().registered()"
    assert "huxue.ping" in registered[nodename]


def next_monday():
    import datetime

    from django.utils import timezone

    today = timezone.localdate()
    return today + datetime.timedelta(days=7 - today.weekday())


def test_the_worker_generates_a_stations_shifts(celery_worker, cast):
    """The roster's Celery task, run by the worker, writes the shifts into the database the
    test reads: the same service as the page, the API and the command."""
    import datetime

    from duty.models import Shift
    from duty.tasks import generate_shifts
    from tests.factories import TermFactory, TimetableFactory

    monday = next_monday()
    TermFactory(start=monday - datetime.timedelta(days=7), end=monday + datetime.timedelta(days=60))
    TimetableFactory(school=cast.school_a, period="am", valid_from=monday - datetime.timedelta(days=7))
    friday = monday + datetime.timedelta(days=4)
    result = generate_shifts.apply_async(
        kwargs={"start": monday.isoformat(), "end": friday.isoformat(), "unit_id": cast.station_a.pk},
        queue=celery_worker["queue"],
    )
    answer = result.get(timeout=TASK_SECONDS)
    result.forget()
    school_days = sum(1 for d in range(5) if Shift.objects.filter(date=monday + datetime.timedelta(days=d)).exists())
    assert answer["created"] == Shift.objects.filter(post=cast.post_a).count() == school_days
    assert school_days >= 3  # a holiday week may take some days, never all
    assert not Shift.objects.filter(post=cast.post_b).exists()


def test_the_worker_closes_ended_shifts_once(celery_worker, cast):
    """The periodic absence task on the worker marks an ended shift's no-show absent; a
    second run changes nothing."""
    import datetime

    from django.utils import timezone

    from attendance.tasks import close_ended_shifts
    from duty.models import Assignment, Shift

    ended = timezone.now() - datetime.timedelta(hours=1)
    shift = Shift.objects.create(post=cast.post_a, station=cast.station_a, date=timezone.localdate(ended),
                                 period="am", starts_at=ended - datetime.timedelta(minutes=45), ends_at=ended,
                                 published=True)
    assignment = Assignment.objects.create(shift=shift, person=cast.officer_a, station=cast.station_a,
                                           starts_at=shift.starts_at, ends_at=shift.ends_at)
    first = close_ended_shifts.apply_async(queue=celery_worker["queue"])
    assert first.get(timeout=TASK_SECONDS) == 1
    assignment.refresh_from_db()
    assert assignment.attendance == "absent" and assignment.closed_at is not None
    closed_at = assignment.closed_at
    second = close_ended_shifts.apply_async(queue=celery_worker["queue"])
    assert second.get(timeout=TASK_SECONDS) == 0
    assignment.refresh_from_db()
    assert assignment.closed_at == closed_at
    first.forget()
    second.forget()


def test_the_worker_delivers_the_outbox_once(celery_worker, cast):
    """`core.deliver_outbox` (every few seconds from beat) on the worker sends what the
    outbox holds and marks it delivered; a second run finds nothing to send."""
    from core.models import OutboxKind, OutboxMessage
    from core.outbox import outbox_enqueue_messages
    from core.tasks import deliver_outbox

    outbox_enqueue_messages(messages=[
        (OutboxKind.EMAIL, {"to": "zhangbin@example.org", "subject": "新班次", "body": "周一 早高峰"}),
        (OutboxKind.SMS, {"phone": "13900000001", "text": "新班次"}),
    ])
    first = deliver_outbox.apply_async(queue=celery_worker["queue"], ignore_result=False)
    assert first.get(timeout=TASK_SECONDS) == {"delivered": 2, "failed": 0}
    assert not OutboxMessage.objects.filter(delivered_at__isnull=True).exists()
    second = deliver_outbox.apply_async(queue=celery_worker["queue"], ignore_result=False)
    assert second.get(timeout=TASK_SECONDS) == {"delivered": 0, "failed": 0}
    assert set(OutboxMessage.objects.values_list("attempts", flat=True)) == {1}
    log = celery_worker["log"].read_text()
    assert log.count("SMS to 139****0001") == 1  # the logging SMS backend, once, the number masked
    first.forget()
    second.forget()


def test_a_generation_started_on_the_page_runs_on_the_worker_under_the_id_it_was_given(celery_worker, cast):
    """The roster page's "Generate": the request writes an outbox row and answers with the
    task id at once; the delivery hands the task to the broker under that id; the worker runs
    it; the status URL follows it from queued to done."""
    import datetime

    from celery.app.routes import prepare
    from rest_framework.test import APIClient

    from core.outbox import outbox_deliver
    from duty.models import Shift
    from tests.factories import TermFactory, TimetableFactory

    monday = next_monday()
    TermFactory(start=monday - datetime.timedelta(days=7), end=monday + datetime.timedelta(days=60))
    TimetableFactory(school=cast.school_a, period="am", valid_from=monday - datetime.timedelta(days=7))
    client = APIClient()
    client.force_login(cast.alice)
    answer = client.post("/api/v1/shifts/generate/", {
        "start": monday.isoformat(), "end": (monday + datetime.timedelta(days=4)).isoformat(),
        "unit": cast.station_a.pk, "async": True}, format="json")
    assert answer.status_code == 202, answer.content
    status_url = answer.json()["status_url"]
    assert client.get(status_url).json()["queued"] is True

    # Route the task to this test's worker (in production it goes to the default queue).
    router = app.amqp.router
    routes = router.routes
    router.routes = (*prepare({"duty.generate_shifts": {"queue": celery_worker["queue"]}}), *routes)
    try:
        assert outbox_deliver().delivered == 1
    finally:
        router.routes = routes

    deadline = time.monotonic() + TASK_SECONDS
    while True:
        body = client.get(status_url).json()
        if body["state"] in ("SUCCESS", "FAILURE") or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert body["state"] == "SUCCESS", body
    assert body["queued"] is False
    assert body["result"]["created"] == Shift.objects.filter(post=cast.post_a).count() >= 3
    app.AsyncResult(answer.json()["task"]).forget()


# The tasks that do the system's work: each is acknowledged only when it ends and handed back
# when its worker dies, so a killed worker loses none of them (each is safe to run twice).
WORK_TASKS = ("duty.generate_shifts", "duty.generate_upcoming", "duty.send_reminders", "duty.close_ended_shifts",
              "duty.check_tallies",
              "core.deliver_outbox", "core.purge_outbox")


def test_the_work_tasks_are_acknowledged_when_done_and_handed_back_when_their_worker_dies():
    app.loader.import_default_modules()
    for name in WORK_TASKS:
        task = app.tasks[name]
        assert (task.name, task.acks_late, task.reject_on_worker_lost) == (name, True, True)
    # The delivery retries a broken database a bounded number of times, waiting longer each
    # time; each outbox row has its own bounded retries (core.outbox.retry_delay).
    deliver = app.tasks["core.deliver_outbox"]
    assert deliver.max_retries == 5 and deliver.retry_backoff


def wait_for_open_transactions_to_end() -> None:
    """PostgreSQL rolls a dead client's transaction back once it notices the client is gone
    (at the end of the statement it is running): wait for that."""
    if connection.vendor != "postgresql":
        return  # SQLite's journal undoes a dead process's transaction at once
    deadline = time.monotonic() + TASK_SECONDS
    with connection.cursor() as cursor:
        while True:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                           "AND pid <> pg_backend_pid() AND xact_start IS NOT NULL")
            if cursor.fetchone()[0] == 0:
                return
            assert time.monotonic() < deadline, "the killed worker's transaction is still open"
            time.sleep(0.1)


KILL_VISIBILITY_SECONDS = 5  # how long Redis waits before handing the dead worker's task on
KILL_POSTS = 150
KILL_WEEKS = 40


@pytest.mark.skipif(not settings.CELERY_BROKER_URL.startswith("redis"),
                    reason="needs Redis (CELERY_BROKER_URL=redis://…): it hands an unacknowledged task on")
def test_a_generation_whose_worker_is_killed_midway_is_run_again_nothing_lost_nothing_doubled(cast, tmp_path):
    """SIGKILL the worker in the middle of a large generation (nothing written survives: the
    generation is one transaction); another worker gets the task from Redis and runs it to the
    end. The shifts are exactly those of a generation that was never interrupted."""
    import datetime
    import signal

    from django.db.models import Count

    from duty.models import GenerationRun, Shift
    from duty.services.generation import shift_generate
    from duty.tasks import generate_shifts
    from posts.models import Period
    from tests.factories import PostFactory, SchoolFactory, TermFactory, TimetableFactory

    monday = next_monday()
    end = monday + datetime.timedelta(weeks=KILL_WEEKS) - datetime.timedelta(days=1)
    TermFactory(start=monday - datetime.timedelta(days=7), end=end)
    for n in range(KILL_POSTS // 2):
        school = SchoolFactory(station=cast.station_a if n % 2 else cast.station_b)
        for period, start in ((Period.AM, datetime.time(7, 40)), (Period.PM, datetime.time(16, 30))):
            TimetableFactory(school=school, period=period, start=start,
                             end=(datetime.datetime.combine(monday, start) + datetime.timedelta(minutes=40)).time(),
                             valid_from=monday - datetime.timedelta(days=7))
        PostFactory.create_batch(2, school=school)

    token = uuid.uuid4().hex[:12]
    queue = f"test-{token}"
    env = {"CELERY_VISIBILITY_TIMEOUT": str(KILL_VISIBILITY_SECONDS)}
    first_log, second_log = tmp_path / "first.log", tmp_path / "second.log"
    first = start_worker(f"{token}-1", queue, first_log, **env)
    second = None
    try:
        result = generate_shifts.apply_async(kwargs={"start": monday.isoformat(), "end": end.isoformat()},
                                             queue=queue)
        # Kill it inside the generation's transaction: writing the shifts, or just after.
        deadline = time.monotonic() + TASK_SECONDS
        while not (result.state == "PROGRESS" and result.info["stage"] in ("insert", "standing")):
            assert result.state in ("PENDING", "PROGRESS"), f"the generation ended before the kill: {result.state}"
            assert time.monotonic() < deadline, f"the generation did not get going:\n{first_log.read_text()}"
            time.sleep(0.02)
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
        assert result.state == "PROGRESS", "the generation ended before the kill"
        wait_for_open_transactions_to_end()
        assert not Shift.objects.exists() and not GenerationRun.objects.exists()  # nothing half-written

        second = start_worker(f"{token}-2", queue, second_log, **env)
        answer = result.get(timeout=KILL_VISIBILITY_SECONDS + 4 * TASK_SECONDS)
        result.forget()
    finally:
        stop_worker(first)
        if second is not None:
            stop_worker(second)
        forget_worker(token, queue)

    assert f"duty.generate_shifts[{result.id}] received" in first_log.read_text()
    assert f"duty.generate_shifts[{result.id}] succeeded" in second_log.read_text()
    # The killed run left nothing: the run that finished created every shift, and is the only one.
    shifts = set(Shift.objects.values_list("post_id", "date", "period", "starts_at", "ends_at", "status"))
    assert answer["created"] == len(shifts) == Shift.objects.count() > KILL_POSTS * KILL_WEEKS * 3
    assert answer["existing"] == 0
    assert GenerationRun.objects.count() == 1
    assert not Shift.objects.values("post", "date", "period").annotate(n=Count("id")).filter(n__gt=1).exists()

    # The same generation, never interrupted, gives the same shifts.
    Shift.objects.all().delete()
    GenerationRun.objects.all().delete()
    again = shift_generate(start=monday, end=end)
    assert again.created == len(shifts)
    assert set(Shift.objects.values_list("post_id", "date", "period", "starts_at", "ends_at", "status")) == shifts
