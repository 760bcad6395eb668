"""Every write and rule of inspections and hazards: the checklist's versions, an inspection
and its answers, its review (submit, approve, return with comments per item, resubmit), the
hazards a submission makes and each transition of a hazard's life, the rectification notices
and their numbering, the guards' shortfall made a hazard, the daily overdue flag, and the
improvements and joint operations.

Each refusal is a ValidationError naming the field and saying why; the pages, the API, the
Celery task and the demo all call these functions."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from duty.services.notifications import notify_users
from inspections.models import (
    AnswerPhoto,
    AnswerResult,
    ChecklistItem,
    ChecklistTemplate,
    Hazard,
    HazardCategory,
    HazardEvent,
    HazardSource,
    HazardStatus,
    Improvement,
    Inspection,
    InspectionAnswer,
    InspectionStatus,
    JointOperation,
    Notice,
    NoticeCounter,
    Review,
    ReviewComment,
    ReviewDecision,
    Severity,
)
from inspections.selectors import guard_staffing_for_school
from org.models import Person, Role, Unit, User
from org.scope import in_scope, require_in_scope, scope_unit_ids
from posts.models import School

MAX_PHOTOS_PER_ANSWER = 4


def hazard_deadline(found_on: datetime.date, severity: str) -> datetime.date:
    """The day a hazard must be put right by: found + HAZARD_DEADLINE_DAYS[severity]."""
    try:
        days = settings.HAZARD_DEADLINE_DAYS[severity]
    except KeyError:
        raise ValidationError({"severity": _("Choose high, medium or low.")}) from None
    return found_on + datetime.timedelta(days=days)


def _school_in_scope(user: User | None, school: School) -> None:
    require_in_scope(user, school.station_id, field="school", message=_("This school is not in your scope."))


# -- the checklist ---------------------------------------------------------------------------


def active_template() -> ChecklistTemplate | None:
    """The checklist new inspections get: the active version (the newest, if several
    checklists are active)."""
    return ChecklistTemplate.objects.filter(active=True).order_by("-created_at", "-pk").first()


@transaction.atomic
def checklist_template_save(*, user: User, name: str, items: list[dict], note: str = "",
                            template: ChecklistTemplate | None = None) -> ChecklistTemplate:
    """Save a checklist's items (each {section, category, text, clause, severity}, in order).
    A new checklist, or a version no inspection has used yet, is changed in place; a version
    already used stays as it is (its inspections keep their questions) and the next version
    is made, active in its place."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Name the checklist.")})
    if not items:
        raise ValidationError({"items": _("A checklist needs at least one item.")})
    for index, item in enumerate(items, start=1):
        if not (item.get("text") or "").strip():
            raise ValidationError({"items": _("Item %(n)d: say what is checked.") % {"n": index}})
        if item.get("category") not in HazardCategory.values:
            raise ValidationError({"items": _("Item %(n)d: choose its category.") % {"n": index}})
        if (item.get("severity") or Severity.MEDIUM) not in Severity.values:
            raise ValidationError({"items": _("Item %(n)d: choose high, medium or low.") % {"n": index}})
    if template is not None:
        template = ChecklistTemplate.objects.select_for_update().get(pk=template.pk)
    if template is not None and not template.inspections.exists():
        template.name, template.note = name, note
        template.full_clean()
        template.save()
        template.items.all().delete()
    else:
        if template is not None:
            previous_versions = ChecklistTemplate.objects.filter(name=template.name)
        else:
            previous_versions = ChecklistTemplate.objects.filter(name=name)
        version = max(previous_versions.values_list("version", flat=True), default=0) + 1
        previous_versions.update(active=False)
        if template is not None and template.name != name:
            ChecklistTemplate.objects.filter(name=name).update(active=False)
            version = max(ChecklistTemplate.objects.filter(name=name).values_list("version", flat=True), default=0) + 1
        template = ChecklistTemplate(name=name, version=version, active=True, note=note, created_by=user)
        template.full_clean()
        template.save()
    ChecklistItem.objects.bulk_create([
        ChecklistItem(template=template, order=index, section=(item.get("section") or "").strip()[:50],
                      category=item["category"], text=item["text"].strip(), clause=(item.get("clause") or "").strip(),
                      severity=item.get("severity") or Severity.MEDIUM)
        for index, item in enumerate(items, start=1)
    ])
    return template


