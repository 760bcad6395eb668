"""Every figure reports/ shows, read through each app's own selectors (never counted a
second time): `duty` (person-times, attendance, findings, bulletins, the home page's
counts), `summary` (the work report's headline figures, stats/summary)."""

from reports.selectors.duty import *  # noqa: F401,F403
from reports.selectors.duty import __all__ as _duty_all

__all__ = [*_duty_all]
