"""A range that ends before it starts is refused in one place, with the end field named, the
same way by a model's clean(), a form, a serializer and a service."""

import datetime

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation
from rest_framework import serializers

from core.validation import END_BEFORE_START, end_before_start_errors, require_end_after_start

pytestmark = pytest.mark.usefixtures("english")

MAY_1 = datetime.date(2026, 5, 1)
MAY_2 = datetime.date(2026, 5, 2)


def test_an_end_before_the_start_is_refused_on_the_end_field():
    with pytest.raises(ValidationError) as caught:
        require_end_after_start(start=MAY_2, end=MAY_1, end_field="period_end")
    assert caught.value.message_dict == {"period_end": ["The end date is before the start date."]}


def test_the_default_message_is_translated():
    with translation.override("zh-hans"):
        assert str(END_BEFORE_START) == "结束日期早于开始日期。"


def test_a_range_in_order_passes():
    require_end_after_start(start=MAY_1, end=MAY_2, end_field="end")
    assert end_before_start_errors(start=MAY_1, end=MAY_2, end_field="end") == {}


def test_a_one_day_range_passes_unless_equal_is_refused():
    require_end_after_start(start=MAY_1, end=MAY_1, end_field="end")
    nine = datetime.time(9, 0)
    with pytest.raises(ValidationError) as caught:
        require_end_after_start(start=nine, end=nine, end_field="end", allow_equal=False)
    assert list(caught.value.message_dict) == ["end"]


def test_a_missing_bound_is_left_to_the_required_check():
    require_end_after_start(start=None, end=MAY_1, end_field="end")
    require_end_after_start(start=MAY_2, end=None, end_field="end")


def test_the_site_keeps_its_own_message():
    errors = end_before_start_errors(start=MAY_2, end=MAY_1, end_field="end_date", message="Leave ends early.")
    assert errors == {"end_date": "Leave ends early."}


def test_a_form_clean_that_raises_it_puts_the_error_on_the_end_field():
    class RangeForm(forms.Form):
        start = forms.DateField()
        end = forms.DateField()

        def clean(self):
            cleaned = super().clean()
            require_end_after_start(start=cleaned.get("start"), end=cleaned.get("end"), end_field="end")
            return cleaned

    form = RangeForm({"start": "2026-05-02", "end": "2026-05-01"})
    assert not form.is_valid()
    assert form.errors == {"end": ["The end date is before the start date."]}


def test_a_serializer_validate_that_raises_it_answers_a_field_map():
    class RangeSerializer(serializers.Serializer):
        start = serializers.DateField()
        end = serializers.DateField()

        def validate(self, data):
            require_end_after_start(start=data["start"], end=data["end"], end_field="end")
            return data

    serializer = RangeSerializer(data={"start": "2026-05-02", "end": "2026-05-01"})
    assert not serializer.is_valid()
    assert serializer.errors == {"end": ["The end date is before the start date."]}

