"""Erlang B/C/A against an independent 50-digit reference computed here by direct summation.

The reference never uses incomplete gamma functions: Erlang B/C sum the Poisson terms,
Erlang A sums the birth-death chain state by state, and its service level integrates the
waiting-time law (a mixture of order statistics of exponentials) with mpmath.quad.
"""

from __future__ import annotations

import math

import mpmath as mp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wfm.staffing.erlang import (
    asa_c,
    erlang_a_metrics,
    erlang_b,
    erlang_c,
    erlang_c_metrics,
    occupancy_c,
    service_level_c,
)

RTOL = 1e-9
DPS = 50


# ---------------------------------------------------------------------------------------
# The reference
# ---------------------------------------------------------------------------------------


def ref_erlang_b(n: int, a: float) -> mp.mpf:
    """a^n/n! / sum_{k<=n} a^k/k!, summing until terms are negligible at 60 digits."""
    with mp.workdps(DPS):
        a = mp.mpf(a)
        total, term = mp.mpf(0), mp.mpf(1)
        for k in range(n + 1):
            if k:
                term = term * a / k
            total += term
            if k > a and term < total * mp.mpf(10) ** -60:
                break
        return mp.exp(n * mp.log(a) - mp.loggamma(n + 1)) / total


def ref_erlang_c(n: int, a: float, aht: float, t: float) -> tuple[mp.mpf, mp.mpf, mp.mpf]:
    with mp.workdps(DPS):
        b = ref_erlang_b(n, a)
        a = mp.mpf(a)
        c = n * b / (n - a * (1 - b))
        sl = 1 - c * mp.exp(-(n - a) * mp.mpf(t) / aht)
        asa = c * mp.mpf(aht) / (n - a)
        return c, sl, asa


def ref_erlang_a(n: int, a: float, aht: float, patience: float, t: float) -> dict[str, mp.mpf]:
    """M/M/n+M by summing the birth-death chain (relative to the state 'n busy, no queue')."""
    with mp.workdps(DPS):
        a, aht, patience, t = (mp.mpf(v) for v in (a, aht, patience, t))
        x, y = n * patience / aht, a * patience / aht  # n mu / theta, lambda / theta
        below, term = mp.mpf(0), mp.mpf(1)
        for k in range(n, 0, -1):  # pi_{k-1} / pi_k = k / a
            term = term * k / a
            below += term
            if k < a and term < below * mp.mpf(10) ** -60:
                break
        queue, first, term, j = mp.mpf(1), mp.mpf(0), mp.mpf(1), 0
        while True:  # pi_{n+j} / pi_{n+j-1} = lambda / (n mu + j theta)
            j += 1
            term = term * y / (x + j)
            queue += term
            first += j * term
            if j > y - x and j * term < first * mp.mpf(10) ** -60:
                break
        p_n = 1 / (below + queue)
        p_ab = first * p_n / y  # theta E[queue] / lambda
        # Answered after a wait <= t: a caller with j ahead waits the (j+1)-th order
        # statistic of x+j exponentials(theta); summed over j this is the integral below.
        p_t = 1 - mp.exp(-t / patience)
        points = [mp.mpf(0)]
        if y > x and 1 - x / y < p_t:
            points.append(1 - x / y)  # the integrand's peak
        points.append(p_t)
        integral = mp.quad(lambda p: mp.exp(y * p + x * mp.log1p(-p)), points) if t > 0 else 0
        sl = (below + x * integral) * p_n
        return {
            "p_wait": queue * p_n,
            "p_abandon": p_ab,
            "service_level": sl,
            "service_level_answered": sl / (1 - p_ab),
            "mean_wait_seconds": p_ab * patience,
        }


def assert_close(value: float, ref: mp.mpf, what: str) -> None:
    r = float(ref)
    if abs(r) < 1e-300:  # below float64's range: must come out as (about) zero
        assert abs(value) < 1e-290, what
        return
    assert value == pytest.approx(r, rel=RTOL, abs=0), f"{what}: {value!r} vs {mp.nstr(ref, 17)}"


# ---------------------------------------------------------------------------------------
# Agreement grid
# ---------------------------------------------------------------------------------------

LOADS = [0.01, 0.5, 3.7, 20.0, 99.5, 1000.0, 10000.0]


def _agents_for(a: float) -> list[int]:
    root = math.sqrt(a)
    picks = {1, 2, int(a), int(a) + 1, int(a) + 2, int(a + root) + 1, int(a + 4 * root) + 3}
    picks |= {max(1, int(a - 3 * root)), int(2 * a) + 5, 100_000}
    return sorted(p for p in picks if p >= 1)


GRID = [(a, n) for a in LOADS for n in _agents_for(a)]


@pytest.mark.parametrize(("load", "agents"), GRID)
def test_erlang_b_matches_reference(load: float, agents: int) -> None:
    assert_close(float(erlang_b(agents, load)), ref_erlang_b(agents, load), "B")


