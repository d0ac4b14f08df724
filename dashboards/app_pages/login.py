"""Sign in with a username and password (wfm.services.auth.login)."""

from __future__ import annotations

import streamlit as st

from dashboards.i18n import t
from dashboards.ui import USER_KEY, db
from wfm.services.auth import LoginFailed, LoginLocked, login

st.title(t("app_title"))
with st.form("login_form"):
    st.subheader(t("login_title"))
    username = st.text_input(t("username"), key="login_username")
    password = st.text_input(t("password"), type="password", key="login_password")
    submitted = st.form_submit_button(t("login_button"), type="primary")

if submitted:
    try:
        account = login(db(), username, password)
    except LoginLocked as err:
        st.error(t("login_locked", until=f"{err.until:%H:%M}"))
    except LoginFailed:
        st.error(t("login_failed"))
    else:
        st.session_state[USER_KEY] = account
        st.rerun()
