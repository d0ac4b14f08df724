"""Backtest of the interval forecast against seasonal naive.

Protocol (rolling weekly re-fit, as a planner would run it): for each week of the test span,
starting at `test_from`, the model is fitted only on history before that week and predicts the
whole week. Seasonal naive predicts each interval by the same interval one week earlier (two,
three or four weeks earlier if that day is missing, e.g. a US public holiday); it never looks
past the week's start either.

Scores over the test intervals that have an actual value:
- WAPE = sum |forecast - actual| / sum actual (all intervals, zeros included);
- MAPE = mean |forecast - actual| / actual over intervals with actual > 0 only (zeros would
  divide by zero), so MAPE is dominated by the quiet intervals.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from wfm.calendar_cn import WorkCalendar
from wfm.forecast.model import ForecastConfig, fit_forecast

NAIVE_LOOKBACK_WEEKS = 4


def _scores(forecast: np.ndarray, actual: np.ndarray) -> dict[str, float]:
    err = np.abs(forecast - actual)
    positive = actual > 0
    total = actual.sum()
    return {
        "wape": float(err.sum() / total) if total > 0 else float("nan"),
        "mape": float(np.mean(err[positive] / actual[positive]))
        if positive.any()
        else float("nan"),
    }


def _seasonal_naive(series: pd.Series, targets: pd.DatetimeIndex) -> np.ndarray:
    out = np.full(len(targets), np.nan)
    for k in range(1, NAIVE_LOOKBACK_WEEKS + 1):
        missing = np.isnan(out)
        if not missing.any():
            break
        lagged = series.reindex(targets[missing] - pd.Timedelta(weeks=k)).to_numpy()
        out[missing] = lagged
    return out


def backtest(
    history_df: pd.DataFrame,
    test_from: dt.date,
    *,
    calendar: WorkCalendar | str | None = "CN",
    config: ForecastConfig | None = None,
    test_days: int | None = None,
    step_days: int = 7,
) -> dict[str, Any]:
    """WAPE and MAPE of the model and of seasonal naive on the span from `test_from`.

    `test_days` limits the span (default: to the end of the history). Returns a dict with
    "model" and "seasonal_naive" scores, the span, the number of intervals and of refits.
    """
    frame = history_df.copy()
    frame["interval_start"] = pd.to_datetime(frame["interval_start"])
    start = pd.Timestamp(test_from)
    train = frame[frame["interval_start"] < start]
    test = frame[frame["interval_start"] >= start]
    if test_days is not None:
        test = test[test["interval_start"] < start + pd.Timedelta(days=test_days)]
    if train.empty or test.empty:
        raise ValueError(f"test_from {test_from} leaves no training or no test data")
    actual = test.set_index("interval_start")["offered"].astype(float)
    actual_days = pd.DatetimeIndex(actual.index).normalize()
    series = frame.set_index("interval_start")["offered"].astype(float)
    last_day = actual_days.max()

    predictions: list[pd.Series] = []
    refits = 0
    week_start = start
    while week_start <= last_day:
        model = fit_forecast(frame[frame["interval_start"] < week_start], calendar, config)
        refits += 1
        pred = model.predict(week_start.date(), step_days)
        predictions.append(pred.set_index("interval_start")["offered"])
        week_start += pd.Timedelta(days=step_days)
    model_pred = pd.concat(predictions).reindex(actual.index).fillna(0.0).to_numpy()

    naive = _seasonal_naive(series, pd.DatetimeIndex(actual.index))
    have_naive = ~np.isnan(naive)
    a = actual.to_numpy()
    return {
        "test_from": start.date().isoformat(),
        "test_to": last_day.date().isoformat(),
        "intervals": int(len(a)),
        "days": int(actual_days.nunique()),
        "refits": refits,
        "protocol": f"rolling re-fit every {step_days} days; MAPE over intervals with actual > 0",
        "model": _scores(model_pred[have_naive], a[have_naive]),
        "seasonal_naive": _scores(naive[have_naive], a[have_naive]),
        "model_all_intervals": _scores(model_pred, a),
        "naive_coverage": float(have_naive.mean()),
    }
