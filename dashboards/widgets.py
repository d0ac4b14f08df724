"""Composite drawing helpers used by more than one page."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import pandas as pd
import streamlit as st

from dashboards.frames import optional_datetime, optional_int
from dashboards.i18n import t

HANDOVER_FIELDS = [
    "equipment_status",
    "unresolved_problems",
    "personnel_handover",
    "business_changes",
    "superior_instructions",
    "customer_feedback",
    "process_equipment_changes",
]


def handover_cards(feed: pd.DataFrame, *, limit: int = 30) -> None:
    """One bordered card per handover log: header line, the H2 fields that were filled in."""
    for row in feed.head(limit).itertuples(index=False):
        with st.container(border=True):
            acknowledged_at = optional_datetime(row.acknowledged_at)
            ack = (
                f"✅ {t('acknowledged')} {acknowledged_at:%m-%d %H:%M}"
                if acknowledged_at is not None
                else f"⏳ {t('unacknowledged')}"
            )
            st.markdown(
                f"**{row.day} · {row.team} · {row.shift_code}** — "
                f"{t('author')}: {row.author} · {ack}"
            )
            lines = [f"- **{t(f)}**: {getattr(row, f)}" for f in HANDOVER_FIELDS if getattr(row, f)]
            calls = optional_int(row.workload_calls)
            if calls is not None:
                lines.append(f"- **{t('workload_calls')}**: {calls}")
            st.markdown("\n".join(lines))


def effect_table(effects: list, key: str) -> None:
    """Coverage before/after per interval a change touches; short intervals in red (W2, L8)."""
    if not effects:
        st.caption(t("no_data"))
        return
    frame = pd.DataFrame(
        [
            {
                t("interval"): e.label,
                t("before"): e.before,
                t("after"): e.after,
                t("required"): e.required,
                "R2 " + t("before"): e.leads_before,
                "R2 " + t("after"): e.leads_after,
            }
            for e in effects
        ]
    )
    # keyed by the frame's row labels (a RangeIndex): `row.name` below is a Hashable
    short: dict[Hashable, bool] = {
        i: e.after < e.required or e.leads_after < 1 for i, e in enumerate(effects)
    }

    def colour(row: pd.Series) -> list[str]:
        red = "background-color: #f8d7da; color: #842029"
        return [red if short[row.name] else ""] * len(row)

    st.dataframe(frame.style.apply(colour, axis=1), hide_index=True, key=key)


def leave_approval_cards(
    items: list, coverage_fn: object, approve_fn: object, reject_fn: object, prefix: str
) -> None:
    """Each pending leave request with its rule results, the coverage it costs, and the
    approve / reject buttons (the service decides; refusals show their rule IDs)."""
    from dashboards.i18n import label
    from dashboards.ui import actor_id, guarded, run_service

    if not items:
        st.info(t("queue_empty"))
        return
    for item in items:
        with st.container(border=True):
            days = (item.end_at - item.start_at).total_seconds() / 86400
            st.markdown(
                f"**#{item.id} {item.person_name}** · {label('leave', item.leave_type)} · "
                f"{item.start_at:%Y-%m-%d %H:%M} → {item.end_at:%Y-%m-%d %H:%M} "
                f"({days:.1f} {t('days_count')})"
            )
            if item.reason:
                st.caption(f"{t('reason')}: {item.reason}")
            chain = " → ".join(
                f"{label('role', s.approver_role)}: "
                + (label("status", s.decision) if s.decision else "…")
                for s in item.steps
            )
            st.write(f"{t('leave_path')}: {chain}")
            st.write(f"**{t('rule_results')}**")
            if item.exception_rules:
                st.warning(t("leave_needs_management", rules=", ".join(item.exception_rules)))
            if getattr(item, "certificate_missing", False):
                st.warning("L4")
            if not item.exception_rules:
                st.success(t("leave_ok"))
            if item.emptied_shifts:
                st.write(
                    f"{t('affected_shifts')}: "
                    + ", ".join(f"{d:%m-%d} {code}" for d, code in item.emptied_shifts)
                )
            with st.expander(t("coverage_effect"), expanded=True):
                effects = guarded(coverage_fn, actor_id(), item.id)  # type: ignore[arg-type]
                if effects is not None:
                    effect_table(effects, key=f"{prefix}_effect_{item.id}")
            comment = st.text_input(t("comment"), key=f"{prefix}_comment_{item.id}")
            c1, c2 = st.columns(2)
            if c1.button(t("approve"), key=f"{prefix}_approve_{item.id}", type="primary") and (
                run_service(approve_fn, item.id, comment=comment) is not None  # type: ignore[arg-type]
            ):
                st.success(t("decided"))
                st.rerun()
            if c2.button(t("reject"), key=f"{prefix}_reject_{item.id}") and (
                run_service(reject_fn, item.id, comment=comment) is not None  # type: ignore[arg-type]
            ):
                st.success(t("decided"))
                st.rerun()


def leave_cancel_form(items: list, cancel_fn: Any, prefix: str, *, names: bool) -> None:
    """Pick approved leave, give a reason, cancel it (the service decides). After a cancel
    the page reruns with the leave's id in `st.session_state[prefix + "_done"]`."""
    from dashboards.i18n import bound
    from dashboards.ui import run_service

    tt = bound()  # widget format functions may run outside the script (see `bound`)
    by_id = {v.id: v for v in items}

    def describe(i: int) -> str:
        v = by_id[i]
        who = f"{v.person_name} " if names else ""
        return (
            f"#{i} {who}{tt(f'leave_{v.leave_type}')} "
            f"{v.start_at:%Y-%m-%d %H:%M} – {v.end_at:%Y-%m-%d %H:%M}"
        )

    c1, c2 = st.columns([3, 1])
    cid = c1.selectbox(
        t("leave_cancel_which"), list(by_id), key=f"{prefix}_id", format_func=describe
    )
    reason = c1.text_input(t("reason"), key=f"{prefix}_reason")
    if c2.button(t("leave_cancel_button"), key=prefix) and (
        run_service(cancel_fn, int(cid), reason=reason) is not None
    ):
        st.session_state[f"{prefix}_done"] = int(cid)
        st.rerun()
