"""The figures of the incident log (incidents.selectors), against a hand count of a fixed
fixture: 24 incidents of every kind at two stations over September and October 2026, three
of them drafts (which count nowhere) and one dispute unresolved. The summary's keys, the
breakdowns by kind, station and month, the API's `figures/`, and the list links that show
the rows behind each figure. The clock is frozen on 2 November 2026."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.http import QueryDict
from django.urls import reverse

from incidents.selectors import SUMMARY_KEYS, incident_breakdown, incident_summary, summary_links
from incidents.services import incident_create
from tests.scenes import client_for

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=TZ)
D = datetime.date
SEPTEMBER = (D(2026, 9, 1), D(2026, 9, 30))
OCTOBER = (D(2026, 10, 1), D(2026, 10, 31))

EXTRA = {
    "suspicious": {"outcome": "released", "id_checked": True},
    "dispute": {"parties": "两位家长"},
    "good_deed": {"publicity": True, "publicity_text": "扶起晕倒老人"},
}

# (station, kind, month, day, hour, minute, people_count, extra); "draft" in extra keeps it a draft.
ROWS = [
    # Station A, September.
    ("a", "help", 9, 7, 7, 40, 3, {}),
    ("a", "alarm", 9, 8, 7, 50, 2, {}),
    ("a", "assistance", 9, 9, 16, 30, 4, {}),
    ("a", "suspicious", 9, 10, 7, 45, 2, {}),
    ("a", "emergency", 9, 11, 8, 0, 1, {}),
    ("a", "dispute", 9, 14, 16, 40, 2, {"resolved": True, "mediation": "当场调解"}),
    ("a", "dispute", 9, 15, 16, 40, 2, {}),  # not resolved
    ("a", "good_deed", 9, 16, 7, 30, 1, {}),
    ("a", "help", 9, 30, 23, 59, 5, {}),  # the last minute of September
    ("a", "help", 9, 17, 7, 40, 7, {"draft": True}),
    ("a", "emergency", 9, 18, 7, 40, 1, {"draft": True}),
    # Station A, October.
    ("a", "help", 10, 1, 0, 0, 6, {}),  # the first minute of October
    ("a", "assistance", 10, 8, 7, 40, 1, {}),
    ("a", "suspicious", 10, 9, 7, 40, 3, {"items_checked": "双肩包"}),
    ("a", "dispute", 10, 10, 16, 30, 1, {"resolved": True, "mediation": "调解"}),
    # Station B, September.
    ("b", "alarm", 9, 7, 7, 40, 10, {}),
    ("b", "assistance", 9, 8, 7, 40, 1, {}),
    ("b", "suspicious", 9, 9, 7, 40, 1, {}),
    ("b", "emergency", 9, 10, 7, 40, 1, {}),
    ("b", "dispute", 9, 11, 7, 40, 1, {"resolved": True, "mediation": "调解"}),
    ("b", "dispute", 9, 12, 7, 40, 3, {"resolved": True, "mediation": "调解", "draft": True}),
    # Station B, October.
    ("b", "help", 10, 12, 7, 40, 4, {}),
    ("b", "emergency", 10, 13, 7, 40, 1, {}),
    ("b", "assistance", 10, 14, 7, 40, 2, {}),
]


def figures(help_and_alarms, help_given, suspicious_checked, emergencies_handled, disputes_resolved):
    return dict(zip(SUMMARY_KEYS, (help_and_alarms, help_given, suspicious_checked, emergencies_handled,
                                   disputes_resolved), strict=True))


@pytest.fixture
def log(cast, time_machine):
    time_machine.move_to(NOW, tick=False)
    for station, kind, month, day, hour, minute, count, extra in ROWS:
        extra = dict(extra)
        draft = extra.pop("draft", False)
        user, post = (cast.alice, cast.post_a) if station == "a" else (cast.bob, cast.post_b)
        incident_create(user=user, report=not draft, kind=kind, post=post, people_count=count,
                        occurred_at=datetime.datetime(2026, month, day, hour, minute, tzinfo=TZ),
                        summary=f"{kind} {month}-{day}", **{**EXTRA.get(kind, {}), **extra})
    return cast


# The hand count: (start, end), unit ("a", "bureau" or None), figures.
HAND_COUNT = [
    (SEPTEMBER, "a", figures(3 + 2 + 5, 1, 2, 1, 1)),
    (SEPTEMBER, "bureau", figures(3 + 2 + 5 + 10, 2, 2 + 1, 2, 2)),
    (OCTOBER, "a", figures(6, 1, 3, 0, 1)),
    (OCTOBER, "bureau", figures(6 + 4, 2, 3, 1, 1)),
    ((None, None), "bureau", figures(3 + 2 + 5 + 6 + 10 + 4, 4, 2 + 3 + 1, 3, 3)),
    ((None, None), None, figures(30, 4, 6, 3, 3)),
    ((D(2026, 9, 30), D(2026, 9, 30)), "a", figures(5, 0, 0, 0, 0)),
    ((D(2026, 10, 1), D(2026, 10, 1)), "a", figures(6, 0, 0, 0, 0)),
    ((D(2026, 9, 15), D(2026, 10, 9)), "a", figures(5 + 6, 1, 3, 0, 0)),
]


def unit_of(cast, name):
    return {"a": cast.station_a, "bureau": cast.bureau, None: None}[name]


@pytest.mark.parametrize("period, unit, expected", HAND_COUNT)
def test_the_summary_equals_the_hand_count(log, period, unit, expected):
    start, end = period
    assert incident_summary(user=log.henry, start=start, end=end, unit=unit_of(log, unit)) == expected


def test_a_stations_user_sees_only_his_stations_figures(log):
    assert incident_summary(user=log.bob) == figures(10 + 4, 2, 1, 2, 1)
    assert incident_summary(user=log.alice) == figures(3 + 2 + 5 + 6, 2, 2 + 3, 1, 2)
    assert incident_summary(user=log.oscar) == incident_summary(user=log.alice)
    # Naming the bureau does not widen a station's view.
    assert incident_summary(user=log.bob, unit=log.bureau) == incident_summary(user=log.bob)


def test_the_breakdowns_equal_the_hand_count(log):
    found = incident_breakdown(user=log.henry)
    assert [(row["kind"], row["incidents"], row["person_times"]) for row in found["by_kind"]] == [
        ("help", 4, 3 + 5 + 6 + 4),
        ("alarm", 2, 2 + 10),
        ("assistance", 4, 4 + 1 + 1 + 2),
        ("suspicious", 3, 2 + 3 + 1),
        ("emergency", 3, 3),
        ("dispute", 4, 2 + 2 + 1 + 1),
        ("good_deed", 1, 1),
    ]
    assert [(row["station"], row["incidents"], row["person_times"]) for row in found["by_station"]] == [
        (log.station_a.pk, 13, 33),
        (log.station_b.pk, 8, 21),
    ]
    assert [(row["month"], row["kind"], row["incidents"], row["person_times"]) for row in found["by_month"]] == [
        ("2026-09", "alarm", 2, 12),
        ("2026-09", "assistance", 2, 5),
        ("2026-09", "dispute", 3, 5),
        ("2026-09", "emergency", 2, 2),
        ("2026-09", "good_deed", 1, 1),
        ("2026-09", "help", 2, 3 + 5),  # 30 September 23:59 is September's
        ("2026-09", "suspicious", 2, 3),
        ("2026-10", "assistance", 2, 3),
        ("2026-10", "dispute", 1, 1),
        ("2026-10", "emergency", 1, 1),
        ("2026-10", "help", 2, 6 + 4),  # 1 October 00:00 is October's
        ("2026-10", "suspicious", 1, 3),
    ]
    only_a_in_october = incident_breakdown(user=log.henry, start=OCTOBER[0], end=OCTOBER[1], unit=log.station_a)
    assert only_a_in_october["by_station"] == [
        {"station": log.station_a.pk, "name": log.station_a.name, "incidents": 4, "person_times": 11}]


def test_the_figures_endpoint_answers_the_same(log):
    api = client_for(log.henry)
    response = api.get("/api/v1/incidents/figures/", {"start": "2026-09-01", "end": "2026-09-30",
                                                      "unit": log.station_a.pk})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["summary"] == figures(10, 1, 2, 1, 1)
    expected = incident_breakdown(user=log.henry, start=SEPTEMBER[0], end=SEPTEMBER[1], unit=log.station_a)
    assert {key: body[key] for key in ("by_kind", "by_station", "by_month")} == expected
    assert api.get("/api/v1/incidents/figures/").json()["summary"] == figures(30, 4, 6, 3, 3)
    assert client_for(log.bob).get("/api/v1/incidents/figures/").json()["summary"] == figures(14, 2, 1, 2, 1)


@pytest.mark.parametrize("query, field", [
    ({"month": "2026-09"}, "month"),
    ({"start": "2026-10-01", "end": "2026-09-01"}, "end"),
    ({"start": "yesterday"}, "start"),
])
def test_the_figures_endpoint_refuses_what_it_does_not_know(log, query, field):
    response = client_for(log.henry).get("/api/v1/incidents/figures/", query)
    assert response.status_code == 400 and field in response.json(), response.content


def test_the_figures_endpoint_refuses_a_unit_out_of_scope(log):
    response = client_for(log.bob).get("/api/v1/incidents/figures/", {"unit": log.station_a.pk})
    assert response.status_code == 400 and "unit" in response.json(), response.content


PERSON_TIMES = {"help_and_alarms", "suspicious_checked"}


@pytest.mark.parametrize("period, unit, expected", HAND_COUNT)
def test_the_summary_links_list_exactly_the_rows_counted(log, client, period, unit, expected):
    start, end = period
    links = summary_links(start=start, end=end, unit=unit_of(log, unit))
    assert set(links) == set(SUMMARY_KEYS)
    api = client_for(log.henry)
    client.force_login(log.henry)
    for key, query in links.items():
        params = QueryDict(query)
        rows = api.get("/api/v1/incidents/", {**params, "page_size": 500}).json()["results"]
        page = client.get(f"{reverse('incidents:incident_list')}?{query}").context["object_list"]
        if key in PERSON_TIMES:
            from_api = sum(row["people_count"] for row in rows)
            from_page = sum(row.people_count for row in page)
        else:
            from_api, from_page = len(rows), len(page)
        assert (from_api, from_page) == (expected[key], expected[key]), (key, query)
        assert all(row["status"] != "draft" for row in rows)
