"""page_attendance (being built)."""

from __future__ import annotations

import streamlit as st

from dashboards.i18n import t

st.title(t("page_attendance"))
st.info(t("no_data"))
