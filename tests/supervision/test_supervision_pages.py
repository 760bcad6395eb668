"""The supervision pages through the test client: spot checks (who may see and record them,
findings saved all or nothing, photos, contradictions with check-ins, the random sample),
supervision bulletins (draft, preview, numbering on issue, frozen once issued, print, PDF,
Word); the HQ figures page is tests/reports/test_figures_page.py.

The clock is frozen on Wednesday 2 September 2026 at 07:50, during the morning shift
(07:25-08:10) of both stations' gates; Tuesday's shifts have ended."""

import datetime
import io
import sys

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.urls import reverse
from openpyxl import load_workbook

from attendance.services import assignment_check_in
from org.models import PersonKind
from supervision.documents import DOCX_CONTENT_TYPE, bulletin_document
from supervision.models import Bulletin, BulletinCounter, Finding, FindingIssue, SpotCheck
from supervision.services import bulletin_create, bulletin_issue, bulletin_update, spot_check_create
from tests.contracts import count_queries
from tests.factories import PersonFactory, PostFactory, ShiftFactory
from tests.scenes import PNG, TZ, at, put_on

pytestmark = pytest.mark.usefixtures("english_pages", "media")

NOW = datetime.datetime(2026, 9, 2, 7, 50, tzinfo=TZ)
TODAY = NOW.date()
YESTERDAY = TODAY - datetime.timedelta(days=1)
ALL_KIT = ["police_kit", "cap", "shoulder_light", "radio", "body_camera"]


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def duty_now(cast, frozen):
    """This morning's shifts at both gates. Oscar (张斌, station A) checked in at 07:30 with
    full kit; 李四 is on the same shift and has not checked in."""
    cast.shift_a = ShiftFactory(post=cast.post_a, date=TODAY, published=True)
    cast.shift_b = ShiftFactory(post=cast.post_b, date=TODAY, published=True)
    cast.li = PersonFactory(name="李四", unit=cast.station_a, kind=PersonKind.AUXILIARY)
    cast.oscar_on_a = put_on(cast.shift_a, cast.officer_a)
    cast.li_on_a = put_on(cast.shift_a, cast.li)
    cast.wang_b = PersonFactory(name="王五", unit=cast.station_b)
    put_on(cast.shift_b, cast.wang_b)
    assignment_check_in(assignment=cast.oscar_on_a, user=cast.oscar, lat=cast.post_a.lat, lng=cast.post_a.lng,
                        equipment=ALL_KIT, now=at(7, 30, TODAY))
    return cast


def check_data(post, rows=(), *, when=NOW, method="onsite", note="") -> dict:
    data = {
        "post": post.pk, "method": method, "checked_at": when.strftime("%Y-%m-%dT%H:%M"), "note": note,
        "findings-TOTAL_FORMS": str(max(len(rows), 3)), "findings-INITIAL_FORMS": "0",
        "findings-MIN_NUM_FORMS": "0", "findings-MAX_NUM_FORMS": "30",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"findings-{index}-{key}"] = value
    return data


def a_check(cast, post=None, findings=()) -> SpotCheck:
    return spot_check_create(post=post or cast.post_a, method="video", checked_at=NOW, supervisor=cast.sam,
                             findings=list(findings))


