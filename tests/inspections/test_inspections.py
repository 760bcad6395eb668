"""Inspections, their review, hazards and notices, through the services: a failed item makes
its hazard (one, however often submitted), every transition and every refused one with its
message, the review round trip, the notice numbering and freezing, the overdue flag run
twice under a frozen clock, and the checklist's versions.

The cast (tests/fixtures.py): Alice, station A's dispatcher, inspects 圣莲岛小学; Sam, the
supervisor, reviews; Bob is station B's dispatcher. The clock is Wednesday 16 September 2026."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core.models import OutboxMessage
from duty.models import Notification
from inspections.models import (
    AnswerResult,
    ChecklistTemplate,
    Hazard,
    HazardEvent,
    HazardSource,
    HazardStatus,
    Inspection,
    InspectionStatus,
    Notice,
    Review,
)
from inspections.services import (
    active_template,
    checklist_template_save,
    flag_overdue_hazards,
    hazard_create,
    hazard_deadline,
    hazard_transition,
    hazard_update,
    inspection_approve,
    inspection_create,
    inspection_return,
    inspection_submit,
    inspection_update,
    notice_create,
    notice_issue,
    notice_update,
)
from inspections.tasks import flag_overdue_hazards as flag_task
from tests.inspections.helpers import NOW, TODAY, an_inspection, answered, item

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def messages_of(excinfo, field):
    return " ".join(excinfo.value.message_dict[field])


# -- the checklist -------------------------------------------------------------------------------


def test_the_default_checklist_covers_the_domain_and_cites_what_it_checks(db):
    template = active_template()
    sections = set(template.items.values_list("section", flat=True))
    assert {"治安", "消防", "交通", "食品", "危化品", "门卫值班", "出入人员管理", "保安人员和安防装备", "一键报警",
            "大门防冲撞设施", "重点部位技防监控覆盖"} <= sections
    security = template.items.filter(category="security")
    assert security.count() >= 6 and all("GB/T 29315-2022" in i.clause for i in security)
    assert all(i.clause for i in template.items.all())


def test_editing_a_used_checklist_makes_the_next_version_and_old_inspections_keep_theirs(cast):
    old = active_template()
    inspection = an_inspection(cast)
    items = [{"section": i.section, "category": i.category, "text": i.text, "clause": i.clause,
              "severity": i.severity} for i in old.items.all()]
    items.append({"section": "交通", "category": "traffic", "text": "校门口设有护学岗标识", "severity": "low"})
    new = checklist_template_save(user=cast.ada, template=old, name=old.name, items=items)
    old.refresh_from_db()
    assert (new.version, new.active, old.active) == (old.version + 1, True, False)
    assert new.items.count() == old.items.count() + 1
    assert inspection.answers.count() == old.items.count()
    assert active_template() == new
    assert an_inspection(cast, cast.school_a).template == new


def test_a_checklist_no_inspection_used_is_changed_in_place(cast):
    draft = checklist_template_save(user=cast.ada, name="临时检查表", items=[{"category": "fire", "text": "灭火器"}])
    again = checklist_template_save(user=cast.ada, template=draft, name="临时检查表",
                                    items=[{"category": "fire", "text": "灭火器"}, {"category": "food", "text": "留样"}])
    assert again.pk == draft.pk and again.version == 1 and again.items.count() == 2


def test_a_checklist_needs_items_that_say_what_is_checked(cast):
    with pytest.raises(ValidationError) as excinfo:
        checklist_template_save(user=cast.ada, name="空表", items=[])
    assert "at least one item" in messages_of(excinfo, "items")
    with pytest.raises(ValidationError) as excinfo:
        checklist_template_save(user=cast.ada, name="空表", items=[{"category": "fire", "text": " "}])
    assert "Item 1: say what is checked" in messages_of(excinfo, "items")


# -- a failed item makes a hazard ----------------------------------------------------------------


def test_a_failed_item_makes_its_hazard_when_the_inspection_is_submitted(cast):
    inspection = an_inspection(cast, fail={3: "灭火器压力不足"})
    assert not Hazard.objects.exists()  # a draft makes nothing yet
    inspection_submit(inspection=inspection, user=cast.alice)
    (hazard,) = Hazard.objects.all()
    fire = item(3)
    assert (hazard.school, hazard.inspection, hazard.from_item, hazard.category, hazard.severity) == (
        cast.school_a, inspection, fire, "fire", fire.severity)
    assert "灭火器压力不足" in hazard.description
    assert hazard.found_on == TODAY and hazard.deadline == TODAY + datetime.timedelta(days=3)  # high: 3 days
    assert hazard.status == HazardStatus.OPEN and hazard.source == HazardSource.ITEM
    assert list(hazard.events.values_list("from_status", "to_status")) == [("", "open")]


def test_the_deadline_follows_the_severity(settings):
    day = datetime.date(2026, 9, 1)
    assert hazard_deadline(day, "high") == datetime.date(2026, 9, 4)
    assert hazard_deadline(day, "medium") == datetime.date(2026, 9, 16)
    assert hazard_deadline(day, "low") == datetime.date(2026, 10, 1)
    settings.HAZARD_DEADLINE_DAYS = {"high": 1, "medium": 2, "low": 3}
    assert hazard_deadline(day, "high") == datetime.date(2026, 9, 2)


def test_the_inspector_may_judge_a_failure_more_or_less_severe(cast):
    inspection = an_inspection(cast, fail={3: "灭火器过期"})
    inspection_update(inspection=inspection, user=cast.alice, answers={item(3).pk: {"severity": "low"}})
    inspection_submit(inspection=inspection, user=cast.alice)
    hazard = Hazard.objects.get()
    assert hazard.severity == "low" and hazard.deadline == TODAY + datetime.timedelta(days=30)


def test_a_failed_item_makes_exactly_one_hazard_however_often_it_is_submitted(cast):
    inspection = an_inspection(cast, fail={3: "灭火器压力不足", 10: "夜间无人值守"}, submit=True)
    inspection_return(inspection=inspection, user=cast.sam, comment="补充照片")
    answered(inspection, fail={3: "灭火器压力不足，已拍照", 10: "夜间无人值守"})
    inspection_submit(inspection=inspection, user=cast.alice)
    assert Hazard.objects.count() == 2
    assert "已拍照" in Hazard.objects.get(from_item=item(3)).description
    # Corrected: item 10 passed after all; its hazard goes (open, on no notice).
    inspection_return(inspection=inspection, user=cast.sam, comment="10项核实")
    answered(inspection, fail={3: "灭火器压力不足"})
    inspection_submit(inspection=inspection, user=cast.alice)
    assert list(Hazard.objects.values_list("from_item", flat=True)) == [item(3).pk]


def test_a_submission_needs_every_item_answered_and_a_note_on_each_failure(cast):
    inspection = an_inspection(cast)
    with pytest.raises(ValidationError) as excinfo:
        inspection_submit(inspection=inspection, user=cast.alice)
    assert "Item 1 (" in messages_of(excinfo, "answers") and "is not answered" in messages_of(excinfo, "answers")
    answered(inspection, fail={3: ""})
    with pytest.raises(ValidationError) as excinfo:
        inspection_submit(inspection=inspection, user=cast.alice)
    assert "Item 3 (" in messages_of(excinfo, "answers") and "say what is wrong" in messages_of(excinfo, "answers")
    assert Inspection.objects.get(pk=inspection.pk).status == InspectionStatus.DRAFT


def test_an_inspection_is_refused_outside_the_scope_in_the_future_and_on_a_foreign_item(cast):
    with pytest.raises(ValidationError) as excinfo:
        inspection_create(user=cast.bob, school=cast.school_a, date=TODAY)
    assert "not in your scope" in messages_of(excinfo, "school")
    with pytest.raises(ValidationError) as excinfo:
        inspection_create(user=cast.alice, school=cast.school_a, date=TODAY + datetime.timedelta(days=1))
    assert "cannot be in the future" in messages_of(excinfo, "date")
    inspection = an_inspection(cast)
    with pytest.raises(ValidationError) as excinfo:
        inspection_update(inspection=inspection, user=cast.alice, answers={999999: {"result": "pass"}})
    assert "not on this inspection's checklist" in messages_of(excinfo, "answers")
    with pytest.raises(ValidationError) as excinfo:
        inspection_update(inspection=inspection, user=cast.alice, answers={item(1).pk: {"result": "maybe"}})
    assert "choose pass, fail or not applicable" in messages_of(excinfo, "answers")


# -- the review ----------------------------------------------------------------------------------


def test_the_review_round_trip_return_with_comments_resubmit_approve(cast):
    inspection = an_inspection(cast, fail={3: "灭火器压力不足"}, submit=True)
    assert (inspection.status, inspection.round) == (InspectionStatus.SUBMITTED, 1)

    returned = inspection_return(inspection=inspection, user=cast.sam, comment="请补充整改建议",
                                 items={item(3).pk: "写明灭火器数量", str(item(5).pk): "标线情况再核实"})
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.RETURNED
    assert returned.decision == "returned" and returned.round == 1
    assert dict(returned.comments.values_list("item__order", "comment")) == {3: "写明灭火器数量", 5: "标线情况再核实"}
    from inspections.selectors import returned_comments
    assert returned_comments(inspection) == {item(3).pk: "写明灭火器数量", item(5).pk: "标线情况再核实"}

    answered(inspection, fail={3: "灭火器压力不足，共6具"})
    inspection_submit(inspection=inspection, user=cast.alice)
    inspection.refresh_from_db()
    assert (inspection.status, inspection.round) == (InspectionStatus.SUBMITTED, 2)
    assert returned_comments(inspection) == {}

    approved = inspection_approve(inspection=inspection, user=cast.sam)
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.APPROVED and approved.round == 2
    assert list(Review.objects.filter(inspection=inspection).values_list("round", "decision")) == [
        (1, "returned"), (2, "approved")]


def test_an_approved_inspection_cannot_change(cast):
    inspection = an_inspection(cast, submit=True)
    inspection_approve(inspection=inspection, user=cast.sam)
    for call in (
        lambda: inspection_update(inspection=inspection, user=cast.alice, note="改"),
        lambda: answered(inspection),
        lambda: inspection_submit(inspection=inspection, user=cast.alice),
    ):
        with pytest.raises(ValidationError) as excinfo:
            call()
        assert "approved" in messages_of(excinfo, "status") or "Only a draft" in messages_of(excinfo, "status")
    with pytest.raises(ValidationError) as excinfo:
        inspection_update(inspection=inspection, user=cast.alice, note="改")
    assert messages_of(excinfo, "status") == "An approved inspection cannot be changed."
    with pytest.raises(ValidationError) as excinfo:
        inspection_approve(inspection=inspection, user=cast.sam)
    assert "Only a submitted inspection can be reviewed" in messages_of(excinfo, "status")


def test_a_submitted_inspection_is_not_changed_under_review(cast):
    inspection = an_inspection(cast, submit=True)
    with pytest.raises(ValidationError) as excinfo:
        inspection_update(inspection=inspection, user=cast.alice, note="改")
    assert "under review" in messages_of(excinfo, "status")


def test_refused_reviews_say_why(cast):
    inspection = an_inspection(cast, submit=True)
    with pytest.raises(PermissionDenied, match="Only a supervisor"):
        inspection_approve(inspection=inspection, user=cast.alice)  # a dispatcher cannot approve
    with pytest.raises(PermissionDenied, match="Only a supervisor"):
        inspection_return(inspection=inspection, user=cast.alice, comment="x")
    with pytest.raises(ValidationError) as excinfo:
        inspection_return(inspection=inspection, user=cast.sam)
    assert "Say what is to be corrected" in messages_of(excinfo, "comment")
    with pytest.raises(ValidationError) as excinfo:
        inspection_return(inspection=inspection, user=cast.sam, items={999999: "?"})
    assert "not on this inspection's checklist" in messages_of(excinfo, "items")
    own = an_inspection(cast, user=cast.sam, submit=True)
    with pytest.raises(ValidationError) as excinfo:
        inspection_approve(inspection=own, user=cast.sam)
    assert "another supervisor reviews it" in messages_of(excinfo, "status")
    draft = an_inspection(cast)
    with pytest.raises(ValidationError) as excinfo:
        inspection_return(inspection=draft, user=cast.sam, comment="x")
    assert "Only a submitted inspection" in messages_of(excinfo, "status")
    assert Inspection.objects.get(pk=inspection.pk).status == InspectionStatus.SUBMITTED


# -- a hazard's life -----------------------------------------------------------------------------


@pytest.fixture
def hazard(cast):
    an_inspection(cast, fail={3: "灭火器压力不足"}, submit=True)
    return Hazard.objects.get()


def step(hazard, action, user, note=""):
    return hazard_transition(hazard=hazard, user=user, action=action, note=note)


def test_a_hazard_goes_notified_rectified_verified_with_who_and_when(cast, hazard):
    notice = notice_create(user=cast.alice, school=cast.school_a, hazards=[hazard])
    notice_issue(notice=notice, user=cast.alice)
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.NOTIFIED
    step(hazard, "rectify", cast.alice, "已更换灭火器6具")
    step(hazard, "verify", cast.sam, "复查合格，销号")
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.VERIFIED
    log = list(HazardEvent.objects.filter(hazard=hazard).values_list("from_status", "to_status", "by__username",
                                                                        "note"))
    assert log[1][:3] == ("open", "notified", "alice") and notice.number_label in log[1][3]
    assert log[2:] == [("notified", "rectified", "alice", "已更换灭火器6具"), ("rectified", "verified", "sam", "复查合格，销号")]
    assert all(e.at == NOW for e in hazard.events.all())


def test_a_hazard_is_reopened_to_open_or_to_notified_when_a_notice_lists_it(cast, hazard):
    step(hazard, "rectify", cast.alice, "已整改")
    step(hazard, "reopen", cast.sam, "复查仍不合格")
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.OPEN
    notice = notice_issue(notice=notice_create(user=cast.alice, school=cast.school_a, hazards=[hazard]),
                          user=cast.alice)
    step(hazard, "rectify", cast.alice, "再次整改")
    step(hazard, "verify", cast.sam)
    step(hazard, "reopen", cast.sam, "又出现了")
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.NOTIFIED and notice.status == "issued"


@pytest.mark.parametrize(("status", "action", "message"), [
    ("open", "verify", "Only a rectified hazard can be verified by a re-check; this one is “Open”."),
    ("open", "reopen", "Only a rectified or verified hazard can be reopened; this one is “Open”."),
    ("rectified", "rectify", "Only an open or notified hazard can be reported rectified; this one is “Rectified”."),
    ("verified", "rectify", "Only an open or notified hazard can be reported rectified; this one is "
                            "“Verified and closed”."),
    ("verified", "verify", "Only a rectified hazard can be verified by a re-check; this one is "
                           "“Verified and closed”."),
    ("notified", "notify", "Only an open hazard is put on a notice; this one is “Notified”."),
])
def test_every_refused_hazard_transition_says_why(cast, hazard, status, action, message):
    Hazard.objects.filter(pk=hazard.pk).update(status=status)
    with pytest.raises(ValidationError) as excinfo:
        step(hazard, action, cast.alice, "备注")
    assert messages_of(excinfo, "status") == message
    assert Hazard.objects.get(pk=hazard.pk).status == status


def test_rectifying_needs_the_school_s_report_and_reopening_a_reason(cast, hazard):
    with pytest.raises(ValidationError) as excinfo:
        step(hazard, "rectify", cast.alice, " ")
    assert "Say what the school did" in messages_of(excinfo, "note")
    step(hazard, "rectify", cast.alice, "已整改")
    with pytest.raises(ValidationError) as excinfo:
        step(hazard, "reopen", cast.sam)
    assert messages_of(excinfo, "note") == "Say why the hazard is reopened."
    with pytest.raises(ValidationError) as excinfo:
        step(hazard, "rectify", cast.bob, "x")
    assert "not in your scope" in messages_of(excinfo, "school")


def test_a_hazard_added_by_hand_gets_its_deadline_and_only_an_open_one_is_corrected(cast):
    hazard = hazard_create(user=cast.alice, school=cast.school_a, category="traffic", description="减速带缺失",
                           severity="medium")
    assert hazard.source == HazardSource.HAND and hazard.deadline == TODAY + datetime.timedelta(days=15)
    hazard = hazard_update(hazard=hazard, user=cast.alice, severity="high")
    assert hazard.deadline == TODAY + datetime.timedelta(days=3)
    with pytest.raises(ValidationError) as excinfo:
        hazard_create(user=cast.alice, school=cast.school_a, category="traffic", description=" ", severity="low")
    assert messages_of(excinfo, "description") == "Describe the hazard."
    with pytest.raises(ValidationError) as excinfo:
        hazard_create(user=cast.bob, school=cast.school_a, category="traffic", description="x", severity="low")
    assert "not in your scope" in messages_of(excinfo, "school")
    step(hazard, "rectify", cast.alice, "已整改")
    with pytest.raises(ValidationError) as excinfo:
        hazard_update(hazard=hazard, user=cast.alice, description="改")
    assert "Only an open hazard can be corrected" in messages_of(excinfo, "status")


# -- notices -------------------------------------------------------------------------------------


def test_a_notice_is_numbered_per_year_in_the_district_s_style_and_frozen_once_issued(cast, hazard, settings):
    notice = notice_create(user=cast.alice, school=cast.school_a, hazards=[hazard], text="限期整改。")
    assert notice.deadline == hazard.deadline and notice.number is None and str(notice).startswith("Draft notice")
    notice = notice_issue(notice=notice, user=cast.alice)
    assert (notice.year, notice.number, notice.issued_on) == (2026, 1, TODAY)
    assert notice.number_label == "船公（治）整字〔2026〕第1号"
    with pytest.raises(ValidationError) as excinfo:
        notice_update(notice=notice, user=cast.alice, text="改")
    assert messages_of(excinfo, "status") == "An issued notice cannot be changed."
    with pytest.raises(ValidationError) as excinfo:
        notice_issue(notice=notice, user=cast.alice)
    assert messages_of(excinfo, "status") == "An issued notice cannot be changed."
    other = hazard_create(user=cast.alice, school=cast.school_a, category="food", description="留样缺失",
                          severity="low")
    settings.NOTICE_NUMBER_PREFIX = "测试（治）整字"
    second = notice_issue(notice=notice_create(user=cast.alice, school=cast.school_a, hazards=[other]),
                          user=cast.alice)
    assert second.number_label == "测试（治）整字〔2026〕第2号"


def test_refused_notices_say_why(cast, hazard):
    with pytest.raises(ValidationError) as excinfo:
        notice_issue(notice=notice_create(user=cast.alice, school=cast.school_a, deadline=TODAY), user=cast.alice)
    assert messages_of(excinfo, "hazards") == "A notice lists at least one hazard."
    other_school = hazard_create(user=cast.sam, school=cast.school_b, category="fire", description="通道堵塞",
                                 severity="high")
    with pytest.raises(ValidationError) as excinfo:
        notice_create(user=cast.sam, school=cast.school_a, hazards=[other_school])
    assert "is at another school" in messages_of(excinfo, "hazards")
    step(hazard, "rectify", cast.alice, "已整改")
    with pytest.raises(ValidationError) as excinfo:
        notice_create(user=cast.alice, school=cast.school_a, hazards=[hazard])
    assert "a notice lists open hazards" in messages_of(excinfo, "hazards")
    late = hazard_create(user=cast.alice, school=cast.school_a, category="food", description="x", severity="low")
    notice = notice_create(user=cast.alice, school=cast.school_a, hazards=[late], deadline=TODAY)
    Notice.objects.filter(pk=notice.pk).update(deadline=TODAY - datetime.timedelta(days=1))
    with pytest.raises(ValidationError) as excinfo:
        notice_issue(notice=notice, user=cast.alice)
    assert "already passed" in messages_of(excinfo, "deadline")


# -- overdue -------------------------------------------------------------------------------------


def test_the_overdue_task_flags_each_hazard_once_and_tells_the_station_and_hq(cast, time_machine):
    an_inspection(cast, fail={3: "灭火器压力不足"}, submit=True)  # high: deadline in 3 days
    hazard = Hazard.objects.get()
    assert flag_task() == 0  # not yet overdue
    time_machine.move_to(NOW + datetime.timedelta(days=4), tick=False)
    assert flag_task() == 1
    assert Hazard.objects.get().overdue_since == TODAY + datetime.timedelta(days=4)
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    assert told == {"alice", "henry"}
    messages = OutboxMessage.objects.count()
    assert flag_task() == 0  # the same day again: nothing twice
    time_machine.move_to(NOW + datetime.timedelta(days=5), tick=False)
    assert flag_overdue_hazards() == 0  # the next day neither
    assert Notification.objects.count() == 2 and OutboxMessage.objects.count() == messages
    # Rectified then reopened: past its deadline still, it is flagged once more.
    step(hazard, "rectify", cast.alice, "已整改")
    step(hazard, "reopen", cast.sam, "复查不合格")
    assert flag_overdue_hazards() == 1


def test_a_hazard_rectified_in_time_is_never_flagged(cast, hazard, time_machine):
    step(hazard, "rectify", cast.alice, "已整改")
    time_machine.move_to(NOW + datetime.timedelta(days=30), tick=False)
    assert flag_overdue_hazards() == 0 and not Hazard.objects.overdue().exists()
    assert timezone.localdate() == TODAY + datetime.timedelta(days=30)


def test_inspection_and_answers_keep_the_checklist_version_they_used(cast):
    inspection = an_inspection(cast, fail={1: "周边摊点"})
    assert inspection.template == active_template() and ChecklistTemplate.objects.count() == 1
    assert inspection.answers.filter(result=AnswerResult.FAIL).count() == 1
