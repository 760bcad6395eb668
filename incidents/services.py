"""Every write and rule of the incident log: recording an incident (from the gate or the
desk), each kind's own rules, the handling steps and the transitions they may make, and
telling the station and HQ of an emergency at once.

An incident is a draft until it is reported: a draft needs only its kind, time and school
(an officer on a bad network saves what he has and finishes it later); reporting checks every
rule of its kind and starts the timeline. Reported incidents are corrected from the desk
(dispatchers and supervisors); a closed one must be reopened first."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from duty.services.notifications import notify_users
from incidents.models import (
    Incident,
    IncidentKind,
    IncidentPhoto,
    IncidentStatus,
    IncidentStep,
    StepKind,
    SuspiciousOutcome,
)
from incidents.selectors import on_duty_at
from org.models import Person, Role, User
from org.scope import in_scope, require_in_scope, scope_unit_ids
from posts.models import Post, School

FUTURE_SLACK = datetime.timedelta(minutes=5)  # a phone's clock may run a little ahead
MAX_PHOTOS = 6

# Fields only some kinds have: kind -> its fields; and each field's empty value.
KIND_FIELDS = {
    IncidentKind.SUSPICIOUS: ("id_checked", "items_checked", "outcome"),
    IncidentKind.DISPUTE: ("parties", "mediation"),
    IncidentKind.GOOD_DEED: ("publicity", "publicity_text"),
}
EMPTY = {"id_checked": False, "items_checked": "", "outcome": "", "parties": "", "mediation": "",
         "publicity": False, "publicity_text": ""}
EDITABLE = ("kind", "occurred_at", "school", "post", "people_count", "summary", "action_taken", "resolved",
            *EMPTY)

# The handling steps: step -> (the statuses it may be taken from, the status it leads to).
TRANSITIONS = {
    StepKind.REPORTED: ({IncidentStatus.DRAFT}, IncidentStatus.OPEN),
    StepKind.TAKEN: ({IncidentStatus.OPEN, IncidentStatus.ESCALATED, IncidentStatus.REFERRED}, IncidentStatus.TAKEN),
    StepKind.ESCALATED: ({IncidentStatus.OPEN, IncidentStatus.TAKEN}, IncidentStatus.ESCALATED),
    StepKind.REFERRED: ({IncidentStatus.OPEN, IncidentStatus.TAKEN, IncidentStatus.ESCALATED},
                        IncidentStatus.REFERRED),
    StepKind.CLOSED: ({IncidentStatus.OPEN, IncidentStatus.TAKEN, IncidentStatus.ESCALATED, IncidentStatus.REFERRED},
                      IncidentStatus.CLOSED),
    StepKind.REOPENED: ({IncidentStatus.CLOSED}, IncidentStatus.OPEN),
}
# The steps a person takes from the incident's page (reporting is the form's).
HANDLING_STEPS = (StepKind.TAKEN, StepKind.ESCALATED, StepKind.REFERRED, StepKind.CLOSED, StepKind.REOPENED)


# -- rules ---------------------------------------------------------------------------------------


def kind_errors(incident: Incident) -> dict[str, list[str]]:
    """Each kind's own rules, as field errors, for a reported incident."""
    errors: dict[str, list[str]] = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    kind = incident.kind
    if not incident.summary.strip():
        add("summary", _("Say what happened."))
    if kind == IncidentKind.SUSPICIOUS:
        if not incident.outcome:
            add("outcome", _("Say how the check ended: released, handed over or taken in."))
        elif incident.outcome not in SuspiciousOutcome.values:
            add("outcome", _("Choose released, handed over or taken in."))
        if not incident.id_checked and not incident.items_checked.strip():
            add("items_checked", _("Say what was checked: the ID, or the items carried."))
    elif kind == IncidentKind.DISPUTE:
        if not incident.parties.strip():
            add("parties", _("Name the parties to the dispute."))
        if incident.resolved and not incident.mediation.strip():
            add("mediation", _("Say how the dispute was mediated before marking it resolved."))
    elif kind == IncidentKind.GOOD_DEED:
        if incident.publicity and not incident.publicity_text.strip():
            add("publicity_text", _("Write the short piece for publicity."))
    elif kind == IncidentKind.EMERGENCY and incident.post_id is None:
        add("post", _("Say at which post the emergency happened."))
    if kind in (IncidentKind.HELP, IncidentKind.ALARM, IncidentKind.SUSPICIOUS) and incident.people_count > 200:
        add("people_count", _("More than 200 people in one incident: check the number."))
    return errors


