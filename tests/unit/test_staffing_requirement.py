"""The staffing search: minimality, each target alone, combined targets, shrinkage, Erlang A."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rules import default_policy
from wfm.staffing.erlang import erlang_a_metrics, erlang_c_metrics
from wfm.staffing.requirement import (
    StaffingTargets,
    offered_load,
    required_agents,
    s3_headcount,
)

NONE = StaffingTargets(service_level=None, max_occupancy=None)


def _c_ok(n: int, load: float, aht: float, tg: StaffingTargets) -> bool:
    """Independent scalar check of every Erlang C target at n agents."""
    if n <= load:
        return False
    m = erlang_c_metrics(n, load, aht, tg.service_seconds)
    return (
        (tg.service_level is None or float(m.service_level) >= tg.service_level)
        and (tg.max_asa_seconds is None or float(m.asa_seconds) <= tg.max_asa_seconds)
        and (tg.max_occupancy is None or float(m.occupancy) <= tg.max_occupancy)
    )


def _linear_c(load: float, aht: float, tg: StaffingTargets) -> int:
    n = max(1, math.floor(load) + 1)
    while not _c_ok(n, load, aht, tg):
        n += 1
    return n


TARGET_SETS = [
    StaffingTargets(),
    StaffingTargets(service_level=0.9, service_seconds=10, max_occupancy=None),
    StaffingTargets(service_level=None, max_asa_seconds=15, max_occupancy=None),
    StaffingTargets(service_level=None, max_occupancy=0.7),
    StaffingTargets(service_level=0.8, max_asa_seconds=5, max_occupancy=0.9),
]


@pytest.mark.parametrize("targets", TARGET_SETS)
def test_erlang_c_search_is_the_exact_minimum(targets: StaffingTargets) -> None:
    calls = np.array([1, 3, 17, 40, 120, 333, 900, 2500, 9000, 40000], dtype=float)
    res = required_agents(calls, 180.0, 30, targets)
    for i, c in enumerate(calls):
        load = c * 180.0 / 1800.0
        assert res.agents[i] == _linear_c(load, 180.0, targets), (c, targets)


@settings(max_examples=40, deadline=None)
@given(
    calls=st.floats(min_value=0.01, max_value=20000.0),
    aht=st.floats(min_value=20.0, max_value=900.0),
    sl=st.floats(min_value=0.3, max_value=0.99),
)
def test_erlang_c_minimum_property(calls: float, aht: float, sl: float) -> None:
    tg = StaffingTargets(service_level=sl, service_seconds=20.0, max_occupancy=0.9)
    res = required_agents(calls, aht, 15, tg)
    load = calls * aht / 900.0
    n = int(res.agents)
    assert _c_ok(n, load, aht, tg)
    assert n == 1 or not _c_ok(n - 1, load, aht, tg)
    assert n - 1 < float(res.agents_fractional) <= n


def test_each_target_alone_binds_and_combined_is_the_max() -> None:
    calls, aht = np.array([50.0, 400.0, 2000.0]), 240.0
    alone = {
        "sl": StaffingTargets(service_level=0.95, service_seconds=10, max_occupancy=None),
        "asa": StaffingTargets(service_level=None, max_asa_seconds=3, max_occupancy=None),
        "occ": StaffingTargets(service_level=None, max_occupancy=0.6),
    }
    base = required_agents(calls, aht, 30, NONE).agents
    per = {k: required_agents(calls, aht, 30, t).agents for k, t in alone.items()}
    for k, agents in per.items():
        assert np.all(agents > base), k  # each target alone is stricter than stability
    both = StaffingTargets(
        service_level=0.95, service_seconds=10, max_asa_seconds=3, max_occupancy=0.6
    )
    combined = required_agents(calls, aht, 30, both).agents
    assert np.array_equal(combined, np.maximum.reduce(list(per.values())))


def test_no_targets_means_just_stable() -> None:
    res = required_agents([10.0, 45.0], 180.0, 30, NONE)
    assert list(res.agents) == [2, 5]  # loads 1.0 and 4.5 need 2 and 5 for stability


def test_occupancy_cap_with_tiny_load_terminates() -> None:
    res = required_agents(0.001, 60.0, 30, StaffingTargets(service_level=None, max_occupancy=0.01))
    assert int(res.agents) == 1
    res = required_agents(300.0, 180.0, 30, StaffingTargets(service_level=None, max_occupancy=0.5))
    assert int(res.agents) == 60  # load 30 / 0.5
    assert float(res.agents_fractional) == pytest.approx(60.0)


def test_zero_calls_need_nobody() -> None:
    res = required_agents(np.zeros(3), 180.0, 15, StaffingTargets(shrinkage=0.3))
    assert np.all(res.agents == 0) and np.all(res.agents_with_shrinkage == 0)
    assert np.all(res.service_level == 1.0) and np.all(res.asa_seconds == 0.0)
    assert np.all(res.p_wait == 0.0) and np.all(res.agents_fractional == 0.0)


def test_shrinkage_scales_up_and_rounds_up() -> None:
    tg = StaffingTargets(shrinkage=0.3)
    res = required_agents(np.array([100.0, 500.0, 1000.0]), 180.0, 30, tg)
    expected = np.ceil(res.agents / 0.7 - 1e-9)
    assert np.array_equal(res.agents_with_shrinkage, expected)
    assert np.all(res.agents_with_shrinkage >= res.agents)
    # 7 agents / 0.7 is exactly 10, not 11 after rounding noise.
    tg = StaffingTargets(service_level=None, max_occupancy=None, shrinkage=0.3)
    res = required_agents(65.0, 180.0, 30, tg)  # load 6.5: 7 agents for stability
    assert int(res.agents) == 7 and int(res.agents_with_shrinkage) == 10


def test_fractional_is_between_neighbours_and_sums() -> None:
    calls = np.linspace(1.0, 3000.0, 200)
    res = required_agents(calls, 200.0, 15, StaffingTargets())
    assert np.all(res.agents_fractional > res.agents - 1)
    assert np.all(res.agents_fractional <= res.agents)
    assert np.array_equal(np.ceil(res.agents_fractional), res.agents)
    assert np.all(np.diff(res.agents_fractional) >= -1e-9)  # more calls, more agents
    assert res.agents_fractional_with_shrinkage == pytest.approx(res.agents_fractional)


def test_month_of_intervals_in_one_call() -> None:
    rng = np.random.default_rng(7)
    day = 200 * (1 + np.sin(np.linspace(-np.pi / 2, 3 * np.pi / 2, 96)))
    calls = rng.poisson(np.tile(day, 31)).astype(float)
    res = required_agents(calls, 240.0, 15, StaffingTargets(shrinkage=0.3))
    assert res.agents.shape == (2976,)
    frame = res.to_frame()
    assert len(frame) == 2976 and "agents_with_shrinkage" in frame.columns
    busy = calls > 0
    assert np.all(res.service_level[busy] >= 0.8) and np.all(res.occupancy[busy] <= 0.85)


def test_broadcast_shapes() -> None:
    res = required_agents(np.full((2, 3), 100.0), np.array([120.0, 180.0, 240.0]), 30)
    assert res.agents.shape == (2, 3)
    assert np.all(np.diff(res.agents, axis=1) > 0)


# ---------------------------------------------------------------------------------------
# Erlang A
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("load", "expected"), [(100.0, 99), (1000.0, 928)])
def test_erlang_a_reference_points(load: float, expected: int) -> None:
    """AHT 3 min, patience 3 min, 80 % in 20 s (abandoners fail). Cross-checked in
    test_erlang.py's mpmath reference: the metrics below are exact to 1e-9 there."""
    calls = load * 1800.0 / 180.0
    tg = StaffingTargets(service_level=0.8, service_seconds=20, max_occupancy=None)
    res = required_agents(calls, 180.0, 30, tg, model="erlang-a", patience_seconds=180.0)
    assert int(res.agents) == expected
    below = erlang_a_metrics(expected - 1, load, 180.0, 180.0, 20.0)
    assert float(below.service_level) < 0.8 <= float(res.service_level)
    assert int(res.agents) < load  # abandonment keeps the queue stable below the load


