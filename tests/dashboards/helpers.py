"""Reading what an AppTest page shows, as text, for "shows X / never shows Y" assertions."""

from __future__ import annotations

from typing import Any

from streamlit.testing.v1 import AppTest

TEXT_ELEMENTS = (
    "title",
    "header",
    "subheader",
    "markdown",
    "caption",
    "text",
    "info",
    "warning",
    "error",
    "success",
    "metric",
)


def page_text(at: AppTest) -> str:
    """Every text, message, metric, table cell and chart spec on the page, joined."""
    parts: list[str] = []
    for kind in TEXT_ELEMENTS:
        for el in getattr(at, kind):
            parts.append(str(getattr(el, "label", "")))
            parts.append(str(el.value))
    for df in at.dataframe:
        parts.append(_frame_text(df.value))
    for chart in at.get("plotly_chart"):
        parts.append(str(getattr(chart.proto, "spec", "")))
    for exp in at.expander:
        parts.append(str(exp.label))
    return "\n".join(parts)


def _frame_text(value: Any) -> str:
    data = getattr(value, "data", value)  # a Styler keeps its frame in .data
    try:
        return data.to_string()
    except AttributeError:
        return str(data)


def assert_clean(at: AppTest) -> None:
    """No exception and no error box on the page."""
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]
