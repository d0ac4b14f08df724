"""L8 (repair): every person-day that differs from the published roster costs `weight`."""

from __future__ import annotations

from rules.snapshot import Assignment
from solver.model import RosterModel

RULE = "L8"


def encode(rm: RosterModel, published: list[Assignment], weight: int) -> None:
    v = rm.vars
    was = {(a.person, a.day): a.shift for a in published}
    for p, person in enumerate(rm.problem.people):
        for d, day in enumerate(v.days):
            code = was.get((person.key, day))
            name = f"L8_change_{person.key}_{day.isoformat()}"
            if code is None:
                rm.penalties.add(name, RULE, weight, v.works(p, d))
                continue
            var = v.x(p, d, v.shift_index[code]) if code in v.shift_index else None
            rm.penalties.add(name, RULE, weight, 1 - var if var is not None else 1)
