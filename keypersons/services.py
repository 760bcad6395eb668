"""Every write and rule of the key-person register: registering and correcting a person (his
secrets encrypted on the way in), archiving him, his follow-ups and the interval his risk
level sets, revealing a secret for a stated purpose, telling the station's keepers and HQ of a
lost contact or an overdue follow-up, and the audit row of each action.

One action, one audit row: the register's models keep no simple-history (its history rows
would hold the ciphertexts under keys that rotation retires, and write their own audit rows),
so each service writes the one row itself, naming the fields that changed (never their
values) and the purpose where one was given. The reads (a list, a person, an export) are
recorded by `keyperson_record_read`, called by the pages and the API."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.services import audit_record
from core.signals import query_filters
from duty.services.notifications import notify_users
from incidents.models import IncidentKind
from keypersons import idnumber
from keypersons.crypto import lookup_hash
from keypersons.access import keepers_and_hq
from keypersons.models import (
    Category,
    CoManager,
    CoManagerKind,
    FollowUp,
    FollowUpMethod,
    KeyPerson,
    KeyPersonCategory,
    Risk,
    Status,
)
from org.models import Person, Unit, UnitKind, User
from org.scope import in_scope

SECRET_FIELDS = ("id_number", "phone", "address", "location", "basis", "notes")
PLAIN_FIELDS = ("name", "risk", "status", "away_place", "away_until", "registered_on", "station", "officer")
RELATED_FIELDS = ("categories", "schools", "disputes", "co_managers")
EDITABLE = (*SECRET_FIELDS, *PLAIN_FIELDS, *RELATED_FIELDS)
REQUIRED_ON_CREATE = ("name", "id_number", "address", "basis", "categories", "officer")
PURPOSE_MIN = 4
REASON_MIN = 2
PHONE = re.compile(r"^\+?[0-9][0-9\- ]{5,19}$")


# -- the interval -----------------------------------------------------------------------------


def follow_up_days(risk: str) -> int:
    """Days between follow-ups for a risk level (KEYPERSON_FOLLOW_UP_DAYS)."""
    return int(settings.KEYPERSON_FOLLOW_UP_DAYS[risk])


def next_due(*, risk: str, last: datetime.date | None, registered_on: datetime.date) -> datetime.date:
    """The next follow-up is due one interval after the last (or after registration)."""
    return (last or registered_on) + datetime.timedelta(days=follow_up_days(risk))


# -- the audit rows -----------------------------------------------------------------------------


def _record(*, action: str, user, request, obj, detail: dict) -> None:
    audit_record(action=action, request=request, user=None if request is not None else user, obj=obj,
                 detail={"via": _via(request), **detail})


def _via(request) -> str:
    if request is None:
        return "system"
    return "api" if request.path.startswith("/api/") else "page"


def keyperson_record_read(*, request, person: KeyPerson | None = None, persons: Iterable[KeyPerson] = (),
                          action: str = AuditAction.VIEW, detail: dict | None = None) -> None:
    """One audit row for one read of the register: a person (`person`, action VIEW) or a
    list or an export (`persons`, the ids it showed, action LIST or EXPORT)."""
    extra = dict(detail or {})
    if person is None:
        extra.update(model=KeyPerson._meta.label_lower, ids=[p.pk for p in persons])
    _record(action=action, user=None, request=request, obj=person, detail=extra)


def audit_filters(query) -> dict:
    """A list's query as its audit row keeps it: an ID number searched for is kept masked."""
    filters = query_filters(query)
    if filters.get("id_number"):
        filters["id_number"] = idnumber.mask(str(filters["id_number"]))
    return filters


# -- registering and correcting ------------------------------------------------------------------


def _clean_location(value, errors) -> str:
    """"lat,lng" from a pair (or ""), checked to be a place on the earth."""
    if value in (None, "", ()):
        return ""
    try:
        lat, lng = (float(part) for part in (value.split(",") if isinstance(value, str) else value))
    except (TypeError, ValueError):
        errors["location"] = [_("Give the location as latitude and longitude.")]
        return ""
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        errors["location"] = [_("This latitude and longitude is not a place on the earth.")]
        return ""
    return f"{lat:.6f},{lng:.6f}"


