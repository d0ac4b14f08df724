"""Load and validate the centre's policy file (every default of RULES.md).

An unknown key, a wrong type or an impossible value is refused with a message naming the key,
so a typo in the policy can never silently fall back to a default.
"""

from __future__ import annotations

import os
import tomllib
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

POLICY_ENV = "WFM_POLICY_FILE"


class PolicyError(ValueError):
    """The policy file is unreadable or holds an invalid value; the message names the key."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


Fraction = Field(ge=0.0, le=1.0)


class ServicePolicy(_Section):
    min_staff_per_interval: int = Field(1, ge=0)
    answer_rate_min: float = Field(0.85, ge=0.0, le=1.0)
    service_level_target: float = Field(0.80, ge=0.0, lt=1.0)
    service_level_seconds: float = Field(20, ge=0)
    max_asa_seconds: float = Field(0, ge=0)
    max_occupancy: float = Field(0.85, gt=0.0, le=1.0)
    shrinkage: float = Field(0.30, ge=0.0, lt=1.0)
    interval_minutes: int = Field(30, ge=5, le=60)
    patience_seconds: float = Field(180, gt=0)
    attendance_rate: float = Field(0.95, gt=0.0, le=1.0)
    utilisation: float = Field(0.85, gt=0.0, le=1.0)
    monthly_hours_per_agent: float = Field(173.3, gt=0)

    @model_validator(mode="after")
    def _interval_divides_day(self) -> ServicePolicy:
        if (24 * 60) % self.interval_minutes:
            raise ValueError("interval_minutes must divide a day (e.g. 15 or 30)")
        return self


class RosterWeights(_Section):
    coverage_under: int = Field(1000, ge=0)
    coverage_over: int = Field(10, ge=0)
    fairness_nights: int = Field(20, ge=0)
    fairness_weekends: int = Field(10, ge=0)
    fairness_holidays: int = Field(10, ge=0)
    preference_day_off: int = Field(50, ge=0)
    preference_shift: int = Field(20, ge=0)
    hours_under_contract: int = Field(5, ge=0)


class RosterPolicy(_Section):
    min_rest_hours: float = Field(12, ge=0, le=48)
    max_shifts_per_day: int = Field(1, ge=1, le=1)
    senior_grade: str = "senior"
    min_days_off_per_week: int = Field(1, ge=0, le=7)
    max_consecutive_work_days: int = Field(6, ge=1, le=31)
    contract_hours_per_week: float = Field(40, gt=0, le=84)
    max_overtime_hours_per_month: float = Field(36, ge=0, le=200)
    max_nights_per_month: int = Field(8, ge=0, le=31)
    night_start_hour: int = Field(22, ge=0, le=23)
    night_end_hour: int = Field(6, ge=0, le=23)
    roll_call_minutes: int = Field(10, ge=0, le=60)
    weights: RosterWeights = RosterWeights()

    @model_validator(mode="after")
    def _week_fits(self) -> RosterPolicy:
        if self.min_days_off_per_week + min(self.max_consecutive_work_days, 7) < 1:
            raise ValueError("max_consecutive_work_days and min_days_off_per_week leave no day")
        return self


class SwapPolicy(_Section):
    max_swaps_per_month: int = Field(2, ge=0, le=31)


class LeavePolicy(_Section):
    general_leave_notice_hours: float = Field(24, ge=0)
    special_leave_notice_hours: float = Field(1, ge=0)
    department_director_max_days: float = Field(1, ge=0)
    night_leave_cutoff_hour: int = Field(12, ge=0, le=23)
    holiday_leave_notice_days: int = Field(2, ge=0)

    @model_validator(mode="after")
    def _special_not_longer(self) -> LeavePolicy:
        if self.special_leave_notice_hours > self.general_leave_notice_hours:
            raise ValueError(
                "special_leave_notice_hours must not exceed general_leave_notice_hours"
            )
        return self


class AttendancePolicy(_Section):
    late_threshold_minutes: int = Field(20, ge=0)
    absence_threshold_minutes: int = Field(20, ge=0)
    roll_call_minutes: int = Field(10, ge=0, le=60)


class GradePolicy(_Section):
    exam_pass_mark: float = Field(60, ge=0, le=100)
    junior_typing_cpm: float = Field(30, ge=0)
    intermediate_typing_cpm: float = Field(50, ge=0)
    senior_typing_cpm: float = Field(70, ge=0)
    senior_exam_score: float = Field(80, ge=0, le=100)
    promotion_months: int = Field(3, ge=1, le=24)
    review_after_failed_months: int = Field(2, ge=1, le=24)
    inspections_min_per_month: int = Field(1, ge=0)
    inspections_max_per_month: int = Field(5, ge=1)

    @model_validator(mode="after")
    def _ordered(self) -> GradePolicy:
        if not self.junior_typing_cpm <= self.intermediate_typing_cpm <= self.senior_typing_cpm:
            raise ValueError("typing thresholds must rise from junior to senior")
        if self.inspections_min_per_month > self.inspections_max_per_month:
            raise ValueError("inspections_min_per_month exceeds inspections_max_per_month")
        return self


class Policy(_Section):
    """The whole policy. Frozen: pass it around freely, it never changes under a caller."""

    service: ServicePolicy = ServicePolicy()
    roster: RosterPolicy = RosterPolicy()
    swap: SwapPolicy = SwapPolicy()
    leave: LeavePolicy = LeavePolicy()
    attendance: AttendancePolicy = AttendancePolicy()
    grades: GradePolicy = GradePolicy()

    def with_overrides(self, overrides: dict[str, Any]) -> Policy:
        """A copy with some values replaced, validated like a file (used by problem files)."""
        merged = _deep_merge(self.model_dump(), overrides)
        return policy_from_mapping(merged, source="overrides")


def _deep_merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _deep_merge(out[key], value)
        else:
            out[key] = value
    return out


def _describe(err: ValidationError, source: str) -> str:
    lines = []
    for e in err.errors():
        key = ".".join(str(p) for p in e["loc"]) or "(policy)"
        msg = e["msg"]
        if e["type"] == "extra_forbidden":
            msg = "unknown key"
        lines.append(f"{source}: {key}: {msg}")
    return "\n".join(lines)


def policy_from_mapping(data: dict[str, Any], source: str = "policy") -> Policy:
    try:
        return Policy.model_validate(data)
    except ValidationError as err:
        raise PolicyError(_describe(err, source)) from None


def load_policy(path: str | Path | None = None) -> Policy:
    """Read a policy file; with no path, `$WFM_POLICY_FILE` or the shipped default."""
    if path is None:
        path = os.environ.get(POLICY_ENV) or None
    if path is None:
        text = resources.files("rules").joinpath("policy.toml").read_text(encoding="utf-8")
        source = "policy.toml"
    else:
        p = Path(path)
        try:
            text = p.read_text(encoding="utf-8")
        except OSError as err:
            raise PolicyError(f"{p}: cannot read policy file: {err.strerror}") from None
        source = str(p)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise PolicyError(f"{source}: not valid TOML: {err}") from None
    return policy_from_mapping(data, source)


@lru_cache(maxsize=1)
def default_policy() -> Policy:
    """The shipped policy file, parsed once."""
    return load_policy(resources.files("rules").joinpath("policy.toml"))  # type: ignore[arg-type]
