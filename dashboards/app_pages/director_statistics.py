"""Leave, swap and attendance statistics for a span (directors; leads see their team)."""

from __future__ import annotations

from datetime import timedelta

import plotly.express as px
import streamlit as st

from dashboards.i18n import label, t
from dashboards.ui import actor_id, guarded, no_data, today
from wfm.timeutil import month_start
from wfm.views import attendance, requests

st.title(t("page_statistics"))
c1, c2 = st.columns(2)
start = c1.date_input(t("from"), value=month_start(today()) - timedelta(days=31), key="stats_from")
end = c2.date_input(t("to"), value=today() + timedelta(days=31), key="stats_to")

st.subheader(t("leave_stats"))
leave = guarded(requests.leave_stats, actor_id(), start, end)
if leave is not None and not no_data(leave):
    leave = leave.assign(
        leave_type=leave["leave_type"].map(lambda v: label("leave", v)),
        status=leave["status"].map(lambda v: label("status", v)),
    )
    fig = px.bar(
        leave,
        x="team",
        y="days",
        color="leave_type",
        barmode="stack",
        title=t("leave_stats"),
        labels={"team": t("team"), "days": t("days_count"), "leave_type": t("leave_type")},
    )
    st.plotly_chart(fig, key="stats_leave_chart")
    st.dataframe(
        leave.rename(
            columns={
                "team": t("team"),
                "leave_type": t("leave_type"),
                "status": t("status"),
                "requests": t("requests_count"),
                "days": t("days_count"),
            }
        ),
        hide_index=True,
        key="stats_leave_table",
    )

st.subheader(t("swap_stats"))
swaps = guarded(requests.swap_stats, actor_id(), start, end)
if swaps is not None and not no_data(swaps):
    swaps = swaps.assign(status=swaps["status"].map(lambda v: label("status", v)))
    fig = px.bar(
        swaps,
        x="team",
        y="swaps",
        color="status",
        title=t("swap_stats"),
        labels={"team": t("team"), "swaps": t("swaps_count"), "status": t("status")},
    )
    st.plotly_chart(fig, key="stats_swap_chart")

st.subheader(t("attendance_stats"))
att = guarded(attendance.attendance_stats, actor_id(), start, end)
if att is not None and not no_data(att):
    st.dataframe(
        att.rename(
            columns={
                "team": t("team"),
                "shifts": t("shifts_this_month"),
                "present": t("present"),
                "late": t("late"),
                "absent": t("absent"),
                "on_leave": t("on_leave"),
                "discipline_events": t("discipline_events"),
                "attendance_rate": t("attendance_rate"),
            }
        ),
        hide_index=True,
        key="stats_attendance_table",
        column_config={t("attendance_rate"): st.column_config.NumberColumn(format="percent")},
    )
