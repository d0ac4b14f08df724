"""`roster curtois`: solve one Curtois & Qu benchmark instance and write the roster as CSV."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Annotated

import typer

from solver.curtois.instance import InstanceFormatError, load_instance
from solver.curtois.search import CurtoisResult, solve_instance


def best_known_for(instance_file: Path) -> int | None:
    """Best known objective from a best_known.csv beside the instance file, if there is one."""
    table = instance_file.parent / "best_known.csv"
    if not table.is_file():
        return None
    try:
        with table.open(newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                if row.get("instance") == instance_file.stem:
                    return int(row["best_known_ub"])
    except (OSError, KeyError, ValueError):
        return None  # the table is optional context, never a reason to fail a solve
    return None


def write_roster_csv(result: CurtoisResult, path: Path) -> None:
    """One row `employee,day,shift` per worked day."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["employee", "day", "shift"])
        for employee, days in result.roster.items():
            for day in sorted(days):
                writer.writerow([employee, day, days[day]])


def _summary(result: CurtoisResult, best_known: int | None) -> dict[str, object]:
    gap_bk = None
    if best_known is not None and result.objective is not None:
        gap_bk = 100.0 * (result.objective - best_known) / best_known
    return {
        "instance": result.instance,
        "status": result.status,
        "objective": result.objective,
        "best_known": best_known,
        "gap_to_best_known_pct": gap_bk,
        "bound": result.bound,
        "gap_pct": None if result.gap is None else 100.0 * result.gap,
        "time_to_first_s": result.time_to_first_s,
        "feasible": result.objective is not None and not result.violations,
    }


def curtois(
    file: Annotated[Path, typer.Argument(help="Instance file in the Curtois & Qu text format.")],
    time_limit: Annotated[float, typer.Option("--time-limit", help="Seconds.")] = 60.0,
    solution_out: Annotated[
        Path | None, typer.Option("--solution-out", help="CSV employee,day,shift.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON summary.")] = False,
    workers: Annotated[int, typer.Option("--workers", min=1, help="CP-SAT workers.")] = 2,
    seed: Annotated[int, typer.Option("--seed", help="Random seed.")] = 0,
) -> None:
    """Solve a Curtois & Qu shift-scheduling instance."""
    try:
        inst = load_instance(file)
    except InstanceFormatError as exc:
        typer.echo(f"error: bad instance file: {exc}", err=True)
        raise typer.Exit(code=2) from exc

    def progress(elapsed: float, objective: int, bound: int) -> None:
        if not as_json:
            typer.echo(f"  {elapsed:7.1f}s  objective {objective}  bound {bound}")

    result = solve_instance(inst, time_limit, workers=workers, seed=seed, progress=progress)
    summary = _summary(result, best_known_for(file))
    if solution_out is not None and result.objective is not None:
        write_roster_csv(result, solution_out)
    if as_json:
        typer.echo(json.dumps(summary))
    else:
        for key, value in summary.items():
            typer.echo(f"{key}: {value if not isinstance(value, float) else round(value, 3)}")
    if result.objective is None:
        typer.echo("error: no feasible roster found within the time limit", err=True)
        raise typer.Exit(code=1)


def register(roster_app: typer.Typer) -> None:
    roster_app.command("curtois")(curtois)
