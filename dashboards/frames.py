"""Typed reading of the frames that wfm.views return: one row, one cell.

pandas-stubs cannot know a frame's columns, so a cell (an `itertuples` field, `frame.at[...]`)
is typed as any pandas scalar: str, bytes, dates, NA, Period and more. These helpers narrow a
cell to what the view promises for its column, and raise TypeError when a view breaks that
promise instead of drawing nonsense."""

from __future__ import annotations

import math
from datetime import datetime

import numpy as np
import pandas as pd


def row_at(frame: pd.DataFrame, row_id: int) -> pd.Series:
    """The row at `row_id` of a frame indexed by unique ids."""
    row = frame.loc[row_id]
    if isinstance(row, pd.Series):
        return row
    raise ValueError(f"index label {row_id!r} is not unique")


def as_int(value: object) -> int:
    """An integer cell (an id, a count) as int."""
    if isinstance(value, int | np.integer):
        return int(value)
    raise TypeError(f"expected an integer cell, got {value!r}")


def optional_int(value: object) -> int | None:
    """A number cell that may be empty (None, NaN, NA) as int (truncated) or None."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float | np.floating):
        return None if math.isnan(value) else int(value)
    return as_int(value)


def as_datetime(value: object) -> datetime:
    """A datetime cell (datetime or pandas Timestamp) that is never empty."""
    if isinstance(value, datetime) and value is not pd.NaT:
        return value
    raise TypeError(f"expected a datetime cell, got {value!r}")


def optional_datetime(value: object) -> datetime | None:
    """A datetime cell that may be empty (None, NaT) as datetime or None."""
    if value is None or value is pd.NaT:
        return None
    return as_datetime(value)


def hours_between(start: object, end: object) -> float:
    """Hours from `start` to `end`, two datetime cells."""
    return (as_datetime(end) - as_datetime(start)).total_seconds() / 3600
