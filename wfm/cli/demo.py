"""`wfm demo`: build the demo centre and open the dashboards."""

from __future__ import annotations

from datetime import date

import typer

from wfm.cli.common import engine, fail
from wfm.config import database_url


def register(app: typer.Typer) -> None:
    app.command("demo")(demo_command)


def demo_command(
    seed: int = typer.Option(7, "--seed", help="Random seed: the same seed builds the same centre"),
    today: str = typer.Option(
        "", "--today", help="Pretend today is this date (YYYY-MM-DD); default: today"
    ),
    teams: int = typer.Option(4, "--teams", min=1, max=4, help="Number of teams (1-4)"),
    time_limit: float = typer.Option(
        20.0, "--time-limit", min=1.0, help="Solver seconds per team roster"
    ),
    reset: bool = typer.Option(
        False, "--reset", help="Delete the data already in the database first"
    ),
    no_serve: bool = typer.Option(
        False, "--no-serve", help="Stop after building; do not start the dashboards"
    ),
    port: int = typer.Option(8501, "--port", help="Dashboard port"),
) -> None:
    """Build a realistic demo centre: teams, call history, forecast, staffing, rosters, requests."""
    from wfm.demo.build import DemoExists, build_demo

    try:
        day = date.fromisoformat(today) if today else None
    except ValueError:
        fail(f"--today: expected YYYY-MM-DD, got {today!r}")
    typer.echo(f"building the demo centre in {database_url()} (seed {seed})")
    try:
        result = build_demo(
            engine(),
            seed=seed,
            today=day,
            teams=teams,
            roster_time_limit=time_limit,
            reset=reset,
            say=typer.echo,
        )
    except DemoExists as err:
        fail(str(err))
    typer.echo("")
    typer.echo(
        f"Demo logins (password for all: {result.password}) / 演示账号(统一密码 {result.password}):"
    )
    for role, username in result.logins.items():
        typer.echo(f"  {role:<20} {username}")
    for line in result.notes:  # the roster lines were printed as each was solved
        typer.echo(line)
    if no_serve:
        return
    from wfm.cli.serve import serve_dashboards

    serve_dashboards(port=port, host="127.0.0.1")
