"""The work briefing (工作总结): the district's report generated for any period and unit.

The figures come from real rows, stats/summary's fixture (tests/reports/district.py's
`district`, counted by hand in `hand_count`): the text and the Word file carry each figure
in its sentence of the report. HQ's narrative is kept per period; an unknown placeholder is
refused naming its field; the stations read their own briefing and edit nothing; the
default, filled with the source report's own figures, reads like the source."""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from audit.models import AuditAction, AuditEvent
from incidents.services import incident_create
from reports.briefing import compose_briefing, figure_placeholders, placeholder_errors, render_text
from reports.briefing_default import default_narrative
from reports.models import Briefing
from reports.services import briefing_save
# stats/summary's fixture: every row of its ROWS, at the cast's stations, the clock on 2 November.
from tests.reports.district import OCT, SEP, hand_count
from tests.scenes import client_for

TZ = ZoneInfo("Asia/Shanghai")
D = datetime.date

# Each figure in its sentence of the default text ("{}" the figure), as the report words it.
FRAGMENTS = {
    "posts": "全区共设立“护学岗”{}处",
    "person_times": "累计出动护学执勤警力{}人次",
    "help_and_alarms": "现场处置师生、家长求助、报警{}人次",
    "help_given": "现场提供帮助帮扶{}次",
    "suspicious_checked": "盘查各类可疑人员{}人",
    "emergencies_handled": "妥善处置各类突发性案事件{}起",
    "bulletins": "累计下发《督察通报》{}期",
    "guards_hired": "累计新增专职保安员{}名",
    "inspections": "共检查学校{}所次",
    "hazards_found": "发现安全隐患{}处，下发整改通知书",
    "notices": "下发整改通知书{}份",
    "improvements.traffic_sign": "新增设交通标志{}面",
    "improvements.cctv": "监控设施{}处",
    "improvements.road_marking": "施划标线{}平米",
    "improvements.anti_ram": "硬质防冲撞设施{}套",
    "improvements.alarm_button": "一键式紧急报警装置{}个",
    "disputes_resolved": "共化解涉校矛盾纠纷{}起",
    "key_persons": "排查各类校园周边重点人员{}人",
    "key_persons_stable": "稳控在位{}人",
    "joint_operations": "开展联合整治行动{}次",
    "joint_police": "出动警力{}人次，检查网吧",
    "joint_venues": "校园周边场所{}家次",
    "joint_hazards_fixed": "发现并整改安全隐患{}处",
    "talks": "进校宣传{}场次",
    "open_days": "警营开放{}场次",
    "leaflets": "发放各类安全防范宣传资料{}份",
    "people_reached": "受教育师生{}人次",
    "police_training_batches": "先后组织{}批次",
    "police_trained": "批次{}名警力开展专题培训",
    "security_trainings": "开展安保培训{}场次",
    "security_trained": "培训安保人员{}人",
    "drills": "反恐实战演练{}次",
    "rapid_response_pulls": "“135”快反力量应急拉动{}次",
}

# The source report's own figures (its "余" dropped: Huxue's figures are counts).
SOURCE_FIGURES = {
    "posts": 106, "schools": 106, "schools_covered": 106, "person_times": 6292, "help_and_alarms": 219,
    "help_given": 300, "suspicious_checked": 80, "emergencies_handled": 19, "disputes_resolved": 51,
    "bulletins": 6, "guards_hired": 57, "inspections": 159, "hazards_found": 35, "notices": 18,
    "improvements": {"traffic_sign": 19, "cctv": 11, "road_marking": 2400, "anti_ram": 4, "alarm_button": 16},
    "key_persons": 41, "key_persons_stable": 41, "joint_operations": 4, "joint_police": 1210, "joint_venues": 600,
    "joint_hazards_fixed": 16, "talks": 80, "open_days": 7, "leaflets": 18000, "people_reached": 20000,
    "police_trained": 600, "police_training_batches": 3, "security_trainings": 25, "security_trained": 400,
    "drills": 41, "rapid_response_pulls": 23,
}


# The tests on the fixture's rows name the cast (`cast`: the same object `district` returns).
with_district = pytest.mark.usefixtures("district")


def flat(figures: dict) -> dict:
    values = {key: value for key, value in figures.items() if key != "improvements"}
    values.update({f"improvements.{kind}": n for kind, n in figures["improvements"].items()})
    return values


