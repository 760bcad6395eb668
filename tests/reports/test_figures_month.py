"""The HQ figures page (reports:figures) over a month: it opens on this month (the 1st to
today; on the 1st itself, last month), and each of its tables ends with a total row. The
clock is frozen in September 2026."""

import datetime
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from duty.models import AttendanceStatus
from supervision.models import SpotCheckMethod
from supervision.services import spot_check_create
from tests.scenes import at, put_on, shift_at
from tests.factories import PersonFactory



@pytest.fixture
def september(cast, time_machine):
    """Two ended mornings at station A (1 and 14 September) and one at station B, with their
    attendance decided, and a spot check at each station with findings."""
    time_machine.move_to(at(9, 0, datetime.date(2026, 9, 15)), tick=False)
    decided = [
        (cast.post_a, datetime.date(2026, 9, 1), AttendanceStatus.ON_TIME),
        (cast.post_a, datetime.date(2026, 9, 14), AttendanceStatus.LATE),
        (cast.post_a, datetime.date(2026, 9, 14), AttendanceStatus.ABSENT),
        (cast.post_b, datetime.date(2026, 9, 14), AttendanceStatus.ON_TIME),
        (cast.post_a, datetime.date(2026, 8, 31), AttendanceStatus.ABSENT),  # last month
    ]
    shifts = {}
    for post, day, attendance in decided:
        shift = shifts.get((post.pk, day)) or shift_at(post, (7, 25), (8, 10), day)
        shifts[(post.pk, day)] = shift
        assignment = put_on(shift, PersonFactory(unit=post.station))
        assignment.attendance = attendance
        assignment.save()
    for post in (cast.post_a, cast.post_b):
        spot_check_create(post=post, method=SpotCheckMethod.VIDEO, checked_at=at(7, 40, datetime.date(2026, 9, 14)),
                          supervisor=cast.sam, findings=[{"person": None, "issue": "other"}])
    return cast


def test_the_figures_open_on_this_month_to_date(september, client):
    client.force_login(september.henry)
    response = client.get(reverse("reports:figures"))
    data = response.context["form"].cleaned_data
    assert (data["start"], data["end"]) == (datetime.date(2026, 9, 1), datetime.date(2026, 9, 15))
    assert response.context["summary"]["attendance"]["assigned"] == 4  # not 31 August's


def test_on_the_first_of_the_month_the_figures_open_on_last_month(september, client, time_machine):
    time_machine.move_to(at(9, 0, datetime.date(2026, 10, 1)), tick=False)
    client.force_login(september.henry)
    response = client.get(reverse("reports:figures"))
    data = response.context["form"].cleaned_data
    assert (data["start"], data["end"]) == (datetime.date(2026, 9, 1), datetime.date(2026, 9, 30))
    assert response.context["summary"]["attendance"]["assigned"] == 4
    this_month, last_month = response.context["ranges"]
    assert last_month["active"] and "start=2026-09-01&end=2026-09-30" in last_month["url"]
    assert not this_month["active"] and "start=2026-10-01&end=2026-10-01" in this_month["url"]


def table_footer(html: str, table_id: str) -> list[str]:
    table = html.split(f'id="{table_id}"')[1].split("</table>")[0]
    footer = table.split("<tfoot")[1].split("</tfoot>")[0]
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[dh][^>]*>.*?</t[dh]>", footer)]


def test_every_figures_table_ends_with_a_total_row(september, client):
    client.force_login(september.henry)
    html = client.get(reverse("reports:figures"), {"detail": "person"}).content.decode()
    # 4 assigned in September: 2 on time, 1 late, 1 absent, none left early.
    assert table_footer(html, "station-table") == ["合计", "4", "2", "1", "1", "0", "50.0%"]
    assert table_footer(html, "detail-table") == ["合计", "4", "2", "1", "1", "0", "50.0%"]
    assert table_footer(html, "kind-table") == ["合计", "2"]
    assert table_footer(html, "finding-station-table")[:3] == ["合计", "2", "2"]


def test_the_exported_station_table_has_the_total_row_too(september, client):
    client.force_login(september.henry)
    export = client.get(reverse("reports:figures"), {"export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[-1] == ("合计", 4, 2, 1, 1, 0, "50.0%")
