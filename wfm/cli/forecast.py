"""`wfm forecast backtest` and `wfm validate-queueing`: forecast accuracy and Erlang checks.

`forecast_app` is the `wfm forecast` sub-app; the database-backed `forecast run` command is
added to it by the forecast service's CLI module.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer

from wfm.calls.formats import FORMATS, detect_format, load_calls
from wfm.calls.parse import CallFileError
from wfm.cli.common import fail, print_json

forecast_app = typer.Typer(
    help="Forecast offered calls and AHT per interval; measure forecast accuracy.",
    no_args_is_help=True,
)

# Default calendars of the real data sets: the US bank and the Israeli bank.
_FORMAT_COUNTRY = {"us_bank_2003": "US", "israel_6min": "IL", "israel_calls": "IL"}


def _load(history: Path, fmt: str) -> tuple[pd.DataFrame, str]:
    if not history.is_file():
        fail(f"history file not found: {history}")
    if fmt != "auto" and fmt not in FORMATS:
        fail(f"unknown --format {fmt!r}; choose auto or one of {', '.join(FORMATS)}")
    name = detect_format(history) if fmt == "auto" else fmt
    try:
        return load_calls(history, name), name
    except CallFileError as exc:
        fail(str(exc))
    except (ValueError, KeyError) as exc:
        fail(f"cannot read {history} as {name}: {exc}")


@forecast_app.command("backtest")
def backtest_command(
    history: Annotated[Path, typer.Option("--history", help="Call history file (CSV/xlsx).")],
    test_from: Annotated[str, typer.Option("--test-from", help="First test day, YYYY-MM-DD.")],
    fmt: Annotated[
        str, typer.Option("--format", help=f"auto or one of: {', '.join(FORMATS)}")
    ] = "auto",
    country: Annotated[
        str | None,
        typer.Option(help="Holiday calendar (CN, IL, US...); default by format, else CN."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """WAPE and MAPE of the forecast vs seasonal naive, re-fitted week by week."""
    from wfm.forecast.backtest import backtest

    try:
        start = dt.date.fromisoformat(test_from)
    except ValueError:
        fail(f"--test-from must be a date YYYY-MM-DD, got {test_from!r}")
    frame, name = _load(history, fmt)
    calendar = country or _FORMAT_COUNTRY.get(name, "CN")
    try:
        result = backtest(frame, start, calendar=calendar)
    except ValueError as exc:
        fail(str(exc))
    result = {"format": name, "calendar": calendar, **result}
    if as_json:
        print_json(result)
        return
    typer.echo(
        f"{history.name} ({name}, calendar {calendar}): test {result['test_from']} .. "
        f"{result['test_to']}, {result['days']} days, {result['intervals']} intervals, "
        f"{result['refits']} weekly re-fits"
    )
    typer.echo(f"{'':16}{'WAPE':>8}{'MAPE*':>8}")
    for label, key in (("model", "model"), ("seasonal naive", "seasonal_naive")):
        scores = result[key]
        typer.echo(f"{label:16}{scores['wape']:8.1%}{scores['mape']:8.1%}")
    typer.echo("* MAPE over intervals with actual > 0")


def _validate_command(
    file: Annotated[Path, typer.Argument(help="Call-by-call file (Technion format).")],
    interval_minutes: Annotated[int, typer.Option(help="Interval length, 5-60 min.")] = 30,
    threshold_seconds: Annotated[float, typer.Option(help="Service level threshold T (s).")] = 20,
    estimator: Annotated[
        str, typer.Option(help="Agents on duty: distinct (servers) or busy (busy/0.9).")
    ] = "distinct",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Compare Erlang C and Erlang A with observed waits, abandonment and service level."""
    from wfm.queueing_validation import validate_queueing_with_summary

    if not file.is_file():
        fail(f"file not found: {file}")
    if detect_format(file) != "israel_calls":
        fail(f"{file}: not a call-by-call file (expected the Technion 'vru+line ...' header)")
    try:
        table, summary = validate_queueing_with_summary(
            file, interval_minutes, threshold_seconds, estimator
        )
    except (ValueError, KeyError) as exc:
        fail(str(exc))
    if as_json:
        data: dict[str, Any] = {"summary": summary, "table": table.to_dict(orient="records")}
        print_json(data)
        return
    with pd.option_context("display.width", 250, "display.max_columns", 40):
        typer.echo(table.round(3).to_string(index=False))
    overall = summary["overall"]
    typer.echo(
        f"\n{summary['calls']} calls, {summary['days']} days, {summary['cells']} cells; "
        f"agents = {summary['agent_estimator']}; SL threshold {threshold_seconds:g} s"
    )
    typer.echo(
        "overall  abandon obs {obs_abandon:.3f} A {a_abandon:.3f} | wait obs {obs_wait:.3f} "
        "C {c_wait:.3f} A {a_wait:.3f} | SL obs {obs_sl:.3f} C {c_sl:.3f} A {a_sl:.3f}".format(
            **overall
        )
    )


def register(app: typer.Typer) -> None:
    """Add `forecast` (sub-app) and `validate-queueing` to the `wfm` app."""
    app.add_typer(forecast_app, name="forecast")
    app.command("validate-queueing")(_validate_command)
