"""Parse and validate interval exports (CSV or Excel) from a phone system (ACD).

The whole file is checked before anything is returned: every problem is collected with its
1-based file row (the header is row 1) and field, so a planner can fix the export in one pass.
Nothing here touches a database; the import service writes only when `parse_call_file`
returns without raising.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

FRAME_COLUMNS = (
    "interval_start",
    "interval_minutes",
    "offered",
    "handled",
    "abandoned",
    "aht_seconds",
)
MIN_INTERVAL_MINUTES = 5
MAX_INTERVAL_MINUTES = 60
MINUTES_PER_DAY = 24 * 60

# Header spellings seen in ACD exports, after normalisation (lower case, separators -> "_").
DATETIME_ALIASES = (
    "interval_start",
    "datetime",
    "date_time",
    "start",
    "start_datetime",
    "timestamp",
    "interval_start_time",
    "period_start",
    "interval_datetime",
)
DATE_ALIASES = ("date", "day", "interval_date", "call_date")
TIME_ALIASES = (
    "time",
    "start_time",
    "interval_time",
    "interval",
    "time_start",
    "interval_start",
    "start",
    "time_of_day",
)
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "offered": (
        "offered",
        "calls",
        "offered_calls",
        "calls_offered",
        "call_volume",
        "volume",
        "incoming",
        "n_calls",
    ),
    "handled": (
        "handled",
        "answered",
        "handled_calls",
        "calls_handled",
        "answered_calls",
        "calls_answered",
    ),
    "abandoned": ("abandoned", "abandons", "abandoned_calls", "calls_abandoned"),
    "aht_seconds": (
        "aht",
        "aht_seconds",
        "aht_s",
        "aht_sec",
        "avg_handle_time",
        "average_handle_time",
        "avg_handling_time",
        "average_handling_time",
    ),
    "interval_minutes": ("interval_minutes", "interval_length", "interval_min", "duration_min"),
}


@dataclass(frozen=True)
class Problem:
    """One problem in a call file: where (row, field) and what."""

    row: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}, {self.field}: {self.message}"


class CallFileError(ValueError):
    """Raised when a call file has problems; `problems` lists every one of them."""

    def __init__(self, problems: Sequence[Problem], source: str = "") -> None:
        self.problems: list[Problem] = sorted(problems, key=lambda p: (p.row, p.field))
        self.source = source
        head = f"{source}: " if source else ""
        lines = [f"{head}{len(self.problems)} problem(s) in call file:"]
        lines += [f"  {p}" for p in self.problems]
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class ParsedCalls:
    """A validated interval export. `frame` has the columns of FRAME_COLUMNS, sorted by time."""

    frame: pd.DataFrame
    interval_minutes: int
    source: str
    columns: dict[str, str] = field(default_factory=dict)  # our field -> header in the file
    has_handled: bool = False
    has_abandoned: bool = False
    has_aht: bool = False

    @property
    def first_interval(self) -> dt.datetime:
        return pd.Timestamp(self.frame["interval_start"].iloc[0]).to_pydatetime()

    @property
    def last_interval(self) -> dt.datetime:
        return pd.Timestamp(self.frame["interval_start"].iloc[-1]).to_pydatetime()


# --------------------------------------------------------------------------------------------
# Reading raw cells


def _normalise_header(name: object) -> str:
    text = str(name if name is not None else "").strip().lower()
    text = re.sub(r"\(.*?\)", "", text)  # "AHT (s)" -> "aht"
    text = re.sub(r"[^0-9a-z]+", "_", text)
    return text.strip("_")


def _read_csv_rows(path: Path) -> list[list[Any]]:
    raw = path.read_bytes()
    text = raw.decode("utf-8-sig", errors="replace")
    sample = text[:8192]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    # newline="" semantics: csv handles CRLF itself; row numbers are physical record numbers.
    return [list(r) for r in csv.reader(io.StringIO(text, newline=""), dialect)]


def _read_excel_rows(path: Path, sheet: str | int | None) -> list[list[Any]]:
    import openpyxl  # local import: only Excel users pay for it

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        if sheet is None:
            ws = wb.worksheets[0]
        elif isinstance(sheet, int):
            ws = wb.worksheets[sheet]
        else:
            ws = wb[sheet]
        return [list(r) for r in ws.iter_rows(values_only=True)]
    finally:
        wb.close()


def read_rows(path: str | Path, sheet: str | int | None = None) -> list[list[Any]]:
    """The file's rows as lists of cells (row 0 = header), CSV or Excel by suffix."""
    p = Path(path)
    if p.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_excel_rows(p, sheet)
    return _read_csv_rows(p)