def _clean(person: KeyPerson, fields: dict, *, user: User | None, creating: bool) -> tuple[dict, list[str]]:
    """Check what is given and put it on `person`; returns the related values to set after the
    save and the names of the fields that changed. Every error is collected, then raised
    together, each on its field."""
    errors: dict[str, list[str]] = {}
    changed: list[str] = []
    related: dict = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    unknown = set(fields) - set(EDITABLE)
    for name in sorted(unknown):
        add(name, _("Unknown field."))
    if creating:
        for name in REQUIRED_ON_CREATE:
            if fields.get(name) in (None, "", [], ()):
                add(name, _("This field is required."))

    if "name" in fields:
        fields["name"] = str(fields["name"] or "").strip()
        if not fields["name"] and "name" not in errors:
            add("name", _("This field is required."))
    if fields.get("id_number"):
        try:
            parsed = idnumber.parse(fields["id_number"], today=timezone.localdate())
        except ValidationError as exc:
            errors.update(exc.message_dict)
        else:
            digest = lookup_hash(parsed.number)
            if KeyPerson.objects.filter(id_number_hash=digest).exclude(pk=person.pk).exists():
                add("id_number", _("This person is already on the register."))
            elif creating or parsed.number != person.secret("id_number"):
                person.set_secret("id_number", parsed.number)
                person.id_number_hash = digest
                person.birth_date, person.sex = parsed.birth_date, parsed.sex
                changed.append("id_number")
    if "phone" in fields:
        phone = "".join(str(fields["phone"] or "").split())
        if phone and not PHONE.match(phone):
            add("phone", _("Give a phone number: digits, with a leading + or dashes if need be."))
        elif creating or phone != person.secret("phone"):
            person.set_secret("phone", phone)
            changed.append("phone")
    for name in ("address", "basis", "notes"):
        if name in fields:
            text = str(fields[name] or "").strip()
            if not text and name != "notes":
                if name not in errors:
                    add(name, _("This field is required."))
            elif creating or text != person.secret(name):
                person.set_secret(name, text)
                changed.append(name)
    if "location" in fields:
        location = _clean_location(fields["location"], errors)
        if "location" not in errors and (creating or location != person.secret("location")):
            person.set_secret("location", location)
            changed.append("location")

    for name in ("name", "risk", "status", "away_place", "away_until", "registered_on"):
        if name in fields and fields[name] != getattr(person, name):
            setattr(person, name, fields[name])
            changed.append(name)
    if person.risk not in Risk.values:
        add("risk", _("Choose high, medium or low."))
    if person.status not in Status.values:
        add("status", _("Choose stable and in place, away, or lost contact."))
    if person.status == Status.AWAY:
        if not (person.away_place or "").strip():
            add("away_place", _("Say where he has gone."))
        if person.away_until is None:
            add("away_until", _("Say until when he is away."))
    else:
        person.away_place, person.away_until = "", None
    if person.registered_on and person.registered_on > timezone.localdate():
        add("registered_on", _("Registration cannot be in the future."))

    station = fields.get("station", person.station if person.station_id else None)
    if station is None and creating and user is not None and user.unit_id is not None:
        station = user.unit
    if station is None:
        add("station", _("Choose the police station."))
    elif station.kind != UnitKind.STATION:
        add("station", _("Choose a police station."))
    elif not in_scope(user, station.pk):
        add("station", _("This station is not in your scope."))
    elif not person.station_id or person.station_id != station.pk:
        person.station = station
        changed.append("station")
    if "officer" in fields and fields["officer"] is not None:
        officer = fields["officer"]
        if not in_scope(user, officer.unit_id):
            add("officer", _("This person is not in your scope."))
        elif not officer.active:
            add("officer", _("This person is no longer active."))
        elif not person.officer_id or person.officer_id != officer.pk:
            person.officer = officer
            changed.append("officer")

    if "categories" in fields:
        values = list(dict.fromkeys(fields["categories"] or []))
        bad = [value for value in values if value not in Category.values]
        if bad:
            add("categories", _("Unknown category: %(values)s.") % {"values": "、".join(map(str, bad))})
        elif not values:
            if "categories" not in errors:
                add("categories", _("Choose at least one category."))
        else:
            related["categories"] = values
    if "schools" in fields:
        schools = list(fields["schools"] or [])
        outside = [school for school in schools if not in_scope(user, school.station_id)]
        if outside:
            add("schools", _("These schools are not in your scope: %(names)s.") % {
                "names": "、".join(s.name for s in outside)})
        else:
            related["schools"] = schools
    if "disputes" in fields:
        disputes = list(fields["disputes"] or [])
        if any(incident.kind != IncidentKind.DISPUTE for incident in disputes):
            add("disputes", _("Only disputes can be linked."))
        elif any(not in_scope(user, incident.station_id) for incident in disputes):
            add("disputes", _("This dispute is not in your scope."))
        else:
            related["disputes"] = disputes
    if "co_managers" in fields:
        rows = []
        for index, row in enumerate(fields["co_managers"] or []):
            kind, name = row.get("kind"), str(row.get("name") or "").strip()
            if kind not in CoManagerKind.values:
                add("co_managers", _("Row %(n)d: choose health, civil affairs, community or family.") % {"n": index + 1})
            elif not name:
                add("co_managers", _("Row %(n)d: say who.") % {"n": index + 1})
            else:
                rows.append({"kind": kind, "name": name[:100], "contact": str(row.get("contact") or "").strip()})
        related["co_managers"] = rows

    if errors:
        raise ValidationError(errors)
    return related, changed


