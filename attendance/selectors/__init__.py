"""Attendance's scoped reads: what is happening at the posts now, the live board and the
officer's shift (live.py), and attendance counted over a range (counts.py)."""
