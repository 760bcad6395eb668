"""The demo's term of incidents (seed_demo, through incidents/registry.py), in the work
report's proportions: help requests and alarms about 219 person-times, about 300 assistances,
about 80 suspicious persons checked, 19 emergencies, 51 disputes (most resolved), a few good
deeds marked for publicity. Each is at a post of the demo district, at the morning or
afternoon peak of a school day of the term so far, reported and mostly closed."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from core.registry import DemoContext
from duty.models import Assignment, Shift, ShiftStatus
from incidents.models import (
    Incident,
    IncidentKind,
    IncidentStatus,
    IncidentStep,
    StepKind,
    SuspiciousOutcome,
)
from org.models import Role, User

# kind -> (records, people per record: (low, high))
PLAN = {
    IncidentKind.HELP: (100, (1, 2)),
    IncidentKind.ALARM: (46, (1, 2)),
    IncidentKind.ASSISTANCE: (300, (1, 1)),
    IncidentKind.SUSPICIOUS: (53, (1, 2)),
    IncidentKind.EMERGENCY: (19, (1, 3)),
    IncidentKind.DISPUTE: (56, (2, 2)),
    IncidentKind.GOOD_DEED: (6, (1, 1)),
}
SUMMARIES = {
    IncidentKind.HELP: ["学生家长求助寻找走失孩子", "学生反映钱包遗失", "家长求助接送车辆被堵"],
    IncidentKind.ALARM: ["教师报警称校门外有人滋扰", "家长报警称电动车被盗", "学生报警称被陌生人尾随"],
    IncidentKind.ASSISTANCE: ["护送低年级学生过马路", "帮助行动不便老人过街", "协助家长疏导接送车辆"],
    IncidentKind.SUSPICIOUS: ["校门口徘徊人员盘查", "携带可疑物品人员盘查", "无证摊贩人员核查"],
    IncidentKind.EMERGENCY: ["校门口电动三轮车失控", "接送车辆碰擦引发围观", "学生突发疾病晕倒"],
    IncidentKind.DISPUTE: ["家长因停车发生口角", "家长与保安因进校发生争执", "学生家长之间纠纷"],
    IncidentKind.GOOD_DEED: ["幼儿园门口拦停失控电动三轮车", "小学门口救助晕倒老人"],
}
DEPARTMENTS = ["交警大队", "教育局", "社区居委会", "卫生院"]


def seed(context: DemoContext) -> dict:
    rng = random.Random(context.seed + 10)
    shifts = list(
        Shift.objects.filter(status=ShiftStatus.SCHEDULED, ends_at__lt=timezone.now(), published=True)
        .select_related("post__school").order_by("starts_at")
    )
    if not shifts:
        return {"incidents": 0}
    desk = {u.unit_id: u for u in User.objects.filter(role=Role.DISPATCHER, is_active=True).order_by("pk")}
    incidents = []
    for kind, (count, (low, high)) in PLAN.items():
        for n in range(count):
            shift = rng.choice(shifts)
            at = shift.starts_at + datetime.timedelta(minutes=rng.randint(0, 35))
            resolved = kind == IncidentKind.DISPUTE and n < 51 or kind not in (IncidentKind.DISPUTE,)
            extra = {}
            if kind == IncidentKind.SUSPICIOUS:
                extra = {"id_checked": True, "items_checked": "身份证、随身包",
                         "outcome": rng.choice([SuspiciousOutcome.RELEASED] * 8 + [SuspiciousOutcome.HANDED_OVER,
                                                                                   SuspiciousOutcome.TAKEN_IN])}
            elif kind == IncidentKind.DISPUTE:
                extra = {"parties": "家长甲、家长乙", "mediation": "现场民警调解，双方达成谅解" if resolved else ""}
            elif kind == IncidentKind.GOOD_DEED:
                extra = {"publicity": n < 2, "publicity_text": "执勤民警迅速处置，避免伤害发生，家长送来锦旗。" if n < 2 else ""}
            incidents.append(Incident(
                kind=kind, occurred_at=at, school=shift.post.school, post=shift.post, station_id=shift.station_id,
                shift=shift, people_count=rng.randint(low, high), summary=rng.choice(SUMMARIES[kind]),
                action_taken="现场处置完毕", resolved=resolved, status=IncidentStatus.CLOSED,
                reported_by=desk.get(shift.station_id), **extra,
            ))
    Incident.objects.bulk_create(incidents, batch_size=500)
    steps = []
    for incident in incidents:
        by = desk.get(incident.station_id)
        steps.append(IncidentStep(incident=incident, kind=StepKind.REPORTED, at=incident.occurred_at, by=by))
        if incident.kind == IncidentKind.EMERGENCY:
            steps.append(IncidentStep(incident=incident, kind=StepKind.ESCALATED,
                                      at=incident.occurred_at + datetime.timedelta(minutes=3), by=by))
        if incident.kind == IncidentKind.DISPUTE and not incident.resolved:
            steps.append(IncidentStep(incident=incident, kind=StepKind.REFERRED, department=rng.choice(DEPARTMENTS),
                                      at=incident.occurred_at + datetime.timedelta(minutes=20), by=by))
        steps.append(IncidentStep(incident=incident, kind=StepKind.CLOSED,
                                  at=incident.occurred_at + datetime.timedelta(minutes=40), by=by))
    IncidentStep.objects.bulk_create(steps, batch_size=1000)
    # Who stood the post then: the shift's people, as the roster says.
    through = Incident.on_duty.through
    links = []
    by_shift: dict[int, list[int]] = {}
    for shift_id, person_id in Assignment.objects.filter(
            shift_id__in={i.shift_id for i in incidents}, active=True).values_list("shift_id", "person_id"):
        by_shift.setdefault(shift_id, []).append(person_id)
    for incident in incidents:
        links += [through(incident_id=incident.pk, person_id=pid) for pid in by_shift.get(incident.shift_id, [])]
    through.objects.bulk_create(links, batch_size=2000, ignore_conflicts=True)
    context.say(f"  incidents: {len(incidents)}")
    return {"incidents": len(incidents)}


def reset() -> None:
    Incident.objects.all().delete()
