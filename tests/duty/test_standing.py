"""Standing assignments over shifts already generated: entering one puts its person on the
matching shifts that have not started (by the dispatcher's rules, naming what it could not
do); changing it takes him off what it no longer covers; deleting it takes him off what it
put him on. The page and the API both go through duty.services.standing.

Shifts are generated on 20 August 2026 for the weeks of 7 and 14 September (mornings and
afternoons at school A's post); the clock then moves to Tuesday 8 September, noon."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from duty.models import Assignment, AssignmentSource, Shift, StandingAssignment
from duty.services.assignments import assignment_create
from duty.services.generation import shift_generate
from duty.services.leave import leave_create
from duty.services.standing import (
    standing_assignment_create,
    standing_assignment_delete,
    standing_assignment_update,
)
from posts.models import weekdays_to_mask
from tests.factories import TermFactory, TimetableFactory

pytestmark = pytest.mark.usefixtures("english")

TZ = ZoneInfo("Asia/Shanghai")
D = datetime.date
T = datetime.time
MON, TUE, WED = 1, 2, 3


@pytest.fixture
def generated(cast, time_machine):
    time_machine.move_to(datetime.datetime(2026, 8, 20, 9, 0, tzinfo=TZ), tick=False)
    TermFactory(school=None, start=D(2026, 9, 1), end=D(2027, 1, 20))
    TimetableFactory(school=cast.school_a, period="am", start=T(7, 40), end=T(8, 10))
    TimetableFactory(school=cast.school_a, period="pm", start=T(16, 30), end=T(17, 10))
    shift_generate(start=D(2026, 9, 7), end=D(2026, 9, 20))
    time_machine.move_to(datetime.datetime(2026, 9, 8, 12, 0, tzinfo=TZ), tick=False)
    return cast


def standing_days(person, post):
    return sorted(
        (a.shift.date, a.shift.period)
        for a in Assignment.objects.filter(person=person, shift__post=post, active=True).select_related("shift")
    )


def fields(cast, **overrides):
    return {"person": cast.officer_a, "post": cast.post_a, "weekdays": weekdays_to_mask([MON, WED]),
            "periods": "am", "start_date": D(2026, 9, 7), "end_date": D(2026, 9, 20), **overrides}


def test_a_new_standing_assignment_books_the_matching_shifts_that_have_not_started(generated):
    saved = standing_assignment_create(user=generated.alice, **fields(generated))
    # Monday 7 has passed; Wednesday 9, Monday 14 and Wednesday 16 mornings are ahead.
    assert standing_days(generated.officer_a, generated.post_a) == [
        (D(2026, 9, 9), "am"), (D(2026, 9, 14), "am"), (D(2026, 9, 16), "am")]
    assert [(s.date, s.period) for s in sorted(saved.assigned, key=lambda s: s.date)] == [
        (D(2026, 9, 9), "am"), (D(2026, 9, 14), "am"), (D(2026, 9, 16), "am")]
    assert set(Assignment.objects.filter(person=generated.officer_a).values_list("source", flat=True)) == {
        AssignmentSource.STANDING}


def test_what_the_person_cannot_stand_is_named_not_forced(generated):
    leave_create(user=generated.alice, person=generated.officer_a, start_date=D(2026, 9, 14),
                 end_date=D(2026, 9, 14), reason="sick")
    saved = standing_assignment_create(user=generated.alice, **fields(generated))
    assert standing_days(generated.officer_a, generated.post_a) == [(D(2026, 9, 9), "am"), (D(2026, 9, 16), "am")]
    assert len(saved.skipped) == 1 and "2026-09-14" in saved.skipped[0] and "leave" in saved.skipped[0]


def test_a_shift_he_already_stands_is_left_as_it_is(generated):
    wednesday = Shift.objects.get(post=generated.post_a, date=D(2026, 9, 9), period="am")
    manual = assignment_create(shift=wednesday, person=generated.officer_a, user=generated.alice)
    saved = standing_assignment_create(user=generated.alice, **fields(generated))
    assert wednesday.pk not in {s.pk for s in saved.assigned}
    assert Assignment.objects.filter(person=generated.officer_a, shift=wednesday, active=True).get() == manual
    assert saved.skipped == []


def test_changing_the_weekdays_takes_him_off_what_it_no_longer_covers(generated):
    standing = standing_assignment_create(user=generated.alice, **fields(generated)).standing
    saved = standing_assignment_update(user=generated.alice, standing=standing,
                                       weekdays=weekdays_to_mask([TUE, WED]))
    assert sorted((s.date, s.period) for s in saved.removed) == [(D(2026, 9, 14), "am")]
    # Tuesday 8 morning has passed; Tuesday 15 is new.
    assert standing_days(generated.officer_a, generated.post_a) == [
        (D(2026, 9, 9), "am"), (D(2026, 9, 15), "am"), (D(2026, 9, 16), "am")]


def test_a_booking_made_by_hand_survives_the_change(generated):
    standing = standing_assignment_create(user=generated.alice, **fields(generated)).standing
    friday = Shift.objects.get(post=generated.post_a, date=D(2026, 9, 11), period="pm")
    assignment_create(shift=friday, person=generated.officer_a, user=generated.alice)
    standing_assignment_update(user=generated.alice, standing=standing, periods="pm")
    assert (D(2026, 9, 11), "pm") in standing_days(generated.officer_a, generated.post_a)


def test_deleting_it_takes_him_off_the_shifts_it_put_him_on(generated):
    standing = standing_assignment_create(user=generated.alice, **fields(generated)).standing
    saved = standing_assignment_delete(user=generated.alice, standing=standing)
    assert len(saved.removed) == 3
    assert standing_days(generated.officer_a, generated.post_a) == []
    assert not StandingAssignment.objects.exists()


def test_another_stations_post_is_refused_and_nothing_is_written(generated):
    with pytest.raises(ValidationError) as refused:
        standing_assignment_create(user=generated.bob, **fields(generated))
    assert "post" in refused.value.message_dict
    assert not StandingAssignment.objects.exists() and not Assignment.objects.exists()


def test_the_api_and_the_page_go_through_the_service(generated, client):
    api = APIClient()
    api.force_authenticate(generated.alice)
    body = {"person": generated.officer_a.pk, "post": generated.post_a.pk, "weekdays": [MON, WED],
            "periods": "am", "start_date": "2026-09-07", "end_date": "2026-09-20"}
    response = api.post("/api/v1/standing-assignments/", body, format="json")
    assert response.status_code == 201, response.json()
    assert len(standing_days(generated.officer_a, generated.post_a)) == 3
    assert api.delete(f"/api/v1/standing-assignments/{response.json()['id']}/").status_code == 204
    assert standing_days(generated.officer_a, generated.post_a) == []

    client.force_login(generated.alice)
    response = client.post(reverse("duty:standingassignment_add"), {
        "person": generated.officer_a.pk, "post": generated.post_a.pk, "weekdays": [MON, WED], "periods": "am",
        "start_date": "2026-09-07", "end_date": "2026-09-20"}, follow=True)
    assert response.status_code == 200
    assert len(standing_days(generated.officer_a, generated.post_a)) == 3
    assert "已排入已生成的 3 个班次" in response.content.decode()
