"""What the inspection tests share: the clock (Wednesday 16 September 2026, 10:00), and an
inspection of a school answered the way a test needs it."""

import datetime
from zoneinfo import ZoneInfo

from inspections.models import AnswerResult, Inspection
from inspections.services import active_template, inspection_create, inspection_submit, inspection_update

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2026, 9, 16, 10, 0, tzinfo=TZ)
TODAY = NOW.date()


def answered(inspection: Inspection, *, fail: dict | None = None, user=None) -> Inspection:
    """Every item passed, but those in `fail` ({item order: note}), which failed with that note."""
    fail = fail or {}
    answers = {}
    for item in inspection.template.items.all():
        if item.order in fail:
            answers[item.pk] = {"result": AnswerResult.FAIL, "note": fail[item.order]}
        else:
            answers[item.pk] = {"result": AnswerResult.PASS, "note": ""}
    return inspection_update(inspection=inspection, user=user or inspection.created_by, answers=answers)


def an_inspection(cast, school=None, *, user=None, fail=None, submit=False, date=None) -> Inspection:
    user = user or cast.alice
    inspection = inspection_create(user=user, school=school or cast.school_a, date=date or TODAY)
    if fail is not None or submit:
        answered(inspection, fail=fail, user=user)
    if submit:
        inspection = inspection_submit(inspection=inspection, user=user)
    return inspection


def item(order: int):
    return active_template().items.get(order=order)
