"""Pointing the Celery app at another broker for one test, and putting it back.

Celery reads its settings once, so changing Django's settings is not enough: the app's own
configuration changes here, and its cached connection pools are dropped both ways."""

import os
from contextlib import contextmanager, suppress

from core.models import OutboxKind, OutboxMessage
from huxue.celery import app

DOWN = "redis://127.0.0.1:1/0"  # nothing listens on port 1: refused at once
_UNSET = object()
KEYS = ("broker_url", "broker_connection_timeout", "broker_connection_retry", "broker_connection_max_retries",
        "task_publish_retry", "task_always_eager", "broker_transport_options")


def _drop_pools():
    app._pool = None
    app.amqp._producer_pool = None


@contextmanager
def celery_broker(url: str, settings=None):
    """Use the broker at `url` (not eager), with short timeouts and no publish retries so an
    unreachable one fails in well under a second."""
    saved = {key: app.conf[key] for key in KEYS}
    # Celery reads the broker from the environment before its configuration (as CI sets it).
    saved_env = os.environ.pop("CELERY_BROKER_URL", None)
    if settings is not None:
        settings.CELERY_BROKER_URL = url
        settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}
        settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.update(broker_url=url, broker_connection_timeout=1, broker_connection_retry=False,
                    broker_connection_max_retries=1, task_publish_retry=False, task_always_eager=False,
                    # kombu retries a refused connection until a deadline read from the clock,
                    # which a frozen clock never reaches: a count ends it instead.
                    broker_transport_options={"max_retries": 1, "interval_start": 0, "interval_step": 0.1,
                                              "interval_max": 0.1})
    _drop_pools()
    try:
        yield app
    finally:
        app.conf.update(saved)
        if saved_env is not None:
            os.environ["CELERY_BROKER_URL"] = saved_env
        _drop_pools()


@contextmanager
def eager_celery(keep_results: bool = False):
    """Run tasks in this process; with `keep_results`, store their results in the result
    backend, as a worker does (a polling page reads them; forget them after)."""
    saved = (app.conf.task_always_eager, app.conf.task_store_eager_result)
    app.conf.update(task_always_eager=True, task_store_eager_result=keep_results)
    # A task reads the setting once, when first bound: tell the bound ones too.
    app.loader.import_default_modules()
    tasks = list(app.tasks.values())
    own = [task.__dict__.get("store_eager_result", _UNSET) for task in tasks]
    for task in tasks:
        task.store_eager_result = keep_results
    try:
        yield app
    finally:
        app.conf.update(task_always_eager=saved[0], task_store_eager_result=saved[1])
        # Progress is stored even when results are not: leave no files in the shared backend.
        for task_id in OutboxMessage.objects.filter(kind=OutboxKind.TASK).values_list("task_id", flat=True):
            with suppress(FileNotFoundError):  # the file backend refuses to forget what it never held
                app.AsyncResult(str(task_id)).forget()
        for task, value in zip(tasks, own):
            if value is _UNSET:
                del task.store_eager_result
            else:
                task.store_eager_result = value


def published(queue: str = "celery") -> list:
    """Take every message waiting in `queue` of the current (memory) broker: [(headers, kwargs)]."""
    found = []
    with app.connection_for_read() as conn:
        simple = conn.SimpleQueue(queue)
        try:
            while True:
                try:
                    message = simple.get(timeout=0.2)
                except simple.Empty:
                    break
                found.append((message.headers, message.payload[1]))
                message.ack()
        finally:
            simple.close()
    return found
