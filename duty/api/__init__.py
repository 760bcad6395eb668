"""The duty API: the roster (shifts, assignments, standing assignments, leave, the board) and
attendance and supervision (check-in/out, spot checks, bulletins, figures)."""

from duty.api.attendance import AttendanceFiguresView, BulletinViewSet, SpotCheckViewSet
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
    "AssignmentViewSet", "AttendanceFiguresView", "BulletinViewSet", "LeaveViewSet", "RosterCandidatesView",
    "RosterCopyWeekView", "RosterPublishView", "RosterView", "ShiftViewSet", "SpotCheckViewSet",
    "StandingAssignmentViewSet",
]
