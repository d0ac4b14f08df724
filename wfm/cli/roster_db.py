"""`wfm roster solve|publish|list|export`: team rosters in the database.

The CLI acts as a named user (`--as`, default: the first admin) so the services' permission
checks and audit trail apply to it exactly as to the dashboards.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import typer
from sqlalchemy import select

from solver.progress import ProgressEvent
from wfm.cli.common import fail, print_json, session_factory
from wfm.services.errors import USER_ERRORS, RuleViolation, ServiceError
from wfm.timeutil import parse_month


def register(app: typer.Typer) -> None:
    from wfm.cli.roster import roster_app
    from wfm.cli.roster_curtois import register as register_curtois

    roster_app.command("solve")(solve_command)
    roster_app.command("publish")(publish_command)
    roster_app.command("repair")(repair_command)
    roster_app.command("list")(list_command)
    roster_app.command("export")(export_command)
    register_curtois(roster_app)
    app.add_typer(roster_app, name="roster")


def _actor(username: str | None) -> int:
    from wfm.models import Person, Role

    with session_factory()() as s:
        q = select(Person.id).where(Person.active.is_(True))
        q = (
            q.where(Person.username == username)
            if username
            else q.where(Person.role == Role.ADMIN).order_by(Person.id)
        )
        pid = s.scalar(q.limit(1))
    if pid is None:
        fail(
            f"--as: no active user {username!r}"
            if username
            else "--as: no admin user; create one with `wfm user create`"
        )
    return pid


def _month_actor_team(month: str, as_user: str | None, team: str) -> tuple[date, int, int]:
    """The --month, --as and --team options resolved, or a clear error naming the option."""
    try:
        first = parse_month(month)
    except ValueError as err:
        fail(f"--{err}")
    return first, _actor(as_user), _team_id(team)


def _team_id(team: str) -> int:
    from wfm.models import Team

    with session_factory()() as s:
        tid = s.scalar(select(Team.id).where((Team.name == team) | (Team.name_zh == team)))
    if tid is None:
        fail(f"--team: no team named {team!r}")
    return tid


def solve_command(
    team: str = typer.Option(..., "--team", help="Team name (English or Chinese)"),
    month: str = typer.Option(..., "--month", help="YYYY-MM"),
    time_limit: float = typer.Option(30.0, "--time-limit", min=1.0, help="Solver seconds"),
    workers: int = typer.Option(2, "--workers", min=1, help="CP-SAT workers"),
    as_user: str = typer.Option(None, "--as", help="Act as this user (default: first admin)"),
    publish: bool = typer.Option(
        False, "--publish", help="Publish the draft if it breaks no hard rule"
    ),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Build the team's roster for the month and store it as a draft with its explanation."""
    from wfm.services.roster import publish_roster, solve_roster

    first, actor, team_id = _month_actor_team(month, as_user, team)
    with _progress_bar(time_limit) as on_progress:
        try:
            summary = solve_roster(
                session_factory(),
                actor,
                team_id,
                first,
                time_limit_s=time_limit,
                workers=workers,
                progress=on_progress,
            )
            if publish and summary.hard_violations == 0:
                summary = publish_roster(session_factory(), actor, summary.roster_id)
        except USER_ERRORS as err:
            fail(str(err))
    if as_json:
        print_json(summary.__dict__)
        return
    typer.echo(
        f"roster {summary.roster_id} ({summary.team} {summary.month:%Y-%m} v{summary.version}, "
        f"{summary.status}): {summary.solver_status}, objective {summary.objective}, "
        f"bound {summary.bound}, gap {_pct(summary.gap)}, {summary.solve_seconds or 0:.1f} s"
    )
    for e in summary.explanation[:30]:
        typer.echo(f"  {e['message']}")
    if len(summary.explanation) > 30:
        typer.echo(f"  ... and {len(summary.explanation) - 30} more")


def _pct(gap: float | None) -> str:
    return "n/a" if gap is None else f"{100 * gap:.2f} %"


