"""The forecast: shapes and calendar behaviour on synthetic data, and beating seasonal naive."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from tests.conftest import shared_path
from wfm.calls.formats import load_calls
from wfm.cli.forecast import register
from wfm.forecast import backtest, fit_forecast


def _synthetic(
    start: dt.date,
    days: int,
    *,
    holidays: frozenset[dt.date] = frozenset(),
    makeup: frozenset[dt.date] = frozenset(),
) -> pd.DataFrame:
    """30-minute history: weekday factors x a morning/afternoon double peak, Poisson noise."""
    rng = np.random.default_rng(7)
    slots = np.arange(48)
    shape = np.exp(-((slots - 20) ** 2) / 18) + 0.8 * np.exp(-((slots - 30) ** 2) / 18) + 0.02
    shape /= shape.sum()
    factors = [1.2, 1.0, 1.0, 1.0, 0.95, 0.5, 0.4]
    rows = []
    for i in range(days):
        day = start + dt.timedelta(days=i)
        factor = 1.0 if day in makeup else factors[day.weekday()]
        total = 2000 * factor * (0.3 if day in holidays else 1.0)
        counts = rng.poisson(total * shape)
        for s in slots:
            rows.append((pd.Timestamp(day) + pd.Timedelta(minutes=30 * int(s)), counts[s]))
    frame = pd.DataFrame(rows, columns=["interval_start", "offered"])
    frame["interval_minutes"] = 30
    frame["aht_seconds"] = 240.0
    return frame


def test_predict_shape_and_columns() -> None:
    model = fit_forecast(_synthetic(dt.date(2025, 3, 3), 56), calendar="CN")
    pred = model.predict(dt.date(2025, 4, 28), 3)
    assert list(pred.columns) == ["interval_start", "interval_minutes", "offered", "aht_seconds"]
    assert len(pred) == 3 * 48
    assert (pred["offered"] >= 0).all() and np.isfinite(pred["offered"]).all()
    monday = pred[pred["interval_start"].dt.date == dt.date(2025, 4, 28)]["offered"].sum()
    assert monday == pytest.approx(2400, rel=0.1)
    assert pred["aht_seconds"].iloc[10] == pytest.approx(240, rel=0.05)


def test_holidays_are_low_and_makeup_days_like_workdays() -> None:
    # History through the 2025 Spring Festival (28 Jan - 4 Feb, make-up Sun 26 Jan / Sat 8 Feb).
    festival = frozenset(dt.date(2025, 1, 28) + dt.timedelta(days=i) for i in range(8))
    makeup = frozenset({dt.date(2025, 1, 26), dt.date(2025, 2, 8)})
    history = _synthetic(dt.date(2024, 12, 2), 84, holidays=festival, makeup=makeup)
    model = fit_forecast(history, calendar="CN")
    assert 0.15 < model.holiday_factor < 0.5
    # 2025 National Day (1-8 Oct) holidays; Sat 11 Oct is a make-up working day.
    holiday = model.daily_total(dt.date(2025, 10, 2))
    makeup_day = model.daily_total(dt.date(2025, 10, 11))
    saturday = model.daily_total(dt.date(2025, 10, 18))
    thursday = model.daily_total(dt.date(2025, 10, 16))
    assert holiday < 0.5 * thursday
    assert makeup_day > 1.5 * saturday
    assert makeup_day == pytest.approx(thursday, rel=0.3)


def test_missing_days_do_not_break_the_fit() -> None:
    history = _synthetic(dt.date(2025, 3, 3), 56)
    gap = history["interval_start"].dt.date.between(dt.date(2025, 3, 20), dt.date(2025, 3, 26))
    model = fit_forecast(history[~gap], calendar=None)
    assert model.daily_total(dt.date(2025, 4, 29)) == pytest.approx(2000, rel=0.1)


# Shortened spans keep the test fast; the full figures are in the CLI backtest.
REAL = [
    (("us_bank_2003", "bank_calls.csv"), dt.date(2003, 8, 4), "US"),
    (("anonymous_bank_1999_6min", "callcenter_6min_1999.csv"), dt.date(1999, 8, 1), "IL"),
]


@pytest.mark.parametrize(("parts", "cut", "country"), REAL)
def test_model_beats_seasonal_naive_on_real_series(
    parts: tuple[str, str], cut: dt.date, country: str
) -> None:
    history = load_calls(shared_path("data", "real", *parts))
    result = backtest(history, cut, calendar=country, test_days=14)
    assert result["days"] >= 10 and result["refits"] == 2
    assert result["model"]["wape"] < result["seasonal_naive"]["wape"]
    assert result["model"]["mape"] < result["seasonal_naive"]["mape"]


def test_cli_backtest(tmp_path: object) -> None:
    app = typer.Typer()
    register(app)
    runner = CliRunner()
    path = shared_path("data", "real", "us_bank_2003", "bank_calls.csv")
    ok = runner.invoke(
        app, ["forecast", "backtest", "--history", str(path), "--test-from", "2003-08-18", "--json"]
    )
    assert ok.exit_code == 0, ok.output
    assert '"seasonal_naive"' in ok.output
    bad = runner.invoke(
        app, ["forecast", "backtest", "--history", str(path), "--test-from", "18/08/2003"]
    )
    assert bad.exit_code == 2
    missing = runner.invoke(
        app, ["forecast", "backtest", "--history", "/nope.csv", "--test-from", "2003-08-18"]
    )
    assert missing.exit_code == 2
    late = runner.invoke(
        app, ["forecast", "backtest", "--history", str(path), "--test-from", "2004-01-01"]
    )
    assert late.exit_code == 2
