"""Excel imports: all rows or none, every bad row reported with its row, column and reason."""

import io
import re
import zipfile

import pytest
from django.db import connection
from django.db.models.signals import pre_save
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from core.imports import ImportFailed, run_import
from org.models import Person
from posts.forms import SchoolImport
from posts.models import Post, School


def xlsx(headers, rows) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "upload.xlsx"
    return out


SCHOOL_HEADERS = ["学校名称", "类别", "所属派出所", "地址", "学生人数"]


@pytest.fixture
def client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def test_a_good_school_file_imports_every_row(cast, client):
    client.force_login(cast.alice)
    upload = xlsx(SCHOOL_HEADERS, [
        ["顺城街幼儿园", "幼儿园", "仁里派出所", "顺城街8号", 320],
        ["仁里小学", "小学", "仁里派出所", "仁里路1号", 1100],
    ])
    response = client.post("/posts/schools/import/", {"file": upload})
    assert response.status_code == 302
    assert set(School.objects.filter(station=cast.station_a).values_list("name", flat=True)) == {
        "圣莲岛小学", "顺城街幼儿园", "仁里小学"}
    school = School.objects.get(name="顺城街幼儿园")
    assert school.kind == "kindergarten" and school.pupils == 320
    assert school.history.first().history_user == cast.alice


def test_a_file_with_bad_rows_imports_nothing_and_reports_every_bad_row(cast, client):
    client.force_login(cast.alice)
    upload = xlsx(SCHOOL_HEADERS, [
        ["好学校", "小学", "仁里派出所", "", 100],          # row 2: fine
        ["", "小学", "仁里派出所", "", 100],              # row 3: no name
        ["坏类别学校", "大学", "仁里派出所", "", 100],      # row 4: unknown kind
        ["越权学校", "小学", "凯旋路派出所", "", 100],      # row 5: another station
        ["负数学校", "小学", "仁里派出所", "", -5],        # row 6: negative pupils
        ["好学校", "小学", "仁里派出所", "", 100],          # row 7: duplicate of row 2
    ])
    response = client.post("/posts/schools/import/", {"file": upload})
    assert response.status_code == 200
    errors = {(e.row, e.column) for e in response.context["errors"]}
    assert {(3, "学校名称"), (4, "类别"), (5, "所属派出所"), (6, "学生人数")} <= errors
    assert any(row == 7 for row, _ in errors)
    assert not any(row == 2 for row, _ in errors)
    assert not School.objects.filter(name="好学校").exists()
    assert 'id="import-errors"' in response.content.decode()


def test_a_file_that_is_not_excel_is_refused_clearly(cast, client):
    client.force_login(cast.alice)
    upload = io.BytesIO(b"not a workbook")
    upload.name = "schools.xlsx"
    response = client.post("/posts/schools/import/", {"file": upload})
    assert response.status_code == 200
    assert "Excel" in str(response.context["errors"][0].message)


def test_a_missing_required_column_is_reported(cast, client):
    client.force_login(cast.alice)
    response = client.post("/posts/schools/import/", {"file": xlsx(["学校名称", "类别"], [["某校", "小学"]])})
    assert response.status_code == 200
    assert ("所属派出所" in {e.column for e in response.context["errors"]})


def test_the_template_downloads_with_every_column(cast, client):
    client.force_login(cast.alice)
    response = client.get("/posts/schools/import/", {"template": 1})
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    headers = [c.value for c in ws[1]]
    assert headers[:3] == ["学校名称*", "类别*", "所属派出所*"]


def template_of(client, url):
    response = client.get(url, {"template": 1})
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def test_the_template_holds_its_example_where_it_is_not_imported(cast, client):
    """Uploaded as downloaded, the template imports nothing and says why; the example row
    sits on the instructions sheet."""
    client.force_login(cast.alice)
    template = client.get("/posts/schools/import/", {"template": 1}).content
    wb = load_workbook(io.BytesIO(template))
    data, instructions = wb.worksheets
    assert data.max_row == 1  # the headers only
    assert instructions.title == "Instructions"
    rows = list(instructions.iter_rows(values_only=True))
    assert rows[-1][:3] == ("圣莲岛小学", "小学", "仁里派出所")
    upload = io.BytesIO(template)
    upload.name = "template.xlsx"
    before = School.objects.count()
    response = client.post("/posts/schools/import/", {"file": upload})
    assert response.status_code == 200
    assert [e.message for e in response.context["errors"]] == [
        "The file has no data rows: fill in one record per row from row 2 of the first sheet."]
    assert School.objects.count() == before


