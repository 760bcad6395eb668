"""stats/summary: every headline figure of the work report, against a count by hand of a fixed
fixture at two stations over September and October 2026 (the clock on 2 November).

The fixture is written down as plain rows (ROWS); `hand_count` counts those rows in Python,
knowing nothing of the selectors, for any period and station. Every key is checked for several
periods (a month, a single day whose last minute holds an incident, a range across the month
boundary) and units (the bureau, each station, none). Then each figure's `api_links` list is
read through the API and recounted (its count, or the sum of the field the figure sums), and
its `links` page opens. A station's dispatcher counts nothing of the other station and is
refused the other station as a unit."""

import datetime

import pytest
from django.urls import reverse

from duty.tallies import tally_days
from org.models import Role
from org.services import user_create
from reports.selectors.summary import SUMMARY_KEYS, SUMMARY_MEASURES, stats_summary, summary_api_links
from tests.fixtures import PASSWORD, give_second_factor
from tests.reports.district import ACROSS, LAST_OF_SEP, OCT, PERIODS, SEP, hand_count
from tests.scenes import client_for


UNITS = [(None, None), ("bureau", None), ("a", "a"), ("b", "b")]


@pytest.mark.parametrize("period", PERIODS, ids=["september", "october", "last-day-of-september", "across"])
@pytest.mark.parametrize(("unit", "station"), UNITS, ids=["no-unit", "bureau", "station-a", "station-b"])
def test_every_figure_equals_the_hand_count(district, period, unit, station):
    units = {"a": district.station_a, "b": district.station_b, "bureau": district.bureau, None: None}
    figures = stats_summary(user=district.henry, start=period[0], end=period[1], unit=units[unit])
    assert list(figures) == list(SUMMARY_KEYS)
    assert figures == hand_count(*period, station)


@pytest.mark.parametrize("period", PERIODS, ids=["september", "october", "last-day-of-september", "across"])
def test_every_figure_equals_the_hand_count_with_september_tallied(district, period):
    """September's days read from their kept counts (duty.tallies), October's counted: the
    same figures, a range across the two included."""
    assert tally_days([SEP[0] + datetime.timedelta(days=n) for n in range(30)]) > 0
    units = {"a": district.station_a, "b": district.station_b, "bureau": district.bureau, None: None}
    for unit, station in UNITS:
        figures = stats_summary(user=district.henry, start=period[0], end=period[1], unit=units[unit])
        assert figures == hand_count(*period, station)


def test_the_fixture_is_not_empty_where_it_matters(district):
    """A guard against a hand count of zeros agreeing with a selector of zeros."""
    both = stats_summary(user=district.henry, start=SEP[0], end=OCT[1])
    assert [key for key in SUMMARY_KEYS if not both[key]] == []
    assert [kind for kind, quantity in both["improvements"].items() if not quantity] == ["anti_ram"]
    september = stats_summary(user=district.henry, start=SEP[0], end=SEP[1])
    assert september["help_and_alarms"] == 3 + 5 and september["key_persons"] == 3
    assert stats_summary(user=district.henry, start=LAST_OF_SEP[0], end=LAST_OF_SEP[1])["help_and_alarms"] == 5


def test_a_station_s_dispatcher_counts_his_own_station_only(district):
    assert stats_summary(user=district.alice, start=SEP[0], end=OCT[1]) == hand_count(SEP[0], OCT[1], "a")
    assert stats_summary(user=district.bob, start=SEP[0], end=OCT[1]) == hand_count(SEP[0], OCT[1], "b")


def recount(client, url: str, measure: str | None) -> int:
    """The API list's own count of the figure: its rows, or the field summed over them."""
    # The URL carries its filters: a data argument would replace its query string.
    answer = client.get(f"{url}&page_size=500" if "?" in url else f"{url}?page_size=500", HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 200, (url, answer.content[:300])
    body = answer.json()
    assert body["next"] is None
    if measure is None:
        return body["count"]
    return sum(row[measure] for row in body["results"])


@pytest.mark.parametrize(("period", "unit"), [(SEP, None), (OCT, "a"), (ACROSS, "bureau"), (LAST_OF_SEP, "b")])
def test_each_figure_s_list_counts_exactly_the_figure(district, client, period, unit):
    units = {"a": district.station_a, "b": district.station_b, "bureau": district.bureau, None: None}
    give_second_factor(client, district.henry)
    params = {"start": period[0].isoformat(), "end": period[1].isoformat()}
    if unit is not None:
        params["unit"] = units[unit].pk
    body = client.get(reverse("api-stats-summary"), params).json()
    api_links = summary_api_links(user=district.henry, start=period[0], end=period[1], unit=units[unit])
    assert set(api_links) == set(body["links"]) == set(body["api_links"])
    for key, url in api_links.items():
        figure = body[key] if "." not in key else body["improvements"][key.split(".")[1]]
        if key == "improvements":
            figure = sum(figure.values())
        assert url == body["api_links"][key]
        assert recount(client, url, SUMMARY_MEASURES[key]) == figure, key
        page = client.get(body["links"][key])
        assert page.status_code == 200, (key, body["links"][key])


def test_the_api_answers_every_key_with_its_range_and_unit(district, client):
    give_second_factor(client, district.henry)
    body = client.get(reverse("api-stats-summary"), {"start": "2026-09-01", "end": "2026-09-30",
                                                      "unit": district.station_a.pk}).json()
    assert (body["start"], body["end"], body["unit"]) == ("2026-09-01", "2026-09-30", district.station_a.pk)
    assert {key: body[key] for key in SUMMARY_KEYS} == hand_count(*SEP, "a")


def test_a_missing_range_is_this_month_so_far(district, client):
    client.force_login(district.henry)
    body = client.get(reverse("api-stats-summary")).json()
    assert (body["start"], body["end"]) == ("2026-11-01", "2026-11-02")


@pytest.mark.parametrize(("params", "field"), [
    ({"start": "2026-10-01", "end": "2026-09-01"}, "end"),
    ({"start": "2026-13-01"}, "start"),
    ({"start": "2026-12-01"}, "end"),  # the default end (today) falls before it
    ({"unit": "abc"}, "unit"),
    ({"station": "1"}, "station"),
])
def test_bad_input_is_a_400_naming_the_field(district, params, field):
    answer = client_for(district.henry).get(reverse("api-stats-summary"), params)
    assert answer.status_code == 400
    assert field in answer.json()


def test_another_station_as_the_unit_is_refused(district):
    answer = client_for(district.alice).get(reverse("api-stats-summary"),
                                                       {"unit": district.station_b.pk})
    assert answer.status_code == 400 and "unit" in answer.json()


def test_an_officer_may_not_read_the_figures(district):
    assert client_for(district.oscar).get(reverse("api-stats-summary")).status_code == 403


def test_a_dispatcher_outside_the_register_gets_no_link_to_it(district):
    carol = user_create(username="carol", password=PASSWORD, role=Role.DISPATCHER, unit=district.station_a)
    body = client_for(carol).get(reverse("api-stats-summary"), {"start": "2026-09-01"}).json()
    assert body["links"]["key_persons"] is None and body["links"]["posts"] is not None


def test_the_summary_s_query_count_does_not_grow_with_the_data(district, django_assert_max_num_queries):
    with django_assert_max_num_queries(22):
        stats_summary(user=district.henry, start=SEP[0], end=OCT[1])