# --------------------------------------------------------------------------------------------
# Cell converters: each returns (value, error message or None)


def _is_blank(cell: Any) -> bool:
    if cell is None:
        return True
    if isinstance(cell, float) and math.isnan(cell):
        return True
    return isinstance(cell, str) and cell.strip() == ""


def _shown(cell: Any) -> str:
    text = str(cell)
    return text if len(text) <= 40 else text[:37] + "..."


_TZ_SUFFIX = re.compile(r"(Z|[+-]\d{2}:?\d{2})$")


def _to_datetime(cell: Any) -> tuple[dt.datetime | None, str | None]:
    if isinstance(cell, dt.datetime):
        return cell.replace(tzinfo=None), None
    if isinstance(cell, dt.date):
        return dt.datetime(cell.year, cell.month, cell.day), None
    text = str(cell).strip()
    # Exports often stamp local time with "Z" or an offset; the interval is the local clock.
    text = _TZ_SUFFIX.sub("", text) if re.search(r"\d[T ]\d", text) else text
    try:
        ts = pd.Timestamp(text)
        if pd.isna(ts):
            return None, f"not a date/time ({_shown(cell)!r})"
        # pandas reads "-3" as the year -3, which Python's datetime cannot hold: refuse it here.
        value = ts.tz_localize(None).to_pydatetime() if ts.tzinfo else ts.to_pydatetime()
    except (ValueError, TypeError, OverflowError):
        return None, f"not a date/time ({_shown(cell)!r})"
    return value, None


def _to_date(cell: Any) -> tuple[dt.date | None, str | None]:
    if isinstance(cell, dt.datetime):
        return cell.date(), None
    if isinstance(cell, dt.date):
        return cell, None
    value, err = _to_datetime(cell)
    if value is None:
        return None, f"not a date ({_shown(cell)!r})"
    if value.time() != dt.time(0):
        return None, f"date has a time part ({_shown(cell)!r})"
    return value.date(), err


_TIME_RE = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?$")


def _to_time(cell: Any) -> tuple[dt.time | None, str | None]:
    if isinstance(cell, dt.datetime):
        return cell.time(), None
    if isinstance(cell, dt.time):
        return cell, None
    if isinstance(cell, int | float) and not isinstance(cell, bool) and 0 <= cell < 1:
        # Excel stores times as day fractions when a cell is not formatted as time.
        seconds = round(float(cell) * 86400)
        return (dt.datetime.min + dt.timedelta(seconds=seconds)).time(), None
    m = _TIME_RE.match(str(cell).strip())
    if not m:
        return None, f"not a time of day ({_shown(cell)!r})"
    hour, minute, second = int(m[1]), int(m[2]), int(m[3] or 0)
    if m[4]:
        if not 1 <= hour <= 12:
            return None, f"not a time of day ({_shown(cell)!r})"
        hour = hour % 12 + (12 if m[4].lower() == "pm" else 0)
    if hour > 23 or minute > 59 or second > 59:
        return None, f"not a time of day ({_shown(cell)!r})"
    return dt.time(hour, minute, second), None


def _to_number(cell: Any) -> tuple[float | None, str | None]:
    if isinstance(cell, bool):
        return None, f"not a number ({_shown(cell)!r})"
    if isinstance(cell, int | float):
        value = float(cell)
    else:
        try:
            value = float(str(cell).strip())
        except ValueError:
            return None, f"not a number ({_shown(cell)!r})"
    if not math.isfinite(value):
        return None, f"not a finite number ({_shown(cell)!r})"
    return value, None


def _to_count(cell: Any) -> tuple[float | None, str | None]:
    value, err = _to_number(cell)
    if value is None:
        return None, err
    if value < 0:
        return None, f"negative count ({_shown(cell)!r})"
    return value, None


