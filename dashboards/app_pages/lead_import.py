"""Upload call history (wfm.services.calls_import, the same service as `wfm import-calls`): the
whole file is validated first; if any row is wrong nothing is stored and every problem is listed
with its row, otherwise the new / updated / unchanged intervals are counted. Team leads import
into their team's queue; directors and admins into any queue, or a new one."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboards.i18n import bound, t
from dashboards.ui import REFUSALS, actor_id, changed, db, guarded, show_error
from wfm.calls.formats import FORMATS
from wfm.calls.parse import CallFileError
from wfm.services import calls_import

st.title(t("page_import_calls"))
st.caption(t("import_intro"))
targets = guarded(calls_import.import_targets, actor_id())
if targets is None:
    st.stop()
tt = bound()
uploaded = st.file_uploader(
    t("import_file"), type=[s.lstrip(".") for s in calls_import.UPLOAD_SUFFIXES], key="import_file"
)
c1, c2 = st.columns(2)
fmt = c1.selectbox(
    t("import_format"),
    ["auto", *FORMATS],
    key="import_format",
    format_func=lambda v: tt(f"import_format_{v}"),
)
names = [name for _id, name in targets.queues]
queue = c2.selectbox(t("queue"), names, key="import_queue") if names else None
new_queue = (
    c2.text_input(t("import_new_queue"), key="import_new_queue") if targets.may_create else ""
)
target = new_queue.strip() or queue
if target is None:
    st.info(t("import_no_queue"))
    st.stop()

if st.button(t("import_button"), type="primary", key="import_submit", disabled=uploaded is None):
    assert uploaded is not None
    try:
        report = calls_import.import_calls_upload(
            db(), actor_id(), uploaded.getvalue(), uploaded.name, queue=target, fmt=fmt
        )
    except CallFileError as err:
        st.error(t("import_failed", n=len(err.problems), file=uploaded.name))
        st.dataframe(
            pd.DataFrame(
                [(p.row, p.field, p.message) for p in err.problems],
                columns=[t("import_row"), t("import_field"), t("message")],
            ),
            hide_index=True,
            key="import_problems",
        )
    except REFUSALS as err:
        show_error(err)
    else:
        changed()
        st.success(
            t(
                "import_done",
                file=report.source,
                queue=report.queue,
                rows=report.rows,
                minutes=report.interval_minutes,
                first=f"{report.first_interval:%Y-%m-%d %H:%M}" if report.first_interval else "",
                last=f"{report.last_interval:%Y-%m-%d %H:%M}" if report.last_interval else "",
            )
        )
        m1, m2, m3 = st.columns(3)
        m1.metric(t("import_inserted"), report.inserted)
        m2.metric(t("import_updated"), report.updated)
        m3.metric(t("import_unchanged"), report.unchanged)
