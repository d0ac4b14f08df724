"""Staffing search: the fewest agents per interval that meet every service target at once.

Rule S2 targets (service level X % within T s, maximum ASA, maximum abandonment, maximum
occupancy) are all met by the returned ``agents``; rule S4 is honoured by working per
interval over whole arrays: a month of 15-minute intervals is one vectorised call.

The search per interval brackets the answer between a staffing known to fail (the
stability or occupancy bound, or zero) and a square-root-staffing guess, widens the
bracket by doubling where the guess still fails, then bisects. Every metric is monotone
in the number of agents, so the result is the exact minimum. All intervals move together
with numpy array operations; only the handful of bracket steps is a Python loop.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Protocol

import numpy as np
import numpy.typing as npt

from wfm.staffing.erlang import (
    FloatArray,
    erlang_a_metrics,
    erlang_b,
    erlang_b_next,
    erlang_c_from_blocking,
    erlang_c_metrics,
)

if TYPE_CHECKING:
    import pandas as pd

Model = Literal["erlang-c", "erlang-a"]
MODELS: tuple[Model, ...] = ("erlang-c", "erlang-a")
IntArray = npt.NDArray[np.int64]

_MAX_BRACKET_STEPS = 64
# Erlang C walks up one agent at a time (Erlang B recurrence, a few array operations per
# step); intervals still short after this many steps switch to bracketing + bisection.
_MAX_WALK_STEPS = 48


class _ServicePolicyLike(Protocol):
    """The fields of ``rules.policy.ServicePolicy`` this module reads."""

    @property
    def service_level_target(self) -> float: ...
    @property
    def service_level_seconds(self) -> float: ...
    @property
    def max_asa_seconds(self) -> float: ...
    @property
    def max_occupancy(self) -> float: ...
    @property
    def shrinkage(self) -> float: ...
    @property
    def answer_rate_min(self) -> float: ...


@dataclass(frozen=True)
class StaffingTargets:
    """Service targets of one queue (rule S2). ``None`` switches a target off.

    ``max_abandon`` only binds under Erlang A: Erlang C callers never abandon.
    ``shrinkage`` is the share of paid time off the phones; it scales the final count.
    """

    service_level: float | None = 0.80
    service_seconds: float = 20.0
    max_asa_seconds: float | None = None
    max_abandon: float | None = None
    max_occupancy: float | None = 0.85
    shrinkage: float = 0.0

    def __post_init__(self) -> None:
        _check_range("service_level", self.service_level, 0.0, 1.0, hi_open=True)
        _check_range("service_seconds", self.service_seconds, 0.0, math.inf)
        _check_range("max_asa_seconds", self.max_asa_seconds, 0.0, math.inf, lo_open=True)
        _check_range("max_abandon", self.max_abandon, 0.0, 1.0, lo_open=True)
        _check_range("max_occupancy", self.max_occupancy, 0.0, 1.0, lo_open=True)
        _check_range("shrinkage", self.shrinkage, 0.0, 1.0, hi_open=True)

    @classmethod
    def from_policy(
        cls, service_policy: _ServicePolicyLike, model: Model = "erlang-c"
    ) -> StaffingTargets:
        """Targets from ``rules.policy.ServicePolicy``.

        ``max_asa_seconds = 0`` in the policy means "no ASA target". The answer-rate floor
        (S2, default 85 %) becomes ``max_abandon = 1 - answer_rate_min`` only for Erlang A,
        the only model in which callers abandon.
        """
        _check_model(model)
        asa = float(service_policy.max_asa_seconds)
        abandon = 1.0 - float(service_policy.answer_rate_min)
        return cls(
            service_level=float(service_policy.service_level_target),
            service_seconds=float(service_policy.service_level_seconds),
            max_asa_seconds=asa if asa > 0 else None,
            max_abandon=abandon if model == "erlang-a" and abandon > 0 else None,
            max_occupancy=float(service_policy.max_occupancy),
            shrinkage=float(service_policy.shrinkage),
        )


@dataclass(frozen=True)
class StaffingResult:
    """Per-interval requirement and the service it achieves (all arrays, one per interval).

    * ``agents``: the fewest whole agents on the phones meeting every target.
    * ``agents_with_shrinkage``: ``ceil(agents / (1 - shrinkage))``, the paid headcount.
    * ``agents_fractional``: a continuous requirement for planners who sum or average
      requirements over intervals. It is the point between ``agents - 1`` and ``agents``
      where the binding target is met, by linear interpolation of that target's metric
      (SL, 1/ASA, abandonment, 1/occupancy — the last is exact for Erlang C: load/max_occ),
      and never below the offered load under Erlang C (stability). Always
      ``agents - 1 < agents_fractional <= agents``, so ``ceil`` gives ``agents`` back.
    * ``agents_fractional_with_shrinkage``: ``agents_fractional / (1 - shrinkage)``.
    * ``service_level``, ``asa_seconds``, ``abandon_rate``, ``occupancy``, ``p_wait``:
      achieved with ``agents``. Under Erlang A ``service_level`` counts abandoners as
      failures and ``asa_seconds`` is the mean wait of all callers.
    """

    offered_load: FloatArray
    agents: IntArray
    agents_with_shrinkage: IntArray
    agents_fractional: FloatArray
    agents_fractional_with_shrinkage: FloatArray
    service_level: FloatArray
    asa_seconds: FloatArray
    abandon_rate: FloatArray
    occupancy: FloatArray
    p_wait: FloatArray
    model: Model = "erlang-c"
    targets: StaffingTargets = field(default_factory=StaffingTargets)

    def to_frame(self) -> pd.DataFrame:
        """The arrays as a pandas DataFrame, one row per interval (pandas loaded lazily)."""
        import pandas as pd

        return pd.DataFrame(
            {
                "offered_load": np.ravel(self.offered_load),
                "agents": np.ravel(self.agents),
                "agents_with_shrinkage": np.ravel(self.agents_with_shrinkage),
                "agents_fractional": np.ravel(self.agents_fractional),
                "agents_fractional_with_shrinkage": np.ravel(self.agents_fractional_with_shrinkage),
                "service_level": np.ravel(self.service_level),
                "asa_seconds": np.ravel(self.asa_seconds),
                "abandon_rate": np.ravel(self.abandon_rate),
                "occupancy": np.ravel(self.occupancy),
                "p_wait": np.ravel(self.p_wait),
            }
        )


# ---------------------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------------------


def _check_range(
    name: str,
    value: float | None,
    lo: float,
    hi: float,
    *,
    lo_open: bool = False,
    hi_open: bool = False,
) -> None:
    if value is None:
        return
    v = float(value)
    ok = math.isfinite(v) and (v > lo if lo_open else v >= lo)
    if not (ok and (v < hi if hi_open else v <= hi)):
        left = "(" if lo_open else "["
        right = ")" if hi_open else "]"
        raise ValueError(f"{name}: must be in {left}{lo:g}, {hi:g}{right}, got {v}")


def _check_model(model: str) -> None:
    if model not in MODELS:
        raise ValueError(f"model: must be one of {', '.join(MODELS)}, got {model!r}")


def _finite_array(name: str, value: npt.ArrayLike, *, positive: bool) -> FloatArray:
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name}: must be a number, got {value!r}") from None
    bad = ~np.isfinite(arr) | ((arr <= 0) if positive else (arr < 0))
    if np.any(bad):
        first = float(arr[bad].flat[0]) if arr.ndim else float(arr)
        raise ValueError(f"{name}: must be finite and {'> 0' if positive else '>= 0'}, got {first}")
    return arr


# ---------------------------------------------------------------------------------------
# Metrics and feasibility
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Queue:
    """Flat per-interval inputs of the search."""

    load: FloatArray
    aht: FloatArray
    patience: FloatArray | None
    model: Model
    targets: StaffingTargets


@dataclass(frozen=True)
class _Metrics:
    service_level: FloatArray
    asa_seconds: FloatArray
    abandon_rate: FloatArray
    occupancy: FloatArray
    p_wait: FloatArray


def _metrics(q: _Queue, n: FloatArray, idx: npt.NDArray[np.intp]) -> _Metrics:
    """Metrics of intervals ``idx`` staffed with ``n`` agents."""
    t = q.targets.service_seconds
    if q.model == "erlang-c":
        c = erlang_c_metrics(n, q.load[idx], q.aht[idx], t)
        zero = np.zeros_like(c.p_wait)
        return _Metrics(c.service_level, c.asa_seconds, zero, c.occupancy, c.p_wait)
    assert q.patience is not None
    m = erlang_a_metrics(n, q.load[idx], q.aht[idx], q.patience[idx], t)
    return _Metrics(m.service_level, m.mean_wait_seconds, m.p_abandon, m.occupancy, m.p_wait)


def _feasible(q: _Queue, n: FloatArray, idx: npt.NDArray[np.intp]) -> npt.NDArray[np.bool_]:
    """Whether ``n`` agents meet every target in intervals ``idx`` (all have load > 0)."""
    return _meets(q, n, idx, _metrics(q, n, idx))


def _meets(
    q: _Queue, n: FloatArray, idx: npt.NDArray[np.intp], m: _Metrics
) -> npt.NDArray[np.bool_]:
    """Whether metrics ``m`` of ``n`` agents meet every target (intervals ``idx``)."""
    tg = q.targets
    ok = n >= 1
    if q.model == "erlang-c":
        ok &= n > q.load[idx]  # unstable otherwise, whatever the targets
    if tg.service_level is not None:
        ok &= m.service_level >= tg.service_level
    if tg.max_asa_seconds is not None:
        ok &= m.asa_seconds <= tg.max_asa_seconds
    if tg.max_abandon is not None:
        ok &= m.abandon_rate <= tg.max_abandon
    if tg.max_occupancy is not None:
        ok &= m.occupancy <= tg.max_occupancy
    return ok


# ---------------------------------------------------------------------------------------
# Search
# ---------------------------------------------------------------------------------------


def _known_infeasible(q: _Queue) -> FloatArray:
    """A staffing that fails every interval's targets (load > 0): the search's lower end."""
    lo = np.zeros_like(q.load)
    if q.model == "erlang-c":
        lo = np.floor(q.load)  # n <= load is unstable
        if q.targets.max_occupancy is not None:
            # n < load / max_occ breaks the occupancy cap (Erlang C occupancy = load / n).
            lo = np.maximum(lo, np.ceil(q.load / q.targets.max_occupancy) - 1.0)
    return lo


def _first_guess(q: _Queue, lo: FloatArray) -> FloatArray:
    """Square-root staffing, n = a + beta sqrt(a): usually within a few agents."""
    beta = 1.0 if q.model == "erlang-c" else 0.0
    return np.maximum(lo + 1.0, np.ceil(q.load + beta * np.sqrt(q.load)))


def _search(q: _Queue) -> FloatArray:
    """The minimum feasible staffing per interval (all loads > 0)."""
    lo = _known_infeasible(q)
    hi = _first_guess(q, lo)
    everyone = np.arange(q.load.size)
    bad = ~_feasible(q, hi, everyone)
    for _ in range(_MAX_BRACKET_STEPS):
        if not np.any(bad):
            break
        idx = np.nonzero(bad)[0]
        width = hi[idx] - lo[idx]
        lo[idx] = hi[idx]
        hi[idx] = hi[idx] + 2.0 * width
        bad[idx] = ~_feasible(q, hi[idx], idx)
    else:  # pragma: no cover - every target is reachable by construction
        raise RuntimeError("staffing search did not bracket the requirement")
    open_ = hi - lo > 1.0
    while np.any(open_):
        idx = np.nonzero(open_)[0]
        mid = np.floor(0.5 * (lo[idx] + hi[idx]))
        good = _feasible(q, mid, idx)
        hi[idx[good]] = mid[good]
        lo[idx[~good]] = mid[~good]
        open_[idx] = hi[idx] - lo[idx] > 1.0
    return hi


def _walk_c(q: _Queue) -> tuple[FloatArray, _Metrics, _Metrics]:
    """Erlang C: the minimum staffing with its metrics and those of one agent fewer.

    Starts from the last staffing known to fail (stability / occupancy bound), computes
    Erlang B there once in closed form, then adds one agent at a time with the Erlang B
    recurrence, so each step is a handful of array operations. Intervals not done after
    _MAX_WALK_STEPS fall back to bracketing + bisection.
    """
    lo = _known_infeasible(q)
    size = lo.size
    n = lo.copy()
    b = erlang_b(n, q.load)
    t = q.targets.service_seconds
    prev = erlang_c_from_blocking(n, q.load, b, q.aht, t)
    found = np.zeros(size, dtype=bool)
    out = {k: np.zeros(size) for k in ("n", *_FIELDS)}
    before = {k: np.zeros(size) for k in _FIELDS}
    _store(before, np.arange(size), _as_metrics(prev))
    active = np.arange(size)
    for _ in range(_MAX_WALK_STEPS):
        n_a = n[active] + 1.0
        b_a = erlang_b_next(b[active], n_a, q.load[active])
        m = _as_metrics(erlang_c_from_blocking(n_a, q.load[active], b_a, q.aht[active], t))
        good = _meets(q, n_a, active, m)
        done = active[good]
        out["n"][done] = n_a[good]
        _store(out, done, _take(m, good))
        found[done] = True
        n[active], b[active] = n_a, b_a
        keep = ~good
        _store(before, active[keep], _take(m, keep))
        active = active[keep]
        if active.size == 0:
            break
    if active.size:
        sub = _subset(q, active)
        n_s = _search(sub)
        local = np.arange(active.size)
        out["n"][active] = n_s
        _store(out, active, _metrics(sub, n_s, local))
        _store(before, active, _metrics(sub, n_s - 1.0, local))
    return out["n"], _from_store(out), _from_store(before)


_FIELDS = ("service_level", "asa_seconds", "abandon_rate", "occupancy", "p_wait")


def _as_metrics(c: Any) -> _Metrics:
    return _Metrics(c.service_level, c.asa_seconds, np.zeros_like(c.p_wait), c.occupancy, c.p_wait)


def _take(m: _Metrics, mask: npt.NDArray[np.bool_]) -> _Metrics:
    return _Metrics(*(getattr(m, f)[mask] for f in _FIELDS))


def _store(dest: dict[str, FloatArray], idx: npt.NDArray[np.intp], m: _Metrics) -> None:
    for f in _FIELDS:
        dest[f][idx] = getattr(m, f)


def _from_store(src: dict[str, FloatArray]) -> _Metrics:
    return _Metrics(*(src[f] for f in _FIELDS))


def _subset(q: _Queue, idx: npt.NDArray[np.intp]) -> _Queue:
    return _Queue(
        load=q.load[idx],
        aht=q.aht[idx],
        patience=q.patience[idx] if q.patience is not None else None,
        model=q.model,
        targets=q.targets,
    )


def _interpolate(
    x0: FloatArray, x1: FloatArray, v0: FloatArray, v1: FloatArray, target: float
) -> FloatArray:
    """Where the metric going linearly from v0 at x0 to v1 at x1 reaches ``target``."""
    span = v1 - v0
    with np.errstate(divide="ignore", invalid="ignore"):
        frac = np.where(span != 0, (target - v0) / span, 1.0)
    return x0 + np.clip(frac, 0.0, 1.0) * (x1 - x0)


def _fractional(q: _Queue, agents: FloatArray, at1: _Metrics, at0: _Metrics) -> FloatArray:
    """Continuous requirement in (agents - 1, agents]: see ``StaffingResult``.

    ``at1`` and ``at0`` are the metrics with ``agents`` and ``agents - 1``.
    """
    tg = q.targets
    n1 = agents
    n0 = agents - 1.0
    load = q.load
    sl0, inv_asa0 = at0.service_level, _inverse(at0.asa_seconds)
    inv_occ0 = _inv_occupancy(n0, at0.occupancy)
    start = n0
    if q.model == "erlang-c":
        # Below the load the queue is unstable; metrics tend to SL 0, 1/ASA 0 at n = load.
        below = n0 < load
        start = np.where(below, load, n0)
        sl0 = np.where(below, 0.0, sl0)
        inv_asa0 = np.where(below, 0.0, inv_asa0)
        inv_occ0 = np.where(below, 1.0, inv_occ0)
    crossing = start.copy()
    if tg.service_level is not None:
        x = _interpolate(start, n1, sl0, at1.service_level, tg.service_level)
        crossing = np.maximum(crossing, x)
    if tg.max_asa_seconds is not None:
        inv1 = _inverse(at1.asa_seconds)
        x = _interpolate(start, n1, inv_asa0, inv1, 1.0 / tg.max_asa_seconds)
        crossing = np.maximum(crossing, x)
    if tg.max_abandon is not None:
        x = _interpolate(start, n1, at0.abandon_rate, at1.abandon_rate, tg.max_abandon)
        crossing = np.maximum(crossing, x)
    if tg.max_occupancy is not None:
        inv1 = _inv_occupancy(n1, at1.occupancy)
        x = _interpolate(start, n1, inv_occ0, inv1, 1.0 / tg.max_occupancy)
        crossing = np.maximum(crossing, x)
    # Strictly above agents - 1 so that ceil() returns agents.
    return np.minimum(np.maximum(crossing, np.nextafter(n0, np.inf)), n1)


def _inverse(v: FloatArray) -> FloatArray:
    with np.errstate(divide="ignore"):
        return np.where(np.isinf(v), 0.0, 1.0 / np.where(v == 0, np.inf, v))


def _inv_occupancy(n: FloatArray, occ: FloatArray) -> FloatArray:
    """n / carried load, with 0 at n = 0; linear in n under Erlang C."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(n > 0, 1.0 / occ, 0.0)


