"""Duty pages: the roster board (the server renders the week; its script writes through the
roster API), its printable and Excel forms, an officer's own shifts and calendar feed,
notifications, and the leave, standing-assignment and shift lists. Views parse input and
call selectors; every write goes through the API or the generic edit views."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import pgettext, pgettext_lazy
from django.views import View
from django.views.generic import ListView, TemplateView

from audit.models import AuditAction
from audit.services import audit_record
from core.signals import query_filters
from duty.feeds import feed_token, person_for_feed_token, shift_calendar
from duty.filters import LeaveFilterSet, ShiftFilterSet, StandingAssignmentFilterSet
from duty.forms import LeaveForm, RosterQueryForm, StandingAssignmentForm
from duty.models import Assignment, Leave, Notification, Shift, StandingAssignment
from duty.selectors.roster import person_for_user, person_shifts, roster_stations, roster_week
from duty.services.leave import leave_create, leave_update
from duty.services.standing import (
    STANDING_FIELDS,
    standing_assignment_create,
    standing_assignment_delete,
    standing_assignment_update,
)
from duty.services.notifications import notifications_mark_read, shift_text
from core.excel import build_workbook, workbook_response
from core.tables import Column
from core.views import ObjectDeleteView, ObjectDetailView, ObjectEditView, ObjectListView
from org.models import Person, PersonKind
from posts.calendar import week_start
from posts.models import WEEKDAY_LABELS, Period

ROSTER_TITLE = gettext_lazy("Roster of school-protection posts")

# Short kind labels for crowded roster cells (the full label is in the tooltip).
KIND_SHORT = {
    PersonKind.POLICE: pgettext_lazy("person kind, short", "Pol"),
    PersonKind.AUXILIARY: pgettext_lazy("person kind, short", "Aux"),
    PersonKind.SCHOOL_SECURITY: pgettext_lazy("person kind, short", "Sec"),
    PersonKind.GUARD: pgettext_lazy("person kind, short", "Grd"),
    PersonKind.STAFF: pgettext_lazy("person kind, short", "Stf"),
    PersonKind.VOLUNTEER: pgettext_lazy("person kind, short", "Vol"),
}
MY_SHIFTS_DAYS = 14
ONE_WEEK = datetime.timedelta(days=7)


def kind_labels() -> list[dict]:
    return [
        {"kind": kind.value, "label": str(kind.label), "short": str(KIND_SHORT[kind])} for kind in PersonKind
    ]


# -- the roster board and its printable / Excel forms ------------------------------------


def week_name(week: datetime.date, today: datetime.date) -> str:
    """How the board names a week in its buttons and questions: "this week", "last week" or
    "next week" around today, any other week by its dates ("12月14日–12月20日这一周"), so
    that publishing or copying never says "this week" about another one."""
    this_week = week_start(today)
    relative = {
        this_week: pgettext("roster week", "this week"),
        this_week - ONE_WEEK: pgettext("roster week", "last week"),
        this_week + ONE_WEEK: pgettext("roster week", "next week"),
    }
    if week in relative:
        return relative[week]
    day = pgettext("month and day, a date format", "M j")
    return _("the week of %(start)s–%(end)s") % {
        "start": dateformat.format(week, day), "end": dateformat.format(week + datetime.timedelta(days=6), day),
    }


class RosterPageMixin(LoginRequiredMixin, PermissionRequiredMixin):
    """Signed in, holding the permission, and asking for a station in scope (else 404)."""

    permission_required = "duty.view_shift"

    def roster_params(self):
        user = self.request.user
        stations = roster_stations(user=user)
        default = next((s for s in stations if s.pk == user.unit_id), stations[0] if stations else None)
        form = RosterQueryForm(self.request.GET, stations=stations, default_station=default)
        station = form.chosen_station()
        if station is None:
            raise Http404(_("No such police station in your scope."))
        return stations, station, form.week_start()

    def week_query(self, station, week: datetime.date) -> str:
        return f"?station={station.pk}&week={week.isoformat()}"


def board_permissions(user) -> dict:
    """What the dispatcher may do on the board: the grid shows only the controls he can use."""
    return {
        "assign": user.has_perm("duty.add_assignment"),
        "remove": user.has_perm("duty.delete_assignment"),
        "move": user.has_perm("duty.change_assignment"),
        "publish": user.has_perm("duty.change_rosterweek"),
        "generate": user.has_perm("duty.add_shift"),
    }


class RosterBoardView(RosterPageMixin, TemplateView):
    """The dispatcher's board. The server renders the week (templates/duty/_roster_grid.html,
    the printable page's grid too); static/js/roster.js writes through the API and asks for
    the changed cells again (RosterCellView), or the whole week: an htmx request to this page
    gets the grid alone."""

    permission_required = "duty.add_assignment"
    template_name = "duty/roster_board.html"

    def get_template_names(self):
        return ["duty/_roster_update.html"] if self.request.htmx else [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        stations, station, week = self.roster_params()
        user = self.request.user
        days = [week + datetime.timedelta(days=i) for i in range(7)]
        today = timezone.localdate()
        can = board_permissions(user)
        config = {
            "station": station.pk,
            "week": week.isoformat(),
            # The shown week and the one before it, named for the buttons and questions.
            "week_name": week_name(week, today),
            "prev_week_name": week_name(week - ONE_WEEK, today),
            "is_this_week": week == week_start(today),
            "week_over": days[-1] < today,
            "urls": {
                "candidates": reverse("api-roster-candidates"),
                "assignments": reverse("assignment-list"),
                "publish": reverse("api-roster-publish"),
                "copy": reverse("api-roster-copy-week"),
                "generate": reverse("shift-generate"),
            },
            "can": can,
            "kinds": kind_labels(),
        }
        query = self.week_query(station, week)
        board = roster_week(station=station, week_start=week, user=user)
        context.update(
            stations=stations,
            station=station,
            week=week,
            week_end=days[-1],
            days=days,
            prev_url=self.week_query(station, week - datetime.timedelta(days=7)),
            next_url=self.week_query(station, week + datetime.timedelta(days=7)),
            this_week_url=self.week_query(station, week_start(timezone.localdate())),
            print_url=reverse("duty:roster_print") + query,
            export_url=reverse("duty:roster_export") + query,
            week_url=reverse("duty:roster") + query,
            roster_config=config,
            can=can,
            grid=roster_grid(board, today=today),
            interactive=True,
            week_name=config["week_name"],
            week_over=config["week_over"],
        )
        return context


class RosterCellView(RosterPageMixin, TemplateView):
    """One cell of the board, rendered again after a write (htmx asks for it), with the week's
    totals beside it to swap in out of band. The shift must be on a board the user may open:
    another station's shift answers 404, like its board."""

    permission_required = "duty.add_assignment"
    template_name = "duty/_roster_update.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        shift = get_object_or_404(Shift.objects.visible_to(user).select_related("station"), pk=kwargs["shift"])
        if shift.station_id not in {s.pk for s in roster_stations(user=user)}:
            raise Http404(_("No such police station in your scope."))
        today = timezone.localdate()
        week = week_start(shift.date)
        grid = roster_grid(roster_week(station=shift.station, week_start=week, user=user), today=today)
        found = next(((row, slot) for row in grid["rows"] for slot in row["slots"]
                      if slot["cell"] and slot["cell"]["id"] == shift.pk), None)
        if found is None:  # its post is no longer active: not on the board
            raise Http404
        row, slot = found
        context.update(grid=grid, row=row, slot=slot, can=board_permissions(user), interactive=True)
        return context