# -- inspections ------------------------------------------------------------------------------


def _ensure_editable(inspection: Inspection) -> None:
    if inspection.status == InspectionStatus.APPROVED:
        raise ValidationError({"status": _("An approved inspection cannot be changed.")})
    if inspection.status == InspectionStatus.SUBMITTED:
        raise ValidationError({"status": _("The inspection is under review: it can be changed once it is returned.")})


def _check_inspectors(user: User | None, inspectors: Iterable[Person]) -> list[Person]:
    people = list(inspectors or [])
    for person in people:
        if not in_scope(user, person.unit_id):
            raise ValidationError({"inspectors": _("%(name)s is not in your scope.") % {"name": person.name}})
    return people


@transaction.atomic
def inspection_create(*, user: User, school: School, date: datetime.date, template: ChecklistTemplate | None = None,
                      inspectors: Iterable[Person] = (), inspector_users: Iterable[User] | None = None,
                      note: str = "") -> Inspection:
    """Start an inspection of a school (a draft) against the active checklist, or the one
    given, with one empty answer per item. The user is an inspector unless others are named."""
    _school_in_scope(user, school)
    template = template or active_template()
    if template is None:
        raise ValidationError({"template": _("There is no active checklist: an administrator must make one.")})
    if date > timezone.localdate():
        raise ValidationError({"date": _("An inspection cannot be in the future.")})
    people = _check_inspectors(user, inspectors)
    inspection = Inspection(school=school, date=date, template=template, note=note, created_by=user)
    inspection.full_clean()
    inspection.save()
    inspection.inspectors.set(people)
    accounts = list(inspector_users) if inspector_users is not None else ([user] if user is not None else [])
    inspection.inspector_users.set(accounts)
    InspectionAnswer.objects.bulk_create(
        [InspectionAnswer(inspection=inspection, item=item) for item in template.items.all()]
    )
    return inspection


@transaction.atomic
def inspection_update(*, inspection: Inspection, user: User, answers: dict | None = None,
                      photos: dict | None = None, **fields) -> Inspection:
    """Change a draft or a returned inspection: its date, school, inspectors, note, and its
    answers ({item id: {result, note, severity}}, only the items given) with photos ({item
    id: [files]}). The checklist version is fixed once started. Refused once submitted (under
    review) or approved (final)."""
    inspection = Inspection.objects.select_for_update(of=("self",)).select_related("school").get(pk=inspection.pk)
    _school_in_scope(user, inspection.school)
    _ensure_editable(inspection)
    unknown = set(fields) - {"date", "school", "inspectors", "inspector_users", "note"}
    if unknown:
        raise ValidationError({name: [_("Unknown field.")] for name in sorted(unknown)})
    if "template" in fields:
        raise ValidationError({"template": _("The checklist of a started inspection cannot change.")})
    if "school" in fields and fields["school"] is not None:
        _school_in_scope(user, fields["school"])
        inspection.school = fields["school"]
    if "date" in fields and fields["date"] is not None:
        if fields["date"] > timezone.localdate():
            raise ValidationError({"date": _("An inspection cannot be in the future.")})
        inspection.date = fields["date"]
    if "note" in fields:
        inspection.note = fields["note"] or ""
    inspection.full_clean()
    inspection.save()
    if "inspectors" in fields:
        inspection.inspectors.set(_check_inspectors(user, fields["inspectors"]))
    if "inspector_users" in fields:
        inspection.inspector_users.set(list(fields["inspector_users"]))
    if answers or photos:
        _save_answers(inspection, answers or {}, photos or {}, user)
    return inspection


def _save_answers(inspection: Inspection, answers: dict, photos: dict, user: User) -> None:
    rows = {a.item_id: a for a in inspection.answers.select_related("item")}
    for item_id, data in answers.items():
        answer = rows.get(int(item_id))
        if answer is None:
            raise ValidationError({"answers": _("Item %(item)s is not on this inspection's checklist.")
                                   % {"item": item_id}})
        result = data.get("result", answer.result) or ""
        if result not in ("", *AnswerResult.values):
            raise ValidationError({"answers": _("%(item)s: choose pass, fail or not applicable.")
                                   % {"item": answer.item.text}})
        severity = data.get("severity", answer.severity) or ""
        if severity not in ("", *Severity.values):
            raise ValidationError({"answers": _("%(item)s: choose high, medium or low.") % {"item": answer.item.text}})
        answer.result, answer.severity = result, severity
        if "note" in data:
            answer.note = (data.get("note") or "").strip()[:500]
        answer.save()
    for item_id, files in photos.items():
        answer = rows.get(int(item_id))
        files = [f for f in (files or []) if f]
        if answer is None or not files:
            continue
        if answer.photos.count() + len(files) > MAX_PHOTOS_PER_ANSWER:
            raise ValidationError({"photos": _("At most %(n)d photos per item.") % {"n": MAX_PHOTOS_PER_ANSWER}})
        for upload in files:
            AnswerPhoto.objects.create(answer=answer, photo=upload, uploaded_by=user)