def _to_seconds(cell: Any) -> tuple[float | None, str | None]:
    """AHT in seconds; "m:ss"/"h:mm:ss" and Excel time cells are accepted too."""
    if isinstance(cell, dt.time):
        return cell.hour * 3600.0 + cell.minute * 60 + cell.second, None
    if isinstance(cell, dt.timedelta):
        return cell.total_seconds(), None
    if isinstance(cell, str) and ":" in cell:
        parts = cell.strip().split(":")
        if 2 <= len(parts) <= 3 and all(p.isdigit() for p in parts):
            total = 0.0
            for p in parts:
                total = total * 60 + int(p)
            return total, None
        return None, f"not a duration ({_shown(cell)!r})"
    value, err = _to_number(cell)
    if value is None:
        return None, err
    if value < 0:
        return None, f"negative duration ({_shown(cell)!r})"
    return value, None


# --------------------------------------------------------------------------------------------
# Header mapping


@dataclass(frozen=True)
class _Layout:
    datetime_col: int | None
    date_col: int | None
    time_col: int | None
    fields: dict[str, int]  # our field -> column index
    headers: list[str]


def _find(normalised: list[str], aliases: Iterable[str], taken: set[int]) -> int | None:
    for alias in aliases:
        for i, name in enumerate(normalised):
            if name == alias and i not in taken:
                return i
    return None


def _layout(header: list[Any], problems: list[Problem]) -> _Layout | None:
    headers = ["" if h is None else str(h).strip() for h in header]
    norm = [_normalise_header(h) for h in headers]
    taken: set[int] = set()
    seen = Counter(n for n in norm if n)
    for name, count in seen.items():
        if count > 1:
            problems.append(Problem(1, name, f"column appears {count} times"))
    date_col = _find(norm, DATE_ALIASES, taken)
    datetime_col: int | None = None
    time_col: int | None = None
    if date_col is not None:
        taken.add(date_col)
        time_col = _find(norm, TIME_ALIASES, taken)
        if time_col is not None:
            taken.add(time_col)
    if time_col is None:
        # A lone "date" column can still be a full timestamp (e.g. "2025-01-06 08:00").
        datetime_col = _find(norm, DATETIME_ALIASES, taken)
        if datetime_col is None and date_col is not None:
            datetime_col, date_col = date_col, None
        if datetime_col is not None:
            taken.add(datetime_col)
    fields: dict[str, int] = {}
    for name, aliases in FIELD_ALIASES.items():
        idx = _find(norm, aliases, taken)
        if idx is not None:
            fields[name] = idx
            taken.add(idx)
    if datetime_col is None and date_col is None:
        problems.append(
            Problem(1, "interval_start", "missing column (interval_start, or date + time)")
        )
    if "offered" not in fields:
        problems.append(Problem(1, "offered", "missing column (offered / calls)"))
    if problems:
        return None
    return _Layout(datetime_col, date_col, time_col, fields, headers)


# --------------------------------------------------------------------------------------------
# Validation of rows and of the interval grid


def _cell(row: list[Any], idx: int) -> Any:
    return row[idx] if idx < len(row) else None


def _parse_start(row: list[Any], lay: _Layout, rownum: int, problems: list[Problem]) -> Any:
    if lay.datetime_col is not None:
        cell = _cell(row, lay.datetime_col)
        if _is_blank(cell):
            problems.append(Problem(rownum, "interval_start", "missing value"))
            return None
        value, err = _to_datetime(cell)
        if err:
            problems.append(Problem(rownum, "interval_start", err))
        return value
    assert lay.date_col is not None and lay.time_col is not None
    dcell, tcell = _cell(row, lay.date_col), _cell(row, lay.time_col)
    day = clock = None
    for cell, name in ((dcell, "date"), (tcell, "time")):
        if _is_blank(cell):
            problems.append(Problem(rownum, name, "missing value"))
    if not _is_blank(dcell):
        day, err = _to_date(dcell)
        if err:
            problems.append(Problem(rownum, "date", err))
    if not _is_blank(tcell):
        clock, err = _to_time(tcell)
        if err:
            problems.append(Problem(rownum, "time", err))
    if day is None or clock is None:
        return None
    return dt.datetime.combine(day, clock)


_CONVERTERS = {
    "offered": _to_count,
    "handled": _to_count,
    "abandoned": _to_count,
    "aht_seconds": _to_seconds,
    "interval_minutes": _to_number,
}