def kind_list(counts: dict) -> list[dict]:
    """{"guard": 2, "police": 1} as a list in the order of PersonKind, each kind with its
    short and full label; kinds counted 0 are left out."""
    return [
        {"kind": kind.value, "short": KIND_SHORT[kind], "label": kind.label, "count": counts[kind.value]}
        for kind in PersonKind if counts.get(kind.value)
    ]


def kind_counts(counts: dict) -> str:
    """{"police": 1, "guard": 2} as "Pol1 Grd2", with the short kind labels of the board."""
    return " ".join(f"{k['short']}{k['count']}" for k in kind_list(counts))


def present_cell(shift: dict | None) -> dict | None:
    """A roster cell (a shift of roster_week) as the grid, the printable page and the Excel
    file show it. Whether it is open (not cancelled, not over) and its state are decided
    here, once, for every page."""
    if shift is None:
        return None
    cancelled = shift["status"] == "cancelled"
    ended = not cancelled and shift["ended"]
    kinds = []
    for kind in PersonKind:
        people = [p for p in shift["people"] if p["kind"] == kind.value]
        if people:
            kinds.append({"kind": kind.value, "label": kind.label, "short": KIND_SHORT[kind], "people": people})
    missing, over = kind_list(shift["missing"]), kind_list(shift["over"])
    if cancelled or ended:
        state = "cancelled" if cancelled else "ended"
    else:
        state = "short" if missing else "over" if over else ""
    return {
        "id": shift["id"],
        "window": shift["window"],
        "cancelled": cancelled,
        "ended": ended,
        "open": not cancelled and not ended,
        "state": state,
        "kinds": kinds,
        "groups": [(k["label"], [p["name"] for p in k["people"]]) for k in kinds],
        "missing": kind_counts(shift["missing"]),
        "over": kind_counts(shift["over"]),
        "missing_kinds": missing,
        "over_kinds": over,
    }


