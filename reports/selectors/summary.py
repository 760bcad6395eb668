"""The work report's headline figures (DESIGN.md's `stats/summary/` keys) for a range of whole
days and a unit, each counted by the selector of the app that owns it (never a second count
here), and for each figure the filtered list that counts it.

A figure that cannot be drilled into is not trusted: `summary_links` gives, for every key,
the list page that shows exactly the rows the figure counts (or sums, `SUMMARY_MEASURES`), and
`summary_api_links` the same filters on the API list, which the tests read to recount every
figure. Both are built from one table of filters per key (`_link_queries`); the list pages and
the API share their FilterSets, so one query string serves both.
"""

from __future__ import annotations

import datetime
from urllib.parse import urlsplit

from django.http import QueryDict
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from incidents.selectors import incident_summary
from incidents.selectors import summary_links as incident_links
from inspections.models import ImprovementKind
from inspections.selectors import inspection_summary
from inspections.selectors import summary_links as inspection_links
from keypersons.selectors import keyperson_summary
from org.models import PersonKind, Unit, User
from outreach.models import ActivityKind, DrillKind, TrainingKind
from outreach.selectors import outreach_summary
from posts.selectors import posts_summary
from reports.selectors.duty import DEPLOYED_KINDS, Scope, bulletins_issued, person_times

__all__ = ["LIST_PERMISSIONS", "SUMMARY_KEYS", "SUMMARY_LABELS", "SUMMARY_MEASURES", "stats_summary",
           "summary_api_links", "summary_links"]

# DESIGN.md's table, in its order (the report's order).
SUMMARY_KEYS: tuple[str, ...] = (
    "posts", "schools", "schools_covered", "person_times",
    "help_and_alarms", "help_given", "suspicious_checked", "emergencies_handled", "disputes_resolved",
    "bulletins", "guards_hired", "inspections", "hazards_found", "notices", "improvements",
    "key_persons", "key_persons_stable",
    "joint_operations", "joint_police", "joint_venues", "joint_hazards_fixed",
    "talks", "open_days", "leaflets", "people_reached",
    "police_trained", "police_training_batches", "security_trainings", "security_trained",
    "drills", "rapid_response_pulls",
)

SUMMARY_LABELS: dict[str, str] = {
    "posts": _("School-protection posts"),
    "schools": _("Schools"),
    "schools_covered": _("Schools covered by a post"),
    "person_times": _("Police deployed (person-times)"),
    "help_and_alarms": _("Help requests and alarms handled (person-times)"),
    "help_given": _("Help given (times)"),
    "suspicious_checked": _("Suspicious persons checked"),
    "emergencies_handled": _("Sudden incidents handled"),
    "disputes_resolved": _("School-related disputes resolved"),
    "bulletins": _("Supervision bulletins issued"),
    "guards_hired": _("Full-time guards hired"),
    "inspections": _("School inspections"),
    "hazards_found": _("Hazards found"),
    "notices": _("Rectification notices issued"),
    "improvements": _("Improvements installed"),
    "improvements.traffic_sign": _("Traffic signs"),
    "improvements.cctv": _("CCTV installations"),
    "improvements.road_marking": _("Road markings (m²)"),
    "improvements.anti_ram": _("Anti-ram barriers"),
    "improvements.alarm_button": _("One-button alarms"),
    "key_persons": _("Key persons screened"),
    "key_persons_stable": _("Key persons stable and in place"),
    "joint_operations": _("Joint operations"),
    "joint_police": _("Police in joint operations (person-times)"),
    "joint_venues": _("Venues checked"),
    "joint_hazards_fixed": _("Hazards fixed in joint operations"),
    "talks": _("Talks in schools"),
    "open_days": _("Police open days"),
    "leaflets": _("Leaflets handed out"),
    "people_reached": _("Pupils and teachers reached"),
    "police_trained": _("Police trained"),
    "police_training_batches": _("Police training batches"),
    "security_trainings": _("Security trainings in schools"),
    "security_trained": _("Security staff trained"),
    "drills": _("Fire and anti-terror drills"),
    "rapid_response_pulls": _('"135" rapid-response pulls'),
}

