"""The demo's term of inspections (seed_demo, through inspections/registry.py), in the work
report's proportions: 159 school inspections (most approved, a few submitted and awaiting
review, one returned with comments), 35 hazards found (in every status, a few past their
deadline), 18 rectification notices issued, improvements of 19 traffic signs, 11 CCTV points,
2,400 m² of road markings, 4 anti-ram barriers and 16 one-button alarms, and 4 joint
operations with 1,210 police, 600 venues checked and 16 hazards fixed. Deterministic for a
given seed and day."""

from __future__ import annotations

import datetime
import random

from django.conf import settings
from django.utils import timezone

from core.registry import DemoContext
from inspections.models import (
    AnswerResult,
    Hazard,
    HazardEvent,
    HazardSource,
    HazardStatus,
    Improvement,
    ImprovementKind,
    Inspection,
    InspectionAnswer,
    InspectionStatus,
    JointOperation,
    Notice,
    NoticeCounter,
    Review,
    ReviewComment,
    ReviewDecision,
    VenueType,
)
from inspections.services import active_template, hazard_deadline
from org.models import Role, Unit, UnitKind, User
from posts.models import School, Term

INSPECTIONS = 159
SUBMITTED = 7
RETURNED = 1
HAZARDS = 35
# The hazards' statuses: 16 verified (as the joint operations fixed 16, by coincidence of the
# report), the rest on their way; a few of the open and notified are past their deadline.
HAZARD_STATUSES = [HazardStatus.VERIFIED] * 16 + [HazardStatus.RECTIFIED] * 5 + [HazardStatus.NOTIFIED] * 8 + [
    HazardStatus.OPEN] * 6
NOTICES = 18
IMPROVEMENTS = {  # kind -> quantities of each installation
    ImprovementKind.TRAFFIC_SIGN: [3, 3, 3, 2, 2, 2, 2, 2],
    ImprovementKind.CCTV: [2, 2, 2, 2, 2, 1],
    ImprovementKind.ROAD_MARKING: [800, 600, 600, 400],
    ImprovementKind.ANTI_RAM: [1, 1, 1, 1],
    ImprovementKind.ALARM_BUTTON: [2, 2, 2, 2, 2, 2, 2, 2],
}
JOINT_OPERATIONS = [
    # title, departments, police, venues by type, found, fixed, vendors cleared
    ("校园周边环境联合整治（开学季）", "教育局、市场监管局、城管局", 320,
     {VenueType.INTERNET_CAFE: 40, VenueType.GAME_HALL: 20, VenueType.SHOP: 70, VenueType.FOOD: 20}, 6, 5, 12),
    ("校园周边食品安全联合检查", "市场监管局、教育局", 280,
     {VenueType.FOOD: 90, VenueType.SHOP: 60}, 5, 4, 8),
    ("网吧、游戏厅违规接纳未成年人专项整治", "文旅局、教育局", 300,
     {VenueType.INTERNET_CAFE: 80, VenueType.GAME_HALL: 70}, 4, 3, 0),
    ("校园周边流动摊贩清理整治", "城管局、市场监管局", 310,
     {VenueType.SHOP: 100, VenueType.FOOD: 30, VenueType.OTHER: 20}, 5, 4, 21),
]
FAIL_NOTES = ["灭火器压力不足", "疏散指示标志损坏", "门卫室夜间无人值守", "外来人员未登记", "防冲撞设施未启用",
              "一键报警装置未联网测试", "监控存在盲区", "食品留样记录缺失", "校门口标线磨损", "危化品台账不清"]


def _term_start(today: datetime.date) -> datetime.date:
    term = Term.objects.filter(school__isnull=True, start__lte=today, end__gte=today).first()
    return term.start if term else today - datetime.timedelta(days=60)