def roster_grid(board: dict, *, today: datetime.date) -> dict:
    """A week of roster_week as templates/duty/_roster_grid.html draws it, for the board and
    the printable page alike: days, rows of posts, each with its fourteen slots (a day and a
    period, and the cell of its shift or None), the totals and when the week was published."""
    periods = {Period.AM.value: Period.AM.label, Period.PM.value: Period.PM.label}
    days = [
        {"date": datetime.date.fromisoformat(d["date"]), "weekday": WEEKDAY_LABELS[d["weekday"]],
         "guess": d["calendar_guess"]}
        for d in board["days"]
    ]
    for day in days:
        day["today"] = day["date"] == today
    rows = []
    for row in board["rows"]:
        slots = [
            {"date": datetime.date.fromisoformat(c["date"]), "period": c["period"],
             "period_label": periods[c["period"]], "cell": present_cell(c["shift"])}
            for c in row["cells"]
        ]
        rows.append({
            "post": row["post"],
            "staffing": kind_counts(row["post"]["staffing"]),
            "slots": slots,
            "cells": [slot["cell"] for slot in slots],
            "has_shifts": any(slot["cell"] for slot in slots),
        })
    published_at = board["published_at"]
    return {
        "days": days,
        "periods": list(periods.values()),
        "rows": rows,
        "totals": board["totals"],
        "published_at": datetime.datetime.fromisoformat(published_at) if published_at else None,
    }


def cell_text(cell: dict | None) -> str:
    if cell is None:
        return ""
    if cell["cancelled"]:
        return f"{cell['window']} {_('Cancelled')}"
    parts = [cell["window"]]
    parts += [f"{label}：{'、'.join(names)}" for label, names in cell["groups"]]
    if cell["missing"]:
        parts.append(_("Missing: %(what)s") % {"what": cell["missing"]})
    return "；".join(parts)


class RosterPrintView(RosterPageMixin, TemplateView):
    """The week as a clean landscape table: the board's grid template, without its controls."""

    template_name = "duty/roster_print.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        _stations, station, week = self.roster_params()
        today = timezone.localdate()
        board = roster_week(station=station, week_start=week, user=self.request.user)
        grid = roster_grid(board, today=today)
        audit_record(action=AuditAction.PRINT, request=self.request, obj=station, detail={
            "list": str(ROSTER_TITLE), "week": week.isoformat(), "rows": len(grid["rows"]), "format": "html"})
        context.update(
            title=ROSTER_TITLE,
            station=station,
            week=week,
            week_end=grid["days"][-1]["date"],
            grid=grid,
            rows=grid["rows"],
            board=board,
            published_at=grid["published_at"],
            guessed=any(day["guess"] for day in grid["days"]),
            kinds=kind_labels(),
            interactive=False,
            week_name=week_name(week, today),
            board_url=reverse("duty:roster") + self.week_query(station, week),
        )
        return context


class RosterExportView(RosterPageMixin, View):
    """The week as an Excel file: one row per post, one column per day and period."""

    def get(self, request):
        _stations, station, week = self.roster_params()
        board = roster_week(station=station, week_start=week, user=request.user)
        headers = [_("school"), _("post"), _("staffing")]
        for day in board["days"]:
            date = datetime.date.fromisoformat(day["date"])
            for period in (Period.AM, Period.PM):
                headers.append(f"{date:%m-%d} {WEEKDAY_LABELS[day['weekday']]} {period.label}")
        rows = [
            [row["post"]["school"], row["post"]["name"], kind_counts(row["post"]["staffing"]),
             *[cell_text(present_cell(cell["shift"])) for cell in row["cells"]]]
            for row in board["rows"]
        ]
        title = str(ROSTER_TITLE)
        content = build_workbook(title, [str(h) for h in headers], rows)
        audit_record(action=AuditAction.EXPORT, request=request, obj=station, detail={
            "list": title, "week": week.isoformat(), "filters": query_filters(request.GET), "rows": len(rows),
            "format": "xlsx"})
        return workbook_response(f"{title}-{station.name}-{week.isoformat()}", content)


