"""Supervision (督察) through its services: spot checks and their findings, the contradictions
between a finding and the check-in evidence, the unannounced random sample, the numbered
bulletins, and the duty figures the report and the bulletins count (duty.figures).

The clock is frozen on Monday 7 September 2026 during or after the morning shift
(07:25-08:10, Asia/Shanghai). Messages are checked in English (the msgids)."""

import datetime
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from duty.figures import (
    Scope,
    attendance_by_person,
    attendance_by_post,
    attendance_by_station,
    attendance_total,
    bulletins_issued,
    duty_summary,
    person_times,
)
from duty.models import (
    Assignment,
    Bulletin,
    BulletinCounter,
    CheckInMethod,
    Finding,
    FindingIssue,
    KitItem,
    SpotCheck,
    SpotCheckMethod,
)
from duty.services.attendance import (
    assignment_check_in,
    assignment_check_out,
    assignment_excuse,
    close_ended_shifts,
)
from duty.services.supervision import (
    bulletin_content,
    bulletin_create,
    bulletin_issue,
    bulletin_update,
    contradictions,
    random_sample,
    spot_check_create,
)
from org.models import PersonKind, Unit, UnitKind
from posts.models import Post
from tests.factories import PersonFactory, PostFactory, SchoolFactory, ShiftFactory

TZ = ZoneInfo("Asia/Shanghai")
D = datetime.date
MINUTE = datetime.timedelta(minutes=1)
START = datetime.datetime(2026, 9, 7, 7, 25, tzinfo=TZ)
END = datetime.datetime(2026, 9, 7, 8, 10, tzinfo=TZ)
ALL_KIT = list(KitItem.values)


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=TZ)


def put_on(shift, person) -> Assignment:
    return Assignment.objects.create(shift=shift, person=person, station=shift.station, starts_at=shift.starts_at,
                                     ends_at=shift.ends_at)


def radio_in(assignment, user, **extra):
    extra.setdefault("equipment", ALL_KIT)
    return assignment_check_in(assignment=assignment, user=user, method=CheckInMethod.RADIO, **extra)[0]


def refusal(call) -> tuple[str, str]:
    with pytest.raises(ValidationError) as excinfo:
        call()
    ((field, (message, *_)),) = excinfo.value.message_dict.items()
    return field, message


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def clock(time_machine):
    def move(moment):
        time_machine.move_to(moment, tick=False)
    move(START - 10 * MINUTE)
    return move


# --- spot checks -----------------------------------------------------------------------------


@pytest.fixture
def on_duty(cast, clock):
    """Station A's gate, Monday morning: Oscar in at 07:20; 李同 never in; 王五 in at 07:20
    and out at 07:30; 赵六 in at 07:45 (after the supervisor came by at 07:40)."""
    cast.shift = ShiftFactory(post=cast.post_a, published=True)
    cast.li, cast.wang, cast.zhao = (PersonFactory(name=name, unit=cast.station_a) for name in ("李同", "王五", "赵六"))
    rows = {p.name: put_on(cast.shift, p) for p in (cast.officer_a, cast.li, cast.wang, cast.zhao)}
    clock(at(2026, 9, 7, 7, 20))
    cast.oscar_in = radio_in(rows["张斌"], cast.alice)
    radio_in(rows["王五"], cast.alice)
    clock(at(2026, 9, 7, 7, 30))
    assignment_check_out(assignment=rows["王五"], user=cast.alice)
    clock(at(2026, 9, 7, 7, 45))
    radio_in(rows["赵六"], cast.alice)
    clock(at(2026, 9, 7, 7, 50))
    return cast