class _progress_bar:  # noqa: N801 - used as a context manager like typer.progressbar
    """Objective and bound over time on stderr, one line per improvement."""

    def __init__(self, limit: float) -> None:
        self.limit = limit

    def __enter__(self) -> Callable[[ProgressEvent], None]:
        def show(event: ProgressEvent) -> None:
            t = event.elapsed_s
            filled = int(30 * min(t / self.limit, 1.0)) if self.limit > 0 else 30
            sys.stderr.write(
                f"\r[{'#' * filled}{'.' * (30 - filled)}] {t:5.1f}s "
                f"{event.phase} objective {event.objective} bound {event.bound}   "
            )
            sys.stderr.flush()

        return show

    def __exit__(self, *exc: object) -> None:
        sys.stderr.write("\n")


def repair_command(
    team: str = typer.Option(..., "--team", help="Team name (English or Chinese)"),
    month: str = typer.Option(..., "--month", help="YYYY-MM"),
    time_limit: float = typer.Option(30.0, "--time-limit", min=1.0, help="Solver seconds"),
    as_user: str = typer.Option(None, "--as", help="Act as this user (default: first admin)"),
) -> None:
    """Re-optimise the published roster for today's people, leave and requirement with as few
    changed assignments as possible (L8); the result is a draft listing every change."""
    from wfm.services.roster_repair import repair_roster

    first, actor, team_id = _month_actor_team(month, as_user, team)
    with _progress_bar(time_limit) as on_progress:
        try:
            s = repair_roster(
                session_factory(),
                actor,
                team_id,
                first,
                time_limit_s=time_limit,
                progress=on_progress,
            )
        except USER_ERRORS as err:
            fail(str(err))
    changes = [e for e in s.explanation if e.get("rule") == "L8"]
    typer.echo(
        f"draft roster {s.roster_id} (v{s.version}): {len(changes)} changed assignments; "
        f"objective {s.objective}, bound {s.bound}, gap {_pct(s.gap)}"
    )
    for e in changes:
        typer.echo(f"  {e['message']}")


def publish_command(
    roster_id: int = typer.Argument(..., help="Roster id (from `wfm roster list`)"),
    as_user: str = typer.Option(None, "--as", help="Act as this user (default: first admin)"),
) -> None:
    """Publish a draft roster (refused while it breaks a hard rule)."""
    from wfm.services.roster import publish_roster

    try:
        s = publish_roster(session_factory(), _actor(as_user), roster_id)
    except USER_ERRORS as err:
        fail(str(err))
    typer.echo(f"published roster {s.roster_id}: {s.team} {s.month:%Y-%m} v{s.version}")


def list_command(
    team: str = typer.Option(..., "--team"),
    month: str = typer.Option(None, "--month", help="YYYY-MM (default: all)"),
    as_user: str = typer.Option(None, "--as"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """List the team's roster versions."""
    from wfm.services.roster import list_rosters

    try:
        first = parse_month(month) if month else None
        rows = list_rosters(session_factory(), _actor(as_user), _team_id(team), first)
    except (ServiceError, RuleViolation, ValueError) as err:
        fail(str(err))
    if as_json:
        print_json([{k: v for k, v in r.__dict__.items() if k != "explanation"} for r in rows])
        return
    for r in rows:
        typer.echo(
            f"{r.roster_id:>5}  {r.month:%Y-%m} v{r.version:<3} {r.status:<11} "
            f"{r.solver_status:<9} "
            f"objective {r.objective}  gap {_pct(r.gap)}  hard violations {r.hard_violations}"
        )


def export_command(
    roster_id: int = typer.Argument(...),
    fmt: str = typer.Option("xlsx", "--format", help="xlsx, csv or ics"),
    out: Path = typer.Option(..., "--out", help="File to write"),
    person: str = typer.Option(None, "--person", help="Username (ics: whose shifts)"),
    as_user: str = typer.Option(None, "--as"),
) -> None:
    """Export a roster: Excel grid, CSV of assignments, or one agent's iCal file."""
    from wfm.services.roster import export_agent_ical, export_roster

    actor = _actor(as_user)
    try:
        if fmt == "ics":
            if not person:
                fail("--person: an iCal export is per person")
            name, data = export_agent_ical(session_factory(), actor, roster_id, _actor(person))
        else:
            name, data = export_roster(session_factory(), actor, roster_id, fmt)
    except USER_ERRORS as err:
        fail(str(err))
    out.write_bytes(data)
    typer.echo(f"wrote {out} ({len(data):,} bytes, {name})")
