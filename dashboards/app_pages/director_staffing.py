"""Staffing for directors: forecast, requirement and scheduled staff by interval for a day,
a week or a month; a weekday × time-of-day heatmap; predicted service level, answer rate and
occupancy from the scheduled staff; understaffed intervals; S3 beside the Erlang requirement."""

from __future__ import annotations

from datetime import timedelta

import streamlit as st

from dashboards.charts import coverage_figure, heatmap_figure, service_figure
from dashboards.i18n import bound, t
from dashboards.ui import actor_id, guarded, no_data, today
from rules.policy import load_policy
from wfm.timeutil import month_end, month_start
from wfm.views import staffing

st.title(t("page_staffing"))
tt = bound()
queues = guarded(staffing.queues, actor_id())
if queues is None or no_data(queues):
    st.stop()

c1, c2, c3 = st.columns(3)
queue_names = {int(i): str(n) for i, n in zip(queues["id"], queues["name"], strict=True)}
queue_id = c1.selectbox(
    t("queue"),
    list(queue_names),
    key="staffing_queue",
    format_func=queue_names.__getitem__,
)
period = c2.segmented_control(
    t("period"),
    ["day", "week", "month"],
    default="week",
    key="staffing_period",
    format_func=lambda p: tt(f"period_{p}"),
)
anchor = c3.date_input(t("day"), value=today(), key="staffing_day")
period = period or "week"
if period == "day":
    start, end = anchor, anchor
elif period == "week":
    start = anchor - timedelta(days=anchor.weekday())
    end = start + timedelta(days=6)
else:
    start, end = month_start(anchor), month_end(anchor)

frame = guarded(staffing.staffing_frame, actor_id(), int(queue_id), start, end)
if frame is None:
    st.stop()
st.plotly_chart(
    coverage_figure(frame, f"{t('staffing_title')} · {start} – {end}"), key="staffing_coverage"
)

policy = load_policy().service
st.plotly_chart(
    service_figure(
        frame,
        {
            "service_level": policy.service_level_target,
            "answer_rate": policy.answer_rate_min,
            "occupancy": policy.max_occupancy,
        },
    ),
    key="staffing_service",
)

metrics = {
    "required": t("required"),
    "scheduled": t("scheduled"),
    "shortfall": t("shortfall"),
    "forecast_offered": t("forecast_calls"),
    "service_level": t("service_level"),
}
what = st.selectbox(
    t("heatmap_value"), list(metrics), key="staffing_heatmap_value", format_func=metrics.__getitem__
)
pivot = staffing.weekday_heatmap(frame, what)
st.plotly_chart(
    heatmap_figure(pivot, t("heatmap_title", what=metrics[what]), reverse=what == "service_level"),
    key="staffing_heatmap",
)

st.subheader(t("understaffed"))
short = staffing.understaffed(frame)
if short.empty:
    st.success(t("none_understaffed"))
else:
    st.dataframe(
        short.rename(
            columns={
                "interval_start": t("interval"),
                "required": t("required"),
                "scheduled": t("scheduled"),
                "shortfall": t("shortfall"),
                "service_level": t("service_level"),
                "answer_rate": t("answer_rate"),
            }
        ),
        hide_index=True,
        key="staffing_understaffed",
        column_config={
            t("service_level"): st.column_config.NumberColumn(format="percent"),
            t("answer_rate"): st.column_config.NumberColumn(format="percent"),
        },
    )

st.subheader(t("s3_title"))
plan = guarded(staffing.s3_plan, actor_id(), int(queue_id), month_start(anchor))
if plan is not None:
    m = st.columns(6)
    m[0].metric(t("monthly_calls"), f"{plan.monthly_calls:,.0f}")
    m[1].metric(t("aht"), f"{plan.aht_seconds:.0f}")
    m[2].metric(t("s3_headcount"), f"{plan.s3_headcount:.1f}")
    m[3].metric(t("erlang_fte"), f"{plan.erlang_fte:.1f}")
    m[4].metric(t("peak_required"), plan.peak_required)
    m[5].metric(t("rostered_headcount"), plan.rostered_headcount)