def test_a_spot_check_records_its_findings_on_the_shift_running_then(on_duty):
    cast = on_duty
    check = spot_check_create(
        post=cast.post_a, method=SpotCheckMethod.ONSITE, checked_at=at(2026, 9, 7, 7, 40), supervisor=cast.sam,
        note="四不两直", findings=[
            {"person": cast.officer_a, "issue": FindingIssue.ABSENT, "note": "岗位无人"},
            {"person": cast.li.pk, "issue": FindingIssue.KIT_MISSING, "note": "未带肩灯"},
            {"person": None, "issue": FindingIssue.OTHER, "note": "警示牌缺失"},
        ],
    )
    assert (check.shift, check.station, check.supervisor, check.method) == (
        cast.shift, cast.station_a, cast.sam, SpotCheckMethod.ONSITE)
    assert [(f.person, f.issue, f.note) for f in check.findings.all()] == [
        (cast.officer_a, FindingIssue.ABSENT, "岗位无人"),
        (cast.li, FindingIssue.KIT_MISSING, "未带肩灯"),
        (None, FindingIssue.OTHER, "警示牌缺失"),
    ]


def test_a_check_outside_any_shift_has_no_shift(on_duty):
    # 06:50 is 35 minutes before the 07:25 start: check-in has not opened yet.
    check = spot_check_create(post=on_duty.post_a, method=SpotCheckMethod.VIDEO, checked_at=at(2026, 9, 7, 6, 50),
                              supervisor=on_duty.sam)
    assert check.shift is None and not check.findings.exists()


def test_a_check_once_check_in_has_opened_is_a_check_of_that_shift(on_duty, clock):
    # Check-in opens CHECK_IN_OPENS_MINUTES (30) before the 07:25 start, at 06:55.
    clock(at(2026, 9, 7, 9, 0))

    def check_at(*moment):
        return spot_check_create(post=on_duty.post_a, method=SpotCheckMethod.VIDEO, checked_at=at(*moment),
                                 supervisor=on_duty.sam).shift

    assert check_at(2026, 9, 7, 6, 54) is None
    assert check_at(2026, 9, 7, 6, 55) == on_duty.shift
    assert check_at(2026, 9, 7, 7, 10) == on_duty.shift
    assert check_at(2026, 9, 7, 8, 10) == on_duty.shift  # the end included
    assert check_at(2026, 9, 7, 8, 11) is None


def test_the_window_follows_the_check_in_setting(on_duty, settings):
    settings.CHECK_IN_OPENS_MINUTES = 10
    early = spot_check_create(post=on_duty.post_a, method=SpotCheckMethod.VIDEO, checked_at=at(2026, 9, 7, 7, 10),
                              supervisor=on_duty.sam)
    later = spot_check_create(post=on_duty.post_a, method=SpotCheckMethod.VIDEO, checked_at=at(2026, 9, 7, 7, 15),
                              supervisor=on_duty.sam)
    assert early.shift is None and later.shift == on_duty.shift


def test_a_check_before_the_start_catches_someone_checked_in_but_not_there(on_duty):
    # Oscar checked in at 07:20; at 07:22, before the 07:25 start, the supervisor finds the
    # gate empty. The check is of this shift, so the finding and the check-in clash.
    cast = on_duty
    check = spot_check_create(
        post=cast.post_a, method=SpotCheckMethod.ONSITE, checked_at=at(2026, 9, 7, 7, 22), supervisor=cast.sam,
        findings=[{"person": cast.officer_a, "issue": FindingIssue.ABSENT},
                  {"person": cast.li, "issue": FindingIssue.ABSENT}],
    )
    assert check.shift == cast.shift
    (item,) = contradictions(check)
    assert item["finding"].person == cast.officer_a and item["check_in"] == cast.oscar_in


def test_a_check_while_a_shift_runs_is_of_that_shift_even_if_the_next_ones_check_in_is_open(on_duty, clock):
    # A second shift at the gate from 08:20: its check-in opens at 07:50, while the first
    # (until 08:10) still runs. A check at 08:00 is of the running one; at 08:15, of the next.
    cast = on_duty
    following = ShiftFactory(post=cast.post_a, period="pm", starts_at=at(2026, 9, 7, 8, 20),
                             ends_at=at(2026, 9, 7, 9, 0), published=True)
    clock(at(2026, 9, 7, 9, 0))

    def check_at(*moment):
        return spot_check_create(post=cast.post_a, method=SpotCheckMethod.VIDEO, checked_at=at(*moment),
                                 supervisor=cast.sam).shift

    assert check_at(2026, 9, 7, 8, 0) == cast.shift
    assert check_at(2026, 9, 7, 8, 15) == following


