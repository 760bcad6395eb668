"""`manage.py restore PATH`: a backup back into an empty database and MEDIA_ROOT (core.backup)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from core.backup import BackupError, Database, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `backup` into an empty database (the configured one, or "
        "--database-url) and its photos into MEDIA_ROOT; checks every file's sha256 first and "
        "every table's rows against the manifest after."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The backup's folder.")
        parser.add_argument("--database-url", default=None,
                            help="Restore into this database instead of the configured one (e.g. a fresh one).")
        parser.add_argument("--media-root", type=Path, default=None,
                            help="Put the photos here instead of MEDIA_ROOT.")
        parser.add_argument("--force", action="store_true",
                            help="Restore even though the database holds tables (ALL of them are dropped "
                            "first) or the media folder holds files (those of the same name are replaced).")

    def handle(self, *args, path, database_url, media_root, force, **options):
        connections.close_all()  # our own connection must not hold the database we replace
        try:
            database = Database.from_url(database_url) if database_url else Database.from_settings()
            manifest = backup_restore(path=path, database=database, media_root=media_root, force=force)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        rows = sum(table["rows"] for table in manifest["tables"].values())
        self.stdout.write(
            f"Restored {manifest['database']} of {manifest['created_at']} into {database.name}: "
            f"{len(manifest['tables'])} tables and {rows} rows as the manifest says, "
            f"{manifest['media']['files']} media files."
        )
