"""Supervision (督察): unannounced spot checks of posts and the numbered bulletins compiled from
what they find. "四不两直": no notice, no greeting, no reporting, no escort; straight to the
post, straight to the scene."""

from __future__ import annotations

import datetime
import random
from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from duty.models import (
    Assignment,
    Bulletin,
    BulletinCounter,
    CheckIn,
    Finding,
    FindingIssue,
    Shift,
    ShiftStatus,
    SpotCheck,
)
from duty.selectors import Scope, attendance_by_station, findings_by_station
from duty.services.attendance import check_in_lead
from org.models import Person, Unit, User
from org.scope import in_scope, require_in_scope
from posts.models import Post

# Findings that say "not there" although the attendance record may say otherwise.
ABSENCE_ISSUES = {FindingIssue.ABSENT, FindingIssue.LEFT_POST, FindingIssue.WITHDREW_EARLY}


def shift_running_at(*, post: Post, at: datetime.datetime) -> Shift | None:
    """The post's scheduled shift that a check at `at` is a check of, or None: the one whose
    check-in window (open `check_in_lead()` before the start, the attendance rule) through
    its end contains `at`. Once check-in is open people check in at the post, so a check
    then can contradict a check-in. Should a running shift and the next one's open
    check-in overlap, the running one."""
    return (
        Shift.objects.filter(post=post, starts_at__lte=at + check_in_lead(), ends_at__gte=at,
                             status=ShiftStatus.SCHEDULED)
        .order_by("starts_at").first()
    )


@transaction.atomic
def spot_check_create(
    *, post: Post, method: str, checked_at: datetime.datetime, supervisor: User, note: str = "",
    findings: list[dict] | None = None, shift: Shift | None = None,
) -> SpotCheck:
    """Record a check and its findings (each {person, issue, note, photo}) at once. The shift
    defaults to the one the check is of (shift_running_at: its check-in open or it running
    at `checked_at`); a finding's person must be on it."""
    require_in_scope(supervisor, post.station_id, field="post", message=_("This post is not in your scope."))
    if checked_at > timezone.now() + datetime.timedelta(minutes=5):
        raise ValidationError({"checked_at": _("A check cannot be in the future.")})
    if shift is None:
        shift = shift_running_at(post=post, at=checked_at)
    elif shift.post_id != post.pk:
        raise ValidationError({"shift": _("This shift is at another post.")})
    check = SpotCheck(post=post, shift=shift, station_id=post.station_id, method=method, checked_at=checked_at,
                      supervisor=supervisor, note=note)
    check.full_clean()
    check.save()
    on_shift = set()
    if shift is not None:
        on_shift = set(Assignment.objects.filter(shift=shift).values_list("person_id", flat=True))
    rows = []
    for index, item in enumerate(findings or []):
        person = item.get("person")
        if isinstance(person, int):
            person = Person.objects.filter(pk=person).first()
        if person is not None and shift is not None and person.pk not in on_shift:
            raise ValidationError({"findings": _("Finding %(n)d: %(name)s is not on this shift.")
                                   % {"n": index + 1, "name": person.name}})
        if item.get("issue") not in FindingIssue.values:
            raise ValidationError({"findings": _("Finding %(n)d: choose what was found.") % {"n": index + 1}})
        finding = Finding(spot_check=check, person=person, issue=item["issue"], note=item.get("note", ""),
                          photo=item.get("photo") or "")
        finding.full_clean(exclude=["spot_check"])
        rows.append(finding)
    for finding in rows:
        finding.save()
    return check


def contradictions(spot_check: SpotCheck) -> list[dict]:
    """Findings that say someone was not there although he had checked in: the finding and
    the check-in evidence, side by side."""
    findings = [f for f in spot_check.findings.select_related("person") if f.issue in ABSENCE_ISSUES and f.person_id]
    if not findings or spot_check.shift_id is None:
        return []
    check_ins = {
        c.assignment.person_id: c
        for c in CheckIn.objects.filter(assignment__shift_id=spot_check.shift_id,
                                        assignment__person_id__in=[f.person_id for f in findings])
        .select_related("assignment")
    }
    result = []
    for finding in findings:
        check_in = check_ins.get(finding.person_id)
        if check_in is None:
            continue
        checked_out = check_in.assignment.checked_out_at
        still_there = checked_out is None or checked_out > spot_check.checked_at
        if check_in.at <= spot_check.checked_at and still_there:
            result.append({"finding": finding, "check_in": check_in})
    return result


SAMPLE_SIZE = 5
SAMPLE_SIZE_MAX = 50


def sample_size(requested: int | None = None) -> int:
    """How many posts a random sample holds: the size asked for, kept between 1 and
    SAMPLE_SIZE_MAX; SAMPLE_SIZE when none is asked for."""
    if requested is None:
        return SAMPLE_SIZE
    return max(1, min(SAMPLE_SIZE_MAX, requested))