def test_contradictions_are_absence_findings_about_someone_checked_in_and_still_there(on_duty):
    cast = on_duty
    check = spot_check_create(
        post=cast.post_a, method=SpotCheckMethod.ONSITE, checked_at=at(2026, 9, 7, 7, 40), supervisor=cast.sam,
        findings=[
            {"person": cast.officer_a, "issue": FindingIssue.ABSENT},  # in since 07:20: contradiction
            {"person": cast.li, "issue": FindingIssue.ABSENT},  # never in: the finding stands
            {"person": cast.wang, "issue": FindingIssue.LEFT_POST},  # out at 07:30: agrees
            {"person": cast.zhao, "issue": FindingIssue.WITHDREW_EARLY},  # in only at 07:45: agrees
            {"person": cast.officer_a, "issue": FindingIssue.KIT_MISSING},  # not about presence
        ],
    )
    (item,) = contradictions(check)
    assert item["finding"].person == cast.officer_a and item["finding"].issue == FindingIssue.ABSENT
    assert item["check_in"] == cast.oscar_in


def test_a_check_without_absence_findings_has_no_contradictions(on_duty):
    check = spot_check_create(post=on_duty.post_a, method=SpotCheckMethod.RADIO, checked_at=at(2026, 9, 7, 7, 40),
                              supervisor=on_duty.sam,
                              findings=[{"person": on_duty.officer_a, "issue": FindingIssue.CONDUCT}])
    assert contradictions(check) == []


def test_a_finding_about_someone_not_on_the_shift_is_refused_and_nothing_is_kept(on_duty):
    cast = on_duty
    stranger = PersonFactory(name="钱七", unit=cast.station_a)
    field, message = refusal(lambda: spot_check_create(
        post=cast.post_a, method=SpotCheckMethod.ONSITE, checked_at=at(2026, 9, 7, 7, 40), supervisor=cast.sam,
        findings=[{"person": cast.li, "issue": FindingIssue.ABSENT},
                  {"person": stranger, "issue": FindingIssue.ABSENT}]))
    assert field == "findings"
    assert "Finding 2" in message and "钱七" in message and "not on this shift" in message
    assert not SpotCheck.objects.exists() and not Finding.objects.exists()


def test_a_finding_needs_an_issue(on_duty):
    field, message = refusal(lambda: spot_check_create(
        post=on_duty.post_a, method=SpotCheckMethod.ONSITE, checked_at=at(2026, 9, 7, 7, 40),
        supervisor=on_duty.sam, findings=[{"person": on_duty.li, "issue": "asleep"}]))
    assert field == "findings" and "Finding 1" in message
    assert not SpotCheck.objects.exists()


def test_a_check_cannot_be_in_the_future(on_duty):
    field, _ = refusal(lambda: spot_check_create(
        post=on_duty.post_a, method=SpotCheckMethod.ONSITE, checked_at=at(2026, 9, 7, 7, 56),
        supervisor=on_duty.sam))
    assert field == "checked_at"
    spot_check_create(post=on_duty.post_a, method=SpotCheckMethod.ONSITE, checked_at=at(2026, 9, 7, 7, 55),
                      supervisor=on_duty.sam)  # five minutes of clock drift are allowed


def test_the_shift_given_must_be_at_the_post(on_duty):
    other = ShiftFactory(post=on_duty.post_b, published=True)
    field, _ = refusal(lambda: spot_check_create(
        post=on_duty.post_a, shift=other, method=SpotCheckMethod.ONSITE, checked_at=at(2026, 9, 7, 7, 40),
        supervisor=on_duty.sam))
    assert field == "shift"