@pytest.mark.parametrize("url, model", [
    ("/posts/schools/import/", School), ("/posts/posts/import/", Post), ("/org/people/import/", Person)])
def test_the_templates_example_row_is_a_valid_row(cast, client, url, model):
    """Copied onto the data sheet, the example imports (for 仁里派出所's dispatcher)."""
    client.force_login(cast.alice)
    wb = template_of(client, url)
    data, instructions = wb.worksheets
    *_notes, headers, example = instructions.iter_rows(values_only=True)
    assert headers == next(data.iter_rows(values_only=True))
    data.append(example)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "filled.xlsx"
    if model is School:
        School.objects.filter(name="圣莲岛小学").update(name="圣莲岛小学（旧）")
    if model is Post:
        Post.objects.filter(name="正门护学岗").update(name="正门护学岗（旧）")
    before = model.objects.count()
    response = client.post(url, {"file": out})
    assert response.status_code == 302, response.context["errors"]
    assert model.objects.count() == before + 1


# -- limits: checked before parsing, refused before writing --------------------------------


WRITES = ("INSERT", "UPDATE", "DELETE", "SAVEPOINT", "BEGIN")


def writes_in(queries) -> list[str]:
    """The writes and transactions among `queries`, less the session's own save (the session
    is saved on every request, in its own savepoint)."""
    sql = [q["sql"].lstrip() for q in queries]
    session = {i for i, text in enumerate(sql) if "django_session" in text}
    session |= {i for i in range(len(sql)) if sql[i].upper().startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
                and (i + 1 in session or i - 1 in session)}
    return [text for i, text in enumerate(sql) if i not in session and text.upper().startswith(WRITES)]


def school_rows(count: int) -> list[list]:
    return [[f"新学校{i}", "小学", "仁里派出所", "", 100] for i in range(count)]


def with_sheet_xml(content: bytes, change) -> io.BytesIO:
    """The workbook `content` with its first sheet's XML passed through `change`."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = change(body)
            dst.writestr(info.filename, body)
    out.seek(0)
    out.name = "upload.xlsx"
    return out


def test_a_file_that_unpacks_past_the_limit_is_refused_before_parsing(cast, client, settings):
    """A zip bomb: a few kilobytes that would unpack to megabytes (here one huge cell). The
    zip's directory alone refuses it: openpyxl never opens the file."""
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 1024 * 1024
    huge = b"A" * (3 * 1024 * 1024)
    bomb = with_sheet_xml(
        xlsx(SCHOOL_HEADERS, [["x", "小学", "仁里派出所", "", 1]]).getvalue(),
        lambda xml: xml.replace(b"<v>x</v>", b"<v>" + huge + b"</v>").replace(b">x<", b">" + huge + b"<"),
    )
    assert len(bomb.getvalue()) < 20 * 1024
    client.force_login(cast.alice)
    before = School.objects.count()
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/posts/schools/import/", {"file": bomb})
    assert response.status_code == 200
    [error] = response.context["errors"]
    assert error.message.startswith("The workbook unpacks to 3 MB; an import may unpack to at most 1 MB.")
    assert writes_in(queries) == []
    assert School.objects.count() == before


def test_too_many_rows_are_refused_before_any_row_is_read_or_written(cast, client, settings, monkeypatch):
    settings.IMPORT_MAX_ROWS = 3
    upload = xlsx(SCHOOL_HEADERS, school_rows(5))
    # The sheet's declared size refuses it: not one row is read.
    def no_rows(*args, **kwargs):
        raise AssertionError("a row was read")
    monkeypatch.setattr(ReadOnlyWorksheet, "_cells_by_row", no_rows)
    client.force_login(cast.alice)
    before = School.objects.count()
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/posts/schools/import/", {"file": upload})
    assert response.status_code == 200
    assert [e.message for e in response.context["errors"]] == [
        "The file has more than 3 rows; split it into smaller files."]
    assert writes_in(queries) == []
    assert School.objects.count() == before