def shape_errors(incident: Incident) -> dict[str, list[str]]:
    """What every incident, draft or not, must satisfy: its time, where, and no field of
    another kind."""
    errors: dict[str, list[str]] = {}
    if incident.occurred_at and incident.occurred_at > timezone.now() + FUTURE_SLACK:
        errors["occurred_at"] = [_("An incident cannot be in the future.")]
    if incident.post_id is not None and incident.school_id is not None and incident.post.school_id != incident.school_id:
        errors["post"] = [_("This post is at another school.")]
    if incident.people_count is not None and incident.people_count < 1:
        errors["people_count"] = [_("An incident concerns at least one person.")]
    own = KIND_FIELDS.get(incident.kind, ())
    for field, empty in EMPTY.items():
        if field not in own and getattr(incident, field) != empty:
            errors[field] = [_("Only for %(kinds)s.") % {"kinds": kinds_having(field)}]
    return errors


def kinds_having(field: str) -> str:
    return "、".join(str(IncidentKind(kind).label) for kind, fields in KIND_FIELDS.items() if field in fields)


def clear_other_kinds(incident: Incident) -> None:
    """When the kind changes, the fields of the kind it no longer is are emptied."""
    own = KIND_FIELDS.get(incident.kind, ())
    for field, empty in EMPTY.items():
        if field not in own:
            setattr(incident, field, empty)


def edit_refusal(user: User, incident: Incident) -> str | None:
    """Why this user may not change this incident now, or None."""
    if incident.is_closed:
        return _("A closed incident cannot be changed; reopen it first.")
    if not incident.is_draft and not user.has_perm("incidents.change_incident"):
        return _("A reported incident is corrected by the station's dispatcher or a supervisor.")
    if incident.is_draft and incident.reported_by_id != user.pk and not user.has_perm("incidents.change_incident"):
        return _("This draft is someone else's.")
    return None


# -- writes --------------------------------------------------------------------------------------


def _check_scope(user: User, school: School | None, post: Post | None) -> None:
    if school is not None:
        require_in_scope(user, school.station_id, field="school", message=_("This school is not in your scope."))
    if post is not None:
        require_in_scope(user, post.station_id, field="post", message=_("This post is not in your scope."))


def _fill_from_roster(incident: Incident) -> None:
    """The shift and the people on duty at the post when it happened (the roster then)."""
    if incident.post_id is None:
        incident.shift = None
        incident._on_duty = []
        return
    found = on_duty_at(post=incident.post, at=incident.occurred_at)
    incident.shift = found.shift
    incident._on_duty = found.people


def _validate(incident: Incident, *, full: bool) -> None:
    errors = shape_errors(incident)
    if full:
        for field, messages in kind_errors(incident).items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    incident.full_clean(exclude=["on_duty"], validate_constraints=True)


def _save_photos(incident: Incident, photos: Iterable, user: User) -> None:
    photos = list(photos or [])
    if not photos:
        return
    if incident.photos.count() + len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": _("At most %(n)d photos per incident.") % {"n": MAX_PHOTOS}})
    for photo in photos:
        IncidentPhoto.objects.create(incident=incident, photo=photo, uploaded_by=user)


@transaction.atomic
def incident_create(*, user: User, report: bool = True, photos: Iterable = (), on_duty: list[Person] | None = None,
                    **fields) -> Incident:
    """Record an incident. `report` sends it at once (every rule of its kind is checked,
    the timeline starts, an emergency is told to the station and HQ); otherwise it is kept
    as the user's draft. The shift and the people on duty come from the roster at the post
    at that moment unless `on_duty` names them."""
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ValidationError({name: [_("Unknown field.")] for name in sorted(unknown)})
    school = fields.get("school")
    post = fields.get("post")
    if school is None and post is not None:
        fields["school"] = school = post.school
    if school is None:
        raise ValidationError({"school": [_("Choose the school.")]})
    _check_scope(user, school, post)
    fields.setdefault("occurred_at", timezone.now())
    incident = Incident(station_id=school.station_id, reported_by=user, status=IncidentStatus.DRAFT, **fields)
    _fill_from_roster(incident)
    _validate(incident, full=report)
    incident.save()
    incident.on_duty.set(on_duty if on_duty is not None else incident._on_duty)
    _save_photos(incident, photos, user)
    if report:
        incident_step(incident=incident, user=user, kind=StepKind.REPORTED)
        incident.refresh_from_db(fields=["status", "updated_at"])  # the step moved it on
    return incident