def query(period, unit=None, **extra) -> dict:
    params = {"start": period[0].isoformat(), "end": period[1].isoformat(), **extra}
    if unit is not None:
        params["unit"] = unit.pk
    return params


def assert_carries_every_figure(text: str, figures: dict) -> None:
    values = flat(figures)
    missing = [key for key, fragment in FRAGMENTS.items() if fragment.format(values[key]) not in text]
    assert missing == [], (missing, text)


# -- the default text --------------------------------------------------------------------------


def test_the_default_filled_with_the_source_s_figures_reads_like_the_source():
    doc = compose_briefing(narrative=default_narrative(), figures=SOURCE_FIGURES, examples=[], unit_name="船山分局",
                           start=D(2021, 3, 1), end=D(2021, 6, 30), today=D(2021, 7, 1))
    text = render_text(doc)
    for sentence in ("共设立护学岗106处", "累计下发《督察通报》6期", "开展联合整治行动4次",
                     "全区共设立“护学岗”106处，累计出动护学执勤警力6292人次", "累计新增专职保安员57名",
                     "共检查学校159所次，发现安全隐患35处，下发整改通知书18份",
                     "施划标线2400平米", "发放各类安全防范宣传资料18000份", "“135”快反力量应急拉动23次",
                     "船山分局将高峰“护学”勤务作为践行“我为群众办实事”的重要举措"):
        assert sentence in text
    assert_carries_every_figure(text, SOURCE_FIGURES)
    # The four parts with their "一是…" points, and nothing left unfilled.
    headings = [line for line in text.splitlines() if line[:2] in ("一、", "二、", "三、", "四、")]
    assert headings == ["一、高标部署，强化组织，压实责任“求实效”", "二、因地制宜，统筹推进，织密防护“安全网”",
                        "三、打防并举，系统整治，拧紧防范“安全阀”", "四、强化宣传，健全机制，撑起守护“平安伞”"]
    assert text.count("一是") == 4 and text.count("三是") == 4
    assert "{" not in text and "}" not in text
    # The source's own named examples are not in the default: the closing examples are data.
    assert "顺城街幼儿园" not in text and "张斌" not in text


def test_the_default_names_every_figure_of_the_report_and_no_unknown_placeholder():
    narrative = default_narrative()
    assert placeholder_errors(narrative) == {}
    text = "".join(narrative.values())
    unused = [name for name in figure_placeholders() if f"{{{name}}}" not in text]
    assert unused == ["schools", "schools_covered"]  # the report says 全覆盖, not a count
    assert set(FRAGMENTS) == set(figure_placeholders()) - {"schools", "schools_covered"}


# -- the figures in the text and the Word file -------------------------------------------------


@with_district
@pytest.mark.parametrize(("period", "station"), [(SEP, None), (OCT, "a"), ((SEP[0], OCT[1]), "b")])
def test_the_text_carries_each_figure_in_its_sentence(cast, period, station):
    unit = {None: None, "a": cast.station_a, "b": cast.station_b}[station]
    answer = client_for(cast.henry).get(reverse("api-reports-briefing"), query(period, unit, format="txt"))
    assert answer.status_code == 200, answer.content[:300]
    assert answer["Content-Type"] == "text/plain; charset=utf-8"
    assert answer["Content-Disposition"].startswith("attachment; filename*=UTF-8''")
    text = answer.content.decode("utf-8")
    assert_carries_every_figure(text, hand_count(*period, station))
    unit_name = (unit or cast.bureau).name
    assert text.startswith(f"{unit_name}高峰护学勤务工作总结\n")
    assert f"截至{period[1].year}年{period[1].month}月{period[1].day}日" in text
    assert text.rstrip().splitlines()[-2] == unit_name


def run_fonts(document) -> set[str]:
    fonts = set()
    for paragraph in document.paragraphs:
        for run in paragraph.runs:
            fonts_element = run._element.rPr.rFonts if run._element.rPr is not None else None
            if fonts_element is not None and fonts_element.get(qn("w:eastAsia")):
                fonts.add(fonts_element.get(qn("w:eastAsia")))
    return fonts


