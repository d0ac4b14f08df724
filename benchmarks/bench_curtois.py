"""Run the solver on the Curtois & Qu instances and print a results table.

python benchmarks/bench_curtois.py --time-limit 60 --instances 1 2 3 --workers 2
python benchmarks/bench_curtois.py --plain --time-limit 60 --instances 1 5 10   # baseline
python benchmarks/bench_curtois.py --only 5,8,9 --time-limit 60

`--plain` runs the one-piece CP-SAT model (all employees, all days, no hint, CP-SAT's own
portfolio search with `--workers` workers), checked by the same evaluator, for comparison.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from solver.curtois.instance import load_instance
from solver.curtois.search import CurtoisResult, solve_instance, solve_plain
from wfm.cli.roster_curtois import best_known_for, write_roster_csv

DEFAULT_DATA = Path("/work/shared/benchmarks/curtois")
HEADER = (
    f"{'instance':<11}{'objective':>10}{'best':>8}{'gap_bk%':>9}{'bound':>8}"
    f"{'gap%':>8}{'first_s':>9}{'status':>10}"
)


def _row(name: str, result: CurtoisResult, best: int | None) -> str:
    obj = "-" if result.objective is None else str(result.objective)
    gap_bk = "-"
    if best is not None and result.objective is not None:
        gap_bk = f"{100.0 * (result.objective - best) / best:.1f}"
    gap = "-" if result.gap is None else f"{100.0 * result.gap:.1f}"
    first = "-" if result.time_to_first_s is None else f"{result.time_to_first_s:.1f}"
    return (
        f"{name:<11}{obj:>10}{best if best is not None else '-':>8}{gap_bk:>9}"
        f"{result.bound:>8}{gap:>8}{first:>9}{result.status:>10}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--instances", type=int, nargs="*", default=list(range(1, 25)))
    parser.add_argument("--only", type=str, default=None, help="comma list, e.g. 5,8,9")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--plain", action="store_true", help="one-piece CP-SAT model baseline")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=Path("/tmp/curtois_rosters"))
    args = parser.parse_args(argv)
    if args.only:
        args.instances = [int(n) for n in args.only.split(",") if n.strip()]
    print(("plain one-piece CP-SAT model\n" if args.plain else "") + HEADER, flush=True)
    for number in args.instances:
        path = args.data / f"Instance{number}.txt"
        inst = load_instance(path)
        solve = solve_plain if args.plain else solve_instance
        result = solve(inst, args.time_limit, workers=args.workers, seed=args.seed)
        if result.objective is not None:
            write_roster_csv(result, args.out / f"{inst.name}.csv")
        print(_row(inst.name, result, best_known_for(path)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