def _parse_rows(
    rows: list[list[Any]], lay: _Layout, problems: list[Problem]
) -> list[tuple[int, dict[str, Any]]]:
    records: list[tuple[int, dict[str, Any]]] = []
    for i, row in enumerate(rows[1:], start=2):
        if all(_is_blank(c) for c in row):
            continue  # blank lines (often trailing) carry nothing
        rec: dict[str, Any] = {"interval_start": _parse_start(row, lay, i, problems)}
        for name, idx in lay.fields.items():
            cell = _cell(row, idx)
            if _is_blank(cell):
                if name == "offered":
                    problems.append(Problem(i, name, "missing value"))
                rec[name] = None
                continue
            value, err = _CONVERTERS[name](cell)
            if err:
                problems.append(Problem(i, name, err))
            rec[name] = value
        handled, abandoned, offered = rec.get("handled"), rec.get("abandoned"), rec.get("offered")
        if offered is not None and (handled is not None or abandoned is not None):
            total = (handled or 0.0) + (abandoned or 0.0)
            if total > offered + 1e-9:
                problems.append(
                    Problem(
                        i,
                        "handled",
                        f"handled + abandoned ({total:g}) exceeds offered ({offered:g})",
                    )
                )
        records.append((i, rec))
    if not records:
        problems.append(Problem(2, "interval_start", "no data rows"))
    return records


def _infer_minutes(
    starts: list[tuple[dt.datetime, int]], declared: int | None, problems: list[Problem]
) -> int | None:
    """Interval length: the declared one, else the smallest gap between starts of a day."""
    if declared is not None:
        return declared
    gaps: Counter[int] = Counter()
    first_row_of_gap: dict[int, int] = {}
    for (a, _), (b, row_b) in zip(starts, starts[1:], strict=False):
        if a.date() == b.date() and b > a:
            minutes = (b - a).total_seconds() / 60
            if minutes == int(minutes):
                gaps[int(minutes)] += 1
                first_row_of_gap.setdefault(int(minutes), row_b)
    if not gaps:
        row = starts[0][1] if starts else 2
        problems.append(
            Problem(row, "interval_start", "cannot infer the interval length (one interval a day)")
        )
        return None
    # The most common gap is the interval; smaller gaps are overlaps reported below.
    return max(gaps.items(), key=lambda kv: (kv[1], -kv[0]))[0]


def _check_length(minutes: int, row: int, problems: list[Problem]) -> bool:
    if not MIN_INTERVAL_MINUTES <= minutes <= MAX_INTERVAL_MINUTES:
        problems.append(
            Problem(row, "interval_minutes", f"interval length {minutes} min is outside 5-60 min")
        )
        return False
    if MINUTES_PER_DAY % minutes:
        problems.append(
            Problem(row, "interval_minutes", f"interval length {minutes} min does not divide a day")
        )
        return False
    return True


def _check_grid(
    starts: list[tuple[dt.datetime, int]], minutes: int, problems: list[Problem]
) -> None:
    """Duplicates, overlaps, and starts off the grid (a sign of mixed interval lengths)."""
    step = dt.timedelta(minutes=minutes)
    offsets = Counter((s.hour * 60 + s.minute) % minutes + s.second / 60 for s, _ in starts)
    grid_offset = offsets.most_common(1)[0][0]
    prev: tuple[dt.datetime, int] | None = None
    for start, row in starts:
        offset = (start.hour * 60 + start.minute) % minutes + start.second / 60
        if prev is not None and start == prev[0]:
            problems.append(
                Problem(
                    row,
                    "interval_start",
                    f"duplicate interval {start:%Y-%m-%d %H:%M} (also row {prev[1]})",
                )
            )
            continue
        if prev is not None and start < prev[0] + step:
            problems.append(
                Problem(
                    row,
                    "interval_start",
                    f"interval {start:%Y-%m-%d %H:%M} overlaps the {minutes}-min interval "
                    f"starting {prev[0]:%H:%M} (row {prev[1]}); mixed interval lengths?",
                )
            )
        elif offset != grid_offset:
            problems.append(
                Problem(
                    row,
                    "interval_start",
                    f"{start:%H:%M:%S} is off the {minutes}-min grid; mixed interval lengths?",
                )
            )
        prev = (start, row)


