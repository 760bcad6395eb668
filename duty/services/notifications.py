"""Telling people that their shifts changed: an in-app notification, and email and SMS
written to the outbox, all in the same transaction as the change; core.deliver_outbox sends
them after the commit (a broker or gateway outage delays them, and never fails the change)."""

from __future__ import annotations

from collections import defaultdict

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import OutboxKind
from core.outbox import outbox_enqueue_messages
from duty.models import Assignment, Notification, Shift
from org.models import Person, Role, User


def shift_text(shift: Shift) -> str:
    """A shift as people read it in a message: post, day, period and time."""
    start = timezone.localtime(shift.starts_at)
    end = timezone.localtime(shift.ends_at)
    return f"{shift.post} {start:%m月%d日} {shift.get_period_display()} {start:%H:%M}-{end:%H:%M}"


def notify_people(*, items: list[tuple[int, str, str, int | None]]) -> int:
    """items: (person_id, title, body, shift_id). Creates in-app notifications for people
    with an account and writes their email and SMS to the outbox, in the caller's
    transaction. Returns how many in-app notifications."""
    if not items:
        return 0
    people = {
        p.pk: p for p in Person.objects.filter(pk__in={pid for pid, *_ in items}).select_related("user")
    }
    notes = []
    outbound = []
    for person_id, title, body, shift_id in items:
        person = people.get(person_id)
        if person is None:
            continue
        if person.user_id:
            notes.append(Notification(recipient_id=person.user_id, title=title, body=body, shift_id=shift_id))
        email = person.user.email if person.user_id else ""
        if email:
            outbound.append((OutboxKind.EMAIL, {"to": email, "subject": title, "body": body or title}))
        if person.phone:
            outbound.append((OutboxKind.SMS, {"phone": person.phone, "text": title}))
    with transaction.atomic():
        Notification.objects.bulk_create(notes)
        if outbound:
            outbox_enqueue_messages(messages=outbound)
    return len(notes)


def notify_users(*, users, title: str, body: str = "", link: str = "", sms: bool = True) -> int:
    """Tell these login accounts at once: an in-app notification (opening `link`), an email
    when they have an address, and, with `sms`, a text message to the phone of the person
    on the roster each account stands for, all written in the caller's transaction (the
    outbox delivers them after the commit). Returns how many were told."""
    users = [user for user in users if user.is_active]
    if not users:
        return 0
    phones = dict(
        Person.objects.filter(user__in=users).exclude(phone="").values_list("user_id", "phone")
    ) if sms else {}
    outbound = []
    for user in users:
        if user.email:
            outbound.append((OutboxKind.EMAIL, {"to": user.email, "subject": title, "body": body or title}))
        if user.pk in phones:
            outbound.append((OutboxKind.SMS, {"phone": phones[user.pk], "text": f"{title} {body}".strip()[:300]}))
    with transaction.atomic():
        Notification.objects.bulk_create(
            [Notification(recipient=user, title=title, body=body, link=link) for user in users]
        )
        if outbound:
            outbox_enqueue_messages(messages=outbound)
    return len(users)


def notify_station_dispatchers(*, station_id: int, title: str, body: str = "", shift_id: int | None = None) -> int:
    """Tell the dispatchers of a station (active users with that role and unit) about a change
    on its roster: an in-app notification, and an email through the outbox when they have an
    address. Returns how many were told."""
    dispatchers = list(User.objects.filter(unit_id=station_id, role=Role.DISPATCHER, is_active=True))
    with transaction.atomic():
        Notification.objects.bulk_create(
            [Notification(recipient=u, title=title, body=body, shift_id=shift_id) for u in dispatchers]
        )
        outbound = [(OutboxKind.EMAIL, {"to": u.email, "subject": title, "body": body or title})
                    for u in dispatchers if u.email]
        if outbound:
            outbox_enqueue_messages(messages=outbound)
    return len(dispatchers)


def notify_shift_changes(*, shift_ids, cancelled_ids=frozenset()) -> int:
    """After generation re-timed or cancelled published shifts: tell whoever is on them."""
    rows = (
        Assignment.objects.filter(shift_id__in=shift_ids, shift__published=True)
        .select_related("shift__post__school")
    )
    items = []
    for assignment in rows:
        shift = assignment.shift
        if shift.pk in cancelled_ids:
            title = _("Shift cancelled: %(shift)s") % {"shift": shift_text(shift)}
        else:
            title = _("Shift re-timed: %(shift)s") % {"shift": shift_text(shift)}
        items.append((assignment.person_id, title, "", shift.pk))
    return notify_people(items=items)


def notify_assignment(*, person_id: int, shift: Shift, change: str) -> int:
    """One person's change on a published shift: assigned, removed or moved."""
    titles = {
        "assigned": _("New shift: %(shift)s"),
        "removed": _("Removed from shift: %(shift)s"),
    }
    return notify_people(items=[(person_id, titles[change] % {"shift": shift_text(shift)}, "", shift.pk)])


def notify_published(*, shift_ids) -> int:
    """A week was published: one message per person listing his shifts of the week."""
    per_person: dict[int, list[str]] = defaultdict(list)
    first_shift: dict[int, int] = {}
    rows = (
        Assignment.objects.filter(shift_id__in=shift_ids, active=True)
        .select_related("shift__post__school")
        .order_by("starts_at")
    )
    for assignment in rows:
        per_person[assignment.person_id].append(shift_text(assignment.shift))
        first_shift.setdefault(assignment.person_id, assignment.shift_id)
    items = [
        (person_id, _("Your shifts were published (%(count)d)") % {"count": len(lines)}, "\n".join(lines),
         first_shift[person_id])
        for person_id, lines in per_person.items()
    ]
    return notify_people(items=items)


def notifications_mark_read(*, user, notification_ids) -> int:
    """Mark the user's notifications read (the ones a page has just shown), in one UPDATE."""
    return Notification.objects.filter(
        recipient=user, pk__in=list(notification_ids), read_at__isnull=True
    ).update(read_at=timezone.now())