# ---------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------


def offered_load(
    calls: npt.ArrayLike, aht_seconds: npt.ArrayLike, interval_minutes: npt.ArrayLike
) -> FloatArray:
    """Erlangs offered per interval: calls x AHT / interval length."""
    c = _finite_array("calls", calls, positive=False)
    h = _finite_array("aht_seconds", aht_seconds, positive=True)
    i = _finite_array("interval_minutes", interval_minutes, positive=True)
    return np.asarray(c * h / (i * 60.0), dtype=np.float64)


def required_agents(
    calls: npt.ArrayLike,
    aht_seconds: npt.ArrayLike,
    interval_minutes: npt.ArrayLike,
    targets: StaffingTargets | None = None,
    model: Model = "erlang-c",
    patience_seconds: npt.ArrayLike | None = None,
) -> StaffingResult:
    """The fewest agents per interval meeting every target of ``targets`` at once.

    ``calls`` (per interval), ``aht_seconds``, ``interval_minutes`` and ``patience_seconds``
    broadcast against each other; results have the broadcast shape. Zero calls need zero
    agents (rule S1's minimum staff is the roster's business, not this function's).
    Erlang A (``model="erlang-a"``) needs ``patience_seconds`` (mean caller patience) and
    may return fewer agents than the offered load: abandonment keeps the queue stable.
    """
    _check_model(model)
    targets = targets if targets is not None else StaffingTargets()
    load = offered_load(calls, aht_seconds, interval_minutes)
    aht = _finite_array("aht_seconds", aht_seconds, positive=True)
    patience: FloatArray | None = None
    if model == "erlang-a":
        if patience_seconds is None:
            raise ValueError("patience_seconds: required for model erlang-a")
        patience = _finite_array("patience_seconds", patience_seconds, positive=True)
    arrays = [load, aht] + ([patience] if patience is not None else [])
    shape = np.broadcast_shapes(*(a.shape for a in arrays))
    flat = [
        np.ascontiguousarray(np.broadcast_to(a, shape), dtype=np.float64).ravel() for a in arrays
    ]
    q = _Queue(
        load=flat[0],
        aht=flat[1],
        patience=flat[2] if patience is not None else None,
        model=model,
        targets=targets,
    )
    return _solve(q, shape)


