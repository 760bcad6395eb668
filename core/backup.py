"""Backups: the database and the media files (the findings' photos) in one folder, with a
manifest that lets a restore prove it put back what was taken.

A backup is a folder `huxue-<database>-<UTC time>/` holding
- `database.dump`: PostgreSQL's custom format from `pg_dump`, or `database.sqlite3`, a copy
  made with SQLite's online backup API (the embedded default; both are consistent snapshots);
- `media.tar`: MEDIA_ROOT as it was after the database snapshot (photos are only added, so
  every photo the database names is in it);
- `manifest.json`: when, which database and server, the rows of every table counted in the
  snapshot the dump was taken from (and, with `checksums`, an md5 of each table's rows), and
  the sha256 and size of each file.

The folder is written as `<name>.partial` and renamed when complete, so a half-written backup
is never taken for a whole one; it and its files are readable by the owner only (they hold
personal data). `backup_restore` restores into an empty database only, checks every file's
sha256 before it touches anything and every table's rows after.

The management commands `backup` and `restore` call these; `db_fingerprint` prints the counts
and checksums the restore drill (scripts/restore_drill.sh) compares.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import dj_database_url
import psycopg
from django.conf import settings
from django.db import connections

MANIFEST = "manifest.json"
PG_DUMP_FILE = "database.dump"
SQLITE_FILE = "database.sqlite3"
MEDIA_FILE = "media.tar"
FORMAT = 1
HASH_CHUNK = 1 << 20


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


# --- which database ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Database:
    """Where a database is: PostgreSQL's connection values, or SQLite's file."""

    vendor: str  # "postgresql" or "sqlite"
    name: str
    user: str = ""
    password: str = ""
    host: str = ""
    port: str = ""

    @classmethod
    def from_settings(cls, alias: str = "default") -> Database:
        return cls._from_dict(connections[alias].settings_dict)

    @classmethod
    def from_url(cls, url: str) -> Database:
        return cls._from_dict(dj_database_url.parse(url))

    @classmethod
    def _from_dict(cls, db: dict) -> Database:
        engine = db["ENGINE"]
        if engine == "django.db.backends.postgresql":
            return cls("postgresql", str(db["NAME"]), db.get("USER") or "", db.get("PASSWORD") or "",
                       db.get("HOST") or "", str(db.get("PORT") or ""))
        if engine == "django.db.backends.sqlite3":
            return cls("sqlite", str(db["NAME"]))
        raise BackupError(f"Backups handle PostgreSQL and SQLite, not {engine}.")

    def libpq_env(self) -> dict[str, str]:
        """The environment pg_dump, pg_restore and psql read (the password never on a command line)."""
        env = {**os.environ, "PGDATABASE": self.name}
        for key, value in (("PGUSER", self.user), ("PGPASSWORD", self.password), ("PGHOST", self.host),
                           ("PGPORT", self.port)):
            if value:
                env[key] = value
        return env

    @contextlib.contextmanager
    def connect(self) -> Iterator:
        if self.vendor == "postgresql":
            conn = psycopg.connect(dbname=self.name, user=self.user or None, password=self.password or None,
                                   host=self.host or None, port=self.port or None, autocommit=True)
        else:
            conn = sqlite3.connect(self.name)
        try:
            yield conn
        finally:
            conn.close()


# --- what a database holds ---------------------------------------------------------------------


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _tables(cursor, vendor: str) -> list[str]:
    if vendor == "postgresql":
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")
    else:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                       "ORDER BY name")
    return [row[0] for row in cursor.fetchall()]


def _primary_key(cursor, vendor: str, table: str) -> list[str]:
    if vendor == "postgresql":
        cursor.execute(
            "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
            "AND a.attnum = ANY(i.indkey) WHERE i.indrelid = %s::regclass AND i.indisprimary "
            "ORDER BY array_position(i.indkey, a.attnum)", [_quote(table)])
        return [row[0] for row in cursor.fetchall()]
    cursor.execute(f"PRAGMA table_info({_quote(table)})")
    return [row[1] for row in sorted((r for r in cursor.fetchall() if r[5]), key=lambda r: r[5])]


def _checksum(cursor, vendor: str, table: str) -> str:
    """md5 over the md5 of each row's text, in primary-key order (whole rows without a key)."""
    key = _primary_key(cursor, vendor, table)
    if vendor == "postgresql":
        order = ", ".join(f"t.{_quote(c)}" for c in key) or "t::text"
        cursor.execute(f"SELECT md5(coalesce(string_agg(md5(t::text), '' ORDER BY {order}), '')) "
                       f"FROM {_quote(table)} AS t")
        return cursor.fetchone()[0]
    digest = hashlib.md5(usedforsecurity=False)
    order = ", ".join(_quote(c) for c in key) or "rowid"
    for row in cursor.execute(f"SELECT * FROM {_quote(table)} ORDER BY {order}"):
        digest.update(hashlib.md5(repr(row).encode(), usedforsecurity=False).hexdigest().encode())
    return digest.hexdigest()