# What each figure does with the rows its list shows: None counts them, a field name sums it
# (the report counts person-times, leaflets, audiences, quantities).
SUMMARY_MEASURES: dict[str, str | None] = {
    **{key: None for key in SUMMARY_KEYS},
    "help_and_alarms": "people_count", "suspicious_checked": "people_count",
    "improvements": "quantity", **{f"improvements.{kind}": "quantity" for kind in ImprovementKind.values},
    "joint_police": "police_count", "joint_venues": "venues_checked", "joint_hazards_fixed": "hazards_fixed",
    "leaflets": "materials", "people_reached": "audience",
    "police_trained": "trainees", "security_trained": "trainees",
}


def stats_summary(*, user: User, start: datetime.date, end: datetime.date, unit: Unit | None = None) -> dict:
    """Every key of SUMMARY_KEYS for the days `start` to `end` (both included) in the user's
    scope, under `unit` when given: posts and schools as they stand now, everything else in
    the range. `improvements` is a dict by kind. About fifteen queries, whatever the data."""
    scope = Scope(user=user, start=start, end=end, unit=unit)
    figures = {
        **posts_summary(user=user, unit=unit),
        "person_times": person_times(scope),
        **incident_summary(user=user, start=start, end=end, unit=unit),
        "bulletins": bulletins_issued(scope),
        **inspection_summary(user, start, end, unit),
        **keyperson_summary(user=user, start=start, end=end, unit=unit),
        **outreach_summary(user, start, end, unit),
    }
    return {key: figures[key] for key in SUMMARY_KEYS}


# -- the lists behind the figures -------------------------------------------------------------

def _range(prefix: str, start: datetime.date, end: datetime.date) -> dict:
    return {f"{prefix}_from": start.isoformat(), f"{prefix}_to": end.isoformat()}


def _query(url: str) -> dict:
    """An app's own link (a page URL or a bare query string) as a parameter map."""
    return {name: values for name, values in QueryDict(urlsplit(url).query if "?" in url else url).lists()}


def _link_queries(*, start: datetime.date, end: datetime.date, unit: Unit | None) -> dict[str, tuple[str, str, dict]]:
    """For each key: (page URL name or "", API URL name, query parameters). The incident log and
    inspections name their own lists' filters; the others are written here, each beside the
    selector rule it mirrors."""
    at = {} if unit is None else {"station": unit.pk}
    at_unit = {} if unit is None else {"unit": unit.pk}
    incidents = {key: _query(query) for key, query in incident_links(start=start, end=end, unit=unit).items()}
    inspection_pages = inspection_links(start=start, end=end, unit=unit)
    activities = {**_range("date", start, end), **at}
    trainings = {**_range("date", start, end), **at_unit}
    drills = {**_range("date", start, end), **at}
    # The key-person register's "screened": on the register at some time in the period.
    screened = {"on_register_from": start.isoformat(), "on_register_to": end.isoformat(), **at}
    queries = {
        # posts_summary: active posts; schools; schools with an active post (now).
        "posts": ("posts:post_list", "post-list", {"active": "true", **at}),
        "schools": ("posts:school_list", "school-list", at),
        "schools_covered": ("posts:school_list", "school-list", {"covered": "true", **at}),
        # person_times: active assignments of police and auxiliaries in the range, checked in.
        # There is no assignment list page: the figure links to the API list.
        "person_times": ("", "assignment-list", {
            **_range("date", start, end), **at_unit, "active": "true", "checked_in": "true",
            "person_kind": list(DEPLOYED_KINDS)}),
        **{key: ("incidents:incident_list", "incident-list", query) for key, query in incidents.items()},
        # bulletins_issued: issued in the range, read at the unit.
        "bulletins": ("supervision:bulletin_list", "bulletin-list", {
            "status": "issued", **_range("issued_at", start, end),
            **({} if unit is None else {"read_at": unit.pk})}),
        # inspections.guards_hired_in: guards hired in the range.
        "guards_hired": ("org:person_list", "person-list", {
            "kind": PersonKind.GUARD, **_range("hire_date", start, end), **at_unit}),
        "key_persons": ("keypersons:keyperson_list", "keyperson-list", screened),
        "key_persons_stable": ("keypersons:keyperson_list", "keyperson-list", {**screened, "status": "stable"}),
        # outreach_summary's rules.
        "talks": ("outreach:activity_list", "activity-list", {**activities, "kind": ActivityKind.TALK}),
        "open_days": ("outreach:activity_list", "activity-list", {**activities, "kind": ActivityKind.OPEN_DAY}),
        "leaflets": ("outreach:activity_list", "activity-list", activities),
        "people_reached": ("outreach:activity_list", "activity-list", activities),
        "police_trained": ("outreach:training_list", "training-list", {**trainings, "kind": TrainingKind.POLICE}),
        "police_training_batches": ("outreach:training_list", "training-list",
                                    {**trainings, "kind": TrainingKind.POLICE}),
        "security_trainings": ("outreach:training_list", "training-list",
                               {**trainings, "kind": TrainingKind.SECURITY_STAFF}),
        "security_trained": ("outreach:training_list", "training-list",
                             {**trainings, "kind": TrainingKind.SECURITY_STAFF}),
        "drills": ("outreach:drill_list", "drill-list",
                   {**drills, "kind": [k for k in DrillKind.values if k != DrillKind.RAPID_RESPONSE]}),
        "rapid_response_pulls": ("outreach:drill_list", "drill-list", {**drills, "kind": DrillKind.RAPID_RESPONSE}),
    }
    inspection_api = {"inspections": "inspection-list", "hazards_found": "hazard-list", "notices": "notice-list",
                      "improvements": "improvement-list"}
    for key, page in inspection_pages.items():
        queries[key] = (page, inspection_api.get(key, "jointoperation-list"), _query(page))
    for kind in ImprovementKind.values:
        page, api, query = queries["improvements"]
        queries[f"improvements.{kind}"] = (page, api, {**query, "kind": kind})
    return queries