@pytest.mark.parametrize(("load", "agents"), [(a, n) for a, n in GRID if n > a])
def test_erlang_c_matches_reference(load: float, agents: int) -> None:
    c, sl, asa = ref_erlang_c(agents, load, 180.0, 20.0)
    m = erlang_c_metrics(agents, load, 180.0, 20.0)
    assert_close(float(m.p_wait), c, "p_wait")
    assert_close(float(m.service_level), sl, "service level")
    assert_close(float(m.asa_seconds), asa, "ASA")
    assert float(m.occupancy) == pytest.approx(load / agents, rel=1e-15)


# (aht, patience, service seconds): patient, impatient, very patient, SL window > patience.
A_CASES = [(180.0, 180.0, 20.0), (300.0, 60.0, 20.0), (120.0, 900.0, 30.0), (200.0, 20.0, 60.0)]
A_GRID = [
    (a, n, case)
    for a in LOADS
    for n in _agents_for(a)
    if n <= max(2 * a + 5, 10)  # 100,000 agents: covered separately (reference is slow)
    for case in A_CASES
    if not (a >= 10000 and n <= 2 and case[1] / case[0] > 5)  # reference sums 10^5 states
]


@pytest.mark.parametrize(("load", "agents", "case"), A_GRID)
def test_erlang_a_matches_reference(load: float, agents: int, case: tuple[float, ...]) -> None:
    aht, patience, t = case
    ref = ref_erlang_a(agents, load, aht, patience, t)
    m = erlang_a_metrics(agents, load, aht, patience, t)
    for name, value in ref.items():
        assert_close(float(getattr(m, name)), value, name)


@pytest.mark.parametrize(
    ("agents", "load", "aht", "patience"),
    [
        (100_000, 0.01, 180.0, 180.0),
        (100_000, 10_000.0, 180.0, 180.0),
        (100_000, 10_000.0, 3600.0, 1.0),
        (5, 10_000.0, 3600.0, 1.0),
        (10_500, 10_000.0, 180.0, 1800.0),
        (10_100, 10_000.0, 180.0, 180.0),
        (3, 0.01, 1.0, 3600.0),
    ],
)
def test_erlang_a_extremes_match_reference(
    agents: int, load: float, aht: float, patience: float
) -> None:
    ref = ref_erlang_a(agents, load, aht, patience, 20.0)
    m = erlang_a_metrics(agents, load, aht, patience, 20.0)
    for name, value in ref.items():
        assert_close(float(getattr(m, name)), value, name)


def test_reference_service_level_equals_state_by_state_sum() -> None:
    """The reference's SL integral equals summing P(answered within t | j ahead) per state."""
    n, a, aht, patience, t = 3, 4.0, 60.0, 45.0, 20.0
    with mp.workdps(30):
        x, y = mp.mpf(n) * patience / aht, mp.mpf(a) * patience / aht
        p_t = 1 - mp.exp(-mp.mpf(t) / patience)
        # States below n: answered at once. State n+j (j ahead): wait = (j+1)-th order
        # statistic of x+j Exp(theta); answered within t iff wait <= t and wait < patience:
        # E[(1-p)^1 ; p <= p_t] under Beta(j+1, x) = x/(x+j+1) I_{p_t}(j+1, x+1).
        weights = [mp.mpf(a) ** k / mp.factorial(k) for k in range(n + 1)]
        queue_w, term, j = [], weights[-1], 0
        while term > mp.mpf(10) ** -40:
            queue_w.append(term)
            j += 1
            term = term * y / (x + j)
        total = sum(weights[:-1]) + sum(queue_w)
        answered_t = sum(weights[:-1]) + sum(
            w * x / (x + j + 1) * mp.betainc(j + 1, x + 1, 0, p_t, regularized=True)
            for j, w in enumerate(queue_w)
        )
        direct = answered_t / total
    assert float(direct) == pytest.approx(
        float(ref_erlang_a(n, a, aht, patience, t)["service_level"]), rel=1e-12
    )


# ---------------------------------------------------------------------------------------
# Degenerate inputs and conventions
# ---------------------------------------------------------------------------------------


def test_zero_load_is_served_at_once() -> None:
    for n in (0, 1, 50):
        m = erlang_c_metrics(n, 0.0, 180.0, 20.0)
        assert (float(m.p_wait), float(m.service_level), float(m.asa_seconds)) == (0, 1, 0)
        assert float(m.occupancy) == 0.0
        a = erlang_a_metrics(n, 0.0, 180.0, 60.0, 20.0)
        assert float(a.p_abandon) == 0.0 and float(a.service_level) == 1.0
        assert float(erlang_b(n, 0.0)) == 0.0


