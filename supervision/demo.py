"""Demo supervision data on top of the demo district and its past weeks of duty: unannounced
spot checks of past shifts (most find nothing; some an absence, a withdrawal or incomplete
kit; one finds absent someone who had checked in, a contradiction), and two bulletins, the
earlier one issued. Deterministic for a given seed and day."""

from __future__ import annotations

import datetime
import random
from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from core.registry import DemoContext
from duty.models import Assignment, AttendanceStatus, Shift
from org.models import Role, Unit, UnitKind, User
from posts.calendar import week_start
from supervision.models import Bulletin, BulletinCounter, Finding, FindingIssue, SpotCheck, SpotCheckMethod
from supervision.services import bulletin_create, bulletin_issue

# The bulletins cover two weeks each, starting this many weeks before this week (duty's demo
# records the past four weeks).
BULLETIN_WEEKS_BACK = (4, 2)


def _spot_checks(rng: random.Random, now: datetime.datetime, supervisor: User) -> int:
    """Unannounced checks of past shifts; most find nothing, some find an absence or
    incomplete kit; one finds absent someone who had checked in (a contradiction)."""
    shifts = list(Shift.objects.filter(ends_at__lte=now).select_related("post").order_by("starts_at"))
    if not shifts:
        return 0
    picks = rng.sample(shifts, min(36, len(shifts)))
    methods = [SpotCheckMethod.ONSITE, SpotCheckMethod.VIDEO, SpotCheckMethod.RADIO]
    on_shift = defaultdict(list)
    for a in Assignment.objects.filter(shift__in=picks).select_related("person"):
        on_shift[a.shift_id].append(a)
    made = 0
    for index, shift in enumerate(picks):
        checked_at = shift.starts_at + (shift.ends_at - shift.starts_at) / 2
        check = SpotCheck.objects.create(post=shift.post, shift=shift, station_id=shift.station_id,
                                         method=methods[index % 3], checked_at=checked_at, supervisor=supervisor)
        made += 1
        people = on_shift.get(shift.pk, [])
        for a in people:
            if a.attendance == AttendanceStatus.ABSENT:
                Finding.objects.create(spot_check=check, person=a.person, issue=FindingIssue.ABSENT, note="未到岗")
            elif a.attendance == AttendanceStatus.LEFT_EARLY:
                Finding.objects.create(spot_check=check, person=a.person, issue=FindingIssue.WITHDREW_EARLY,
                                       note="提前离岗")
            elif a.checked_in_at and rng.random() < 0.05:
                Finding.objects.create(spot_check=check, person=a.person, issue=FindingIssue.KIT_MISSING,
                                       note="未佩戴执法记录仪")
        if index == 0 and people and people[0].checked_in_at:
            Finding.objects.create(spot_check=check, person=people[0].person, issue=FindingIssue.LEFT_POST,
                                   note="视频巡查时不在岗位")
    return made


def seed(context: DemoContext) -> dict:
    """The spot checks and bulletins of the demo (see the module docstring). Returns counts."""
    rng = random.Random(context.seed)
    today = context.today
    supervisor = User.objects.filter(role=Role.SUPERVISOR).first()
    with transaction.atomic():
        context.say("Spot checks and bulletins…")
        checks = _spot_checks(rng, timezone.now(), supervisor)
        bureau = Unit.objects.get(kind=UnitKind.BUREAU, parent__isnull=True)
        bulletins = 0
        for weeks_back in BULLETIN_WEEKS_BACK:
            start = week_start(today) - datetime.timedelta(weeks=weeks_back)
            end = min(start + datetime.timedelta(days=13), today)
            bulletin = bulletin_create(unit=bureau, user=supervisor, period_start=start, period_end=end,
                                       title=f"{start:%m月%d日}至{end:%m月%d日}高峰护学勤务督察情况",
                                       text="各派出所：现将近期高峰护学勤务督察情况通报如下，请对照整改。")
            if weeks_back == BULLETIN_WEEKS_BACK[0]:
                bulletin_issue(bulletin=bulletin, user=supervisor)
            bulletins += 1
    return {"spot_checks": checks, "bulletins": bulletins}


def reset() -> None:
    """Delete every spot check, finding and bulletin (before duty's shifts can go), in SQL,
    with their history."""
    for model in (Finding, SpotCheck, Bulletin, BulletinCounter):
        model.objects.all()._raw_delete(model.objects.db)
        history = getattr(model, "history", None)
        if history is not None:
            history.model.objects.all()._raw_delete(model.objects.db)