def png(name="gate.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


# -- spot checks: who may do what ------------------------------------------------------------


def test_anonymous_users_are_sent_to_the_login_page(duty_now, client):
    check = a_check(duty_now, findings=[{"person": duty_now.li, "issue": "absent", "photo": png()}])
    bulletin = bulletin_create(unit=duty_now.bureau, title="九月督察通报", period_start=YESTERDAY,
                               period_end=TODAY, user=duty_now.sam)
    urls = [
        reverse("supervision:spotcheck_list"), reverse("supervision:spotcheck_add"), reverse("supervision:spotcheck_sample"),
        reverse("supervision:spotcheck_detail", args=[check.pk]),
        reverse("supervision:finding_photo", args=[check.findings.get().pk]),
        reverse("supervision:bulletin_list"), reverse("supervision:bulletin_add"),
        reverse("supervision:bulletin_detail", args=[bulletin.pk]), reverse("supervision:bulletin_pdf", args=[bulletin.pk]),
        reverse("supervision:bulletin_docx", args=[bulletin.pk]), reverse("reports:figures"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


def test_officers_get_403_on_the_spot_check_pages(duty_now, client):
    check = a_check(duty_now)
    client.force_login(duty_now.oscar)
    assert client.get(reverse("supervision:spotcheck_list")).status_code == 403
    assert client.get(reverse("supervision:spotcheck_detail", args=[check.pk])).status_code == 403
    assert client.get(reverse("supervision:spotcheck_add")).status_code == 403
    assert client.post(reverse("supervision:spotcheck_add"), check_data(duty_now.post_a)).status_code == 403
    assert client.get(reverse("reports:figures")).status_code == 403
    assert SpotCheck.objects.count() == 1


def test_dispatchers_see_their_stations_checks_but_cannot_record_one(duty_now, client):
    check = a_check(duty_now)
    client.force_login(duty_now.alice)
    response = client.get(reverse("supervision:spotcheck_list"))
    assert response.status_code == 200
    assert check in response.context["object_list"]
    assert response.context["add_url"] is None and response.context["sample_url"] is None
    assert client.get(reverse("supervision:spotcheck_detail", args=[check.pk])).status_code == 200
    assert client.get(reverse("supervision:spotcheck_add")).status_code == 403
    assert client.post(reverse("supervision:spotcheck_add"), check_data(duty_now.post_a)).status_code == 403
    assert client.get(reverse("supervision:spotcheck_sample")).status_code == 403
    assert SpotCheck.objects.count() == 1


def test_another_stations_dispatcher_gets_404_for_the_check_and_does_not_list_it(duty_now, client):
    check = a_check(duty_now)
    client.force_login(duty_now.bob)
    assert client.get(reverse("supervision:spotcheck_detail", args=[check.pk])).status_code == 404
    assert check not in client.get(reverse("supervision:spotcheck_list")).context["object_list"]


def test_the_navigation_offers_the_supervision_pages_by_role(duty_now, client):
    labels = {}
    for user in (duty_now.sam, duty_now.alice, duty_now.henry, duty_now.oscar):
        client.force_login(user)
        context = client.get(reverse("duty:notifications")).context  # the menu, in the bar or under More
        labels[user.username] = {str(item["label"]) for item in context["nav_items"] + context["nav_more"]}
    for username in ("sam", "alice", "henry"):
        assert {"Spot checks", "Bulletins", "Figures"} <= labels[username], username
    # An officer's menu is his own duty only (tests/org/test_navigation.py).
    assert not {"Spot checks", "Figures", "Bulletins"} & labels["oscar"]


# -- spot checks: recording one --------------------------------------------------------------


def test_a_supervisor_records_a_check_with_findings_and_a_photo(duty_now, client, media):
    client.force_login(duty_now.sam)
    response = client.get(reverse("supervision:spotcheck_add"), {"post": duty_now.post_a.pk})
    assert response.status_code == 200
    # The people offered are those on the shift running now, listed with their check-ins.
    options = response.context["formset"].forms[0].fields["person"].widget.choices
    assert {label for _value, label in options} >= {"张斌（Police officer）", "李四（Auxiliary officer）"}
    assert "王五" not in str(options)
    assert "07:30" in response.content.decode()
    data = check_data(duty_now.post_a, [
        {"person": duty_now.li.pk, "issue": FindingIssue.KIT_MISSING, "note": "未带执法记录仪",
         "photo": png("IMG_0001.PNG")},
        {"person": duty_now.officer_a.pk, "issue": FindingIssue.CONDUCT, "note": "玩手机"},
    ], note="早高峰视频巡查")
    response = client.post(reverse("supervision:spotcheck_add"), data)
    assert response.status_code == 302, response.context["service_errors"] if response.context else response
    check = SpotCheck.objects.get()
    assert response["Location"] == check.get_absolute_url()
    assert (check.shift, check.supervisor, check.station, check.note) == (
        duty_now.shift_a, duty_now.sam, duty_now.station_a, "早高峰视频巡查")
    findings = list(check.findings.order_by("id"))
    assert [(f.person, f.issue) for f in findings] == [
        (duty_now.li, "kit_missing"), (duty_now.officer_a, "conduct")]
    # The stored name is random and the file sits in MEDIA_ROOT, served only through the view.
    assert findings[0].photo.name.endswith(".png") and "IMG_0001" not in findings[0].photo.name
    assert (media / findings[0].photo.name).read_bytes() == PNG
    page = client.get(check.get_absolute_url()).content.decode()
    assert reverse("supervision:finding_photo", args=[findings[0].pk]) in page
    assert "/media/" not in page


def test_one_bad_finding_row_saves_nothing_and_names_the_row(duty_now, client):
    client.force_login(duty_now.sam)
    stranger = PersonFactory(name="赵六", unit=duty_now.station_a)  # in scope, but not on this shift
    data = check_data(duty_now.post_a, [
        {"person": duty_now.li.pk, "issue": FindingIssue.ABSENT},
        {"person": stranger.pk, "issue": FindingIssue.LEFT_POST},
    ])
    response = client.post(reverse("supervision:spotcheck_add"), data)
    assert response.status_code == 200
    assert "Finding 2: 赵六 is not on this shift." in response.context["service_errors"]
    assert "Finding 2: 赵六 is not on this shift." in response.content.decode()
    assert SpotCheck.objects.count() == 0 and Finding.objects.count() == 0
    # The refused person stays selected in row 2, so the message makes sense.
    row = response.context["formset"].forms[1]
    assert (stranger.pk, "赵六（Police officer）") in row.fields["person"].widget.choices


def test_a_row_without_an_issue_is_refused_by_the_form_with_its_field(duty_now, client):
    client.force_login(duty_now.sam)
    data = check_data(duty_now.post_a, [
        {"person": duty_now.li.pk, "issue": FindingIssue.ABSENT},
        {"person": duty_now.officer_a.pk, "note": "没写问题"},
    ])
    response = client.post(reverse("supervision:spotcheck_add"), data)
    assert response.status_code == 200
    assert response.context["formset"].forms[1].errors == {"issue": ["This field is required."]}
    assert 'data-field="findings-1-issue"' in response.content.decode()
    assert SpotCheck.objects.count() == 0


def test_the_check_form_refuses_a_post_out_of_scope_and_a_time_in_the_future(duty_now, client):
    client.force_login(duty_now.sam)
    other_bureau_post = PostFactory()  # its station is under no bureau of Sam's
    response = client.post(reverse("supervision:spotcheck_add"), check_data(other_bureau_post))
    assert "post" in response.context["form"].errors
    response = client.post(reverse("supervision:spotcheck_add"),
                           check_data(duty_now.post_a, when=NOW + datetime.timedelta(hours=2)))
    assert response.context["form"].errors["checked_at"] == ["A check cannot be in the future."]
    assert SpotCheck.objects.count() == 0


@pytest.mark.parametrize("upload, message", [
    (SimpleUploadedFile("notes.txt", b"just text", content_type="text/plain"),
     "“notes.txt” is not a photo: upload a JPG, PNG or WebP image."),
    (SimpleUploadedFile("fake.png", b"%PDF-1.7 not an image", content_type="image/png"),
     "“fake.png” is not a PNG image (its content does not match its name)."),
    (SimpleUploadedFile("huge.png", PNG + b"\0" * (5 * 1024 * 1024), content_type="image/png"),
     "The photo is 5.0 MB; the limit is 5 MB."),
])
def test_a_photo_must_be_a_small_image(duty_now, client, upload, message):
    client.force_login(duty_now.sam)
    data = check_data(duty_now.post_a, [{"person": duty_now.li.pk, "issue": "absent", "photo": upload}])
    response = client.post(reverse("supervision:spotcheck_add"), data)
    assert response.status_code == 200
    assert response.context["formset"].forms[0].errors["photo"] == [message]
    assert "Choose the photos again" in response.content.decode()
    assert SpotCheck.objects.count() == 0


def test_a_finding_photo_is_served_only_within_scope(duty_now, client):
    check = a_check(duty_now, findings=[{"person": duty_now.li, "issue": "absent", "photo": png()}])
    finding = check.findings.get()
    url = reverse("supervision:finding_photo", args=[finding.pk])
    for user in (duty_now.sam, duty_now.alice, duty_now.henry):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, user
        assert response["Content-Type"] == "image/png"
        assert b"".join(response.streaming_content) == PNG
    client.force_login(duty_now.bob)
    assert client.get(url).status_code == 404
    client.force_login(duty_now.oscar)
    assert client.get(url).status_code == 403


def test_a_finding_that_contradicts_a_check_in_is_shown_beside_the_evidence(duty_now, client):
    check = a_check(duty_now, findings=[
        {"person": duty_now.officer_a, "issue": FindingIssue.ABSENT, "note": "岗位上无人"},
        {"person": duty_now.li, "issue": FindingIssue.ABSENT},  # not checked in: no contradiction
    ])
    client.force_login(duty_now.alice)
    response = client.get(check.get_absolute_url())
    assert response.status_code == 200
    (item,) = response.context["contradictions"]
    assert item["finding"].person == duty_now.officer_a
    assert item["check_in"].at == at(7, 30, TODAY)
    html = response.content.decode()
    section = html[html.index('id="contradictions"'):html.index('id="object-fields"')]
    assert "张斌" in section and "岗位上无人" in section
    assert "2026-09-02 07:30:00" in section  # the check-in time
    assert "Phone at the post" in section  # its method
    assert "0 m" in section or "m</dd>" in section  # its distance
    assert "李四" not in section
    # Who was on the shift, with check-in times.
    on_shift = html[html.index('id="on-shift"'):]
    assert "张斌" in on_shift and "07:30" in on_shift and "李四" in on_shift


def test_the_on_shift_panel_follows_the_post_and_time(duty_now, client):
    client.force_login(duty_now.sam)
    params = {"post": duty_now.post_b.pk, "checked_at": NOW.strftime("%Y-%m-%dT%H:%M"),
              "findings-TOTAL_FORMS": "2", "findings-INITIAL_FORMS": "0"}
    response = client.get(reverse("supervision:spotcheck_on_shift"), params, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "王五" in html and "not checked in" in html
    # Each findings row's person choices come back as out-of-band swaps.
    assert html.count('hx-swap-oob="true"') == 2
    assert 'id="id_findings-1-person"' in html
    params["checked_at"] = at(12, 0, TODAY).strftime("%Y-%m-%dT%H:%M")
    response = client.get(reverse("supervision:spotcheck_on_shift"), params)
    assert 'id="no-shift"' in response.content.decode()


def test_the_random_sample_lists_posts_on_duty_now_with_a_link_that_prefills_the_form(duty_now, client):
    client.force_login(duty_now.sam)
    response = client.get(reverse("supervision:spotcheck_sample"), {"size": 5})
    assert response.status_code == 200
    rows = response.context["rows"]
    assert {row["shift"].post_id for row in rows} == {duty_now.post_a.pk, duty_now.post_b.pk}
    link = next(row["check_url"] for row in rows if row["shift"].post_id == duty_now.post_a.pk)
    form_page = client.get(link)
    assert form_page.context["form"].initial["post"] == str(duty_now.post_a.pk)
    assert form_page.context["chosen"]["shift"] == duty_now.shift_a


def test_the_spot_check_list_filters_and_exports(duty_now, client):
    a_check(duty_now, findings=[{"person": duty_now.li, "issue": "absent"}])
    a_check(duty_now, post=duty_now.post_b)
    client.force_login(duty_now.henry)
    response = client.get(reverse("supervision:spotcheck_list"), {"station": duty_now.station_b.pk})
    assert [c.post for c in response.context["object_list"]] == [duty_now.post_b]
    export = client.get(reverse("supervision:spotcheck_list"), {"export": "xlsx", "station": duty_now.station_a.pk})
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[0] == ("checked at", "post", "police station", "method", "supervisor", "findings")
    assert rows[1][1:] == ("圣莲岛小学·正门护学岗", "仁里派出所", "Video patrol", "沈督", 1)


def test_the_spot_check_list_query_count_does_not_grow_with_rows(duty_now, client):
    client.force_login(duty_now.sam)
    a_check(duty_now, findings=[{"person": duty_now.li, "issue": "absent"}])
    client.get(reverse("supervision:spotcheck_list"))
    few = count_queries(lambda: client.get(reverse("supervision:spotcheck_list")))
    for _ in range(8):
        a_check(duty_now, post=duty_now.post_b, findings=[{"person": duty_now.wang_b, "issue": "conduct"}])
    assert count_queries(lambda: client.get(reverse("supervision:spotcheck_list"))) == few


# -- bulletins -------------------------------------------------------------------------------


def draft(cast, title="九月督察通报", **fields) -> Bulletin:
    return bulletin_create(unit=cast.bureau, title=title, period_start=YESTERDAY, period_end=TODAY,
                           user=cast.sam, **fields)


def bulletin_form(cast, **fields) -> dict:
    return {"unit": cast.bureau.pk, "title": "九月第一周督察通报", "period_start": YESTERDAY.isoformat(),
            "period_end": TODAY.isoformat(), "text": "各派出所：\n\n现将督察情况通报如下。", **fields}


def test_a_supervisor_drafts_a_bulletin_and_the_preview_shows_the_station_table(findings_yesterday, client):
    cast = findings_yesterday
    client.force_login(cast.sam)
    form_page = client.get(reverse("supervision:bulletin_add"))
    assert form_page.context["form"].initial["unit"] == cast.bureau.pk
    response = client.post(reverse("supervision:bulletin_add"), bulletin_form(cast))
    assert response.status_code == 302, response.context["form"].errors
    bulletin = Bulletin.objects.get()
    assert (bulletin.status, bulletin.number, bulletin.created_by) == ("draft", None, cast.sam)
    page = client.get(bulletin.get_absolute_url())
    doc = page.context["doc"]
    assert doc["number"] == "Draft"
    assert doc["station_rows"] == [
        ["仁里派出所", 3, 1, 1, 1, 0, "33.3%", 1, 2, "Absent from the post×2"],
        ["凯旋路派出所", 1, 1, 0, 0, 0, "100.0%", 0, 0, ""],
    ]
    assert sorted(doc["finding_rows"]) == [
        ["仁里派出所", "圣莲岛小学·正门护学岗", "2026-09-01 07:50", "On-site visit", "丙", "Absent from the post", "未到岗"],
        ["仁里派出所", "圣莲岛小学·正门护学岗", "2026-09-01 07:50", "On-site visit", "甲", "Absent from the post",
         "巡查时不在岗"],
    ]
    html = page.content.decode()
    assert 'id="bulletin-stations"' in html and "33.3%" in html and "督察通报" in html
    assert page.context["issue_url"] and page.context["edit_url"]


def test_issuing_numbers_bulletins_per_year_and_freezes_them(findings_yesterday, client):
    cast = findings_yesterday
    client.force_login(cast.sam)
    first, second = (draft(cast, title) for title in ("第一份", "第二份"))
    assert client.get(reverse("supervision:bulletin_issue", args=[first.pk])).status_code == 405
    response = client.post(reverse("supervision:bulletin_issue", args=[first.pk]), follow=True)
    assert "Issued as 2026年第1期." in response.content.decode()
    client.post(reverse("supervision:bulletin_issue", args=[second.pk]))
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.year, first.number, first.status) == (2026, 1, "issued")
    assert (second.year, second.number) == (2026, 2)
    assert BulletinCounter.objects.get(year=2026).last_number == 2
    # Issuing again changes nothing and says why.
    response = client.post(reverse("supervision:bulletin_issue", args=[first.pk]), follow=True)
    assert "An issued bulletin cannot be changed." in response.content.decode()
    first.refresh_from_db()
    assert first.number == 1
    # The content is frozen: a finding recorded afterwards does not change an issued bulletin.
    spot_check_create(post=cast.post_b, method="radio", checked_at=at(7, 55, YESTERDAY), supervisor=cast.sam,
                      findings=[{"issue": FindingIssue.OTHER, "note": "电台点名无应答"}])
    page = client.get(first.get_absolute_url())
    assert len(page.context["doc"]["finding_rows"]) == 2
    assert page.context["doc"]["number"] == "2026年第1期"
    assert page.context["issue_url"] is None and page.context["edit_url"] is None
    list_page = client.get(reverse("supervision:bulletin_list"))
    assert "2026年第2期" in list_page.content.decode()


def test_an_issued_bulletin_cannot_be_edited(findings_yesterday, client):
    cast = findings_yesterday
    bulletin = bulletin_issue(bulletin=draft(cast, "已下发"), user=cast.sam)
    client.force_login(cast.sam)
    edit = reverse("supervision:bulletin_edit", args=[bulletin.pk])
    refused = (client.get(edit, follow=True), client.post(edit, bulletin_form(cast, title="改了"), follow=True))
    for response in refused:
        assert response.redirect_chain == [(bulletin.get_absolute_url(), 302)]
        assert "2026年第1期 is issued and can no longer be changed." in response.content.decode()
    bulletin.refresh_from_db()
    assert bulletin.title == "已下发"
    with pytest.raises(ValidationError):
        bulletin_update(bulletin=bulletin, user=cast.sam, title="改了")


def test_a_draft_is_edited_through_the_page_and_its_errors_name_the_field(findings_yesterday, client):
    cast = findings_yesterday
    bulletin = draft(cast, "草拟")
    client.force_login(cast.sam)
    edit = reverse("supervision:bulletin_edit", args=[bulletin.pk])
    backwards = bulletin_form(cast, period_start=TODAY.isoformat(), period_end=YESTERDAY.isoformat())
    response = client.post(edit, backwards)
    assert response.status_code == 200
    assert response.context["form"].errors["period_end"] == ["The period cannot end before it starts."]
    response = client.post(edit, bulletin_form(cast, title="改好了", unit=cast.station_a.pk))
    assert response.status_code == 302
    bulletin.refresh_from_db()
    assert (bulletin.title, bulletin.unit) == ("改好了", cast.bureau)  # the unit is fixed once drafted


def test_who_sees_and_writes_bulletins(findings_yesterday, client):
    cast = findings_yesterday
    unissued = draft(cast, "草稿")
    issued = bulletin_issue(bulletin=draft(cast, "已发"), user=cast.sam)
    for user in (cast.oscar, cast.alice, cast.bob, cast.henry):
        client.force_login(user)
        # A bulletin is sent down to every station; drafts stay with the supervisors.
        assert client.get(issued.get_absolute_url()).status_code == 200, user
        assert client.get(unissued.get_absolute_url()).status_code == 404, user
        assert list(client.get(reverse("supervision:bulletin_list")).context["object_list"]) == [issued], user
        assert client.get(reverse("supervision:bulletin_add")).status_code == 403, user
        assert client.post(reverse("supervision:bulletin_add"), bulletin_form(cast)).status_code == 403, user
        assert client.post(reverse("supervision:bulletin_issue", args=[unissued.pk])).status_code in (403, 404), user
    unissued.refresh_from_db()
    assert unissued.status == "draft" and Bulletin.objects.count() == 2


def test_the_print_page_is_a_clean_a4_document(findings_yesterday, client):
    cast = findings_yesterday
    bulletin = draft(cast, text="第一段。\n\n第二段。")
    client.force_login(cast.sam)
    html = client.get(reverse("supervision:bulletin_print", args=[bulletin.pk])).content.decode()
    # The A4 page and the document's fonts come from static files (no inline style under the
    # Content-Security-Policy); the PDF embeds the same files.
    assert "css/bulletin_page.css" in html and "css/bulletin.css" in html and "<style" not in html
    pdf_html = render_to_string("supervision/bulletin_print.html", {
        "object": bulletin, "doc": bulletin_document(bulletin, {}), "for_pdf": True})
    assert "size: A4" in pdf_html and "Noto Sans CJK SC" in pdf_html and "<link" not in pdf_html
    assert '<div class="red-head">督察通报</div>' in html
    assert 'id="bulletin-number">Draft<' in html
    assert "船山分局" in html and "2026年9月2日" in html and "第二段。" in html
    bulletin_issue(bulletin=bulletin, user=cast.sam)
    html = client.get(reverse("supervision:bulletin_print", args=[bulletin.pk])).content.decode()
    assert 'id="bulletin-number">2026年第1期<' in html


def test_the_pdf_embeds_a_chinese_font(findings_yesterday, client):
    try:
        import weasyprint  # noqa: F401
    except Exception as exc:  # ImportError, or OSError without Pango
        pytest.skip(f"WeasyPrint cannot be imported here ({exc}); the PDF needs Pango and fonts-noto-cjk")
    cast = findings_yesterday
    bulletin = bulletin_issue(bulletin=draft(cast), user=cast.sam)
    client.force_login(cast.alice)
    response = client.get(reverse("supervision:bulletin_pdf", args=[bulletin.pk]))
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"] and ".pdf" in response["Content-Disposition"]
    pdf = response.content
    assert pdf.startswith(b"%PDF-")
    # WeasyPrint embeds the subset of Noto CJK as an OpenType font stream (/FontFile3 with
    # /Subtype /OpenType); the descriptor may sit in a compressed object stream.
    assert b"/Subtype /OpenType" in pdf or b"/FontFile" in pdf


def test_without_weasyprint_the_pdf_answers_503_and_points_to_word(findings_yesterday, client, monkeypatch):
    cast = findings_yesterday
    bulletin = draft(cast)
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # `import weasyprint` now raises ImportError
    client.force_login(cast.sam)
    response = client.get(reverse("supervision:bulletin_pdf", args=[bulletin.pk]))
    assert response.status_code == 503
    html = response.content.decode()
    assert "fonts-noto-cjk" in html and "Pango" in html
    assert reverse("supervision:bulletin_docx", args=[bulletin.pk]) in html


def test_the_word_file_opens_and_holds_the_title_and_number(findings_yesterday, client):
    from docx import Document
    from docx.oxml.ns import qn

    cast = findings_yesterday
    bulletin = bulletin_issue(bulletin=draft(cast, text="现将督察情况通报如下。"), user=cast.sam)
    client.force_login(cast.henry)
    response = client.get(reverse("supervision:bulletin_docx", args=[bulletin.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX_CONTENT_TYPE
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "督察通报" in text and "2026年第1期" in text and "九月督察通报" in text and "现将督察情况通报如下。" in text
    stations = document.tables[0]
    assert [c.text for c in stations.rows[1].cells][:7] == ["仁里派出所", "3", "1", "1", "1", "0", "33.3%"]
    title_run = next(p for p in document.paragraphs if p.text == "九月督察通报").runs[0]
    assert title_run._element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"
