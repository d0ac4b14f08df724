"""Best-response sweeps of the Curtois search (solver.curtois.respond)."""

from __future__ import annotations

import random
import time
from pathlib import Path

import numpy as np
import pytest

from solver.curtois.construct import FastBuilder
from solver.curtois.evaluate import evaluate
from solver.curtois.instance import load_instance
from solver.curtois.model import OFF, cover_counts, fast_objective, problem_data
from solver.curtois.pricing import RowPricer
from solver.curtois.respond import best_responses
from solver.curtois.search import roster_from_assign

DATA = Path("/work/shared/benchmarks/curtois")
pytestmark = pytest.mark.skipif(not DATA.is_dir(), reason="benchmark data not available")


@pytest.mark.parametrize("number", [5, 8])
def test_sweeps_reach_a_feasible_roster_no_single_employee_can_improve(number: int) -> None:
    inst = load_instance(DATA / f"Instance{number}.txt")
    data = problem_data(inst)
    n = data.n_employees
    empty = np.full((n, data.horizon), OFF, dtype=np.int64)
    start, failed = FastBuilder(data, seed=1).build(empty, list(range(n)))
    assert failed == []
    pricer = RowPricer(data)

    swept = best_responses(data, pricer, start, time.monotonic() + 60, random.Random(0))

    evaluation = evaluate(inst, roster_from_assign(data, swept))
    assert evaluation.feasible, evaluation.violations[:5]
    assert evaluation.objective == fast_objective(data, swept)
    assert evaluation.objective < fast_objective(data, start)
    # Local optimum: no employee's exact best row against the others lowers the objective.
    counts = cover_counts(data, swept)
    for e in range(n):
        days = np.nonzero(swept[e] >= 0)[0]
        others = counts.copy()
        np.add.at(others, (days, swept[e, days]), -1)
        gain = np.where(others < data.requirement, data.weight_under, -data.weight_over)
        rows = pricer.price(e, data.off_weight[e] - data.on_weight[e] - gain).rows
        candidate = swept.copy()
        candidate[e] = rows[0]
        assert fast_objective(data, candidate) >= evaluation.objective
    # ... so a second sweep changes nothing.
    again = best_responses(data, pricer, swept, time.monotonic() + 60, random.Random(1))
    assert np.array_equal(again, swept)


def test_sweeps_stop_at_the_deadline_and_return_the_roster_unchanged() -> None:
    inst = load_instance(DATA / "Instance8.txt")
    data = problem_data(inst)
    n = data.n_employees
    empty = np.full((n, data.horizon), OFF, dtype=np.int64)
    start, _ = FastBuilder(data, seed=1).build(empty, list(range(n)))

    out = best_responses(data, RowPricer(data), start, time.monotonic() - 1, random.Random(0))

    assert np.array_equal(out, start)
