"""Every user-facing string of the dashboards in English and Simplified Chinese.

`t(key, **values)` returns the string in the session's language (st.session_state["lang"],
"zh" by default: the centre works in Chinese). Keys are English identifiers; a missing key
is a bug the tests catch (tests/dashboards/test_i18n.py), not a silent fallback.
"""

from __future__ import annotations

from typing import Any

LANGUAGES = {"zh": "简体中文", "en": "English"}
DEFAULT_LANGUAGE = "zh"

# key: (English, 中文)
STRINGS: dict[str, tuple[str, str]] = {
    # app chrome
    "app_title": ("Workforce management", "排班与人力管理"),
    "language": ("Language", "语言"),
    "logout": ("Log out", "退出登录"),
    "signed_in_as": ("Signed in as {name} ({role})", "当前用户:{name}({role})"),
    "section_agent": ("My work", "我的工作"),
    "section_lead": ("Team", "班组管理"),
    "section_director": ("Centre", "中心管理"),
    "section_quality": ("Quality", "质量管理"),
    "section_admin": ("Administration", "系统管理"),
    "refused": ("Refused", "操作被拒绝"),
    "saved": ("Saved.", "已保存。"),
    "no_data": ("Nothing to show yet.", "暂无数据。"),
    "team": ("Team", "班组"),
    "month": ("Month", "月份"),
    "day": ("Day", "日期"),
    "from": ("From", "开始"),
    "to": ("To", "结束"),
    "person": ("Person", "人员"),
    "status": ("Status", "状态"),
    "comment": ("Comment", "备注"),
    "reason": ("Reason", "原因"),
    "submit": ("Submit", "提交"),
    "approve": ("Approve", "批准"),
    "reject": ("Reject", "驳回"),
    "period": ("Period", "时段"),
    "period_day": ("Day", "日"),
    "period_week": ("Week", "周"),
    "period_month": ("Month", "月"),
    "queue": ("Queue", "队列"),
    # roles
    "role_agent": ("agent", "座席代表"),
    "role_team_lead": ("team lead", "班长"),
    "role_quality_inspector": ("quality inspector", "质检员"),
    "role_department_director": ("department director", "部门主任"),
    "role_centre_director": ("centre director", "中心主任"),
    "role_admin": ("administrator", "系统管理员"),
    # grades
    "grade": ("Grade", "等级"),
    "grade_junior": ("junior", "初级"),
    "grade_intermediate": ("intermediate", "中级"),
    "grade_senior": ("senior", "高级"),
    # login
    "login_title": ("Sign in", "登录"),
    "username": ("Username", "用户名"),
    "password": ("Password", "密码"),
    "login_button": ("Sign in", "登录"),
    "login_failed": ("Wrong username or password.", "用户名或密码错误。"),
    "login_locked": (
        "Too many failed sign-ins for this username: it is locked until {until}. "
        "Try again then, or ask an administrator to reset the password.",
        "该用户名登录失败次数过多,已锁定至 {until}。请届时再试,或请系统管理员重置密码。",
    ),
    # page titles
    "page_login": ("Sign in", "登录"),
    "page_my_schedule": ("My schedule", "我的班表"),
    "page_request_leave": ("Request leave", "请假申请"),
    "page_propose_swap": ("Propose a swap", "换班申请"),
    "page_my_requests": ("My requests", "我的申请"),
    "page_my_grades": ("Exams and grades", "考核与等级"),
    "page_notices": ("Notices and handover", "通知与交接"),
    "page_roster_builder": ("Roster builder", "排班"),
    "page_approvals": ("Approvals", "审批"),
    "page_handover": ("Handover log", "交接班日志"),
    "page_attendance": ("Roll call and attendance", "点名与考勤"),
    "page_exams_entry": ("Exams and inspections", "考试与质检录入"),
    "page_exports": ("Exports", "导出"),
    "page_staffing": ("Staffing", "人力与服务水平"),
    "page_statistics": ("Leave, swaps, attendance", "请假·换班·考勤统计"),
    "page_grades_overview": ("Grades and exams", "等级与考试"),
    "page_handover_feed": ("Handover feed", "交接班动态"),
    "page_director_approvals": ("Leave approvals", "请假审批"),
    "page_audit": ("Audit trail", "审计日志"),
    "page_import_calls": ("Import call history", "导入话务历史"),
    # schedule
    "schedule_month_grid": ("Month", "月视图"),
    "schedule_day_timeline": ("Day timeline", "当日时间轴"),
    "schedule_none_published": (
        "No published roster for this month yet.",
        "本月排班尚未发布。",
    ),
    "weekday_0": ("Mon", "周一"),
    "weekday_1": ("Tue", "周二"),
    "weekday_2": ("Wed", "周三"),
    "weekday_3": ("Thu", "周四"),
    "weekday_4": ("Fri", "周五"),
    "weekday_5": ("Sat", "周六"),
    "weekday_6": ("Sun", "周日"),
    "off": ("off", "休"),
    "holiday": ("Public holiday", "法定节假日"),
    "on_leave": ("On leave", "请假"),
    "shift": ("Shift", "班次"),
    "shifts_this_month": ("Shifts this month", "本月班次"),
    "nights_this_month": ("Night shifts", "夜班"),
    "hours_this_month": ("Paid hours", "计薪工时"),
    "roll_call": ("Roll call", "点名"),
    "timeline_title": ("{day}: my shift", "{day} 我的班次"),
    "no_shift_that_day": ("No shift on this day.", "当天休息。"),
    # leave
    "leave_type": ("Leave type", "请假类型"),
    "leave_personal": ("personal", "事假"),
    "leave_annual": ("annual", "年假"),
    "leave_sick": ("sick", "病假"),
    "leave_special": ("special (urgent)", "特殊(紧急)假"),
    "leave_business_trip": ("business trip", "出差"),
    "leave_study": ("study", "学习"),
    "start_date": ("First day", "开始日期"),
    "end_date": ("Last day", "结束日期"),
    "start_time": ("From time", "开始时间"),
    "end_time": ("Until time", "结束时间"),
    "leave_check": ("Check before submitting", "提交前检查"),
    "leave_notice": (
        "Notice: {hours:.0f} h before the first affected shift",
        "提前量:距首个受影响班次 {hours:.0f} 小时",
    ),
    "leave_path": ("Approval path", "审批流程"),
    "leave_ok": ("No rule refuses this request.", "没有规则会拒绝该申请。"),
    "leave_needs_management": (
        "Needs management approval as an exception: {rules}",
        "属于例外情况,须经管理层批准:{rules}",
    ),
    "leave_submitted": ("Leave request {id} submitted.", "请假申请 {id} 已提交。"),
    "leave_cancel_later": (
        "Approved leave can still be cancelled under “My requests” until the day before it starts.",
        "已批准的请假在开始日前一天之前仍可在“我的申请”中取消。",
    ),
    "leave_cancel_title": ("Cancel approved leave", "取消已批准的请假"),
    "leave_cancel_team_title": (
        "Cancel a team member's approved leave",
        "取消组员已批准的请假",
    ),
    "leave_cancel_which": ("Approved leave that has not started", "尚未开始的已批准请假"),
    "leave_cancel_button": ("Cancel this leave", "取消该请假"),
    "leave_cancelled": ("Leave request {id} cancelled.", "请假申请 {id} 已取消。"),
    "leave_cancel_roster_hint": (
        "Cancelling does not change the published roster: the shifts the leave emptied stay "
        "as they are until your team lead re-solves or repairs the roster. Tell your team lead.",
        "取消请假不会自动修改已发布的排班:因请假空出或已调整的班次保持不变,"
        "需由班长重新排班或补班。请告知班长。",
    ),
    "affected_shifts": ("Shifts affected", "受影响班次"),
    # swaps
    "swap_my_shift": ("My shift to give", "我要换出的班次"),
    "swap_eligible": ("Eligible colleagues", "可换班同事"),
    "swap_not_eligible": ("Not eligible, and why", "不可换班的同事及原因"),
    "swap_with": ("Swap with", "换班对象"),
    "swap_their_day": ("Their shift to take", "我接的班次"),
    "swap_submit": ("Propose the swap", "提交换班申请"),
    "swap_submitted": ("Swap {id} proposed.", "换班申请 {id} 已提交。"),
    "swap_no_shifts": ("You have no published shifts to swap.", "没有可换出的已发布班次。"),
    "swap_accept": ("Accept", "同意"),
    "swap_decline": ("Decline", "拒绝"),
    "swap_incoming": ("Swaps proposed to me", "别人向我提出的换班"),
    "withdraw": ("Withdraw", "撤回"),
    # my requests
    "my_leave": ("Leave", "请假"),
    "my_swaps": ("Swaps", "换班"),
    "status_pending": ("pending", "待审批"),
    "status_approved": ("approved", "已批准"),
    "status_rejected": ("rejected", "已驳回"),
    "status_withdrawn": ("withdrawn", "已撤回"),
    "status_cancelled": ("cancelled", "已取消"),
    "status_proposed": ("proposed", "已提出"),
    "status_accepted": ("accepted", "对方已同意"),
    "status_declined": ("declined", "对方已拒绝"),
    "status_present": ("present", "出勤"),
    "status_late": ("late", "迟到"),
    "status_absent": ("absent", "缺勤"),
    "status_on_leave": ("on leave", "请假"),
    "status_not_arrived": ("not arrived", "未到岗"),
    "status_draft": ("draft", "草稿"),
    "status_published": ("published", "已发布"),
    "status_superseded": ("superseded", "已替代"),
    "close_day": ("Close the day (mark absences)", "日终结算(标记缺勤)"),
    # grades
    "current_grade": ("Current grade", "当前等级"),
    "exam_results": ("Exam results", "考试成绩"),
    "typing_cpm": ("Typing (chars/min)", "打字速度(字/分)"),
    "business_score": ("Business exam", "业务考试"),
    "inspections": ("Quality inspections", "质检记录"),
    "grade_history": ("Grade history", "等级变更记录"),
    "evaluations": ("Monthly evaluations", "月度考评"),
    "exam_trend_title": ("Exam results by month", "月度考试成绩"),
    "grade_distribution_title": ("Grades by team", "各班组等级分布"),
    "exam_trends_title": ("Mean exam score and pass rate by team", "各班组平均成绩与通过率"),
    "inspection_bands_title": ("Inspections by band", "质检等级分布"),
    "pass_rate": ("Pass rate", "通过率"),
    # notices
    "new_notices": ("New notices since your last shift", "上个班次以来的新通知"),
    "new_handover": ("Handover items since your last shift", "上个班次以来的交接事项"),
    "last_shift": ("Your last shift began {at}.", "你的上一个班次开始于 {at}。"),
    "no_last_shift": (
        "No earlier shift found: showing everything unread.",
        "未找到之前的班次:显示全部未读。",
    ),
    "mark_read": ("Mark as read", "标记已读"),
    # roster builder
    "solve": ("Build roster", "生成排班"),
    "time_limit": ("Solver time limit (s)", "求解时限(秒)"),
    "solving": (
        "Solving… objective {objective}, bound {bound}",
        "求解中… 目标值 {objective},下界 {bound}",
    ),
    "solve_done": (
        "Draft version {version} ready: {status}, objective {objective}, gap {gap}",
        "草稿第 {version} 版已生成:{status},目标值 {objective},差距 {gap}",
    ),
    "solve_failed": ("The solver failed", "求解失败"),
    "roster_version": ("Roster version", "排班版本"),
    "roster_none": ("No roster for this month yet: build one.", "本月还没有排班,请先生成。"),
    "coverage_title": ("Requirement vs scheduled staff", "需求人数与排班人数"),
    "required": ("Required", "需求"),
    "scheduled": ("Scheduled", "排班"),
    "shortfall": ("Short", "缺口"),
    "forecast_calls": ("Forecast calls", "预测话务量"),
    "explanation": ("Why each penalty", "罚分说明"),
    "rule": ("Rule", "规则"),
    "cost": ("Cost", "罚分"),
    "hard": ("Hard", "硬约束"),
    "message": ("Detail", "说明"),
    "edit_cell": ("Edit a cell", "修改单元格"),
    "edit_apply": ("Apply and check", "修改并检查"),
    "edit_ok": (
        "Changed. Rule check: {n} finding(s) for this person.",
        "已修改。规则检查:该人员 {n} 条提示。",
    ),
    "publish": ("Publish", "发布"),
    "published": ("Version {version} published.", "第 {version} 版已发布。"),
    "draft_only": ("Only a draft can be edited or published.", "只有草稿可以修改或发布。"),
    "objective": ("Objective", "目标值"),
    "bound": ("Bound", "下界"),
    "gap": ("Gap", "差距"),
    "hard_violations": ("Hard violations", "硬约束违反"),
    "short_total": ("Agent-intervals short", "缺员人次(按时段)"),
    "scheduled_hours": ("Scheduled agent-hours", "排班人时"),
    "leave_mark_legend": (
        "* = shift emptied by approved leave (awaiting repair, L8)",
        "* = 因已批准请假而空出的班次(待补班,L8)",
    ),
    # approvals
    "leave_queue": ("Leave waiting for me", "待我审批的请假"),
    "swap_queue": ("Swaps waiting for me", "待我审批的换班"),
    "rule_results": ("Rule check", "规则检查"),
    "coverage_effect": ("Effect on coverage", "对人员覆盖的影响"),
    "decided": ("Decision recorded.", "审批已记录。"),
    "queue_empty": ("Nothing waiting.", "没有待审批事项。"),
    "before": ("Before", "之前"),
    "after": ("After", "之后"),
    # handover
    "handover_write": ("Write the handover log", "填写交接班日志"),
    "handover_acknowledge": ("Acknowledge", "确认接班"),
    "equipment_status": ("Equipment status", "设备状态"),
    "unresolved_problems": ("Difficult or unresolved problems", "疑难及未解决问题"),
    "personnel_handover": ("Personnel handover", "人员交接"),
    "business_changes": ("Business changes", "业务变更"),
    "superior_instructions": ("Instructions from superiors", "上级指示"),
    "customer_feedback": ("Customer suggestions and complaints", "客户建议与投诉"),
    "process_equipment_changes": ("Process and equipment changes", "流程与设备变更"),
    "workload_calls": ("Calls handled", "话务量"),
    "acknowledged": ("Acknowledged", "已确认"),
    "unacknowledged": ("Waiting for acknowledgement", "待确认"),
    "author": ("Written by", "填写人"),
    # attendance
    "roll_call_title": ("Roll call for {day}", "{day} 点名"),
    "record_roll_call": ("Record roll call", "记录点名"),
    "arrived": ("Arrived at", "到岗时间"),
    "present": ("present", "出勤"),
    "late": ("late", "迟到"),
    "absent": ("absent", "缺勤"),
    "attendance_stats": ("Attendance", "考勤"),
    "attendance_rate": ("Attendance rate", "出勤率"),
    "discipline_events": ("Discipline events", "违纪记录"),
    # exams entry
    "record_exam": ("Record an exam result", "录入考试成绩"),
    "record_inspection": ("Record a quality inspection", "录入质检结果"),
    "call_reference": ("Call reference", "录音编号"),
    "service_language": ("Service language", "服务用语"),
    "service_attitude": ("Service attitude", "服务态度"),
    "tone_intonation": ("Tone and intonation", "语音语调"),
    "need_understanding": ("Understanding the need", "需求理解"),
    "response_ability": ("Response ability", "应变能力"),
    "total": ("Total", "总分"),
    "band": ("Band", "等级"),
    # exports
    "export_excel": ("Roster grid (Excel)", "排班表(Excel)"),
    "export_csv": ("Assignments (CSV)", "排班明细(CSV)"),
    "export_ical": ("Calendar (iCal)", "日历(iCal)"),
    "export_my_ical": ("Add my shifts to my calendar (.ics)", "导出我的班次到日历(.ics)"),
    "export_my_ical_help": (
        "This month's published shifts, each starting with the roll call before the shift "
        "(R10); open the file in Outlook, Google Calendar or your phone's calendar.",
        "本月已发布的班次,每个班次从班前点名开始(R10);可在 Outlook、谷歌日历或手机日历中打开。",
    ),
    "export_unavailable": ("Exports are not available yet.", "导出功能暂不可用。"),
    # call-history import
    "import_intro": (
        "The whole file is checked first: if any row is wrong, nothing is stored and every "
        "problem is listed with its row. Importing the same file again changes nothing; a "
        "corrected export replaces the values of intervals already stored.",
        "先检查整个文件:只要有一行有误,就不写入任何数据,并逐行列出所有问题。"
        "重复导入同一文件不会改变数据;更正后的导出文件会覆盖已存时段的数值。",
    ),
    "import_file": ("Interval export (CSV or Excel)", "话务时段导出文件(CSV 或 Excel)"),
    "import_format": ("Format", "格式"),
    "import_format_auto": ("detect from the header", "按表头自动识别"),
    "import_format_generic": ("ACD interval export", "ACD 时段导出"),
    "import_format_us_bank_2003": ("US bank 2003 (5 min)", "美国银行 2003(5 分钟)"),
    "import_format_israel_6min": ("Anonymous Bank 1999 (6 min)", "匿名银行 1999(6 分钟)"),
    "import_format_israel_calls": (
        "Anonymous Bank 1999 (call by call)",
        "匿名银行 1999(逐通记录)",
    ),
    "import_new_queue": ("…or a new queue name", "…或新建队列名称"),
    "import_no_queue": (
        "Your team has no queue to import into yet.",
        "你的班组还没有可导入的队列。",
    ),
    "import_button": ("Check and import", "检查并导入"),
    "import_failed": (
        "{file}: {n} problem(s) — nothing was imported.",
        "{file}:发现 {n} 个问题,未导入任何数据。",
    ),
    "import_row": ("Row", "行"),
    "import_field": ("Field", "字段"),
    "import_done": (
        "{file} → queue {queue}: {rows} intervals of {minutes} min, {first} – {last}.",
        "{file} → 队列 {queue}:{rows} 个 {minutes} 分钟时段,{first} 至 {last}。",
    ),
    "import_inserted": ("New", "新增"),
    "import_updated": ("Updated", "更新"),
    "import_unchanged": ("Unchanged", "未变"),
    # staffing
    "staffing_title": (
        "Forecast, requirement and scheduled staff",
        "预测话务量、需求人数与排班人数",
    ),
    "heatmap_title": ("{what} by weekday and time of day", "按星期与时段的{what}"),
    "service_title": ("Predicted service from scheduled staff", "按排班人数预测的服务指标"),
    "service_level": ("Service level", "服务水平"),
    "answer_rate": ("Answer rate", "接通率"),
    "occupancy": ("Occupancy", "占用率"),
    "understaffed": ("Understaffed intervals", "人手不足的时段"),
    "none_understaffed": ("No interval is understaffed.", "没有人手不足的时段。"),
    "interval": ("Interval", "时段"),
    "agents": ("Agents", "人数"),
    "calls": ("Calls", "话务量"),
    "s3_title": (
        "S3 headcount plan beside the Erlang requirement",
        "S3 月度人员测算与 Erlang 需求对照",
    ),
    "s3_headcount": ("S3 headcount", "S3 测算人数"),
    "erlang_fte": ("Erlang FTE", "Erlang 折算人数"),
    "peak_required": ("Peak requirement", "峰值需求"),
    "rostered_headcount": ("Headcount", "在岗人数"),
    "monthly_calls": ("Monthly calls", "月话务量"),
    "aht": ("AHT (s)", "平均处理时长(秒)"),
    "heatmap_value": ("Heatmap of", "热力图指标"),
    "target": ("Target", "目标"),
    # statistics
    "leave_stats": ("Leave", "请假"),
    "swap_stats": ("Swaps", "换班"),
    "requests_count": ("Requests", "申请数"),
    "days_count": ("Days", "天数"),
    "swaps_count": ("Swaps", "换班次数"),
    # audit
    "action": ("Action", "操作"),
    "action_filter": ("Action starts with", "操作前缀"),
    "actor": ("By", "操作人"),
    "at": ("At", "时间"),
}


def t(key: str, /, lang: str | None = None, **values: Any) -> str:
    """The text of `key` in `lang` (default: the session's language), formatted with values."""
    if lang is None:
        lang = current_language()
    en, zh = STRINGS[key]
    text = zh if lang == "zh" else en
    return text.format(**values) if values else text


def current_language() -> str:
    import streamlit as st

    lang = st.session_state.get("lang", DEFAULT_LANGUAGE)
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def label(prefix: str, value: object) -> str:
    """Translate an enum-like value (role, grade, status, leave type) when a key exists."""
    key = f"{prefix}_{value}"
    return t(key) if key in STRINGS else str(value)


def bound() -> Any:
    """`t` fixed to the current language: use it inside widget format functions, which the
    test harness may call outside a script run (where the session language is unknown)."""
    lang = current_language()

    def _t(key: str, /, **values: Any) -> str:
        return t(key, lang=lang, **values)

    return _t


def weekday_day(d: Any, lang: str) -> str:
    return f"{d:%Y-%m-%d} {t(f'weekday_{d.weekday()}', lang=lang)}"
