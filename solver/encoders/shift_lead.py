"""R2: in every interval where anyone of a team works, a senior or the team lead works.

Per team and interval: (non-leads on duty) <= (number of non-leads who could be) x (leads on
duty). One linear constraint per team-interval keeps the model small at 500 agents.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from solver.model import GuardKey, RosterModel

RULE = "R2"


def encode(rm: RosterModel) -> None:
    v = rm.vars
    senior = rm.policy.roster.senior_grade
    is_lead = [p.can_lead(senior) for p in rm.problem.people]
    team_of = [p.team for p in rm.problem.people]
    for slot in range(v.n_slots()):
        others: dict[str, list] = {}
        leads: dict[str, list] = {}
        fixed_others: dict[str, int] = {}
        fixed_leads: dict[str, int] = {}
        for p, var in v.covering(slot):
            (leads if is_lead[p] else others).setdefault(team_of[p], []).append(var)
        for p in (*v.previous_covering(slot), *v.pinned_covering(slot)):
            bucket = fixed_leads if is_lead[p] else fixed_others
            bucket[team_of[p]] = bucket.get(team_of[p], 0) + 1
        for team in set(others) | set(fixed_others):
            lead_terms = leads.get(team, [])
            if fixed_leads.get(team, 0):
                continue  # a lead is on duty whatever the model does: nothing to ask
            workers = others.get(team, [])
            size = len(workers) + fixed_others.get(team, 0)
            guard = rm.guards(GuardKey(RULE, team=team, day=v.slot_day(slot)))
            rm.require(_sum(workers) + fixed_others.get(team, 0) <= size * _sum(lead_terms), guard)


def _sum(terms: list[cp_model.IntVar]) -> cp_model.LinearExprT:
    """Sum of variables; the plain int 0 when there are none (a team-interval of pinned
    shifts only is then checked here instead of becoming a constraint)."""
    return cp_model.LinearExpr.sum(terms) if terms else 0
