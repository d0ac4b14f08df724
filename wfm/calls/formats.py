"""Loaders for the three real call-centre data sets, auto-detected by their header.

Every loader returns the same frame as `parse_call_file(...).frame`: interval_start (naive local
datetime), interval_minutes, offered, handled, abandoned, aht_seconds (NaN where absent).

- ``us_bank_2003``: fpp3 ``bank_calls`` (5-minute counts of handled calls). The "Z" suffix is
  local bank time, not UTC. Weekdays only; missing days are simply absent.
- ``israel_6min``: Rfssa "Anonymous Bank" 6-minute arrival counts. Days holding imputed
  (non-integer) counts, such as 1999-05-23, are dropped: they are missing, not observed.
- ``israel_calls``: Technion "Anonymous Bank" call-by-call records, aggregated to intervals
  with the SOURCE.md "Suggested definitions".
- ``generic``: any ACD interval export that `parse_call_file` accepts.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from wfm.calls.parse import FRAME_COLUMNS, parse_call_file

FORMATS = ("us_bank_2003", "israel_6min", "israel_calls", "generic")
SERVICE_OUTLIER_SECONDS = 3600  # SOURCE.md: a few calls have ser_time > 1 h; not real talks
_SECONDS_PER_DAY = 86400
# October file: spaces instead of a TAB between priority and type (SOURCE.md quirk).
_TAB_QUIRK = re.compile(r"\t(\d) {2,}([A-Z]{2})\t")


def _first_line(path: Path) -> str:
    with path.open("rb") as fh:
        return fh.readline(4096).decode("utf-8-sig", errors="replace").strip()


def detect_format(path: str | Path) -> str:
    """Name of the format of `path` from its header: one of FORMATS."""
    p = Path(path)
    if p.suffix.lower() in (".xlsx", ".xlsm"):
        return "generic"
    header = _first_line(p)
    cols = [c.strip().strip('"').lower() for c in re.split(r"[,\t;]", header)]
    if "vru+line" in cols and "ser_time" in cols:
        return "israel_calls"
    if cols[-2:] == ["datetime", "calls"] or cols == ["rownames", "datetime", "calls"]:
        return "us_bank_2003"
    if {"date", "interval", "start_time", "calls"} <= set(cols):
        return "israel_6min"
    return "generic"


def _frame(
    starts: pd.Series | pd.DatetimeIndex,
    minutes: int,
    offered: np.ndarray,
    handled: np.ndarray | None = None,
    abandoned: np.ndarray | None = None,
    aht: np.ndarray | None = None,
) -> pd.DataFrame:
    n = len(offered)
    nan = np.full(n, np.nan)
    frame = pd.DataFrame(
        {
            "interval_start": pd.to_datetime(np.asarray(starts)),
            "interval_minutes": np.full(n, minutes, dtype=int),
            "offered": np.asarray(offered, dtype=float),
            "handled": nan if handled is None else np.asarray(handled, dtype=float),
            "abandoned": nan.copy() if abandoned is None else np.asarray(abandoned, dtype=float),
            "aht_seconds": nan.copy() if aht is None else np.asarray(aht, dtype=float),
        }
    )
    return frame.sort_values("interval_start").reset_index(drop=True)[list(FRAME_COLUMNS)]


def load_us_bank(path: str | Path) -> pd.DataFrame:
    """fpp3 bank_calls: handled calls per 5 minutes (used as offered: no abandons recorded)."""
    raw = pd.read_csv(path)
    # Strip the misleading "Z": the stamps are the bank's local clock.
    starts = pd.to_datetime(raw["DateTime"].astype(str).str.rstrip("Z"))
    calls = raw["Calls"].to_numpy(dtype=float)
    return _frame(starts, 5, calls, handled=calls)


def load_israel_6min(path: str | Path) -> pd.DataFrame:
    """Rfssa 6-minute counts; days with imputed (non-integer) cells are dropped."""
    raw = pd.read_csv(path, dtype={"date": str, "start_time": str})
    calls = raw["calls"].to_numpy(dtype=float)
    imputed_days = set(raw.loc[calls != np.round(calls), "date"])
    keep = ~raw["date"].isin(imputed_days).to_numpy()
    starts = pd.to_datetime(raw["date"] + " " + raw["start_time"], format="%Y-%m-%d %H:%M")
    return _frame(starts[keep], 6, calls[keep])


def _seconds_of_day(col: pd.Series) -> np.ndarray:
    parts = col.str.split(":", expand=True).astype(int)
    return (parts[0] * 3600 + parts[1] * 60 + parts[2]).to_numpy()


def read_call_records(path: str | Path) -> pd.DataFrame:
    """Technion call-by-call records with absolute times and the SOURCE.md definitions.

    Adds: ``day`` (date of VRU entry), ``vru_entry_at``, ``agent_seeking`` (non-PHANTOM and
    queued or served), ``queued``, ``served`` (AGENT), ``abandoned`` (agent-seeking HANG),
    ``arrival_at`` (queue start if queued, else service start), ``service_start_at``.
    Times wrap at midnight, so each later time is placed after the VRU entry modulo a day.
    """
    text = Path(path).read_bytes().decode("latin-1")
    text = _TAB_QUIRK.sub(r"\t\1\t\2\t", text.replace("\r\n", "\n"))
    from io import StringIO

    raw = pd.read_csv(StringIO(text), sep="\t", dtype=str, keep_default_na=False)
    raw.columns = [c.strip() for c in raw.columns]
    raw = raw[raw["date"].str.len() == 6].copy()
    for col in ("vru_time", "q_time", "ser_time", "priority"):
        raw[col] = pd.to_numeric(raw[col], errors="coerce").fillna(0).astype(int)
    day = pd.to_datetime("19" + raw["date"], format="%Y%m%d")
    entry = _seconds_of_day(raw["vru_entry"])
    q_start = _seconds_of_day(raw["q_start"])
    ser_start = _seconds_of_day(raw["ser_start"])
    outcome = raw["outcome"].str.strip()
    queued = q_start != 0
    served = (outcome == "AGENT").to_numpy()
    not_phantom = (outcome != "PHANTOM").to_numpy()
    agent_seeking = not_phantom & (queued | served)
    arrival_sod = np.where(queued, q_start, ser_start)
    # Midnight wrap: an arrival "before" the VRU entry happened after midnight.
    arrival_offset = (arrival_sod - entry) % _SECONDS_PER_DAY
    service_offset = (ser_start - entry) % _SECONDS_PER_DAY
    entry_at = day + pd.to_timedelta(entry, unit="s")
    out = raw.assign(
        day=day.dt.date,
        vru_entry_at=entry_at,
        arrival_at=entry_at + pd.to_timedelta(arrival_offset, unit="s"),
        service_start_at=entry_at + pd.to_timedelta(service_offset, unit="s"),
        outcome=outcome,
        server=raw["server"].str.strip(),
        type=raw["type"].str.strip(),
        queued=queued,
        served=served,
        agent_seeking=agent_seeking,
        abandoned=agent_seeking & (outcome == "HANG").to_numpy(),
    )
    return out.reset_index(drop=True)


def aggregate_call_records(records: pd.DataFrame, interval_minutes: int = 30) -> pd.DataFrame:
    """Intervals of agent-seeking arrivals, handled, abandoned and AHT (served, <= 1 h).

    Every day that has records gets a full 24-hour grid (zeros where nobody called); days
    without records (11-12 Jan 1999) stay missing.
    """
    if not 5 <= interval_minutes <= 60 or 1440 % interval_minutes:
        raise ValueError(f"interval_minutes must divide a day and lie in 5-60: {interval_minutes}")
    seek = records[records["agent_seeking"]].copy()
    freq = f"{interval_minutes}min"
    seek["slot"] = seek["arrival_at"].dt.floor(freq)
    ok_service = seek["served"] & (seek["ser_time"] <= SERVICE_OUTLIER_SECONDS)
    seek["ser_ok"] = seek["ser_time"].where(ok_service)
    grouped = seek.groupby("slot").agg(
        offered=("agent_seeking", "size"),
        handled=("served", "sum"),
        abandoned=("abandoned", "sum"),
        aht_seconds=("ser_ok", "mean"),
    )
    days = sorted(set(records["day"]))
    grid = pd.DatetimeIndex(
        np.concatenate(
            [
                pd.date_range(pd.Timestamp(d), periods=1440 // interval_minutes, freq=freq)
                for d in days
            ]
        )
    )
    full = grouped.reindex(grid)
    # Arrivals after midnight of the last day spill past the grid; they belong to no loaded day.
    counts = full[["offered", "handled", "abandoned"]].fillna(0.0)
    return _frame(
        grid,
        interval_minutes,
        counts["offered"].to_numpy(),
        counts["handled"].to_numpy(),
        counts["abandoned"].to_numpy(),
        full["aht_seconds"].to_numpy(),
    )


def load_israel_calls(path: str | Path, interval_minutes: int = 30) -> pd.DataFrame:
    """Technion call-by-call file aggregated to `interval_minutes` intervals."""
    return aggregate_call_records(read_call_records(path), interval_minutes)


def load_calls(
    path: str | Path, fmt: str | None = None, *, interval_minutes: int = 30
) -> pd.DataFrame:
    """Load any supported call history into the common interval frame.

    `fmt` None or "auto" detects the format; `interval_minutes` applies to call-by-call data.
    """
    name = detect_format(path) if fmt in (None, "auto") else fmt
    if name == "us_bank_2003":
        return load_us_bank(path)
    if name == "israel_6min":
        return load_israel_6min(path)
    if name == "israel_calls":
        return load_israel_calls(path, interval_minutes)
    if name == "generic":
        return parse_call_file(path).frame
    raise ValueError(f"unknown call-history format {name!r}; expected one of {', '.join(FORMATS)}")
