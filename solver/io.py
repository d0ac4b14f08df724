"""Roster problem and solution files (JSON), see docs/problem-format.md.

Every error names the JSON path of the bad field, e.g. `$.people[3].grade: expected a string`.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from rules.policy import Policy, PolicyError, default_policy
from rules.snapshot import Assignment, Person, Preference, ShiftType
from solver.problem import RosterProblem
from solver.solution import RosterSolution

PROBLEM_FORMAT = "wfm-roster-problem/1"
SOLUTION_FORMAT = "wfm-roster-solution/1"


class ProblemFileError(ValueError):
    """A problem file is unreadable or holds a bad value; the message names its JSON path."""


class _At:
    """A value with its JSON path, and typed accessors that fail with that path."""

    def __init__(self, value: Any, path: str = "$") -> None:
        self.value, self.path = value, path

    def fail(self, msg: str) -> ProblemFileError:
        return ProblemFileError(f"{self.path}: {msg}")

    def obj(self) -> dict[str, Any]:
        if not isinstance(self.value, dict):
            raise self.fail("expected an object")
        return self.value

    def get(self, key: str, default: Any = ...) -> _At:
        d = self.obj()
        if key not in d:
            if default is ...:
                raise ProblemFileError(f"{self.path}.{key}: missing")
            return _At(default, f"{self.path}.{key}")
        return _At(d[key], f"{self.path}.{key}")

    def items(self) -> list[_At]:
        if not isinstance(self.value, list):
            raise self.fail("expected a list")
        return [_At(v, f"{self.path}[{i}]") for i, v in enumerate(self.value)]

    def text(self) -> str:
        if not isinstance(self.value, str) or not self.value:
            raise self.fail("expected a non-empty string")
        return self.value

    def opt_text(self) -> str | None:
        return None if self.value is None else self.text()

    def integer(self, lo: int | None = None, hi: int | None = None) -> int:
        if not isinstance(self.value, int) or isinstance(self.value, bool):
            raise self.fail("expected an integer")
        if (lo is not None and self.value < lo) or (hi is not None and self.value > hi):
            raise self.fail(f"must be between {lo} and {hi}")
        return self.value

    def number(self) -> float:
        if not isinstance(self.value, int | float) or isinstance(self.value, bool):
            raise self.fail("expected a number")
        return float(self.value)

    def boolean(self) -> bool:
        if not isinstance(self.value, bool):
            raise self.fail("expected true or false")
        return self.value

    def as_date(self) -> date:
        try:
            return date.fromisoformat(self.text())
        except ValueError:
            raise self.fail(f"not a date (YYYY-MM-DD): {self.value!r}") from None

    def minute(self) -> int:
        text = self.text()
        try:
            h, m = text.split(":")
            minute = int(h) * 60 + int(m)
        except ValueError:
            raise self.fail(f"not a time (HH:MM): {text!r}") from None
        if not 0 <= minute < 24 * 60:
            raise self.fail(f"not a time of day: {text!r}")
        return minute


def load_problem(path: str | Path) -> RosterProblem:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as err:
        raise ProblemFileError(f"{path}: cannot read: {err.strerror}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise ProblemFileError(f"{path}: not valid JSON: {err}") from None
    return problem_from_json(data)


def problem_from_json(data: Any) -> RosterProblem:
    root = _At(data)
    fmt = root.get("format", PROBLEM_FORMAT)
    if fmt.value != PROBLEM_FORMAT:
        raise fmt.fail(f"expected {PROBLEM_FORMAT!r}")
    policy = _policy(root)
    start, end = root.get("start").as_date(), root.get("end").as_date()
    if end < start:
        raise root.get("end").fail("is before start")
    shifts = tuple(_shift(s) for s in root.get("shift_types").items())
    people = tuple(
        _person(p, policy.roster.contract_hours_per_week) for p in root.get("people").items()
    )
    codes, keys = _unique(root, shifts, people)
    per_day = 24 * 60 // policy.service.interval_minutes
    return RosterProblem(
        start=start,
        end=end,
        people=people,
        shift_types=shifts,
        requirement=_requirement(root.get("requirement", {}), per_day),
        policy=policy,
        leave=frozenset(_leave(root.get("leave", []), keys)),
        holidays=frozenset(d.as_date() for d in root.get("holidays", []).items()),
        workdays=frozenset(d.as_date() for d in root.get("workdays", []).items()),
        preferences=tuple(_preference(p, keys, codes) for p in root.get("preferences", []).items()),
        previous=tuple(_assignment(a, keys, codes) for a in root.get("previous", []).items()),
        fixed=dict(_fixed(f, keys, codes) for f in root.get("fixed", []).items()),
        enforce_min_staff=root.get("enforce_min_staff", True).boolean(),
        name=root.get("name", "").value or "",
    )


def _policy(root: _At) -> Policy:
    overrides = dict(root.get("policy", {}).obj())
    minutes = root.get("interval_minutes", None)
    if minutes.value is not None:
        overrides.setdefault("service", {})
        overrides["service"] = {**overrides["service"], "interval_minutes": minutes.integer(5, 60)}
    try:
        return default_policy().with_overrides(overrides)
    except PolicyError as err:
        raise ProblemFileError(f"$.policy: {err}") from None


def _shift(at: _At) -> ShiftType:
    return ShiftType(
        code=at.get("code").text(),
        start_minute=at.get("start").minute(),
        length_minutes=at.get("length_minutes").integer(1, 24 * 60),
        is_night=at.get("is_night", False).boolean(),
        required_skills=frozenset(s.text() for s in at.get("required_skills", []).items()),
        name=at.get("name", "").value or "",
    )


def _person(at: _At, contract: float) -> Person:
    return Person(
        key=at.get("key").text(),
        name=at.get("name").text(),
        grade=at.get("grade").text(),
        team=at.get("team").text(),
        is_team_lead=at.get("is_team_lead", False).boolean(),
        skills=frozenset(s.text() for s in at.get("skills", []).items()),
        contract_hours_per_week=at.get("contract_hours_per_week", contract).number(),
    )


def _unique(
    root: _At, shifts: tuple[ShiftType, ...], people: tuple[Person, ...]
) -> tuple[set[str], set[str]]:
    codes, keys = [s.code for s in shifts], [p.key for p in people]
    for i, c in enumerate(codes):
        if c in codes[:i]:
            raise ProblemFileError(f"$.shift_types[{i}].code: duplicate {c!r}")
    for i, k in enumerate(keys):
        if k in keys[:i]:
            raise ProblemFileError(f"$.people[{i}].key: duplicate {k!r}")
    return set(codes), set(keys)


def _requirement(at: _At, per_day: int) -> dict[tuple[date, int], int]:
    out: dict[tuple[date, int], int] = {}
    for day_text, values in at.obj().items():
        day = _At(day_text, f"{at.path}.{day_text}").as_date()
        row = _At(values, f"{at.path}.{day_text}").items()
        if len(row) != per_day:
            raise ProblemFileError(
                f"{at.path}.{day_text}: expected {per_day} intervals, got {len(row)}"
            )
        for k, v in enumerate(row):
            out[(day, k)] = v.integer(0)
    return out


def _person_ref(at: _At, keys: set[str]) -> str:
    key = at.text()
    if key not in keys:
        raise at.fail(f"unknown person {key!r}")
    return key


def _code_ref(at: _At, codes: set[str]) -> str:
    code = at.text()
    if code not in codes:
        raise at.fail(f"unknown shift type {code!r}")
    return code


def _leave(at: _At, keys: set[str]) -> set[tuple[str, date]]:
    out = set()
    for item in at.items():
        key = _person_ref(item.get("person"), keys)
        first = item.get("from").as_date()
        last = item.get("to", item.obj()["from"]).as_date()
        if last < first:
            raise item.get("to").fail("is before from")
        out |= {(key, first + timedelta(days=i)) for i in range((last - first).days + 1)}
    return out


def _preference(at: _At, keys: set[str], codes: set[str]) -> Preference:
    kind = at.get("kind").text()
    if kind not in ("day_off", "shift"):
        raise at.get("kind").fail("expected 'day_off' or 'shift'")
    shift = _code_ref(at.get("shift"), codes) if kind == "shift" else None
    return Preference(
        _person_ref(at.get("person"), keys),
        at.get("day").as_date(),
        kind,
        shift,
        at.get("weight", 1).integer(0),
    )


def _assignment(at: _At, keys: set[str], codes: set[str]) -> Assignment:
    return Assignment(
        _person_ref(at.get("person"), keys),
        at.get("day").as_date(),
        _code_ref(at.get("shift"), codes),
    )


def _fixed(at: _At, keys: set[str], codes: set[str]) -> tuple[tuple[str, date], str | None]:
    shift = at.get("shift")
    code = None if shift.value is None else _code_ref(shift, codes)
    return (_person_ref(at.get("person"), keys), at.get("day").as_date()), code


# -- writing -----------------------------------------------------------------------------------
def _hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def policy_overrides(policy: Any, base: Any = None) -> dict[str, Any]:
    """The values of `policy` that differ from the shipped policy, as a nested mapping."""

    def diff(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in a.items():
            if isinstance(value, dict):
                sub = diff(value, b.get(key, {}))
                if sub:
                    out[key] = sub
            elif b.get(key) != value:
                out[key] = value
        return out

    return diff(policy.model_dump(), (base or default_policy()).model_dump())


def problem_to_json(
    problem: RosterProblem, overrides: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The problem as a file; the policy is written as overrides of the shipped policy."""
    if overrides is None:
        overrides = policy_overrides(problem.policy)
    by_day: dict[date, list[int]] = {}
    for day in problem.days():
        by_day[day] = [
            problem.requirement.get((day, k), 0) for k in range(problem.intervals_per_day)
        ]
    return {
        "format": PROBLEM_FORMAT,
        "name": problem.name,
        "start": problem.start.isoformat(),
        "end": problem.end.isoformat(),
        "interval_minutes": problem.interval_minutes,
        "policy": overrides,
        "shift_types": [
            {
                "code": s.code,
                "start": _hhmm(s.start_minute),
                "length_minutes": s.length_minutes,
                "is_night": s.is_night,
                "required_skills": sorted(s.required_skills),
                "name": s.name,
            }
            for s in problem.shift_types
        ],
        "people": [
            {
                "key": p.key,
                "name": p.name,
                "grade": p.grade,
                "team": p.team,
                "is_team_lead": p.is_team_lead,
                "skills": sorted(p.skills),
                "contract_hours_per_week": p.contract_hours_per_week,
            }
            for p in problem.people
        ],
        "requirement": {d.isoformat(): row for d, row in by_day.items()},
        "leave": [
            {"person": k, "from": d.isoformat(), "to": d.isoformat()}
            for k, d in sorted(problem.leave)
        ],
        "holidays": sorted(d.isoformat() for d in problem.holidays),
        "workdays": sorted(d.isoformat() for d in problem.workdays),
        "preferences": [
            {
                "person": p.person,
                "day": p.day.isoformat(),
                "kind": p.kind,
                "shift": p.shift,
                "weight": p.weight,
            }
            for p in problem.preferences
        ],
        "previous": [_assignment_json(a) for a in problem.previous],
        "fixed": [
            {"person": k, "day": d.isoformat(), "shift": c}
            for (k, d), c in sorted(problem.fixed.items(), key=lambda kv: (kv[0][0], kv[0][1]))
        ],
        "enforce_min_staff": problem.enforce_min_staff,
    }


