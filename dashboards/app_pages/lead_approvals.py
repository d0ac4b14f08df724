"""The team lead's approvals queue: leave (first step of L2) and accepted swaps (W2), each
with its rule results and its effect on coverage."""

from __future__ import annotations

import streamlit as st

from dashboards.i18n import t
from dashboards.ui import actor_id, guarded, run_service
from dashboards.widgets import effect_table, leave_approval_cards, leave_cancel_form
from wfm.services import leave as leave_service
from wfm.services import swaps

st.title(t("page_approvals"))
st.subheader(t("leave_queue"))
items = guarded(leave_service.list_leave, actor_id(), pending_for_me=True)
if items is not None:
    leave_approval_cards(
        items,
        leave_service.leave_coverage_effect,
        leave_service.approve_leave,
        leave_service.reject_leave,
        prefix="lead_leave",
    )

team_leave = guarded(leave_service.cancellable_leave, actor_id(), others=True)
if team_leave:
    with st.expander(t("leave_cancel_team_title")):
        st.caption(t("leave_cancel_roster_hint"))
        leave_cancel_form(team_leave, leave_service.cancel_leave, "lead_leave_cancel", names=True)
done = st.session_state.pop("lead_leave_cancel_done", None)
if done is not None:
    st.success(t("leave_cancelled", id=done))

st.subheader(t("swap_queue"))
pending = guarded(swaps.list_swaps, actor_id(), status="accepted")
mine = [s for s in (pending or []) if any(a.decision is None for a in s.approvals)]
if not mine:
    st.info(t("queue_empty"))
for sw in mine:
    with st.container(border=True):
        st.markdown(
            f"**#{sw.id}** {sw.proposer_name} {sw.proposer_day:%m-%d} {sw.proposer_shift} ⇄ "
            f"{sw.counterpart_name} {sw.counterpart_day:%m-%d} {sw.counterpart_shift or t('off')}"
        )
        if sw.reason:
            st.caption(f"{t('reason')}: {sw.reason}")
        found = guarded(swaps.swap_rule_check, actor_id(), sw.id)
        if found is not None and not found:
            st.success(f"{t('rule_results')}: W1, W3–W6 ✓ ({t('status')}: {sw.status})")
        for v in found or []:
            st.error(v.message)
        with st.expander(t("coverage_effect"), expanded=True):
            effects = guarded(swaps.swap_coverage_effect, actor_id(), sw.id)
            if effects is not None:
                effect_table(effects, key=f"swap_effect_{sw.id}")
        comment = st.text_input(t("comment"), key=f"swap_comment_{sw.id}")
        c1, c2 = st.columns(2)
        if c1.button(t("approve"), key=f"swap_approve_{sw.id}", type="primary") and (
            run_service(swaps.approve_swap, sw.id, comment=comment) is not None
        ):
            st.rerun()
        if c2.button(t("reject"), key=f"swap_reject_{sw.id}") and (
            run_service(swaps.reject_swap, sw.id, comment=comment) is not None
        ):
            st.rerun()
