"""manage.py keyperson_rotate_keys: re-encrypt every value of the key-person register under
the current key version (keypersons/rotation.py). Add the new key to KEYPERSON_KEYS, set
KEYPERSON_KEY_VERSION to it, run this, then (once it reports nothing left) retire the old key."""

from django.core.management.base import BaseCommand

from keypersons.rotation import rotate_keys


class Command(BaseCommand):
    help = "Re-encrypt the key-person register under the current key version (batches, idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument("--rehash", action="store_true",
                            help="Also recompute every ID number's lookup hash (after changing KEYPERSON_LOOKUP_KEY).")

    def handle(self, *args, batch_size, rehash, **options):
        result = rotate_keys(batch_size=max(1, batch_size), rehash=rehash)
        for label, rows in result.rows.items():
            self.stdout.write(f"{label}: {rows} rows re-encrypted under key version {result.version}")
        if rehash:
            self.stdout.write(f"keypersons.keyperson: {result.rehashed} lookup hashes recomputed")
