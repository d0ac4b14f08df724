"""Benchmark: our vectorised Erlang staffing against pyworkforce on a month of intervals.

A script, not a test. pyworkforce is NOT a dependency of this project; run the script with
an interpreter that has it, outside the repository, e.g.

    python -m venv /tmp/pwf && /tmp/pwf/bin/pip install pyworkforce numpy scipy pandas
    /tmp/pwf/bin/python benchmarks/bench_staffing.py

It builds 31 days x 96 quarter-hours (2,976 intervals) with a two-peak daily curve, quieter
weekends and empty night intervals, staffs them for 80 % in 20 s with occupancy <= 85 %
and 30 % shrinkage, and prints both timings, the speed ratio and every disagreement, each
checked against our exact metrics to say which side is right.
"""

from __future__ import annotations

import math
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from wfm.staffing.erlang import erlang_a_metrics, erlang_c_metrics  # noqa: E402
from wfm.staffing.requirement import StaffingTargets, required_agents  # noqa: E402

AHT_SECONDS = 240.0
INTERVAL_MINUTES = 15
SL, SL_SECONDS, MAX_OCC, SHRINKAGE = 0.80, 20.0, 0.85, 0.30
PATIENCE_SECONDS = 180.0


def month_of_calls(seed: int = 2026) -> np.ndarray:
    """Calls per 15-minute interval for 31 days: morning and afternoon peaks, quiet nights."""
    rng = np.random.default_rng(seed)
    hours = np.arange(96) / 4.0
    curve = (
        2.0
        + 260.0 * np.exp(-(((hours - 10.5) / 1.8) ** 2))
        + 210.0 * np.exp(-(((hours - 15.5) / 2.2) ** 2))
        + 60.0 * np.exp(-(((hours - 20.0) / 1.5) ** 2))
    )
    days = []
    for day in range(31):
        weekend = day % 7 in (5, 6)
        level = curve * (0.55 if weekend else 1.0) * rng.uniform(0.9, 1.1)
        calls = rng.poisson(level).astype(float)
        calls[(hours >= 1) & (hours < 5) & (rng.random(96) < 0.5)] = 0.0  # empty nights
        days.append(calls)
    return np.concatenate(days)


def best_time(fn: Any, repeat: int) -> tuple[float, Any]:
    best, out = math.inf, None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def ours_c(calls: np.ndarray) -> Any:
    tg = StaffingTargets(
        service_level=SL, service_seconds=SL_SECONDS, max_occupancy=MAX_OCC, shrinkage=SHRINKAGE
    )
    return required_agents(calls, AHT_SECONDS, INTERVAL_MINUTES, tg)


def pyworkforce_c(erlang_c: Any, calls: np.ndarray) -> list[dict[str, Any] | str]:
    """One ErlangC object per interval, as pyworkforce is used; zero calls raise there."""
    out: list[dict[str, Any] | str] = []
    for c in calls:
        try:
            e = erlang_c(
                transactions=float(c),
                aht=AHT_SECONDS / 60.0,
                asa=SL_SECONDS / 60.0,
                interval=INTERVAL_MINUTES,
                shrinkage=SHRINKAGE,
            )
            out.append(e.required_positions(service_level=SL, max_occupancy=MAX_OCC))
        except ValueError as err:
            out.append(f"ValueError: {err}")
    return out


def feasible_c(n: int, load: float) -> bool:
    if n <= load:
        return False
    m = erlang_c_metrics(n, load, AHT_SECONDS, SL_SECONDS)
    return float(m.service_level) >= SL and float(m.occupancy) <= MAX_OCC


def compare_c(calls: np.ndarray, ours: Any, theirs: list[dict[str, Any] | str]) -> None:
    raised = [i for i, t in enumerate(theirs) if isinstance(t, str)]
    print(f"pyworkforce raised on {len(raised)} intervals (zero calls); ours gives 0 agents there")
    if raised:
        print(f"  e.g. interval {raised[0]}: {theirs[raised[0]]}")
    worse = {"pyworkforce over-staffs": 0, "pyworkforce under-staffs": 0, "ours wrong": 0}
    examples: list[str] = []
    shrink_diff: list[str] = []
    same = 0
    for i, t in enumerate(theirs):
        if isinstance(t, str):
            continue
        mine, their = int(ours.agents[i]), int(t["raw_positions"])
        if mine == their:
            same += 1
            if int(ours.agents_with_shrinkage[i]) != int(t["positions"]):
                shrink_diff.append(
                    f"interval {i}: same raw agents {mine}, with shrinkage ours "
                    f"{int(ours.agents_with_shrinkage[i])} vs pyworkforce {t['positions']}"
                )
            continue
        load = float(ours.offered_load[i])
        if not feasible_c(mine, load) or (mine > 1 and feasible_c(mine - 1, load)):
            kind = "ours wrong"
        elif their > mine:
            kind = "pyworkforce over-staffs"
        else:
            kind = "pyworkforce under-staffs"
        worse[kind] += 1
        if len(examples) < 8:
            m = erlang_c_metrics(their, load, AHT_SECONDS, SL_SECONDS)
            examples.append(
                f"interval {i}: load {load:.3f} E, ours {mine}, pyworkforce {their} "
                f"(SL at theirs {float(m.service_level):.4f}) -> {kind}"
            )
    compared = len(theirs) - len(raised)
    print(f"identical raw requirement on {same} of {compared} comparable intervals")
    for kind, count in worse.items():
        print(f"  {kind}: {count}")
    for line in examples:
        print("  " + line)
    print(
        f"same raw agents but different count after shrinkage on {len(shrink_diff)} intervals"
        f" (pyworkforce takes ceil(21 / 0.7) = ceil(30.000000000000004) = 31; the exact"
        f" requirement is 30)"
    )
    for line in shrink_diff[:3]:
        print("  " + line)


