"""Pinned person-days (`problem.fixed`): a shift code, or None for a day off."""

from __future__ import annotations

from solver.model import GuardKey, RosterModel

RULE = "PIN"


def encode(rm: RosterModel) -> None:
    v = rm.vars
    for (key, day), code in sorted(rm.problem.fixed.items(), key=lambda kv: (kv[0][0], kv[0][1])):
        if key not in v.person_index or day not in v.day_index:
            continue
        p, d = v.person_index[key], v.day_index[day]
        guard = rm.guards(GuardKey(RULE, person=key, day=day))
        want = v.shift_index.get(code) if code is not None else None
        if code is not None and (want is None or v.x(p, d, want) is None):
            rm.model.add_bool_or([rm.model.new_constant(0)]).only_enforce_if(guard)
            continue
        for s, var in v.shifts_on(p, d):
            rm.require(var == int(s == want), guard)
