"""My exam results, quality inspections and grade history (G2-G4)."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from dashboards.i18n import label, t
from dashboards.ui import actor_id, guarded
from wfm.views import grades

st.title(t("page_my_grades"))
record = guarded(grades.person_record, actor_id(), actor_id())
if record is None:
    st.stop()
st.metric(t("current_grade"), label("grade", record.grade) if record.grade else "–")

st.subheader(t("exam_results"))
if record.exams.empty:
    st.info(t("no_data"))
else:
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=record.exams["month"],
            y=record.exams["typing_cpm"],
            name=t("typing_cpm"),
            mode="lines+markers",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=record.exams["month"],
            y=record.exams["business_score"],
            name=t("business_score"),
            mode="lines+markers",
            yaxis="y2",
        )
    )
    fig.update_layout(
        title=t("exam_trend_title"),
        height=320,
        yaxis={"title": t("typing_cpm")},
        yaxis2={
            "title": t("business_score"),
            "overlaying": "y",
            "side": "right",
            "range": [0, 100],
        },
        legend={"orientation": "h", "y": -0.2},
    )
    st.plotly_chart(fig, key="my_exam_chart")
    st.dataframe(
        record.exams.rename(
            columns={
                "month": t("month"),
                "typing_cpm": t("typing_cpm"),
                "business_score": t("business_score"),
            }
        ),
        hide_index=True,
        key="my_exams",
    )

st.subheader(t("inspections"))
if record.inspections.empty:
    st.info(t("no_data"))
else:
    cols = list(record.inspections.columns)  # the view's order
    names = {c: t(c) for c in cols if c not in ("inspected_at",)} | {"inspected_at": t("at")}
    names["comment"] = t("comment")
    st.dataframe(
        record.inspections[cols].rename(columns=names), hide_index=True, key="my_inspections"
    )

st.subheader(t("grade_history"))
if record.grade_history.empty:
    st.info(t("no_data"))
else:
    hist = record.grade_history.assign(
        grade=record.grade_history["grade"].map(lambda g: label("grade", g))
    )
    st.dataframe(
        hist.rename(columns={"valid_from": t("from"), "grade": t("grade"), "reason": t("reason")}),
        hide_index=True,
        key="my_grade_history",
    )
if not record.evaluations.empty:
    st.subheader(t("evaluations"))
    st.dataframe(record.evaluations, hide_index=True, key="my_evaluations")
