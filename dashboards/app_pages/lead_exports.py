"""Exports of a roster version: the Excel grid, CSV of assignments and iCal per person."""

from __future__ import annotations

import streamlit as st

from dashboards.i18n import label, t
from dashboards.ui import actor_id, guarded, month_picker, user
from wfm.services import roster as roster_service
from wfm.views import people
from wfm.views import roster as roster_views

st.title(t("page_exports"))
team_id = user().team_id
if team_id is None:
    st.info(t("no_data"))
    st.stop()
month = month_picker("export_month", default_offset=1)
versions = guarded(roster_views.team_rosters, actor_id(), team_id)
if versions is None:
    st.stop()
versions = versions[versions["month"] == month]
if versions.empty:
    st.info(t("roster_none"))
    st.stop()
info = versions.set_index("id")
roster_id = st.selectbox(
    t("roster_version"),
    [int(i) for i in info.index],
    key="export_version",
    format_func=lambda i: f"v{info.at[i, 'version']!s} · {label('status', info.at[i, 'status'])}",
)
c1, c2, c3 = st.columns(3)
excel = guarded(roster_service.export_roster, actor_id(), int(roster_id), "xlsx")
if excel is not None:
    c1.download_button(
        t("export_excel"),
        excel[1],
        file_name=excel[0],
        key="export_xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
csv = guarded(roster_service.export_roster, actor_id(), int(roster_id), "csv")
if csv is not None:
    c2.download_button(t("export_csv"), csv[1], file_name=csv[0], mime="text/csv", key="export_csv")
members = guarded(people.team_members, actor_id(), team_id)
if members is not None and len(members):
    names = {int(i): str(n) for i, n in zip(members["id"], members["name"], strict=True)}
    pid = c3.selectbox(t("person"), list(names), format_func=names.__getitem__, key="export_person")
    ical = guarded(roster_service.export_agent_ical, actor_id(), int(roster_id), int(pid))
    if ical is not None:
        c3.download_button(
            t("export_ical"), ical[1], file_name=ical[0], mime="text/calendar", key="export_ical"
        )
