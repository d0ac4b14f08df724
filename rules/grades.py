"""G1-G4: monthly exam thresholds, quality-inspection scores and bands, grade changes.

Readings: a quality inspection's band is excellent >= 90, good >= 80, pass >= the exam pass
mark (60), else fail; an agent without an exam result in a month has failed that month.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rules.policy import Policy
from rules.violation import Violation

GRADES: tuple[str, ...] = ("junior", "intermediate", "senior")  # G1, lowest first
SCORE_FIELDS: tuple[str, ...] = (  # G3: five scores of 0-20 each
    "service_language",
    "service_attitude",
    "tone_intonation",
    "need_understanding",
    "response_ability",
)
SCORE_MAX = 20.0


def rank(grade: str | None) -> int:
    """-1 for no grade met; 0 junior, 1 intermediate, 2 senior."""
    return GRADES.index(grade) if grade in GRADES else -1


def next_grade(grade: str) -> str | None:
    i = rank(grade)
    return GRADES[i + 1] if 0 <= i < len(GRADES) - 1 else None


def met_grade(typing_cpm: float, business_score: float, policy: Policy) -> str | None:
    """G2: the highest grade whose bar the month's results meet (None: not even junior)."""
    g = policy.grades
    if typing_cpm >= g.senior_typing_cpm and business_score >= g.senior_exam_score:
        return "senior"
    if business_score < g.exam_pass_mark:
        return None
    if typing_cpm >= g.intermediate_typing_cpm:
        return "intermediate"
    if typing_cpm >= g.junior_typing_cpm:
        return "junior"
    return None


def passes(current: str, met: str | None) -> bool:
    """G4: the month is passed when it meets the bar of the person's current grade."""
    return rank(met) >= rank(current)


def check_scores(scores: Mapping[str, float]) -> list[Violation]:
    """G3: the five scores present, each within 0-20."""
    out = []
    for name in SCORE_FIELDS:
        value = scores.get(name)
        if value is None:
            out.append(Violation("G3", f"G3: {name} is required"))
        elif not 0 <= float(value) <= SCORE_MAX:
            out.append(Violation("G3", f"G3: {name} must be between 0 and {SCORE_MAX:g}"))
    out += [
        Violation("G3", f"G3: {name} is not an inspection score")
        for name in scores
        if name not in SCORE_FIELDS
    ]
    return out


def band(total: float, policy: Policy) -> str:
    if total >= 90:
        return "excellent"
    if total >= 80:
        return "good"
    if total >= policy.grades.exam_pass_mark:
        return "pass"
    return "fail"


def inspection_count_warning(name: str, count: int, month: str, policy: Policy) -> Violation | None:
    """G3 (soft): more than the monthly maximum of inspections is allowed but warned about."""
    limit = policy.grades.inspections_max_per_month
    if count <= limit:
        return None
    return Violation(
        "G3", f"G3: {name} has {count} inspections in {month} (at most {limit} planned)", hard=False
    )


@dataclass(frozen=True, slots=True)
class Outcome:
    action: str  # none | promoted | review
    new_grade: str


def evaluate(current: str, months: Sequence[str | None], policy: Policy) -> Outcome:
    """G4 for the latest month. `months` are the grades met in consecutive months since the
    last grade change, oldest first, the month being evaluated last."""
    target = next_grade(current)
    need = policy.grades.promotion_months
    if (
        target is not None
        and len(months) >= need
        and all(rank(m) >= rank(target) for m in months[-need:])
    ):
        return Outcome("promoted", target)
    fails = policy.grades.review_after_failed_months
    if len(months) >= fails and not any(passes(current, m) for m in months[-fails:]):
        return Outcome("review", current)
    return Outcome("none", current)