def answer_errors(inspection: Inspection) -> list[str]:
    """What stops an inspection from being submitted: items not answered, failed items
    without a note saying what is wrong."""
    errors = []
    for answer in inspection.answers.select_related("item").order_by("item__order"):
        if not answer.result:
            errors.append(_("Item %(n)d (%(text)s) is not answered.") % {"n": answer.item.order,
                                                                          "text": answer.item.text})
        elif answer.result == AnswerResult.FAIL and not answer.note.strip():
            errors.append(_("Item %(n)d (%(text)s) failed: say what is wrong in its note.")
                          % {"n": answer.item.order, "text": answer.item.text})
    return errors


@transaction.atomic
def inspection_submit(*, inspection: Inspection, user: User) -> Inspection:
    """Send a draft (or a corrected returned inspection) for review. Every item must be
    answered, every failed one with a note. Each failed item becomes its hazard (exactly one
    per item, however often the inspection is submitted); an item no longer failed drops the
    hazard it made while that is still open and on no notice."""
    inspection = Inspection.objects.select_for_update(of=("self",)).select_related("school").get(pk=inspection.pk)
    _school_in_scope(user, inspection.school)
    if inspection.status not in (InspectionStatus.DRAFT, InspectionStatus.RETURNED):
        raise ValidationError({"status": _("Only a draft or a returned inspection can be submitted; this one is "
                                           "“%(status)s”.") % {"status": inspection.get_status_display()}})
    errors = answer_errors(inspection)
    if errors:
        raise ValidationError({"answers": errors})
    failed = {a.item_id: a for a in inspection.answers.select_related("item").filter(result=AnswerResult.FAIL)}
    existing = {h.from_item_id: h for h in inspection.hazards.filter(source=HazardSource.ITEM)}
    for item_id, answer in failed.items():
        severity = answer.hazard_severity
        description = f"{answer.item.text}：{answer.note}"[:500]
        hazard = existing.get(item_id)
        if hazard is None:
            hazard = Hazard(inspection=inspection, school=inspection.school, category=answer.item.category,
                            description=description, severity=severity, found_on=inspection.date,
                            deadline=hazard_deadline(inspection.date, severity), source=HazardSource.ITEM,
                            from_item=answer.item, created_by=user)
            hazard.full_clean(validate_constraints=False)
            hazard.save()
            HazardEvent.objects.create(hazard=hazard, by=user, from_status="", to_status=HazardStatus.OPEN,
                                       note=_("Found by the inspection of %(date)s.") % {"date": inspection.date})
        elif hazard.status == HazardStatus.OPEN and not hazard.notices.exists():
            # Corrected while returned: the hazard follows its answer.
            hazard.description, hazard.severity, hazard.found_on = description, severity, inspection.date
            hazard.school = inspection.school
            hazard.deadline = hazard_deadline(inspection.date, severity)
            hazard.save()
    for item_id, hazard in existing.items():
        if item_id not in failed and hazard.status == HazardStatus.OPEN and not hazard.notices.exists():
            hazard.delete()
    now = timezone.now()
    inspection.status = InspectionStatus.SUBMITTED
    inspection.round += 1
    inspection.submitted_at = now
    inspection.save(update_fields=["status", "round", "submitted_at", "updated_at"])
    return inspection


def _review_refusal(inspection: Inspection, user: User) -> None:
    if not user.has_perm("inspections.review_inspection"):
        raise PermissionDenied(_("Only a supervisor approves or returns an inspection."))
    _school_in_scope(user, inspection.school)
    if inspection.status != InspectionStatus.SUBMITTED:
        raise ValidationError({"status": _("Only a submitted inspection can be reviewed; this one is "
                                           "“%(status)s”.") % {"status": inspection.get_status_display()}})
    if inspection.created_by_id == user.pk:
        raise ValidationError({"status": _("You recorded this inspection: another supervisor reviews it.")})


