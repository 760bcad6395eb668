"""What protects the register at rest: the raw columns hold no plain ID number, phone,
address or notes; each value names its algorithm and key version; rotation re-encrypts every
row and the data reads the same before and after; a person is found by the keyed hash of his
ID number; an ID number is checked digit by digit."""

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.management import call_command
from django.db import connection

from keypersons import crypto, idnumber
from keypersons.models import CoManager, FollowUp, KeyPerson
from keypersons.rotation import rotate_keys
from keypersons.services import followup_create
from tests.keypersons.conftest import a_person, an_id_number

KEY1 = "1:" + "11" * 16
KEY2 = "2:" + "22" * 16
ID_NUMBER = idnumber.with_check_character("51090319850312123")
PHONE = "13987654321"
ADDRESS = "遂宁市船山区德胜西路77号"
CONTACT = "13700001111"


def dump(table: str) -> str:
    """Every value of every row of a table, as a database dump would show them."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
        return "\n".join(" ".join(str(value) for value in row) for row in cursor.fetchall())


def a_full_person(cast, **fields):
    values = {"id_number": ID_NUMBER, "phone": PHONE, "address": ADDRESS, "location": (30.53, 105.57),
              "notes": "家属反映其近期情绪波动", "co_managers": [{"kind": "family", "name": "母亲", "contact": CONTACT}],
              **fields}
    return a_person(cast, **values)


@pytest.fixture
def two_keys(settings):
    settings.KEYPERSON_KEYS = f"{KEY1},{KEY2}"
    settings.KEYPERSON_KEY_VERSION = 1
    return settings


def test_the_raw_columns_hold_no_plain_id_number_phone_address_or_notes(cast):
    person = a_full_person(cast)
    followup_create(person=person, user=cast.alice, date=datetime.date.today(), officer=cast.officer_a,
                    method="visit", observed="本人在家，按时服药", status_after="stable")
    tables = [KeyPerson._meta.db_table, CoManager._meta.db_table, FollowUp._meta.db_table]
    raw = "\n".join(dump(table) for table in tables)
    for secret in (ID_NUMBER, ID_NUMBER[-8:], PHONE, ADDRESS, "德胜西路", "情绪波动", CONTACT, "按时服药", "30.53"):
        assert secret not in raw, secret
    assert "sm4gcm:v1:" in raw
    # ... and the application reads them back.
    person = KeyPerson.objects.get(pk=person.pk)
    assert (person.secret("id_number"), person.secret("phone"), person.secret("address")) == (ID_NUMBER, PHONE, ADDRESS)
    assert person.masked_id_number == "510903********" + ID_NUMBER[-4:]
    assert person.birth_date == datetime.date(1985, 3, 12) and person.sex == "m"


def test_a_value_names_its_key_and_fails_loudly_when_altered_or_moved(cast):
    person = a_full_person(cast)
    stored = person.id_number_cipher
    assert stored.startswith("sm4gcm:v1:")
    assert crypto.key_version_of(stored) == 1
    assert stored != crypto.encrypt(ID_NUMBER, field="keyperson.id_number")  # a random nonce each time
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(stored, field="keyperson.phone")  # another column's value does not decrypt
    tampered = stored[:-6] + ("A" if stored[-6] != "A" else "B") + stored[-5:]
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(tampered, field="keyperson.id_number")


def test_rotation_re_encrypts_every_row_and_the_data_reads_the_same(cast, two_keys):
    people = [a_full_person(cast, id_number=an_id_number()) for _ in range(5)]
    followup_create(person=people[0], user=cast.alice, date=datetime.date.today(), officer=cast.officer_a,
                    method="call", observed="电话联系正常", status_after="stable")
    before = {p.pk: (p.secret("id_number"), p.secret("phone"), p.secret("address")) for p in people}
    assert all(p.id_number_cipher.startswith("sm4gcm:v1:") for p in KeyPerson.objects.all())

    two_keys.KEYPERSON_KEY_VERSION = 2
    # Old rows still read under the new current version, before the rotation.
    assert {p.pk: (p.secret("id_number"), p.secret("phone"), p.secret("address"))
            for p in KeyPerson.objects.all()} == before
    result = rotate_keys(batch_size=2)
    assert result.rows == {"keypersons.keyperson": 5, "keypersons.comanager": 5, "keypersons.followup": 1}
    raw = dump(KeyPerson._meta.db_table) + dump(CoManager._meta.db_table) + dump(FollowUp._meta.db_table)
    assert "sm4gcm:v1:" not in raw
    assert {p.pk: (p.secret("id_number"), p.secret("phone"), p.secret("address"))
            for p in KeyPerson.objects.all()} == before
    assert FollowUp.objects.get().secret("observed") == "电话联系正常"
    # Idempotent: a second run has nothing left to do.
    assert rotate_keys().rows == {"keypersons.keyperson": 0, "keypersons.comanager": 0, "keypersons.followup": 0}
    # And the old key can now be retired.
    two_keys.KEYPERSON_KEYS = KEY2
    assert KeyPerson.objects.get(pk=people[0].pk).secret("phone") == PHONE


def test_the_command_rotates_and_says_how_many(cast, two_keys, capsys):
    a_full_person(cast)
    two_keys.KEYPERSON_KEY_VERSION = 2
    call_command("keyperson_rotate_keys", "--batch-size", "10")
    out = capsys.readouterr().out
    assert "keypersons.keyperson: 1 rows re-encrypted under key version 2" in out
    assert KeyPerson.objects.get().id_number_cipher.startswith("sm4gcm:v2:")


def test_a_value_under_a_key_no_longer_configured_is_refused(cast, two_keys):
    person = a_full_person(cast)
    two_keys.KEYPERSON_KEYS = KEY2
    two_keys.KEYPERSON_KEY_VERSION = 0
    with pytest.raises(crypto.DecryptionError):
        KeyPerson.objects.get(pk=person.pk).secret("id_number")


def test_badly_written_keys_are_refused(settings):
    settings.KEYPERSON_KEYS = "1:abc"
    with pytest.raises(ImproperlyConfigured):
        crypto.encrypt("x", field="f")
    settings.KEYPERSON_KEYS = KEY1
    settings.KEYPERSON_KEY_VERSION = 3
    with pytest.raises(ImproperlyConfigured):
        crypto.encrypt("x", field="f")


def test_a_person_is_found_by_his_id_number_through_the_keyed_hash(cast):
    person = a_full_person(cast)
    a_person(cast)
    assert list(KeyPerson.objects.with_id_number(ID_NUMBER.lower())) == [person]
    assert list(KeyPerson.objects.with_id_number(f" {ID_NUMBER[:6]} {ID_NUMBER[6:]} ")) == [person]
    assert not KeyPerson.objects.with_id_number(an_id_number()).exists()
    assert person.id_number_hash == crypto.lookup_hash(ID_NUMBER)
    assert ID_NUMBER not in person.id_number_hash


def test_the_lookup_hash_is_keyed(settings):
    first = crypto.lookup_hash(ID_NUMBER)
    settings.KEYPERSON_LOOKUP_KEY = "ab" * 32
    assert crypto.lookup_hash(ID_NUMBER) != first


def test_the_same_id_number_is_registered_once(cast, english):
    a_full_person(cast)
    with pytest.raises(ValidationError) as caught:
        a_person(cast, id_number=ID_NUMBER.lower())
    assert caught.value.message_dict == {"id_number": ["This person is already on the register."]}


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize("number, message", [
    ("", "Give the ID number."),
    ("51090319850312", "An ID number has 18 characters; this has 14."),
    ("51090319850312A23X", "An ID number is 17 digits and a last digit or X."),
    ("510903198502301234", "Characters 7 to 14 are not a real birth date."),
    ("510903209901011234", "The birth date in the number (2099-01-01) cannot be right."),
])
def test_an_id_number_is_checked_part_by_part(number, message):
    with pytest.raises(ValidationError) as caught:
        idnumber.parse(number, today=datetime.date(2026, 9, 1))
    assert caught.value.message_dict == {"id_number": [message]}


@pytest.mark.usefixtures("english")
def test_a_wrong_check_digit_is_a_mistyped_number():
    good = idnumber.with_check_character("11010519491231002")
    assert good == "11010519491231002X"  # the standard's own example
    wrong = good[:-1] + "1"
    with pytest.raises(ValidationError) as caught:
        idnumber.parse(wrong)
    assert caught.value.message_dict == {"id_number": ["The check digit is wrong: the number is mistyped."]}
    parsed = idnumber.parse(good.lower())
    assert (parsed.number, parsed.birth_date, parsed.sex) == (good, datetime.date(1949, 12, 31), "f")


def test_masks():
    assert idnumber.mask("510903198503121234") == "510903********1234"
