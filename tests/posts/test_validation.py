import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from posts.models import Timetable, weekdays_to_mask
from tests.factories import CalendarOverrideFactory, SchoolFactory, TermFactory, TimetableFactory


def make_timetable(**fields):
    defaults = dict(period="pm", weekdays=weekdays_to_mask([1, 2, 3, 4, 5]), start=datetime.time(16, 30),
                    end=datetime.time(17, 10), valid_from=datetime.date(2026, 9, 1))
    return Timetable(**{**defaults, **fields})


def test_an_afternoon_window_that_ends_before_it_starts_is_an_error_on_end(db):
    school = SchoolFactory()
    timetable = make_timetable(school=school, start=datetime.time(17, 10), end=datetime.time(16, 30))
    with pytest.raises(ValidationError) as excinfo:
        timetable.full_clean()
    assert "end" in excinfo.value.message_dict
    assert "17:10" in excinfo.value.message_dict["end"][0]


def test_the_database_refuses_a_window_that_ends_before_it_starts(db):
    school = SchoolFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        make_timetable(school=school, start=datetime.time(17, 10), end=datetime.time(16, 30)).save()


def test_overlapping_windows_for_one_school_and_period_are_an_error(db):
    existing = TimetableFactory(period="am", weekdays=weekdays_to_mask([1, 2, 3, 4, 5]))
    clash = make_timetable(school=existing.school, period="am", weekdays=weekdays_to_mask([5, 6]),
                           start=datetime.time(7, 0), end=datetime.time(7, 30))
    with pytest.raises(ValidationError) as excinfo:
        clash.full_clean()
    assert "weekdays" in excinfo.value.message_dict


def test_a_summer_and_a_winter_timetable_do_not_overlap(db):
    summer = TimetableFactory(valid_from=datetime.date(2026, 5, 1), valid_to=datetime.date(2026, 9, 30))
    winter = make_timetable(school=summer.school, period=summer.period, valid_from=datetime.date(2026, 10, 1))
    winter.full_clean()


def test_other_weekdays_or_the_other_period_do_not_overlap(db):
    friday = TimetableFactory(weekdays=weekdays_to_mask([5]), period="pm")
    make_timetable(school=friday.school, weekdays=weekdays_to_mask([1, 2, 3, 4])).full_clean()
    make_timetable(school=friday.school, period="am", weekdays=weekdays_to_mask([5])).full_clean()


def test_a_term_that_ends_before_it_starts_is_an_error_on_end(db):
    term = TermFactory.build(start=datetime.date(2027, 1, 20), end=datetime.date(2026, 9, 1))
    with pytest.raises(ValidationError) as excinfo:
        term.full_clean()
    assert "end" in excinfo.value.message_dict


def test_the_database_refuses_a_term_that_ends_before_it_starts(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        TermFactory(start=datetime.date(2027, 1, 20), end=datetime.date(2026, 9, 1))


def test_two_overrides_for_one_school_and_date_are_refused(db):
    first = CalendarOverrideFactory()
    second = CalendarOverrideFactory.build(school=first.school, date=first.date, reason="又一个")
    with pytest.raises(ValidationError):
        second.full_clean()


def test_a_post_has_the_reports_standard_staffing_by_default(cast):
    assert cast.post_a.staffing == {
        "police": 1, "auxiliary": 1, "school_security": 1, "guard": 2, "staff": 2, "volunteer": 4,
    }
    assert cast.post_a.required_total == 11


def test_a_timetable_form_shows_the_error_next_to_end(cast, client):
    client.force_login(cast.alice)
    response = client.post("/posts/timetables/add/", {
        "school": cast.school_a.pk, "period": "pm", "weekdays": ["1", "2"], "start": "17:10", "end": "16:30",
        "valid_from": "2026-09-01",
    })
    assert response.status_code == 200
    assert "end" in response.context["form"].errors
    assert 'data-field="end"' in response.content.decode()
    assert not Timetable.objects.exists()


def test_the_api_staffing_rejects_unknown_kinds_and_bad_counts(cast, api):
    api.force_login(cast.alice)
    response = api.post("/api/v1/posts/", {"school": cast.school_a.pk, "name": "侧门", "staffing": {"cook": 1}},
                        format="json")
    assert response.status_code == 400
    assert "staffing" in response.json()
    response = api.post("/api/v1/posts/", {"school": cast.school_a.pk, "name": "侧门", "staffing": {"guard": -1}},
                        format="json")
    assert response.status_code == 400


def test_the_api_edits_staffing_per_post(cast, api):
    api.force_login(cast.alice)
    response = api.patch(f"/api/v1/posts/{cast.post_a.pk}/", {"staffing": {"volunteer": 6}}, format="json")
    assert response.status_code == 200
    assert response.json()["staffing"]["volunteer"] == 6
    assert response.json()["staffing"]["police"] == 1