@transaction.atomic
def inspection_approve(*, inspection: Inspection, user: User, comment: str = "") -> Review:
    """Approve a submitted inspection: it is final from now on."""
    inspection = Inspection.objects.select_for_update(of=("self",)).select_related("school").get(pk=inspection.pk)
    _review_refusal(inspection, user)
    review = Review.objects.create(inspection=inspection, round=inspection.round, decision=ReviewDecision.APPROVED,
                                   by=user, comment=(comment or "").strip())
    inspection.status = InspectionStatus.APPROVED
    inspection.save(update_fields=["status", "updated_at"])
    return review


@transaction.atomic
def inspection_return(*, inspection: Inspection, user: User, comment: str = "",
                      items: dict | None = None) -> Review:
    """Return a submitted inspection for correction, with a comment and comments on items
    ({item id: comment}): at least one of them, so the inspector knows what to correct."""
    inspection = Inspection.objects.select_for_update(of=("self",)).select_related("school").get(pk=inspection.pk)
    _review_refusal(inspection, user)
    comment = (comment or "").strip()
    item_comments = {int(k): (v or "").strip() for k, v in (items or {}).items() if (v or "").strip()}
    if not comment and not item_comments:
        raise ValidationError({"comment": _("Say what is to be corrected: a comment, or a comment on an item.")})
    on_checklist = set(inspection.template.items.values_list("pk", flat=True))
    stray = sorted(set(item_comments) - on_checklist)
    if stray:
        raise ValidationError({"items": _("Item %(item)s is not on this inspection's checklist.")
                               % {"item": stray[0]}})
    review = Review.objects.create(inspection=inspection, round=inspection.round, decision=ReviewDecision.RETURNED,
                                   by=user, comment=comment)
    ReviewComment.objects.bulk_create([
        ReviewComment(review=review, item_id=item_id, comment=text[:500]) for item_id, text in item_comments.items()
    ])
    inspection.status = InspectionStatus.RETURNED
    inspection.save(update_fields=["status", "updated_at"])
    return review


# -- hazards ----------------------------------------------------------------------------------

# Each transition: the statuses it may be taken from, and the status it leads to. Notifying is
# notice_issue's; reopening goes back to "notified" when the hazard is on an issued notice.
HAZARD_TRANSITIONS = {
    "notify": ({HazardStatus.OPEN}, HazardStatus.NOTIFIED),
    "rectify": ({HazardStatus.OPEN, HazardStatus.NOTIFIED}, HazardStatus.RECTIFIED),
    "verify": ({HazardStatus.RECTIFIED}, HazardStatus.VERIFIED),
    "reopen": ({HazardStatus.RECTIFIED, HazardStatus.VERIFIED}, HazardStatus.OPEN),
}


def hazard_refusal_text(action: str, status: str) -> str:
    label = HazardStatus(status).label
    if action == "notify":
        return _("Only an open hazard is put on a notice; this one is “%(status)s”.") % {"status": label}
    if action == "rectify":
        return _("Only an open or notified hazard can be reported rectified; this one is “%(status)s”.") % {
            "status": label}
    if action == "verify":
        return _("Only a rectified hazard can be verified by a re-check; this one is “%(status)s”.") % {
            "status": label}
    return _("Only a rectified or verified hazard can be reopened; this one is “%(status)s”.") % {"status": label}