def random_sample(*, user: User, size: int | None = None, now: datetime.datetime | None = None,
                  seed=None) -> list[Shift]:
    """An unannounced sample of the posts on duty right now, spread over the stations:
    stations take turns, a random post from each, until the sample is full. `size` goes
    through `sample_size`."""
    size = sample_size(size)
    now = now or timezone.now()
    running = list(
        Shift.objects.visible_to(user)
        .filter(status=ShiftStatus.SCHEDULED, starts_at__lte=now, ends_at__gte=now)
        .select_related("post__school", "station")
    )
    rng = random.Random(seed)
    by_station: dict[int, list[Shift]] = defaultdict(list)
    for shift in running:
        by_station[shift.station_id].append(shift)
    for shifts in by_station.values():
        rng.shuffle(shifts)
    stations = list(by_station)
    rng.shuffle(stations)
    sample: list[Shift] = []
    while len(sample) < size and any(by_station.values()):
        for station_id in stations:
            if by_station[station_id] and len(sample) < size:
                sample.append(by_station[station_id].pop())
    return sample


# --- Bulletins ---------------------------------------------------------------------------


def _ensure_draft(bulletin: Bulletin) -> None:
    if not bulletin.is_editable:
        raise ValidationError({"status": _("An issued bulletin cannot be changed.")})


def _ensure_own_unit(bulletin: Bulletin, user: User) -> None:
    # Bulletins are readable from below *and* above the issuing unit (they are sent down);
    # only someone whose scope holds the issuing unit may change or issue one.
    if not in_scope(user, bulletin.unit_id):
        raise PermissionDenied(_("Only the issuing unit can change or issue this bulletin."))


def bulletin_compile(*, bulletin: Bulletin, user: User) -> dict:
    """The bulletin's figures for its period, by station: attendance rate and findings, and
    the list of findings. What a draft shows; frozen into `content` when issued."""
    scope = Scope(user=user, start=bulletin.period_start, end=bulletin.period_end, unit=bulletin.unit)
    attendance = {row["station_id"]: row for row in attendance_by_station(scope)}
    findings = {row["station_id"]: row for row in findings_by_station(scope)}
    station_ids = sorted(set(attendance) | set(findings))
    names = dict(Unit.objects.filter(pk__in=station_ids).values_list("pk", "name"))
    stations = []
    for station_id in sorted(station_ids, key=lambda pk: names.get(pk, "")):
        a = attendance.get(station_id, {})
        f = findings.get(station_id, {})
        stations.append({
            "station": names.get(station_id, ""),
            "assigned": a.get("assigned", 0), "on_time": a.get("on_time", 0), "late": a.get("late", 0),
            "absent": a.get("absent", 0), "left_early": a.get("left_early", 0), "rate": a.get("rate"),
            "spot_checks": f.get("spot_checks", 0), "findings": f.get("findings", 0),
            # Nested: the issue "absent" would otherwise overwrite the attendance "absent".
            "findings_by_issue": {issue: f.get(issue, 0) for issue in FindingIssue.values},
        })
    items = []
    for finding in (
        Finding.objects.filter(spot_check__in=scope.spot_checks())
        .select_related("person", "spot_check__post__school", "spot_check__station")
        .order_by("spot_check__checked_at")
    ):
        check = finding.spot_check
        items.append({
            "station": check.station.name,
            "post": str(check.post),
            "checked_at": timezone.localtime(check.checked_at).strftime("%Y-%m-%d %H:%M"),
            "method": check.get_method_display(),
            "person": finding.person.name if finding.person_id else "",
            "issue": finding.get_issue_display(),
            "note": finding.note,
        })
    return {"stations": stations, "findings": items}


@transaction.atomic
def bulletin_create(*, unit: Unit, title: str, period_start: datetime.date, period_end: datetime.date,
                    user: User, text: str = "") -> Bulletin:
    require_in_scope(user, unit.pk, field="unit", message=_("This unit is not in your scope."))
    bulletin = Bulletin(unit=unit, title=title, period_start=period_start, period_end=period_end, text=text,
                        created_by=user)
    bulletin.full_clean()
    bulletin.save()
    return bulletin


@transaction.atomic
def bulletin_update(*, bulletin: Bulletin, user: User, **fields) -> Bulletin:
    bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    _ensure_own_unit(bulletin, user)
    _ensure_draft(bulletin)
    for name in ("title", "period_start", "period_end", "text"):
        if name in fields:
            setattr(bulletin, name, fields[name])
    bulletin.full_clean()
    bulletin.save()
    return bulletin


@transaction.atomic
def bulletin_issue(*, bulletin: Bulletin, user: User) -> Bulletin:
    """Give the bulletin the next number of the year (第N期) and freeze it. The year's
    counter row is locked while numbering, so two bulletins issued at once get two numbers."""
    bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    _ensure_own_unit(bulletin, user)
    _ensure_draft(bulletin)
    now = timezone.now()
    year = timezone.localtime(now).year
    BulletinCounter.objects.get_or_create(year=year)
    counter = BulletinCounter.objects.select_for_update().get(year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    bulletin.content = bulletin_compile(bulletin=bulletin, user=user)
    bulletin.year = year
    bulletin.number = counter.last_number
    bulletin.status = Bulletin.Status.ISSUED
    bulletin.issued_at = now
    bulletin.issued_by = user
    bulletin.save()
    return bulletin


def bulletin_content(*, bulletin: Bulletin, user: User) -> dict:
    """What to show: the frozen content of an issued bulletin, the live figures of a draft."""
    if not bulletin.is_editable:
        return bulletin.content
    return bulletin_compile(bulletin=bulletin, user=user)
