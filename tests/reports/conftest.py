"""The fixtures of the reports tests: `district`, the rows every figure is counted on by hand
(tests/reports/district.py)."""

from tests.reports.district import district  # noqa: F401 (a fixture)
