"""Exchanges between two people: the quick polish for refused requests (R8).

A team neighbourhood (`solver.lns`) cannot grant a request when the only person who could take
over the shift is in another team, and a month-long CP-SAT neighbourhood per request is slow.
Here two people trade what they do on a day - a shift for a day off, or a shift for a shift -
and, when that leaves their hours uneven, trade back on another day. Every trade moves whole
shifts between people, so coverage (R9, S1) stays exactly as it was; what can change is
judged by the rules' own checkers: each person's rules (R1, R3-R6, R8, R10, G5) on that
person's month, R2 on the two teams' days around the trade, and R7 on the two teams. A trade
is kept when no hard rule breaks and the soft cost goes down.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, replace
from datetime import date, timedelta

from rules.roster import PERSON_CHECKERS, fairness, shift_lead
from rules.roster.common import RosterContext
from rules.snapshot import Assignment, Preference
from solver.problem import RosterProblem

#: Partners tried per refused request (the rest of the centre is sampled, not scanned).
PARTNERS_PER_REQUEST = 40
#: Blocks of days (before, after the request's day) two people may swap whole.
BLOCKS = ((1, 0), (0, 1), (1, 1), (2, 0), (0, 2), (2, 2), (3, 3))


@dataclass(frozen=True)
class Trade:
    """Person-day changes of one exchange: (person, day) -> new shift code or None (off)."""

    changes: tuple[tuple[str, date, str | None], ...]

    def people(self) -> set[str]:
        return {key for key, _, _ in self.changes}


class Exchange:
    """A roster held as person -> day -> shift, with each person's and team's cost cached."""

    def __init__(self, problem: RosterProblem, assignments: list[Assignment], seed: int = 0):
        self.problem = problem
        self.policy = problem.policy
        self.rng = random.Random(seed)
        self.person = {p.key: p for p in problem.people}
        self.members: dict[str, list[str]] = {}
        for p in problem.people:
            self.members.setdefault(p.team, []).append(p.key)
        self.work: dict[str, dict[date, str]] = {p.key: {} for p in problem.people}
        for a in assignments:
            self.work[a.person][a.day] = a.shift
        self._alone = {key: problem.subproblem([key]) for key in self.work}
        self._team = {team: problem.subproblem(keys) for team, keys in self.members.items()}
        self._senior = self.policy.roster.senior_grade
        self._cost = {key: self._person_cost(key, self.work[key]) for key in self.work}
        self._fair = {team: self._fairness(team, self.work) for team in self.members}
        self.gain = 0
        self.trades = 0

    def assignments(self) -> list[Assignment]:
        return [
            Assignment(key, day, code)
            for key, days in self.work.items()
            for day, code in sorted(days.items())
        ]

    # -- costs, from the checkers ------------------------------------------------------------

    def _person_cost(self, key: str, days: dict[date, str]) -> int | None:
        """Soft cost of one person's month under the per-person rules; None if a hard rule
        breaks."""
        sub = self._alone[key]
        snap = sub.snapshot(Assignment(key, d, c) for d, c in days.items())
        ctx = RosterContext.build(snap, self.policy)
        total = 0
        for check in PERSON_CHECKERS.values():
            for v in check(ctx, key):
                if v.hard:
                    return None
                total += v.cost
        return total

    def _fairness(self, team: str, work: dict[str, dict[date, str]]) -> int:
        sub = self._team[team]
        snap = sub.snapshot(
            Assignment(k, d, c) for k in self.members[team] for d, c in work[k].items()
        )
        return sum(v.cost for v in fairness.check(RosterContext.build(snap, self.policy)))

    def _lead_ok(self, team: str, work: dict[str, dict[date, str]], days: set[date]) -> bool:
        """R2 on the team's intervals from the first changed day to the day after the last
        (a night shift reaches into the next day), with the day before as history."""
        sub = self._team[team]
        first = max(self.problem.start, min(days))
        last = min(self.problem.end, max(days) + timedelta(days=1))
        keys = self.members[team]
        inside = [
            Assignment(k, d, c) for k in keys for d, c in work[k].items() if first <= d <= last
        ]
        before = first - timedelta(days=1)
        history = [Assignment(k, before, c) for k in keys if (c := work[k].get(before))]
        if first == self.problem.start:
            history = list(sub.previous)
        snap = replace(sub.snapshot(inside), start=first, end=last, previous=tuple(history))
        ctx = RosterContext.build(snap, self.policy)
        return next(iter(shift_lead.check_team(ctx, team, keys)), None) is None

    # -- trades ------------------------------------------------------------------------------

    def delta(self, trade: Trade) -> int | None:
        """Change of the roster's soft cost if the trade were made; None if it breaks a hard
        rule."""
        work = {key: dict(self.work[key]) for key in trade.people()}
        for key, day, code in trade.changes:
            if code is None:
                work[key].pop(day, None)
            else:
                work[key][day] = code
        change = 0
        for key, days in work.items():
            cost, now = self._person_cost(key, days), self._cost[key]
            if cost is None or now is None:
                return None
            change += cost - now
        if change >= 0:
            return change  # R2 and R7 checks are slower: only for trades that could pay
        teams = {self.person[key].team for key in work}
        merged = {**self.work, **work}
        changed = {day for _, day, _ in trade.changes}
        for team in teams:
            if not self._lead_ok(team, merged, changed):
                return None
            change += self._fairness(team, merged) - self._fair[team]
        return change

    def apply(self, trade: Trade) -> None:
        for key, day, code in trade.changes:
            if code is None:
                self.work[key].pop(day, None)
            else:
                self.work[key][day] = code
        for key in trade.people():
            self._cost[key] = self._person_cost(key, self.work[key])
        for team in {self.person[key].team for key in trade.people()}:
            self._fair[team] = self._fairness(team, self.work)

    def refused(self) -> list[Preference]:
        """Requests (R8) the roster refuses that a trade could grant (not on leave days)."""
        out = []
        for pref in self.problem.preferences:
            if not self.problem.start <= pref.day <= self.problem.end:
                continue
            if (pref.person, pref.day) in self.problem.leave or pref.person not in self.work:
                continue
            if (pref.person, pref.day) in self.problem.fixed:
                continue
            got = self.work[pref.person].get(pref.day)
            if (pref.kind == "day_off" and got is not None) or (
                pref.kind == "shift" and got != pref.shift
            ):
                out.append(pref)
        return out

    def trades_for(self, pref: Preference) -> list[Trade]:
        """Trades that would grant one request: with someone off that day (a refused day off)
        or on the wished shift (a preferred shift), plus each way of trading back."""
        owner, day = pref.person, pref.day
        mine = self.work[owner].get(day)
        lead = self.person[owner].can_lead(self._senior)
        partners = [
            key
            for key, p in self.person.items()
            if key != owner
            and p.can_lead(self._senior) == lead
            and (key, day) not in self.problem.leave
            and (key, day) not in self.problem.fixed
            and (
                key_day_off(self.work[key], day)
                if pref.kind == "day_off"
                else self.work[key].get(day) == pref.shift
            )
        ]
        self.rng.shuffle(partners)
        out: list[Trade] = []
        for other in partners[:PARTNERS_PER_REQUEST]:
            theirs = self.work[other].get(day)
            first = ((owner, day, theirs), (other, day, mine))
            out.append(Trade(first))
            # Whole blocks of days around it swapped: the rest (R1) and the run of days
            # (R4) at the block's edges often allow what a single day does not.
            for before, after in BLOCKS:
                block = [day + timedelta(days=i) for i in range(-before, after + 1)]
                if all(self._tradeable(key, d) for key in (owner, other) for d in block):
                    out.append(self._swap(owner, other, block))
            if (mine is None) == (theirs is None):
                continue  # shift for shift: hours unchanged, nothing to trade back
            # Trade back a day the other way round, so both keep their hours.
            giver, taker = (owner, other) if mine is None else (other, owner)
            for back, code in self.work[giver].items():
                if back == day or back in self.work[taker]:
                    continue
                if not (self._tradeable(taker, back) and self._tradeable(giver, back)):
                    continue
                out.append(Trade((*first, (giver, back, None), (taker, back, code))))
        return out

    def _tradeable(self, key: str, day: date) -> bool:
        return (
            self.problem.start <= day <= self.problem.end
            and (key, day) not in self.problem.leave
            and (key, day) not in self.problem.fixed
        )

    def _swap(self, a: str, b: str, days: list[date]) -> Trade:
        changes = []
        for d in days:
            changes += [(a, d, self.work[b].get(d)), (b, d, self.work[a].get(d))]
        return Trade(tuple(changes))

    def improve(self, deadline: float) -> int:
        """Trades for refused requests until none pays or the deadline (`time.monotonic()`)
        passes; returns the soft cost gained."""
        gained = 0
        progress = True
        while progress and time.monotonic() < deadline:
            progress = False
            requests = self.refused()
            self.rng.shuffle(requests)
            for pref in requests:
                if time.monotonic() >= deadline:
                    break
                if pref not in self.refused_now(pref):
                    continue
                best: tuple[int, Trade] | None = None
                for trade in self.trades_for(pref):
                    change = self.delta(trade)
                    if change is not None and change < 0 and (best is None or change < best[0]):
                        best = (change, trade)
                    if time.monotonic() >= deadline:
                        break
                if best is not None:
                    self.apply(best[1])
                    gained -= best[0]
                    self.trades += 1
                    progress = True
        self.gain += gained
        return gained

    def refused_now(self, pref: Preference) -> list[Preference]:
        got = self.work[pref.person].get(pref.day)
        granted = (pref.kind == "day_off" and got is None) or (
            pref.kind == "shift" and got == pref.shift
        )
        return [] if granted else [pref]


def key_day_off(days: dict[date, str], day: date) -> bool:
    return day not in days
