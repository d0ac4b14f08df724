"""R8 (soft): an unmet requested day off or preferred shift costs its weight."""

from __future__ import annotations

from solver.model import RosterModel

RULE = "R8"


def encode(rm: RosterModel) -> None:
    v, w = rm.vars, rm.policy.roster.weights
    for i, pref in enumerate(rm.problem.preferences):
        if pref.person not in v.person_index or pref.day not in v.day_index:
            continue
        p, d = v.person_index[pref.person], v.day_index[pref.day]
        name = f"R8_{pref.kind}_{pref.person}_{pref.day.isoformat()}_{i}"
        if pref.kind == "day_off":
            rm.penalties.add(name, RULE, w.preference_day_off * pref.weight, v.works(p, d))
        elif pref.kind == "shift":
            var = v.x(p, d, v.shift_index[pref.shift]) if pref.shift in v.shift_index else None
            unmet = 1 - var if var is not None else 1
            rm.penalties.add(name, RULE, w.preference_shift * pref.weight, unmet)