def test_a_sheet_that_understates_its_size_is_read_whole_and_still_counted(cast, client, settings):
    """A file may declare a smaller sheet than it has: its rows are not cut short, and the
    row limit still holds while they are read."""
    client.force_login(cast.alice)
    understated = lambda xml: re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:E2"/>', xml)  # noqa: E731
    upload = with_sheet_xml(xlsx(SCHOOL_HEADERS, school_rows(4)).getvalue(), understated)
    response = client.post("/posts/schools/import/", {"file": upload})
    assert response.status_code == 302, response.context["errors"]
    assert School.objects.filter(name__startswith="新学校").count() == 4
    settings.IMPORT_MAX_ROWS = 3
    upload = with_sheet_xml(xlsx(SCHOOL_HEADERS, school_rows(5)).getvalue(), understated)
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/posts/schools/import/", {"file": upload})
    assert [e.message for e in response.context["errors"]] == [
        "The file has more than 3 rows; split it into smaller files."]
    assert writes_in(queries) == []


def test_a_bad_row_is_found_before_any_write_or_transaction(cast, client):
    """Every row is validated before the write transaction opens: a refused file wrote
    nothing and held no transaction; a good one writes inside one."""
    client.force_login(cast.alice)
    bad = xlsx(SCHOOL_HEADERS, [*school_rows(3), ["坏类别学校", "大学", "仁里派出所", "", 100]])
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/posts/schools/import/", {"file": bad})
    assert [(e.row, e.column) for e in response.context["errors"]] == [(5, "类别")]
    assert writes_in(queries) == []
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/posts/schools/import/", {"file": xlsx(SCHOOL_HEADERS, school_rows(3))})
    assert response.status_code == 302
    sql = writes_in(queries)
    assert sql[0].upper().startswith(("SAVEPOINT", "BEGIN")) and any(s.upper().startswith("INSERT") for s in sql)


def test_two_rows_of_one_file_that_clash_are_both_named(cast, client):
    client.force_login(cast.alice)
    upload = xlsx(["姓名", "类别", "单位", "警号"], [
        ["甲警官", "民警", "仁里派出所", "P1001"],
        ["乙警官", "民警", "仁里派出所", ""],          # no badge: refused by the model, not a clash
        ["丙警官", "民警", "仁里派出所", "P1001"],
    ])
    response = client.post("/org/people/import/", {"file": upload})
    assert response.status_code == 200
    errors = [(e.row, e.column, e.message) for e in response.context["errors"]]
    assert (4, "警号", "Repeats row 2 (警号).") in errors
    assert not Person.objects.filter(badge_no="P1001").exists()


def test_a_clash_saved_meanwhile_by_someone_else_rolls_the_file_back(cast, client):
    """Between the check and the write, another user saves a school named like row 3: the
    write refuses the whole file, naming the row, instead of failing."""
    def someone_else_saves(sender, instance, **kwargs):
        if instance.name == "新学校0":
            School.objects.create(name="新学校1", kind="primary", station=cast.station_a)

    client.force_login(cast.alice)
    pre_save.connect(someone_else_saves, sender=School)
    try:
        response = client.post("/posts/schools/import/", {"file": xlsx(SCHOOL_HEADERS, school_rows(2))})
    finally:
        pre_save.disconnect(someone_else_saves, sender=School)
    assert response.status_code == 200
    assert [(e.row, e.message) for e in response.context["errors"]] == [(3, (
        "Another user saved a conflicting record while this file was being imported; "
        "nothing was imported. Try again."))]
    assert not School.objects.filter(name="新学校0").exists()


def test_an_oversized_file_is_refused_by_its_size(cast, client, settings):
    settings.IMPORT_MAX_BYTES = 1000
    upload = xlsx(SCHOOL_HEADERS, school_rows(2))
    size_kb = -(-len(upload.getvalue()) // 1024)
    client.force_login(cast.alice)
    response = client.post("/posts/schools/import/", {"file": upload})
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        f"The file is {size_kb} KB; an import file may be at most 1 KB."]
    assert not School.objects.filter(name__startswith="新学校").exists()