@pytest.mark.parametrize(("agents", "load"), [(0, 1.0), (5, 5.0), (5, 7.5), (1, 10_000.0)])
def test_erlang_c_unstable_convention(agents: int, load: float) -> None:
    m = erlang_c_metrics(agents, load, 180.0, 20.0)
    assert float(m.p_wait) == 1.0
    assert float(m.service_level) == 0.0
    assert math.isinf(float(m.asa_seconds))
    assert float(m.occupancy) == 1.0


def test_erlang_a_with_nobody_everyone_abandons() -> None:
    m = erlang_a_metrics(0, 3.0, 180.0, 60.0, 20.0)
    assert float(m.p_abandon) == 1.0 and float(m.service_level) == 0.0
    assert float(m.mean_wait_seconds) == pytest.approx(60.0)


def test_erlang_b_zero_agents_blocks_all() -> None:
    assert float(erlang_b(0, 2.0)) == 1.0


def test_shortcuts_agree_with_metrics() -> None:
    m = erlang_c_metrics(12, 10.0, 200.0, 15.0)
    assert float(erlang_c(12, 10.0)) == float(m.p_wait)
    assert float(service_level_c(12, 10.0, 200.0, 15.0)) == float(m.service_level)
    assert float(asa_c(12, 10.0, 200.0)) == float(m.asa_seconds)
    assert float(occupancy_c(12, 10.0)) == float(m.occupancy)


def test_vectorised_equals_elementwise() -> None:
    agents = np.array([[5, 10, 20], [1, 2, 3]])
    loads = np.array([4.2, 8.0, 15.5])
    m = erlang_a_metrics(agents, loads, 180.0, 120.0, 20.0)
    assert m.p_abandon.shape == (2, 3)
    for i in range(2):
        for j in range(3):
            single = erlang_a_metrics(int(agents[i, j]), loads[j], 180.0, 120.0, 20.0)
            assert float(single.service_level) == m.service_level[i, j]


# ---------------------------------------------------------------------------------------
# Refused inputs
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [math.nan, -1.0, math.inf, -math.inf])
def test_bad_load_is_refused_by_name(bad: float) -> None:
    with pytest.raises(ValueError, match=r"^load: must be finite and >= 0"):
        erlang_b(3, bad)
    with pytest.raises(ValueError, match=r"^load: "):
        erlang_a_metrics(3, [1.0, bad], 180.0, 60.0, 20.0)


def test_message_shows_the_bad_value() -> None:
    with pytest.raises(ValueError, match=r"load: must be finite and >= 0, got nan"):
        erlang_c(2, math.nan)


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"agents": 2.5}, "agents"),
        ({"agents": -1}, "agents"),
        ({"aht_seconds": 0.0}, "aht_seconds"),
        ({"patience_seconds": math.nan}, "patience_seconds"),
        ({"service_seconds": -3.0}, "service_seconds"),
    ],
)
def test_other_bad_arguments_are_named(kwargs: dict[str, float], name: str) -> None:
    args = {
        "agents": 3,
        "load": 2.0,
        "aht_seconds": 180.0,
        "patience_seconds": 60.0,
        "service_seconds": 20.0,
    }
    args.update(kwargs)
    with pytest.raises(ValueError, match=rf"^{name}: "):
        erlang_a_metrics(**args)


# ---------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    load=st.floats(min_value=0.01, max_value=5000.0),
    extra=st.integers(min_value=0, max_value=200),
    patience=st.floats(min_value=5.0, max_value=3600.0),
)
def test_erlang_a_probabilities_are_ordered(load: float, extra: int, patience: float) -> None:
    n = max(1, int(load * 0.8) + extra)
    m = erlang_a_metrics([n, n + 1], load, 180.0, patience, 20.0)
    for arr in (m.p_wait, m.p_abandon, m.service_level, m.service_level_answered):
        assert np.all((arr >= 0) & (arr <= 1))
    assert np.all(m.p_abandon <= m.p_wait)
    assert m.service_level[1] >= m.service_level[0]
    assert m.p_abandon[1] <= m.p_abandon[0]
    assert np.all(m.service_level <= m.service_level_answered + 1e-15)


@settings(max_examples=60, deadline=None)
@given(load=st.floats(min_value=0.01, max_value=5000.0), extra=st.floats(1.0, 300.0))
def test_erlang_a_tends_to_erlang_c_for_very_patient_callers(load: float, extra: float) -> None:
    # Patience of 10^12 s: abandonment ~ ASA / patience is negligible, so Erlang A ~ C.
    n = math.ceil(load + extra)  # at least one agent above the load
    c = erlang_c_metrics(n, load, 180.0, 20.0)
    a = erlang_a_metrics(n, load, 180.0, 1e12, 20.0)
    assert float(a.p_wait) == pytest.approx(float(c.p_wait), rel=1e-4, abs=1e-12)
    assert float(a.service_level) == pytest.approx(float(c.service_level), rel=1e-4, abs=1e-12)