def _set_related(person: KeyPerson, related: dict, changed: list[str]) -> None:
    if "categories" in related:
        before = set(person.category_rows.values_list("category", flat=True))
        wanted = set(related["categories"])
        if wanted != before:
            person.category_rows.exclude(category__in=wanted).delete()
            KeyPersonCategory.objects.bulk_create(
                [KeyPersonCategory(key_person=person, category=value) for value in wanted - before])
            changed.append("categories")
    for name in ("schools", "disputes"):
        if name in related:
            before = set(getattr(person, name).values_list("pk", flat=True))
            if before != {obj.pk for obj in related[name]}:
                getattr(person, name).set(related[name])
                changed.append(name)
    if "co_managers" in related:
        existing = [(c.kind, c.name, c.secret("contact")) for c in person.co_managers.order_by("pk")]
        wanted = [(row["kind"], row["name"], row["contact"]) for row in related["co_managers"]]
        if existing != wanted:
            person.co_managers.all().delete()
            for kind, name, contact in wanted:
                manager = CoManager(key_person=person, kind=kind, name=name)
                manager.set_secret("contact", contact)
                manager.save()
            changed.append("co_managers")


def _save(person: KeyPerson) -> None:
    person.follow_up_due = next_due(risk=person.risk, last=person.last_follow_up_on,
                                    registered_on=person.registered_on)
    person.full_clean(exclude=["schools", "disputes"])
    person.save()


@transaction.atomic
def keyperson_create(*, user: User | None, request=None, **fields) -> KeyPerson:
    """Register a person. His ID number is checked (check digit, birth date) and gives his
    birth date and sex; his secrets are encrypted; his first follow-up is due one interval of
    his risk level after registration. A person registered as lost contact is told to the
    station's keepers and HQ at once. Audited as one "create" row."""
    person = KeyPerson(created_by=user if user is not None and user.is_authenticated else None,
                       registered_on=fields.get("registered_on") or timezone.localdate())
    fields.setdefault("registered_on", person.registered_on)
    related, changed = _clean(person, dict(fields), user=user, creating=True)
    _save(person)
    _set_related(person, related, changed)
    _record(action=AuditAction.CREATE, user=user, request=request, obj=person,
            detail={"fields": sorted(set(changed))})
    if person.status == Status.LOST:
        notify_lost(person)
    return person


