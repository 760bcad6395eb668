"""The duty figures the reports count (reports.selectors, reading duty.selectors): person-
times deployed, the attendance rate overall and by station, post and person, findings and
bulletins issued, each within the user's scope.

The clock is frozen on Monday 7 September 2026 during or after the morning shift
(07:25-08:10, Asia/Shanghai). Messages are checked in English (the msgids)."""

import datetime

import pytest

from attendance.services import assignment_check_out, assignment_excuse, close_ended_shifts
from org.models import PersonKind
from posts.models import Post
from reports.selectors import (
    Scope,
    attendance_by_person,
    attendance_by_post,
    attendance_by_station,
    attendance_total,
    bulletins_issued,
    duty_summary,
    person_times,
)
from supervision.models import Bulletin, FindingIssue, SpotCheckMethod
from supervision.services import bulletin_create, bulletin_issue, spot_check_create
from tests.factories import PersonFactory, ShiftFactory
from tests.scenes import MINUTE, START, moment, put_on, radio_in

pytestmark = pytest.mark.usefixtures("english")

D = datetime.date


def draft(cast, title="督察通报", unit=None, start=D(2026, 9, 1), end=D(2026, 9, 30)) -> Bulletin:
    return bulletin_create(unit=unit or cast.bureau, title=title, period_start=start, period_end=end, user=cast.sam)


@pytest.fixture
def clock_start():
    """The clock starts ten minutes before the shift, at 07:15."""
    return START - 10 * MINUTE


@pytest.fixture
def monday(cast, clock):
    """Monday 7 September 2026, seen at 12:00.

    Station A's gate: 张斌 (police) on time, 辅警甲 (auxiliary) late, 志愿者 (volunteer) on time,
    缺岗警 (police) never in, 请假警 (police) excused. Station A's side gate: 早退警 (police) left
    early. Station B's gate: 乙警 (police) on time. A noon shift at A's gate (11:30-12:30) is
    still running: 在岗警 (police) is in, 未到警 (police) not yet."""
    side = Post.objects.create(school=cast.school_a, name="侧门护学岗", station=cast.station_a)
    gate_a, side_a, gate_b = (ShiftFactory(post=post, published=True) for post in (cast.post_a, side, cast.post_b))
    noon = ShiftFactory(post=cast.post_a, period="pm", starts_at=moment(2026, 9, 7, 11, 30),
                        ends_at=moment(2026, 9, 7, 12, 30), published=True)
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
    clock(moment(2026, 9, 7, 11, 35))
    radio_in(rows["在岗警"], cast.alice)
    clock(moment(2026, 9, 7, 12, 0))
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
    spot_check_create(post=cast.post_a, method=SpotCheckMethod.ONSITE, checked_at=moment(2026, 9, 7, 7, 40),
                      supervisor=cast.sam, findings=[
                          {"person": cast.officer_a, "issue": FindingIssue.KIT_MISSING},
                          {"person": None, "issue": FindingIssue.OTHER}])
    spot_check_create(post=cast.post_b, method=SpotCheckMethod.VIDEO, checked_at=moment(2026, 9, 7, 7, 50),
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
