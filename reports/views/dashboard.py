"""The HQ dashboard (/reports/dashboard/): a period and a unit (this month by default), today's
duty now, weekly trends, the station league, hazards and incidents, and the work report's
headline figures. Every number is reports.selectors.dashboard.dashboard_data's (one call);
this module only lays them out as tables (on the page, and each as Excel with
`?export=<table>`) and as the charts' data (static/js/dashboard.js draws them)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.http import HttpResponse, HttpResponseBadRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from audit.models import AuditAction
from audit.services import audit_record
from core.excel import build_workbook, workbook_response
from core.signals import query_filters
from reports.forms import FiguresForm
from reports.selectors.dashboard import dashboard_data
from reports.views.figures import quick_ranges
from supervision.documents import percent

NONE = "—"
# What a sheet's name cannot hold (Excel's rule).
NOT_IN_SHEET_NAME = re.compile(r"[\\/*?:\[\]]")


@dataclass
class Table:
    """One table of the page: what it shows, and what its Excel file holds."""

    key: str
    title: str
    headers: list[str]
    rows: list[list]
    total: list | None = None
    notes: list[str] = field(default_factory=list)

    def cells(self) -> list[list]:
        return [*self.rows, *([self.total] if self.total else [])]


# The chart drawn above a table (static/js/dashboard.js draws #chart-<name>), and the tables
# given the page's whole width.
CHARTS = {"weeks": "trend", "league": "league", "incidents": "incidents", "hazards": "hazards"}
WIDE = {"weeks", "incidents_weekly", "league"}


def _n(value):
    return NONE if value is None else value


def _week_label(week: dict) -> str:
    return _("Week %(number)d") % {"number": week["number"]}


def _days(week: dict) -> str:
    return f"{week['from']:%m-%d}~{week['to']:%m-%d}"


def _stages(row: dict) -> str:
    if row["stages_met"] is None:
        return NONE
    return f"{row['stages_met']}/{row['stages_decided']}"


def dashboard_tables(data: dict) -> dict[str, Table]:
    """Every table of the dashboard, by its export name, in the page's order."""
    tables: list[Table] = []
    now = data["duty_now"]
    states = now["states"]
    tables.append(Table(
        "now", _("Duty now: %(day)s %(period)s") % {"day": f"{now['day']:%Y-%m-%d}", "period": now["period_label"]},
        [_("police station"), _("posts"), *[s["label"] for s in states]],
        [[row["name"], row["posts"], *[row["counts"][s["state"]] for s in states]] for row in now["stations"]],
        [_("Total"), now["posts"], *[now["counts"][s["state"]] for s in states]],
    ))
    weeks = data["weeks"]
    tables.append(Table(
        "weeks", _("Weekly trends"),
        [_("week"), _("days"), _("person-times"), _("incidents"), _("hazards opened"), _("hazards closed"),
         _("follow-ups done")],
        [[_week_label(w), _days(w), w["person_times"], _n(w["incidents_total"]), _n(w["hazards_opened"]),
          _n(w["hazards_closed"]), _n(w["follow_ups"])] for w in weeks],
        [_("Total"), f"{data['start']:%m-%d}~{data['end']:%m-%d}", data["person_times"],
         *[NONE if weeks and weeks[0][key] is None else sum(w[key] for w in weeks)
           for key in ("incidents_total", "hazards_opened", "hazards_closed", "follow_ups")]],
        [_("Person-times: police and auxiliaries who stood a shift (checked in). Hazards closed: verified by a "
           "re-check in that week.")],
    ))
    kinds = data["incident_kinds"]
    if data["incidents_by_kind"] is not None:
        tables.append(Table(
            "incidents_weekly", _("Incidents by week and kind"),
            [_("week"), _("days"), *[k["label"] for k in kinds], _("incidents")],
            [[_week_label(w), _days(w), *[w["incidents"][k["kind"]] for k in kinds], w["incidents_total"]]
             for w in weeks],
            [_("Total"), "", *[row["incidents"] for row in data["incidents_by_kind"]],
             sum(row["incidents"] for row in data["incidents_by_kind"])],
        ))
    league = data["league"]

    def league_cells(row: dict) -> list:
        return [row["assigned"], row["on_time"], percent(row["rate"]), _n(row["findings"]),
                _n(row["overdue_hazards"]), _n(row["overdue_follow_ups"]), _n(row["pulls"]), _stages(row)]

    tables.append(Table(
        "league", _("Station league"),
        [_("police station"), _("assigned"), _("on time"), _("attendance rate"), _("findings"),
         _("overdue hazards now"), _("overdue follow-ups now"), _('"135" pulls'), _('"135" stages met')],
        [[row["name"], *league_cells(row)] for row in league["stations"]],
        [_("District total"), *league_cells(league["total"])],
        [_("Attendance rate = shifts stood on time / shifts assigned (ended shifts; excused absences not "
           "counted). \"135\" stages met: stages met of stages decided.")],
    ))
    if data["incidents_by_kind"] is not None:
        rows = data["incidents_by_kind"]
        tables.append(Table(
            "incidents", _("Incidents by kind"), [_("kind"), _("incidents"), _("person-times")],
            [[row["label"], row["incidents"], row["person_times"]] for row in rows],
            [_("Total"), sum(r["incidents"] for r in rows), sum(r["person_times"] for r in rows)],
        ))
    hazards = data["hazards"]
    if hazards is not None:
        statuses = hazards["statuses"]
        totals = {row["category"]: row["hazards"] for row in hazards["by_category"]}
        tables.append(Table(
            "hazards", _("Hazards found by category and status"),
            [_("category"), *[s["label"] for s in statuses], _("hazards")],
            [[row["label"], *[row["by_status"][s["status"]] for s in statuses], totals[row["category"]]]
             for row in hazards["by_category_and_status"]],
            [_("Total"), *[row["hazards"] for row in hazards["by_status"]],
             sum(row["hazards"] for row in hazards["by_status"])],
            [_("%(count)d hazard(s) past their rectification deadline now.") % {"count": hazards["overdue"]}],
        ))
    tables.append(Table(
        "summary", _("Headline figures"), [_("figure"), _("value")],
        [[item["label"], item["value"]] for item in data["summary"]],
    ))
    return {table.key: table for table in tables}


