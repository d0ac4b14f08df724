"""page_grades_overview (being built)."""

from __future__ import annotations

import streamlit as st

from dashboards.i18n import t

st.title(t("page_grades_overview"))
st.info(t("no_data"))
