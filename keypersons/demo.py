"""The demo's register (seed_demo, through keypersons/registry.py): 41 invented people across
the stations, as the report has them ("41 screened, all stable and in place"), each with a few
follow-ups, and the demo's dispatcher of 仁里派出所 made a keeper of the register.

Everyone here is invented: generated names, made-up addresses near the stations' schools, and
ID numbers of the right form (area codes of the demo city, 510903 and 510904, birth years 1960
to 2000, a correct check digit) that belong to nobody we know of. They go through the services,
encrypted and audited like any other."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.contrib.auth.models import Group
from django.db import transaction

from core.registry import DemoContext
from incidents.models import Incident, IncidentKind
from keypersons.access import KEEPERS_GROUP
from keypersons.idnumber import with_check_character
from keypersons.models import Category, CoManagerKind, FollowUpMethod, KeyPerson, Risk, Status
from keypersons.selectors import schools_nearby
from keypersons.services import follow_up_days, followup_create, keyperson_create
from org.models import Person, PersonKind, Role, Unit, UnitKind, User
from posts.models import School

PEOPLE = 41
KEEPER_STATION = "仁里派出所"
AREAS = ("510903", "510904")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂华建国志红玉兰福生德海林斌波宇浩凯鹏飞云峰"
ROADS = ("遂州中路", "德胜西路", "金鱼街", "顺城街", "凯旋路", "明月路", "仁里街", "圣莲岛路")
RISKS = [Risk.HIGH] * 5 + [Risk.MEDIUM] * 14 + [Risk.LOW] * 22
CATEGORY_WEIGHTS = {
    Category.MENTAL_DISORDER: 12, Category.PETITIONER: 8, Category.DRUG_USER: 9, Category.GRIEVANCE: 7,
    Category.SCHOOL_OFFENCE: 5,
}
BASIS = {
    Category.MENTAL_DISORDER: "经卫健部门确诊为严重精神障碍患者，曾有肇事肇祸倾向，纳入社区管控。",
    Category.PETITIONER: "多次越级上访，诉求涉及学校周边拆迁补偿。",
    Category.DRUG_USER: "社区戒毒期间，居住地距学校不足五百米。",
    Category.GRIEVANCE: "因个人经营失败多次发表极端言论，有报复社会倾向。",
    Category.SCHOOL_OFFENCE: "曾因在校园周边滋事受到治安处罚。",
}
OBSERVED = ("本人在家，情绪稳定，按时服药。", "电话联系本人及家属，近况正常。", "社区网格员协同走访，居住地未变。",
            "本人在工地务工，表现正常。")


class _Names:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = set(Person.objects.values_list("name", flat=True))

    def __call__(self) -> str:
        while True:
            name = self.rng.choice(SURNAMES) + "".join(self.rng.choice(GIVEN) for _ in range(self.rng.choice((1, 2))))
            if name not in self.used:
                self.used.add(name)
                return name


def _id_number(rng: random.Random, used: set[str]) -> str:
    while True:
        birth = datetime.date(rng.randint(1960, 2000), rng.randint(1, 12), rng.randint(1, 28))
        number = with_check_character(f"{rng.choice(AREAS)}{birth:%Y%m%d}{rng.randint(1, 999):03d}")
        if number not in used:
            used.add(number)
            return number


def seed(context: DemoContext) -> dict:
    rng = random.Random(context.seed + 40)
    today = context.today
    stations = list(Unit.objects.filter(kind=UnitKind.STATION).order_by("name"))
    officers = {station.pk: list(Person.objects.filter(unit=station, kind=PersonKind.POLICE, active=True)
                                 .order_by("pk")) for station in stations}
    stations = [station for station in stations if officers[station.pk]]
    if not stations:
        return {"key_persons": 0}
    schools = {station.pk: list(School.objects.filter(station=station, lat__isnull=False).order_by("pk"))
               for station in stations}
    disputes = {station.pk: list(Incident.objects.filter(station=station, kind=IncidentKind.DISPUTE)
                                 .exclude(status="draft").order_by("pk")[:3]) for station in stations}
    names = _Names(rng)
    numbers: set[str] = set()
    risks = RISKS[:]
    rng.shuffle(risks)
    follow_ups = 0
    context.say("Key persons…")
    with transaction.atomic():
        for n in range(PEOPLE):
            station = stations[n % len(stations)]
            officer = rng.choice(officers[station.pk])
            risk = risks[n % len(risks)]
            categories = rng.sample(list(CATEGORY_WEIGHTS), k=1 if rng.random() < 0.8 else 2,
                                    counts=list(CATEGORY_WEIGHTS.values()))
            categories = list(dict.fromkeys(categories))
            location = ""
            if schools[station.pk]:
                school = rng.choice(schools[station.pk])
                location = (float(school.lat + Decimal(rng.uniform(-0.004, 0.004))),
                            float(school.lng + Decimal(rng.uniform(-0.004, 0.004))))
            interval = follow_up_days(risk)
            registered = today - datetime.timedelta(days=interval * rng.randint(3, 4) + rng.randint(1, 5))
            person = keyperson_create(
                user=None, name=names(), id_number=_id_number(rng, numbers),
                phone=f"1{rng.choice('3589')}{rng.randint(0, 9)}{rng.randint(10_000_000, 99_999_999)}",
                address=f"遂宁市船山区{rng.choice(ROADS)}{rng.randint(1, 300)}号{rng.randint(1, 6)}单元",
                location=location, categories=categories, risk=risk, station=station, officer=officer,
                basis=BASIS[categories[0]], notes="", status=Status.STABLE, registered_on=registered,
                co_managers=_co_managers(rng, names, categories),
                disputes=[disputes[station.pk][n % len(disputes[station.pk])]] if disputes[station.pk] and n % 7 == 0 else [],
            )
            if location:
                near = schools_nearby(user=None, location=person.secret("location"))
                if near:
                    person.schools.set([found.school for found in near[:2]])
            day = registered
            while True:
                day += datetime.timedelta(days=interval - rng.randint(0, 2))
                if day > today:
                    break
                followup_create(person=person, user=None, date=day, officer=officer,
                                method=rng.choice(FollowUpMethod.values), observed=rng.choice(OBSERVED),
                                status_after=Status.STABLE)
                follow_ups += 1
        keepers = _make_keepers()
    return {"key_persons": PEOPLE, "follow_ups": follow_ups, "keepers": keepers}


def _co_managers(rng: random.Random, names: _Names, categories: list[str]) -> list[dict]:
    rows = [
        {"kind": CoManagerKind.COMMUNITY, "name": f"社区网格员{names()}", "contact": f"139{rng.randint(10_000_000, 99_999_999)}"},
        {"kind": CoManagerKind.FAMILY, "name": f"家属{names()}", "contact": f"138{rng.randint(10_000_000, 99_999_999)}"},
    ]
    if Category.MENTAL_DISORDER in categories:
        rows.append({"kind": CoManagerKind.HEALTH, "name": "社区卫生服务中心", "contact": "0825-2226120"})
    if Category.PETITIONER in categories or Category.GRIEVANCE in categories:
        rows.append({"kind": CoManagerKind.CIVIL_AFFAIRS, "name": "街道民政办", "contact": "0825-2221034"})
    return rows


def _make_keepers() -> int:
    """The demo's dispatcher of 仁里派出所 keeps the register (the security administrator would
    choose him; the demo does it for him). He gives his second factor on entering it."""
    group, _created = Group.objects.get_or_create(name=KEEPERS_GROUP)
    keepers = list(User.objects.filter(role=Role.DISPATCHER, unit__name=KEEPER_STATION, is_active=True))
    for user in keepers:
        user.groups.add(group)
    return len(keepers)


def reset() -> None:
    """Delete the register (its categories, parties and follow-ups go with it)."""
    KeyPerson.objects.all().delete()
