"""A person's shifts as an iCalendar feed, for the calendar app on his phone.

Calendar apps fetch a URL without signing in, so the URL carries a signed token: the user's
id and a fragment derived from his password hash. Changing the password changes the
fragment, which revokes every feed link handed out before."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core import signing
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from duty.selectors.roster import person_shifts
from org.models import Person, User

TOKEN_SALT = "huxue.ics-feed"
DAYS_BACK = 30
DAYS_AHEAD = 60


def _password_fragment(user: User) -> str:
    return salted_hmac("huxue.ics", user.password).hexdigest()[:16]


def feed_token(user: User) -> str:
    """The token of the user's personal feed URL."""
    return signing.dumps([user.pk, _password_fragment(user)], salt=TOKEN_SALT)


def person_for_feed_token(token: str) -> Person | None:
    """The person whose feed the token opens, or None for a bad, stale or foreign token."""
    try:
        user_id, fragment = signing.loads(token, salt=TOKEN_SALT)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    user = User.objects.filter(pk=user_id, is_active=True).first() if isinstance(user_id, int) else None
    if user is None or not isinstance(fragment, str):
        return None
    if not constant_time_compare(fragment, _password_fragment(user)):
        return None
    return Person.objects.filter(user=user).first()


def shift_calendar(person: Person) -> bytes:
    """The person's published, not cancelled shifts from 30 days ago to 60 days ahead."""
    today = timezone.localdate()
    cal = Calendar()
    cal.add("prodid", "-//Huxue//School-protection roster//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", _("School-protection shifts: %(name)s") % {"name": person.name})
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    stamp = timezone.now()
    tz = timezone.get_current_timezone()
    for item in person_shifts(person=person, start=today - datetime.timedelta(days=DAYS_BACK),
                              end=today + datetime.timedelta(days=DAYS_AHEAD)):
        shift = item.shift
        school = shift.post.school
        event = Event()
        event.add("uid", f"shift-{shift.pk}-person-{person.pk}@huxue")
        event.add("dtstamp", stamp)
        event.add("last-modified", shift.updated_at)
        event.add("dtstart", shift.starts_at.astimezone(tz))
        event.add("dtend", shift.ends_at.astimezone(tz))
        event.add("summary", _("%(post)s school protection") % {"post": shift.post})
        if school.address:
            event.add("location", school.address)
        lines = [f"{shift.get_period_display()} {shift.window_display}"]
        if item.others:
            lines.append(_("With: %(people)s") % {
                "people": "、".join(f"{p.name}（{p.get_kind_display()}）" for p in item.others)})
        event.add("description", "\n".join(lines))
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()
