"""Erlang C and Erlang A against what really happened at the "Anonymous Bank" (January 1999).

Method (chosen so the non-linear formulas see the staffing each caller really met):

* Calls: agent-seeking arrivals of the SOURCE.md definitions, without the internet-support
  queue (type IN, served by the separate Z2* pool), Sunday-Thursday (the centre's full
  days), 07:00-24:00, non-holidays. Arrival = queue start, or service start if never queued.
* Cells: one per day x interval of the day (default 30 minutes). In each cell the arrival
  rate is arrivals / interval, and the number of agents is estimated (there is no roster):
  primary estimator = distinct agent names (`server`, excluding NO_SERVER and Z2*) who
  started a service in the cell. This over-counts agents who were on duty for only part of
  the interval. The secondary `busy_agents` = time-average of agents busy talking in the cell
  (service intervals clipped to the cell) is a lower bound on the agents on duty.
* Per interval of the day (pooled over the days, so estimates are stable): mean service
  time (served calls, ser_time <= 1 h, talk only: no wrap-up is recorded) and exponential
  patience by MLE = total queue time of queued calls / number of abandonments.
* Predictions per cell (Erlang C and Erlang A from `wfm.staffing.erlang`) are averaged per
  interval of the day weighted by the cell's arrivals, and compared with the observed shares:
  abandonment, waiting (queued at all), and service level = answered within T seconds / all.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from wfm.calendar_cn import WorkCalendar
from wfm.calls.formats import SERVICE_OUTLIER_SECONDS, read_call_records
from wfm.staffing.erlang import erlang_a_metrics, erlang_c_metrics

OPEN_HOUR = 7  # the centre's Sunday-Thursday opening hours: 07:00-24:00
ISRAELI_FULL_DAYS = (6, 0, 1, 2, 3)  # Sunday..Thursday as Python weekdays
AGENT_ESTIMATORS = {
    "distinct": "distinct servers starting a service in the cell (excl. NO_SERVER, Z2*, IN)",
    "busy": "time-average of busy agents / assumed occupancy (fractional N interpolated)",
}
ASSUMED_OCCUPANCY = 0.9


def _select_calls(records: pd.DataFrame, calendar: WorkCalendar) -> pd.DataFrame:
    calls = records[records["agent_seeking"] & (records["type"] != "IN")].copy()
    arrival = calls["arrival_at"]
    is_full_day = arrival.dt.day_of_week.isin(ISRAELI_FULL_DAYS)
    not_holiday = [calendar.day_type(d) != "holiday" for d in arrival.dt.date]
    calls = calls[is_full_day & np.asarray(not_holiday) & (arrival.dt.hour >= OPEN_HOUR)]
    calls["wait"] = np.where(calls["queued"], calls["q_time"], 0)
    return calls


def _cells(
    calls: pd.DataFrame, records: pd.DataFrame, minutes: int, threshold: float
) -> pd.DataFrame:
    freq = f"{minutes}min"
    calls = calls.assign(cell=calls["arrival_at"].dt.floor(freq))
    ok_service = calls["served"] & (calls["ser_time"] <= SERVICE_OUTLIER_SECONDS)
    calls = calls.assign(
        answered_in_t=calls["served"] & (calls["wait"] <= threshold),
        ser_ok=calls["ser_time"].where(ok_service),
        q_wait=calls["q_time"].where(calls["queued"], 0),
    )
    cells = calls.groupby("cell").agg(
        arrivals=("agent_seeking", "size"),
        abandoned=("abandoned", "sum"),
        queued=("queued", "sum"),
        answered_in_t=("answered_in_t", "sum"),
        ser_sum=("ser_ok", "sum"),
        ser_n=("ser_ok", "count"),
        queue_time=("q_wait", "sum"),
    )
    agents = _agents_per_cell(records, freq, minutes)
    return cells.join(agents, how="left").fillna({"agents": 0, "busy_agents": 0.0})


def _agents_per_cell(records: pd.DataFrame, freq: str, minutes: int) -> pd.DataFrame:
    served = records[
        records["served"]
        & (records["type"] != "IN")
        & (records["server"] != "NO_SERVER")
        & ~records["server"].str.startswith("Z2")
        & (records["ser_time"] <= SERVICE_OUTLIER_SECONDS)
    ]
    start = served["service_start_at"]
    distinct = served.assign(cell=start.dt.floor(freq)).groupby("cell")["server"].nunique()
    # Time-average of busy agents: spread each talk over the cells it overlaps.
    length = pd.Timedelta(minutes=minutes)
    end = start + pd.to_timedelta(served["ser_time"], unit="s")
    busy: dict[pd.Timestamp, float] = {}
    for s, e in zip(start.to_numpy(), end.to_numpy(), strict=True):
        cell = pd.Timestamp(s).floor(freq)
        stop = pd.Timestamp(e)
        while cell < stop:
            overlap = min(stop, cell + length) - max(pd.Timestamp(s), cell)
            busy[cell] = busy.get(cell, 0.0) + overlap / length
            cell += length
    return pd.DataFrame({"agents": distinct, "busy_agents": pd.Series(busy, dtype=float)})


def _interpolated(
    agents: np.ndarray, load: np.ndarray, aht: np.ndarray, patience: np.ndarray, threshold: float
) -> dict[str, np.ndarray]:
    """Erlang C/A metrics for fractional agents: linear between the neighbouring integers."""
    low = np.floor(agents)
    frac = agents - low
    out: dict[str, np.ndarray] = {}
    for weight, n in ((1 - frac, low), (frac, low + 1)):
        c = erlang_c_metrics(n, load, aht, threshold)
        a = erlang_a_metrics(n, load, aht, patience, threshold)
        parts = {
            "c_wait": c.p_wait,
            "c_sl": c.service_level,
            "a_wait": a.p_wait,
            "a_abandon": a.p_abandon,
            "a_sl": a.service_level,
        }
        for key, value in parts.items():
            out[key] = out.get(key, 0.0) + weight * value
    return out


def _predict(cells: pd.DataFrame, minutes: int, threshold: float, estimator: str) -> pd.DataFrame:
    slot = pd.DatetimeIndex(cells.index).strftime("%H:%M")
    pooled = cells.groupby(slot).agg(
        ser_sum=("ser_sum", "sum"),
        ser_n=("ser_n", "sum"),
        queue_time=("queue_time", "sum"),
        abandoned=("abandoned", "sum"),
    )
    aht = pooled["ser_sum"] / pooled["ser_n"].clip(lower=1)
    # Patience MLE; a slot without abandonment gets a long (1 h) patience instead of infinity.
    patience = (pooled["queue_time"] / pooled["abandoned"]).where(pooled["abandoned"] > 0, 3600.0)
    out = cells.assign(slot=slot, aht=aht.reindex(slot).to_numpy())
    out["patience"] = patience.reindex(slot).to_numpy()
    if estimator == "busy":
        out["agents"] = out["busy_agents"] / ASSUMED_OCCUPANCY
    elif estimator != "distinct":
        raise ValueError(f"agent estimator must be one of {', '.join(AGENT_ESTIMATORS)}")
    out = out[(out["agents"] > 0) & (out["aht"] > 0)].copy()
    load = out["arrivals"] / (minutes * 60) * out["aht"]
    out["load"] = load
    metrics = _interpolated(
        out["agents"].to_numpy(dtype=float),
        load.to_numpy(dtype=float),
        out["aht"].to_numpy(dtype=float),
        out["patience"].clip(lower=1.0).to_numpy(dtype=float),
        threshold,
    )
    for key, value in metrics.items():
        out[key] = value
    out["c_unstable"] = out["agents"] <= load
    return out


def _weighted(group: pd.DataFrame, column: str) -> float:
    return float(np.average(group[column], weights=group["arrivals"]))


def _table(pred: pd.DataFrame, minutes: int) -> pd.DataFrame:
    rows = []
    for slot, g in pred.groupby("slot"):
        n = g["arrivals"].sum()
        rows.append(
            {
                "slot": slot,
                "days": len(g),
                "arrivals_per_hour": float(n / len(g) * 60 / minutes),
                "aht_s": float(g["aht"].iloc[0]),
                "patience_s": float(g["patience"].iloc[0]),
                "agents": float(g["agents"].mean()),
                "busy_agents": float(g["busy_agents"].mean()),
                "load": float(g["load"].mean()),
                "obs_abandon": float(g["abandoned"].sum() / n),
                "a_abandon": _weighted(g, "a_abandon"),
                "obs_wait": float(g["queued"].sum() / n),
                "c_wait": _weighted(g, "c_wait"),
                "a_wait": _weighted(g, "a_wait"),
                "obs_sl": float(g["answered_in_t"].sum() / n),
                "c_sl": _weighted(g, "c_sl"),
                "a_sl": _weighted(g, "a_sl"),
                "c_unstable_cells": int(g["c_unstable"].sum()),
            }
        )
    return pd.DataFrame(rows)


def _overall(pred: pd.DataFrame) -> dict[str, float]:
    n = pred["arrivals"].sum()
    return {
        "obs_abandon": float(pred["abandoned"].sum() / n),
        "a_abandon": _weighted(pred, "a_abandon"),
        "obs_wait": float(pred["queued"].sum() / n),
        "c_wait": _weighted(pred, "c_wait"),
        "a_wait": _weighted(pred, "a_wait"),
        "obs_sl": float(pred["answered_in_t"].sum() / n),
        "c_sl": _weighted(pred, "c_sl"),
        "a_sl": _weighted(pred, "a_sl"),
    }


def _summary(
    pred: pd.DataFrame, table: pd.DataFrame, threshold: float, estimator: str
) -> dict[str, Any]:
    mae = {
        f"{model}_{metric}": float(
            (table[f"{model}_{metric}"] - table[f"obs_{metric}"]).abs().mean()
        )
        for model, metric in (
            ("a", "abandon"),
            ("c", "wait"),
            ("a", "wait"),
            ("c", "sl"),
            ("a", "sl"),
        )
    }
    return {
        "threshold_seconds": threshold,
        "cells": int(len(pred)),
        "calls": int(pred["arrivals"].sum()),
        "days": int(pd.DatetimeIndex(pred.index).normalize().nunique()),
        "agent_estimator": AGENT_ESTIMATORS[estimator],
        "erlang_c_unstable_cells": int(pred["c_unstable"].sum()),
        "overall": _overall(pred),
        "mean_abs_error_by_slot": mae,
    }


def validate_queueing_with_summary(
    path: str | Path,
    interval_minutes: int = 30,
    threshold_seconds: float = 20,
    agent_estimator: str = "distinct",
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The per-interval comparison table and a summary dict (overall shares, errors)."""
    if not 5 <= interval_minutes <= 60 or 1440 % interval_minutes:
        raise ValueError(f"interval_minutes must divide a day and lie in 5-60: {interval_minutes}")
    if threshold_seconds < 0:
        raise ValueError(f"threshold_seconds must be >= 0: {threshold_seconds}")
    records = read_call_records(path)
    calls = _select_calls(records, WorkCalendar("IL"))
    if calls.empty:
        raise ValueError(f"{path}: no agent-seeking Sunday-Thursday calls to validate on")
    cells = _cells(calls, records, interval_minutes, threshold_seconds)
    pred = _predict(cells, interval_minutes, threshold_seconds, agent_estimator)
    table = _table(pred, interval_minutes)
    summary = _summary(pred, table, threshold_seconds, agent_estimator)
    other = "busy" if agent_estimator == "distinct" else "distinct"
    summary["overall_with_other_estimator"] = {
        "agent_estimator": AGENT_ESTIMATORS[other],
        **_overall(_predict(cells, interval_minutes, threshold_seconds, other)),
    }
    table.attrs["summary"] = summary  # so callers of validate_queueing keep the summary too
    return table, summary


def validate_queueing(
    path: str | Path,
    interval_minutes: int = 30,
    threshold_seconds: float = 20,
    agent_estimator: str = "distinct",
) -> pd.DataFrame:
    """Observed vs Erlang C / Erlang A per interval of the day (see the module docstring).

    The summary dict is in ``table.attrs["summary"]`` (or use validate_queueing_with_summary).
    """
    return validate_queueing_with_summary(
        path, interval_minutes, threshold_seconds, agent_estimator
    )[0]
