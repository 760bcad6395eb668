"""Duty's scoped reads: the roster (roster.py). The live board and the attendance counts are
attendance's (attendance/selectors/)."""