@transaction.atomic
def keyperson_update(*, person: KeyPerson, user: User | None, request=None, purpose: str = "",
                     **fields) -> KeyPerson:
    """Correct a person: only what is given is checked and changed (an empty secret field on
    the edit page is "keep it", and is not passed). Changing the risk level moves the next
    follow-up; a change to lost contact is told at once. Audited as one "change" row naming the
    fields that changed (not their values)."""
    person = KeyPerson.objects.select_for_update().get(pk=person.pk)
    if person.is_archived:
        raise ValidationError({"archived_reason": [_("An archived person cannot be changed.")]})
    was_lost = person.status == Status.LOST
    related, changed = _clean(person, dict(fields), user=user, creating=False)
    _save(person)
    _set_related(person, related, changed)
    detail = {"fields": sorted(set(changed))}
    if purpose.strip():
        detail["purpose"] = purpose.strip()
    _record(action=AuditAction.CHANGE, user=user, request=request, obj=person, detail=detail)
    if person.status == Status.LOST and not was_lost:
        notify_lost(person)
    return person


@transaction.atomic
def keyperson_archive(*, person: KeyPerson, user: User | None, request=None, reason: str) -> KeyPerson:
    """Take a person off the register, with the reason (moved away for good, no longer a
    risk, died). The row stays, read-only. Audited as one "archive" row with the reason."""
    person = KeyPerson.objects.select_for_update().get(pk=person.pk)
    reason = (reason or "").strip()
    if person.is_archived:
        raise ValidationError({"reason": [_("Already archived.")]})
    if len(reason) < REASON_MIN:
        raise ValidationError({"reason": [_("Give the reason for archiving (at least %(n)d characters).") % {
            "n": REASON_MIN}]})
    person.archived_at = timezone.now()
    person.archived_reason = reason[:200]
    person.archived_by = user if user is not None and user.is_authenticated else None
    person.save(update_fields=["archived_at", "archived_reason", "archived_by", "updated_at"])
    _record(action=AuditAction.ARCHIVE, user=user, request=request, obj=person, detail={"reason": person.archived_reason})
    return person


# -- revealing -----------------------------------------------------------------------------------


def keyperson_reveal(*, person: KeyPerson, user: User, request=None, purpose: str) -> dict:
    """The person's secrets in plain text, for this answer only: only for a holder of
    keypersons.reveal_keyperson, only with a purpose (why he needs the number now), and
    recorded as one "reveal" row with that purpose. Nothing is stored in plain text."""
    if not user.has_perm("keypersons.reveal_keyperson"):
        raise PermissionDenied(_("Only the register's keepers may reveal."))
    purpose = (purpose or "").strip()
    if len(purpose) < PURPOSE_MIN:
        raise ValidationError({"purpose": [_("Say why you need it (at least %(n)d characters).") % {"n": PURPOSE_MIN}]})
    values = {name: person.secret(name) for name in SECRET_FIELDS}
    values["co_managers"] = [{"id": c.pk, "kind": c.kind, "kind_label": str(c.get_kind_display()), "name": c.name,
                              "contact": c.secret("contact")}
                             for c in person.co_managers.order_by("pk")]
    _record(action=AuditAction.REVEAL, user=user, request=request, obj=person,
            detail={"purpose": purpose[:500], "fields": [*SECRET_FIELDS, "co_managers"]})
    return values


# -- follow-ups ----------------------------------------------------------------------------------