def test_erlang_a_abandonment_target_s2() -> None:
    tg = StaffingTargets(service_level=None, max_abandon=0.15, max_occupancy=None)
    res = required_agents(2000.0, 180.0, 30, tg, model="erlang-a", patience_seconds=60.0)
    n = int(res.agents)
    assert float(res.abandon_rate) <= 0.15
    assert float(erlang_a_metrics(n - 1, 200.0, 180.0, 60.0, 20.0).p_abandon) > 0.15
    assert n < 200  # 15 % may abandon: fewer agents than the load


def test_erlang_a_needs_patience() -> None:
    with pytest.raises(ValueError, match="^patience_seconds: "):
        required_agents(10.0, 180.0, 30, model="erlang-a")


def test_erlang_a_month_is_one_call() -> None:
    calls = np.tile(np.array([0.0, 5.0, 50.0, 300.0, 800.0]), 600)
    tg = StaffingTargets(max_abandon=0.15, max_asa_seconds=30)
    res = required_agents(calls, 200.0, 15, tg, model="erlang-a", patience_seconds=120.0)
    busy = calls > 0
    assert np.all(res.abandon_rate[busy] <= 0.15) and np.all(res.asa_seconds[busy] <= 30)
    assert np.all(res.service_level[busy] >= 0.8)
    assert np.all(res.agents[~busy] == 0)


# ---------------------------------------------------------------------------------------
# Targets, policy, validation, S3
# ---------------------------------------------------------------------------------------


