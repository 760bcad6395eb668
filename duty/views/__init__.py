"""HTML pages of the duty app: the roster (roster.py). The check-in page and the live board
are attendance's (attendance/views.py)."""
