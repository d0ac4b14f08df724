"""My leave and swap requests with their status; swaps proposed to me (accept / decline);
withdraw what is still open; cancel approved leave that has not started (the published roster
is not changed by that: the team lead re-solves or repairs it)."""

from __future__ import annotations

import streamlit as st

from dashboards.frames import as_int
from dashboards.i18n import label, t
from dashboards.ui import actor_id, guarded, run_service
from dashboards.widgets import leave_cancel_form
from wfm.services import leave as leave_service
from wfm.services import swaps
from wfm.views import requests

st.title(t("page_my_requests"))
cancelled_id = st.session_state.pop("leave_cancel_done", None)
if cancelled_id is not None:
    st.success(t("leave_cancelled", id=cancelled_id))
    st.warning(t("leave_cancel_roster_hint"))

st.subheader(t("my_leave"))
leave = guarded(requests.my_leave, actor_id())
if leave is not None:
    if leave.empty:
        st.info(t("no_data"))
    else:
        shown = leave.assign(
            leave_type=leave["leave_type"].map(lambda v: label("leave", v)),
            status=leave["status"].map(lambda v: label("status", v)),
        )
        st.dataframe(
            shown[
                ["id", "leave_type", "start_at", "end_at", "days", "status", "steps", "reason"]
            ].rename(
                columns={
                    "leave_type": t("leave_type"),
                    "start_at": t("from"),
                    "end_at": t("to"),
                    "days": t("days_count"),
                    "status": t("status"),
                    "steps": t("leave_path"),
                    "reason": t("reason"),
                }
            ),
            hide_index=True,
            key="my_leave_table",
        )
        open_ids = [int(i) for i in leave.loc[leave["status"] == "pending", "id"]]
        if open_ids:
            c1, c2 = st.columns([3, 1])
            rid = c1.selectbox(t("withdraw"), open_ids, key="leave_withdraw_id")
            if c2.button(t("withdraw"), key="leave_withdraw") and (
                run_service(leave_service.withdraw_leave, int(rid)) is not None
            ):
                st.rerun()

cancellable = guarded(leave_service.cancellable_leave, actor_id())
if cancellable:
    st.subheader(t("leave_cancel_title"))
    st.caption(t("leave_cancel_roster_hint"))
    leave_cancel_form(cancellable, leave_service.cancel_leave, "leave_cancel", names=False)

st.subheader(t("my_swaps"))
mine = guarded(requests.my_swaps, actor_id())
if mine is not None:
    if mine.empty:
        st.info(t("no_data"))
    else:
        st.dataframe(
            mine.assign(status=mine["status"].map(lambda v: label("status", v)))[
                [
                    "id",
                    "proposer",
                    "proposer_day",
                    "proposer_shift",
                    "counterpart",
                    "counterpart_day",
                    "counterpart_shift",
                    "status",
                    "approvals",
                ]
            ],
            hide_index=True,
            key="my_swaps_table",
        )
    incoming = mine[(mine["counterpart_id"] == actor_id()) & (mine["status"] == "proposed")]
    if not incoming.empty:
        st.subheader(t("swap_incoming"))
        for row in incoming.itertuples(index=False):
            with st.container(border=True):
                st.write(
                    f"#{row.id} {row.proposer}: {row.proposer_day} {row.proposer_shift} ⇄ "
                    f"{row.counterpart_day} {row.counterpart_shift or t('off')!s}"
                )
                c1, c2 = st.columns(2)
                if c1.button(t("swap_accept"), key=f"swap_accept_{row.id}") and (
                    run_service(swaps.respond_swap, as_int(row.id), accept=True) is not None
                ):
                    st.rerun()
                if c2.button(t("swap_decline"), key=f"swap_decline_{row.id}") and (
                    run_service(swaps.respond_swap, as_int(row.id), accept=False) is not None
                ):
                    st.rerun()
    outgoing = mine[
        (mine["proposer_id"] == actor_id()) & mine["status"].isin(["proposed", "accepted"])
    ]
    for row in outgoing.itertuples(index=False):
        if st.button(f"{t('withdraw')} #{row.id}", key=f"swap_withdraw_{row.id}") and (
            run_service(swaps.withdraw_swap, as_int(row.id)) is not None
        ):
            st.rerun()
