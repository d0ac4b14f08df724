"""page_propose_swap (being built)."""

from __future__ import annotations

import streamlit as st

from dashboards.i18n import t

st.title(t("page_propose_swap"))
st.info(t("no_data"))
