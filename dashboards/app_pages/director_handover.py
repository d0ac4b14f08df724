"""The handover feed: every team's logs, newest first, unacknowledged ones flagged."""

from __future__ import annotations

from datetime import timedelta

import streamlit as st

from dashboards.i18n import t
from dashboards.ui import actor_id, guarded, no_data, today
from dashboards.widgets import handover_cards
from wfm.views import handover

st.title(t("page_handover_feed"))
since = st.date_input(t("from"), value=today() - timedelta(days=7), key="feed_since")
feed = guarded(handover.handover_feed, actor_id(), since=since)
if feed is not None and not no_data(feed):
    handover_cards(feed)