def _url(path: str, query: dict) -> str:
    return f"{path}?{urlencode(query, doseq=True)}" if query else path


def _page_path(name: str) -> str:
    # The inspections' links arrive as whole URLs; every other page is a URL name.
    return urlsplit(name).path if name.startswith("/") else reverse(name)


# The permission that opens each list (the API list's and its page's).
LIST_PERMISSIONS = {
    "post-list": "posts.view_post", "school-list": "posts.view_school", "assignment-list": "duty.view_assignment",
    "incident-list": "incidents.view_incident", "bulletin-list": "supervision.view_bulletin",
    "person-list": "org.view_person", "keyperson-list": "keypersons.view_keyperson",
    "activity-list": "outreach.view_activity", "training-list": "outreach.view_training",
    "drill-list": "outreach.view_drill", "inspection-list": "inspections.view_inspection",
    "hazard-list": "inspections.view_hazard", "notice-list": "inspections.view_notice",
    "improvement-list": "inspections.view_improvement", "jointoperation-list": "inspections.view_jointoperation",
}


def summary_links(*, user: User, start: datetime.date, end: datetime.date,
                  unit: Unit | None = None) -> dict[str, str | None]:
    """For each key (and each `improvements.<kind>`), the list page that shows the rows the
    figure counts (the API list where no page exists: assignments); None where the user may
    not open that list (the key-person register is for its keepers only)."""
    return {key: _url(_page_path(page) if page else reverse(api), query) if user.has_perm(LIST_PERMISSIONS[api])
            else None
            for key, (page, api, query) in _link_queries(start=start, end=end, unit=unit).items()}


def summary_api_links(*, user: User, start: datetime.date, end: datetime.date,
                      unit: Unit | None = None) -> dict[str, str | None]:
    """For each key, the API list with the same filters: its `count` is the figure, or the sum of
    the field SUMMARY_MEASURES names over its rows is; None where the user may not open it."""
    return {key: _url(reverse(api), query) if user.has_perm(LIST_PERMISSIONS[api]) else None
            for key, (_page, api, query) in _link_queries(start=start, end=end, unit=unit).items()}