@transaction.atomic
def hazard_transition(*, hazard: Hazard, user: User | None, action: str, note: str = "", photo=None,
                      at: datetime.datetime | None = None) -> HazardEvent:
    """Move a hazard on: `rectify` (the school's report of what it did, with its evidence),
    `verify` (the re-check that closes it, 销号), `reopen` (the re-check found it not put
    right; back to open, or to notified when an issued notice lists it), `notify` (a notice
    listing it was issued). Each is refused, saying why, from a status it cannot be taken
    from; every one is logged with who and when."""
    if action not in HAZARD_TRANSITIONS:
        raise ValidationError({"action": _("Unknown step.")})
    hazard = Hazard.objects.select_for_update(of=("self",)).select_related("school").get(pk=hazard.pk)
    _school_in_scope(user, hazard.school)
    allowed, leads_to = HAZARD_TRANSITIONS[action]
    if hazard.status not in allowed:
        raise ValidationError({"status": hazard_refusal_text(action, hazard.status)})
    note = (note or "").strip()
    if action == "rectify" and not note:
        raise ValidationError({"note": _("Say what the school did to put it right (its report).")})
    if action == "reopen" and not note:
        raise ValidationError({"note": _("Say why the hazard is reopened.")})
    if action == "verify" and not note:
        note = _("Verified by a re-check.")
    if action == "reopen":
        on_notice = hazard.notices.filter(status=Notice.Status.ISSUED).exists()
        leads_to = HazardStatus.NOTIFIED if on_notice else HazardStatus.OPEN
        hazard.overdue_since = None  # it may be flagged again
    event = HazardEvent.objects.create(hazard=hazard, by=user, at=at or timezone.now(), from_status=hazard.status,
                                       to_status=leads_to, note=note[:500], photo=photo or "")
    hazard.status = leads_to
    hazard.save(update_fields=["status", "overdue_since", "updated_at"])
    return event


def hazard_rectify(*, hazard: Hazard, user: User, note: str, photo=None) -> HazardEvent:
    return hazard_transition(hazard=hazard, user=user, action="rectify", note=note, photo=photo)


def hazard_verify(*, hazard: Hazard, user: User, note: str = "") -> HazardEvent:
    return hazard_transition(hazard=hazard, user=user, action="verify", note=note)


def hazard_reopen(*, hazard: Hazard, user: User, note: str) -> HazardEvent:
    return hazard_transition(hazard=hazard, user=user, action="reopen", note=note)


HAZARD_FIELDS = ("category", "description", "severity", "found_on", "school", "inspection")


@transaction.atomic
def hazard_create(*, user: User, school: School, category: str, description: str, severity: str,
                  found_on: datetime.date | None = None, inspection: Inspection | None = None,
                  source: str = HazardSource.HAND) -> Hazard:
    """Add a hazard by hand (on an inspection's page, or found otherwise); its deadline
    follows from its severity."""
    _school_in_scope(user, school)
    found_on = found_on or timezone.localdate()
    if found_on > timezone.localdate():
        raise ValidationError({"found_on": _("A hazard cannot be found in the future.")})
    if inspection is not None and inspection.school_id != school.pk:
        raise ValidationError({"inspection": _("This inspection is of another school.")})
    if inspection is not None and inspection.status == InspectionStatus.APPROVED:
        raise ValidationError({"inspection": _("An approved inspection cannot be changed.")})
    if not (description or "").strip():
        raise ValidationError({"description": _("Describe the hazard.")})
    hazard = Hazard(school=school, category=category, description=description.strip(), severity=severity,
                    found_on=found_on, deadline=hazard_deadline(found_on, severity), inspection=inspection,
                    source=source, created_by=user)
    hazard.full_clean()
    hazard.save()
    HazardEvent.objects.create(hazard=hazard, by=user, from_status="", to_status=HazardStatus.OPEN,
                               note=hazard.get_source_display())
    return hazard


@transaction.atomic
def hazard_update(*, hazard: Hazard, user: User, **fields) -> Hazard:
    """Correct an open hazard's category, description or severity (the deadline follows the
    severity). Once it is on a notice, or past open, it stands as it is."""
    hazard = Hazard.objects.select_for_update(of=("self",)).select_related("school").get(pk=hazard.pk)
    _school_in_scope(user, hazard.school)
    if hazard.status != HazardStatus.OPEN:
        raise ValidationError({"status": _("Only an open hazard can be corrected; this one is “%(status)s”.")
                               % {"status": hazard.get_status_display()}})
    unknown = set(fields) - {"category", "description", "severity", "found_on"}
    if unknown:
        raise ValidationError({name: [_("This cannot be changed here.")] for name in sorted(unknown)})
    for name, value in fields.items():
        setattr(hazard, name, value)
    if hazard.found_on > timezone.localdate():
        raise ValidationError({"found_on": _("A hazard cannot be found in the future.")})
    hazard.deadline = hazard_deadline(hazard.found_on, hazard.severity)
    hazard.full_clean()
    hazard.save()
    return hazard