def _assignment_json(a: Assignment) -> dict[str, Any]:
    return {"person": a.person, "day": a.day.isoformat(), "shift": a.shift}


def solution_to_json(sol: RosterSolution) -> dict[str, Any]:
    def violation(v: Any) -> dict[str, Any]:
        return {
            "rule": v.rule,
            "person": v.person,
            "day": v.day.isoformat() if v.day else None,
            "cost": v.cost,
            "message": v.message,
        }

    return {
        "format": SOLUTION_FORMAT,
        "status": sol.status,
        "objective": sol.objective,
        "bound": sol.bound,
        "gap": sol.gap,
        "elapsed_s": round(sol.elapsed_s, 3),
        "first_solution_s": sol.first_solution_s,
        "assignments": [_assignment_json(a) for a in sol.assignments],
        "coverage": [
            {
                "day": r.day.isoformat(),
                "interval": r.index,
                "label": r.label,
                "scheduled": r.scheduled,
                "required": r.required,
            }
            for r in sol.coverage
        ],
        "penalty_by_rule": sol.penalty_by_rule(),
        "penalties": [violation(v) for v in sol.penalties],
        "hard_violations": [violation(v) for v in sol.hard],
        "infeasibility": list(sol.infeasibility),
        "changes": [
            {
                "person": c.person,
                "day": c.day.isoformat(),
                "old": c.old,
                "new": c.new,
                "message": str(c),
            }
            for c in sol.changes
        ],
    }


def assignments_from_json(data: Any) -> list[Assignment]:
    """The roster of a solution file (e.g. a published roster for `repair`)."""
    root = _At(data)
    out = []
    for a in root.get("assignments").items():
        out.append(
            Assignment(a.get("person").text(), a.get("day").as_date(), a.get("shift").text())
        )
    return out


def save_json(data: dict[str, Any], path: str | Path) -> None:
    Path(path).write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
