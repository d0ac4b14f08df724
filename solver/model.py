"""Assemble the roster model: variables, one encoder per rule, the objective from named penalties.

Hard rules are added under *guards*. In a normal solve a guard is empty (the constraint always
holds); when explaining infeasibility each guard is an assumption literal per rule and person
(or rule and day/team), so CP-SAT can name the rules in conflict.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from ortools.sat.python import cp_model

from rules.policy import Policy
from rules.snapshot import Assignment
from solver.problem import RosterProblem
from solver.variables import RosterVars


@dataclass(frozen=True, order=True)
class GuardKey:
    """Which hard-rule group a constraint belongs to: rule, and person, team or day."""

    rule: str
    person: str = ""
    team: str = ""
    day: date | None = None


class Guards:
    """Enforcement literals of the hard rules (none unless explaining infeasibility)."""

    def __init__(self, model: cp_model.CpModel, assumptions: bool) -> None:
        self._model = model
        self.assumptions = assumptions
        self.literals: dict[GuardKey, cp_model.IntVar] = {}

    def __call__(self, key: GuardKey) -> list[cp_model.IntVar]:
        if not self.assumptions:
            return []
        lit = self.literals.get(key)
        if lit is None:
            label = "_".join(str(x) for x in (key.rule, key.person, key.team, key.day) if x)
            lit = self._model.new_bool_var(f"assume_{label}")
            self.literals[key] = lit
        return [lit]


@dataclass
class Penalty:
    """One named term of the objective: weight x expression, tagged with its rule."""

    name: str
    rule: str
    weight: int
    expr: cp_model.LinearExprT


@dataclass
class Penalties:
    terms: list[Penalty] = field(default_factory=list)

    def add(self, name: str, rule: str, weight: int, expr: cp_model.LinearExprT) -> None:
        if weight:
            self.terms.append(Penalty(name, rule, weight, expr))

    def objective(self) -> cp_model.LinearExprT:
        return cp_model.LinearExpr.weighted_sum(
            [t.expr for t in self.terms], [t.weight for t in self.terms]
        )

    def by_rule(self, solver: cp_model.CpSolver) -> dict[str, int]:
        out: dict[str, int] = defaultdict(int)
        for t in self.terms:
            value = t.expr if isinstance(t.expr, int) else solver.value(t.expr)
            out[t.rule] += t.weight * int(value)
        return dict(out)


@dataclass
class RosterModel:
    problem: RosterProblem
    model: cp_model.CpModel
    vars: RosterVars
    guards: Guards
    penalties: Penalties
    hinted: set[int] = field(default_factory=set)  # indices of x variables hinted true
    # Hinted shifts (decision variables only) on duty per slot.
    hinted_cover: Counter[int] = field(default_factory=Counter)

    def hint_count(self, lits: Iterable[object]) -> int:
        """How many of these literals the hint sets (constants count as themselves)."""
        total, hinted = 0, self.hinted
        for x in lits:
            if isinstance(x, int):
                total += x
            elif isinstance(x, cp_model.IntVar) and x.index in hinted:
                total += 1
        return total

    def hint_aux(self, var: cp_model.IntVar, value: int) -> None:
        """Hint an auxiliary variable, so a hinted roster is a complete solution."""
        if self.hinted:
            self.model.add_hint(var, value)

    @property
    def policy(self) -> Policy:
        return self.problem.policy

    def require(self, ct: object, guard: list[cp_model.IntVar]) -> None:
        """Add a hard constraint under its guard; a constant one (pinned days) is checked here."""
        if isinstance(ct, bool):
            if not ct:
                self.model.add_bool_or([self.model.new_constant(0)]).only_enforce_if(guard)
            return
        added = self.model.add(ct)  # type: ignore[arg-type]
        if guard:
            added.only_enforce_if(guard)

    def assignments(self, solver: cp_model.CpSolver) -> list[Assignment]:
        out = []
        for (p, d, s), var in self.vars.items():
            if var == 1 if isinstance(var, int) else solver.boolean_value(var):
                out.append(
                    Assignment(
                        self.problem.people[p].key,
                        self.vars.days[d],
                        self.problem.shift_types[s].code,
                    )
                )
        return out

    def hint(self, assignments: Iterable[Assignment]) -> None:
        """Hint a roster: every x gets a value (pass it to build_model to hint the rest too)."""
        on = self._keys(assignments)
        indices, values = [], []
        for key, var in self.vars.items():
            if not isinstance(var, int):
                indices.append(var.index)
                values.append(int(key in on))
        self.hinted.update(i for i, value in zip(indices, values, strict=True) if value)
        for p, d, s in on:
            x = self.vars.x(p, d, s)
            if x is not None and not isinstance(x, int):
                self.hinted_cover.update(self.vars.slots_covered(d, s))
        # In bulk: one add_hint per variable is a noticeable part of building an LNS model.
        self.model.proto.solution_hint.vars.extend(indices)
        self.model.proto.solution_hint.values.extend(values)

    def fix(self, assignments: Iterable[Assignment]) -> None:
        """Fix every x to the given roster (a missing variable makes the model infeasible)."""
        on = self._keys(assignments, strict=True)
        for key, var in self.vars.items():
            if not isinstance(var, int):
                self.model.add(var == int(key in on))

    def _keys(
        self, assignments: Iterable[Assignment], strict: bool = False
    ) -> set[tuple[int, int, int]]:
        out = set()
        v = self.vars
        for a in assignments:
            if a.day not in v.day_index:
                continue
            key = (v.person_index[a.person], v.day_index[a.day], v.shift_index[a.shift])
            if v.x(*key) is None and strict:
                # G5: no variable for a shift the person lacks the skills for.
                self.model.add_bool_or([self.model.new_constant(0)])
            out.add(key)
        return out


def build_model(
    problem: RosterProblem,
    *,
    assumptions: bool = False,
    objective: bool = True,
    published: Iterable[Assignment] | None = None,
    change_weight: int = 0,
    fixed_as_constants: bool = False,
    hint: Iterable[Assignment] | None = None,
) -> RosterModel:
    """The full roster model of a problem; `published` + `change_weight` price changes (L8)."""
    from solver.encoders import ENCODERS, changes

    model = cp_model.CpModel()
    variables = RosterVars(model, problem, fixed_as_constants=fixed_as_constants)
    rm = RosterModel(problem, model, variables, Guards(model, assumptions), Penalties())
    if hint is not None:
        rm.hint(hint)  # before the encoders, which hint their auxiliary variables from it
    for encode in ENCODERS:
        encode(rm)
    if published is not None:
        changes.encode(rm, list(published), change_weight)
    if objective:
        model.minimize(rm.penalties.objective())
    return rm