def test_a_post_outside_the_supervisors_bureau_is_refused(on_duty):
    other_bureau = Unit.objects.create(name="河东分局", kind=UnitKind.BUREAU)
    station = Unit.objects.create(name="河东派出所", kind=UnitKind.STATION, parent=other_bureau)
    post = PostFactory(school=SchoolFactory(station=station))
    field, _ = refusal(lambda: spot_check_create(post=post, method=SpotCheckMethod.ONSITE,
                                                 checked_at=at(2026, 9, 7, 7, 40), supervisor=on_duty.sam))
    assert field == "post"
    assert not SpotCheck.objects.exists()


# --- the random sample -----------------------------------------------------------------------


@pytest.fixture
def three_stations(cast, clock):
    """Stations A, B and a new C, each with three posts whose morning shifts are running at
    07:40, plus an afternoon shift at A and a morning shift at B that ended at 07:30."""
    station_c = Unit.objects.create(name="河西派出所", kind=UnitKind.STATION, parent=cast.bureau)
    cast.running = {}
    for station in (cast.station_a, cast.station_b, station_c):
        school = SchoolFactory(station=station)
        posts = [PostFactory(school=school, name=f"{n}号岗") for n in range(3)]
        cast.running[station.pk] = {ShiftFactory(post=post, published=True).pk for post in posts}
    ShiftFactory(post=cast.post_a, period="pm", starts_at=at(2026, 9, 7, 16, 15), ends_at=at(2026, 9, 7, 17, 0),
                 published=True)
    ShiftFactory(post=cast.post_b, starts_at=at(2026, 9, 7, 7, 0), ends_at=at(2026, 9, 7, 7, 30), published=True)
    cast.station_c = station_c
    clock(at(2026, 9, 7, 7, 40))
    return cast


def test_the_sample_spreads_over_the_stations(three_stations):
    cast = three_stations
    station_of = {pk: station for station, pks in cast.running.items() for pk in pks}
    samples = set()
    for seed in range(20):
        sample = random_sample(user=cast.sam, size=3, seed=seed)
        assert len(sample) == 3
        assert Counter(station_of[s.pk] for s in sample) == {pk: 1 for pk in cast.running}, seed
        samples.add(frozenset(s.pk for s in sample))
    assert len(samples) > 1  # random: not the same three posts every time


def test_a_larger_sample_takes_turns_and_never_repeats(three_stations):
    cast = three_stations
    station_of = {pk: station for station, pks in cast.running.items() for pk in pks}
    sample = random_sample(user=cast.sam, size=7, seed=1)
    assert len({s.pk for s in sample}) == 7
    assert sorted(Counter(station_of[s.pk] for s in sample).values()) == [2, 2, 3]


def test_the_sample_holds_only_shifts_running_now_and_in_scope(three_stations):
    cast = three_stations
    everything = random_sample(user=cast.sam, size=50, seed=2)
    assert {s.pk for s in everything} == set().union(*cast.running.values())
    bobs = random_sample(user=cast.bob, size=50, seed=2)
    assert {s.pk for s in bobs} == cast.running[cast.station_b.pk]


# --- bulletins -------------------------------------------------------------------------------


def draft(cast, title="督察通报", unit=None, start=D(2026, 9, 1), end=D(2026, 9, 30)) -> Bulletin:
    return bulletin_create(unit=unit or cast.bureau, title=title, period_start=start, period_end=end, user=cast.sam)