def compare_a(calls: np.ndarray) -> None:
    try:
        from pyworkforce.queuing import ErlangA  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        ErlangA = None  # noqa: N806
    tg = StaffingTargets(service_level=SL, service_seconds=SL_SECONDS, max_occupancy=None)
    t_ours, res = best_time(
        lambda: required_agents(
            calls,
            AHT_SECONDS,
            INTERVAL_MINUTES,
            tg,
            model="erlang-a",
            patience_seconds=PATIENCE_SECONDS,
        ),
        3,
    )
    print(f"ours Erlang A (patience {PATIENCE_SECONDS:g} s): {t_ours * 1e3:.1f} ms for the month")
    for load in (100.0, 1000.0):
        r = required_agents(load * 1800 / 180, 180.0, 30, tg, "erlang-a", 180.0)
        m = erlang_a_metrics(int(r.agents) - 1, load, 180.0, 180.0, SL_SECONDS)
        print(
            f"  reference point {load:g} E, AHT = patience = 180 s: {int(r.agents)} agents "
            f"(SL {float(r.service_level):.4f}; with one fewer {float(m.service_level):.4f})"
        )
    if ErlangA is None:
        print("pyworkforce has no ErlangA in the installed version: nothing to compare")
        return
    disagreements = 0
    for i, c in enumerate(calls):
        if c <= 0:
            continue
        try:
            e = ErlangA(
                transactions=float(c),
                aht=AHT_SECONDS / 60.0,
                asa=SL_SECONDS / 60.0,
                interval=INTERVAL_MINUTES,
                patience=PATIENCE_SECONDS / 60.0,
            )
            theirs = int(e.required_positions(service_level=SL)["raw_positions"])
        except Exception as err:  # noqa: BLE001 - report whatever the other library raises
            print(f"  pyworkforce ErlangA failed on interval {i}: {err!r}")
            continue
        if theirs != int(res.agents[i]):
            disagreements += 1
    print(f"Erlang A disagreements with pyworkforce: {disagreements}")


def main() -> int:
    try:
        from pyworkforce.queuing import ErlangC  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        print(
            "pyworkforce is not installed in this interpreter. It is not a project dependency;\n"
            "create a throw-away venv outside the repository and run the script with it:\n"
            "  python -m venv /tmp/pwf && /tmp/pwf/bin/pip install pyworkforce numpy scipy pandas\n"
            "  /tmp/pwf/bin/python benchmarks/bench_staffing.py"
        )
        return 1
    from importlib.metadata import version

    print(f"pyworkforce {version('pyworkforce')}, numpy {np.__version__}")
    calls = month_of_calls()
    print(
        f"{calls.size} intervals of {INTERVAL_MINUTES} min, {int((calls == 0).sum())} with no "
        f"calls, peak {calls.max():.0f} calls ({calls.max() * AHT_SECONDS / 900:.1f} E); "
        f"targets {SL:.0%} in {SL_SECONDS:g} s, occupancy <= {MAX_OCC:.0%}, "
        f"shrinkage {SHRINKAGE:.0%}"
    )
    ours_c(calls[:10])  # warm-up (imports, caches)
    t_ours, ours = best_time(lambda: ours_c(calls), 20)
    t_theirs, theirs = best_time(lambda: pyworkforce_c(ErlangC, calls), 3)
    print(f"ours Erlang C        : {t_ours * 1e3:8.2f} ms (one vectorised call, best of 20)")
    print(f"pyworkforce ErlangC  : {t_theirs * 1e3:8.2f} ms (one object per interval, best of 3)")
    print(f"speed-up             : {t_theirs / t_ours:8.1f}x")
    compare_c(calls, ours, theirs)
    compare_a(calls)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
