"""The dashboards' entry script: language, login and each role's pages (st.navigation).

Run it with `wfm serve` (or `streamlit run dashboards/app.py`); the database comes from
WFM_DATABASE_URL. Pages live in dashboards/app_pages/ and only read widgets, call services or
views, and draw.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from dashboards.i18n import LANGUAGES, t
from dashboards.ui import role_label, user
from wfm.models import Role
from wfm.services.permissions import PERMISSIONS

PAGES = Path(__file__).resolve().parent / "app_pages"

# role -> sections -> (page file, title key, icon); the first page is the role's home.
AGENT_PAGES = [
    ("agent_schedule.py", "page_my_schedule", ":material/calendar_month:"),
    ("agent_leave.py", "page_request_leave", ":material/beach_access:"),
    ("agent_swap.py", "page_propose_swap", ":material/swap_horiz:"),
    ("agent_requests.py", "page_my_requests", ":material/list_alt:"),
    ("agent_grades.py", "page_my_grades", ":material/school:"),
    ("agent_notices.py", "page_notices", ":material/campaign:"),
]
LEAD_PAGES = [
    ("lead_roster.py", "page_roster_builder", ":material/table_chart:"),
    ("lead_approvals.py", "page_approvals", ":material/task_alt:"),
    ("lead_handover.py", "page_handover", ":material/handshake:"),
    ("lead_attendance.py", "page_attendance", ":material/how_to_reg:"),
    ("lead_exams.py", "page_exams_entry", ":material/fact_check:"),
    ("lead_exports.py", "page_exports", ":material/download:"),
]
DIRECTOR_PAGES = [
    ("director_staffing.py", "page_staffing", ":material/monitoring:"),
    ("director_approvals.py", "page_director_approvals", ":material/task_alt:"),
    ("director_statistics.py", "page_statistics", ":material/bar_chart:"),
    ("director_grades.py", "page_grades_overview", ":material/school:"),
    ("director_handover.py", "page_handover_feed", ":material/handshake:"),
    ("director_audit.py", "page_audit", ":material/history:"),
]
# Call-history upload: for every role the permission table lets import (calls.import).
IMPORT_PAGE = ("lead_import.py", "page_import_calls", ":material/upload_file:")
ROLE_SECTIONS: dict[str, list[tuple[str, list[tuple[str, str, str]]]]] = {
    "agent": [("section_agent", AGENT_PAGES)],
    "team_lead": [
        ("section_lead", LEAD_PAGES),
        ("section_agent", AGENT_PAGES[:1] + AGENT_PAGES[5:]),
    ],
    "department_director": [("section_director", DIRECTOR_PAGES)],
    "centre_director": [("section_director", DIRECTOR_PAGES)],
    "quality_inspector": [("section_quality", [LEAD_PAGES[4], DIRECTOR_PAGES[3]])],
    "admin": [("section_admin", [DIRECTOR_PAGES[5], DIRECTOR_PAGES[0], DIRECTOR_PAGES[2]])],
}
for _importer in PERMISSIONS["calls.import"]:
    _first_section, _first_pages = ROLE_SECTIONS[Role(_importer).value][0]
    ROLE_SECTIONS[Role(_importer).value][0] = (_first_section, [*_first_pages, IMPORT_PAGE])


def _language_switch() -> None:
    if "lang" not in st.session_state:
        u = user()
        st.session_state["lang"] = u.language if u is not None and u.language in LANGUAGES else "zh"
    st.sidebar.segmented_control(
        t("language"),
        list(LANGUAGES),
        key="lang",
        format_func=LANGUAGES.__getitem__,
        selection_mode="single",
    )
    if st.session_state.get("lang") is None:  # a click on the selected option clears it
        st.session_state["lang"] = "zh"


def _account_box() -> None:
    u = user()
    if u is None:
        return
    name = u.name_zh if st.session_state.get("lang") == "zh" and u.name_zh else u.name
    st.sidebar.caption(t("signed_in_as", name=name, role=role_label(u.role)))
    if st.sidebar.button(t("logout"), key="logout"):
        for k in list(st.session_state):
            if k != "lang":
                del st.session_state[k]
        st.rerun()


def _pages() -> dict[str, list[st.Page]] | list[st.Page]:
    u = user()
    if u is None:
        return [
            st.Page(
                PAGES / "login.py",
                title=t("page_login"),
                icon=":material/login:",
                url_path="login",
                default=True,
            )
        ]
    sections: dict[str, list[st.Page]] = {}
    first = True
    for section, pages in ROLE_SECTIONS.get(u.role, []):
        entries = []
        for file, title_key, icon in pages:
            entries.append(
                st.Page(
                    PAGES / file,
                    title=t(title_key),
                    icon=icon,
                    url_path=file.removesuffix(".py"),
                    default=first,
                )
            )
            first = False
        sections[t(section)] = entries
    return sections


st.set_page_config(page_title=t("app_title"), page_icon=":material/support_agent:", layout="wide")
_language_switch()
_account_box()
page = st.navigation(_pages())
page.run()
