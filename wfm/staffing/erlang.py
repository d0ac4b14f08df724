"""Queueing maths for call-centre staffing: Erlang B, Erlang C and Erlang A (M/M/N+M).

Pure numpy/scipy, vectorised: every function broadcasts its array arguments and returns
float64 arrays (0-d for scalar input; ``float(x)`` works on those).

Accuracy: float64 results agree with a 50-digit reference to about 1e-10 relative from
0.01 to 10,000 Erlangs and up to 100,000 agents. The formulas are evaluated in log space:

* The Poisson probability ``a**n e**-a / n!`` uses Loader's saddle-point form (Stirling error
  plus a deviance term computed without cancellation), so it keeps full relative precision
  where ``n log a - a - lgamma(n+1)`` would lose ten digits to cancellation.
* Ratios of a Poisson tail to a Poisson probability (``1/ErlangB`` and the Erlang A series
  ``A(x, y)``) come from ``scipy.special.gammaincc/gammainc`` where the tail is not tiny, and
  from a short, monotonically converging series where the tail would underflow or where the
  closed form would cancel.

Conventions (documented behaviour, relied on by the staffing search):

* ``load`` is the offered load in Erlangs (calls x handling time / interval length).
* Zero load: nobody waits whatever the staffing: p_wait 0, SL 1, ASA 0, occupancy 0.
* Erlang C with ``agents <= load`` (and load > 0) is unstable, the queue grows without
  bound: p_wait 1, SL 0, ASA inf, occupancy 1.
* Erlang A is stable for any staffing because callers abandon; with 0 agents every caller
  abandons (p_wait 1, p_abandon 1, SL 0, mean wait = mean patience).

Limit: Erlang A keeps this precision for mean patience up to ~100x the handling time at
any staffing. With absurd patience (>~10^4 x AHT, tens of thousands of agents within a few
agents of the load) a geometric estimate replaces a series that would need >10^5 terms;
there results are approximate (percent level), not exact.

Invalid input (NaN, infinite, negative, fractional agents) raises ``ValueError`` whose
message starts with the argument's name, e.g. ``"load: must be finite and >= 0, got nan"``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import special

FloatArray = npt.NDArray[np.float64]
ArrayLike = npt.ArrayLike

_LOG_SQRT_2PI = 0.5 * np.log(2.0 * np.pi)
# Where a regularised incomplete gamma falls below this, its log is unreliable (subnormal
# or zero) and the direct series takes over; the series converges fast exactly there.
_TINY = 1e-280
# Series are used where (distance from the critical point)^2 exceeds this many times the
# load: there they converge in O(sqrt(load)/30) terms, and the closed forms would cancel.
_SERIES_SPREAD = 1000.0
# For the Erlang A queue series the closed form of the mean queue length cancels by a
# factor of about (x - y)^2 / y, so the series takes over earlier (loss <= 100x).
_QUEUE_SERIES_SPREAD = 100.0
_SLOW_SERIES = 250.0
_SERIES_MAX_TERMS = 200_000


# ---------------------------------------------------------------------------------------
# Input checking
# ---------------------------------------------------------------------------------------


def _as_float(name: str, value: ArrayLike, *, positive: bool = False) -> FloatArray:
    """A float64 array of finite values >= 0 (> 0 if ``positive``), or ValueError naming it."""
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name}: must be a number, got {value!r}") from None
    bound = "> 0" if positive else ">= 0"
    bad = ~np.isfinite(arr) | ((arr <= 0) if positive else (arr < 0))
    if np.any(bad):
        first = arr[bad].flat[0] if arr.ndim else arr
        raise ValueError(f"{name}: must be finite and {bound}, got {float(first)}")
    return arr


def _as_agents(name: str, value: ArrayLike) -> FloatArray:
    """Agent counts: whole numbers >= 0, kept as float64 for the maths."""
    arr = _as_float(name, value)
    if np.any(arr != np.floor(arr)):
        first = arr[arr != np.floor(arr)].flat[0] if arr.ndim else arr
        raise ValueError(f"{name}: must be whole numbers, got {float(first)}")
    return arr


# ---------------------------------------------------------------------------------------
# Log-space building blocks
# ---------------------------------------------------------------------------------------


def _stirling_error(n: FloatArray) -> FloatArray:
    """log(n!) - log(sqrt(2 pi n) (n/e)^n) for n > 0, accurate to full relative precision."""
    out = np.empty_like(n)
    small = n <= 15.0
    ns = n[small]
    out[small] = special.gammaln(ns + 1.0) - (ns + 0.5) * np.log(ns) + ns - _LOG_SQRT_2PI
    nb = n[~small]
    nn = nb * nb
    s0, s1, s2, s3, s4 = 1 / 12, 1 / 360, 1 / 1260, 1 / 1680, 1 / 1188
    # Asymptotic series; five terms give < 1e-17 for n > 15.
    out[~small] = (s0 - (s1 - (s2 - (s3 - s4 / nn) / nn) / nn) / nn) / nb
    return out


def _deviance(x: FloatArray, m: FloatArray) -> FloatArray:
    """x log(x/m) + m - x (>= 0), without cancellation when x is close to m (Loader's bd0)."""
    out = x * np.log(x / m) + m - x
    near = np.abs(x - m) < 0.1 * (x + m)
    if np.any(near):
        xn, mn = x[near], m[near]
        v = (xn - mn) / (xn + mn)
        s = (xn - mn) * v
        ej = 2.0 * xn * v
        v2 = v * v
        # |v| < 0.053 so each term shrinks by > 350; 12 terms reach 1e-30.
        for j in range(1, 13):
            ej = ej * v2
            s = s + ej / (2 * j + 1)
        out[near] = s
    return out


def _log_poisson(n: FloatArray, m: FloatArray) -> FloatArray:
    """log(m^n e^-m / Gamma(n+1)) for real n >= 0, m > 0 (the 'continuous' Poisson term)."""
    n, m = np.broadcast_arrays(n, m)
    out = -m.astype(np.float64, copy=True)  # n == 0: e^-m
    pos = n > 0
    if np.any(pos):
        npos, mpos = n[pos], m[pos]
        out[pos] = -_stirling_error(npos) - _deviance(npos, mpos) - 0.5 * np.log(2.0 * np.pi * npos)
    return out


def _log_inv_erlang_b(n: FloatArray, a: FloatArray) -> FloatArray:
    """log(1 / ErlangB(n, a)) = log(sum_{k<=n} a^k/k! / (a^n/n!)) for integer n >= 0, a > 0.

    Closed form: Q(n+1, a) / poisson(n; a). Where Q would underflow or lose precision
    (n well below a), the ratio is summed directly: sum_k prod_{i<k} (n-i)/a, whose terms
    fall geometrically with ratio <= n/a.
    """
    n, a = np.broadcast_arrays(n, a)
    out = np.empty(n.shape, dtype=np.float64)
    q = special.gammaincc(n + 1.0, a)
    use_series = (n < a) & (((a - n) ** 2 > _SERIES_SPREAD * (a + 1.0)) | (q < _TINY))
    closed = ~use_series
    out[closed] = np.log(q[closed]) - _log_poisson(n[closed], a[closed])
    if np.any(use_series):
        out[use_series] = np.log(_falling_series(n[use_series], a[use_series]))
    return out


def _falling_series(n: FloatArray, a: FloatArray) -> FloatArray:
    """sum_{k=0}^{n} prod_{i<k} (n-i)/a for n < a (terms decrease; sum is in [1, a/(a-n)])."""
    total = np.ones_like(n)
    term = np.ones_like(n)
    active = np.ones(n.shape, dtype=bool)
    k = 0
    while np.any(active) and k < _SERIES_MAX_TERMS:
        idx = np.nonzero(active)[0]
        term[idx] = term[idx] * np.maximum(n[idx] - k, 0.0) / a[idx]
        total[idx] += term[idx]
        k += 1
        active[idx] = term[idx] > 1e-18 * total[idx]
    return total


def _log_a_minus_one(x: FloatArray, y: FloatArray) -> tuple[FloatArray, FloatArray]:
    """log(A(x, y) - 1) and the 'first moment' M(x, y) / (A(x, y) - 1), for x >= 0, y > 0.

    A(x, y) = sum_{j>=0} y^j / ((x+1)(x+2)...(x+j)) = 1 + e^y y^-x gamma(x+1, y)
    is the Erlang A queue mass (relative to the state with all agents busy) and
    M(x, y) = sum_j j y^j / ((x+1)...(x+j)) = (y - x) A + x its mean queue length.

    For y well below x the closed form of M cancels catastrophically, so both are summed
    directly there (terms fall with ratio <= y/(x+1)). Returns log(A-1) and M/(A-1)
    (a ratio, so that nothing underflows).
    """
    x, y = np.broadcast_arrays(x, y)
    log_am1 = np.empty(x.shape, dtype=np.float64)
    m_ratio = np.empty(x.shape, dtype=np.float64)
    p = special.gammainc(x + 1.0, y)
    # The series needs ~40 x / (x - y) terms. Beyond _SLOW_SERIES (only reachable with
    # patience above ~100 x AHT and tens of thousands of agents) the closed form is used,
    # or, where it underflows, a geometric estimate; both may lose digits there.
    quick = x < _SLOW_SERIES * (x - y)
    spread = (x - y) ** 2 > _QUEUE_SERIES_SPREAD * (y + 1.0)
    use_series = (y < x) & quick & (spread | (p < _TINY))
    geometric = (y < x) & ~quick & (p < _TINY)
    if np.any(geometric):
        xg, yg = x[geometric], y[geometric]
        depth = xg / (xg - yg)  # ~ mean queue length, where the term ratio is taken
        r = yg / (xg + 1.0 + 0.5 * depth)
        log_am1[geometric] = np.log(r) - np.log1p(-r)
        m_ratio[geometric] = 1.0 / (1.0 - r)
    closed = ~use_series & ~geometric
    if np.any(closed):
        xc, yc = x[closed], y[closed]
        log_am1[closed] = np.log(p[closed]) - _log_poisson(xc, yc)
        with np.errstate(over="ignore"):  # A - 1 = inf only where y >> x: y / inf = 0 is right
            am1 = np.exp(log_am1[closed])
        # M = (y - x)(A - 1) + y; divide by (A - 1). Cancels only for y < x, bounded there
        # by the series condition above to a loss of ~3 digits.
        m_ratio[closed] = (yc - xc) + yc / am1
    if np.any(use_series):
        total, first = _rising_series(x[use_series], y[use_series])
        log_am1[use_series] = np.log(total)
        m_ratio[use_series] = first / total
    return log_am1, m_ratio


def _rising_series(x: FloatArray, y: FloatArray) -> tuple[FloatArray, FloatArray]:
    """(sum_{j>=1} t_j, sum_{j>=1} j t_j) with t_j = prod_{i=1..j} y/(x+i), for y < x."""
    term = y / (x + 1.0)
    total = term.copy()
    first = term.copy()
    active = np.ones(x.shape, dtype=bool)
    j = 1
    while np.any(active) and j < _SERIES_MAX_TERMS:
        idx = np.nonzero(active)[0]
        j += 1
        term[idx] = term[idx] * y[idx] / (x[idx] + j)
        total[idx] += term[idx]
        first[idx] += j * term[idx]
        active[idx] = j * term[idx] > 1e-18 * first[idx]
    return total, first


def _flat(*arrays: FloatArray) -> tuple[tuple[int, ...], list[FloatArray]]:
    """Broadcast and flatten (the helpers above index with boolean masks)."""
    b = np.broadcast_arrays(*arrays)
    shape = b[0].shape
    return shape, [np.ascontiguousarray(v, dtype=np.float64).ravel() for v in b]


# ---------------------------------------------------------------------------------------
# Erlang B and C
# ---------------------------------------------------------------------------------------


def erlang_b(agents: ArrayLike, load: ArrayLike) -> FloatArray:
    """Blocking probability of M/M/N/N with ``agents`` servers and ``load`` Erlangs."""
    n = _as_agents("agents", agents)
    a = _as_float("load", load)
    shape, (nf, af) = _flat(n, a)
    out = np.zeros(nf.shape, dtype=np.float64)
    pos = af > 0
    out[pos] = np.exp(-_log_inv_erlang_b(nf[pos], af[pos]))
    return out.reshape(shape)


@dataclass(frozen=True)
class ErlangCMetrics:
    """Erlang C (M/M/N, infinitely patient callers) steady-state metrics, per element."""

    p_wait: FloatArray
    service_level: FloatArray
    asa_seconds: FloatArray
    occupancy: FloatArray


def erlang_c(agents: ArrayLike, load: ArrayLike) -> FloatArray:
    """Probability that a call waits (Erlang C formula); 1 when unstable (agents <= load)."""
    return erlang_c_metrics(agents, load, aht_seconds=1.0, service_seconds=0.0).p_wait


def erlang_c_metrics(
    agents: ArrayLike, load: ArrayLike, aht_seconds: ArrayLike, service_seconds: ArrayLike
) -> ErlangCMetrics:
    """p_wait, SL (share answered within ``service_seconds``), ASA and occupancy.

    SL(t) = 1 - C exp(-(N - a) t / AHT); ASA = C AHT / (N - a); occupancy = a / N.
    """
    n = _as_agents("agents", agents)
    a = _as_float("load", load)
    aht = _as_float("aht_seconds", aht_seconds, positive=True)
    t = _as_float("service_seconds", service_seconds)
    shape, (nf, af, ahtf, tf) = _flat(n, a, aht, t)

    b = np.ones(nf.shape)
    stable = (af > 0) & (nf > af)
    if np.any(stable):
        b[stable] = np.exp(-_log_inv_erlang_b(nf[stable], af[stable]))
    m = erlang_c_from_blocking(nf, af, b, ahtf, tf)
    return ErlangCMetrics(
        p_wait=m.p_wait.reshape(shape),
        service_level=m.service_level.reshape(shape),
        asa_seconds=m.asa_seconds.reshape(shape),
        occupancy=m.occupancy.reshape(shape),
    )


def erlang_b_next(blocking: FloatArray, next_agents: FloatArray, load: FloatArray) -> FloatArray:
    """ErlangB(n, a) from ErlangB(n - 1, a): B(n) = a B / (n + a B). Stable going up.

    For the staffing search, which walks up one agent at a time; no input checks.
    """
    ab = load * blocking
    return np.asarray(ab / (next_agents + ab), dtype=np.float64)


def erlang_c_from_blocking(
    agents: FloatArray,
    load: FloatArray,
    blocking: FloatArray,
    aht_seconds: FloatArray,
    service_seconds: FloatArray | float,
) -> ErlangCMetrics:
    """Erlang C metrics of flat arrays given ErlangB(agents, load); no input checks.

    SL(t) = 1 - C exp(-(N - a) t / AHT); ASA = C AHT / (N - a); occupancy = a / N.
    """
    n, a, b, h = agents, load, blocking, aht_seconds
    t = np.broadcast_to(np.asarray(service_seconds, dtype=np.float64), n.shape)
    p_wait, sl = np.zeros(n.shape), np.ones(n.shape)
    asa, occ = np.zeros(n.shape), np.zeros(n.shape)
    unstable = (a > 0) & (n <= a)
    p_wait[unstable], sl[unstable], asa[unstable], occ[unstable] = 1.0, 0.0, np.inf, 1.0
    ok = (a > 0) & ~unstable
    if np.any(ok):
        nn, aa, bb, hh, tt = n[ok], a[ok], b[ok], h[ok], t[ok]
        rho = aa / nn
        slack = 1.0 - rho  # > 0, exact enough: rho's own rounding is 1 ulp
        # C = B / (1 - rho (1 - B)) written as a sum of positives: no cancellation near rho=1.
        denom = slack + rho * bb
        c = bb / denom
        one_minus_c = slack * (1.0 - bb) / denom
        decay = (nn - aa) * tt / hh
        # SL = (1 - C) + C (1 - e^-decay): positive terms, accurate even when SL is tiny.
        sl[ok] = one_minus_c + c * -np.expm1(-decay)
        asa[ok] = c * hh / (nn - aa)
        p_wait[ok] = c
        occ[ok] = rho
    return ErlangCMetrics(p_wait=p_wait, service_level=sl, asa_seconds=asa, occupancy=occ)


def service_level_c(
    agents: ArrayLike, load: ArrayLike, aht_seconds: ArrayLike, service_seconds: ArrayLike
) -> FloatArray:
    """Erlang C share of calls answered within ``service_seconds``."""
    return erlang_c_metrics(agents, load, aht_seconds, service_seconds).service_level


def asa_c(agents: ArrayLike, load: ArrayLike, aht_seconds: ArrayLike) -> FloatArray:
    """Erlang C average speed of answer in seconds (inf when unstable)."""
    return erlang_c_metrics(agents, load, aht_seconds, 0.0).asa_seconds


def occupancy_c(agents: ArrayLike, load: ArrayLike) -> FloatArray:
    """Erlang C agent occupancy load / agents (1 when unstable, 0 when there is no load)."""
    return erlang_c_metrics(agents, load, 1.0, 0.0).occupancy


# ---------------------------------------------------------------------------------------
# Erlang A
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ErlangAMetrics:
    """Erlang A (M/M/N+M) steady-state metrics, per element.

    * ``p_wait``: share of callers who find all agents busy.
    * ``p_abandon``: share of callers who hang up before being answered.
    * ``service_level``: share of ALL callers answered within t seconds; an abandoner is a
      failure even if they hung up before t (the strict reading used for targets).
    * ``service_level_answered``: the same count over answered callers only.
    * ``mean_wait_seconds``: mean time in queue over all callers (abandoners count their
      time until hanging up) = p_abandon x mean patience. Used as the ASA of Erlang A.
    * ``occupancy``: carried load / agents = load (1 - p_abandon) / agents.
    """

    p_wait: FloatArray
    p_abandon: FloatArray
    service_level: FloatArray
    service_level_answered: FloatArray
    mean_wait_seconds: FloatArray
    occupancy: FloatArray


def erlang_a_metrics(
    agents: ArrayLike,
    load: ArrayLike,
    aht_seconds: ArrayLike,
    patience_seconds: ArrayLike,
    service_seconds: ArrayLike,
) -> ErlangAMetrics:
    """Exact Erlang A metrics (Garnett-Mandelbaum-Reiman closed forms, in log space).

    With x = N AHT^-1 / patience^-1 = N patience / AHT and y = load patience / AHT,
    E = ErlangB(N, load) and A = A(x, y) (see ``_log_a_minus_one``), the probability that
    all agents are busy and the queue is empty is p_N = 1 / (1/E - 1 + A), and
    P(wait) = p_N A, P(abandon) = p_N M / y, SL(t) = p_N (1/E - 1 + K - L(t)) with
    K = (x/y)(A - 1) and L(t) = (x/y) e^{-theta t x + y - y'} (A(x, y') - 1), y' = y e^{-theta t}.
    """
    n = _as_agents("agents", agents)
    a = _as_float("load", load)
    aht = _as_float("aht_seconds", aht_seconds, positive=True)
    pat = _as_float("patience_seconds", patience_seconds, positive=True)
    t = _as_float("service_seconds", service_seconds)
    shape, (nf, af, ahtf, patf, tf) = _flat(n, a, aht, pat, t)

    size = nf.shape
    p_wait, p_ab = np.zeros(size), np.zeros(size)
    sl, sl_ans = np.ones(size), np.ones(size)
    occ = np.zeros(size)

    nobody = (af > 0) & (nf == 0)
    p_wait[nobody], p_ab[nobody], sl[nobody], sl_ans[nobody] = 1.0, 1.0, 0.0, 0.0
    occ[nobody] = 1.0

    ok = (af > 0) & (nf > 0)
    if np.any(ok):
        pw, pa, s_all, s_ans, oc = _erlang_a_core(nf[ok], af[ok], ahtf[ok], patf[ok], tf[ok])
        p_wait[ok], p_ab[ok], sl[ok], sl_ans[ok], occ[ok] = pw, pa, s_all, s_ans, oc
    wait = p_ab * patf
    return ErlangAMetrics(
        p_wait=p_wait.reshape(shape),
        p_abandon=p_ab.reshape(shape),
        service_level=sl.reshape(shape),
        service_level_answered=sl_ans.reshape(shape),
        mean_wait_seconds=wait.reshape(shape),
        occupancy=occ.reshape(shape),
    )


def _erlang_a_core(
    n: FloatArray, a: FloatArray, aht: FloatArray, patience: FloatArray, t: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, FloatArray]:
    """Erlang A for n >= 1, a > 0 (flat arrays).

    Every probability q is known through both log q and log(1 - q) as sums of positive
    terms, so whichever side is small is exponentiated: no 1 - (1 - tiny) rounding.
    """
    ratio = patience / aht  # mu / theta
    x = n * ratio
    y = a * ratio
    log_inv_e = _log_inv_erlang_b(n, a)
    # 1/E - 1 = (n/a) / E(n-1): a positive quantity without cancellation.
    log_inv_e_m1 = np.log(n / a) + _log_inv_erlang_b(n - 1.0, a)
    log_am1, m_ratio = _log_a_minus_one(x, y)
    log_x_over_y = np.log(x / y)
    theta_t = t / patience

    # Masses relative to p_N (state "all busy, nobody queued"): below = 1/E - 1,
    # queue = A = 1 + (A - 1), abandoned = M / y, answered = below + K,
    # answered within t = below + (K - L), answered after t = L.
    log_k = log_x_over_y + log_am1
    log_pn = -np.logaddexp(log_inv_e, log_am1)
    log_queue = np.logaddexp(0.0, log_am1)
    log_abandoned = log_am1 + np.log(m_ratio) - np.log(y)
    log_answered = np.logaddexp(log_inv_e_m1, log_k)
    log_within = np.logaddexp(
        log_inv_e_m1, _log_answered_within(x, y, theta_t, log_x_over_y, log_k)
    )
    log_after = _log_answered_after(x, y, theta_t, log_x_over_y)

    p_wait = _prob(log_pn + log_queue, log_pn + log_inv_e_m1)
    p_ab = _prob(log_pn + log_abandoned, log_pn + log_answered)
    sl_all = _prob(log_pn + log_within, log_pn + np.logaddexp(log_abandoned, log_after))
    sl_ans = _prob(log_within - log_answered, log_after - log_answered)
    occ = a * np.exp(log_pn + log_answered) / n
    return p_wait, p_ab, sl_all, sl_ans, occ


def _prob(log_q: FloatArray, log_complement: FloatArray) -> FloatArray:
    """q from log q and log(1 - q), using whichever side is below one half."""
    with np.errstate(over="ignore"):
        q = np.where(log_q < -0.693, np.exp(log_q), 1.0 - np.exp(log_complement))
    return np.clip(q, 0.0, 1.0)


def _log_answered_after(
    x: FloatArray, y: FloatArray, theta_t: FloatArray, log_x_over_y: FloatArray
) -> FloatArray:
    """log L(t): callers answered after waiting longer than t, relative to p_N.

    L(t) = (x/y) e^y y^-x gamma(x+1, y') = (x/y) e^{-theta t x + y - y'} (A(x, y') - 1)
    with y' = y e^{-theta t}.
    """
    y_t = y * np.exp(-theta_t)
    out = np.full(x.shape, -np.inf)
    live = y_t > 0
    if np.any(live):
        log_am1_t, _ = _log_a_minus_one(x[live], y_t[live])
        shift = -theta_t[live] * x[live] - y[live] * np.expm1(-theta_t[live])
        out[live] = log_x_over_y[live] + shift + log_am1_t
    return out


def _log_answered_within(
    x: FloatArray, y: FloatArray, theta_t: FloatArray, log_x_over_y: FloatArray, log_k: FloatArray
) -> FloatArray:
    """log(K - L(t)): callers answered after a wait of at most t, relative to p_N.

    K - L = (x/y) e^y y^-x [gamma(x+1, y) - gamma(x+1, y')], y' = y e^{-theta t}: the mass of
    v^x e^-v between y' and y. Which pair of tails is subtracted is chosen so that the
    larger tail is not almost the whole mass (that would cancel when SL is tiny):

    * y' >= x (the window lies above the mode, heavy understaffing): upper tails,
      e^y y^-x Gamma(x+1, y') - e^y y^-x Gamma(x+1, y);
    * otherwise lower tails, K - L with L = (x/y) e^{-theta t x + y - y'} (A(x, y') - 1).

    Where the two tails still agree to 3 digits the window is so narrow that a
    Gauss-Legendre rule on x int_0^{theta t} exp(y (1 - e^-s) - (x+1) s) ds is exact.
    """
    out = np.full(x.shape, -np.inf)
    y_t = y * np.exp(-theta_t)
    shift = -theta_t * x - y * np.expm1(-theta_t)  # log(e^{y-y'} (y'/y)^x)
    gap = np.full(x.shape, -np.inf)  # log(smaller tail / larger tail), <= 0
    upper = (y_t >= x) & (theta_t > 0)
    lower = (y_t < x) & (theta_t > 0)
    if np.any(lower):
        log_l = np.full(int(lower.sum()), -np.inf)
        yl = y_t[lower]
        live = yl > 0
        log_am1_t, _ = _log_a_minus_one(x[lower][live], yl[live])
        log_l[live] = log_x_over_y[lower][live] + shift[lower][live] + log_am1_t
        gap[lower] = log_l - log_k[lower]
        out[lower] = log_k[lower] + _log1mexp(gap[lower])
    if np.any(upper):
        xu = x[upper]
        log_far = _log_upper_ratio(xu, y[upper])
        log_near = shift[upper] + _log_upper_ratio(xu, y_t[upper])
        gap[upper] = log_far - log_near
        out[upper] = log_x_over_y[upper] + log_near + _log1mexp(gap[upper])
    narrow = (theta_t > 0) & (gap > -1e-3)
    if np.any(narrow):
        out[narrow] = _log_window_quadrature(x[narrow], y[narrow], theta_t[narrow])
    return out


def _log1mexp(d: FloatArray) -> FloatArray:
    """log(1 - e^d) for d <= 0, accurate for d near 0 and very negative d."""
    d = np.minimum(d, 0.0)
    with np.errstate(divide="ignore"):
        return np.where(d > -0.693, np.log(-np.expm1(d)), np.log1p(-np.exp(d)))


_GL_NODES, _GL_WEIGHTS = np.polynomial.legendre.leggauss(64)


def _log_window_quadrature(x: FloatArray, y: FloatArray, theta_t: FloatArray) -> FloatArray:
    """log(x int_0^{theta t} exp(y (1 - e^-s) - (x+1) s) ds) by 64-point Gauss-Legendre."""
    half = 0.5 * theta_t
    s = half[:, None] * (_GL_NODES[None, :] + 1.0)
    phi = -y[:, None] * np.expm1(-s) - (x[:, None] + 1.0) * s
    peak = phi.max(axis=1)
    total = (np.exp(phi - peak[:, None]) * _GL_WEIGHTS[None, :]).sum(axis=1)
    return np.log(x) + np.log(half) + peak + np.log(total)


def _log_upper_ratio(x: FloatArray, y: FloatArray) -> FloatArray:
    """log(e^y y^-x Gamma(x+1, y)) = log(Q(x+1, y) / poisson(x; y)), for y >= x, y > 0.

    The closed form is used unless Q underflows; there y is far above x and the Legendre
    continued fraction converges in a few terms.
    """
    out = np.empty(x.shape, dtype=np.float64)
    q = special.gammaincc(x + 1.0, y)
    tiny = q < _TINY
    ok = ~tiny
    out[ok] = np.log(q[ok]) - _log_poisson(x[ok], y[ok])
    if np.any(tiny):
        out[tiny] = np.log(y[tiny] * _upper_gamma_cf(x[tiny] + 1.0, y[tiny]))
    return out


def _upper_gamma_cf(s: FloatArray, y: FloatArray) -> FloatArray:
    """Gamma(s, y) e^y y^-s by the modified Lentz continued fraction (y > s - 1)."""
    fpmin = 1e-300
    b = y + 1.0 - s
    c = np.full(s.shape, 1.0 / fpmin)
    d = 1.0 / b
    h = d.copy()
    active = np.ones(s.shape, dtype=bool)
    i = 0
    while np.any(active) and i < _SERIES_MAX_TERMS:
        i += 1
        idx = np.nonzero(active)[0]
        an = -i * (i - s[idx])
        b[idx] += 2.0
        dd = an * d[idx] + b[idx]
        dd = np.where(np.abs(dd) < fpmin, fpmin, dd)
        cc = b[idx] + an / c[idx]
        cc = np.where(np.abs(cc) < fpmin, fpmin, cc)
        dd = 1.0 / dd
        delta = dd * cc
        d[idx], c[idx] = dd, cc
        h[idx] *= delta
        active[idx] = np.abs(delta - 1.0) > 1e-16
    return h
