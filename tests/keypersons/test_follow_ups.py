"""Follow-ups: the next one is due one interval of the risk level after the last (7, 15 and 30
days by default); an overdue follow-up tells the station's keepers and HQ once per overdue
period through the outbox (the task run twice sends one alert); a change to lost contact
tells them at once. The clock is frozen on Monday 7 September 2026, 09:00."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from core.models import OutboxMessage
from duty.models import Notification
from keypersons.models import KeyPerson
from keypersons.selectors import keyperson_figures, keyperson_summary
from keypersons.services import followup_create, keyperson_update
from keypersons.tasks import alert_overdue
from tests.keypersons.conftest import a_person

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2026, 9, 7, 9, 0, tzinfo=TZ)
TODAY = NOW.date()
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


def told(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("title", flat=True))


@pytest.mark.parametrize("risk, days", [("high", 7), ("medium", 15), ("low", 30)])
def test_the_interval_follows_the_risk_level(cast, risk, days):
    person = a_person(cast, risk=risk, registered_on=TODAY - 3 * DAY)
    assert person.follow_up_due == TODAY - 3 * DAY + days * DAY
    follow_up = followup_create(person=person, user=cast.alice, date=TODAY - DAY, officer=cast.officer_a,
                                method="visit", observed="在家", status_after="stable")
    person.refresh_from_db()
    assert (person.last_follow_up_on, person.follow_up_due) == (TODAY - DAY, TODAY - DAY + days * DAY)
    assert follow_up.due_on == TODAY - 3 * DAY + days * DAY and follow_up.on_time


def test_the_interval_is_a_setting_and_a_new_risk_level_moves_the_due_date(cast, settings):
    settings.KEYPERSON_FOLLOW_UP_DAYS = {"high": 3, "medium": 10, "low": 60}
    person = a_person(cast, risk="medium", registered_on=TODAY)
    assert person.follow_up_due == TODAY + 10 * DAY
    person = keyperson_update(person=person, user=cast.alice, risk="high")
    assert person.follow_up_due == TODAY + 3 * DAY


def test_an_overdue_follow_up_is_told_once_per_overdue_period(cast, frozen, english):
    person = a_person(cast, risk="high", registered_on=TODAY - 6 * DAY)  # due tomorrow
    assert alert_overdue() == 0
    frozen.move_to(NOW + 2 * DAY, tick=False)  # Wednesday: a day overdue
    assert KeyPerson.objects.overdue().get() == person
    assert alert_overdue() == 1
    assert alert_overdue() == 0  # twice: still one alert
    for user in (cast.alice, cast.henry):
        (title,) = told(user)
        assert "follow-up is overdue since 2026-09-08" in title
        assert person.name not in title  # a message leaves the system: no name in it
    assert told(cast.bob) == [] and told(cast.carol) == []  # another station's keeper; not a keeper
    assert OutboxMessage.objects.exists() or not any(u.email for u in (cast.alice, cast.henry))
    # A late follow-up starts a new period; when that one runs out, one new alert.
    followup_create(person=person, user=cast.alice, date=TODAY + 2 * DAY, officer=cast.officer_a,
                    method="call", observed="正常", status_after="stable")
    assert alert_overdue() == 0
    frozen.move_to(NOW + 10 * DAY, tick=False)
    assert alert_overdue() == 1
    assert len(told(cast.alice)) == 2


def test_a_change_to_lost_contact_is_told_at_once_by_a_follow_up_or_an_edit(cast, english):
    first = a_person(cast)
    followup_create(person=first, user=cast.alice, date=TODAY, officer=cast.officer_a, method="visit",
                    observed="人去屋空，电话关机", status_after="lost")
    assert len(told(cast.alice)) == 1 and len(told(cast.henry)) == 1
    assert "lost contact" in told(cast.henry)[0]
    second = a_person(cast)
    keyperson_update(person=second, user=cast.alice, status="lost")
    keyperson_update(person=second, user=cast.alice, notes="仍未联系上")  # still lost: no second alert
    assert len(told(cast.alice)) == 2


def test_away_says_where_and_until_when(cast):
    from django.core.exceptions import ValidationError

    person = a_person(cast)
    with pytest.raises(ValidationError) as caught:
        keyperson_update(person=person, user=cast.alice, status="away")
    assert set(caught.value.message_dict) == {"away_place", "away_until"}
    keyperson_update(person=person, user=cast.alice, status="away", away_place="成都", away_until=TODAY + 30 * DAY)
    person = keyperson_update(person=person, user=cast.alice, status="stable")
    assert (person.away_place, person.away_until) == ("", None)


def test_the_figures_count_screened_stable_categories_and_follow_ups(cast):
    stable = a_person(cast, risk="high", categories=["petitioner", "grievance"], registered_on=TODAY - 20 * DAY)
    lost = a_person(cast, risk="low", categories=["drug_user"], registered_on=TODAY - 20 * DAY)
    a_person(cast, cast.station_b, registered_on=TODAY - 20 * DAY)
    followup_create(person=stable, user=cast.alice, date=TODAY - 18 * DAY, officer=cast.officer_a,
                    method="visit", observed="在家", status_after="stable")  # on time
    followup_create(person=stable, user=cast.alice, date=TODAY - DAY, officer=cast.officer_a,
                    method="visit", observed="在家", status_after="stable")  # late (due 18-7 days ago)
    followup_create(person=lost, user=cast.alice, date=TODAY, officer=cast.officer_a,
                    method="call", observed="关机", status_after="lost")
    assert keyperson_summary(user=cast.alice) == {"key_persons": 2, "key_persons_stable": 1}
    assert keyperson_summary(user=cast.henry) == {"key_persons": 3, "key_persons_stable": 2}
    figures = keyperson_figures(user=cast.alice, start=TODAY - 30 * DAY, end=TODAY)
    assert figures["by_category"] == {"mental_disorder": 0, "petitioner": 1, "drug_user": 1, "grievance": 1,
                                      "school_offence": 0}
    assert figures["by_risk"] == {"high": 1, "medium": 0, "low": 1}
    assert (figures["follow_ups"], figures["follow_ups_on_time"], figures["follow_ups_late"]) == (3, 2, 1)
    assert figures["share_stable"] == 0.5
    # Registered after the period: not screened in it.
    assert keyperson_summary(user=cast.alice, end=TODAY - 25 * DAY)["key_persons"] == 0