def test_bulletins_are_numbered_in_the_order_they_are_issued_and_afresh_each_year(cast, clock):
    clock(at(2026, 10, 8, 10, 0))
    first, second, third = (draft(cast, title=t) for t in ("九月通报", "专项通报", "国庆通报"))
    assert (first.number, first.year, first.status) == (None, None, Bulletin.Status.DRAFT)
    numbered = [bulletin_issue(bulletin=b, user=cast.sam) for b in (second, first, third)]
    assert [(b.title, b.year, b.number) for b in numbered] == [
        ("专项通报", 2026, 1), ("九月通报", 2026, 2), ("国庆通报", 2026, 3)]
    assert all(b.status == Bulletin.Status.ISSUED and b.issued_by == cast.sam for b in numbered)
    assert numbered[0].issued_at == at(2026, 10, 8, 10, 0)

    clock(at(2027, 1, 4, 9, 0))
    new_year = bulletin_issue(bulletin=draft(cast, title="元月通报"), user=cast.sam)
    assert (new_year.year, new_year.number) == (2027, 1)
    assert dict(BulletinCounter.objects.values_list("year", "last_number")) == {2026: 3, 2027: 1}


def test_the_year_is_the_local_year_of_issue(cast, clock):
    clock(at(2027, 1, 1, 0, 30))  # still 31 December 2026 in UTC
    issued = bulletin_issue(bulletin=draft(cast), user=cast.sam)
    assert (issued.year, issued.number) == (2027, 1)


def test_a_draft_can_be_edited(cast, clock):
    bulletin = draft(cast)
    edited = bulletin_update(bulletin=bulletin, user=cast.sam, title="九月督察通报", text="正文")
    assert (edited.title, edited.text) == ("九月督察通报", "正文")
    field, _ = refusal(lambda: bulletin_update(bulletin=bulletin, user=cast.sam, period_end=D(2026, 8, 1)))
    assert field == "period_end"


def test_an_issued_bulletin_refuses_every_change_and_a_second_number(cast, clock):
    bulletin = bulletin_issue(bulletin=draft(cast), user=cast.sam)
    field, message = refusal(lambda: bulletin_update(bulletin=bulletin, user=cast.sam, title="改过的标题"))
    assert field == "status" and "cannot be changed" in message
    field, _ = refusal(lambda: bulletin_issue(bulletin=bulletin, user=cast.sam))
    assert field == "status"
    bulletin.refresh_from_db()
    assert (bulletin.title, bulletin.number) == ("督察通报", 1)
    assert BulletinCounter.objects.get(year=2026).last_number == 1


def test_a_bulletin_for_a_unit_outside_the_scope_is_refused(cast, clock):
    field, _ = refusal(lambda: bulletin_create(unit=cast.station_a, title="越权", period_start=D(2026, 9, 1),
                                               period_end=D(2026, 9, 30), user=cast.bob))
    assert field == "unit"
    field, _ = refusal(lambda: draft(cast, start=D(2026, 9, 30), end=D(2026, 9, 1)))
    assert field == "period_end"
    assert not Bulletin.objects.exists()


def test_issuing_freezes_the_figures_a_draft_keeps_following(on_duty, clock):
    cast = on_duty
    spot_check_create(post=cast.post_a, method=SpotCheckMethod.ONSITE, checked_at=at(2026, 9, 7, 7, 40),
                      supervisor=cast.sam, findings=[{"person": cast.zhao, "issue": FindingIssue.KIT_MISSING}])
    clock(END)
    close_ended_shifts()
    issued = bulletin_issue(bulletin=draft(cast, title="已下发"), user=cast.sam)
    still_draft = draft(cast, title="草稿")
    frozen = issued.content
    (station,) = frozen["stations"]
    assert station["station"] == "仁里派出所"
    # Attendance: 张斌 on time, 赵六 late, 李同 absent, 王五 left early. The findings (one
    # kit finding, no "absent from the post" finding) do not overwrite the attendance.
    assert (station["assigned"], station["on_time"], station["late"], station["absent"],
            station["left_early"], station["rate"]) == (4, 1, 1, 1, 1, 0.25)
    assert (station["spot_checks"], station["findings"]) == (1, 1)
    assert station["findings_by_issue"] == {**{issue: 0 for issue in FindingIssue.values}, "kit_missing": 1}
    assert [(f["person"], f["issue"]) for f in frozen["findings"]] == [("赵六", "Kit incomplete")]

    clock(END + 10 * MINUTE)
    spot_check_create(post=cast.post_a, method=SpotCheckMethod.VIDEO, checked_at=END + 5 * MINUTE,
                      supervisor=cast.sam, findings=[{"person": None, "issue": FindingIssue.OTHER}])
    issued.refresh_from_db()
    assert bulletin_content(bulletin=issued, user=cast.sam) == frozen
    assert len(bulletin_content(bulletin=still_draft, user=cast.sam)["findings"]) == 2