def table_stats(cursor, vendor: str, *, checksums: bool = False) -> dict[str, dict]:
    """{table: {"rows": n, "md5": …}} of every table the cursor's database holds."""
    stats = {}
    for table in _tables(cursor, vendor):
        cursor.execute(f"SELECT count(*) FROM {_quote(table)}")
        stats[table] = {"rows": cursor.fetchone()[0]}
        if checksums:
            stats[table]["md5"] = _checksum(cursor, vendor, table)
    return stats


def database_fingerprint(database: Database, *, checksums: bool = True) -> dict[str, dict]:
    """The rows (and checksum) of every table of `database`, read in one snapshot."""
    with database.connect() as conn:
        cursor = conn.cursor()
        if database.vendor == "postgresql":
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        try:
            return table_stats(cursor, database.vendor, checksums=checksums)
        finally:
            if database.vendor == "postgresql":
                cursor.execute("ROLLBACK")


def _has_tables(database: Database) -> bool:
    with database.connect() as conn:
        return bool(_tables(conn.cursor(), database.vendor))


# --- PostgreSQL's tools ------------------------------------------------------------------------


def _major(version_text: str) -> int:
    """15 of "pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)"."""
    match = re.search(r"\)\s*(\d+)", version_text)
    if not match:
        raise BackupError(f"Cannot read a version in {version_text!r}.")
    return int(match.group(1))


def pg_tool(name: str, database: Database) -> tuple[str, str]:
    """The path and version of `pg_dump`/`pg_restore`, refused when it is missing or older than
    the server (an older pg_dump cannot read a newer server; a newer one can)."""
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed: install PostgreSQL's client (Debian: postgresql-client) "
                          "of the server's major version or newer.")
    version = subprocess.run([path, "--version"], capture_output=True, text=True, check=True).stdout.strip()
    with database.connect() as conn:
        server = conn.info.server_version // 10000
    if _major(version) < server:
        raise BackupError(f"{version} is older than the server (PostgreSQL {server}): install "
                          f"postgresql-client-{server}.")
    return path, version


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed (exit {done.returncode}): {done.stderr.strip()}")


# --- files -------------------------------------------------------------------------------------


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _media_archive(media_root: Path, target: Path) -> dict:
    files = total = 0
    with tarfile.open(target, "w") as archive:
        if media_root.is_dir():
            for path in sorted(media_root.rglob("*")):
                if path.is_file() and not path.is_symlink():
                    archive.add(path, arcname=str(path.relative_to(media_root)), recursive=False)
                    files += 1
                    total += path.stat().st_size
    return {"files": files, "bytes": total}


def _private_folder(path: Path) -> None:
    path.mkdir(mode=0o700, parents=True)


# --- backup ------------------------------------------------------------------------------------


@dataclass
class BackupResult:
    path: Path
    manifest: dict


