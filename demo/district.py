"""Demo data: a district like the one in the source report, and one login per role.

`build_demo()` creates the district branch 船山分局 with eight police stations and three HQ
units, a hundred schools and kindergartens with exactly 106 active posts (every school has
one), the people who stand the posts ("1+1+1+2+2+4"), the schools' summer and winter
timetables, the current term, a few calendar overrides and six demo accounts. Then each
installed app that declares a demo hook in its registry.py (core/registry.py) adds its own
part on top (duty: a month of duty and the coming two weeks).

The data depends only on the seed, never on today's date, and is written in one
transaction: either all of it is there or none of it.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TextIO

from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from core import registry
from core.registry import DemoContext
from org.models import Person, PersonKind, Role, Unit, UnitKind, User
from org.otp import key_from_secret, otp_enrol_with_key, second_factor_required
from org.services import user_create
from posts.models import (
    CalendarOverride,
    Period,
    Post,
    School,
    SchoolKind,
    Term,
    Timetable,
    weekdays_to_mask,
)

DEFAULT_DEMO_PASSWORD = "Huxue@2026"
# The demo accounts that need a second factor (org/otp.py) share this authenticator secret,
# printed by seed_demo and in the README: add it to any authenticator app, or ask
# `manage.py demo_otp <username>` for the current code. Known to everyone, like the password:
# `check_accounts --production` refuses an account that has it.
DEMO_OTP_SECRET = "NB2X Q5LF FVSG K3LP FV2G 65DQ FUZD AMRW"
DEFAULT_SEED = 2026

BUREAU_NAME = "船山分局"
HISTORY_REASON = "演示数据"
POSTS_TOTAL = 106
NEW_GUARDS = 57

TERM_NAME = "2026-2027学年第一学期"
TERM_START = datetime.date(2026, 9, 1)
TERM_END = datetime.date(2027, 1, 20)
# Summer and winter timetables: back to back, so no two rows of a school can overlap.
SUMMER_FROM = datetime.date(2026, 9, 1)
SUMMER_TO = datetime.date(2026, 9, 30)
WINTER_FROM = datetime.date(2026, 10, 1)
SUMMER_PM_LATER_MINUTES = 30
# Guards hired this term ("累计新增专职保安员57名"); the others were hired before it.
NEW_HIRE_FROM = datetime.date(2026, 9, 1)
NEW_HIRE_TO = datetime.date(2026, 11, 20)
EARLIER_HIRE_FROM = datetime.date(2015, 3, 1)
EARLIER_HIRE_TO = datetime.date(2026, 8, 25)

# The demo district's extent (Suining, Chuanshan district).
LAT_RANGE = (Decimal("30.500000"), Decimal("30.560000"))
LNG_RANGE = (Decimal("105.540000"), Decimal("105.620000"))
SIX_PLACES = Decimal("0.000001")

K, P, J, S, N, V = (
    SchoolKind.KINDERGARTEN,
    SchoolKind.PRIMARY,
    SchoolKind.JUNIOR,
    SchoolKind.SENIOR,
    SchoolKind.NINE_YEAR,
    SchoolKind.VOCATIONAL,
)


@dataclass(frozen=True)
class StationSpec:
    name: str
    centre: tuple[float, float]
    phone: str
    roads: tuple[str, ...]
    schools: tuple[tuple[str, str], ...]


STATIONS: tuple[StationSpec, ...] = (
    StationSpec(
        "仁里派出所", (30.531, 105.574), "0825-2223110",
        ("顺城街", "圣莲岛路", "德胜西路", "金鱼街", "遂州中路", "仁里街"),
        (
            ("顺城街幼儿园", K), ("圣莲岛小学", P), ("船山区第一实验小学", P), ("仁里幼儿园", K),
            ("金鱼街幼儿园", K), ("德胜西路幼儿园", K), ("船山区仁里小学", P),
            ("小太阳幼儿园", K), ("北门幼儿园", K), ("遂州中路小学", P),
            ("遂宁市第二中学", S), ("船山区仁里初级中学", J),
        ),
    ),
    StationSpec(
        "凯旋路派出所", (30.541, 105.591), "0825-2224110",
        ("凯旋路", "明月路", "西山路", "遂州北路", "滨江北路"),
        (
            ("凯旋路幼儿园", K), ("凯旋路小学", P), ("遂宁市实验小学", P), ("遂宁市实验幼儿园", K),
            ("明月路幼儿园", K), ("蓝天幼儿园", K), ("春蕾幼儿园", K), ("船山区凯旋初级中学", J),
            ("遂宁中学", S), ("遂宁市职业技术学校", V), ("西山路小学", P),
            ("金色摇篮幼儿园", K), ("船山区第三实验小学", P),
        ),
    ),
    StationSpec(
        "育才路派出所", (30.519, 105.561), "0825-2225110",
        ("育才路", "紫竹路", "天宫路", "嘉禾路", "东台路"),
        (
            ("育才路幼儿园", K), ("育才路小学", P), ("船山区第二实验小学", P), ("遂宁市第一中学", S),
            ("船山区育才初级中学", J), ("紫竹路幼儿园", K), ("嘉禾幼儿园", K), ("新星幼儿园", K),
            ("阳光幼儿园", K), ("船山区机关幼儿园", K), ("天宫路小学", P),
            ("遂宁市卫生职业学校", V), ("英才幼儿园", K),
        ),
    ),
    StationSpec(
        "南津路派出所", (30.509, 105.586), "0825-2226110",
        ("南津路", "滨江南路", "渠河路", "联盟河路", "南强街", "开善寺路"),
        (
            ("南津路幼儿园", K), ("南津路小学", P), ("滨江幼儿园", K), ("渠河幼儿园", K),
            ("遂宁市第五中学", J), ("联盟河小学", P), ("南强小学", P), ("彩虹幼儿园", K),
            ("七彩童年幼儿园", K), ("船山区南津九年制学校", N), ("遂宁市第三中学", S),
            ("船山区职业技术学校", V), ("开善寺幼儿园", K),
        ),
    ),
    StationSpec(
        "镇江寺派出所", (30.548, 105.564), "0825-2227110",
        ("镇江寺路", "介福路", "船山大道", "龙凤路", "桂花街", "复桥路"),
        (
            ("镇江寺幼儿园", K), ("镇江寺小学", P), ("介福路小学", P), ("船山大道幼儿园", K),
            ("龙凤幼儿园", K), ("桂花幼儿园", K), ("遂宁市第六中学", J), ("复桥九年制学校", N),
            ("向日葵幼儿园", K), ("西宁小学", P), ("遂宁市现代职业技术学校", V),
            ("中央商务区幼儿园", K),
        ),
    ),
    StationSpec(
        "杨渡派出所", (30.552, 105.607), "0825-2228110",
        ("杨渡镇正街", "新桥镇新桥街", "北固乡北固街", "唐家乡唐家街", "老池镇老池街"),
        (
            ("杨渡镇中心幼儿园", K), ("杨渡镇中心小学", P), ("杨渡初级中学", J),
            ("唐家九年制学校", N), ("杨渡镇乐乐幼儿园", K), ("新桥镇中心小学", P),
            ("新桥镇中心幼儿园", K), ("北固乡中心小学", P), ("北固乡幼儿园", K),
            ("老池小学", P), ("杨渡镇花朵幼儿园", K), ("桂花镇中心小学", P),
        ),
    ),
    StationSpec(
        "永兴派出所", (30.508, 105.549), "0825-2229110",
        ("永兴镇永兴街", "保升乡保升街", "龙坪街", "三角街", "永兴镇新街"),
        (
            ("永兴镇中心幼儿园", K), ("永兴镇中心小学", P), ("永兴初级中学", J),
            ("保升九年制学校", N), ("永兴镇童心幼儿园", K), ("永兴镇希望小学", P),
            ("龙坪小学", P), ("保升乡幼儿园", K), ("船山区永兴职业中学", V),
            ("永兴镇育苗幼儿园", K), ("永兴镇三角小学", P), ("永兴镇金太阳幼儿园", K),
        ),
    ),
    StationSpec(
        "河沙派出所", (30.516, 105.611), "0825-2230110",
        ("河沙镇河沙街", "东禅镇东禅街", "红江镇红江街", "新会街", "河沙镇滨河路"),
        (
            ("河沙镇中心幼儿园", K), ("河沙镇中心小学", P), ("河沙初级中学", J),
            ("遂宁市第四中学", S), ("河沙镇贝贝幼儿园", K), ("河沙镇星光幼儿园", K),
            ("东禅小学", P), ("东禅幼儿园", K), ("河沙镇红星小学", P), ("红江九年制学校", N),
            ("河沙镇苗苗幼儿园", K), ("船山区河沙中等职业学校", V), ("新会小学", P),
        ),
    ),
)

# HQ units under the bureau: name, kind, phone.
HQ_UNITS = (
    ("机关实战大队", UnitKind.TEAM, "0825-2220110"),
    ("指挥中心", UnitKind.OFFICE, "0825-2220000"),
    ("督察大队", UnitKind.OFFICE, "0825-2220311"),
)
HQ_TEAM = "机关实战大队"
HQ_TEAM_POLICE = 6

# The six demo accounts: username, role, unit, full name. The supervisor sits on the bureau
# itself: scope is "own unit and below" (only HQ is widened to the bureau), so a supervisor
# on 督察大队 would see no station at all.
OFFICER_NAME = "张斌"  # 仁里派出所所长 in the report
OFFICER_STATION = "仁里派出所"
DEMO_USERS: tuple[tuple[str, str, str, str], ...] = (
    ("admin", Role.ADMIN, BUREAU_NAME, "王磊"),
    ("security", Role.SECURITY, BUREAU_NAME, "孙静"),
    ("auditor", Role.AUDITOR, BUREAU_NAME, "周洁"),
    ("hq", Role.HQ, "指挥中心", "刘建国"),
    ("supervisor", Role.SUPERVISOR, BUREAU_NAME, "陈志强"),
    ("dispatcher", Role.DISPATCHER, "仁里派出所", "李娟"),
    ("dispatcher2", Role.DISPATCHER, "凯旋路派出所", "赵敏"),
    ("officer", Role.OFFICER, OFFICER_STATION, OFFICER_NAME),
)
DEMO_USERNAMES = tuple(row[0] for row in DEMO_USERS)


def _hm(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


# Arrival and dismissal windows by kind of school (winter timetable), minutes after
# midnight; the summer timetable dismisses later.
WINDOWS = {
    "kindergarten": ((_hm("08:00"), _hm("08:40")), (_hm("16:30"), _hm("17:10"))),
    "primary": ((_hm("07:40"), _hm("08:10")), (_hm("16:20"), _hm("17:00"))),
    "secondary": ((_hm("07:10"), _hm("07:40")), (_hm("17:30"), _hm("18:10"))),
}
WINDOW_OF_KIND = {
    K: "kindergarten", P: "primary", N: "primary", J: "secondary", S: "secondary", V: "secondary",
}
PUPILS = {K: (120, 460), P: (600, 2800), N: (900, 2400), J: (800, 2200), S: (1800, 4200), V: (900, 3200)}
FRIDAY_EARLY_SCHOOLS = 6
FRIDAY_EARLIER_MINUTES = 60
MON_FRI = weekdays_to_mask(range(1, 6))
MON_THU = weekdays_to_mask(range(1, 5))
FRIDAY = weekdays_to_mask([5])

SECOND_GATE_NAMES = ("侧门护学岗", "后门护学岗")
MAIN_GATE_NAME = "正门护学岗"
# Second gates need fewer people than the main gate ("上岗人数跟着实际情况变").
SECOND_GATE_STAFFING = {"school_security": 0, "guard": 1, "staff": 1, "volunteer": 2}
BIG_GATE_STAFFING = {"police": 2, "auxiliary": 2, "volunteer": 6}
SMALL_GATE_STAFFING = {"guard": 1, "volunteer": 2}

DISMISSAL_REASONS = (
    "年龄超标，不适合校园安保工作",
    "未取得保安员证，不符合上岗条件",
    "体检不合格，不能胜任校园安保工作",
    "多次无故脱岗，考核不合格",
    "身体原因，不能胜任校园安保工作",
    "年龄超标，不适合校园安保工作",
)

CALENDAR_OVERRIDES = (
    # school name (None: every school), date, is school day, reason, follows weekday
    (None, datetime.date(2026, 11, 20), False, "全区教师集中培训，学生放假一天", None),
    ("圣莲岛小学", datetime.date(2026, 10, 23), False, "秋季运动会，不按作息时间上学放学", None),
    ("遂宁中学", datetime.date(2026, 11, 7), True, "高三年级周六补课", 1),
)

FAMILY_NAMES_COMMON = "王李张刘陈杨黄赵周吴徐孙胡朱高林何郭马罗"
FAMILY_NAMES_OTHER = (
    "梁宋郑谢韩唐冯董曹袁邓许曾彭吕苏卢蒋蔡贾丁魏叶余潘杜夏钟汪田任姜范方石姚谭廖邹熊陆"
    "孔白康毛邱秦江侯龙雷汤易贺赖文"
)
MALE_SINGLE = "伟强磊军勇杰涛超明刚平辉鹏华飞鑫波宇浩凯健俊帆旭宁龙峰海东亮成林斌"
FEMALE_SINGLE = "芳娜敏静丽艳娟霞燕玲婷雪琳慧莉红梅兰倩颖洁佳欣悦琴蓉萍"
MALE_FIRST = "建志国永海晓文俊子宇浩明天家德光"
MALE_SECOND = "军强明华平伟林峰杰涛刚斌龙辉鹏宇"
FEMALE_FIRST = "晓春秀玉丽美雨思欣佳雅梦诗婉淑"
FEMALE_SECOND = "红华英兰芳琴霞燕萍丽婷雪琳玲怡"
# Share of men by kind of person.
MALE_SHARE = {
    PersonKind.POLICE: 0.85,
    PersonKind.AUXILIARY: 0.75,
    PersonKind.SCHOOL_SECURITY: 0.7,
    PersonKind.GUARD: 0.9,
    PersonKind.STAFF: 0.3,
    PersonKind.VOLUNTEER: 0.4,
}


def _say(stdout: TextIO | None, message: str) -> None:
    if stdout is not None:
        stdout.write(message)


def demo_present() -> bool:
    return Unit.objects.filter(name=BUREAU_NAME, kind=UnitKind.BUREAU).exists()


@dataclass
class _Builder:
    rng: random.Random
    used_names: set[str] = field(default_factory=set)
    used_phones: set[str] = field(default_factory=set)

    # --- small generators -------------------------------------------------------------

    def name(self, kind: str) -> str:
        rng = self.rng
        family_pool = FAMILY_NAMES_COMMON * 3 + FAMILY_NAMES_OTHER
        male = rng.random() < MALE_SHARE[kind]
        while True:
            family = rng.choice(family_pool)
            if rng.random() < 0.4:
                given = rng.choice(MALE_SINGLE if male else FEMALE_SINGLE)
            elif male:
                given = rng.choice(MALE_FIRST) + rng.choice(MALE_SECOND)
            else:
                given = rng.choice(FEMALE_FIRST) + rng.choice(FEMALE_SECOND)
            full = family + given
            if full not in self.used_names:
                self.used_names.add(full)
                return full

    def mobile(self) -> str:
        while True:
            number = "1" + self.rng.choice("358") + "".join(self.rng.choices("0123456789", k=9))
            if number not in self.used_phones:
                self.used_phones.add(number)
                return number

    def near(self, lat: float, lng: float, spread: float, clamp: bool = True) -> tuple[Decimal, Decimal]:
        new_lat = Decimal(str(lat + self.rng.uniform(-spread, spread))).quantize(SIX_PLACES)
        new_lng = Decimal(str(lng + self.rng.uniform(-spread, spread) * 1.15)).quantize(SIX_PLACES)
        if clamp:
            new_lat = min(max(new_lat, LAT_RANGE[0] + SIX_PLACES), LAT_RANGE[1] - SIX_PLACES)
            new_lng = min(max(new_lng, LNG_RANGE[0] + SIX_PLACES), LNG_RANGE[1] - SIX_PLACES)
        return new_lat, new_lng

    def workday(self, start: datetime.date, end: datetime.date) -> datetime.date:
        span = (end - start).days
        while True:
            day = start + datetime.timedelta(days=self.rng.randint(0, span))
            national_day = day.month == 10 and day.day <= 7
            if day.isoweekday() <= 5 and not national_day:
                return day

    # --- units -------------------------------------------------------------------------

    def units(self) -> dict[str, Unit]:
        bureau = Unit(name=BUREAU_NAME, kind=UnitKind.BUREAU, code="510903000000", phone="0825-2220100")
        bureau.full_clean()
        bureau.save()
        units = {bureau.name: bureau}
        specs = [(spec.name, UnitKind.STATION, spec.phone) for spec in STATIONS] + list(HQ_UNITS)
        for number, (name, kind, phone) in enumerate(specs, start=1):
            unit = Unit(name=name, kind=kind, parent=bureau, code=f"510903{number:02d}0000", phone=phone)
            unit.full_clean()
            unit.save()
            units[name] = unit
        return units

    # --- schools and posts -------------------------------------------------------------

    def _road_for(self, school_name: str, roads: tuple[str, ...]) -> str:
        for road in roads:
            key = road[:4] if road.startswith("船山") else road[:2]
            if key in school_name:
                return road
        return self.rng.choice(roads)

    def schools(self, units: dict[str, Unit]) -> tuple[list[School], dict[int, tuple[str, str]]]:
        """The schools, and per school (by list index) its security officer's name and
        phone, who is also the school's contact person."""
        schools: list[School] = []
        contacts: dict[int, tuple[str, str]] = {}
        for spec in STATIONS:
            station = units[spec.name]
            for school_name, kind in spec.schools:
                lat, lng = self.near(*spec.centre, spread=0.007)
                contact = (self.name(PersonKind.SCHOOL_SECURITY), self.mobile())
                address = f"遂宁市船山区{self._road_for(school_name, spec.roads)}{self.rng.randint(1, 388)}号"
                school = School(
                    name=school_name, kind=kind, station=station, address=address, lat=lat, lng=lng,
                    pupils=self.rng.randint(*PUPILS[kind]) // 10 * 10,
                    contact_name=contact[0], contact_phone=contact[1],
                )
                _check(school)
                contacts[len(schools)] = contact
                schools.append(school)
        return schools, contacts

    def posts(self, schools: list[School]) -> list[Post]:
        posts: list[Post] = []
        big_ones = sorted((s for s in schools if s.kind != K), key=lambda s: -s.pupils)
        second_gate = {s.name for s in big_ones[: POSTS_TOTAL - len(schools)]}
        seniors = sorted((s for s in schools if s.kind == S), key=lambda s: -s.pupils)
        big_gate = {s.name for s in seniors[:2]}
        kindergartens = sorted((s for s in schools if s.kind == K), key=lambda s: s.pupils)
        small_gate = {s.name for s in kindergartens[:3]}
        second_names = iter(SECOND_GATE_NAMES * len(schools))
        for school in schools:
            lat, lng = self.near(float(school.lat), float(school.lng), spread=0.0003, clamp=False)
            main = Post(school=school, station_id=school.station_id, name=MAIN_GATE_NAME, lat=lat, lng=lng)
            if school.name in big_gate:
                main.staffing = BIG_GATE_STAFFING
            elif school.name in small_gate:
                main.staffing = SMALL_GATE_STAFFING
            posts.append(main)
            if school.name in second_gate:
                lat, lng = self.near(float(school.lat), float(school.lng), spread=0.0010, clamp=False)
                side = Post(
                    school=school, station_id=school.station_id, name=next(second_names),
                    lat=lat, lng=lng,
                )
                side.staffing = SECOND_GATE_STAFFING
                posts.append(side)
        for post in posts:
            _check(post)
        return posts

    # --- people ------------------------------------------------------------------------

    def _person(self, kind: str, unit: Unit, school: School | None = None, **fields) -> Person:
        if "name" not in fields:
            fields["name"] = self.name(kind)
        # Some volunteers left no phone number.
        if "phone" not in fields and (kind != PersonKind.VOLUNTEER or self.rng.random() < 0.8):
            fields["phone"] = self.mobile()
        return Person(kind=kind, unit=unit, school=school, **fields)

    def people(
        self, units: dict[str, Unit], schools: list[School], contacts: dict[int, tuple[str, str]]
    ) -> list[Person]:
        rng = self.rng
        people: list[Person] = []
        police_badges = iter(rng.sample(range(50000, 60000), 400))
        auxiliary_badges = iter(rng.sample(range(850000, 900000), 400))

        for spec in STATIONS:
            station = units[spec.name]
            for number in range(rng.randint(8, 12)):
                extra = {"name": OFFICER_NAME} if spec.name == OFFICER_STATION and number == 0 else {}
                people.append(
                    self._person(PersonKind.POLICE, station, badge_no=f"{next(police_badges):06d}", **extra)
                )
            for _ in range(rng.randint(10, 15)):
                people.append(
                    self._person(PersonKind.AUXILIARY, station, badge_no=f"{next(auxiliary_badges):06d}")
                )
        team = units[HQ_TEAM]
        for _ in range(HQ_TEAM_POLICE):
            people.append(self._person(PersonKind.POLICE, team, badge_no=f"{next(police_badges):06d}"))

        guards: list[Person] = []
        for index, school in enumerate(schools):
            station = school.station
            name, phone = contacts[index]
            people.append(self._person(PersonKind.SCHOOL_SECURITY, station, school, name=name, phone=phone))
            for _ in range(2):
                guard = self._person(PersonKind.GUARD, station, school)
                guards.append(guard)
                people.append(guard)
            for _ in range(2):
                people.append(self._person(PersonKind.STAFF, station, school))
            for _ in range(4):
                people.append(self._person(PersonKind.VOLUNTEER, station, school))

        people.extend(self._hire_guards(guards))
        for person in people:
            _check(person)
        return people

    def _hire_guards(self, guards: list[Person]) -> list[Person]:
        """Hire dates and certificates for the guards; 57 of them were hired this term, some
        to replace guards dismissed (清退) this term. Returns the dismissed guards."""
        rng = self.rng
        serials = iter(rng.sample(range(1, 1_000_000), len(guards) * 2))
        new_ones = set(rng.sample(range(len(guards)), NEW_GUARDS))
        for index, guard in enumerate(guards):
            if index in new_ones:
                guard.hire_date = self.workday(NEW_HIRE_FROM, NEW_HIRE_TO)
            else:
                guard.hire_date = self.workday(EARLIER_HIRE_FROM, EARLIER_HIRE_TO)
            guard.certificate_no = f"川保{guard.hire_date.year}{next(serials):06d}"

        replacements = [
            guards[i] for i in sorted(new_ones) if guards[i].hire_date >= datetime.date(2026, 9, 15)
        ]
        dismissed: list[Person] = []
        for replacement, reason in zip(rng.sample(replacements, len(DISMISSAL_REASONS)), DISMISSAL_REASONS):
            hired = self.workday(EARLIER_HIRE_FROM, datetime.date(2024, 12, 31))
            dismissed.append(
                self._person(
                    PersonKind.GUARD, replacement.school.station, replacement.school,
                    hire_date=hired, certificate_no=f"川保{hired.year}{next(serials):06d}",
                    active=False, dismissed_reason=reason,
                    dismissed_on=replacement.hire_date - datetime.timedelta(days=rng.randint(2, 10)),
                )
            )
        return dismissed

    # --- timetables, term, overrides ---------------------------------------------------

    def timetables(self, schools: list[School]) -> list[Timetable]:
        rng = self.rng
        rows: list[Timetable] = []
        primaries = [s.name for s in schools if s.kind == P]
        friday_early = set(rng.sample(primaries, FRIDAY_EARLY_SCHOOLS))
        for school in schools:
            (am_start, am_end), (pm_start, pm_end) = WINDOWS[WINDOW_OF_KIND[school.kind]]
            am_shift, pm_shift = rng.choice((-10, -5, 0, 0, 5, 10)), rng.choice((-10, -5, 0, 0, 5, 10))
            am = (am_start + am_shift, am_end + am_shift + rng.choice((0, 0, 5)))
            pm = (pm_start + pm_shift, pm_end + pm_shift + rng.choice((0, 0, 5)))
            for valid in ((SUMMER_FROM, SUMMER_TO), (WINTER_FROM, None)):
                pm_later = SUMMER_PM_LATER_MINUTES if valid[0] == SUMMER_FROM else 0
                rows.append(_timetable(school, Period.AM, MON_FRI, am, 0, valid))
                if school.name in friday_early:
                    rows.append(_timetable(school, Period.PM, MON_THU, pm, pm_later, valid))
                    rows.append(
                        _timetable(school, Period.PM, FRIDAY, pm, pm_later - FRIDAY_EARLIER_MINUTES, valid)
                    )
                else:
                    rows.append(_timetable(school, Period.PM, MON_FRI, pm, pm_later, valid))
        for timetable in rows:
            # clean() would query the school's other rows for overlaps, which cannot happen
            # here (back-to-back seasons, disjoint weekdays): check the fields only.
            timetable.clean_fields(exclude=FOREIGN_KEYS)
        return rows


