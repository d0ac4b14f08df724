"""Plotly figures and table styling shared by pages. Titles and labels come in translated."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import plotly.graph_objects as go

from dashboards.i18n import t

SHORT = "#d62728"  # shortfalls are red everywhere
REQUIRED = "#1f77b4"
SCHEDULED = "#2ca02c"
FORECAST = "#9467bd"


def coverage_figure(frame: pd.DataFrame, title: str, *, forecast: bool = True) -> go.Figure:
    """Requirement and scheduled staff per interval (steps), shortfalls as red bars, and the
    forecast calls on a second axis."""
    fig = go.Figure()
    x = frame["interval_start"]
    fig.add_trace(
        go.Bar(x=x, y=frame["shortfall"], name=t("shortfall"), marker_color=SHORT, opacity=0.8)
    )
    fig.add_trace(
        go.Scatter(
            x=x,
            y=frame["required"],
            name=t("required"),
            mode="lines",
            line={"shape": "hv", "color": REQUIRED, "width": 2},
        )
    )
    fig.add_trace(
        go.Scatter(
            x=x,
            y=frame["scheduled"],
            name=t("scheduled"),
            mode="lines",
            line={"shape": "hv", "color": SCHEDULED, "width": 2},
        )
    )
    if forecast and "forecast_offered" in frame:
        fig.add_trace(
            go.Scatter(
                x=x,
                y=frame["forecast_offered"],
                name=t("forecast_calls"),
                mode="lines",
                yaxis="y2",
                line={"color": FORECAST, "width": 1, "dash": "dot"},
            )
        )
    fig.update_layout(
        title=title,
        height=380,
        margin={"l": 40, "r": 40, "t": 50, "b": 30},
        yaxis={"title": t("agents")},
        yaxis2={"title": t("calls"), "overlaying": "y", "side": "right", "showgrid": False},
        legend={"orientation": "h", "y": -0.15},
        barmode="overlay",
    )
    return fig


def service_figure(frame: pd.DataFrame, targets: dict[str, float]) -> go.Figure:
    fig = go.Figure()
    x = frame["interval_start"]
    for col, colour in (
        ("service_level", "#1f77b4"),
        ("answer_rate", "#2ca02c"),
        ("occupancy", "#ff7f0e"),
    ):
        fig.add_trace(
            go.Scatter(
                x=x, y=frame[col], name=t(col), mode="lines", line={"color": colour, "width": 1.5}
            )
        )
        if col in targets:
            fig.add_hline(y=targets[col], line={"color": colour, "dash": "dash", "width": 1})
    fig.update_layout(
        title=t("service_title"),
        height=320,
        yaxis={"tickformat": ".0%", "range": [0, 1.02]},
        margin={"l": 40, "r": 20, "t": 50, "b": 30},
        legend={"orientation": "h", "y": -0.2},
    )
    return fig


def heatmap_figure(pivot: pd.DataFrame, title: str, *, reverse: bool = False) -> go.Figure:
    days = [t(f"weekday_{int(d)}") for d in pivot.index]
    fig = go.Figure(
        go.Heatmap(
            z=pivot.to_numpy(),
            x=list(pivot.columns),
            y=days,
            colorscale="RdYlGn" if reverse else "Blues",
        )
    )
    fig.update_layout(
        title=title,
        height=300,
        margin={"l": 40, "r": 20, "t": 50, "b": 30},
        yaxis={"autorange": "reversed"},
    )
    return fig


def timeline_figure(segments: pd.DataFrame, day: date, title: str) -> go.Figure:
    """One day's shift and roll call as horizontal bars over 00:00-24:00."""
    fig = go.Figure()
    for _, seg in segments.iterrows():
        name = (
            t("roll_call") if seg["segment"] == "roll_call" else f"{t('shift')} {seg['shift_code']}"
        )
        fig.add_trace(
            go.Bar(
                x=[(seg["end"] - seg["start"]).total_seconds() * 1000],
                base=[seg["start"]],
                y=[t("shift")],
                orientation="h",
                name=name,
                marker_color="#fdae6b" if seg["segment"] == "roll_call" else "#3182bd",
                hovertemplate=f"{name}: {seg['start']:%H:%M}–{seg['end']:%H:%M}<extra></extra>",
            )
        )
    start = pd.Timestamp(day)
    fig.update_layout(
        title=title,
        height=180,
        barmode="stack",
        showlegend=True,
        xaxis={"type": "date", "range": [start, start + timedelta(days=1)], "tickformat": "%H:%M"},
        margin={"l": 40, "r": 20, "t": 50, "b": 30},
    )
    return fig


def month_calendar(schedule: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A calendar table (weeks × weekdays) of a person_schedule frame, and a same-shaped
    frame of cell styles (holiday, leave, night, shift colour)."""
    cols = [t(f"weekday_{i}") for i in range(7)]
    first = schedule["day"].iloc[0]
    offset = first.weekday()
    weeks = (offset + len(schedule) + 6) // 7
    text = pd.DataFrame("", index=range(weeks), columns=cols)
    style = pd.DataFrame("", index=range(weeks), columns=cols)
    for i, row in enumerate(schedule.itertuples(index=False)):
        w, d = divmod(offset + i, 7)
        parts = [f"{row.day:%d}"]
        if row.shift_code:
            parts.append(f"{row.shift_code!s} {row.start:%H:%M}-{row.end:%H:%M}")
        else:
            parts.append(t("off"))
        if row.on_leave:
            parts.append(f"[{t('on_leave')}]")
        if row.holiday:
            parts.append(f"★ {row.holiday!s}")
        text.iat[w, d] = " · ".join(parts)
        css = []
        if row.shift_code and row.colour:
            css.append(f"background-color: {row.colour!s}")
        if row.holiday:
            css.append("color: #b30000; font-weight: bold")
        if row.on_leave:
            css.append("font-style: italic")
        style.iat[w, d] = "; ".join(css)
    return text, style


def roster_grid_styled(grid: pd.DataFrame) -> object:
    """A roster grid (people × days of shift codes) with weekend columns shaded and night
    shifts dark, as a pandas Styler for st.dataframe."""
    from dashboards.i18n import current_language

    shown = grid.copy()
    name_col = "name_zh" if current_language() == "zh" else "name"
    shown.index = [
        n or fallback for n, fallback in zip(shown[name_col], shown["name"], strict=True)
    ]
    shown = shown.drop(columns=["name", "name_zh"])
    shown.columns = [f"{d:%d}" if hasattr(d, "day") else str(d)[-2:] for d in shown.columns]

    def cell(code: object) -> str:
        if not isinstance(code, str) or not code:  # roster_grid cells are codes, '' = off
            return "color: #999"
        if code.endswith("*"):
            return "background-color: #f8d7da; color: #842029"
        if code.startswith("N"):
            return "background-color: #3f007d; color: white"
        return "background-color: #deebf7"

    return shown.style.map(cell)
