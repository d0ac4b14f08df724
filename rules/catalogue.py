"""Rule IDs of RULES.md with their one-line titles (English / Chinese), for messages and pages."""

from __future__ import annotations

RULES: dict[str, tuple[str, str]] = {
    "S1": ("24-hour service: every interval staffed", "24小时服务:每个时段有人值守"),
    "S2": (
        "Answer rate, service level, ASA and occupancy targets",
        "接通率、服务水平、平均应答时间与占用率目标",
    ),
    "S3": ("Monthly headcount formula", "月度人员测算公式"),
    "S4": ("Requirement per interval", "按时段计算人员需求"),
    "R1": ("No consecutive shifts; minimum rest", "不得连班;最短休息时间"),
    "R2": ("A senior shift lead on duty at all times", "每个时段有高级值班长在岗"),
    "R3": ("Approved leave respected", "已批准的请假必须遵守"),
    "R4": ("Weekly rest and maximum consecutive days", "每周休息与最长连续工作天数"),
    "R5": ("Contract hours and overtime cap", "合同工时与加班上限"),
    "R6": ("Night-shift limit", "夜班次数上限"),
    "R7": ("Fair spread of nights, weekends and holidays", "夜班、周末与节假日值班公平分配"),
    "R8": ("Preferences honoured where possible", "尽量满足个人偏好"),
    "R9": ("Coverage of the staffing requirement", "满足人员需求覆盖"),
    "R10": ("Paid 10-minute roll call before each shift", "班前10分钟点名(计薪)"),
    "W1": ("At most N approved swaps per person per month", "每人每月换班次数上限"),
    "W2": ("Both team leads approve; swap registered", "双方班长批准并登记"),
    "W3": ("Same grade and required skills", "同等级、同技能"),
    "W4": ("No consecutive shifts after the swap", "换班后不得连班"),
    "W5": ("No swaps for public-holiday duty", "节假日值班不得换班"),
    "W6": ("Coverage and shift lead intact after the swap", "换班后覆盖与值班长不受影响"),
    "W7": ("An approved swap binds", "换班批准后即生效"),
    "L1": ("Leave notice", "请假提前申请"),
    "L2": ("Approval authority and chain", "审批权限与逐级审批"),
    "L3": ("Personal leave requested by the person", "本人申请事假"),
    "L4": ("Sick leave needs a certificate covering the period", "病假须有完整病假证明"),
    "L5": ("No leave for a night shift except before 12:00", "夜班请假须当日12点前申请"),
    "L6": ("No leave over public holidays", "节假日原则上不准假"),
    "L7": ("Late arrival or leaving the post over 20 minutes", "迟到或离岗超过20分钟"),
    "L8": ("Approved leave triggers roster repair", "批准请假后修补排班"),
    "H1": ("Arrive 10 minutes early for roll call", "提前10分钟到岗点名"),
    "H2": ("Handover log written and acknowledged", "交接班日志填写与确认"),
    "H3": ("Do not leave before the successor arrives", "接班人未到不得离岗"),
    "H4": ("Latest notices read at shift start", "班前阅读最新通知"),
    "G1": ("Grades junior, intermediate, senior", "初级、中级、高级"),
    "G2": ("Monthly typing and exam thresholds", "月度打字速度与业务考试标准"),
    "G3": ("Quality inspections 1-5 per month", "每月1-5次质检"),
    "G4": ("Grade changes follow results", "等级随考核结果调整"),
    "G5": ("Grade drives the roster", "等级决定排班"),
}


def title(rule_id: str, lang: str = "en") -> str:
    en, zh = RULES[rule_id]
    return zh if lang == "zh" else en