# --- the figures -----------------------------------------------------------------------------


@pytest.fixture
def monday(cast, clock):
    """Monday 7 September 2026, seen at 12:00.

    Station A's gate: 张斌 (police) on time, 辅警甲 (auxiliary) late, 志愿者 (volunteer) on time,
    缺岗警 (police) never in, 请假警 (police) excused. Station A's side gate: 早退警 (police) left
    early. Station B's gate: 乙警 (police) on time. A noon shift at A's gate (11:30-12:30) is
    still running: 在岗警 (police) is in, 未到警 (police) not yet."""
    side = Post.objects.create(school=cast.school_a, name="侧门护学岗", station=cast.station_a)
    gate_a, side_a, gate_b = (ShiftFactory(post=post, published=True) for post in (cast.post_a, side, cast.post_b))
    noon = ShiftFactory(post=cast.post_a, period="pm", starts_at=at(2026, 9, 7, 11, 30),
                        ends_at=at(2026, 9, 7, 12, 30), published=True)
    people = {}

    def person(name, kind=PersonKind.POLICE, unit=cast.station_a):
        people[name] = PersonFactory(name=name, kind=kind, unit=unit)
        return people[name]

    rows = {
        "张斌": put_on(gate_a, cast.officer_a),
        "辅警甲": put_on(gate_a, person("辅警甲", PersonKind.AUXILIARY)),
        "志愿者": put_on(gate_a, person("志愿者", PersonKind.VOLUNTEER)),
        "缺岗警": put_on(gate_a, person("缺岗警")),
        "请假警": put_on(gate_a, person("请假警")),
        "早退警": put_on(side_a, person("早退警")),
        "乙警": put_on(gate_b, person("乙警", unit=cast.station_b)),
        "在岗警": put_on(noon, person("在岗警")),
        "未到警": put_on(noon, person("未到警")),
    }
    clock(START)
    for name in ("张斌", "志愿者", "早退警"):
        radio_in(rows[name], cast.alice)
    radio_in(rows["乙警"], cast.bob)
    clock(START + 6 * MINUTE)
    radio_in(rows["辅警甲"], cast.alice)
    clock(START + 30 * MINUTE)
    assignment_check_out(assignment=rows["早退警"], user=cast.alice)
    assignment_excuse(assignment=rows["请假警"], user=cast.alice, reason="抽调处置警情")
    clock(at(2026, 9, 7, 11, 35))
    radio_in(rows["在岗警"], cast.alice)
    clock(at(2026, 9, 7, 12, 0))
    close_ended_shifts()
    cast.side_a = side
    return cast


def whole_bureau(cast, **extra) -> Scope:
    return Scope(user=cast.henry, start=D(2026, 9, 7), end=D(2026, 9, 7), **extra)


def test_person_times_count_police_and_auxiliaries_who_checked_in(monday):
    # 张斌, 辅警甲, 早退警, 乙警, 在岗警: not the volunteer, not those never in or excused.
    assert person_times(whole_bureau(monday)) == 5
    assert person_times(whole_bureau(monday, unit=monday.station_b)) == 1
    assert person_times(Scope(user=monday.henry, start=D(2026, 9, 8), end=D(2026, 9, 30))) == 0


