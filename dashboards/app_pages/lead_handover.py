"""Handover log (H2): write the log of a shift, acknowledge the incoming one, and read the
team's recent logs."""

from __future__ import annotations

from datetime import timedelta

import streamlit as st

from dashboards.frames import as_int
from dashboards.i18n import t
from dashboards.ui import actor_id, guarded, run_service, today, user, view
from dashboards.widgets import handover_cards
from rules.handover import H2_FIELDS
from wfm.services import handover as handover_service
from wfm.views import handover, people

st.title(t("page_handover"))
team_id = user().team_id
if team_id is None:
    st.info(t("no_data"))
    st.stop()

with st.expander(t("handover_write"), expanded=False), st.form("handover_form"):
    c1, c2, c3 = st.columns(3)
    day = c1.date_input(t("day"), value=today(), key="handover_day")
    codes = [s.code for s in view(people.shift_types)]
    shift = c2.selectbox(t("shift"), codes, key="handover_shift")
    calls = c3.number_input(
        t("workload_calls"), min_value=0, value=0, step=10, key="handover_calls"
    )
    fields = {f: st.text_area(t(f), key=f"handover_{f}", height=68) for f in H2_FIELDS}
    if st.form_submit_button(t("submit"), type="primary"):
        done = run_service(
            handover_service.write_handover,
            team_id=team_id,
            day=day,
            shift=shift,
            fields=fields,
            workload_calls=int(calls) or None,
        )
        if done is not None:
            st.success(t("saved"))

feed = guarded(
    handover.handover_feed, actor_id(), team_id=team_id, since=today() - timedelta(days=14)
)
if feed is None:
    st.stop()
waiting = feed[feed["acknowledged_at"].isna()]
for row in waiting.itertuples(index=False):
    if st.button(
        f"{t('handover_acknowledge')} #{row.id} · {row.day} {row.shift_code}",
        key=f"handover_ack_{row.id}",
    ) and (run_service(handover_service.acknowledge_handover, as_int(row.id)) is not None):
        st.rerun()
if feed.empty:
    st.info(t("no_data"))
else:
    handover_cards(feed)
