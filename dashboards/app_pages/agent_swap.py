"""Propose a swap: choose one of my published shifts, see which colleagues may take it (and
the rules that stop the others, W1-W6), choose one and propose."""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from dashboards.i18n import current_language, label, t, weekday_day
from dashboards.ui import actor_id, guarded, month_options, run_service, today
from wfm.services import swaps
from wfm.views import roster as roster_views

st.title(t("page_propose_swap"))
months = month_options(today(), back=0, ahead=1)
frames = [guarded(roster_views.person_schedule, actor_id(), actor_id(), m) for m in months]
mine = pd.concat([f for f in frames if f is not None], ignore_index=True)
mine = mine[(mine["shift_code"] != "") & (mine["day"] > today())]
if mine.empty:
    st.info(t("swap_no_shifts"))
    st.stop()

codes = dict(zip(mine["day"], mine["shift_code"], strict=True))
fmt = partial(weekday_day, lang=current_language())
day = st.selectbox(
    t("swap_my_shift"), list(codes), key="swap_day", format_func=lambda d: f"{fmt(d)} · {codes[d]}"
)
candidates = guarded(swaps.swap_candidates, actor_id(), day)
if candidates is None:
    st.stop()

eligible = [c for c in candidates if c.eligible]
blocked = [c for c in candidates if not c.eligible]
st.subheader(t("swap_eligible"))
if eligible:
    st.dataframe(
        pd.DataFrame(
            [
                {
                    t("person"): c.name,
                    t("grade"): label("grade", c.grade),
                    t("shift"): c.shift or t("off"),
                }
                for c in eligible
            ]
        ),
        hide_index=True,
        key="swap_eligible_table",
    )
else:
    st.info(t("no_data"))
with st.expander(f"{t('swap_not_eligible')} ({len(blocked)})"):
    st.dataframe(
        pd.DataFrame(
            [
                {
                    t("person"): c.name,
                    t("grade"): label("grade", c.grade),
                    t("shift"): c.shift or t("off"),
                    t("rule"): ", ".join(c.rules),
                    t("reason"): "; ".join(c.reasons),
                }
                for c in blocked
            ]
        ),
        hide_index=True,
        key="swap_blocked_table",
    )

if eligible:
    by_id = {c.person_id: c for c in eligible}
    with st.form("swap_form"):
        who = st.selectbox(
            t("swap_with"),
            list(by_id),
            key="swap_with",
            format_func=lambda i: f"{by_id[i].name} · {by_id[i].shift or '-'}",
        )
        reason = st.text_input(t("reason"), key="swap_reason")
        if st.form_submit_button(t("swap_submit"), type="primary"):
            view = run_service(
                swaps.propose_swap, counterpart_id=int(who), proposer_day=day, reason=reason
            )
            if view is not None:
                st.success(t("swap_submitted", id=view.id))
