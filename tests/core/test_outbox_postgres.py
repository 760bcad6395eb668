"""Two deliveries at the same moment, on the production database: each row is claimed by one
of them (SELECT … FOR UPDATE SKIP LOCKED), so every message goes out exactly once while both
work in parallel. Needs PostgreSQL (SQLite serialises every write); commits for real."""

import threading
import time

import pytest
from django.db import connection, connections

from core.models import OutboxKind, OutboxMessage
from core.outbox import outbox_deliver, outbox_enqueue_messages
from core.sms import LoggingSmsBackend

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="needs PostgreSQL (row locks); run with DATABASE_URL=postgres://…"),
    pytest.mark.django_db(transaction=True),
]

TIMEOUT = 60


class SlowSmsBackend(LoggingSmsBackend):
    """A gateway that takes a moment per message, so the two deliveries overlap."""

    lock = threading.Lock()

    def send(self, phone, text):
        time.sleep(0.05)
        with type(self).lock:
            super().send(phone, text)


def test_two_deliveries_at_once_send_each_message_exactly_once(settings):
    settings.SMS_BACKEND = "tests.core.test_outbox_postgres.SlowSmsBackend"
    LoggingSmsBackend.sent = []
    outbox_enqueue_messages(messages=[(OutboxKind.SMS, {"phone": f"139{n:08d}", "text": "新班次"}) for n in range(30)])
    barrier = threading.Barrier(2, timeout=TIMEOUT)
    results = [None, None]

    def work(index):
        try:
            barrier.wait()
            results[index] = outbox_deliver()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "a delivery is stuck"

    phones = [phone for phone, _text in LoggingSmsBackend.sent]
    assert sorted(phones) == sorted(f"139{n:08d}" for n in range(30))  # each once
    assert results[0].delivered + results[1].delivered == 30
    assert results[0].delivered > 0 and results[1].delivered > 0  # both worked, side by side
    assert not OutboxMessage.objects.filter(delivered_at__isnull=True).exists()
    LoggingSmsBackend.sent = []
