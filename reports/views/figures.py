"""The report pages: the HQ duty figures (a date range and unit; tables by station, post and
person; findings; the station table as Excel). Views parse input and render; every figure is
a selector of reports.selectors."""

from __future__ import annotations

import datetime

from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from audit.models import AuditAction
from audit.services import audit_record
from core.excel import build_workbook, workbook_response
from core.signals import query_filters
from org.models import PersonKind
from posts.models import Post
from reports.forms import FiguresForm
from reports.selectors import (
    Scope,
    attendance_breakdown,
    attendance_by_person,
    attendance_by_post,
    attendance_by_station,
    duty_summary,
)
from supervision.documents import percent
from supervision.models import FindingIssue

STATION_HEADERS = [
    gettext_lazy("police station"), gettext_lazy("assigned"), gettext_lazy("on time"), gettext_lazy("late"),
    gettext_lazy("absent"), gettext_lazy("left early"), gettext_lazy("attendance rate"),
]


def attendance_cells(row: dict) -> list:
    counts = [row[key] for key in ("assigned", "on_time", "late", "absent", "left_early")]
    return [*counts, percent(row["rate"])]


def quick_ranges(query, today: datetime.date, shown: tuple[datetime.date, datetime.date]) -> list[dict]:
    """Links to this month so far and to last month, keeping the unit and the detail asked;
    the one shown now is marked."""
    first = today.replace(day=1)
    last_month_end = first - datetime.timedelta(days=1)
    ranges = []
    for label, start, end in ((_("This month"), first, today),
                              (_("Last month"), last_month_end.replace(day=1), last_month_end)):
        params = query.copy()
        params.pop("export", None)
        params["start"], params["end"] = start.isoformat(), end.isoformat()
        ranges.append({"label": label, "url": f"?{params.urlencode()}", "active": (start, end) == shown})
    return ranges


class FiguresView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    """Duty figures for a date range and unit, every number from reports.selectors (one call
    each, so the query count does not depend on the data): person-times deployed, the
    attendance rate overall and by station, findings by kind and by station, spot checks
    and bulletins issued; `detail=post|person` adds the finer attendance table and
    `export=xlsx` downloads the station table."""

    permission_required = "attendance.view_checkin"
    template_name = "reports/figures.html"

    def get(self, request, *args, **kwargs):
        form = FiguresForm(request.GET, user=request.user)
        scope = None
        if form.is_valid():
            data = form.cleaned_data
            scope = Scope(user=request.user, start=data["start"], end=data["end"], unit=data["unit"])
        if scope is not None and request.GET.get("export") == "xlsx":
            return self.export(scope)
        return self.render_to_response(self.get_context_data(form=form, scope=scope))

    def export(self, scope: Scope) -> HttpResponse:
        rows = [[row["station__name"], *attendance_cells(row)] for row in attendance_by_station(scope)]
        rows.append([_("Total"), *attendance_cells(attendance_breakdown(scope))])
        title = str(_("Attendance by police station"))
        content = build_workbook(title, [str(h) for h in STATION_HEADERS], rows)
        audit_record(action=AuditAction.EXPORT, request=self.request, detail={
            "list": title, "filters": query_filters(self.request.GET), "rows": len(rows), "format": "xlsx"})
        return workbook_response(f"{title}-{scope.start:%Y%m%d}-{scope.end:%Y%m%d}", content)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        scope = kwargs.get("scope")
        if scope is None:
            return context
        summary = duty_summary(scope)
        issues = FindingIssue.choices
        codes = FindingIssue.values
        detail = self.request.GET.get("detail")
        detail_rows = []
        if detail == "post":
            detail_rows = [
                [Post.label(r["shift__post__school__name"], r["shift__post__name"]), *attendance_cells(r)]
                for r in attendance_by_post(scope)
            ]
        elif detail == "person":
            kinds = dict(PersonKind.choices)
            detail_rows = [[f"{r['person__name']}（{kinds.get(r['person__kind'], r['person__kind'])}）",
                            *attendance_cells(r)] for r in attendance_by_person(scope)]
        query = self.request.GET.copy()
        query.pop("detail", None)
        query.pop("export", None)
        base = query.urlencode()
        findings_total = sum(summary["findings_by_kind"].values())
        context.update(
            summary=summary,
            rate=percent(summary["attendance"]["rate"]),
            station_headers=STATION_HEADERS,
            # Each table's total row: the same selectors over the whole range and scope.
            attendance_total_row=[_("Total"), *attendance_cells(summary["attendance_breakdown"])],
            finding_total_row=[_("Total"), summary["spot_checks"], findings_total,
                               *[summary["findings_by_kind"].get(issue, 0) for issue in codes]],
            ranges=quick_ranges(self.request.GET, timezone.localdate(), (scope.start, scope.end)),
            station_rows=[
                [r["station__name"], *attendance_cells(r)] for r in summary["attendance_by_station"]
            ],
            kind_rows=[(label, summary["findings_by_kind"].get(issue, 0)) for issue, label in issues],
            findings_total=findings_total,
            issue_labels=[label for _issue, label in issues],
            finding_station_rows=[
                [r["station__name"], r["spot_checks"], r["findings"], *[r.get(issue, 0) for issue in codes]]
                for r in summary["findings_by_station"]
            ],
            detail=detail if detail in ("post", "person") else "",
            detail_rows=detail_rows,
            detail_header=_("post") if detail == "post" else _("person"),
            base_query=base,
            export_url="?" + (f"{base}&" if base else "") + "export=xlsx",
        )
        return context