@transaction.atomic
def guard_shortfall_confirm(*, school: School, user: User, inspection: Inspection | None = None) -> Hazard:
    """An inspector confirms at the school that it has fewer guards than GB/T 29315-2022 asks
    for its enrolment: the shortfall becomes a hazard (security; high when it has no guard at
    all). Refused when the register shows no shortfall, or the shortfall is a hazard already."""
    _school_in_scope(user, school)
    row = guard_staffing_for_school(school)
    if row["required"] is None:
        raise ValidationError({"school": _("The school's enrolment is not recorded: the guards it needs are unknown.")})
    if not row["short"]:
        raise ValidationError({"school": _("The school has the guards the standard asks for (%(have)d of "
                                           "%(need)d).") % {"have": row["on_register"], "need": row["required"]}})
    if Hazard.objects.filter(school=school, source=HazardSource.GUARDS).exclude(status=HazardStatus.VERIFIED).exists():
        raise ValidationError({"school": _("This school's guard shortfall is already a hazard.")})
    description = _("Security guards short of GB/T 29315-2022: %(have)d on the register, %(need)d required for "
                    "%(pupils)d pupils.") % {"have": row["on_register"], "need": row["required"],
                                             "pupils": school.pupils}
    severity = Severity.HIGH if row["on_register"] == 0 else Severity.MEDIUM
    return hazard_create(user=user, school=school, category=HazardCategory.SECURITY, description=description,
                         severity=severity, inspection=inspection, source=HazardSource.GUARDS)


def overdue_recipients(station_id: int) -> list[User]:
    """The station's dispatchers, and the HQ accounts whose scope holds the station."""
    dispatchers = list(User.objects.filter(unit_id=station_id, role=Role.DISPATCHER, is_active=True))
    hq = [user for user in User.objects.filter(role=Role.HQ, is_active=True)
          if (ids := scope_unit_ids(user)) is None or station_id in ids]
    return dispatchers + hq


@transaction.atomic
def flag_overdue_hazards(*, today: datetime.date | None = None) -> int:
    """Flag the hazards that have passed their deadline unresolved and are not flagged yet
    (`overdue_since`), and tell each station's dispatchers and HQ, one message per station,
    through the outbox. Running it again the same day, or the next, flags nothing twice.
    Returns how many were flagged."""
    today = today or timezone.localdate()
    rows = list(
        Hazard.objects.overdue(today=today).filter(overdue_since__isnull=True)
        .select_for_update(of=("self",)).select_related("school")
    )
    if not rows:
        return 0
    Hazard.objects.filter(pk__in=[h.pk for h in rows]).update(overdue_since=today)
    by_station: dict[int, list[Hazard]] = {}
    for hazard in rows:
        by_station.setdefault(hazard.school.station_id, []).append(hazard)
    link = reverse("inspections:hazard_list") + "?overdue=true"
    for station_id, hazards in by_station.items():
        station = Unit.objects.get(pk=station_id)
        title = _("%(count)d hazard(s) past their deadline at %(station)s") % {"count": len(hazards),
                                                                              "station": station.name}
        body = "；".join(f"{h.school.name}：{h.description[:40]}（{h.deadline:%m月%d日}）" for h in hazards[:5])
        notify_users(users=overdue_recipients(station_id), title=title, body=body,
                     link=f"{link}&station={station_id}")
    return len(rows)


# -- rectification notices --------------------------------------------------------------------


def _ensure_notice_draft(notice: Notice) -> None:
    if not notice.is_editable:
        raise ValidationError({"status": _("An issued notice cannot be changed.")})


def _check_notice_hazards(school: School, hazards: list[Hazard]) -> list[Hazard]:
    """The hazards as they are in the database now (the caller's copies may be older),
    each of the notice's school and open; or the refusal naming the first that is not."""
    hazards = list(Hazard.objects.filter(pk__in=[h.pk for h in hazards]).order_by("pk"))
    for hazard in hazards:
        if hazard.school_id != school.pk:
            raise ValidationError({"hazards": _("“%(hazard)s” is at another school.") % {"hazard": hazard.description}})
        if hazard.status != HazardStatus.OPEN:
            raise ValidationError({"hazards": _("“%(hazard)s” is “%(status)s”: a notice lists open hazards.") % {
                "hazard": hazard.description, "status": hazard.get_status_display()}})
    return hazards


