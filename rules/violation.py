"""What every checker yields: one broken rule, with its ID, who, when and a human message."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class Violation:
    rule: str  # a RULES.md ID such as "R1"
    message: str  # human text, starts with the rule ID: "R1: Li Na ..."
    hard: bool = True
    person: str | None = None
    day: date | None = None
    cost: int = 0  # the soft-rule penalty this violation adds to the objective

    def __str__(self) -> str:
        return self.message


class RuleViolation(Exception):
    """Raised by services when a request breaks a rule; carries the violations."""

    def __init__(self, violations: list[Violation] | Violation) -> None:
        self.violations = [violations] if isinstance(violations, Violation) else list(violations)
        super().__init__("; ".join(v.message for v in self.violations))

    @property
    def rules(self) -> list[str]:
        return [v.rule for v in self.violations]