@transaction.atomic
def incident_update(*, incident: Incident, user: User, report: bool = False, photos: Iterable = (),
                    **fields) -> Incident:
    """Correct an incident (or finish a draft, and with `report` send it). The rules are
    checked on what it becomes; a reported incident stays reported (reporting it again is
    refused)."""
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ValidationError({name: [_("Unknown field.")] for name in sorted(unknown)})
    # The rules read the row as it is now, locked (the caller's copy may be older).
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    refusal = edit_refusal(user, incident)
    if refusal:
        raise PermissionDenied(refusal)
    if report and not incident.is_draft:
        raise ValidationError({"kind": [refusal_text(StepKind.REPORTED, IncidentStatus(incident.status))]})
    before = (incident.post_id, incident.occurred_at)
    kind_changed = "kind" in fields and fields["kind"] != incident.kind
    for name, value in fields.items():
        setattr(incident, name, value)
    if "post" in fields and fields["post"] is not None and "school" not in fields:
        incident.school = fields["post"].school
    if kind_changed:
        clear_other_kinds(incident)
        for name in set(fields) & set(EMPTY):  # what was sent for the new kind stays
            setattr(incident, name, fields[name])
    _check_scope(user, incident.school, incident.post)
    incident.station_id = incident.school.station_id
    moved = (incident.post_id, incident.occurred_at) != before
    if moved:
        _fill_from_roster(incident)
    _validate(incident, full=report or not incident.is_draft)
    incident.save()
    if moved:
        incident.on_duty.set(incident._on_duty)
    _save_photos(incident, photos, user)
    if report and incident.is_draft:
        incident_step(incident=incident, user=user, kind=StepKind.REPORTED)
        incident.refresh_from_db(fields=["status", "updated_at"])  # the step moved it on
    return incident


@transaction.atomic
def incident_step(*, incident: Incident, user: User, kind: str, person: Person | None = None,
                  department: str = "", note: str = "") -> IncidentStep:
    """Take one handling step: it is refused, saying why, when the incident's status does
    not allow it. Closing needs what was done; referring names the department; reopening
    says why. Reporting an emergency tells the station's dispatchers and HQ at once."""
    incident = Incident.objects.select_for_update(of=("self",)).select_related("school", "post").get(pk=incident.pk)
    if kind not in TRANSITIONS:
        raise ValidationError({"kind": [_("Unknown step.")]})
    step = StepKind(kind)
    allowed_from, leads_to = TRANSITIONS[step]
    if incident.status not in allowed_from:
        raise ValidationError({"kind": [refusal_text(step, IncidentStatus(incident.status))]})
    if user is not None and not in_scope(user, incident.station_id):
        raise PermissionDenied(_("This incident is not in your scope."))
    department = department.strip()
    note = note.strip()
    if step == StepKind.REFERRED and not department:
        raise ValidationError({"department": [_("Name the department it was referred to.")]})
    if step == StepKind.REOPENED and not note:
        raise ValidationError({"note": [_("Say why it is reopened.")]})
    if step == StepKind.CLOSED and not incident.action_taken.strip():
        raise ValidationError({"action_taken": [_("Say what was done before closing the incident.")]})
    if step == StepKind.REPORTED:
        errors = kind_errors(incident)
        if errors:
            raise ValidationError(errors)
    if step == StepKind.TAKEN and person is None and user is not None:
        person = Person.objects.filter(user=user).first()
    if person is not None and not in_scope(user, person.unit_id) and person.pk not in set(
            incident.on_duty.values_list("pk", flat=True)):
        raise ValidationError({"person": [_("This person is not in your scope.")]})
    row = IncidentStep.objects.create(incident=incident, kind=step, by=user, person=person, department=department,
                                      note=note)
    incident.status = leads_to
    incident.save(update_fields=["status", "updated_at"])
    if step == StepKind.REPORTED and incident.kind == IncidentKind.EMERGENCY:
        notify_emergency(incident)
    return row


def refusal_text(step: StepKind, status: IncidentStatus) -> str:
    if status == IncidentStatus.CLOSED:
        return _("The incident is closed: reopen it before it is %(step)s.") % {"step": step.label}
    if status == IncidentStatus.DRAFT:
        return _("The incident is still a draft: report it first.")
    if step == StepKind.REOPENED:
        return _("Only a closed incident can be reopened.")
    if step == StepKind.REPORTED:
        return _("The incident has already been reported.")
    return _("An incident that is “%(status)s” cannot be %(step)s.") % {"status": status.label, "step": step.label}


def emergency_recipients(incident: Incident) -> list[User]:
    """The station's dispatchers, and the HQ accounts whose scope holds the station."""
    dispatchers = list(User.objects.filter(unit_id=incident.station_id, role=Role.DISPATCHER, is_active=True))
    hq = [user for user in User.objects.filter(role=Role.HQ, is_active=True)
          if (ids := scope_unit_ids(user)) is None or incident.station_id in ids]
    return dispatchers + hq


def notify_emergency(incident: Incident) -> int:
    """An emergency was reported: in-app, by SMS and by email through the outbox, in the
    transaction that reported it (a gateway outage delays the message, never the report)."""
    local = timezone.localtime(incident.occurred_at)
    where = f"{incident.school.name}{' · ' + incident.post.name if incident.post_id else ''}"
    title = _("Emergency at %(where)s, %(time)s") % {"where": where, "time": f"{local:%H:%M}"}
    return notify_users(users=emergency_recipients(incident), title=title, body=incident.summary,
                        link=reverse("incidents:incident_detail", args=[incident.pk]))
