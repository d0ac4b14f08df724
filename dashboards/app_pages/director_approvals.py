"""Leave waiting for a director (L2: over one day the centre director, up to one day the
department director; exceptions of L1/L5/L6 always end with management)."""

from __future__ import annotations

import streamlit as st

from dashboards.i18n import t
from dashboards.ui import actor_id, guarded
from dashboards.widgets import leave_approval_cards
from wfm.services import leave as leave_service

st.title(t("page_director_approvals"))
items = guarded(leave_service.list_leave, actor_id(), pending_for_me=True)
if items is not None:
    leave_approval_cards(
        items,
        leave_service.leave_coverage_effect,
        leave_service.approve_leave,
        leave_service.reject_leave,
        prefix="director_leave",
    )
