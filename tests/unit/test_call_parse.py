"""Parsing and validation of ACD interval exports: good files load, broken files name the row."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wfm.calls import CallFileError, parse_call_file
from wfm.calls.parse import parse_rows

DAY = dt.datetime(2025, 3, 3)
LENGTHS = [5, 6, 10, 15, 20, 30, 60]


def _rows(minutes: int, n: int, header: list[str] | None = None) -> list[list[object]]:
    header = header or ["interval_start", "offered", "handled", "abandoned", "aht_seconds"]
    rows: list[list[object]] = [list(header)]
    for i in range(n):
        start = DAY + dt.timedelta(minutes=minutes * i)
        rows.append([start.strftime("%Y-%m-%d %H:%M"), 10 + i, 8, 1, 240.5])
    return rows


def _write_csv(path: Path, rows: list[list[object]], delimiter: str = ",") -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, delimiter=delimiter).writerows(rows)
    return path


@pytest.mark.parametrize("minutes", LENGTHS)
def test_good_csv_any_interval_length(tmp_path: Path, minutes: int) -> None:
    parsed = parse_call_file(_write_csv(tmp_path / "calls.csv", _rows(minutes, 12)))
    frame = parsed.frame
    assert parsed.interval_minutes == minutes
    assert list(frame.columns) == [
        "interval_start",
        "interval_minutes",
        "offered",
        "handled",
        "abandoned",
        "aht_seconds",
    ]
    assert len(frame) == 12
    assert frame["offered"].tolist() == [10.0 + i for i in range(12)]
    assert (frame["interval_minutes"] == minutes).all()
    assert frame["interval_start"].dt.tz is None
    assert parsed.has_handled and parsed.has_abandoned and parsed.has_aht


def test_header_spellings_date_time_columns_and_optional_fields(tmp_path: Path) -> None:
    rows: list[list[object]] = [["Date", "Time", "Calls", "Avg Handle Time"]]
    for i in range(4):
        rows.append(["2025-03-03", f"{8 + i // 2:02d}:{30 * (i % 2):02d}", 5, "3:20"])
    parsed = parse_call_file(_write_csv(tmp_path / "x.csv", rows, delimiter=";"))
    assert parsed.interval_minutes == 30
    assert parsed.frame["aht_seconds"].tolist() == [200.0] * 4
    assert parsed.frame["handled"].isna().all() and parsed.frame["abandoned"].isna().all()
    assert not parsed.has_handled


def test_z_suffix_is_local_time_and_rows_are_sorted(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["DateTime", "offered_calls"],
        ["2003-03-03T07:05:00Z", 2],
        ["2003-03-03T07:00:00Z", 1],
    ]
    frame = parse_call_file(_write_csv(tmp_path / "z.csv", rows)).frame
    assert frame["interval_start"].iloc[0] == dt.datetime(2003, 3, 3, 7, 0)
    assert frame["offered"].tolist() == [1.0, 2.0]


def test_good_xlsx_with_excel_datetimes(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Start", "Offered", "Answered", "Abandoned", "AHT"])
    for i in range(8):
        ws.append([DAY + dt.timedelta(minutes=15 * i), 20, 18, 2, 300])
    path = tmp_path / "calls.xlsx"
    wb.save(path)
    parsed = parse_call_file(path)
    assert parsed.interval_minutes == 15
    assert len(parsed.frame) == 8
    assert parsed.frame["handled"].sum() == 8 * 18


def test_xlsx_error_names_row(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["date", "time", "offered"])
    for i in range(4):
        ws.append([DAY.date(), dt.time(9, 15 * i), "x" if i == 2 else 3])
    path = tmp_path / "bad.xlsx"
    wb.save(path)
    with pytest.raises(CallFileError) as err:
        parse_call_file(path)
    assert [(p.row, p.field) for p in err.value.problems] == [(4, "offered")]
    assert "row 4, offered: not a number ('x')" in str(err.value)


def test_every_problem_is_collected(tmp_path: Path) -> None:
    rows = _rows(15, 8)
    rows[2][1] = "x"  # row 3
    rows[3][1] = -4  # row 4
    rows[4][0] = "not a time"  # row 5
    rows[5][2] = 50  # row 6: handled + abandoned > offered
    rows[7][0] = rows[6][0]  # row 8 duplicates row 7
    with pytest.raises(CallFileError) as err:
        parse_call_file(_write_csv(tmp_path / "bad.csv", rows))
    found = {(p.row, p.field) for p in err.value.problems}
    assert {(3, "offered"), (4, "offered"), (5, "interval_start"), (6, "handled")} <= found
    assert (8, "interval_start") in found
    assert "row 3, offered: not a number ('x')" in str(err.value)


def test_missing_columns_are_reported_on_the_header(tmp_path: Path) -> None:
    with pytest.raises(CallFileError) as err:
        parse_call_file(_write_csv(tmp_path / "h.csv", [["when", "handled"], ["x", 1]]))
    assert {(p.row, p.field) for p in err.value.problems} == {
        (1, "interval_start"),
        (1, "offered"),
    }


@pytest.mark.parametrize("minutes", [2, 7, 90])
def test_interval_length_out_of_range_or_not_dividing_the_day(tmp_path: Path, minutes: int) -> None:
    with pytest.raises(CallFileError, match="interval length"):
        parse_call_file(_write_csv(tmp_path / "l.csv", _rows(minutes, 5)))


def test_mixed_interval_lengths_are_refused(tmp_path: Path) -> None:
    rows = _rows(15, 8)
    for i in range(8):  # a second day exported at 30 minutes
        start = DAY + dt.timedelta(days=1, minutes=30 * i)
        rows.append([start.strftime("%Y-%m-%d %H:%M"), 5, 4, 1, 100])
    with pytest.raises(CallFileError, match="mixed interval lengths") as err:
        parse_call_file(_write_csv(tmp_path / "m.csv", rows))
    assert err.value.problems[0].row == 10


def test_overlapping_interval_is_refused(tmp_path: Path) -> None:
    rows = _rows(30, 6)
    rows[4][0] = (DAY + dt.timedelta(minutes=70)).strftime("%Y-%m-%d %H:%M")  # off the grid
    with pytest.raises(CallFileError) as err:
        parse_call_file(_write_csv(tmp_path / "o.csv", rows))
    assert 5 in {p.row for p in err.value.problems}


def test_unreadable_file_is_one_problem(tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"not a zip")
    with pytest.raises(CallFileError, match="cannot read"):
        parse_call_file(path)


# ----------------------------------------------------------------------------------------------
# Property-based: a good file with one corrupted row is refused, naming that row.

CORRUPTIONS = [
    "text_count",
    "negative",
    "bad_time",
    "too_many_handled",
    "duplicate",
    "blank_offered",
]


@st.composite
def broken_files(draw: st.DrawFn) -> tuple[list[list[object]], str, int, set[int]]:
    minutes = draw(st.sampled_from(LENGTHS))
    n = draw(st.integers(min_value=3, max_value=40))
    rows = _rows(minutes, n)
    for r in rows[1:]:
        r[1] = draw(st.integers(min_value=10, max_value=500))
        r[2] = draw(st.integers(min_value=0, max_value=5))
        r[3] = draw(st.integers(min_value=0, max_value=5))
    kind = draw(st.sampled_from(CORRUPTIONS))
    k = draw(st.integers(min_value=1, max_value=n))  # data row index; file row = k + 1
    row = rows[k]
    expected = {k + 1}
    if kind == "text_count":
        row[draw(st.sampled_from([1, 2, 3]))] = draw(st.sampled_from(["x", "12a", "n/a", "1e"]))
    elif kind == "negative":
        row[draw(st.sampled_from([1, 2, 3]))] = -draw(st.integers(min_value=1, max_value=99))
    elif kind == "bad_time":
        row[0] = draw(st.sampled_from(["2025-13-01 08:00", "yesterday", "08:00 tomorrow", "--"]))
    elif kind == "too_many_handled":
        row[2] = int(str(row[1])) + 1
    elif kind == "duplicate":
        j = draw(st.integers(min_value=1, max_value=n).filter(lambda j: j != k))
        row[0] = rows[j][0]
        expected = {k + 1, j + 1}
    elif kind == "blank_offered":
        row[1] = ""
    return rows, kind, k + 1, expected


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(case=broken_files())
def test_broken_file_is_refused_and_names_the_row(
    tmp_path: Path, case: tuple[list[list[object]], str, int, set[int]]
) -> None:
    rows, kind, _, expected = case
    path = _write_csv(tmp_path / "broken.csv", rows)
    with pytest.raises(CallFileError) as err:
        parse_call_file(path)
    rows_named = {p.row for p in err.value.problems}
    assert rows_named & expected, (kind, rows_named, expected)
    for p in err.value.problems:
        assert f"row {p.row}, {p.field}:" in str(err.value)


@settings(max_examples=60, deadline=None)
@given(
    minutes=st.sampled_from(LENGTHS),
    counts=st.lists(st.integers(min_value=0, max_value=10_000), min_size=2, max_size=60),
)
def test_good_rows_round_trip(minutes: int, counts: list[int]) -> None:
    rows: list[list[object]] = [["interval_start", "calls"]]
    for i, c in enumerate(counts):
        rows.append([(DAY + dt.timedelta(minutes=minutes * i)).isoformat(), c])
    parsed = parse_rows(rows)
    assert parsed.interval_minutes == minutes
    np.testing.assert_array_equal(parsed.frame["offered"].to_numpy(), np.array(counts, float))
