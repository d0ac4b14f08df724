"""R2: in every interval in which anyone of a team works, a senior or the team lead works too."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date, timedelta

from rules.roster.common import RosterContext, shift_slots, slot_label
from rules.violation import Violation

RULE = "R2"


def check(ctx: RosterContext) -> Iterator[Violation]:
    for team, keys in sorted(ctx.teams().items()):
        yield from check_team(ctx, team, keys)


def check_team(ctx: RosterContext, team: str, keys: list[str]) -> Iterator[Violation]:
    minutes = ctx.snapshot.interval_minutes
    on_duty: dict[tuple[date, int], list[str]] = defaultdict(list)
    leads: set[tuple[date, int]] = set()
    for key in keys:
        lead = ctx.is_lead(key)
        for a in ctx.timeline(key):
            for offset, index in shift_slots(ctx.shift(a), minutes):
                slot = (a.day + timedelta(days=offset), index)
                if not ctx.in_period(slot[0]):
                    continue
                on_duty[slot].append(key)
                if lead:
                    leads.add(slot)
    reported: set[date] = set()
    for slot in sorted(on_duty):
        if slot in leads or slot[0] in reported:
            continue
        reported.add(slot[0])  # one message per team and day keeps the report readable
        names = ", ".join(ctx.name(k) for k in on_duty[slot][:3])
        yield Violation(
            RULE,
            f"R2: team {team} has no senior on duty at {slot_label(*slot, minutes)} "
            f"({names} working)",
            day=slot[0],
            person=None,
        )
