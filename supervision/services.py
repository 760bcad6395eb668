"""Supervision (督察): unannounced spot checks of posts and the numbered bulletins compiled from
what they find. "四不两直": no notice, no greeting, no reporting, no escort; straight to the
post, straight to the scene.

Every write and rule of supervision is here; the reads (which shift a check is of, what
contradicts a check-in, a bulletin's figures) are supervision.selectors."""

from __future__ import annotations

import datetime
import random
from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from duty.models import Assignment, Shift, ShiftStatus
from org.models import Person, Unit, User
from org.scope import in_scope, require_in_scope
from posts.models import Post
from supervision.models import Bulletin, BulletinCounter, Finding, FindingIssue, SpotCheck
from supervision.selectors import bulletin_compile, shift_running_at


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
