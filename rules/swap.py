"""W1-W7: shift swaps, judged on roster snapshots before and after the swap.

A swap: the proposer gives shift X on day A and takes the counterpart's shift Y on day B
(B == A for the common same-day swap of different shifts). With no Y the counterpart simply
takes X over. W4 and W6 reuse the roster checkers of `rules.roster` (R1, R4, R2 and coverage
are defined once there): a swap is refused when it creates a violation that was not there
before, so an imperfect roster never blocks a harmless swap.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, timedelta

from rules.policy import Policy
from rules.roster import check_person
from rules.roster.common import RosterContext, required_at, shift_slots, slot_label
from rules.roster.coverage import scheduled
from rules.snapshot import Assignment, Person, RosterSnapshot
from rules.violation import Violation

# The roster rules a swap must keep intact for both people (W4).
W4_RULES = ("R1", "R4")


@dataclass(frozen=True, slots=True)
class SwapProposal:
    proposer: str  # Person.key
    counterpart: str
    proposer_day: date  # A: the day of the shift the proposer gives
    proposer_shift: str  # X
    counterpart_day: date  # B: the day of the shift the proposer takes
    counterpart_shift: str | None  # Y; None: the counterpart takes X and gives nothing

    def days(self) -> tuple[date, ...]:
        if self.counterpart_shift is None:
            return (self.proposer_day,)
        return tuple(sorted({self.proposer_day, self.counterpart_day}))


def check_w1(name: str, approved_in_month: int, month: date, policy: Policy) -> Violation | None:
    """W1: one more approved swap must stay within max_swaps_per_month."""
    limit = policy.swap.max_swaps_per_month
    if approved_in_month + 1 <= limit:
        return None
    return Violation(
        "W1",
        f"W1: {name} already has {approved_in_month} approved swaps in {month:%Y-%m} "
        f"(limit {limit})",
        person=None,
        day=month,
    )


def check_w3(snapshot: RosterSnapshot, swap: SwapProposal) -> list[Violation]:
    """W3: same grade, and each person holds the skills of the shift they take."""
    out: list[Violation] = []
    p, c = snapshot.person(swap.proposer), snapshot.person(swap.counterpart)
    if p.grade != c.grade:
        out.append(
            Violation(
                "W3",
                f"W3: {p.name} is {p.grade} and {c.name} is {c.grade}: grades must match",
                person=c.key,
            )
        )
    takes = [(c, swap.proposer_shift)]
    if swap.counterpart_shift is not None:
        takes.append((p, swap.counterpart_shift))
    for person, code in takes:
        missing = snapshot.shift_type(code).required_skills - person.skills
        if missing:
            out.append(
                Violation(
                    "W3",
                    f"W3: {person.name} lacks skill {', '.join(sorted(missing))} for shift {code}",
                    person=person.key,
                )
            )
    return out


def check_w5(holidays: frozenset[date], swap: SwapProposal) -> list[Violation]:
    """W5: no swap of any shift on a public holiday (a night shift's start day counts)."""
    return [
        Violation("W5", f"W5: {d} is a public holiday: its shifts cannot be swapped", day=d)
        for d in swap.days()
        if d in holidays
    ]


def apply_swap(
    snapshot: RosterSnapshot, swap: SwapProposal, people: tuple[Person, ...] = ()
) -> RosterSnapshot:
    """The snapshot after the swap: X on A moves to the counterpart, Y on B to the proposer.

    Works on a snapshot that holds only one side (a team's roster in a cross-team swap);
    `people` adds the persons the moved assignments now name, if the snapshot lacks them.
    """
    give = Assignment(swap.proposer, swap.proposer_day, swap.proposer_shift)
    take = (
        Assignment(swap.counterpart, swap.counterpart_day, swap.counterpart_shift)
        if swap.counterpart_shift is not None
        else None
    )
    moved: list[Assignment] = []
    for a in snapshot.assignments:
        if a == give:
            moved.append(replace(a, person=swap.counterpart))
        elif take is not None and a == take:
            moved.append(replace(a, person=swap.proposer))
        else:
            moved.append(a)
    known = {p.key for p in snapshot.people}
    extra = tuple(p for p in people if p.key not in known)
    return replace(snapshot, assignments=tuple(moved), people=snapshot.people + extra)


def merge_snapshots(a: RosterSnapshot, b: RosterSnapshot) -> RosterSnapshot:
    """Two teams' snapshots of the same period as one (a cross-team swap's person rules)."""
    if (a.start, a.end) != (b.start, b.end):
        raise ValueError("merge_snapshots: periods differ")
    people = {p.key: p for p in (*a.people, *b.people)}
    shifts = {s.code: s for s in (*a.shift_types, *b.shift_types)}
    return replace(
        a,
        people=tuple(people.values()),
        shift_types=tuple(shifts.values()),
        assignments=tuple(dict.fromkeys((*a.assignments, *b.assignments))),
        previous=tuple(dict.fromkeys((*a.previous, *b.previous))),
        leave=a.leave | b.leave,
        requirement={},
    )


def check_w4(
    before: RosterSnapshot, after: RosterSnapshot, swap: SwapProposal, policy: Policy
) -> list[Violation]:
    """W4: after the swap neither person has shifts back to back (R1) nor broken weekly rest
    (R4) that they did not have before."""
    out: list[Violation] = []
    for key in (swap.proposer, swap.counterpart):
        had = {
            v.message for v in check_person(before, policy, key) if v.rule in W4_RULES and v.hard
        }
        for v in check_person(after, policy, key):
            if v.rule in W4_RULES and v.hard and v.message not in had:
                out.append(
                    Violation("W4", f"W4: after the swap {v.message}", person=key, day=v.day)
                )
    return out


def _leads(ctx: RosterContext) -> Counter[tuple[date, int]]:
    """Seniors or team leads on duty per interval, everyone on the roster counted (R2)."""
    count: Counter[tuple[date, int]] = Counter()
    minutes = ctx.snapshot.interval_minutes
    for key in ctx.people:
        if not ctx.is_lead(key):
            continue
        for a in ctx.timeline(key):
            for offset, index in shift_slots(ctx.shift(a), minutes):
                day = a.day + timedelta(days=offset)
                if ctx.in_period(day):
                    count[(day, index)] += 1
    return count


@dataclass(frozen=True, slots=True)
class IntervalEffect:
    """One interval whose staffing a change alters: scheduled before/after vs requirement."""

    day: date
    index: int
    label: str  # "2026-12-07 08:00–08:30"
    before: int
    after: int
    required: int
    leads_before: int
    leads_after: int


def coverage_effect(
    before: RosterSnapshot, after: RosterSnapshot, policy: Policy
) -> list[IntervalEffect]:
    """Every interval where the number of people on duty (or of leads) changes."""
    b_ctx, a_ctx = RosterContext.build(before, policy), RosterContext.build(after, policy)
    b_count, a_count = scheduled(b_ctx), scheduled(a_ctx)
    b_leads, a_leads = _leads(b_ctx), _leads(a_ctx)
    out = []
    for slot in sorted(set(b_count) | set(a_count)):
        if b_count[slot] == a_count[slot] and b_leads[slot] == a_leads[slot]:
            continue
        day, index = slot
        out.append(
            IntervalEffect(
                day=day,
                index=index,
                label=slot_label(day, index, before.interval_minutes),
                before=b_count[slot],
                after=a_count[slot],
                required=required_at(before, policy, day, index),
                leads_before=b_leads[slot],
                leads_after=a_leads[slot],
            )
        )
    return out


def check_w6(before: RosterSnapshot, after: RosterSnapshot, policy: Policy) -> list[Violation]:
    """W6: the swap leaves no interval below its requirement that was not below before (or
    further below), and no staffed interval without a senior/team lead that had one (R2).
    One message per day and kind keeps the refusal readable."""
    out: list[Violation] = []
    seen: set[tuple[str, date]] = set()
    for e in coverage_effect(before, after, policy):
        if e.after < e.before and e.after < e.required and ("cov", e.day) not in seen:
            seen.add(("cov", e.day))
            out.append(
                Violation(
                    "W6",
                    f"W6: {e.label} would have {e.after} on duty (required {e.required})",
                    day=e.day,
                )
            )
        if e.after > 0 and e.leads_after == 0 and e.leads_before > 0 and ("R2", e.day) not in seen:
            seen.add(("R2", e.day))
            out.append(
                Violation("W6", f"W6: {e.label} would have no senior on duty (R2)", day=e.day)
            )
    return out


def check_swap(
    person_view: RosterSnapshot,
    team_views: list[RosterSnapshot],
    swap: SwapProposal,
    policy: Policy,
) -> list[Violation]:
    """W3, W4, W5 and W6 for one swap.

    `person_view` holds both people's assignments (both teams merged for a cross-team swap);
    `team_views` are the rosters whose coverage the swap changes (one per team involved).
    """
    people = tuple(person_view.person(k) for k in (swap.proposer, swap.counterpart))
    out = check_w3(person_view, swap)
    out += check_w5(person_view.holidays, swap)
    out += check_w4(person_view, apply_swap(person_view, swap), swap, policy)
    for team in team_views:
        out += check_w6(team, apply_swap(team, swap, people), policy)
    return out
