"""Roster solver benchmark: seeded call-centre months at 50, 100, 250 and 500 agents.

    python benchmarks/bench_roster.py [--sizes 50,100,250,500] [--workers 2] [--seed 1]
    python benchmarks/bench_roster.py --demo    # one demo-sized team-month at 10 s and 30 s

A month (December 2026) of 30-minute intervals, 8-hour shifts every hour plus 10-hour ones,
a daily requirement curve with a night trough and weekly shape, ~10 % leave, preferences,
teams of ~22 (see `solver.generate`). Prints time to first roster, then objective, proven
bound and gap over time (the bound is the shift-count relaxation's proven optimum, or the
full model's CP-SAT bound when that is higher).
"""

from __future__ import annotations

import argparse
import time

from solver import solve
from solver.generate import call_centre_problem, demo_team_problem
from solver.progress import ProgressEvent

TIME_LIMITS = {50: 60.0, 100: 60.0, 250: 150.0, 500: 300.0}
CHECKPOINTS = (10.0, 30.0, 60.0, 150.0, 300.0)


def at(history: list[ProgressEvent], t: float) -> ProgressEvent | None:
    """The best state reached by time t."""
    seen = [e for e in history if e.elapsed_s <= t and e.objective is not None]
    return seen[-1] if seen else None


def run(n: int, workers: int, seed: int) -> list[str]:
    problem = call_centre_problem(n, seed=seed)
    limit = TIME_LIMITS.get(n, 60.0)
    t0 = time.monotonic()
    sol = solve(problem, time_limit_s=limit, workers=workers)
    wall = time.monotonic() - t0
    rows = []
    for t in (*[c for c in CHECKPOINTS if c < limit], wall):
        e = at(sol.history, t)
        if e is None:
            continue
        gap = f"{100 * e.gap:6.2f} %" if e.gap is not None else "   n/a"
        rows.append(
            f"  t={t:6.1f}s  objective={e.objective:>12,.0f}  bound={e.bound:>12,.0f}  gap={gap}"
        )
    first = f"{sol.first_solution_s:.1f}s" if sol.first_solution_s is not None else "n/a"
    final_gap = f"{100 * sol.gap:.2f} %" if sol.gap is not None else "n/a"
    head = (
        f"{n:4d} agents, {len(problem.teams())} teams, {len(problem.shift_types)} shift types, "
        f"{len(problem.days())} days: status {sol.status}, first roster {first}, "
        f"final objective {sol.objective:,} bound {sol.bound:,.0f} gap {final_gap} "
        f"({wall:.0f}s, hard violations {len(sol.hard)})"
    )
    by_rule = ", ".join(f"{r} {c:,}" for r, c in sorted(sol.penalty_by_rule().items()))
    return [head, *rows, f"  cost by rule: {by_rule}"]


def run_demo(workers: int, seed: int) -> list[str]:
    """The product demo's case: one team of 20, six shift types, a month."""
    problem = demo_team_problem(20, seed=seed)
    rows = []
    for limit in (10.0, 30.0):
        sol = solve(problem, time_limit_s=limit, workers=workers)
        gap = f"{100 * sol.gap:.2f} %" if sol.gap is not None else "n/a"
        rows.append(
            f"demo team of 20, 6 shift types, {limit:.0f}s: status {sol.status}, "
            f"objective {sol.objective:,} bound {sol.bound:,.0f} gap {gap} "
            f"(hard violations {len(sol.hard)})"
        )
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sizes", default="50,100,250,500")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--demo", action="store_true", help="the demo-sized team-month only")
    args = ap.parse_args()
    if args.demo:
        for line in run_demo(args.workers, args.seed):
            print(line, flush=True)
        return
    for n in (int(x) for x in args.sizes.split(",")):
        for line in run(n, args.workers, args.seed):
            print(line, flush=True)


if __name__ == "__main__":
    main()