def _check_days(
    starts: list[tuple[dt.datetime, int]], minutes: int, problems: list[Problem]
) -> None:
    """A day whose starts are all k*minutes apart (k > 1) was exported at another length.

    Sparse exports that skip empty intervals have irregular gaps, so only a regular pattern
    over at least 4 intervals counts as a different interval length.
    """
    by_day: dict[dt.date, list[tuple[dt.datetime, int]]] = {}
    for start, row in starts:
        by_day.setdefault(start.date(), []).append((start, row))
    for day_starts in by_day.values():
        if len(day_starts) < 4:
            continue
        gaps = {
            round((b - a).total_seconds() / 60)
            for (a, _), (b, _) in zip(day_starts, day_starts[1:], strict=False)
        }
        if len(gaps) == 1 and (gap := gaps.pop()) > minutes:
            problems.append(
                Problem(
                    day_starts[0][1],
                    "interval_start",
                    f"mixed interval lengths: {day_starts[0][0]:%Y-%m-%d} uses {gap}-min "
                    f"intervals, the rest of the file {minutes}-min",
                )
            )


def _check_declared(
    records: list[tuple[int, dict[str, Any]]], problems: list[Problem]
) -> int | None:
    values: list[tuple[int, float]] = [
        (row, float(rec["interval_minutes"]))
        for row, rec in records
        if rec.get("interval_minutes") is not None
    ]
    if not values:
        return None
    common = Counter(v for _, v in values).most_common(1)[0][0]
    for row, v in values:
        if v != common:
            problems.append(
                Problem(row, "interval_minutes", f"mixed interval lengths ({v:g} vs {common:g})")
            )
        elif v != int(v):
            problems.append(Problem(row, "interval_minutes", f"not whole minutes ({v:g})"))
    # A fractional length is reported above; inference from the starts then decides.
    return int(common) if common == int(common) else None


# --------------------------------------------------------------------------------------------
# Public API


def parse_rows(
    rows: list[list[Any]], source: str = "<rows>", interval_minutes: int | None = None
) -> ParsedCalls:
    """Validate raw rows (row 0 = header) of an interval export; raise CallFileError."""
    problems: list[Problem] = []
    if not rows or all(_is_blank(c) for c in rows[0]):
        raise CallFileError([Problem(1, "header", "empty file or missing header row")], source)
    lay = _layout(rows[0], problems)
    if lay is None:
        raise CallFileError(problems, source)
    records = _parse_rows(rows, lay, problems)
    declared = interval_minutes or _check_declared(records, problems)
    starts = sorted(
        ((rec["interval_start"], row) for row, rec in records if rec["interval_start"]),
        key=lambda t: (t[0], t[1]),
    )
    minutes = _infer_minutes(starts, declared, problems) if starts else None
    if minutes is not None:
        first_row = starts[1][1] if len(starts) > 1 else starts[0][1]
        if _check_length(minutes, first_row, problems):
            _check_grid(starts, minutes, problems)
            _check_days(starts, minutes, problems)
    if problems or minutes is None:
        raise CallFileError(problems, source)
    return ParsedCalls(
        frame=_to_frame(records, minutes),
        interval_minutes=minutes,
        source=source,
        columns={name: lay.headers[idx] for name, idx in lay.fields.items()},
        has_handled="handled" in lay.fields,
        has_abandoned="abandoned" in lay.fields,
        has_aht="aht_seconds" in lay.fields,
    )


def _to_frame(records: list[tuple[int, dict[str, Any]]], minutes: int) -> pd.DataFrame:
    def column(name: str) -> np.ndarray:
        return np.array(
            [np.nan if rec.get(name) is None else rec[name] for _, rec in records], dtype=float
        )

    frame = pd.DataFrame(
        {
            "interval_start": pd.to_datetime([rec["interval_start"] for _, rec in records]),
            "interval_minutes": np.full(len(records), minutes, dtype=int),
            "offered": column("offered"),
            "handled": column("handled"),
            "abandoned": column("abandoned"),
            "aht_seconds": column("aht_seconds"),
        }
    )
    return frame.sort_values("interval_start", kind="stable").reset_index(drop=True)


def parse_call_file(
    path: str | Path, *, sheet: str | int | None = None, interval_minutes: int | None = None
) -> ParsedCalls:
    """Read and validate a CSV or .xlsx interval export.

    Returns a ParsedCalls whose `frame` has columns interval_start (naive local datetime),
    interval_minutes, offered, handled, abandoned, aht_seconds (NaN where absent).
    Raises CallFileError listing every problem (row, field, message) otherwise.
    """
    p = Path(path)
    try:
        rows = read_rows(p, sheet)
    except Exception as exc:  # any unreadable file (bad zip, encoding, sheet) is one problem
        raise CallFileError([Problem(1, "file", f"cannot read {p.name}: {exc}")], str(p)) from exc
    return parse_rows(rows, source=str(p), interval_minutes=interval_minutes)
