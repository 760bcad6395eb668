"""The duty API: the roster (shifts, assignments, standing assignments, leave, the board).
Check-in, check-out and excuse on an assignment are attendance's (attendance/api.py)."""

from duty.api.roster import (
    AssignmentViewSet,
    LeaveViewSet,
    RosterCandidatesView,
    RosterCopyWeekView,
    RosterPublishView,
    RosterView,
    ShiftViewSet,
    StandingAssignmentViewSet,
)

__all__ = [
    "AssignmentViewSet", "LeaveViewSet", "RosterCandidatesView", "RosterCopyWeekView",
    "RosterPublishView", "RosterView", "ShiftViewSet", "StandingAssignmentViewSet",
]