def test_the_attendance_rate_is_on_time_over_assigned_without_excused_or_unfinished_shifts(monday):
    # Decided: 张斌, 志愿者, 乙警 on time; 辅警甲 late; 缺岗警 absent; 早退警 left early.
    assert attendance_total(whole_bureau(monday)) == {"assigned": 6, "on_time": 3, "rate": 0.5}


def test_attendance_by_station(monday):
    rows = attendance_by_station(whole_bureau(monday))
    assert [(r["station__name"], r["assigned"], r["on_time"], r["late"], r["absent"], r["left_early"], r["rate"])
            for r in rows] == [
        ("仁里派出所", 5, 2, 1, 1, 1, 0.4),
        ("凯旋路派出所", 1, 1, 0, 0, 0, 1.0),
    ]


def test_attendance_by_post(monday):
    rows = attendance_by_post(whole_bureau(monday))
    by_post = {r["shift__post_id"]: (r["assigned"], r["on_time"], r["rate"]) for r in rows}
    assert by_post == {monday.post_a.pk: (4, 2, 0.5), monday.side_a.pk: (1, 0, 0.0), monday.post_b.pk: (1, 1, 1.0)}


def test_attendance_by_person(monday):
    rows = attendance_by_person(whole_bureau(monday))
    by_person = {r["person__name"]: (r["person__kind"], r["assigned"], r["on_time"], r["rate"]) for r in rows}
    assert by_person == {
        "张斌": ("police", 1, 1, 1.0),
        "辅警甲": ("auxiliary", 1, 0, 0.0),
        "志愿者": ("volunteer", 1, 1, 1.0),
        "缺岗警": ("police", 1, 0, 0.0),
        "早退警": ("police", 1, 0, 0.0),
        "乙警": ("police", 1, 1, 1.0),
    }


def test_each_user_counts_only_his_scope(monday):
    alices = Scope(user=monday.alice, start=D(2026, 9, 7), end=D(2026, 9, 7))
    bobs = Scope(user=monday.bob, start=D(2026, 9, 7), end=D(2026, 9, 7))
    assert attendance_total(alices) == {"assigned": 5, "on_time": 2, "rate": 0.4}
    assert person_times(alices) == 4
    assert attendance_total(bobs) == {"assigned": 1, "on_time": 1, "rate": 1.0}
    assert [r["station__name"] for r in attendance_by_station(bobs)] == ["凯旋路派出所"]


def test_no_decided_shift_means_no_rate(cast, clock):
    assert attendance_total(whole_bureau(cast)) == {"assigned": 0, "on_time": 0, "rate": None}


def test_the_summary_counts_findings_and_bulletins_issued(monday, clock):
    cast = monday
    spot_check_create(post=cast.post_a, method=SpotCheckMethod.ONSITE, checked_at=at(2026, 9, 7, 7, 40),
                      supervisor=cast.sam, findings=[
                          {"person": cast.officer_a, "issue": FindingIssue.KIT_MISSING},
                          {"person": None, "issue": FindingIssue.OTHER}])
    spot_check_create(post=cast.post_b, method=SpotCheckMethod.VIDEO, checked_at=at(2026, 9, 7, 7, 50),
                      supervisor=cast.sam)
    bulletin_issue(bulletin=draft(cast), user=cast.sam)
    draft(cast, title="未下发")
    summary = duty_summary(whole_bureau(cast))
    assert summary["person_times"] == 5
    assert summary["attendance"] == {"assigned": 6, "on_time": 3, "rate": 0.5}
    assert summary["spot_checks"] == 2
    assert summary["bulletins"] == 1 == bulletins_issued(whole_bureau(cast))
    assert summary["findings_by_kind"] == {**{issue: 0 for issue in FindingIssue.values},
                                           "kit_missing": 1, "other": 1}
    assert [(r["station__name"], r["spot_checks"], r["findings"]) for r in summary["findings_by_station"]] == [
        ("仁里派出所", 1, 2), ("凯旋路派出所", 1, 0)]