@transaction.atomic
def followup_create(*, person: KeyPerson, user: User | None, request=None, date: datetime.date, officer: Person,
                    method: str, observed: str, status_after: str, away_place: str = "",
                    away_until: datetime.date | None = None) -> FollowUp:
    """Record a visit or a call. The person's status becomes the one seen; his next follow-up
    is due one interval of his risk level after the latest one; a change to lost contact is
    told to the station's keepers and HQ at once. Audited as one "create" row of the
    follow-up, naming the person."""
    person = KeyPerson.objects.select_for_update().get(pk=person.pk)
    errors: dict[str, list[str]] = {}
    if person.is_archived:
        errors["key_person"] = [_("An archived person gets no follow-ups.")]
    if date is None:
        errors["date"] = [_("This field is required.")]
    elif date > timezone.localdate():
        errors["date"] = [_("A follow-up cannot be in the future.")]
    if officer is None:
        errors["officer"] = [_("This field is required.")]
    elif not in_scope(user, officer.unit_id):
        errors["officer"] = [_("This person is not in your scope.")]
    if method not in FollowUpMethod.values:
        errors["method"] = [_("Choose how he was followed up.")]
    if not (observed or "").strip():
        errors["observed"] = [_("Say what was seen.")]
    if status_after not in Status.values:
        errors["status_after"] = [_("Choose stable and in place, away, or lost contact.")]
    if status_after == Status.AWAY and (not (away_place or "").strip() or away_until is None):
        errors["away_place"] = [_("Say where he has gone and until when.")]
    if errors:
        raise ValidationError(errors)
    follow_up = FollowUp(key_person=person, date=date, officer=officer, method=method, status_after=status_after,
                         due_on=person.follow_up_due,
                         created_by=user if user is not None and user.is_authenticated else None)
    follow_up.set_secret("observed", observed.strip())
    follow_up.full_clean()
    follow_up.save()
    was_lost = person.status == Status.LOST
    person.last_follow_up_on = max(filter(None, [person.last_follow_up_on, date]))
    person.status = status_after
    person.away_place, person.away_until = ((away_place.strip(), away_until) if status_after == Status.AWAY
                                            else ("", None))
    _save(person)
    _record(action=AuditAction.CREATE, user=user, request=request, obj=follow_up,
            detail={"key_person": person.pk, "status_after": status_after, "on_time": follow_up.on_time})
    if status_after == Status.LOST and not was_lost:
        notify_lost(person)
    return follow_up


# -- telling the station and HQ -----------------------------------------------------------------


def _tell(person: KeyPerson, title: str) -> int:
    """In-app, email and SMS through the outbox, in the caller's transaction. The title names
    the station and the date, never the person: an SMS or an email leaves the system."""
    return notify_users(users=keepers_and_hq(person.station_id), title=title,
                        link=reverse("keypersons:keyperson_detail", args=[person.pk]))


def notify_lost(person: KeyPerson) -> int:
    station = Unit.objects.filter(pk=person.station_id).values_list("name", flat=True).first() or ""
    return _tell(person, _("%(station)s: a key person has lost contact (record %(id)d)") % {
        "station": station, "id": person.pk})


def keypersons_alert_overdue(*, today: datetime.date | None = None) -> int:
    """Tell the keepers and HQ of every follow-up overdue today, once per overdue period: the
    due date alerted is written with a conditional UPDATE, so two runs at once, or one run
    twice, send one alert. Returns how many were alerted."""
    today = today or timezone.localdate()
    due = KeyPerson.objects.overdue(today=today).filter(
        Q(overdue_alerted_for__isnull=True) | ~Q(overdue_alerted_for=F("follow_up_due")))
    alerted = 0
    for person in due.select_related("station").order_by("pk"):
        with transaction.atomic():
            won = KeyPerson.objects.filter(pk=person.pk, follow_up_due=person.follow_up_due).filter(
                Q(overdue_alerted_for__isnull=True) | ~Q(overdue_alerted_for=person.follow_up_due)
            ).update(overdue_alerted_for=person.follow_up_due)
            if won:
                _tell(person, _("%(station)s: a key person's follow-up is overdue since %(date)s (record %(id)d)") % {
                    "station": person.station.name, "date": f"{person.follow_up_due:%Y-%m-%d}", "id": person.pk})
                alerted += 1
    return alerted

