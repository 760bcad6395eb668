"""Writers at the same moment on PostgreSQL keep one chain: no two rows share a sequence
number or a previous hash, and the chain verifies."""

import pytest
from django.db import connection

from audit.models import AuditAction, AuditEvent
from audit.services import audit_record, audit_verify
from tests.scenes import run_together

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL (concurrent transactions); run with DATABASE_URL=postgres://…",
)


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_one_chain():
    def write(n):
        return lambda: [audit_record(action=AuditAction.EXPORT, detail={"writer": n, "i": i}).seq for i in range(10)]

    # What the database held before (a flush's post_migrate hooks may write a row, e.g. the
    # key-person keepers' group given its permissions).
    before = AuditEvent.objects.count()
    outcomes = run_together(*[write(n) for n in range(8)])
    assert [error for _value, error in outcomes] == [None] * 8
    seqs = sorted(seq for value, _error in outcomes for seq in value)
    assert seqs == list(range(seqs[0], seqs[0] + 80))
    rows = list(AuditEvent.objects.order_by("seq"))
    assert len({row.prev_hash for row in rows}) == len(rows)
    assert audit_verify() == (before + 80, None)
