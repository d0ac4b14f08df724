"""The audit trail: who changed what and when (directors and admins)."""

from __future__ import annotations

from datetime import timedelta

import streamlit as st

from dashboards.i18n import t
from dashboards.ui import actor_id, guarded, no_data, today
from wfm.views import audit

st.title(t("page_audit"))
c1, c2, c3 = st.columns(3)
start = c1.date_input(t("from"), value=today() - timedelta(days=7), key="audit_from")
end = c2.date_input(t("to"), value=today(), key="audit_to")
prefix = c3.text_input(t("action_filter"), key="audit_prefix")
trail = guarded(audit.audit_trail, actor_id(), start, end, action_prefix=prefix.strip())
if trail is not None and not no_data(trail):
    st.dataframe(
        trail.rename(
            columns={
                "at": t("at"),
                "actor": t("actor"),
                "action": t("action"),
                "detail": t("message"),
                "before": t("before"),
                "after": t("after"),
            }
        ),
        hide_index=True,
        key="audit_table",
    )
