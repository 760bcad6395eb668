"""Excel imports: all rows or none, every bad row reported with its row, column and reason."""

import io

from openpyxl import Workbook, load_workbook

from org.models import Person
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


def test_the_template_itself_imports(cast, client):
    """The example row of the template is a valid row (for 仁里派出所's dispatcher)."""
    client.force_login(cast.alice)
    template = client.get("/posts/schools/import/", {"template": 1}).content
    upload = io.BytesIO(template)
    upload.name = "template.xlsx"
    School.objects.filter(name="圣莲岛小学").update(name="圣莲岛小学（旧）")
    response = client.post("/posts/schools/import/", {"file": upload})
    assert response.status_code == 302, response.context["errors"]


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
