"""Duty's scoped reads: the roster (roster.py), the live board (live.py) and attendance
counted over a range (attendance.py)."""
