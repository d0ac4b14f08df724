"""page_my_requests (being built)."""

from __future__ import annotations

import streamlit as st

from dashboards.i18n import t

st.title(t("page_my_requests"))
st.info(t("no_data"))
