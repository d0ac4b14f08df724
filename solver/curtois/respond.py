"""Best-response sweeps: each employee in turn re-solved exactly against the others' cover.

One employee adds at most one to each (day, shift) cover count, so the change of the cover
penalty from that employee working (d, s) is linear: minus the under-cover weight where the
others leave (d, s) short, plus the surplus weight where they already meet it. The labelling
programme of `solver.curtois.pricing` then gives that employee's best row under every hard
rule, in milliseconds. A dive from a root LP cut short can end with many employees fixed at
once to rows that clash (Instance13: 5312); sweeps take such a roster to a local optimum in a
second or two (2964; a typical dive roster 2303 -> 2182), before the slower search starts.

Sweeps are not run on the constructed roster before the root LP: a roster at a sweep optimum
makes the master LP stall (Instance20, two runs: sweeps took 34153 to 8358 and 8658, and the
LP stayed at that value while each iteration added a row per employee of reduced cost -600 to
-1300: degenerate pivots only; the run ended at 6187 against 4995-5307).
"""

from __future__ import annotations

import random
import time

import numpy as np
from numpy.typing import NDArray

from solver.curtois.model import ProblemData, cover_counts
from solver.curtois.pricing import RowPricer


def best_responses(
    data: ProblemData,
    pricer: RowPricer,
    assign: NDArray[np.int64],
    deadline: float,
    rng: random.Random,
) -> NDArray[np.int64]:
    """Sweep the employees in random order, giving each its best row against the others'
    cover when that lowers the objective, until a sweep changes nothing or `deadline`.
    The objective changes by the row's cost difference on that linear cost (exact: the
    costs are integers), so no roster is evaluated whole."""
    assign = assign.copy()
    counts = cover_counts(data, assign)
    n = data.n_employees
    improved = True
    while improved and time.monotonic() < deadline:
        improved = False
        for e in rng.sample(range(n), n):
            if time.monotonic() >= deadline:
                break
            days = np.nonzero(assign[e] >= 0)[0]
            np.add.at(counts, (days, assign[e, days]), -1)  # now the others' cover
            gain = np.where(counts < data.requirement, data.weight_under, -data.weight_over)
            cost = data.off_weight[e] - data.on_weight[e] - gain
            priced = pricer.price(e, cost)
            if priced.rows:
                row = priced.rows[0]
                new_days = np.nonzero(row >= 0)[0]
                if cost[new_days, row[new_days]].sum() < cost[days, assign[e, days]].sum():
                    assign[e], improved = row, True
            days = np.nonzero(assign[e] >= 0)[0]
            np.add.at(counts, (days, assign[e, days]), 1)  # e's kept or new row back
    return assign
