"""Entering leave over shifts the person is already booked on: he is taken off the shifts
that have not ended, he and the station's dispatchers are told, and the posts show short.
The page and the API both go through duty.services.leave.

Shifts are generated on 20 August 2026 for the weeks of 7 and 14 September, with Oscar
(张斌, station A) booked on Monday 7 September morning, Tuesday 8 afternoon and Wednesday 9
morning, and the week published. Then the clock moves to Tuesday 8 September, noon: Monday's
shift is over, Tuesday afternoon's and Wednesday's are still ahead."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from core.models import OutboxMessage
from duty.models import Assignment, Leave, Notification, Shift
from duty.services.assignments import assignment_create, week_publish
from duty.services.generation import shift_generate
from duty.services.leave import leave_create, leave_update
from org.services import user_create
from tests.factories import PersonFactory, TermFactory, TimetableFactory
from tests.fixtures import PASSWORD

pytestmark = pytest.mark.usefixtures("english")

TZ = ZoneInfo("Asia/Shanghai")
D = datetime.date
T = datetime.time
URL = "/api/v1/leaves/"


@pytest.fixture
def booked(cast, time_machine):
    time_machine.move_to(datetime.datetime(2026, 8, 20, 9, 0, tzinfo=TZ), tick=False)
    TermFactory(school=None, start=D(2026, 9, 1), end=D(2027, 1, 20))
    for school in (cast.school_a, cast.school_b):
        TimetableFactory(school=school, period="am", start=T(7, 40), end=T(8, 10))
        TimetableFactory(school=school, period="pm", start=T(16, 30), end=T(17, 10))
    shift_generate(start=D(2026, 9, 7), end=D(2026, 9, 20))
    cast.monday, cast.tuesday_pm, cast.wednesday = (
        Shift.objects.get(post=cast.post_a, date=day, period=period)
        for day, period in ((D(2026, 9, 7), "am"), (D(2026, 9, 8), "pm"), (D(2026, 9, 9), "am"))
    )
    for shift in (cast.monday, cast.tuesday_pm, cast.wednesday):
        assignment_create(shift=shift, person=cast.officer_a, user=cast.alice)
    week_publish(station=cast.station_a, week_start=D(2026, 9, 7), user=cast.alice)
    cast.carol = user_create(username="carol", password=PASSWORD, role="dispatcher", unit=cast.station_a,
                             full_name="蔡洛")
    cast.carol.email = "carol@example.org"
    cast.carol.save(update_fields=["email"])
    Notification.objects.all().delete()
    OutboxMessage.objects.all().delete()
    time_machine.move_to(datetime.datetime(2026, 9, 8, 12, 0, tzinfo=TZ), tick=False)
    return cast


def booked_shifts(cast) -> set:
    return set(Assignment.objects.filter(person=cast.officer_a).values_list("shift_id", flat=True))


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_it_takes_him_off_both_shifts_still_ahead_and_tells_him_and_the_dispatchers(booked):
    cast = booked
    saved = leave_create(user=cast.alice, person=cast.officer_a, start_date=D(2026, 9, 7),
                         end_date=D(2026, 9, 11), reason="病假")
    assert saved.leave.station == cast.station_a
    assert saved.removed_from == [cast.tuesday_pm, cast.wednesday]
    assert booked_shifts(cast) == {cast.monday.pk}  # Monday's shift is over: a record, left as it was
    removed = Notification.objects.filter(recipient=cast.oscar).order_by("pk")
    assert [n.shift_id for n in removed] == [cast.tuesday_pm.pk, cast.wednesday.pk]
    assert all(n.title.startswith("Removed from shift") for n in removed)
    for dispatcher in (cast.alice, cast.carol):
        (note,) = Notification.objects.filter(recipient=dispatcher)
        assert "张斌" in note.title and "removed from 2 shifts" in note.title
        assert len(note.body.splitlines()) == 2
    assert not Notification.objects.filter(recipient=cast.bob).exists()  # another station's dispatcher
    assert OutboxMessage.objects.filter(payload__to="carol@example.org").exists()


def test_a_leave_that_overlaps_no_booking_changes_nothing(booked):
    cast = booked
    saved = leave_create(user=cast.alice, person=cast.officer_a, start_date=D(2026, 9, 14),
                         end_date=D(2026, 9, 18), reason="年休假")
    assert saved.removed_from == []
    assert booked_shifts(cast) == {cast.monday.pk, cast.tuesday_pm.pk, cast.wednesday.pk}
    assert not Notification.objects.exists() and not OutboxMessage.objects.exists()


def test_moving_a_leave_onto_booked_days_takes_him_off_them(booked):
    cast = booked
    leave = leave_create(user=cast.alice, person=cast.officer_a, start_date=D(2026, 9, 14),
                         end_date=D(2026, 9, 18), reason="年休假").leave
    saved = leave_update(user=cast.alice, leave=leave, start_date=D(2026, 9, 9), end_date=D(2026, 9, 9))
    assert saved.removed_from == [cast.wednesday]
    assert booked_shifts(cast) == {cast.monday.pk, cast.tuesday_pm.pk}


def test_a_refused_leave_removes_nobody(booked):
    cast = booked
    with pytest.raises(ValidationError) as excinfo:
        leave_create(user=cast.alice, person=cast.officer_a, start_date=D(2026, 9, 9),
                     end_date=D(2026, 9, 7), reason="病假")
    assert "end_date" in excinfo.value.message_dict
    assert not Leave.objects.exists()
    assert booked_shifts(cast) == {cast.monday.pk, cast.tuesday_pm.pk, cast.wednesday.pk}


# -- through the page ----------------------------------------------------------------------------


def test_the_page_goes_through_the_service_and_says_which_shifts(booked, client):
    cast = booked
    client.force_login(cast.alice)
    response = client.post(reverse("duty:leave_add"), {
        "person": cast.officer_a.pk, "start_date": "2026-09-07", "end_date": "2026-09-11", "reason": "病假"},
        follow=True)
    assert response.status_code == 200
    assert booked_shifts(cast) == {cast.monday.pk}
    assert Notification.objects.filter(recipient=cast.carol).exists()
    # The page speaks Chinese whatever the test's language: the message names him and both shifts.
    (message,) = [str(m) for m in response.context["messages"]]
    assert "张斌" in message and message.count(str(cast.post_a)) == 2
    leave = Leave.objects.get()
    response = client.post(reverse("duty:leave_edit", args=[leave.pk]), {
        "person": cast.officer_a.pk, "start_date": "2026-09-07", "end_date": "2026-09-07", "reason": "病假"})
    assert response.status_code == 302
    assert Leave.objects.get().end_date == D(2026, 9, 7)


def test_the_page_refuses_bad_dates_on_the_end_date(booked, client):
    cast = booked
    client.force_login(cast.alice)
    response = client.post(reverse("duty:leave_add"), {
        "person": cast.officer_a.pk, "start_date": "2026-09-09", "end_date": "2026-09-07", "reason": "病假"})
    assert response.status_code == 200 and "end_date" in response.context["form"].errors
    assert booked_shifts(cast) == {cast.monday.pk, cast.tuesday_pm.pk, cast.wednesday.pk}


def test_another_stations_leave_is_not_found_on_the_page(booked, client):
    cast = booked
    leave = leave_create(user=cast.alice, person=cast.officer_a, start_date=D(2026, 9, 14),
                         end_date=D(2026, 9, 14), reason="培训").leave
    client.force_login(cast.bob)
    response = client.post(reverse("duty:leave_edit", args=[leave.pk]), {
        "person": cast.officer_a.pk, "start_date": "2026-09-07", "end_date": "2026-09-11", "reason": "病假"})
    assert response.status_code == 404
    assert booked_shifts(cast) == {cast.monday.pk, cast.tuesday_pm.pk, cast.wednesday.pk}


# -- through the API -----------------------------------------------------------------------------


def test_the_api_goes_through_the_service(booked):
    cast = booked
    client = client_for(cast.alice)
    response = client.post(URL, {"person": cast.officer_a.pk, "start_date": "2026-09-14",
                                 "end_date": "2026-09-18", "reason": "年休假"}, format="json")
    assert response.status_code == 201, response.json()
    assert booked_shifts(cast) == {cast.monday.pk, cast.tuesday_pm.pk, cast.wednesday.pk}
    response = client.patch(f"{URL}{response.json()['id']}/", {"start_date": "2026-09-08"}, format="json")
    assert response.status_code == 200, response.json()
    assert booked_shifts(cast) == {cast.monday.pk}
    assert Notification.objects.filter(recipient=cast.carol).count() == 1


def test_the_api_refuses_bad_dates_naming_the_end_date(booked):
    cast = booked
    response = client_for(cast.alice).post(URL, {"person": cast.officer_a.pk, "start_date": "2026-09-09",
                                                 "end_date": "2026-09-07", "reason": "病假"}, format="json")
    assert response.status_code == 400 and "end_date" in response.json(), response.json()
    assert booked_shifts(cast) == {cast.monday.pk, cast.tuesday_pm.pk, cast.wednesday.pk}


def test_another_stations_person_or_leave_is_not_there_for_bob(booked):
    cast = booked
    client = client_for(cast.bob)
    response = client.post(URL, {"person": cast.officer_a.pk, "start_date": "2026-09-07",
                                 "end_date": "2026-09-11", "reason": "病假"}, format="json")
    assert response.status_code == 400 and "person" in response.json()  # not among the people he may pick
    leave = leave_create(user=cast.alice, person=cast.officer_a, start_date=D(2026, 9, 14),
                         end_date=D(2026, 9, 14), reason="培训").leave
    response = client.patch(f"{URL}{leave.pk}/", {"start_date": "2026-09-07"}, format="json")
    assert response.status_code == 404
    assert booked_shifts(cast) == {cast.monday.pk, cast.tuesday_pm.pk, cast.wednesday.pk}
    with pytest.raises(ValidationError) as excinfo:
        leave_create(user=cast.bob, person=PersonFactory(unit=cast.station_a), start_date=D(2026, 9, 7),
                     end_date=D(2026, 9, 7), reason="病假")
    assert "person" in excinfo.value.message_dict