def chart_data(data: dict, tables: dict[str, Table]) -> dict:
    """What static/js/dashboard.js draws: the same numbers as the tables, labels translated."""
    weeks = data["weeks"]
    trend = [{"name": _("person-times"), "type": "bar", "axis": 0, "data": [w["person_times"] for w in weeks]}]
    for key, name in (("incidents_total", _("incidents")), ("hazards_opened", _("hazards opened")),
                      ("hazards_closed", _("hazards closed")), ("follow_ups", _("follow-ups done"))):
        if weeks and weeks[0][key] is not None:
            trend.append({"name": name, "type": "line", "axis": 1, "data": [w[key] for w in weeks]})
    charts = {
        "trend": {"labels": [_week_label(w) for w in weeks], "series": trend,
                  "axes": [_("person-times"), _("count")]},
        "league": {"labels": [row["name"] for row in data["league"]["stations"]],
                   "series": [{"name": _("attendance rate"), "unit": "%",
                               "data": [None if row["rate"] is None else round(row["rate"] * 100, 1)
                                        for row in data["league"]["stations"]]}]},
    }
    if data["incidents_by_kind"] is not None:
        rows = data["incidents_by_kind"]
        charts["incidents"] = {"labels": [row["label"] for row in rows],
                               "series": [{"name": _("incidents"), "data": [row["incidents"] for row in rows]}]}
    if data["hazards"] is not None:
        hazards = data["hazards"]
        categories = hazards["by_category_and_status"]
        charts["hazards"] = {"labels": [row["label"] for row in categories], "stack": True, "series": [
            {"name": s["label"], "data": [row["by_status"][s["status"]] for row in categories]}
            for s in hazards["statuses"]]}
    return charts


class DashboardView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    """The HQ dashboard for a range and unit (FiguresForm: this month by default); HQ and
    supervisors see their bureau, a station's dispatcher his station. A bad range is the
    form's error on the page; `export=<table>` downloads that table as Excel (audited)."""

    permission_required = "attendance.view_checkin"
    template_name = "reports/dashboard.html"

    def get(self, request, *args, **kwargs):
        form = FiguresForm(request.GET, user=request.user)
        export = request.GET.get("export")
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        params = form.cleaned_data
        data = dashboard_data(user=request.user, start=params["start"], end=params["end"], unit=params["unit"])
        tables = dashboard_tables(data)
        if export:
            if export not in tables:
                return HttpResponseBadRequest(_("export: no such table (%(names)s).") % {"names": ", ".join(tables)},
                                              content_type="text/plain; charset=utf-8")
            return self.export(tables[export], data)
        return self.render_to_response(self.get_context_data(form=form, data=data, tables=tables))

    def export(self, table: Table, data: dict) -> HttpResponse:
        rows = table.cells()
        unit = data["unit"]["name"] if data["unit"] else ""
        notes = [f"{data['start']:%Y-%m-%d} ~ {data['end']:%Y-%m-%d} {unit}".strip(), *table.notes]
        title = NOT_IN_SHEET_NAME.sub(" ", table.title).strip()
        content = build_workbook(title[:31], [str(h) for h in table.headers], rows, notes=notes)
        audit_record(action=AuditAction.EXPORT, request=self.request, detail={
            "list": table.title, "filters": query_filters(self.request.GET), "rows": len(rows), "format": "xlsx"})
        return workbook_response(f"{title}-{data['start']:%Y%m%d}-{data['end']:%Y%m%d}", content)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        data = kwargs.get("data")
        if data is None:
            return context
        tables = kwargs["tables"]
        query = self.request.GET.copy()
        query.pop("export", None)
        base = query.urlencode()
        prefix = "?" + (f"{base}&" if base else "") + "export="
        context.update(
            ranges=quick_ranges(self.request.GET, timezone.localdate(), (data["start"], data["end"])),
            now=data["duty_now"],
            summary=data["summary"],
            charts=chart_data(data, tables),
            export_prefix=prefix,
            # The headline figures are the cards at the top (each a link to its list); their
            # table is for Excel only.
            summary_export_url=prefix + "summary",
            table_list=[{"table": table, "export_url": prefix + key, "chart": CHARTS.get(key), "wide": key in WIDE}
                        for key, table in tables.items() if key != "summary"],
        )
        return context
