"""Backups (`manage.py backup`, `restore`, core.backup): the database and the photos go into
one folder with a manifest, come back into an empty database, and a damaged or partial backup
or a database that is not empty is refused. On whichever database the suite runs: SQLite by
default (the online backup API), PostgreSQL in CI (pg_dump and pg_restore); commits for real."""

import io
import json
import stat
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from audit.models import AuditAction, AuditEvent
from core.backup import MANIFEST, MEDIA_FILE, BackupError, Database, _major, backup_restore, database_fingerprint
from org.models import Person, Unit

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("media")]

PHOTO = b"\xff\xd8\xff\xe0 a finding's photo \x00\x01"


def database_url(database: Database) -> str:
    if database.vendor == "sqlite":
        return f"sqlite:///{database.name}"
    auth = quote(database.user, safe="") + (f":{quote(database.password, safe='')}" if database.password else "")
    return f"postgres://{auth}@{database.host}{':' + database.port if database.port else ''}/{database.name}"


@pytest.fixture
def scratch(tmp_path):
    """An empty database of the suite's kind to restore into; dropped afterwards."""
    here = Database.from_settings()
    if here.vendor == "sqlite":
        yield Database("sqlite", str(tmp_path / "restored.sqlite3"))
        return
    name = f"test_restore_{uuid.uuid4().hex[:12]}"
    server = Database("postgresql", "postgres", here.user, here.password, here.host, here.port)
    with server.connect() as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield Database("postgresql", name, here.user, here.password, here.host, here.port)
    finally:
        with server.connect() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def photos(media):
    (media / "findings" / "2026" / "03").mkdir(parents=True)
    (media / "findings" / "2026" / "03" / "现场.jpg").write_bytes(PHOTO)
    (media / "findings" / "2026" / "03" / "second.png").write_bytes(PHOTO * 3)
    return media


def take_backup(tmp_path, *options) -> Path:
    """`manage.py backup` under tmp_path; the folder it printed."""
    out = io.StringIO()
    call_command("backup", "--output", str(tmp_path / "backups"), *options, stdout=out, stderr=io.StringIO())
    return Path(out.getvalue().strip())


def test_it_backs_up_the_database_and_the_photos_with_a_manifest(cast, photos, tmp_path):
    path = take_backup(tmp_path)
    assert path.parent == tmp_path / "backups" and path.name.startswith("huxue-")
    manifest = json.loads((path / MANIFEST).read_text())
    assert manifest["vendor"] == connection.vendor
    assert manifest["tables"]["org_unit"]["rows"] == Unit.objects.count() > 0
    assert manifest["tables"]["org_person"]["rows"] == Person.objects.count() > 0
    assert manifest["media"] == {"files": 2, "bytes": 4 * len(PHOTO)}
    assert set(manifest["files"]) == {MEDIA_FILE, "database.dump" if connection.vendor == "postgresql"
                                      else "database.sqlite3"}
    # Personal data: the folder and its files are the owner's alone; no half-written folder left.
    assert stat.S_IMODE(path.stat().st_mode) == 0o700
    assert {stat.S_IMODE(f.stat().st_mode) for f in path.iterdir()} == {0o600}
    assert [p.name for p in path.parent.iterdir()] == [path.name]


def test_a_backup_is_recorded_in_the_audit_trail_as_an_export(cast, photos, tmp_path):
    path = take_backup(tmp_path)
    row = AuditEvent.objects.filter(action=AuditAction.EXPORT).order_by("-seq").first()
    assert row is not None and row.detail["list"] == "backup" and row.detail["format"] == "backup"
    assert row.detail["filters"]["path"] == str(path) and row.detail["rows"] > 0


