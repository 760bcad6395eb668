"""Key rotation: every encrypted value of the register brought to the current key version
(KEYPERSON_KEY_VERSION), in batches, each batch in its own transaction with its rows locked,
so a failure leaves whole batches done and the rest on their old key (both still readable
while the old key is configured). Running it again changes nothing: only rows with a value on
another version are read. With `rehash`, every lookup hash is recomputed too (after changing
KEYPERSON_LOOKUP_KEY). Used by `manage.py keyperson_rotate_keys`."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q

from keypersons import crypto
from keypersons.models import KEYPERSON_SECRETS, CoManager, FollowUp, KeyPerson

# Each model and its encrypted values.
ENCRYPTED = ((KeyPerson, KEYPERSON_SECRETS), (CoManager, ("contact",)), (FollowUp, ("observed",)))


@dataclass
class RotationResult:
    version: int
    rows: dict[str, int] = field(default_factory=dict)
    rehashed: int = 0


def stale(model, names) -> Q:
    """Rows with a value written under another key version than the current one."""
    prefix = crypto.current_prefix()
    condition = Q()
    for name in names:
        column = f"{name}_cipher"
        condition |= ~Q(**{f"{column}__startswith": prefix}) & ~Q(**{column: ""})
    return condition


def rotate_keys(*, batch_size: int = 500, rehash: bool = False) -> RotationResult:
    result = RotationResult(version=crypto.current_version())
    for model, names in ENCRYPTED:
        done = 0
        while True:
            with transaction.atomic():
                ids = list(model.objects.filter(stale(model, names)).order_by("pk")
                           .values_list("pk", flat=True)[:batch_size])
                if not ids:
                    break
                rows = list(model.objects.select_for_update().filter(pk__in=ids))
                for row in rows:
                    for name in names:
                        row.set_secret(name, row.secret(name))
                model.objects.bulk_update(rows, [f"{name}_cipher" for name in names])
                done += len(rows)
        result.rows[model._meta.label_lower] = done
    if rehash:
        last = 0
        while True:
            with transaction.atomic():
                rows = list(KeyPerson.objects.select_for_update().filter(pk__gt=last).order_by("pk")[:batch_size])
                if not rows:
                    break
                for row in rows:
                    row.id_number_hash = crypto.lookup_hash(row.secret("id_number"))
                KeyPerson.objects.bulk_update(rows, ["id_number_hash"])
                result.rehashed += len(rows)
                last = rows[-1].pk
    return result