def test_the_limits_are_explained_in_chinese(cast, client, settings):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
    client.force_login(cast.alice)
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 1024 * 1024
    bomb = with_sheet_xml(xlsx(SCHOOL_HEADERS, [["x", "小学", "仁里派出所", "", 1]]).getvalue(),
                          lambda xml: xml.replace(b">x<", b">" + b"A" * (3 * 1024 * 1024) + b"<"))
    response = client.post("/posts/schools/import/", {"file": bomb})
    assert [e.message for e in response.context["errors"]] == [
        "该工作簿解压后为3 MB，导入文件解压后不能超过1 MB。请删除图片、多余的工作表和空行，或将文件拆分。"]
    settings.IMPORT_MAX_BYTES = 1000
    response = client.post("/posts/schools/import/", {"file": xlsx(SCHOOL_HEADERS, school_rows(2))})
    [message] = response.context["form"].errors["file"]
    assert message.startswith("文件大小为") and message.endswith("导入文件不能超过1 KB。")
    assert str(response.context["form"]["file"].label) == "Excel 文件（.xlsx）"


def test_the_service_refuses_an_oversized_file_too(cast, settings):
    """run_import holds the size rule for every caller, not only the page's form."""
    settings.IMPORT_MAX_BYTES = 1000
    with pytest.raises(ImportFailed) as failure, translation.override("en"):
        run_import(SchoolImport(), xlsx(SCHOOL_HEADERS, school_rows(2)), user=cast.alice)
    assert "an import file may be at most 1 KB" in failure.value.errors[0].message


def test_a_csv_or_old_xls_file_is_refused_with_what_to_do(cast, client):
    client.force_login(cast.alice)
    upload = io.BytesIO("学校名称,类别\n某校,小学\n".encode())
    upload.name = "schools.xlsx"
    response = client.post("/posts/schools/import/", {"file": upload})
    assert response.status_code == 200
    assert [e.message for e in response.context["errors"]] == [
        "The file is not an Excel workbook (.xlsx). Save it in Excel as “Excel Workbook (*.xlsx)” "
        "and upload it again; .xls and .csv files are not read."]


def test_posts_import_with_default_staffing(cast, client):
    client.force_login(cast.alice)
    upload = xlsx(["学校名称", "岗位名称", "专职保安员"], [["圣莲岛小学", "侧门护学岗", 3], ["圣莲岛小学", "后门护学岗", None]])
    response = client.post("/posts/posts/import/", {"file": upload})
    assert response.status_code == 302, response.context and response.context.get("errors")
    side = Post.objects.get(name="侧门护学岗")
    assert side.station == cast.station_a
    assert side.need_guard == 3 and side.need_volunteer == 4
    assert Post.objects.get(name="后门护学岗").need_guard == 2


def test_posts_import_refuses_a_school_of_another_station(cast, client):
    client.force_login(cast.alice)
    upload = xlsx(["学校名称", "岗位名称"], [["凯旋路小学", "侧门护学岗"]])
    response = client.post("/posts/posts/import/", {"file": upload})
    assert response.status_code == 200
    assert [(e.row, e.column) for e in response.context["errors"]] == [(2, "学校名称")]


def test_people_import_fills_the_station_from_the_school(cast, client):
    client.force_login(cast.alice)
    upload = xlsx(
        ["姓名", "类别", "学校", "证书编号", "入职日期", "在岗"],
        [["刘保安", "专职保安员", "圣莲岛小学", "BA000999", "2026-09-15", "是"],
         ["陈志愿", "群防群治力量", "圣莲岛小学", "", "", ""]],
    )
    response = client.post("/org/people/import/", {"file": upload})
    assert response.status_code == 302, response.context and response.context.get("errors")
    guard = Person.objects.get(name="刘保安")
    assert guard.unit == cast.station_a and guard.kind == "guard" and guard.active
    assert str(guard.hire_date) == "2026-09-15"


def test_people_import_reports_missing_guard_fields(cast, client):
    client.force_login(cast.alice)
    upload = xlsx(["姓名", "类别", "学校"], [["无证保安", "专职保安员", "圣莲岛小学"]])
    response = client.post("/org/people/import/", {"file": upload})
    assert response.status_code == 200
    columns = {e.column for e in response.context["errors"]}
    assert {"证书编号", "入职日期"} <= columns
    assert not Person.objects.filter(name="无证保安").exists()


def test_an_officer_cannot_import(cast, client):
    client.force_login(cast.oscar)
    response = client.post("/posts/schools/import/", {"file": xlsx(SCHOOL_HEADERS, [])})
    assert response.status_code == 403
