"""page_staffing (being built)."""

from __future__ import annotations

import streamlit as st

from dashboards.i18n import t

st.title(t("page_staffing"))
st.info(t("no_data"))