def test_it_restores_into_an_empty_database_every_row_and_photo(cast, photos, scratch, tmp_path):
    before = database_fingerprint(Database.from_settings())
    path = take_backup(tmp_path, "--checksums")
    restored_media = tmp_path / "restored-media"
    out = io.StringIO()
    call_command("restore", str(path), "--database-url", database_url(scratch), "--media-root", str(restored_media),
                 stdout=out)
    assert "as the manifest says" in out.getvalue()
    assert database_fingerprint(scratch) == before
    assert (restored_media / "findings" / "2026" / "03" / "现场.jpg").read_bytes() == PHOTO
    assert (restored_media / "findings" / "2026" / "03" / "second.png").read_bytes() == PHOTO * 3


def test_it_refuses_a_database_that_holds_tables(cast, photos, tmp_path):
    path = take_backup(tmp_path)
    before = database_fingerprint(Database.from_settings())
    with pytest.raises(CommandError, match="holds tables"):
        call_command("restore", str(path), "--media-root", str(tmp_path / "elsewhere"))
    assert database_fingerprint(Database.from_settings()) == before
    assert not (tmp_path / "elsewhere").exists()


def test_it_refuses_a_media_folder_that_holds_files(cast, photos, scratch, tmp_path):
    path = take_backup(tmp_path)
    with pytest.raises(BackupError, match="holds files"):
        backup_restore(path=path, database=scratch, media_root=photos)
    assert not database_fingerprint(scratch, checksums=False)


def test_force_empties_the_database_first(cast, photos, scratch, tmp_path):
    path = take_backup(tmp_path)
    backup_restore(path=path, database=scratch, media_root=tmp_path / "m1")
    Unit.objects.create(name="备份之后新建的派出所", kind="station", parent=Unit.objects.filter(parent=None).first())
    second = take_backup(tmp_path / "again")
    backup_restore(path=second, database=scratch, media_root=tmp_path / "m1", force=True)
    restored, live = database_fingerprint(scratch), database_fingerprint(Database.from_settings())
    # The live trail holds one row more: the second backup's own record, written after its dump.
    assert live.pop("audit_auditevent")["rows"] == restored.pop("audit_auditevent")["rows"] + 1
    assert restored == live


def test_a_damaged_file_is_refused_before_anything_is_touched(cast, photos, scratch, tmp_path):
    path = take_backup(tmp_path)
    archive = path / MEDIA_FILE
    data = bytearray(archive.read_bytes())
    data[600] ^= 0xFF
    archive.write_bytes(bytes(data))
    with pytest.raises(BackupError, match="does not match its sha256"):
        backup_restore(path=path, database=scratch, media_root=tmp_path / "restored-media")
    assert not database_fingerprint(scratch, checksums=False)
    assert not (tmp_path / "restored-media").exists()


def test_a_folder_without_a_manifest_is_not_a_backup(scratch, tmp_path):
    (tmp_path / "half").mkdir()
    with pytest.raises(BackupError, match="no manifest.json"):
        backup_restore(path=tmp_path / "half", database=scratch, media_root=tmp_path / "m")


def test_a_restore_that_does_not_match_the_manifest_fails(cast, photos, scratch, tmp_path):
    path = take_backup(tmp_path, "--checksums")
    manifest = json.loads((path / MANIFEST).read_text())
    manifest["tables"]["org_unit"]["rows"] += 1
    (path / MANIFEST).write_text(json.dumps(manifest))
    with pytest.raises(BackupError, match="differs from the manifest in 1 tables .*org_unit"):
        backup_restore(path=path, database=scratch, media_root=tmp_path / "m")


def test_a_changed_row_breaks_the_tables_checksum(cast):
    database = Database.from_settings()
    before = database_fingerprint(database)
    Unit.objects.filter(pk=cast.station_a.pk).update(name=cast.station_a.name + "（改）")
    after = database_fingerprint(database)
    assert [t for t in before if before[t] != after[t]] == ["org_unit"]
    assert before["org_unit"]["rows"] == after["org_unit"]["rows"]


def test_the_postgresql_tools_version_is_read():
    assert _major("pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)") == 15
    assert _major("pg_restore (PostgreSQL) 17.2") == 17
