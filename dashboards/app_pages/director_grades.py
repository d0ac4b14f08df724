"""Grade distribution by team, monthly exam trends and inspection bands."""

from __future__ import annotations

import plotly.express as px
import streamlit as st

from dashboards.i18n import label, t
from dashboards.ui import actor_id, guarded, no_data
from wfm.views import grades

st.title(t("page_grades_overview"))
dist = guarded(grades.grade_distribution, actor_id())
if dist is not None and not no_data(dist):
    dist = dist.assign(grade=dist["grade"].map(lambda g: label("grade", g)))
    st.plotly_chart(
        px.bar(
            dist,
            x="team",
            y="people",
            color="grade",
            title=t("grade_distribution_title"),
            labels={"team": t("team"), "people": t("agents"), "grade": t("grade")},
        ),
        key="grades_distribution",
    )

trends = guarded(grades.exam_trends, actor_id())
if trends is not None and not no_data(trends):
    c1, c2 = st.columns(2)
    c1.plotly_chart(
        px.line(
            trends,
            x="month",
            y="business_score",
            color="team",
            markers=True,
            title=t("exam_trends_title"),
            labels={"month": t("month"), "business_score": t("business_score"), "team": t("team")},
        ),
        key="grades_exam_score",
    )
    c2.plotly_chart(
        px.line(
            trends,
            x="month",
            y="pass_rate",
            color="team",
            markers=True,
            title=t("pass_rate"),
            labels={"month": t("month"), "pass_rate": t("pass_rate"), "team": t("team")},
        ).update_yaxes(tickformat=".0%"),
        key="grades_pass_rate",
    )

bands = guarded(grades.inspection_bands, actor_id())
if bands is not None and not no_data(bands):
    st.plotly_chart(
        px.bar(
            bands,
            x="team",
            y="inspections",
            color="band",
            title=t("inspection_bands_title"),
            labels={"team": t("team"), "inspections": t("inspections"), "band": t("band")},
        ),
        key="grades_bands",
    )