def _solve(q: _Queue, shape: tuple[int, ...]) -> StaffingResult:
    size = q.load.size
    agents = np.zeros(size)
    fractional = np.zeros(size)
    sl, asa, ab = np.ones(size), np.zeros(size), np.zeros(size)
    occ, pw = np.zeros(size), np.zeros(size)
    busy = np.nonzero(q.load > 0)[0]
    if busy.size:
        sub = _subset(q, busy)
        if q.model == "erlang-c":
            n, m, m0 = _walk_c(sub)
        else:
            n = _search(sub)
            local = np.arange(busy.size)
            m, m0 = _metrics(sub, n, local), _metrics(sub, n - 1.0, local)
        agents[busy] = n
        fractional[busy] = _fractional(sub, n, m, m0)
        sl[busy], asa[busy], ab[busy] = m.service_level, m.asa_seconds, m.abandon_rate
        occ[busy], pw[busy] = m.occupancy, m.p_wait
    keep = 1.0 - q.targets.shrinkage
    # The 1e-9 guards against 0.7 * (10 / 0.7) = 10.000000000000002 rounding up to 11.
    with_shrinkage = np.ceil(agents / keep - 1e-9)

    def shaped(v: FloatArray) -> FloatArray:
        return v.reshape(shape)

    return StaffingResult(
        offered_load=shaped(q.load),
        agents=agents.astype(np.int64).reshape(shape),
        agents_with_shrinkage=with_shrinkage.astype(np.int64).reshape(shape),
        agents_fractional=shaped(fractional),
        agents_fractional_with_shrinkage=shaped(fractional / keep),
        service_level=shaped(sl),
        asa_seconds=shaped(asa),
        abandon_rate=shaped(ab),
        occupancy=shaped(occ),
        p_wait=shaped(pw),
        model=q.model,
        targets=q.targets,
    )


def s3_headcount(
    monthly_calls: float,
    aht_seconds: float,
    answer_rate: float,
    monthly_hours_per_agent: float,
    attendance_rate: float,
    utilisation: float,
) -> float:
    """Rule S3 monthly headcount (the planner's sanity check beside the Erlang requirement).

    agents = monthly calls x AHT x answer rate
             / (monthly working time per agent x attendance rate x utilisation),
    with AHT in seconds and working time in hours (converted to seconds here).
    """
    _check_range("monthly_calls", monthly_calls, 0.0, math.inf)
    _check_range("aht_seconds", aht_seconds, 0.0, math.inf, lo_open=True)
    _check_range("answer_rate", answer_rate, 0.0, 1.0)
    _check_range("monthly_hours_per_agent", monthly_hours_per_agent, 0.0, math.inf, lo_open=True)
    _check_range("attendance_rate", attendance_rate, 0.0, 1.0, lo_open=True)
    _check_range("utilisation", utilisation, 0.0, 1.0, lo_open=True)
    work = monthly_calls * aht_seconds * answer_rate
    capacity = monthly_hours_per_agent * 3600.0 * attendance_rate * utilisation
    return float(work / capacity)
