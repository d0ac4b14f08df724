"""page_my_grades (being built)."""

from __future__ import annotations

import streamlit as st

from dashboards.i18n import t

st.title(t("page_my_grades"))
st.info(t("no_data"))
