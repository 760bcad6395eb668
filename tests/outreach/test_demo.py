"""The demo's outreach (outreach/demo.py, run by seed_demo after the district): the term so
far in the report's proportions, counted by the same selector HQ reads; and its reset."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from demo.district import TERM_START
from org.models import Role, User
from outreach.demo import reset
from outreach.models import Activity, Drill, DrillArrival, DrillPlan, Training
from outreach.selectors import drill_plan_totals, outreach_figures


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("seed_demo", password="Demo-pass-2026", stdout=StringIO(), stderr=StringIO())
        yield
        call_command("flush", interactive=False, verbosity=0)


@pytest.mark.django_db
def test_the_demo_term_has_the_report_s_outreach_figures(seeded):
    hq = User.objects.filter(role=Role.HQ).first()
    figures = outreach_figures(hq, TERM_START, timezone.localdate())
    assert (figures["talks"], figures["open_days"], figures["leaflets"], figures["people_reached"]) \
        == (80, 7, 18_000, 20_000)
    assert (figures["police_trained"], figures["police_training_batches"]) == (600, 3)
    assert (figures["security_trainings"], figures["security_trained"]) == (25, 400)
    assert (figures["drills"], figures["rapid_response_pulls"]) == (41, 23)
    stages = figures["rapid_response_stages"]
    for stage, counts in stages.items():
        assert counts["met"] + counts["missed"] == 23, stage
        assert counts["met"] > counts["missed"], stage  # most pulls meet each target
    assert sum(counts["missed"] for counts in stages.values()) > 0  # and some do not
    # Every topic of the report is there, and the figures break down by station and month.
    assert all(figures["activities_by_topic"][topic]["activities"] for topic in
               ("telecom_fraud", "drugs", "organised_crime", "terrorism"))
    assert len(figures["by_station"]) > 3 and len(figures["by_month"]) >= 3
    plan = drill_plan_totals(hq, TERM_START, timezone.localdate())
    assert plan["planned"] > plan["done"] >= 41


@pytest.mark.django_db
def test_a_station_sees_its_share_and_the_pulls_have_their_taps(seeded):
    dispatcher = User.objects.filter(role=Role.DISPATCHER).first()
    mine = outreach_figures(dispatcher, TERM_START, timezone.localdate())
    assert 0 < mine["talks"] < 80
    assert DrillArrival.objects.count() == 23 * 3
    assert not Drill.objects.filter(date__gte=timezone.localdate()).exists()
    assert Activity.objects.filter(school__isnull=True).count() == 7  # the open days, at the stations


@pytest.mark.django_db
def test_the_reset_deletes_the_demo_s_outreach(seeded):
    reset()
    for model in (Activity, Training, Drill, DrillArrival, DrillPlan):
        assert not model.objects.exists(), model
    assert not Drill.history.exists()
