"""Composite drawing helpers used by more than one page."""

from __future__ import annotations

import pandas as pd
import streamlit as st

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
            ack = (
                f"✅ {t('acknowledged')} {row.acknowledged_at:%m-%d %H:%M}"
                if row.acknowledged_at is not None and not pd.isna(row.acknowledged_at)
                else f"⏳ {t('unacknowledged')}"
            )
            st.markdown(
                f"**{row.day} · {row.team} · {row.shift_code}** — "
                f"{t('author')}: {row.author} · {ack}"
            )
            lines = [f"- **{t(f)}**: {getattr(row, f)}" for f in HANDOVER_FIELDS if getattr(row, f)]
            if row.workload_calls is not None and not pd.isna(row.workload_calls):
                lines.append(f"- **{t('workload_calls')}**: {int(row.workload_calls)}")
            st.markdown("\n".join(lines))
