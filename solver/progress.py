"""Progress reports while solving: the CLI draws a bar from them, the dashboards a chart."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ProgressEvent:
    elapsed_s: float
    # "relaxation" | "construction" | "exchange" | "search" | "direct" | "repair" | "done"
    phase: str
    objective: float | None  # best roster's cost so far (None before the first roster)
    bound: float | None  # proven lower bound so far
    time_limit_s: float = 0.0
    message: str = ""

    @property
    def gap(self) -> float | None:
        return relative_gap(self.objective, self.bound)


ProgressFn = Callable[[ProgressEvent], None]


def relative_gap(objective: float | None, bound: float | None) -> float | None:
    """(objective - bound) / objective, 0 when both are 0; None without both."""
    if objective is None or bound is None:
        return None
    if objective <= 0:
        return 0.0
    return max(0.0, (objective - bound) / objective)


def no_progress(event: ProgressEvent) -> None:
    """The default callback: ignore."""
