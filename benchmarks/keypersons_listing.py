"""The key-person register's cost of encryption: 10,000 persons listed with masking, and one
found by his ID number, with and without encryption, as ratios, in one run.

    .venv/bin/python benchmarks/keypersons_listing.py                      # SQLite, a temporary file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python benchmarks/keypersons_listing.py

The database is a throw-away one (a SQLite file in a temporary directory, or with a PostgreSQL
DATABASE_URL a database huxue_bench_kp_<pid> next to the one named, dropped at the end). It
writes 10,000 invented persons (bulk_create, each value SM4-GCM encrypted as the services do)
in one station, and a keeper with a verified second factor, then measures through the real
code (best of --repeat runs):

- list: GET /api/v1/key-persons/?page_size=500, all 20 pages (scope, filters, the masked ID
  number and phone of every row, one audit row per page);
- export: GET /key-persons/?export=xlsx (10,000 masked rows in a workbook, one audit row);
- lookup: 200 persons found by ID number (KeyPerson.objects.with_id_number: the HMAC-SM3 of
  the number, then the unique index).

Then "without encryption": the same columns rewritten to hold the plain values, crypto.decrypt
replaced by the identity and the lookup hash by the plain number (still indexed): the same
queries, rows and pages, minus the cryptography. It prints both, the ratios encrypted / plain,
and what a lookup would cost by decrypting every row instead (why the keyed hash exists).
It asserts no times; it checks the rows it built and that the two modes answered the same."""

from __future__ import annotations

import argparse
import os
import random
import secrets
import shutil
import sys
import tempfile
import time
import warnings
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PEOPLE = 10_000
LOOKUPS = 200


