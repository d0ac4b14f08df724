"""The CLI's solver progress line: time, phase, objective and bound from the solver's events."""

from __future__ import annotations

import pytest

from solver.progress import ProgressEvent
from wfm.cli.roster_db import _progress_bar


def test_progress_line_shows_elapsed_time_phase_and_objective(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with _progress_bar(20.0) as show:
        show(ProgressEvent(5.0, "search", 31_020, 29_630, 20.0))
    line = capsys.readouterr().err.strip().split("\r")[-1]
    assert line.startswith("[" + "#" * 7 + "." * 23 + "]")  # a quarter of the time limit
    assert "5.0s search objective 31020 bound 29630" in line


def test_progress_bar_is_full_at_the_time_limit(capsys: pytest.CaptureFixture[str]) -> None:
    with _progress_bar(20.0) as show:
        show(ProgressEvent(21.0, "done", 30_645, 29_630, 20.0))
    assert "[" + "#" * 30 + "]" in capsys.readouterr().err
