"""Pages for attendance at the post: the officer's check-in, the live duty board.

Both pages only read (attendance.selectors.live); every write goes through the attendance API
(/api/v1/assignments/{id}/check-in/, check-out/, excuse/), which calls the services."""

from __future__ import annotations

import datetime

from django import forms
from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from django_htmx.http import HttpResponseClientRedirect

from attendance.api import CheckInSerializer
from attendance.models import CheckInMethod, KitItem
from attendance.selectors.live import PostState, current_peak, live_board, person_shift_now
from attendance.services import KIT_WEARERS
from core import registry
from duty.models import AttendanceStatus
from duty.selectors.roster import person_for_user, roster_stations
from posts.models import WEEKDAY_LABELS, Period

REFRESH_SECONDS = 15
REFRESH_LIMITS = (2, 300)


def kit_choices() -> list[dict]:
    return [{"value": value, "label": str(label)} for value, label in KitItem.choices]


# -- the officer's "my shift now" ------------------------------------------------------------


class CheckInView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    """The phone page: the shift running or next today, a big check-in button, the kit
    checklist for police and auxiliaries, then check-out. static/js/checkin.js sends the
    location to the API; this view only says which assignment and in what state."""

    permission_required = "attendance.add_checkin"
    template_name = "attendance/checkin.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person = person_for_user(self.request.user)
        context["person"] = person
        if person is None:
            return context
        now = timezone.now()
        shift_now = person_shift_now(person=person, now=now)
        context["shift_now"] = shift_now
        context["wears_kit"] = person.kind in KIT_WEARERS
        context["kit"] = kit_choices()
        next_shift = shift_now.next_shift
        if next_shift is not None:
            context["next_weekday"] = WEEKDAY_LABELS[next_shift.shift.date.isoweekday()]
        current = shift_now.current
        if current is None:
            return context
        context["weekday"] = WEEKDAY_LABELS[current.shift.date.isoweekday()]
        if shift_now.is_excused:
            return context
        assignment = current.assignment
        check_in = shift_now.check_in
        context["shift_actions"] = [
            {"key": action.key, "label": action.label, "icon": action.icon,
             "url": f"{reverse(action.url_name)}?{urlencode({'assignment': assignment.pk})}"}
            for action in registry.shift_actions(self.request.user)
        ]
        context["checkin_config"] = {
            "assignment": assignment.pk,
            "urls": {
                "check_in": reverse("assignment-check-in", args=[assignment.pk]),
                "check_out": reverse("assignment-check-out", args=[assignment.pk]),
            },
            "ends_at": assignment.ends_at.isoformat(),
            "end_time": timezone.localtime(assignment.ends_at).strftime("%H:%M"),
            "opens_in": shift_now.seconds_to_open,
            "time_zone": settings.TIME_ZONE,
            "wears_kit": context["wears_kit"],
            "kit": context["kit"],
            "attendance": {value: str(label) for value, label in AttendanceStatus.choices},
            # The same shape as the API's answer, so the page shows both the same way.
            "check_in": CheckInSerializer(check_in).data if check_in is not None else None,
        }
        return context


# -- the live duty board -----------------------------------------------------------------------


class LiveBoardQuery(forms.Form):
    """Which board: a station in scope (or "all"), a day and a peak, and how often the body
    refreshes. A day or period that does not parse means the current peak; a station that
    is not in scope is None, and the view answers 404 so nothing leaks."""

    ALL = "all"

    station = forms.CharField(required=False)
    date = forms.DateField(required=False)
    period = forms.ChoiceField(required=False, choices=Period.choices)
    refresh = forms.IntegerField(required=False)

    def __init__(self, data, *, stations, default_station, now):
        super().__init__(data)
        self.stations = {unit.pk: unit for unit in stations}
        self.default_station = default_station
        self.now = now
        self.is_valid()

    def picked(self, name):
        """The value asked for, or None when it was left out or does not parse."""
        return None if name in self.errors else self.cleaned_data.get(name) or None

    def station_choice(self):
        """(found, station): station None with found True means every station in scope."""
        raw = (self.data.get("station") or "").strip()
        if not raw:
            return True, self.default_station
        if raw == self.ALL:
            return True, None
        try:
            unit = self.stations.get(int(raw))
        except ValueError:
            unit = None
        return unit is not None, unit

    def peak(self) -> tuple[datetime.date, str]:
        day, period = current_peak(self.now)
        return self.picked("date") or day, self.picked("period") or period

    def refresh_seconds(self) -> int:
        wanted = self.picked("refresh") or REFRESH_SECONDS
        return max(REFRESH_LIMITS[0], min(REFRESH_LIMITS[1], wanted))


class LiveBoardView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    """Every post's state for the current peak, for one station or every station in scope.
    The body (_live_board_body.html) reloads itself through htmx: a request with HX-Request
    gets the body alone. Dispatchers record a radio roll-call or an excuse from it."""

    permission_required = "attendance.view_checkin"
    template_name = "attendance/live_board.html"
    body_template_name = "attendance/_live_board_body.html"

    def handle_no_permission(self):
        # A board left open after the sign-in has expired must not swap the login page into
        # itself: send the whole window there instead.
        if getattr(self.request, "htmx", False) and not self.request.user.is_authenticated:
            return HttpResponseClientRedirect(
                redirect_to_login(self.request.get_full_path(), self.get_login_url()).url
            )
        return super().handle_no_permission()

    def get_template_names(self):
        return [self.body_template_name if self.request.htmx else self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        now = timezone.now()
        stations = roster_stations(user=user)
        default = next((s for s in stations if s.pk == user.unit_id), None)
        query = LiveBoardQuery(self.request.GET, stations=stations, default_station=default, now=now)
        found, station = query.station_choice()
        if not found:
            raise Http404(_("No such police station in your scope."))
        day, period = query.peak()
        board = live_board(user=user, station=station, day=day, period=period, now=now)
        may_record = user.has_perm("attendance.add_checkin") and user.has_perm("duty.change_assignment")
        context.update(
            board=board,
            stations=stations,
            station=station,
            station_value=str(station.pk) if station else LiveBoardQuery.ALL,
            day=day,
            period=period,
            period_label=Period(period).label,
            weekday=WEEKDAY_LABELS[day.isoweekday()],
            is_current=(day, period) == current_peak(now),
            ended=bool(board.posts) and all(p.shift.ends_at <= now for p in board.posts),
            states=[{"value": s.value, "label": s.label, "count": board.counts[s.value]} for s in PostState],
            periods=Period.choices,
            # The picker shows what was asked for: empty fields follow the clock.
            picked_date=query.picked("date"),
            picked_period=query.picked("period"),
            refresh=query.refresh_seconds(),
            refresh_url=self.request.get_full_path(),
            can_roll_call=may_record,
            can_excuse=user.has_perm("duty.change_assignment"),
            kit=kit_choices(),
            radio=CheckInMethod.RADIO.value,
            alerts=registry.board_alerts(user=user, station=station, now=now),
            now_url=f"{reverse('attendance:live')}?station={station.pk if station else LiveBoardQuery.ALL}",
        )
        return context
