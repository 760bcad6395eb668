"""The roster board's week: shifts that have ended are history, not gaps, and the board's
buttons and questions name the week shown rather than saying "this week" about any week.

The clock is frozen on Wednesday 2 September 2026 at 10:00; the week of 31 August has
shifts at 圣莲岛小学 (station A), mornings 07:40-08:10 and afternoons 16:30-17:10, nobody
on them."""

import datetime
import json
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import translation

from duty.selectors.roster import roster_week
from duty.services.generation import shift_generate
from duty.views.roster import week_name
from tests.factories import TermFactory, TimetableFactory

TZ = ZoneInfo("Asia/Shanghai")
D = datetime.date
NOW = datetime.datetime(2026, 9, 2, 10, 0, tzinfo=TZ)
THIS_WEEK = D(2026, 8, 31)


@pytest.fixture
def this_week(cast, time_machine):
    # Generated on the Sunday before, as a dispatcher would; then it is Wednesday.
    time_machine.move_to(datetime.datetime(2026, 8, 30, 12, 0, tzinfo=TZ), tick=False)
    TermFactory(school=None, start=D(2026, 8, 1), end=D(2027, 1, 20))
    TimetableFactory(school=cast.school_a, period="am", start=datetime.time(7, 40), end=datetime.time(8, 10),
                     valid_from=D(2026, 8, 1))
    TimetableFactory(school=cast.school_a, period="pm", start=datetime.time(16, 30), end=datetime.time(17, 10),
                     valid_from=D(2026, 8, 1))
    shift_generate(start=THIS_WEEK, end=THIS_WEEK + datetime.timedelta(days=6), unit=cast.station_a)
    time_machine.move_to(NOW, tick=False)
    return cast


def test_it_does_not_count_an_ended_shift_as_short(this_week):
    cast = this_week
    board = roster_week(station=cast.station_a, week_start=THIS_WEEK, user=cast.alice)
    cells = [cell["shift"] for row in board["rows"] for cell in row["cells"] if cell["shift"]]
    ended = [s for s in cells if s["ended"]]
    to_come = [s for s in cells if not s["ended"]]
    # Monday's and Tuesday's shifts and Wednesday morning's have ended; all are unmanned.
    assert len(ended) == 5 and all(s["missing"] for s in ended)
    assert to_come and all(s["missing"] for s in to_come)
    assert board["totals"]["shifts"] == len(cells)
    assert board["totals"]["short"] == len(to_come)


def test_it_names_weeks_around_today_and_any_other_by_its_dates():
    today = D(2026, 9, 2)
    with translation.override("zh-hans"):
        assert week_name(THIS_WEEK, today) == "本周"
        assert week_name(D(2026, 8, 24), today) == "上周"
        assert week_name(D(2026, 9, 7), today) == "下周"
        assert week_name(D(2026, 12, 14), today) == "12月14日–12月20日这一周"
        assert week_name(D(2026, 12, 28), today) == "12月28日–1月3日这一周"


def _roster_config(response) -> dict:
    html = response.content.decode()
    start = html.index(">", html.index('id="roster-config"')) + 1
    return json.loads(html[start:html.index("</script>", start)])


def test_the_board_of_another_week_names_it_on_its_buttons(this_week, client):
    client.force_login(this_week.alice)
    with translation.override("zh-hans"):
        response = client.get(reverse("duty:roster") + "?week=2026-12-14", HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = response.content.decode()
    assert "发布12月14日–12月20日这一周排班" in html
    assert "复制12月7日–12月13日这一周排班" in html
    assert "发布本周排班" not in html and "复制上周排班" not in html
    config = _roster_config(response)
    assert config["week_name"] == "12月14日–12月20日这一周"
    assert config["is_this_week"] is False and config["week_over"] is False


def test_the_board_of_this_week_says_this_week(this_week, client):
    client.force_login(this_week.alice)
    with translation.override("zh-hans"):
        response = client.get(reverse("duty:roster"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = response.content.decode()
    assert "发布本周排班" in html and "复制上周排班" in html
    assert _roster_config(response)["is_this_week"] is True
