"""Roll call (H1) and attendance for a team lead: who is rostered today, clock people in,
run the roll call of a shift, close the day (absences, L7/W7), and the month's statistics."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import streamlit as st

from dashboards.i18n import label, t
from dashboards.ui import actor_id, guarded, run_service, today, user
from wfm.services import attendance as attendance_service
from wfm.timeutil import month_start, now
from wfm.views import attendance

st.title(t("page_attendance"))
team_id = user().team_id
if team_id is None:
    st.info(t("no_data"))
    st.stop()
day = st.date_input(t("day"), value=today(), key="attendance_day")
frame = guarded(attendance.roll_call, actor_id(), team_id, day)
if frame is None:
    st.stop()
st.subheader(t("roll_call_title", day=f"{day}"))
if frame.empty:
    st.info(t("no_data"))
    st.stop()
shown = frame.assign(status=frame["status"].map(lambda s: label("status", s) if s else ""))
st.dataframe(
    shown[
        [
            "name",
            "shift_code",
            "shift_start",
            "status",
            "late_minutes",
            "roll_call_at",
            "clock_in",
            "clock_out",
        ]
    ].rename(
        columns={
            "name": t("person"),
            "shift_code": t("shift"),
            "shift_start": t("from"),
            "status": t("status"),
            "late_minutes": t("late"),
            "roll_call_at": t("roll_call"),
            "clock_in": t("arrived"),
            "clock_out": t("to"),
        }
    ),
    hide_index=True,
    key="attendance_table",
)

c1, c2, c3 = st.columns(3)
with c1, st.form("clock_in_form"):
    names = {int(i): str(n) for i, n in zip(frame["person_id"], frame["name"], strict=True)}
    pid = st.selectbox(t("person"), list(names), format_func=names.__getitem__, key="clock_person")
    at_time = st.time_input(t("arrived"), value=now().time().replace(second=0), key="clock_time")
    if st.form_submit_button(t("arrived")) and (
        run_service(
            attendance_service.clock_in, person_id=int(pid), at=datetime.combine(day, at_time)
        )
        is not None
    ):
        st.rerun()
with c2:
    shifts = sorted(set(frame["shift_code"]))
    shift = st.selectbox(t("shift"), shifts, key="roll_call_shift")
    if st.button(t("record_roll_call"), key="roll_call_button", type="primary"):
        rows = run_service(attendance_service.roll_call, team_id=team_id, day=day, shift=shift)
        if rows is not None:
            st.dataframe(
                pd.DataFrame(
                    [
                        {
                            t("person"): r.name,
                            t("status"): label("status", r.status),
                            t("late"): r.late_minutes,
                        }
                        for r in rows
                    ]
                ),
                hide_index=True,
                key="roll_call_result",
            )
with c3:
    if st.button(t("close_day"), key="close_day_button") and (
        run_service(attendance_service.close_day, day, team_id=team_id) is not None
    ):
        st.rerun()

st.subheader(t("attendance_stats"))
stats = guarded(attendance.attendance_stats, actor_id(), month_start(day), day)
if stats is not None and len(stats):
    st.dataframe(stats, hide_index=True, key="attendance_stats")
