"""The duty API: the roster (shifts, assignments, standing assignments, leave, the board) and
attendance and supervision (check-in/out, spot checks, bulletins)."""

from duty.api.attendance import BulletinViewSet, SpotCheckViewSet
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
    "AssignmentViewSet", "BulletinViewSet", "LeaveViewSet", "PostDistanceView", "RosterCandidatesView",
    "RosterCopyWeekView", "RosterPublishView", "RosterView", "ShiftViewSet", "SpotCheckViewSet",
    "StandingAssignmentViewSet",
]