@with_district
def test_the_word_file_opens_on_a4_with_the_official_fonts_and_carries_the_figures(cast):
    answer = client_for(cast.henry).get(reverse("api-reports-briefing"), query(SEP, format="docx"))
    assert answer.status_code == 200, answer.content[:300]
    assert answer["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert ".docx" in answer["Content-Disposition"]
    document = Document(io.BytesIO(answer.content))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert_carries_every_figure(text, hand_count(*SEP, None))
    (section,) = document.sections
    # Word keeps lengths in twentieths of a point: to the hundredth of a centimetre.
    assert [round(length.cm, 2) for length in (section.page_width, section.page_height)] == [21.0, 29.7]
    assert [round(length.cm, 2) for length in (section.top_margin, section.bottom_margin, section.left_margin,
                                                section.right_margin)] == [3.7, 3.5, 2.8, 2.6]
    assert {"方正小标宋简体", "黑体", "仿宋_GB2312", "楷体_GB2312"} <= run_fonts(document)
    title = document.paragraphs[0]
    assert title.text == "船山分局高峰护学勤务工作总结"
    assert title.alignment == 1  # centred
    assert title.runs[0].font.size == Pt(22)
    assert title.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    heading = next(p for p in document.paragraphs if p.text.startswith("一、"))
    assert heading.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"
    assert heading.runs[0].font.size == Pt(16)
    point = next(p for p in document.paragraphs if p.text.startswith("一是夯实组织领导。"))
    assert point.runs[0].text == "一是夯实组织领导。"
    assert point.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "楷体_GB2312"
    assert point.runs[1]._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert point.paragraph_format.first_line_indent == Pt(32)
    assert point._p.pPr.ind.get(qn("w:firstLineChars")) == "200"
    assert [p.text for p in document.paragraphs[-2:]] == ["船山分局", text.splitlines()[-1]]
    assert "PAGE" in section.footer._element.xml


@with_district
def test_the_closing_examples_are_the_period_s_good_deeds_marked_for_publicity(cast):
    def good_deed(user, post, day, text, publicity=True):
        return incident_create(user=user, report=True, kind="good_deed", post=post, people_count=1,
                               occurred_at=datetime.datetime.combine(day, datetime.time(16, 30), tzinfo=TZ),
                               summary="好人好事", publicity=publicity, publicity_text=text)

    good_deed(cast.alice, cast.post_a, D(2026, 9, 18), "救助一名晕倒老人，旁边群众无不拍手称好。")
    good_deed(cast.alice, cast.post_a, D(2026, 9, 2), "执勤民警及时控制一辆失控电动三轮车，赢得连声称赞")
    good_deed(cast.alice, cast.post_a, D(2026, 9, 3), "没有标记宣传", publicity=False)
    good_deed(cast.alice, cast.post_a, D(2026, 10, 3), "十月的事迹")
    good_deed(cast.bob, cast.post_b, D(2026, 9, 10), "凯旋路的事迹")

    def text(user, unit=None):
        answer = client_for(user).get(reverse("api-reports-briefing"), query(SEP, unit, format="txt"))
        assert answer.status_code == 200
        return answer.content.decode("utf-8")

    bureau = text(cast.henry)
    closing = ("广受群众好评。9月2日，圣莲岛小学执勤民警及时控制一辆失控电动三轮车，赢得连声称赞；"
               "9月10日，凯旋路小学执勤人员凯旋路的事迹；9月18日，圣莲岛小学执勤人员救助一名晕倒老人，旁边群众无不拍手称好。")
    assert closing in bureau
    assert "没有标记宣传" not in bureau and "十月的事迹" not in bureau
    station_a = text(cast.alice)  # the dispatcher's own station, by default
    assert "9月2日，圣莲岛小学" in station_a and "凯旋路的事迹" not in station_a
    assert "凯旋路的事迹" not in text(cast.henry, cast.station_a)


# -- HQ's narrative, per period ----------------------------------------------------------------


def edit_form(client, period, unit=None) -> dict:
    page = client.get(reverse("reports:briefing_edit"), query(period, unit))
    assert page.status_code == 200
    return dict(page.context["form"].initial)


@with_district
def test_an_edited_narrative_is_kept_for_its_period_only(cast, client):
    client.force_login(cast.henry)
    fields = edit_form(client, SEP)
    assert fields == default_narrative()
    fields["opening"] = "本期共设立护学岗{posts}处，出动警力{person_times}人次。"
    fields["outreach_heading"] = "强化宣传，撑起守护“平安伞”"
    url = f"{reverse('reports:briefing_edit')}?start={SEP[0]}&end={SEP[1]}"
    answer = client.post(url, fields)
    assert answer.status_code == 302
    assert answer["Location"] == f"{reverse('reports:briefing')}?start={SEP[0]}&end={SEP[1]}&unit={cast.bureau.pk}"

    figures = hand_count(*SEP, None)
    page = client.get(answer["Location"])
    assert page.status_code == 200
    body = page.content.decode()
    assert f"本期共设立护学岗{figures['posts']}处，出动警力{figures['person_times']}人次。" in body
    assert "四、强化宣传，撑起守护“平安伞”" in body
    assert "全区共设立“护学岗”" not in body  # the default opening is replaced
    (saved,) = Briefing.objects.all()
    assert (saved.unit, saved.start, saved.end, saved.updated_by) == (cast.bureau, *SEP, cast.henry)
    assert saved.opening == fields["opening"]  # kept with its placeholders, not its figures

    # The download of that period carries it; another period, or another unit, reads the default.
    text = client_for(cast.henry).get(reverse("api-reports-briefing"), query(SEP, format="txt")).content.decode()
    assert f"本期共设立护学岗{figures['posts']}处" in text
    for period, unit in ((OCT, None), ((SEP[0], SEP[1] + datetime.timedelta(days=1)), None), (SEP, cast.station_a)):
        other = client.get(reverse("reports:briefing"), query(period, unit)).content.decode()
        assert "本期共设立护学岗" not in other and "全区共设立“护学岗”" in other
    assert edit_form(client, OCT) == default_narrative()

    # Saved again: the same row changes; put back to the default: the row goes.
    client.post(url, {**fields, "opening": "第二稿{posts}"})
    assert Briefing.objects.get().opening == "第二稿{posts}"
    assert client.post(url, {"reset": "1"}).status_code == 302
    assert not Briefing.objects.exists()
    assert "全区共设立“护学岗”" in client.get(reverse("reports:briefing"), query(SEP)).content.decode()


@with_district
def test_an_unknown_placeholder_is_a_form_error_naming_the_field_and_the_placeholder(cast, client):
    client.force_login(cast.henry)
    fields = edit_form(client, SEP)
    fields["deployment"] += "\n四是其他。共设立{post}处，{improvements.lights}盏。"
    answer = client.post(f"{reverse('reports:briefing_edit')}?start={SEP[0]}&end={SEP[1]}", fields)
    assert answer.status_code == 200
    errors = answer.context["form"].errors
    assert list(errors) == ["deployment"]
    assert "{post}" in errors["deployment"][0] and "{improvements.lights}" in errors["deployment"][0]
    assert not Briefing.objects.exists()
    # The service refuses it too, on its field, whoever calls it.
    with pytest.raises(ValidationError) as refused:
        briefing_save(user=cast.henry, unit=cast.bureau, start=SEP[0], end=SEP[1], title="{单位}总结")
    assert "{单位}" in str(refused.value.message_dict["title"])


@with_district
def test_the_database_keeps_one_briefing_per_unit_and_period_and_no_reversed_period(cast):
    briefing_save(user=cast.henry, unit=cast.bureau, start=SEP[0], end=SEP[1], opening="甲")
    row = {name: getattr(Briefing.objects.get(), name) for name in default_narrative()}
    with pytest.raises(IntegrityError), transaction.atomic():
        Briefing.objects.create(unit=cast.bureau, start=SEP[0], end=SEP[1], **row)
    with pytest.raises(IntegrityError), transaction.atomic():
        Briefing.objects.create(unit=cast.bureau, start=SEP[1], end=SEP[0], **row)


# -- who may do what ---------------------------------------------------------------------------


@with_district
def test_a_station_reads_its_own_briefing_and_edits_nothing(cast, client):
    client.force_login(cast.alice)
    page = client.get(reverse("reports:briefing"), query(SEP))
    assert page.status_code == 200
    assert page.context["unit"] == cast.station_a and page.context["edit_url"] == ""
    assert client.get(reverse("reports:briefing_docx"), query(SEP)).status_code == 200
    assert client.get(reverse("reports:briefing_edit"), query(SEP)).status_code == 403
    assert client.post(f"{reverse('reports:briefing_edit')}?start={SEP[0]}&end={SEP[1]}",
                       {**default_narrative(), "opening": "改"}).status_code == 403
    assert not Briefing.objects.exists()
    # Another station's unit: "does not exist" (400 naming the unit), as the rest of the API.
    answer = client_for(cast.alice).get(reverse("api-reports-briefing"),
                                            query(SEP, cast.station_b, format="txt"))
    assert answer.status_code == 400 and "unit" in answer.json()
    page = client.get(reverse("reports:briefing"), query(SEP, cast.station_b))
    assert page.status_code == 400 and "unit" in page.context["form"].errors


@with_district
def test_supervisors_read_officers_see_nothing(cast, client):
    client.force_login(cast.sam)
    assert client.get(reverse("reports:briefing"), query(SEP)).status_code == 200
    assert client.get(reverse("reports:briefing_edit"), query(SEP)).status_code == 403
    assert client_for(cast.sam).get(reverse("api-reports-briefing"), query(SEP, format="txt")).status_code == 200
    client.force_login(cast.oscar)
    assert client.get(reverse("reports:briefing"), query(SEP)).status_code == 403
    assert client_for(cast.oscar).get(reverse("api-reports-briefing"),
                                          query(SEP, format="txt")).status_code == 403


@with_district
@pytest.mark.parametrize(("params", "field"), [
    ({"end": "2026-09-30", "format": "txt"}, "start"),
    ({"start": "2026-09-01", "format": "txt"}, "end"),
    ({"start": "2026-09-30", "end": "2026-09-01", "format": "txt"}, "end"),
    ({"start": "2026-09-01", "end": "2026-09-30"}, "format"),
    ({"start": "2026-09-01", "end": "2026-09-30", "format": "pdf"}, "format"),
    ({"start": "2026-13-01", "end": "2026-09-30", "format": "docx"}, "start"),
    ({"start": "2026-09-01", "end": "2026-09-30", "format": "docx", "unit": "x"}, "unit"),
    ({"start": "2026-09-01", "end": "2026-09-30", "format": "docx", "station": "1"}, "station"),
])
def test_bad_input_to_the_api_is_a_400_naming_the_field(cast, params, field):
    answer = client_for(cast.henry).get(reverse("api-reports-briefing"), params)
    assert answer.status_code == 400
    assert answer["Content-Type"] == "application/json"
    assert field in answer.json()


@with_district
def test_every_download_is_audited_as_an_export(cast, client):
    client.force_login(cast.henry)
    client.get(reverse("reports:briefing_docx"), query(SEP))
    client.get(reverse("reports:briefing_txt"), query(SEP, cast.station_a))
    client_for(cast.henry).get(reverse("api-reports-briefing"), query(OCT, format="docx"))
    client.get(reverse("reports:briefing"), query(SEP))  # reading the page is no export
    events = list(AuditEvent.objects.filter(action=AuditAction.EXPORT).order_by("seq"))
    assert [(e.detail["format"], e.detail["unit"], e.detail["start"]) for e in events] == [
        ("docx", cast.bureau.pk, "2026-09-01"), ("txt", cast.station_a.pk, "2026-09-01"),
        ("docx", cast.bureau.pk, "2026-10-01")]
    assert {e.username for e in events} == {"henry"}


@with_district
def test_the_menu_offers_the_briefing_to_hq_and_supervisors(cast, client):
    url = reverse("reports:briefing")
    for user, shown in ((cast.henry, True), (cast.sam, True), (cast.oscar, False)):
        client.force_login(user)
        home = client.get(reverse("home")).content.decode()
        assert (f'href="{url}"' in home) is shown, user


@with_district
def test_the_pages_query_count_does_not_grow_with_the_data(cast, client, django_assert_max_num_queries):
    """stats/summary's queries (its own test holds them under 22) and a few of the page's."""
    client.force_login(cast.henry)
    pages = ("reports:briefing", "reports:briefing_edit", "reports:briefing_docx", "reports:briefing_txt")

    def counts() -> list[int]:
        found = []
        for name in pages:
            with django_assert_max_num_queries(50) as captured:
                assert client.get(reverse(name), query(SEP)).status_code == 200
            found.append(len(captured))
        return found

    before = counts()
    for day in (2, 3, 4):
        incident_create(user=cast.alice, report=True, kind="good_deed", post=cast.post_a, people_count=1,
                        occurred_at=datetime.datetime(2026, 9, day, 16, 30, tzinfo=TZ), summary="好人好事",
                        publicity=True, publicity_text=f"第{day}件好事")
    briefing_save(user=cast.henry, unit=cast.bureau, start=SEP[0], end=SEP[1], opening="{posts}")
    assert counts() == before