def admin_execute(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
        conn.execute(sql)


def build() -> tuple[object, list[str]]:
    """One station, an officer, a keeper (verified), and 10,000 persons. Returns the keeper
    and the ID numbers."""
    import datetime

    from django.contrib.auth.models import Group
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from keypersons import crypto, idnumber
    from keypersons.access import KEEPERS_GROUP
    from keypersons.models import KeyPerson, KeyPersonCategory
    from org.models import Person, PersonKind, Role, Unit, UnitKind
    from org.services import user_create

    bureau = Unit.objects.create(name="基准分局", kind=UnitKind.BUREAU)
    station = Unit.objects.create(name="基准派出所", kind=UnitKind.STATION, parent=bureau)
    officer = Person.objects.create(name="基准民警", kind=PersonKind.POLICE, unit=station)
    keeper = user_create(username="bench_keeper", password=secrets.token_urlsafe(16) + "Aa1!",
                         role=Role.DISPATCHER, unit=station)
    keeper.groups.add(Group.objects.get(name=KEEPERS_GROUP))
    TOTPDevice.objects.create(user=keeper, name="authenticator", confirmed=True)
    rng = random.Random(2026)
    numbers: list[str] = []
    seen: set[str] = set()
    while len(numbers) < PEOPLE:
        birth = datetime.date(rng.randint(1960, 2000), rng.randint(1, 12), rng.randint(1, 28))
        number = idnumber.with_check_character(f"{rng.choice(('510903', '510904'))}{birth:%Y%m%d}{rng.randint(1, 999):03d}")
        if number not in seen:
            seen.add(number)
            numbers.append(number)
    today = datetime.date.today()
    rows = []
    for n, number in enumerate(numbers):
        parsed = idnumber.parse(number)
        rows.append(KeyPerson(
            name=f"人员{n:05d}", id_number_cipher=crypto.encrypt(number, field="keyperson.id_number"),
            id_number_hash=crypto.lookup_hash(number), sex=parsed.sex, birth_date=parsed.birth_date,
            phone_cipher=crypto.encrypt(f"139{n:08d}", field="keyperson.phone"),
            address_cipher=crypto.encrypt(f"基准路{n}号", field="keyperson.address"),
            basis_cipher=crypto.encrypt("排查发现", field="keyperson.basis"),
            risk="low", station=station, officer=officer, registered_on=today, follow_up_due=today))
    people = KeyPerson.objects.bulk_create(rows, batch_size=2000)
    KeyPersonCategory.objects.bulk_create([KeyPersonCategory(key_person=p, category="petitioner") for p in people],
                                          batch_size=2000)
    return keeper, numbers


def to_plain(numbers: list[str]) -> None:
    """The same rows, the secret columns holding plain text and the hash the plain number."""
    from keypersons import crypto
    from keypersons.models import KeyPerson

    people = list(KeyPerson.objects.order_by("pk"))
    for person in people:
        for name in ("id_number", "phone", "address", "basis"):
            setattr(person, f"{name}_cipher", crypto.decrypt(getattr(person, f"{name}_cipher"),
                                                             field=f"keyperson.{name}"))
        person.id_number_hash = person.id_number_cipher
    KeyPerson.objects.bulk_update(people, ["id_number_cipher", "phone_cipher", "address_cipher", "basis_cipher",
                                           "id_number_hash"], batch_size=2000)
    crypto.decrypt = lambda stored, *, field: stored
    crypto.lookup_hash = lambda normalised: normalised


def best(func, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        began = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - began)
    return min(times), result


def measure(client, numbers: list[str], repeat: int) -> dict:
    from keypersons.models import KeyPerson

    def list_all():
        masked = []
        for page in range(1, PEOPLE // 500 + 1):
            response = client.get("/api/v1/key-persons/", {"page_size": 500, "page": page})
            assert response.status_code == 200, response.content[:300]
            masked += [(row["id_number"], row["phone"]) for row in response.json()["results"]]
        return masked

    def export():
        response = client.get("/key-persons/", {"export": "xlsx"})
        assert response.status_code == 200, response.status_code
        return len(response.content)

    sample = random.Random(7).sample(numbers, LOOKUPS)

    def lookup():
        return [KeyPerson.objects.with_id_number(number).values_list("pk", flat=True).first() for number in sample]

    results = {}
    for name, func in (("list", list_all), ("export", export), ("lookup", lookup)):
        client_time, answer = best(func, repeat)
        results[name] = (client_time, answer)
    return results


def run(repeat: int) -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from keypersons import crypto
    from keypersons.models import KeyPerson

    setup_test_environment()
    call_command("migrate", verbosity=0, interactive=False)
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}; crypto: SM4-GCM, lookup HMAC-{crypto.HASH_NAME}")
    began = time.perf_counter()
    keeper, numbers = build()
    assert KeyPerson.objects.count() == PEOPLE
    print(f"fixture: {PEOPLE} persons, each value encrypted, built in {time.perf_counter() - began:.1f} s")
    client = Client()
    client.force_login(keeper)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=keeper).persistent_id
    session.save()
    client.get("/api/v1/key-persons/", {"page_size": 1})  # warm per-process caches

    encrypted = measure(client, numbers, repeat)
    began = time.perf_counter()
    naive_target = numbers[PEOPLE // 2]
    for person in KeyPerson.objects.only("pk", "id_number_cipher").iterator(chunk_size=2000):
        if person.secret("id_number") == naive_target:
            break
    naive = time.perf_counter() - began
    to_plain(numbers)
    plain = measure(client, numbers, repeat)

    assert encrypted["list"][1] == plain["list"][1], "the two modes listed different masked values"
    assert encrypted["lookup"][1] == plain["lookup"][1], "the two modes found different persons"
    assert all(encrypted["lookup"][1]) and len(encrypted["list"][1]) == PEOPLE
    print(f"best of {repeat}; same answers in both modes ({PEOPLE} masked rows, {LOOKUPS} persons found)")
    print(f"{'':32}{'encrypted':>12}{'plain':>12}{'ratio':>9}")
    for name, label in (("list", "list 10,000 (20 API pages)"), ("export", "export 10,000 (xlsx page)"),
                        ("lookup", f"lookup by ID number x{LOOKUPS}")):
        enc, pla = encrypted[name][0], plain[name][0]
        print(f"{label:32}{enc:>10.3f} s{pla:>10.3f} s{enc / pla:>8.2f}x")
    per_lookup = encrypted["lookup"][0] / LOOKUPS
    print(f"one lookup by the keyed hash: {per_lookup * 1000:.2f} ms; by decrypting rows until found "
          f"(half the register): {naive * 1000:.0f} ms ({naive / per_lookup:.0f}x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("HTTPS", "0")
    os.environ.setdefault("STATICFILES_BACKEND", "django.contrib.staticfiles.storage.StaticFilesStorage")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huxue.settings")
    scheme = urlsplit(url).scheme
    if scheme in {"postgres", "postgresql", "pgsql"}:
        name = f"huxue_bench_kp_{os.getpid()}"
        admin_execute(url, f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = urlunsplit(urlsplit(url)._replace(path=f"/{name}"))

        def cleanup():
            admin_execute(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            print(f"dropped {name}")
    elif scheme in {"", "sqlite"}:
        folder = tempfile.mkdtemp(prefix="huxue-bench-")
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
        os.environ.setdefault("HUXUE_VAR_DIR", folder)

        def cleanup():
            shutil.rmtree(folder, ignore_errors=True)
    else:
        sys.exit(f"keypersons_listing.py runs on SQLite or PostgreSQL, not {scheme!r}")
    warnings.filterwarnings("ignore", message="No directory at")
    try:
        import django

        django.setup()
        try:
            run(max(1, args.repeat))
        finally:
            from django.db import connections

            connections.close_all()
    finally:
        cleanup()


if __name__ == "__main__":
    main()
