"""An agent's published schedule: the month as a calendar and one day as a timeline, and the
month's own shifts as an .ics calendar file (wfm.views.roster.person_ical: own shifts only)."""

from __future__ import annotations

from functools import partial

import streamlit as st

from dashboards.charts import month_calendar, timeline_figure
from dashboards.frames import hours_between
from dashboards.i18n import current_language, t, weekday_day
from dashboards.ui import actor_id, guarded, month_picker, today
from wfm.views import roster as roster_views

st.title(t("page_my_schedule"))
month = month_picker("schedule_month")
schedule = guarded(roster_views.person_schedule, actor_id(), actor_id(), month)
if schedule is not None:
    working = schedule[schedule["shift_code"] != ""]
    if working.empty:
        st.info(t("schedule_none_published"))
    c1, c2, c3 = st.columns(3)
    c1.metric(t("shifts_this_month"), len(working))
    c2.metric(t("nights_this_month"), int(working["is_night"].sum()))
    hours = sum(hours_between(r.start, r.end) for r in working.itertuples())
    c3.metric(t("hours_this_month"), f"{hours:.0f}")
    if not working.empty:
        ical = guarded(roster_views.person_ical, actor_id(), actor_id(), month)
        if ical is not None:
            st.download_button(
                t("export_my_ical"),
                ical[1],
                file_name=ical[0],
                mime="text/calendar",
                key="schedule_ical",
                help=t("export_my_ical_help"),
                icon=":material/event:",
            )

    st.subheader(t("schedule_month_grid"))
    text, style = month_calendar(schedule)
    st.dataframe(
        text.style.apply(lambda _: style, axis=None),
        hide_index=True,
        width="stretch",
        key="schedule_grid",
    )

    st.subheader(t("schedule_day_timeline"))
    days = list(schedule["day"])
    default = today() if today() in days else days[0]
    day = st.selectbox(
        t("day"),
        days,
        index=days.index(default),
        key="schedule_day",
        format_func=partial(weekday_day, lang=current_language()),
    )
    segments = roster_views.day_timeline(schedule, day)
    if segments.empty:
        st.caption(t("no_shift_that_day"))
    else:
        st.plotly_chart(
            timeline_figure(segments, day, t("timeline_title", day=f"{day:%m-%d}")),
            key="schedule_timeline",
        )
