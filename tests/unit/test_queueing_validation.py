"""Erlang C / Erlang A validation on the Israeli call-by-call data gives sane, finite numbers."""

from __future__ import annotations

import json

import numpy as np
import pytest
import typer
from typer.testing import CliRunner

from tests.conftest import shared_path
from wfm.cli.forecast import register
from wfm.queueing_validation import validate_queueing, validate_queueing_with_summary

JANUARY = ("data", "real", "anonymous_bank_1999", "january.txt")


@pytest.fixture(scope="module")
def result() -> tuple:
    return validate_queueing_with_summary(shared_path(*JANUARY), 30, 20)


def test_table_is_finite_and_covers_opening_hours(result: tuple) -> None:
    table, summary = result
    assert list(table["slot"]) == [f"{h:02d}:{m:02d}" for h in range(7, 24) for m in (0, 30)]
    numeric = table.drop(columns=["slot"]).to_numpy(dtype=float)
    assert np.isfinite(numeric).all()
    for col in (
        "obs_abandon",
        "a_abandon",
        "obs_wait",
        "c_wait",
        "a_wait",
        "obs_sl",
        "c_sl",
        "a_sl",
    ):
        assert table[col].between(0, 1).all(), col
    assert summary["days"] == 19  # Sunday-Thursday days in the file
    assert summary["calls"] > 25_000


def test_aggregate_predictions_are_in_sensible_bounds(result: tuple) -> None:
    _, summary = result
    overall = summary["overall"]
    # The research report gives ~10% abandonment for this centre.
    assert 0.07 < overall["obs_abandon"] < 0.15
    # Distinct servers over-count agents on duty, busy/0.9 under-counts them: the observed
    # abandonment lies between the two Erlang A predictions (and within a factor of 3 of each).
    low = overall["a_abandon"]
    high = summary["overall_with_other_estimator"]["a_abandon"]
    assert low < overall["obs_abandon"] < high
    assert overall["obs_abandon"] / 3 < low and high < 3 * overall["obs_abandon"]
    # Erlang A, with abandonment, predicts less waiting than Erlang C on the same staffing.
    assert overall["a_wait"] <= overall["c_wait"]


def test_longer_threshold_raises_service_level() -> None:
    t20 = validate_queueing(shared_path(*JANUARY), 30, 20)
    t60 = validate_queueing(shared_path(*JANUARY), 30, 60)
    assert (t60["obs_sl"] >= t20["obs_sl"]).all()
    assert (t60["a_sl"] >= t20["a_sl"] - 1e-12).all()
    assert "summary" in t20.attrs


def test_cli_validate_queueing() -> None:
    app = typer.Typer()
    register(app)
    runner = CliRunner()
    out = runner.invoke(app, ["validate-queueing", str(shared_path(*JANUARY)), "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert len(data["table"]) == 34
    bad = runner.invoke(
        app, ["validate-queueing", str(shared_path(*JANUARY)), "--interval-minutes", "7"]
    )
    assert bad.exit_code == 2
    other = shared_path("data", "real", "us_bank_2003", "bank_calls.csv")
    assert runner.invoke(app, ["validate-queueing", str(other)]).exit_code == 2
