"""page_roster_builder (being built)."""

from __future__ import annotations

import streamlit as st

from dashboards.i18n import t

st.title(t("page_roster_builder"))
st.info(t("no_data"))
