"""Supervision (督察) through its services: spot checks and their findings, the contradictions
between a finding and the check-in evidence, the unannounced random sample, the numbered
bulletins (the figures, reports.selectors, are tests/reports/test_selectors.py).

The clock is frozen on Monday 7 September 2026 during or after the morning shift
(07:25-08:10, Asia/Shanghai). Messages are checked in English (the msgids)."""

import datetime
from collections import Counter

import pytest

from attendance.services import (
    assignment_check_out,
    close_ended_shifts,
)
from org.models import Unit, UnitKind
from supervision.models import Bulletin, BulletinCounter, Finding, FindingIssue, SpotCheck, SpotCheckMethod
from supervision.selectors import bulletin_content, contradictions
from supervision.services import bulletin_create, bulletin_issue, bulletin_update, random_sample, spot_check_create
from tests.factories import PersonFactory, PostFactory, SchoolFactory, ShiftFactory
from tests.scenes import END, MINUTE, START, moment, put_on, radio_in, refusal

pytestmark = pytest.mark.usefixtures("english")

D = datetime.date


@pytest.fixture
def clock_start():
    """The clock starts ten minutes before the shift, at 07:15."""
    return START - 10 * MINUTE


# --- spot checks -----------------------------------------------------------------------------


@pytest.fixture
def on_duty(cast, clock):
    """Station A's gate, Monday morning: Oscar in at 07:20; 李同 never in; 王五 in at 07:20
    and out at 07:30; 赵六 in at 07:45 (after the supervisor came by at 07:40)."""
    cast.shift = ShiftFactory(post=cast.post_a, published=True)
    cast.li, cast.wang, cast.zhao = (PersonFactory(name=name, unit=cast.station_a) for name in ("李同", "王五", "赵六"))
    rows = {p.name: put_on(cast.shift, p) for p in (cast.officer_a, cast.li, cast.wang, cast.zhao)}
    clock(moment(2026, 9, 7, 7, 20))
    cast.oscar_in = radio_in(rows["张斌"], cast.alice)
    radio_in(rows["王五"], cast.alice)
    clock(moment(2026, 9, 7, 7, 30))
    assignment_check_out(assignment=rows["王五"], user=cast.alice)
    clock(moment(2026, 9, 7, 7, 45))
    radio_in(rows["赵六"], cast.alice)
    clock(moment(2026, 9, 7, 7, 50))
    return cast


