"""The roster builder for a team lead: choose the month, build a draft with the solver (live
progress: objective and bound), see requirement vs scheduled staff per interval, the
explanation of every penalty, edit a cell with an immediate rule check, and publish."""

from __future__ import annotations

import streamlit as st

from dashboards.charts import coverage_figure, roster_grid_styled
from dashboards.frames import row_at
from dashboards.i18n import label, t
from dashboards.jobs import SolveJob, start_solve
from dashboards.ui import (
    actor_id,
    changed,
    db,
    guarded,
    month_picker,
    run_service,
    show_error,
    user,
    view,
)
from wfm.services import roster as roster_service
from wfm.views import people, staffing
from wfm.views import roster as roster_views

JOB = "roster_solve_job"

st.title(t("page_roster_builder"))
team_id = user().team_id
if team_id is None:
    st.info(t("no_data"))
    st.stop()

c1, c2, c3 = st.columns([2, 2, 1])
with c1:
    month = month_picker("roster_month", default_offset=1)
limit = c2.number_input(
    t("time_limit"), min_value=2, max_value=600, value=20, step=5, key="roster_time_limit"
)
job: SolveJob | None = st.session_state.get(JOB)
busy = job is not None and not job.done
if c3.button(t("solve"), type="primary", key="roster_solve", disabled=busy):
    st.session_state[JOB] = job = start_solve(db(), actor_id(), team_id, month, float(limit))
    busy = True


def _fmt(x: float | None) -> str:
    return "–" if x is None or x != x else f"{x:,.0f}"


@st.fragment(run_every=0.5)
def solve_progress() -> None:
    current: SolveJob | None = st.session_state.get(JOB)
    if current is None:
        return
    elapsed, event = current.snapshot()
    objective = getattr(event, "objective", None)
    bound = getattr(event, "bound", None)
    st.progress(current.fraction(), text=t("solving", objective=_fmt(objective), bound=_fmt(bound)))
    if current.done:
        st.session_state.pop(JOB, None)
        st.session_state["roster_last_result"] = current.result
        st.session_state["roster_last_error"] = current.error
        changed()
        st.rerun(scope="app")


if busy:
    solve_progress()

err = st.session_state.pop("roster_last_error", None)
if err is not None:
    show_error(err)
done = st.session_state.pop("roster_last_result", None)
if done is not None:
    st.success(
        t(
            "solve_done",
            version=done.version,
            status=done.solver_status,
            objective=_fmt(done.objective),
            gap="–" if done.gap is None else f"{done.gap:.1%}",
        )
    )

versions = guarded(roster_views.team_rosters, actor_id(), team_id)
if versions is None:
    st.stop()
versions = versions[versions["month"] == month]
if versions.empty:
    st.info(t("roster_none"))
    st.stop()
ids = [int(i) for i in versions["id"]]
info = versions.set_index("id")
roster_id = st.selectbox(
    t("roster_version"),
    ids,
    key="roster_version",
    format_func=lambda i: (
        f"v{info.at[i, 'version']!s} · {label('status', info.at[i, 'status'])}"
        f" · {info.at[i, 'solver_status']!s}"
    ),
)
row = row_at(info, roster_id)
is_draft = row["status"] == "draft"
coverage = guarded(staffing.team_coverage, actor_id(), int(roster_id))
m = st.columns(6)
m[0].metric(t("status"), label("status", row["status"]))
m[1].metric(t("objective"), _fmt(row["objective"]))
m[2].metric(t("bound"), _fmt(row["bound"]))
m[3].metric(
    t("gap"), "–" if row["gap"] is None or row["gap"] != row["gap"] else f"{row['gap']:.1%}"
)
if coverage is not None:
    m[4].metric(t("short_total"), int(coverage["shortfall"].sum()))
    hours = coverage["scheduled"].sum() * (
        coverage["interval_start"].diff().dt.seconds.max() / 3600
    )
    m[5].metric(t("scheduled_hours"), f"{hours:.0f}")
    st.plotly_chart(
        coverage_figure(coverage, t("coverage_title"), forecast=False), key="roster_coverage"
    )

grid = guarded(roster_views.roster_grid, actor_id(), int(roster_id))
if grid is not None:
    st.dataframe(roster_grid_styled(grid), key="roster_grid", height=420)
    st.caption(t("leave_mark_legend"))

st.subheader(t("explanation"))
explanation = guarded(roster_views.roster_explanation, actor_id(), int(roster_id))
if explanation is not None:
    if explanation.empty:
        st.info(t("no_data"))
    else:
        st.dataframe(
            explanation.rename(
                columns={
                    "rule": t("rule"),
                    "message": t("message"),
                    "cost": t("cost"),
                    "hard": t("hard"),
                }
            ),
            hide_index=True,
            key="roster_explanation",
        )

if not is_draft:
    st.caption(t("draft_only"))
elif grid is not None:
    st.subheader(t("edit_cell"))
    names = {int(i): str(n) for i, n in zip(grid.index, grid["name"], strict=True)}
    days = [c for c in grid.columns if c not in ("name", "name_zh")]
    codes = [""] + [s.code for s in view(people.shift_types)]
    with st.form("roster_edit"):
        e1, e2, e3 = st.columns(3)
        pid = e1.selectbox(
            t("person"), list(names), key="edit_person", format_func=names.__getitem__
        )
        day = e2.selectbox(t("day"), days, key="edit_day")
        code = e3.selectbox(
            t("shift"), codes, key="edit_shift", format_func=lambda c: c or t("off")
        )
        if st.form_submit_button(t("edit_apply")):
            found = run_service(
                roster_service.edit_assignment, int(roster_id), int(pid), day, code or None
            )
            if found is not None:
                st.success(t("edit_ok", n=len(found)))
                for v in found:
                    st.warning(v.message)
    if st.button(t("publish"), type="primary", key="roster_publish"):
        summary = run_service(roster_service.publish_roster, int(roster_id))
        if summary is not None:
            st.success(t("published", version=summary.version))
            st.rerun()
