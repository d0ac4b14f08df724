"""H4: notices and handover items that are new since my last shift began."""

from __future__ import annotations

import streamlit as st

from dashboards.i18n import t
from dashboards.ui import actor_id, guarded, run_service
from dashboards.widgets import handover_cards
from wfm.services.handover import mark_notices_read
from wfm.views import handover

st.title(t("page_notices"))
news = guarded(handover.since_last_shift, actor_id())
if news is None:
    st.stop()
if news.last_shift_start is not None:
    st.caption(t("last_shift", at=f"{news.last_shift_start:%Y-%m-%d %H:%M}"))
else:
    st.caption(t("no_last_shift"))

st.subheader(t("new_notices"))
if news.notices.empty:
    st.info(t("no_data"))
for row in news.notices.itertuples(index=False):
    with st.container(border=True):
        st.markdown(f"**{row.title}** · {row.published_at:%Y-%m-%d %H:%M}")
        st.write(row.body)
unread = [int(i) for i, r in zip(news.notices["id"], news.notices["read"], strict=True) if not r]
clicked = bool(unread) and st.button(t("mark_read"), key="notices_mark_read")
if clicked and run_service(mark_notices_read, unread) is not None:
    st.rerun()

st.subheader(t("new_handover"))
if news.handovers.empty:
    st.info(t("no_data"))
else:
    handover_cards(news.handovers)