def test_a_spot_check_records_its_findings_on_the_shift_running_then(on_duty):
    cast = on_duty
    check = spot_check_create(
        post=cast.post_a, method=SpotCheckMethod.ONSITE, checked_at=moment(2026, 9, 7, 7, 40), supervisor=cast.sam,
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
    check = spot_check_create(post=on_duty.post_a, method=SpotCheckMethod.VIDEO, checked_at=moment(2026, 9, 7, 6, 50),
                              supervisor=on_duty.sam)
    assert check.shift is None and not check.findings.exists()


def test_a_check_once_check_in_has_opened_is_a_check_of_that_shift(on_duty, clock):
    # Check-in opens CHECK_IN_OPENS_MINUTES (30) before the 07:25 start, at 06:55.
    clock(moment(2026, 9, 7, 9, 0))

    def check_at(*when):
        return spot_check_create(post=on_duty.post_a, method=SpotCheckMethod.VIDEO, checked_at=moment(*when),
                                 supervisor=on_duty.sam).shift

    assert check_at(2026, 9, 7, 6, 54) is None
    assert check_at(2026, 9, 7, 6, 55) == on_duty.shift
    assert check_at(2026, 9, 7, 7, 10) == on_duty.shift
    assert check_at(2026, 9, 7, 8, 10) == on_duty.shift  # the end included
    assert check_at(2026, 9, 7, 8, 11) is None


def test_the_window_follows_the_check_in_setting(on_duty, settings):
    settings.CHECK_IN_OPENS_MINUTES = 10
    early = spot_check_create(post=on_duty.post_a, method=SpotCheckMethod.VIDEO, checked_at=moment(2026, 9, 7, 7, 10),
                              supervisor=on_duty.sam)
    later = spot_check_create(post=on_duty.post_a, method=SpotCheckMethod.VIDEO, checked_at=moment(2026, 9, 7, 7, 15),
                              supervisor=on_duty.sam)
    assert early.shift is None and later.shift == on_duty.shift


def test_a_check_before_the_start_catches_someone_checked_in_but_not_there(on_duty):
    # Oscar checked in at 07:20; at 07:22, before the 07:25 start, the supervisor finds the
    # gate empty. The check is of this shift, so the finding and the check-in clash.
    cast = on_duty
    check = spot_check_create(
        post=cast.post_a, method=SpotCheckMethod.ONSITE, checked_at=moment(2026, 9, 7, 7, 22), supervisor=cast.sam,
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
    following = ShiftFactory(post=cast.post_a, period="pm", starts_at=moment(2026, 9, 7, 8, 20),
                             ends_at=moment(2026, 9, 7, 9, 0), published=True)
    clock(moment(2026, 9, 7, 9, 0))

    def check_at(*when):
        return spot_check_create(post=cast.post_a, method=SpotCheckMethod.VIDEO, checked_at=moment(*when),
                                 supervisor=cast.sam).shift

    assert check_at(2026, 9, 7, 8, 0) == cast.shift
    assert check_at(2026, 9, 7, 8, 15) == following


def test_contradictions_are_absence_findings_about_someone_checked_in_and_still_there(on_duty):
    cast = on_duty
    check = spot_check_create(
        post=cast.post_a, method=SpotCheckMethod.ONSITE, checked_at=moment(2026, 9, 7, 7, 40), supervisor=cast.sam,
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
    check = spot_check_create(post=on_duty.post_a, method=SpotCheckMethod.RADIO, checked_at=moment(2026, 9, 7, 7, 40),
                              supervisor=on_duty.sam,
                              findings=[{"person": on_duty.officer_a, "issue": FindingIssue.CONDUCT}])
    assert contradictions(check) == []


def test_a_finding_about_someone_not_on_the_shift_is_refused_and_nothing_is_kept(on_duty):
    cast = on_duty
    stranger = PersonFactory(name="钱七", unit=cast.station_a)
    field, message = refusal(lambda: spot_check_create(
        post=cast.post_a, method=SpotCheckMethod.ONSITE, checked_at=moment(2026, 9, 7, 7, 40), supervisor=cast.sam,
        findings=[{"person": cast.li, "issue": FindingIssue.ABSENT},
                  {"person": stranger, "issue": FindingIssue.ABSENT}]))
    assert field == "findings"
    assert "Finding 2" in message and "钱七" in message and "not on this shift" in message
    assert not SpotCheck.objects.exists() and not Finding.objects.exists()


def test_a_finding_needs_an_issue(on_duty):
    field, message = refusal(lambda: spot_check_create(
        post=on_duty.post_a, method=SpotCheckMethod.ONSITE, checked_at=moment(2026, 9, 7, 7, 40),
        supervisor=on_duty.sam, findings=[{"person": on_duty.li, "issue": "asleep"}]))
    assert field == "findings" and "Finding 1" in message
    assert not SpotCheck.objects.exists()


def test_a_check_cannot_be_in_the_future(on_duty):
    field, _ = refusal(lambda: spot_check_create(
        post=on_duty.post_a, method=SpotCheckMethod.ONSITE, checked_at=moment(2026, 9, 7, 7, 56),
        supervisor=on_duty.sam))
    assert field == "checked_at"
    spot_check_create(post=on_duty.post_a, method=SpotCheckMethod.ONSITE, checked_at=moment(2026, 9, 7, 7, 55),
                      supervisor=on_duty.sam)  # five minutes of clock drift are allowed


def test_the_shift_given_must_be_at_the_post(on_duty):
    other = ShiftFactory(post=on_duty.post_b, published=True)
    field, _ = refusal(lambda: spot_check_create(
        post=on_duty.post_a, shift=other, method=SpotCheckMethod.ONSITE, checked_at=moment(2026, 9, 7, 7, 40),
        supervisor=on_duty.sam))
    assert field == "shift"


def test_a_post_outside_the_supervisors_bureau_is_refused(on_duty):
    other_bureau = Unit.objects.create(name="河东分局", kind=UnitKind.BUREAU)
    station = Unit.objects.create(name="河东派出所", kind=UnitKind.STATION, parent=other_bureau)
    post = PostFactory(school=SchoolFactory(station=station))
    field, _ = refusal(lambda: spot_check_create(post=post, method=SpotCheckMethod.ONSITE,
                                                 checked_at=moment(2026, 9, 7, 7, 40), supervisor=on_duty.sam))
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
    ShiftFactory(post=cast.post_a, period="pm", starts_at=moment(2026, 9, 7, 16, 15), ends_at=moment(2026, 9, 7, 17, 0),
                 published=True)
    ShiftFactory(post=cast.post_b, starts_at=moment(2026, 9, 7, 7, 0), ends_at=moment(2026, 9, 7, 7, 30), published=True)
    cast.station_c = station_c
    clock(moment(2026, 9, 7, 7, 40))
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
    clock(moment(2026, 10, 8, 10, 0))
    first, second, third = (draft(cast, title=t) for t in ("九月通报", "专项通报", "国庆通报"))
    assert (first.number, first.year, first.status) == (None, None, Bulletin.Status.DRAFT)
    numbered = [bulletin_issue(bulletin=b, user=cast.sam) for b in (second, first, third)]
    assert [(b.title, b.year, b.number) for b in numbered] == [
        ("专项通报", 2026, 1), ("九月通报", 2026, 2), ("国庆通报", 2026, 3)]
    assert all(b.status == Bulletin.Status.ISSUED and b.issued_by == cast.sam for b in numbered)
    assert numbered[0].issued_at == moment(2026, 10, 8, 10, 0)

    clock(moment(2027, 1, 4, 9, 0))
    new_year = bulletin_issue(bulletin=draft(cast, title="元月通报"), user=cast.sam)
    assert (new_year.year, new_year.number) == (2027, 1)
    assert dict(BulletinCounter.objects.values_list("year", "last_number")) == {2026: 3, 2027: 1}


def test_the_year_is_the_local_year_of_issue(cast, clock):
    clock(moment(2027, 1, 1, 0, 30))  # still 31 December 2026 in UTC
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
    spot_check_create(post=cast.post_a, method=SpotCheckMethod.ONSITE, checked_at=moment(2026, 9, 7, 7, 40),
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
