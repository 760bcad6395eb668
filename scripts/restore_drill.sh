#!/usr/bin/env bash
# The restore drill: prove that a backup can be restored, on a scratch PostgreSQL database.
#
# Loads the demo district into a new database, adds photos, takes a backup (`manage.py
# backup`), drops the database and the photos, restores into an empty database (`manage.py
# restore`), and compares every table's row count and checksum (`manage.py db_fingerprint`:
# md5 of the rows in primary-key order, computed by PostgreSQL) and every photo's sha256
# before and after. Prints each step's time; exits non-zero on any difference.
#
# Run it monthly and after every upgrade of PostgreSQL or of Huxue (docs/OPERATIONS.md);
# .ci/run runs it on every change.
#
#   DRILL_SERVER   the server to make the scratch database on
#                  (default postgres://postgres@127.0.0.1:5432; the role must be able to
#                  create databases)
#   PYTHON         the interpreter (default .venv/bin/python)
set -euo pipefail

cd "$(dirname "$0")/.."

SERVER="${DRILL_SERVER:-postgres://postgres@127.0.0.1:5432}"
PYTHON="${PYTHON:-.venv/bin/python}"
DB="huxue_drill_$$_$(date +%s)"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/huxue-drill.XXXXXX")

export DATABASE_URL="${SERVER}/${DB}"
export HUXUE_VAR_DIR="${WORK}/var"
export SECRET_KEY="${SECRET_KEY:-$("$PYTHON" -c 'import secrets; print(secrets.token_urlsafe(50))')}"
export HTTPS="${HTTPS:-0}"
export CELERY_TASK_ALWAYS_EAGER=1
unset DEBUG
MEDIA="${HUXUE_VAR_DIR}/media"

sql() {
    psql "${SERVER}/postgres" -v ON_ERROR_STOP=1 -qAtc "$1"
}

cleanup() {
    local rc=$?
    sql "DROP DATABASE IF EXISTS \"${DB}\" WITH (FORCE)" >/dev/null 2>&1 || true
    rm -rf "$WORK"
    if [ "$rc" -ne 0 ]; then
        echo "restore drill FAILED (exit ${rc})" >&2
    fi
    exit "$rc"
}
trap cleanup EXIT

# seconds since STARTED (from `date +%s%N`), to a tenth
since() {
    local ms=$(( ($(date +%s%N) - $1) / 1000000 ))
    printf '%d.%d' $(( ms / 1000 )) $(( ms % 1000 / 100 ))
}

DRILL_START=$(date +%s%N)
timed() {
    local name="$1" started
    shift
    started=$(date +%s%N)
    "$@"
    printf '  %-52s %6s s\n' "$name" "$(since "$started")"
}

media_sums() {
    (cd "$MEDIA" && find . -type f -print0 | sort -z | xargs -0 -r sha256sum)
}

create_database() { sql "CREATE DATABASE \"${DB}\""; }
load_demo() {
    "$PYTHON" manage.py migrate --noinput -v0
    "$PYTHON" manage.py seed_demo --password "drill-$(date +%s)" >/dev/null
}
add_photos() {
    # Photos as the findings' uploads name them, and one with a Chinese name.
    mkdir -p "${MEDIA}/findings/2026/03" "${MEDIA}/findings/2026/04"
    head -c 200000 /dev/urandom >"${MEDIA}/findings/2026/03/finding-1.jpg"
    head -c 50000 /dev/urandom >"${MEDIA}/findings/2026/04/finding-2.png"
    printf '照片' >"${MEDIA}/findings/2026/04/现场照片.jpg"
}
fingerprint() { "$PYTHON" manage.py db_fingerprint >"$1"; media_sums >"$2"; }
take_backup() { "$PYTHON" manage.py backup --checksums --output "${WORK}/backups" >"${WORK}/backup-path"; }
destroy() {
    sql "DROP DATABASE \"${DB}\" WITH (FORCE)"
    rm -rf "$MEDIA"
}
restore() { "$PYTHON" manage.py restore "$(cat "${WORK}/backup-path")"; }
compare() {
    "$PYTHON" - "${WORK}/before.json" "${WORK}/after.json" <<'PY'
import json, sys
before, after = (json.load(open(path)) for path in sys.argv[1:3])
rows = sum(t["rows"] for t in before.values())
wrong = sorted(t for t in before.keys() | after.keys() if before.get(t) != after.get(t))
for table in wrong:
    print(f"  DIFFERS {table}: before {before.get(table)}, after {after.get(table)}", file=sys.stderr)
if not before or wrong:
    sys.exit(1)
print(f"  {len(before)} tables, {rows} rows: every count and checksum equal")
PY
    if ! diff -u "${WORK}/media-before" "${WORK}/media-after"; then
        echo "  the photos differ" >&2
        return 1
    fi
    echo "  $(wc -l <"${WORK}/media-after") photos: every sha256 equal"
}

echo "restore drill on ${SERVER##*@}/${DB}"
timed "create the scratch database" create_database
timed "migrate and load the demo (seed_demo)" load_demo
timed "add photos to MEDIA_ROOT" add_photos
timed "fingerprint: rows and md5 of every table, photos" fingerprint "${WORK}/before.json" "${WORK}/media-before"
timed "back up (manage.py backup)" take_backup
echo "  backup: $(du -sh "$(cat "${WORK}/backup-path")" | cut -f1)"
timed "destroy: drop the database, delete the photos" destroy
timed "create an empty database" create_database
timed "restore (manage.py restore)" restore
timed "fingerprint the restored database and photos" fingerprint "${WORK}/after.json" "${WORK}/media-after"
timed "compare" compare
echo "restore drill passed in $(since "$DRILL_START") s"
