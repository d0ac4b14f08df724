"""Independent objective and hard-constraint checker for Curtois & Qu rosters.

Deliberately shares no code with the CP-SAT model: it walks the roster day by day and applies
the rules of FORMAT.md literally, so that it can catch modelling mistakes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from solver.curtois.instance import Instance, weekend_days

# employee id -> day -> shift id; days absent from the inner mapping are days off.
Roster = Mapping[str, Mapping[int, str]]


@dataclass(frozen=True)
class Evaluation:
    objective: int
    on_request_penalty: int
    off_request_penalty: int
    cover_penalty: int
    violations: tuple[str, ...]

    @property
    def feasible(self) -> bool:
        return not self.violations


def _runs(worked: list[bool], value: bool) -> list[tuple[int, int]]:
    """Maximal runs of `value` as (first day, length)."""
    runs: list[tuple[int, int]] = []
    start = None
    for d, w in enumerate([*worked, not value]):
        if w == value and start is None:
            start = d
        elif w != value and start is not None:
            runs.append((start, d - start))
            start = None
    return runs


def _employee_violations(inst: Instance, emp_index: int, days: Mapping[int, str]) -> list[str]:
    staff = inst.staff[emp_index]
    e, h = staff.id, inst.horizon
    shifts = {s.id: s for s in inst.shifts}
    out: list[str] = []
    for d, s in days.items():
        if s not in shifts or not 0 <= d < h:
            out.append(f"{e}: invalid assignment day {d} shift {s!r}")
        elif d in inst.days_off.get(e, frozenset()):
            out.append(f"{e}: works on requested day off {d}")
    for d, s in days.items():
        nxt = days.get(d + 1)
        if s in shifts and nxt is not None and nxt in shifts[s].not_next:
            out.append(f"{e}: shift {nxt} on day {d + 1} may not follow {s}")
    counts = Counter(days.values())
    for s, n in counts.items():
        if n > staff.max_shifts.get(s, 0):
            out.append(f"{e}: {n} shifts of type {s} > max {staff.max_shifts.get(s, 0)}")
    minutes = sum(shifts[s].minutes for s in days.values() if s in shifts)
    if not staff.min_minutes <= minutes <= staff.max_minutes:
        out.append(f"{e}: {minutes} minutes outside [{staff.min_minutes}, {staff.max_minutes}]")
    worked = [d in days for d in range(h)]
    for start, length in _runs(worked, True):
        if length > staff.max_consecutive:
            out.append(f"{e}: {length} consecutive shifts from day {start}")
        edge = start == 0 or start + length == h
        if length < staff.min_consecutive and not edge:
            out.append(f"{e}: only {length} consecutive shifts from day {start}")
    for start, length in _runs(worked, False):
        edge = start == 0 or start + length == h
        if length < staff.min_days_off and not edge:
            out.append(f"{e}: only {length} consecutive days off from day {start}")
    weekends = sum(1 for k in range(h // 7) if any(worked[d] for d in weekend_days(k)))
    if weekends > staff.max_weekends:
        out.append(f"{e}: {weekends} weekends worked > max {staff.max_weekends}")
    return out


def evaluate(inst: Instance, roster: Roster) -> Evaluation:
    """Objective and list of hard-constraint violations of `roster` (empty list = feasible)."""
    violations: list[str] = []
    known = set(inst.employee_ids)
    violations += [f"unknown employee {e!r}" for e in roster if e not in known]
    for i, staff in enumerate(inst.staff):
        violations += _employee_violations(inst, i, roster.get(staff.id, {}))

    def works(e: str, d: int, s: str) -> bool:
        return roster.get(e, {}).get(d) == s

    on = sum(r.weight for r in inst.on_requests if not works(r.employee, r.day, r.shift))
    off = sum(r.weight for r in inst.off_requests if works(r.employee, r.day, r.shift))
    staffed = Counter((d, s) for e in roster for d, s in roster[e].items())
    cover = 0
    for c in inst.cover:
        n = staffed[(c.day, c.shift)]
        cover += c.weight_under * max(0, c.requirement - n) + c.weight_over * max(
            0, n - c.requirement
        )
    return Evaluation(on + off + cover, on, off, cover, tuple(violations))
