"""The CP-SAT roster solver: a frozen `RosterProblem` in, a `RosterSolution` out. Pure.

solve(problem, time_limit_s=60, workers=2, progress=None) -> RosterSolution
repair(problem, published, time_limit_s=30, workers=2) -> RosterSolution  (.changes, L8)
explain_infeasible(problem) -> list[str]
"""

from solver.explain import explain_infeasible
from solver.problem import RosterProblem
from solver.progress import ProgressEvent, ProgressFn
from solver.repair import repair
from solver.solution import Change, CoverageRow, RosterSolution
from solver.solve import solve

__all__ = [
    "Change",
    "CoverageRow",
    "ProgressEvent",
    "ProgressFn",
    "RosterProblem",
    "RosterSolution",
    "explain_infeasible",
    "repair",
    "solve",
]
