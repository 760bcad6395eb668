"""The report pages, one module each: `figures` (the duty figures)."""

from reports.views.figures import FiguresView  # noqa: F401
