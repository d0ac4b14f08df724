"""Request leave: the notice it gives, the shifts it empties, the approval path and every rule
that will refuse it are shown before submitting (wfm.views.leave_preview, same rules as the
leave service)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import streamlit as st

from dashboards.i18n import bound, label, t
from dashboards.ui import actor_id, guarded, run_service, today
from wfm.services import leave as leave_service
from wfm.views import leave_preview

st.title(t("page_request_leave"))
tt = bound()
types = ["personal", "annual", "special", "sick", "business_trip", "study"]
c1, c2, c3 = st.columns(3)
leave_type = c1.selectbox(
    t("leave_type"), types, key="leave_type", format_func=lambda v: tt(f"leave_{v}")
)
first = c2.date_input(t("start_date"), value=today() + timedelta(days=7), key="leave_first")
last = c3.date_input(t("end_date"), value=first, key="leave_last")
c4, c5 = st.columns(2)
start_time = c4.time_input(t("start_time"), value=time(0, 0), key="leave_start_time")
end_time = c5.time_input(t("end_time"), value=time(0, 0), key="leave_end_time")
reason = st.text_area(t("reason"), key="leave_reason")

start_at = datetime.combine(first, start_time)
# 00:00 as the end means "to the end of the last day".
end_at = datetime.combine(last + timedelta(days=1) if end_time == time(0, 0) else last, end_time)

st.subheader(t("leave_check"))
preview = guarded(leave_preview.preview_leave, actor_id(), leave_type, start_at, end_at)
if preview is not None:
    if preview.notice_hours is not None:
        st.write(t("leave_notice", hours=preview.notice_hours))
    if preview.shifts:
        st.write(
            f"{t('affected_shifts')}: "
            + ", ".join(f"{d:%m-%d} {code} {start:%H:%M}" for d, code, start in preview.shifts)
        )
    st.write(f"{t('leave_path')}: " + " → ".join(label("role", r) for r in preview.chain))
    for message in preview.refusals:
        st.error(message)
    if preview.exceptions:
        st.warning(t("leave_needs_management", rules=", ".join(preview.exceptions)))
    if not preview.refusals and not preview.exceptions:
        st.success(t("leave_ok"))

if st.button(t("submit"), type="primary", key="leave_submit"):
    view = run_service(
        leave_service.request_leave,
        leave_type=leave_type,
        start_at=start_at,
        end_at=end_at,
        reason=reason,
    )
    if view is not None:
        st.success(t("leave_submitted", id=view.id))
st.caption(t("leave_cancel_later"))
