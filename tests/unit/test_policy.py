"""The policy file: the shipped defaults load, and bad files are refused naming the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from rules.policy import PolicyError, default_policy, load_policy


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "policy.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_policy_holds_the_rules_md_defaults() -> None:
    p = default_policy()
    assert p.roster.min_rest_hours == 12
    assert p.swap.max_swaps_per_month == 2
    assert p.leave.general_leave_notice_hours == 24
    assert p.leave.special_leave_notice_hours == 1
    assert p.roster.max_nights_per_month == 8
    assert p.roster.max_overtime_hours_per_month == 36
    assert p.service.answer_rate_min == pytest.approx(0.85)
    assert p.grades.junior_typing_cpm == 30 and p.grades.intermediate_typing_cpm == 50
    assert p.grades.exam_pass_mark == 60 and p.grades.promotion_months == 3


def test_partial_file_keeps_other_defaults(tmp_path: Path) -> None:
    p = load_policy(write(tmp_path, "[swap]\nmax_swaps_per_month = 3\n"))
    assert p.swap.max_swaps_per_month == 3
    assert p.roster.min_rest_hours == 12


def test_env_variable_overrides_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WFM_POLICY_FILE", str(write(tmp_path, "[roster]\nmin_rest_hours = 11\n")))
    assert load_policy().roster.min_rest_hours == 11


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("[roster]\nmin_rest_hours = -1\n", "roster.min_rest_hours"),
        ("[service]\nservice_level_target = 1.2\n", "service.service_level_target"),
        ("[service]\nanswer_rate_min = 1.2\n", "service.answer_rate_min"),
        ("[swap]\nmax_swaps_per_month = 'two'\n", "swap.max_swaps_per_month"),
        ("[swap]\nmax_swap_per_month = 2\n", "swap.max_swap_per_month"),
        ("[nonsense]\nx = 1\n", "nonsense"),
        ("[service]\ninterval_minutes = 7\n", "service"),
        ("[grades]\njunior_typing_cpm = 60\n", "grades"),
        ("[leave]\nspecial_leave_notice_hours = 48\n", "leave"),
    ],
)
def test_bad_value_is_refused_naming_the_key(tmp_path: Path, text: str, key: str) -> None:
    with pytest.raises(PolicyError) as err:
        load_policy(write(tmp_path, text))
    assert key in str(err.value)


def test_unknown_key_is_called_unknown(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="unknown key"):
        load_policy(write(tmp_path, "[roster]\nmin_rest = 12\n"))


def test_broken_toml_and_missing_file_are_refused(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="not valid TOML"):
        load_policy(write(tmp_path, "[roster\n"))
    with pytest.raises(PolicyError, match="cannot read"):
        load_policy(tmp_path / "absent.toml")


def test_overrides_are_validated_too() -> None:
    p = default_policy().with_overrides({"roster": {"max_nights_per_month": 4}})
    assert p.roster.max_nights_per_month == 4
    with pytest.raises(PolicyError, match="roster.max_nights_per_month"):
        default_policy().with_overrides({"roster": {"max_nights_per_month": -4}})
