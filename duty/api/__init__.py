"""The duty API: the roster (shifts, assignments, standing assignments, leave, the board) and
attendance (check-in/out)."""

from duty.api.geofence import PostDistanceView
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
    "AssignmentViewSet", "LeaveViewSet", "PostDistanceView", "RosterCandidatesView", "RosterCopyWeekView",
    "RosterPublishView", "RosterView", "ShiftViewSet", "StandingAssignmentViewSet",
]