def backup_create(*, output: Path, database: Database | None = None, media_root: Path | None = None,
                  checksums: bool = False, now: datetime.datetime | None = None) -> BackupResult:
    """Take one backup of `database` (the configured one) and `media_root` (MEDIA_ROOT) into a
    new folder under `output`; return its path and manifest."""
    database = database or Database.from_settings()
    media_root = Path(media_root or settings.MEDIA_ROOT)
    now = now or datetime.datetime.now(datetime.UTC)
    label = re.sub(r"[^A-Za-z0-9_.-]+", "_", Path(database.name).stem if database.vendor == "sqlite" else database.name)
    final = Path(output) / f"huxue-{label}-{now:%Y%m%dT%H%M%SZ}"
    if final.exists():
        raise BackupError(f"{final} exists already.")
    partial = final.with_name(final.name + ".partial")
    Path(output).mkdir(parents=True, exist_ok=True)
    _private_folder(partial)
    old_umask = os.umask(0o077)
    try:
        manifest = {"format": FORMAT, "created_at": now.isoformat(), "vendor": database.vendor,
                    "database": Path(database.name).name if database.vendor == "sqlite" else database.name}
        if database.vendor == "postgresql":
            manifest.update(_dump_postgresql(database, partial / PG_DUMP_FILE, checksums=checksums))
            data_file = PG_DUMP_FILE
        else:
            manifest.update(_copy_sqlite(database, partial / SQLITE_FILE, checksums=checksums))
            data_file = SQLITE_FILE
        manifest["media"] = _media_archive(media_root, partial / MEDIA_FILE)
        manifest["files"] = {
            name: {"sha256": sha256(partial / name), "bytes": (partial / name).stat().st_size}
            for name in (data_file, MEDIA_FILE)
        }
        (partial / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
        partial.rename(final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    finally:
        os.umask(old_umask)
    return BackupResult(final, manifest)


def _dump_postgresql(database: Database, target: Path, *, checksums: bool) -> dict:
    """pg_dump in the snapshot the rows were counted in: a transaction exports its snapshot and
    stays open while pg_dump reads through it, so the counts are the dump's."""
    pg_dump, version = pg_tool("pg_dump", database)
    with database.connect() as conn:
        cursor = conn.cursor()
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        try:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            tables = table_stats(cursor, "postgresql", checksums=checksums)
            _run([pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={target}"], database.libpq_env())
            server = conn.info.parameter_status("server_version")
        finally:
            cursor.execute("ROLLBACK")
    return {"server": f"PostgreSQL {server}", "tool": version, "tables": tables}


def _copy_sqlite(database: Database, target: Path, *, checksums: bool) -> dict:
    """SQLite's online backup API copies a consistent snapshot while the system runs."""
    if not Path(database.name).is_file():
        raise BackupError(f"There is no SQLite database at {database.name}.")
    with database.connect() as source:
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
            tables = table_stats(copy.cursor(), "sqlite", checksums=checksums)
        finally:
            copy.close()
    return {"server": f"SQLite {sqlite3.sqlite_version}", "tool": "sqlite3 backup API", "tables": tables}


# --- restore -----------------------------------------------------------------------------------


def read_manifest(path: Path) -> dict:
    try:
        manifest = json.loads((Path(path) / MANIFEST).read_text())
    except FileNotFoundError:
        raise BackupError(f"{path} holds no {MANIFEST}: not a backup, or an unfinished one.") from None
    except ValueError as exc:
        raise BackupError(f"{path}/{MANIFEST} is not valid JSON: {exc}") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is a backup of format {manifest.get('format')!r}; this version reads {FORMAT}.")
    return manifest


def backup_verify(path: Path) -> dict:
    """Check every file of the backup against the manifest's sha256; return the manifest."""
    path = Path(path)
    manifest = read_manifest(path)
    for name, expected in manifest["files"].items():
        file = path / name
        if not file.is_file():
            raise BackupError(f"{file} is missing.")
        if sha256(file) != expected["sha256"]:
            raise BackupError(f"{file} does not match its sha256 in the manifest: the backup is damaged.")
    return manifest


def backup_restore(*, path: Path, database: Database | None = None, media_root: Path | None = None,
                   force: bool = False) -> dict:
    """Restore the backup at `path` into `database` (the configured one), which must hold no
    table, and its photos into `media_root` (MEDIA_ROOT), which must hold no file; `force`
    first empties the database (its schema dropped and created again) and lets the photos
    overwrite those of the same name. Checks the files before and the rows after; returns
    the manifest."""
    path = Path(path)
    database = database or Database.from_settings()
    media_root = Path(media_root or settings.MEDIA_ROOT)
    manifest = backup_verify(path)
    if manifest["vendor"] != database.vendor:
        raise BackupError(f"This is a {manifest['vendor']} backup; the target database is {database.vendor}.")
    if not force:
        if _has_tables(database):
            raise BackupError(f"The database {database.name} holds tables: restore into an empty database "
                              "(or give --force to drop everything in it first).")
        if media_root.is_dir() and any(p.is_file() for p in media_root.rglob("*")):
            raise BackupError(f"{media_root} holds files: restore into an empty folder (or give --force).")
    if database.vendor == "postgresql":
        _restore_postgresql(path / PG_DUMP_FILE, database, empty_first=force)
    else:
        _restore_sqlite(path / SQLITE_FILE, database)
    _restore_media(path / MEDIA_FILE, media_root, manifest["media"])
    _check_tables(database, manifest["tables"])
    return manifest


def _restore_postgresql(dump: Path, database: Database, *, empty_first: bool) -> None:
    pg_restore, _version = pg_tool("pg_restore", database)
    if empty_first:
        with database.connect() as conn:
            conn.execute("DROP SCHEMA public CASCADE")
            conn.execute("CREATE SCHEMA public")
    # One transaction: a restore that fails leaves the database as empty as it found it.
    # Objects are owned by, and granted to, the role that restores (production's roles may
    # not exist where a backup is tried out).
    _run([pg_restore, "--single-transaction", "--exit-on-error", "--no-owner", "--no-privileges",
          f"--dbname={database.name}", str(dump)], database.libpq_env())


def _restore_sqlite(copy: Path, database: Database) -> None:
    Path(database.name).parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(copy) as source, database.connect() as target:
        source.backup(target)


def _restore_media(archive: Path, media_root: Path, expected: dict) -> None:
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive) as tar:
        members = [m for m in tar.getmembers() if m.isfile()]
        tar.extractall(media_root, members=members, filter="data")
    if len(members) != expected["files"]:
        raise BackupError(f"The media archive holds {len(members)} files; the manifest says {expected['files']}.")


def _check_tables(database: Database, expected: dict) -> None:
    checksums = any("md5" in stats for stats in expected.values())
    found = database_fingerprint(database, checksums=checksums)
    wrong = [table for table in expected.keys() | found.keys()
             if {k: v for k, v in found.get(table, {}).items() if k in expected.get(table, {})}
             != expected.get(table)]
    if wrong:
        details = ", ".join(f"{t}: {found.get(t)} instead of {expected.get(t)}" for t in sorted(wrong)[:10])
        raise BackupError(f"The restored database differs from the manifest in {len(wrong)} tables ({details}).")
