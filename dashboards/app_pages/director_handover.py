"""page_handover_feed (being built)."""

from __future__ import annotations

import streamlit as st

from dashboards.i18n import t

st.title(t("page_handover_feed"))
st.info(t("no_data"))
