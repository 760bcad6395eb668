"""`manage.py db_fingerprint`: every table's rows and checksum, as JSON (the restore drill
compares the one before a backup with the one after the restore)."""

import json

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, Database, database_fingerprint


class Command(BaseCommand):
    help = "Print every table's row count and an md5 of its rows in primary-key order, as JSON."

    def add_arguments(self, parser):
        parser.add_argument("--database-url", default=None, help="Another database than the configured one.")
        parser.add_argument("--no-checksums", action="store_false", dest="checksums",
                            help="Count rows only.")

    def handle(self, *args, database_url, checksums, **options):
        try:
            database = Database.from_url(database_url) if database_url else Database.from_settings()
            stats = database_fingerprint(database, checksums=checksums)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(json.dumps(stats, indent=1, sort_keys=True))