# -- an officer's own shifts -------------------------------------------------------------


def person_of(user) -> Person:
    person = person_for_user(user)
    if person is None:
        raise Http404(_("Your account is not linked to a person on the roster."))
    return person


class MyShiftsView(LoginRequiredMixin, TemplateView):
    """The coming two weeks of the signed-in person's published shifts, as phone cards."""

    template_name = "duty/my_shifts.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person = person_of(self.request.user)
        today = timezone.localdate()
        items = person_shifts(person=person, start=today,
                              end=today + datetime.timedelta(days=MY_SHIFTS_DAYS - 1))
        now = timezone.now()
        cards = [
            {
                "item": item,
                "date": item.shift.date,
                "weekday": WEEKDAY_LABELS[item.shift.date.isoweekday()],
                "is_today": item.shift.date == today,
                "is_tomorrow": item.shift.date == today + datetime.timedelta(days=1),
                "ended": item.shift.ends_at <= now,
            }
            for item in items
        ]
        feed_url = self.request.build_absolute_uri(
            reverse("duty:my_shifts_feed") + "?token=" + feed_token(self.request.user)
        )
        context.update(person=person, cards=cards, days=MY_SHIFTS_DAYS, feed_url=feed_url)
        return context


class MyShiftsFeedView(View):
    """The personal iCalendar feed. No session: the signed token in the URL is the key."""

    def get(self, request):
        person = person_for_feed_token(request.GET.get("token", ""))
        if person is None:
            raise Http404(_("Unknown calendar link."))
        response = HttpResponse(shift_calendar(person), content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = 'inline; filename="huxue.ics"'
        response["Cache-Control"] = "private, max-age=900"
        return response


# -- notifications -----------------------------------------------------------------------


class NotificationListView(LoginRequiredMixin, ListView):
    """The user's notifications, newest first; the ones shown are marked read."""

    template_name = "duty/notifications.html"
    paginate_by = 30
    context_object_name = "notifications"

    def get_queryset(self):
        return Notification.objects.filter(recipient=self.request.user).order_by("-created_at", "-pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        shown = list(context["notifications"])
        unread = [n.pk for n in shown if n.read_at is None]
        if unread:
            notifications_mark_read(user=self.request.user, notification_ids=unread)
        context["notifications"] = shown
        return context


# -- leave, standing assignments, shifts ---------------------------------------------------


LEAVE_COLUMNS = [
    Column("person.name", gettext_lazy("person"), link=True),
    Column("person.kind", gettext_lazy("kind")),
    Column("station.name", gettext_lazy("unit")),
    Column("start_date", gettext_lazy("from")),
    Column("end_date", gettext_lazy("to")),
    Column("reason", gettext_lazy("reason")),
]

STANDING_COLUMNS = [
    Column("person.name", gettext_lazy("person"), link=True),
    Column("person.kind", gettext_lazy("kind")),
    Column("post", gettext_lazy("post"), value=lambda s: str(s.post)),
    Column("weekdays_display", gettext_lazy("weekdays")),
    Column("periods", gettext_lazy("periods")),
    Column("start_date", gettext_lazy("from")),
    Column("end_date", gettext_lazy("to")),
]

SHIFT_COLUMNS = [
    Column("post", gettext_lazy("post"), link=True, value=lambda s: str(s.post)),
    Column("date", gettext_lazy("date")),
    Column("period", gettext_lazy("period")),
    Column("window_display", gettext_lazy("window")),
    Column("status", gettext_lazy("status")),
    Column("published", gettext_lazy("published")),
]

ASSIGNMENT_COLUMNS = [
    Column("person.name", gettext_lazy("person")),
    Column("person.kind", gettext_lazy("kind")),
    Column("source", gettext_lazy("source")),
    Column("active", gettext_lazy("active")),
    Column("checked_in_at", gettext_lazy("checked in at")),
    Column("checked_out_at", gettext_lazy("checked out at")),
]


class LeaveListView(ObjectListView):
    model = Leave
    queryset = Leave.objects.select_related("person", "station")
    filterset_class = LeaveFilterSet
    columns = LEAVE_COLUMNS


class LeaveDetailView(ObjectDetailView):
    model = Leave
    queryset = Leave.objects.select_related("person", "station")
    fields = LEAVE_COLUMNS


class LeaveEditView(ObjectEditView):
    model = Leave
    form_class = LeaveForm

    def save_form(self, form):
        """Through the leave services: they take the person off shifts booked in those days."""
        fields = {name: form.cleaned_data[name] for name in ("person", "start_date", "end_date", "reason")}
        if form.instance.pk is None:
            self.saved = leave_create(user=self.request.user, **fields)
        else:
            self.saved = leave_update(user=self.request.user, leave=form.instance, **fields)
        return self.saved.leave

    def success_message(self, created: bool) -> str:
        message = super().success_message(created)
        removed = self.saved.removed_from
        if not removed:
            return message
        return message + " " + _("%(name)s was taken off %(count)d shifts: %(shifts)s.") % {
            "name": self.object.person.name, "count": len(removed),
            "shifts": "; ".join(shift_text(s) for s in removed),
        }


class LeaveDeleteView(ObjectDeleteView):
    model = Leave


class StandingAssignmentListView(ObjectListView):
    model = StandingAssignment
    queryset = StandingAssignment.objects.select_related("person", "post__school", "station")
    filterset_class = StandingAssignmentFilterSet
    columns = STANDING_COLUMNS


class StandingAssignmentDetailView(ObjectDetailView):
    model = StandingAssignment
    queryset = StandingAssignment.objects.select_related("person", "post__school", "station")
    fields = [*STANDING_COLUMNS, Column("station.name", gettext_lazy("police station"))]


class StandingAssignmentEditView(ObjectEditView):
    model = StandingAssignment
    form_class = StandingAssignmentForm

    def save_form(self, form):
        """Through the standing-assignment services: they put the person on the matching
        shifts already generated (or take him off the ones it no longer covers)."""
        fields = {name: form.cleaned_data[name] for name in STANDING_FIELDS}
        if form.instance.pk is None:
            self.saved = standing_assignment_create(user=self.request.user, **fields)
        else:
            self.saved = standing_assignment_update(user=self.request.user, standing=form.instance, **fields)
        return self.saved.standing

    def success_message(self, created: bool) -> str:
        return " ".join([super().success_message(created), *standing_outcome(self.saved)])


class StandingAssignmentDeleteView(ObjectDeleteView):
    model = StandingAssignment

    def delete_object(self, obj) -> None:
        self.saved = standing_assignment_delete(user=self.request.user, standing=obj)
        for line in standing_outcome(self.saved):
            messages.info(self.request, line)


def standing_outcome(saved) -> list[str]:
    """What saving or deleting a standing assignment did to the shifts already generated."""
    lines = []
    if saved.assigned:
        lines.append(_("Put on %(count)d generated shifts: %(shifts)s.") % {
            "count": len(saved.assigned), "shifts": "; ".join(shift_text(s) for s in saved.assigned)})
    if saved.removed:
        lines.append(_("Taken off %(count)d shifts: %(shifts)s.") % {
            "count": len(saved.removed), "shifts": "; ".join(shift_text(s) for s in saved.removed)})
    if saved.skipped:
        lines.append(_("Not put on %(count)d shifts: %(reasons)s") % {
            "count": len(saved.skipped), "reasons": "; ".join(saved.skipped)})
    return lines


class ReadOnlyMixin:
    """Shifts are generated, never typed in: no add, edit or delete links, whatever the
    permissions (dispatchers hold duty.add_shift to *generate* shifts)."""

    def has_model_perm(self, action: str) -> bool:
        return action == "view" and super().has_model_perm(action)


class ShiftListView(ReadOnlyMixin, ObjectListView):
    model = Shift
    queryset = Shift.objects.select_related("post__school")
    filterset_class = ShiftFilterSet
    columns = SHIFT_COLUMNS


class ShiftDetailView(ReadOnlyMixin, ObjectDetailView):
    model = Shift
    queryset = Shift.objects.select_related("post__school", "station")
    fields = [
        *SHIFT_COLUMNS,
        Column("station.name", gettext_lazy("police station")),
        Column("calendar_guess", gettext_lazy("calendar is a guess")),
    ]

    def get_related_tables(self):
        user = self.request.user

        def shown(field):
            # Check-in times only where the user may see them (Assignment.attendance_visible_to).
            return lambda a: getattr(a, field) if a.attendance_visible_to(user) else None

        columns = [
            Column(c.accessor, c.header, value=shown(c.accessor)) if c.accessor.startswith("checked_") else c
            for c in ASSIGNMENT_COLUMNS
        ]
        return [{
            "title": _("People on the shift"),
            "columns": columns,
            "rows": Assignment.objects.visible_to(user).filter(shift=self.object).select_related("person"),
        }]
