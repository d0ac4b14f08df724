"""Exam results (G2) and quality inspections (G3) entry, for team leads (exams of their
team) and quality inspectors (inspections of everyone); the service refuses the rest."""

from __future__ import annotations

import streamlit as st

from dashboards.i18n import t
from dashboards.ui import actor_id, guarded, month_picker, run_service, user
from rules.grades import SCORE_FIELDS
from wfm.services import grades as grades_service
from wfm.views import people

st.title(t("page_exams_entry"))
role = user().role
action = "inspection.record" if role == "quality_inspector" else "exam.record"
agents = guarded(people.agents_in_scope, actor_id(), action)
if agents is None or agents.empty:
    st.info(t("no_data"))
    st.stop()
names = {int(i): str(n) for i, n in zip(agents["id"], agents["name"], strict=True)}

if role != "quality_inspector":
    st.subheader(t("record_exam"))
    with st.form("exam_form"):
        c1, c2 = st.columns(2)
        pid = c1.selectbox(
            t("person"), list(names), format_func=names.__getitem__, key="exam_person"
        )
        with c2:
            month = month_picker("exam_month", default_offset=-1)
        c3, c4 = st.columns(2)
        cpm = c3.number_input(t("typing_cpm"), min_value=0.0, value=50.0, key="exam_cpm")
        score = c4.number_input(
            t("business_score"), min_value=0.0, max_value=100.0, value=70.0, key="exam_score"
        )
        if st.form_submit_button(t("submit"), type="primary") and (
            run_service(
                grades_service.record_exam,
                person_id=int(pid),
                month=month,
                typing_cpm=cpm,
                business_score=score,
            )
            is not None
        ):
            st.success(t("saved"))

if role != "team_lead":
    st.subheader(t("record_inspection"))
    with st.form("inspection_form"):
        pid = st.selectbox(
            t("person"), list(names), format_func=names.__getitem__, key="inspection_person"
        )
        ref = st.text_input(t("call_reference"), key="inspection_ref")
        cols = st.columns(len(SCORE_FIELDS))
        scores = {
            f: cols[i].number_input(
                t(f), min_value=0.0, max_value=20.0, value=16.0, key=f"inspection_{f}"
            )
            for i, f in enumerate(SCORE_FIELDS)
        }
        comment = st.text_input(t("comment"), key="inspection_comment")
        if st.form_submit_button(t("submit"), type="primary"):
            result = run_service(
                grades_service.record_inspection,
                person_id=int(pid),
                call_reference=ref,
                scores=scores,
                comment=comment,
            )
            if result is not None:
                st.success(
                    f"{t('saved')} {t('total')}: {result.inspection.total:.0f} · "
                    f"{t('band')}: {result.inspection.band}"
                )
                for w in result.warnings:
                    st.warning(w)