# Foreign keys of the bulk-created rows point at rows made just before; checking each one
# would cost a query per field per row.
FOREIGN_KEYS = ["unit", "school", "station", "user"]


def _check(obj) -> None:
    """The model's own validation, without the queries for uniqueness and foreign keys
    (the database constraints still guard those)."""
    obj.full_clean(exclude=FOREIGN_KEYS, validate_unique=False, validate_constraints=False)


def _time(minutes: int) -> datetime.time:
    return datetime.time(minutes // 60, minutes % 60)


def _timetable(school, period, weekdays, window, shift, valid) -> Timetable:
    return Timetable(
        school=school, period=period, weekdays=weekdays,
        start=_time(window[0] + shift), end=_time(window[1] + shift),
        valid_from=valid[0], valid_to=valid[1],
    )


def build_demo(*, password: str, seed: int = DEFAULT_SEED, stdout: TextIO | None = None) -> dict:
    """Create the demo district and the demo accounts (all with `password`); return counts.

    Raises ValidationError if the password fails the password rules. The caller decides
    whether the demo may be loaded (see `demo_present`)."""
    validate_password(password)
    builder = _Builder(rng=random.Random(seed))
    builder.used_names.update(full_name for *_, full_name in DEMO_USERS)
    history = {"default_change_reason": HISTORY_REASON}

    with transaction.atomic():
        _say(stdout, "Units…")
        units = builder.units()

        _say(stdout, "Schools and posts…")
        schools, contacts = builder.schools(units)
        schools = bulk_create_with_history(schools, School, **history)
        posts = bulk_create_with_history(builder.posts(schools), Post, **history)

        _say(stdout, "People…")
        people = bulk_create_with_history(builder.people(units, schools, contacts), Person, **history)

        _say(stdout, "Timetables, term and calendar…")
        timetables = bulk_create_with_history(builder.timetables(schools), Timetable, **history)
        term = Term(name=TERM_NAME, start=TERM_START, end=TERM_END)
        term.full_clean()
        term.save()
        by_name = {school.name: school for school in schools}
        for school_name, date, is_school_day, reason, follows in CALENDAR_OVERRIDES:
            override = CalendarOverride(
                school=by_name[school_name] if school_name else None, date=date,
                is_school_day=is_school_day, reason=reason, follows_weekday=follows,
            )
            override.full_clean()
            override.save()

        _say(stdout, "Demo accounts…")
        officer_person = next(
            p for p in people
            if p.name == OFFICER_NAME and p.kind == PersonKind.POLICE
            and p.unit.name == OFFICER_STATION
        )
        for username, role, unit_name, full_name in DEMO_USERS:
            user = user_create(
                username=username, password=password, role=role, unit=units[unit_name],
                full_name=full_name,
                person=officer_person if role == Role.OFFICER else None,
            )
            if second_factor_required(user):
                otp_enrol_with_key(user=user, key=key_from_secret(DEMO_OTP_SECRET))

        context = DemoContext(today=timezone.localdate(), term_end=TERM_END, seed=seed, stdout=stdout)
        apps_counts = {}
        for entry, hook in registry.demo_hooks():
            _say(stdout, f"Demo data of {entry.label}…")
            apps_counts[entry.label] = hook(context)

    people_by_kind = {kind.value: 0 for kind in PersonKind}
    for person in people:
        people_by_kind[person.kind] += 1
    return {
        "units": len(units),
        "schools": len(schools),
        "posts": len(posts),
        "people": len(people),
        "people_by_kind": people_by_kind,
        "guards_hired_this_term": sum(
            1 for p in people
            if p.kind == PersonKind.GUARD and p.hire_date and NEW_HIRE_FROM <= p.hire_date <= NEW_HIRE_TO
        ),
        "guards_dismissed": sum(1 for p in people if not p.active),
        "timetables": len(timetables),
        "terms": 1,
        "calendar_overrides": len(CALENDAR_OVERRIDES),
        "users": len(DEMO_USERS),
        # What each app's demo hook added, by app label: {"duty": {"past_shifts": …, …}}.
        "apps": apps_counts,
    }


def reset_demo(stdout: TextIO | None = None) -> dict[str, int]:
    """Delete every unit, person, school, post, timetable, term and calendar override, every
    user account, and their history, after each installed app's demo reset (core/registry.py)
    has deleted that app's rows. Rows of other apps that point at them with PROTECT make this
    fail (and roll back) instead of deleting more than it says."""
    models = (CalendarOverride, Term, Timetable, Post, Person, School, User, Unit)
    deleted: dict[str, int] = {}
    with transaction.atomic():
        for reset in registry.demo_reset_hooks():
            reset()
        for model in models:
            _say(stdout, f"Deleting {model.__name__} rows…")
            if model is Unit:
                # Units protect their children: delete from the leaves up.
                count = 0
                while Unit.objects.exists():
                    leaves = Unit.objects.filter(children__isnull=True)
                    count += leaves.delete()[1].get(Unit._meta.label, 0)
                deleted[model._meta.label] = count
            else:
                deleted[model._meta.label] = model.objects.all().delete()[1].get(model._meta.label, 0)
        for model in models:
            history = getattr(model, "history", None)
            if history is not None:
                history.model.objects.all().delete()
    return deleted
