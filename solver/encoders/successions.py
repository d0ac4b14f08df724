"""Forbidden successions as transition clauses (shared by R1 rest and R10 roll call)."""

from __future__ import annotations

from datetime import timedelta

from ortools.sat.python import cp_model

from rules.roster.common import rest_gap_minutes
from solver.model import RosterModel


def forbid_short_gaps(rm: RosterModel, p: int, min_gap: int, guard: list[cp_model.IntVar]) -> None:
    """Person p never starts a shift less than `min_gap` minutes after the end of another.

    For each shift (d, s) and each later day, "x[d,s] + sum of too-close shifts that day <= 1":
    the shifts of one day already exclude each other (R1), so this is the transition clause
    "not x[d,s] or not x[d',s']" for all of them at once.
    """
    v, shifts = rm.vars, rm.problem.shift_types
    ahead = v.shift_days_ahead()
    close = _too_close(rm, ahead, min_gap)
    for d, s, var in v.of_person(p):
        for d2 in v.window_days(d + 1, ahead):
            near = close[(s, d2 - d)]
            too_close = [var2 for s2, var2 in v.shifts_on(p, d2) if s2 in near]
            if isinstance(var, int) and all(isinstance(x, int) for x in too_close):
                continue  # two pinned days (LNS): checked when they were chosen
            if not too_close:
                continue
            if guard or isinstance(var, int) or any(isinstance(x, int) for x in too_close):
                rm.require(var + sum(too_close) <= 1, guard)
            else:  # the common case, and the cheapest to build
                rm.model.add_at_most_one([var, *too_close])
    # The previous period's shifts forbid close starts at the beginning of this one.
    key = rm.problem.people[p].key
    for a in rm.problem.previous:
        if a.person != key or a.day >= rm.problem.start:
            continue
        prev = shifts[v.shift_index[a.shift]]
        for d2 in v.window_days(0, ahead):
            for s2, var2 in v.shifts_on(p, d2):
                if rest_gap_minutes(a.day, prev, v.days[d2], shifts[s2]) < min_gap:
                    rm.require(var2 == 0, guard)


def _too_close(rm: RosterModel, ahead: int, min_gap: int) -> dict[tuple[int, int], set[int]]:
    """Shift types s2 that may not start `k` days after s: (s, k) -> {s2} (computed once
    per model and gap: every person's clauses ask the same)."""
    memo: dict[int, dict[tuple[int, int], set[int]]] = rm.__dict__.setdefault("_too_close", {})
    if min_gap not in memo:
        shifts, day0 = rm.problem.shift_types, rm.problem.start
        memo[min_gap] = {
            (s, k): {
                s2
                for s2, b in enumerate(shifts)
                if rest_gap_minutes(day0, a, day0 + timedelta(days=k), b) < min_gap
            }
            for s, a in enumerate(shifts)
            for k in range(1, ahead + 1)
        }
    return memo[min_gap]
