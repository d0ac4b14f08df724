"""`wfm roster ...`: the roster solver from the command line.

`solve-file` solves a problem file (docs/problem-format.md) without a database. The
database-backed commands (solve, publish, export) are added to `roster_app` by
`wfm.cli.roster_db`.
"""

from __future__ import annotations

import json
from pathlib import Path

import typer

from solver.solution import RosterSolution

roster_app = typer.Typer(
    help="Build rosters: solve a problem file, or (with a database) solve, publish and export.",
    no_args_is_help=True,
)


def _bar(elapsed: float, limit: float, width: int = 24) -> str:
    done = min(width, int(width * elapsed / limit)) if limit > 0 else width
    return "[" + "#" * done + "." * (width - done) + "]"


@roster_app.command("solve-file")
def solve_file(
    problem_file: Path = typer.Argument(..., help="Roster problem, JSON (docs/problem-format.md)."),
    time_limit: float = typer.Option(60.0, "--time-limit", min=0.5, help="Seconds to search."),
    out: Path | None = typer.Option(None, "--out", help="Write the solution JSON here."),
    workers: int = typer.Option(2, "--workers", min=1, help="CP-SAT worker threads."),
    as_json: bool = typer.Option(False, "--json", help="Print the solution as JSON."),
) -> None:
    """Solve a roster problem file and show progress (objective and proven bound)."""
    from solver import solve
    from solver.io import ProblemFileError, load_problem, save_json, solution_to_json
    from solver.progress import ProgressEvent

    try:
        problem = load_problem(problem_file)
    except ProblemFileError as err:
        typer.secho(f"error: {err}", fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from None

    def show(e: ProgressEvent) -> None:
        obj = f"{e.objective:,.0f}" if e.objective is not None else "-"
        bound = f"{e.bound:,.0f}" if e.bound is not None else "-"
        gap = f"{100 * e.gap:.1f}%" if e.gap is not None else "-"
        typer.echo(
            f"\r{_bar(e.elapsed_s, time_limit)} {e.elapsed_s:6.1f}s {e.phase:<12} "
            f"objective {obj}  bound {bound}  gap {gap}",
            err=True,
        )

    sol = solve(problem, time_limit_s=time_limit, workers=workers, progress=show)
    data = solution_to_json(sol)
    if out is not None:
        save_json(data, out)
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=1))
    else:
        _summary(sol)
    if not sol.feasible:
        raise typer.Exit(1)


def _summary(sol: RosterSolution) -> None:
    gap = f"{100 * sol.gap:.2f} %" if sol.gap is not None else "n/a"
    typer.echo(f"status {sol.status}  objective {sol.objective}  bound {sol.bound}  gap {gap}")
    if sol.infeasibility:
        for line in sol.infeasibility:
            typer.echo(line)
        return
    typer.echo(f"{len(sol.assignments)} shifts; cost by rule: {sol.penalty_by_rule()}")
    for line in sol.explain()[:20]:
        typer.echo(f"  {line}")
    if len(sol.explain()) > 20:
        typer.echo(f"  ... {len(sol.explain()) - 20} more (see --out / --json)")
