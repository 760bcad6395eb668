"""Public holidays and make-up working days, kept as rows in our own tables.

The chinesecalendar package knows 2004 to its last published year; `load_package_holidays`
copies what it knows (a data migration runs it; `manage.py load_holidays` re-runs it after the
package is upgraded). A year it does not know yet is entered by an administrator (the admin,
or the Excel import on the holidays page) once the State Council publishes it."""

from __future__ import annotations

import chinese_calendar

HOLIDAY_NAMES_ZH = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


def _name(value) -> str:
    raw = getattr(value, "value", value)
    if isinstance(raw, tuple):
        return str(raw[1]) if len(raw) > 1 else str(raw[0])
    return HOLIDAY_NAMES_ZH.get(str(raw), str(raw))


def package_years() -> list[int]:
    return sorted({d.year for d in chinese_calendar.holidays} | {d.year for d in chinese_calendar.workdays})


def load_package_holidays(holiday_year_model, holiday_model, years=None) -> list[int]:
    """Copy the package's years into the tables; years already there (perhaps edited by an
    administrator) are left alone. Takes the model classes so a migration can pass its
    historical ones. Returns the years loaded."""
    wanted = set(years or package_years())
    present = set(holiday_year_model.objects.filter(year__in=wanted).values_list("year", flat=True))
    loaded = sorted(wanted - present)
    if not loaded:
        return []
    holiday_year_model.objects.bulk_create(
        [holiday_year_model(year=y, source="package", note=f"chinesecalendar {chinese_calendar.__version__}"
                            if hasattr(chinese_calendar, "__version__") else "chinesecalendar") for y in loaded]
    )
    rows = []
    for day, value in chinese_calendar.holidays.items():
        if day.year in loaded:
            rows.append(holiday_model(date=day, kind="off", name=_name(value), year_id=day.year))
    for day, value in chinese_calendar.workdays.items():
        if day.year in loaded:
            rows.append(holiday_model(date=day, kind="workday", name=_name(value), year_id=day.year))
    holiday_model.objects.bulk_create(rows, batch_size=1000)
    return loaded