def test_targets_from_policy() -> None:
    service = default_policy().service
    c = StaffingTargets.from_policy(service)
    assert c.service_level == service.service_level_target
    assert c.max_asa_seconds is None  # 0 in the policy means no ASA target
    assert c.max_abandon is None  # Erlang C has no abandonment
    assert c.shrinkage == service.shrinkage
    a = StaffingTargets.from_policy(service, model="erlang-a")
    assert a.max_abandon == pytest.approx(1 - service.answer_rate_min)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("service_level", 1.0),
        ("service_level", math.nan),
        ("max_occupancy", 0.0),
        ("max_abandon", -0.1),
        ("max_asa_seconds", 0.0),
        ("shrinkage", 1.0),
        ("service_seconds", math.inf),
    ],
)
def test_bad_targets_are_refused_by_name(field: str, value: float) -> None:
    with pytest.raises(ValueError, match=rf"^{field}: "):
        StaffingTargets(**{field: value})


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"calls": math.nan}, "calls"),
        ({"calls": -1.0}, "calls"),
        ({"aht_seconds": 0.0}, "aht_seconds"),
        ({"interval_minutes": math.inf}, "interval_minutes"),
        ({"model": "erlang-x"}, "model"),
    ],
)
def test_bad_inputs_are_refused_by_name(kwargs: dict[str, object], name: str) -> None:
    args: dict[str, object] = {"calls": 10.0, "aht_seconds": 180.0, "interval_minutes": 30}
    args.update(kwargs)
    with pytest.raises(ValueError, match=rf"^{name}: "):
        required_agents(**args)  # type: ignore[arg-type]


def test_offered_load() -> None:
    assert float(offered_load(100, 180, 30)) == pytest.approx(10.0)


def test_s3_headcount_formula() -> None:
    # 100,000 calls x 180 s x 0.85 / (173.3 h x 3600 x 0.95 x 0.85) = 30.38...
    got = s3_headcount(100_000, 180.0, 0.85, 173.3, 0.95, 0.85)
    assert got == pytest.approx(100_000 * 180 * 0.85 / (173.3 * 3600 * 0.95 * 0.85))
    assert s3_headcount(0, 180.0, 0.85, 173.3, 0.95, 0.85) == 0.0
    with pytest.raises(ValueError, match="^attendance_rate: "):
        s3_headcount(1000, 180.0, 0.85, 173.3, 0.0, 0.85)


# ---------------------------------------------------------------------------------------
# CLI (one interval)
# ---------------------------------------------------------------------------------------


def _cli(*args: str) -> tuple[int, str]:
    import typer
    from typer.testing import CliRunner

    from wfm.cli.staffing import register

    app = typer.Typer()
    register(app)

    @app.callback()
    def _root() -> None:  # keeps "staffing" a sub-command of this local app
        pass

    result = CliRunner().invoke(app, ["staffing", *args])
    return result.exit_code, result.output


def test_cli_prints_requirement_json() -> None:
    import json

    code, out = _cli("--calls", "1000", "--aht", "180", "--shrinkage", "0.3", "--json")
    assert code == 0, out
    data = json.loads(out)
    expected = required_agents(1000, 180, 30, StaffingTargets(shrinkage=0.3))
    assert data["agents"] == int(expected.agents)
    assert data["agents_with_shrinkage"] == int(expected.agents_with_shrinkage)
    assert data["targets"]["max_abandon"] is None  # erlang-c


def test_cli_erlang_a_uses_policy_defaults() -> None:
    import json

    code, out = _cli("--calls", "1000", "--aht", "180", "--model", "erlang-a", "--json")
    assert code == 0, out
    data = json.loads(out)
    assert data["targets"]["max_abandon"] == pytest.approx(0.15)
    assert data["abandon_rate"] <= 0.15 and data["service_level"] >= 0.8


def test_cli_text_output() -> None:
    code, out = _cli("--calls", "200", "--aht", "240", "--interval-minutes", "15")
    assert code == 0, out
    for word in ("agents", "service level", "average speed of answer", "abandonment"):
        assert word in out
    assert "occupancy" in out and "probability of waiting" in out


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["--calls", "nan", "--aht", "180"], "--calls"),
        (["--calls", "-5", "--aht", "180"], "--calls"),
        (["--calls", "10", "--aht", "0"], "--aht"),
        (["--calls", "10", "--aht", "180", "--target-sl", "1.5"], "--target-sl"),
        (["--calls", "10", "--aht", "180", "--shrinkage", "1"], "--shrinkage"),
        (["--calls", "10", "--aht", "180", "--model", "poisson"], "--model"),
        (["--calls", "10", "--aht", "180", "--max-occupancy", "0"], "--max-occupancy"),
        (["--calls", "10", "--aht", "180", "--model", "erlang-a", "--patience", "0"], "--patience"),
    ],
)
def test_cli_bad_input_exits_2_naming_the_option(args: list[str], option: str) -> None:
    code, out = _cli(*args)
    assert code == 2
    assert option in out
