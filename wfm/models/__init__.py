"""The whole data model. Importing this package registers every table on `Base.metadata`."""

from wfm.models.audit import AuditLog
from wfm.models.base import Base
from wfm.models.calendar import CalendarDay, ShiftSkill, ShiftType
from wfm.models.calls import CallInterval, Forecast, ForecastInterval, Queue, Requirement
from wfm.models.operations import (
    Attendance,
    DisciplineEvent,
    ExamResult,
    HandoverLog,
    MonthlyEvaluation,
    Notice,
    NoticeRead,
    PostAbsence,
    QualityInspection,
)
from wfm.models.org import (
    GRADE_ORDER,
    Centre,
    Contract,
    Grade,
    GradeHistory,
    Person,
    PersonSkill,
    Role,
    Skill,
    Team,
)
from wfm.models.requests import (
    LeaveApproval,
    LeaveRequest,
    LeaveType,
    RequestStatus,
    SwapApproval,
    SwapRequest,
    SwapSlot,
)
from wfm.models.roster import Preference, Roster, RosterAssignment, RosterStatus

__all__ = [
    "GRADE_ORDER",
    "Attendance",
    "AuditLog",
    "Base",
    "CalendarDay",
    "CallInterval",
    "Centre",
    "Contract",
    "DisciplineEvent",
    "ExamResult",
    "Forecast",
    "ForecastInterval",
    "Grade",
    "GradeHistory",
    "HandoverLog",
    "LeaveApproval",
    "LeaveRequest",
    "LeaveType",
    "MonthlyEvaluation",
    "Notice",
    "NoticeRead",
    "Person",
    "PersonSkill",
    "PostAbsence",
    "Preference",
    "QualityInspection",
    "Queue",
    "RequestStatus",
    "Requirement",
    "Role",
    "Roster",
    "RosterAssignment",
    "RosterStatus",
    "ShiftSkill",
    "ShiftType",
    "Skill",
    "SwapApproval",
    "SwapRequest",
    "SwapSlot",
    "Team",
]
