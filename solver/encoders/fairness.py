"""R7 (soft): weight x (max - min) per team of nights, weekend shifts and holiday shifts."""

from __future__ import annotations

from collections.abc import Callable

from ortools.sat.python import cp_model

from rules.roster.common import is_night_shift
from solver.model import RosterModel

RULE = "R7"


def _categories(rm: RosterModel) -> list[tuple[str, int, Callable[[int, int], bool]]]:
    """(name, weight, does shift s on day d count) - the same three as the R7 checker."""
    w = rm.policy.roster.weights
    v, shifts = rm.vars, rm.problem.shift_types
    calendar = rm.problem.snapshot(())  # is_weekend honours make-up working days
    return [
        ("nights", w.fairness_nights, lambda d, s: is_night_shift(shifts[s], rm.policy)),
        ("weekends", w.fairness_weekends, lambda d, s: calendar.is_weekend(v.days[d])),
        ("holidays", w.fairness_holidays, lambda d, s: v.days[d] in rm.problem.holidays),
    ]


def encode(rm: RosterModel) -> None:
    v = rm.vars
    for team, members in sorted(rm.problem.teams().items()):
        if len(members) < 2:
            continue
        idx = [v.person_index[m.key] for m in members]
        for name, weight, counts in _categories(rm):
            if not weight:
                continue
            members_lits = [[var for d, s, var in v.of_person(p) if counts(d, s)] for p in idx]
            tallies = [sum(lits) for lits in members_lits]
            hinted = [rm.hint_count(lits) for lits in members_lits]
            top = len(v.days)
            hi = rm.model.new_int_var(0, top, f"R7_{name}_max_{team}")
            lo = rm.model.new_int_var(0, top, f"R7_{name}_min_{team}")
            for tally in tallies:
                rm.model.add(hi >= tally)
                rm.model.add(lo <= tally)
            rm.hint_aux(hi, max(hinted))
            rm.hint_aux(lo, min(hinted))
            spread: cp_model.LinearExprT = hi - lo
            rm.penalties.add(f"R7_{name}_spread_{team}", RULE, weight, spread)
