"""H2-H4: the handover log's required content, and the outgoing lead staying until relieved."""

from __future__ import annotations

from collections.abc import Mapping

from rules.violation import Violation

# H2: everything a handover log records (write "none" when there is nothing to report).
H2_FIELDS: tuple[str, ...] = (
    "equipment_status",
    "unresolved_problems",
    "personnel_handover",
    "business_changes",
    "superior_instructions",
    "customer_feedback",  # customer suggestions and complaints
    "process_equipment_changes",
)


def check_h2(fields: Mapping[str, str]) -> list[Violation]:
    """H2: every field present and not blank; unknown fields are refused too."""
    out = [
        Violation("H2", f"H2: {name} is required (write 'none' if there is nothing to report)")
        for name in H2_FIELDS
        if not str(fields.get(name) or "").strip()
    ]
    out += [
        Violation("H2", f"H2: {name} is not a handover field")
        for name in fields
        if name not in H2_FIELDS
    ]
    return out


def check_h3(outgoing: str, successor: str | None, successor_arrived: bool) -> Violation | None:
    """H3: the outgoing shift lead does not leave before the successor has arrived."""
    if successor is None:
        return Violation("H3", f"H3: {outgoing} may not leave: no incoming lead has taken over")
    if not successor_arrived:
        return Violation("H3", f"H3: {outgoing} may not leave before {successor} has clocked in")
    return None