def _school_days(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    days, day = [], start
    while day <= end:
        if day.isoweekday() <= 5:
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


def seed(context: DemoContext) -> dict:
    rng = random.Random(context.seed + 20)
    today = context.today
    template = active_template()
    schools = list(School.objects.select_related("station").order_by("pk"))
    if template is None or not schools:
        return {"inspections": 0}
    items = list(template.items.all())
    days = _school_days(_term_start(today), today - datetime.timedelta(days=1)) or [today]
    supervisors = list(User.objects.filter(role=Role.SUPERVISOR, is_active=True).order_by("pk"))
    desk = {u.unit_id: u for u in User.objects.filter(role=Role.DISPATCHER, is_active=True).order_by("pk")}
    reviewer = supervisors[0] if supervisors else None

    # Most schools once, some twice; a few left for the coverage page to show.
    covered = schools[: max(len(schools) - 4, 1)]
    picks = [covered[i % len(covered)] for i in range(INSPECTIONS)]
    rng.shuffle(picks)
    statuses = ([InspectionStatus.RETURNED] * RETURNED + [InspectionStatus.SUBMITTED] * SUBMITTED
                + [InspectionStatus.APPROVED] * (INSPECTIONS - SUBMITTED - RETURNED))
    inspections = []
    for school, status in zip(picks, statuses):
        date = rng.choice(days[-10:] if status != InspectionStatus.APPROVED else days)
        submitted = timezone.make_aware(datetime.datetime.combine(date, datetime.time(16, rng.randint(0, 59))))
        inspections.append(Inspection(school=school, date=date, template=template, status=status, round=1,
                                      submitted_at=submitted, created_by=desk.get(school.station_id),
                                      note="上下学时段现场检查"))
    Inspection.objects.bulk_create(inspections)
    through = Inspection.inspector_users.through
    through.objects.bulk_create([through(inspection_id=i.pk, user_id=i.created_by_id)
                                 for i in inspections if i.created_by_id])

    approved = [i for i in inspections if i.status == InspectionStatus.APPROVED]
    failing = {i.pk: rng.choice(items) for i in rng.sample(approved, min(HAZARDS, len(approved)))}
    answers = []
    for inspection in inspections:
        for item in items:
            failed = failing.get(inspection.pk) is item
            result = AnswerResult.FAIL if failed else (
                AnswerResult.NOT_APPLICABLE if item.category == "chemicals" and inspection.school.kind == "kindergarten"
                else AnswerResult.PASS)
            answers.append(InspectionAnswer(inspection=inspection, item=item, result=result,
                                            note=rng.choice(FAIL_NOTES) if failed else ""))
    InspectionAnswer.objects.bulk_create(answers, batch_size=1000)

    reviews = [Review(inspection=i, round=1, by=reviewer, at=i.submitted_at + datetime.timedelta(days=1),
                      decision=ReviewDecision.APPROVED if i.status == InspectionStatus.APPROVED else
                      ReviewDecision.RETURNED, comment="" if i.status == InspectionStatus.APPROVED else
                      "请补充失败项的照片和说明")
               for i in inspections if i.status in (InspectionStatus.APPROVED, InspectionStatus.RETURNED)]
    Review.objects.bulk_create(reviews)
    for review in reviews:
        if review.decision == ReviewDecision.RETURNED:
            ReviewComment.objects.create(review=review, item=items[0], comment="请说明周边摊点的具体位置")

    hazards = _hazards(rng, today, approved, failing, desk)
    notices = _notices(rng, hazards, desk)
    improvements = _improvements(rng, covered, days, desk)
    operations = _joint_operations(rng, days, desk)
    context.say(f"  inspections: {len(inspections)}, hazards: {len(hazards)}, notices: {notices}, "
                f"improvements: {improvements}, joint operations: {operations}")
    return {"inspections": len(inspections), "hazards": len(hazards), "notices": notices}


def _hazards(rng, today, approved, failing, desk) -> list[Hazard]:
    by_pk = {i.pk: i for i in approved}
    statuses = list(HAZARD_STATUSES)
    hazards = []
    for index, (inspection_pk, item) in enumerate(failing.items()):
        inspection = by_pk[inspection_pk]
        status = statuses[index % len(statuses)]
        found = inspection.date
        deadline = hazard_deadline(found, item.severity)
        if status in (HazardStatus.OPEN, HazardStatus.NOTIFIED) and index % 3 == 0:
            # A few past their deadline: found long enough ago to be late now.
            found = min(found, today - datetime.timedelta(days=settings.HAZARD_DEADLINE_DAYS[item.severity] + 5))
            deadline = hazard_deadline(found, item.severity)
        hazards.append(Hazard(inspection=inspection, school=inspection.school, category=item.category,
                              description=f"{item.text}：{rng.choice(FAIL_NOTES)}"[:500], severity=item.severity,
                              found_on=found, deadline=deadline, status=status, source=HazardSource.ITEM,
                              from_item=item, created_by=desk.get(inspection.school.station_id)))
    Hazard.objects.bulk_create(hazards)
    events = []
    path = [HazardStatus.OPEN, HazardStatus.NOTIFIED, HazardStatus.RECTIFIED, HazardStatus.VERIFIED]
    for hazard in hazards:
        by = desk.get(hazard.school.station_id)
        at = timezone.make_aware(datetime.datetime.combine(hazard.found_on, datetime.time(17, 0)))
        previous = ""
        for step, status in enumerate(path[: path.index(hazard.status) + 1]):
            events.append(HazardEvent(hazard=hazard, by=by, at=at + datetime.timedelta(days=step * 2),
                                      from_status=previous, to_status=status,
                                      note="学校已整改并提交报告" if status == HazardStatus.RECTIFIED else ""))
            previous = status
    HazardEvent.objects.bulk_create(events)
    return hazards


def _notices(rng, hazards, desk) -> int:
    notified = [h for h in hazards if h.status != HazardStatus.OPEN][:NOTICES]
    if not notified:
        return 0
    numbers: dict[int, int] = {}
    for hazard in sorted(notified, key=lambda h: h.found_on):
        issued_on = hazard.found_on + datetime.timedelta(days=1)
        numbers[issued_on.year] = numbers.get(issued_on.year, 0) + 1
        notice = Notice.objects.create(
            school=hazard.school, deadline=hazard.deadline, status=Notice.Status.ISSUED, year=issued_on.year,
            number=numbers[issued_on.year], issued_on=issued_on, issued_by=desk.get(hazard.school.station_id),
            created_by=desk.get(hazard.school.station_id),
            text=f"经检查，你单位存在安全隐患，现责令于{hazard.deadline.month}月{hazard.deadline.day}日前整改完毕。",
        )
        notice.hazards.add(hazard)
    for year, last in numbers.items():
        NoticeCounter.objects.update_or_create(year=year, defaults={"last_number": last})
    return len(notified)


def _improvements(rng, schools, days, desk) -> int:
    rows = []
    for kind, quantities in IMPROVEMENTS.items():
        for quantity in quantities:
            school = rng.choice(schools)
            rows.append(Improvement(school=school, kind=kind, quantity=quantity, date=rng.choice(days),
                                    created_by=desk.get(school.station_id)))
    Improvement.objects.bulk_create(rows)
    return len(rows)


def _joint_operations(rng, days, desk) -> int:
    bureau = Unit.objects.filter(kind=UnitKind.BUREAU, parent__isnull=True).order_by("pk").first()
    if bureau is None:
        return 0
    rows = [
        JointOperation(unit=bureau, date=days[min(len(days) - 1, index * max(len(days) // 4, 1))], title=title,
                       departments=departments, police_count=police, venues_checked=sum(by_type.values()),
                       venues_by_type={str(k): v for k, v in by_type.items()}, hazards_found=found,
                       hazards_fixed=fixed, vendors_cleared=vendors)
        for index, (title, departments, police, by_type, found, fixed, vendors) in enumerate(JOINT_OPERATIONS)
    ]
    JointOperation.objects.bulk_create(rows)
    return len(rows)


def reset() -> None:
    Notice.objects.all().delete()
    NoticeCounter.objects.all().delete()
    Hazard.objects.all().delete()
    Inspection.objects.all().delete()
    Improvement.objects.all().delete()
    JointOperation.objects.all().delete()