@transaction.atomic
def notice_create(*, user: User, school: School, hazards: Iterable[Hazard] = (),
                  deadline: datetime.date | None = None, text: str = "") -> Notice:
    """Draft a rectification notice to a school listing its open hazards. The deadline
    defaults to the earliest of theirs."""
    _school_in_scope(user, school)
    hazards = _check_notice_hazards(school, list(hazards))
    if deadline is None:
        if not hazards:
            raise ValidationError({"deadline": _("Give the deadline, or list the hazards it follows from.")})
        deadline = min(h.deadline for h in hazards)
    notice = Notice(school=school, deadline=deadline, text=text or "", created_by=user)
    notice.full_clean()
    notice.save()
    notice.hazards.set(hazards)
    return notice


@transaction.atomic
def notice_update(*, notice: Notice, user: User, **fields) -> Notice:
    notice = Notice.objects.select_for_update(of=("self",)).select_related("school").get(pk=notice.pk)
    _school_in_scope(user, notice.school)
    _ensure_notice_draft(notice)
    unknown = set(fields) - {"school", "hazards", "deadline", "text"}
    if unknown:
        raise ValidationError({name: [_("Unknown field.")] for name in sorted(unknown)})
    if fields.get("school") is not None:
        _school_in_scope(user, fields["school"])
        notice.school = fields["school"]
    if fields.get("deadline") is not None:
        notice.deadline = fields["deadline"]
    if "text" in fields:
        notice.text = fields["text"] or ""
    hazards = list(fields["hazards"]) if "hazards" in fields else list(notice.hazards.all())
    hazards = _check_notice_hazards(notice.school, hazards)
    notice.full_clean()
    notice.save()
    if "hazards" in fields:
        notice.hazards.set(hazards)
    return notice


@transaction.atomic
def notice_issue(*, notice: Notice, user: User, today: datetime.date | None = None) -> Notice:
    """Give the notice the next number of the year (船公（治）整字〔2026〕第N号), freeze it and
    mark its hazards notified. The year's counter row is locked while numbering, so two
    notices issued at once get two numbers."""
    notice = Notice.objects.select_for_update(of=("self",)).select_related("school").get(pk=notice.pk)
    _school_in_scope(user, notice.school)
    _ensure_notice_draft(notice)
    hazards = list(notice.hazards.all())
    if not hazards:
        raise ValidationError({"hazards": _("A notice lists at least one hazard.")})
    hazards = _check_notice_hazards(notice.school, hazards)
    today = today or timezone.localdate()
    if notice.deadline < today:
        raise ValidationError({"deadline": _("The deadline has already passed: give a later one.")})
    year = today.year
    NoticeCounter.objects.get_or_create(year=year)
    counter = NoticeCounter.objects.select_for_update().get(year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    notice.year, notice.number = year, counter.last_number
    notice.status = Notice.Status.ISSUED
    notice.issued_on = today
    notice.issued_by = user
    notice.save()
    for hazard in hazards:
        hazard_transition(hazard=hazard, user=user, action="notify",
                          note=_("Listed on notice %(number)s.") % {"number": notice.number_label})
    return notice


# -- improvements and joint operations --------------------------------------------------------


@transaction.atomic
def improvement_save(*, user: User, improvement: Improvement | None = None, **fields) -> Improvement:
    """Record (or correct) safety works installed at a school."""
    improvement = improvement or Improvement(created_by=user)
    for name, value in fields.items():
        setattr(improvement, name, value)
    if improvement.school_id:
        _school_in_scope(user, improvement.school)
    if improvement.date and improvement.date > timezone.localdate():
        raise ValidationError({"date": _("Works cannot be installed in the future.")})
    improvement.full_clean()
    improvement.save()
    return improvement


@transaction.atomic
def joint_operation_save(*, user: User, operation: JointOperation | None = None, **fields) -> JointOperation:
    """Record (or correct) a joint operation; its organising unit defaults to the user's."""
    operation = operation or JointOperation(created_by=user)
    for name, value in fields.items():
        setattr(operation, name, value)
    if not operation.unit_id and user is not None:
        operation.unit_id = user.unit_id
    if operation.unit_id:
        require_in_scope(user, operation.unit_id, field="unit", message=_("This unit is not in your scope."))
    if operation.date and operation.date > timezone.localdate():
        raise ValidationError({"date": _("A joint operation cannot be in the future.")})
    operation.full_clean()
    operation.save()
    return operation
