"""Every figure reports/ shows, read through each app's own selectors (never counted a
second time), one module per concern: `duty` (person-times, attendance, findings, bulletins),
`summary` (the work report's headline figures, stats/summary). The duty figures' names stay
importable from here, where they were first."""

from reports.selectors.duty import (  # noqa: F401
    DEPLOYED_KINDS,
    Scope,
    attendance_breakdown,
    attendance_by_person,
    attendance_by_post,
    attendance_by_station,
    attendance_total,
    bulletins_issued,
    default_range,
    duty_summary,
    findings_by_kind,
    findings_by_station,
    person_times,
)
from reports.selectors.home import home_counts  # noqa: F401
