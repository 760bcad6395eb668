"""`manage.py backup`: the database and the photos in one timestamped folder (core.backup)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, backup_create
from core.signals import exported


class Command(BaseCommand):
    help = (
        "Back up the database (PostgreSQL: pg_dump's custom format in one snapshot; SQLite: its "
        "online backup API) and MEDIA_ROOT into one timestamped folder with a manifest of every "
        "table's rows and every file's sha256. Prints the folder."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, default=None,
                            help="Folder to write the backup under (default: var/backups).")
        parser.add_argument("--checksums", action="store_true",
                            help="Also record an md5 of each table's rows, which the restore then checks.")

    def handle(self, *args, output, checksums, **options):
        try:
            result = backup_create(output=output or Path(settings.VAR_DIR) / "backups", checksums=checksums)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        manifest = result.manifest
        rows = sum(table["rows"] for table in manifest["tables"].values())
        self.stderr.write(
            f"Backed up {manifest['database']} ({manifest['server']}): {len(manifest['tables'])} tables, "
            f"{rows} rows, {manifest['media']['files']} media files."
        )
        # A backup is every row of personal data leaving the database: the audit trail records
        # it as an export (core.signals; audit/ listens).
        exported.send(sender=type(self), request=None, name="backup", rows=rows, format="backup",
                      filters={"path": str(result.path), "media_files": manifest["media"]["files"]})
        self.stdout.write(str(result.path))
