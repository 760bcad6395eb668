"""The inspection pages as users see them: the checklist form (answers, a photo, save and
submit), the detail with its review, the review queue oldest first, a hazard's next step from
its page, the notice issued, printed and downloaded, coverage and guards, and an
administrator's checklist edit making the next version."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document

from inspections.models import (
    AnswerPhoto,
    ChecklistTemplate,
    Hazard,
    HazardStatus,
    Inspection,
    InspectionStatus,
    Notice,
)
from inspections.services import active_template, hazard_create, notice_create
from tests.inspections.helpers import NOW, TODAY, an_inspection, item
from tests.scenes import PNG

pytestmark = pytest.mark.usefixtures("english_pages", "media")


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def checklist_post(inspection, *, fail=None, photo_item=None, submit=False):
    fail = fail or {}
    data = {"school": inspection.school_id, "date": inspection.date.isoformat(), "note": ""}
    for answer in inspection.answers.select_related("item"):
        order = answer.item.order
        data[f"result-{answer.item_id}"] = "fail" if order in fail else "pass"
        data[f"note-{answer.item_id}"] = fail.get(order, "")
        data[f"severity-{answer.item_id}"] = ""
    if photo_item is not None:
        data[f"photo-{item(photo_item).pk}"] = SimpleUploadedFile("gate.png", PNG, content_type="image/png")
    if submit:
        data["submit"] = "1"
    return data


def test_an_inspector_starts_answers_and_submits_through_the_pages(cast, client):
    client.force_login(cast.alice)
    response = client.post(reverse("inspections:inspection_add"), {"school": cast.school_a.pk,
                                                                   "date": TODAY.isoformat(), "note": ""})
    inspection = Inspection.objects.get()
    assert response["Location"] == reverse("inspections:inspection_edit", args=[inspection.pk])
    page = client.get(response["Location"])
    assert page.status_code == 200 and "checklist-item" in page.content.decode()
    response = client.post(page.request["PATH_INFO"], checklist_post(inspection, fail={3: "灭火器压力不足"},
                                                                    photo_item=3, submit=True))
    assert response.status_code == 302 and response["Location"] == inspection.get_absolute_url()
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.SUBMITTED
    assert Hazard.objects.get().from_item == item(3)
    photo = AnswerPhoto.objects.get()
    assert client.get(reverse("inspections:answer_photo", args=[photo.pk])).status_code == 200
    client.force_login(cast.bob)
    assert client.get(reverse("inspections:answer_photo", args=[photo.pk])).status_code == 404


def test_a_submission_refused_says_which_items_and_keeps_the_answers(cast, client):
    inspection = an_inspection(cast)
    client.force_login(cast.alice)
    data = checklist_post(inspection, fail={3: ""}, submit=True)
    response = client.post(reverse("inspections:inspection_edit", args=[inspection.pk]), data)
    assert response.status_code == 200
    assert "failed: say what is wrong in its note" in response.content.decode()
    assert Inspection.objects.get(pk=inspection.pk).status == InspectionStatus.DRAFT


def test_the_review_through_the_pages_return_with_comments_then_approve(cast, client):
    inspection = an_inspection(cast, fail={3: "灭火器压力不足"}, submit=True)
    client.force_login(cast.sam)
    detail = client.get(inspection.get_absolute_url())
    assert "review-panel" in detail.content.decode()
    response = client.post(reverse("inspections:inspection_return", args=[inspection.pk]),
                           {"comment": "请补充", f"item-{item(3).pk}": "写明灭火器数量"})
    assert response.status_code == 302
    client.force_login(cast.alice)
    form = client.get(reverse("inspections:inspection_edit", args=[inspection.pk])).content.decode()
    assert "写明灭火器数量" in form and "returned-alert" in form
    client.post(reverse("inspections:inspection_edit", args=[inspection.pk]),
                checklist_post(inspection, fail={3: "灭火器压力不足6具"}, submit=True))
    client.force_login(cast.sam)
    client.post(reverse("inspections:inspection_approve", args=[inspection.pk]))
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.APPROVED
    history = client.get(inspection.get_absolute_url()).content.decode()
    assert history.count("review-round") == 2
    client.force_login(cast.alice)
    response = client.get(reverse("inspections:inspection_edit", args=[inspection.pk]))
    assert response.status_code == 302  # approved: no more changes


def test_the_review_queue_lists_submitted_inspections_oldest_first(cast, client, time_machine):
    first = an_inspection(cast, submit=True)
    time_machine.move_to(NOW + datetime.timedelta(hours=1), tick=False)
    second = an_inspection(cast, cast.school_b, user=cast.bob, submit=True)
    an_inspection(cast)  # a draft waits for nobody
    client.force_login(cast.sam)
    page = client.get(reverse("inspections:review_queue"))
    assert [i.pk for i in page.context["rows"]] == [first.pk, second.pk]


def test_a_hazard_s_next_step_from_its_page_with_an_evidence_photo(cast, client):
    hazard = hazard_create(user=cast.alice, school=cast.school_a, category="fire", description="通道堵塞",
                           severity="high")
    client.force_login(cast.alice)
    photo = SimpleUploadedFile("done.png", PNG, content_type="image/png")
    client.post(reverse("inspections:hazard_step", args=[hazard.pk]),
                {"action": "rectify", "note": "已清理", "photo": photo})
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.RECTIFIED
    event = hazard.events.get(to_status="rectified")
    assert client.get(reverse("inspections:hazard_photo", args=[event.pk])).status_code == 200
    response = client.post(reverse("inspections:hazard_step", args=[hazard.pk]), {"action": "rectify", "note": "x"},
                           follow=True)
    assert "Only an open or notified hazard" in response.content.decode()


def test_a_notice_is_issued_printed_and_downloaded_as_word(cast, client):
    hazard = hazard_create(user=cast.alice, school=cast.school_a, category="fire", description="灭火器过期",
                           severity="medium")
    notice = notice_create(user=cast.alice, school=cast.school_a, hazards=[hazard])
    client.force_login(cast.alice)
    client.post(reverse("inspections:notice_issue", args=[notice.pk]))
    notice.refresh_from_db()
    assert notice.number_label == "船公（治）整字〔2026〕第1号"
    printed = client.get(reverse("inspections:notice_print", args=[notice.pk])).content.decode()
    assert "整改通知书" in printed and "船公（治）整字〔2026〕第1号" in printed and "灭火器过期" in printed
    response = client.get(reverse("inspections:notice_docx", args=[notice.pk]))
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "整改通知书" in text and "第1号" in text
    edit = client.get(reverse("inspections:notice_edit", args=[notice.pk]))
    assert edit.status_code == 302  # issued: frozen


def test_the_notice_pdf_or_its_explanation(cast, client):
    hazard = hazard_create(user=cast.alice, school=cast.school_a, category="fire", description="x", severity="low")
    notice = notice_create(user=cast.alice, school=cast.school_a, hazards=[hazard])
    client.force_login(cast.alice)
    response = client.get(reverse("inspections:notice_pdf", args=[notice.pk]))
    if response.status_code == 200:
        assert response.content.startswith(b"%PDF")
    else:
        assert response.status_code == 503 and "pdf-unavailable" in response.content.decode()


def test_coverage_and_guards_pages(cast, client):
    client.force_login(cast.henry)
    assert client.get(reverse("inspections:coverage")).status_code == 200
    page = client.get(reverse("inspections:guards"))
    assert page.status_code == 200 and page.context["schools"]
    client.force_login(cast.alice)
    response = client.post(reverse("inspections:guard_shortfall", args=[cast.school_a.pk]))
    assert response.status_code == 302  # 800 pupils, no guard: a hazard
    assert Hazard.objects.get().source == "guards"
    client.force_login(cast.bob)
    assert client.post(reverse("inspections:guard_shortfall", args=[cast.school_a.pk])).status_code == 404


def test_an_administrator_edits_the_checklist_and_a_used_one_gets_a_new_version(cast, client):
    an_inspection(cast)
    old = active_template()
    client.force_login(cast.ada)
    page = client.get(reverse("inspections:checklisttemplate_edit", args=[old.pk]))
    assert page.status_code == 200 and "new-version-note" in page.content.decode()
    items = list(old.items.all())
    data = {"name": old.name, "note": "", "items-TOTAL_FORMS": str(len(items)), "items-INITIAL_FORMS": "0",
            "items-MIN_NUM_FORMS": "0", "items-MAX_NUM_FORMS": "200"}
    for n, i in enumerate(items):
        data.update({f"items-{n}-section": i.section, f"items-{n}-category": i.category, f"items-{n}-text": i.text,
                     f"items-{n}-clause": i.clause, f"items-{n}-severity": i.severity})
    data["items-0-DELETE"] = "on"
    response = client.post(reverse("inspections:checklisttemplate_edit", args=[old.pk]), data)
    new = active_template()
    assert response.status_code == 302 and new.version == 2 and new.items.count() == len(items) - 1
    assert ChecklistTemplate.objects.get(pk=old.pk).items.count() == len(items)
    # The administrator reads no business data.
    assert client.get(reverse("inspections:inspection_list")).status_code == 403
    client.force_login(cast.alice)
    assert client.get(reverse("inspections:checklisttemplate_edit", args=[old.pk])).status_code == 403


def test_every_list_page_and_its_export_answer(cast, client):
    an_inspection(cast, fail={3: "x"}, submit=True)
    notice_create(user=cast.alice, school=cast.school_a, hazards=list(Hazard.objects.all()))
    client.force_login(cast.henry)
    for name in ("inspection_list", "hazard_list", "notice_list", "improvement_list", "jointoperation_list"):
        assert client.get(reverse(f"inspections:{name}")).status_code == 200, name
        assert client.get(reverse(f"inspections:{name}"), {"export": "xlsx"}).status_code == 200, name
    overdue = client.get(reverse("inspections:hazard_list"), {"overdue": "true"})
    assert overdue.status_code == 200
    assert Notice.objects.count() == 1
