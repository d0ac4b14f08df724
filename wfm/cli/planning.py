"""`wfm forecast run` and `wfm requirements`: the database side of forecasting and staffing."""

from __future__ import annotations

from datetime import date

import typer

from wfm.cli.common import fail, print_json, session_factory
from wfm.services.errors import RuleViolation, ServiceError


def register(app: typer.Typer) -> None:
    from wfm.cli.forecast import forecast_app

    forecast_app.command("run")(forecast_run)
    app.command("requirements")(requirements_command)


def _date(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        fail(f"{option}: expected YYYY-MM-DD, got {text!r}")


def forecast_run(
    queue: str = typer.Option(..., "--queue", help="Queue whose history to forecast"),
    start: str = typer.Option(..., "--from", help="First day to forecast (YYYY-MM-DD)"),
    days: int = typer.Option(42, "--days", help="Number of days to forecast"),
    history_weeks: int = typer.Option(12, "--history-weeks", help="Weeks of history to fit on"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Fit the forecast on the queue's stored history and store calls and AHT per interval."""
    from wfm.services.planning import run_forecast

    first = _date(start, "--from")
    try:
        summary = run_forecast(
            session_factory(),
            queue,
            first,
            days,
            history_weeks=history_weeks,
            progress=lambda m: typer.echo(m, err=True),
        )
    except (ServiceError, RuleViolation, ValueError) as err:
        fail(str(err))
    if as_json:
        print_json(summary.__dict__)
    else:
        typer.echo(
            f"forecast {summary.forecast_id} for {queue}: "
            f"{summary.intervals} intervals from {first}, "
            f"{summary.total_calls:,.0f} calls (fitted on {summary.history_days} days)"
        )


def requirements_command(
    queue: str = typer.Option(..., "--queue", help="Queue to staff"),
    start: str = typer.Option(..., "--from", help="First day (YYYY-MM-DD)"),
    end: str = typer.Option(..., "--to", help="Last day, inclusive (YYYY-MM-DD)"),
    model: str = typer.Option("erlang-c", "--model", help="erlang-c or erlang-a"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Store agents required per interval from the stored forecast (policy targets, shrinkage)."""
    from wfm.services.planning import compute_requirements

    try:
        s = compute_requirements(
            session_factory(), queue, _date(start, "--from"), _date(end, "--to"), model=model
        )
    except (ServiceError, RuleViolation, ValueError) as err:
        fail(str(err))
    if as_json:
        print_json(s.__dict__)
    else:
        typer.echo(
            f"{s.queue} {s.start}..{s.end} ({s.model}): {s.intervals} intervals stored, "
            f"peak {s.peak_agents} "
            f"agents, {s.agent_hours:,.0f} agent-hours; S3 headcount check {s.s3_headcount:.1f}"
        )
