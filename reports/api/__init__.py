"""The reports API, one module each: `duty` (stats/duty/, and stats/attendance/, deprecated)."""
