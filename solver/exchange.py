"""Exchanges between two people: quick moves for refused requests (R8), uneven nights,
weekends and holidays (R7) and hours below contract (R5); and single shifts changed to another
type, dropped or added where coverage (R9) gains.

A team neighbourhood (`solver.lns`) cannot grant a request when the only person who could take
over the shift is in another team, and a month-long CP-SAT neighbourhood per request is slow.
Here two people trade what they do on a day - a shift for a day off, or a shift for a shift -
and, when that leaves their hours uneven, trade back on another day; or they swap a block of
days; or one of them moves to a neighbouring shift, or the one asking simply gets the request.
Everything a trade can change is judged by the rules' own definitions: R9 and S1 on the
intervals whose coverage moves (`slot_cost`, `min_staff_by_slot`), each person's rules (R1,
R3-R6, R8, R10, G5) on that person's month, R2 on the teams' days around the trade, and R7 on
the teams. A trade is kept when no hard rule breaks and the soft cost goes down.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import partial

from rules.roster import PERSON_CHECKERS, fairness, shift_lead, working_time
from rules.roster.common import RosterContext, min_staff_by_slot, required_at, shift_slots
from rules.roster.coverage import slot_cost
from rules.roster.preferences import granted
from rules.snapshot import Assignment, Preference, RosterSnapshot
from solver.lns import coverage_of, period_slots
from solver.problem import RosterProblem

#: Partners tried per refused request (the rest of the centre is sampled, not scanned).
PARTNERS_PER_REQUEST = 40
#: Paying trades per request judged under the team rules, best first (each takes a while).
TEAM_CHECKS = 12
#: Months judged and remembered before the memo starts afresh.
MEMO_SIZE = 200_000
#: How far apart two shifts' starts may be for one to stand in for the other.
NEAR_MINUTES = 60
#: Partners tried per uneven team and category: teammates with at least two fewer nights
#: (weekend shifts, holidays), and as many people of other teams each way.
FAIRNESS_PARTNERS = 4
#: Blocks of days (before, after the request's day) two people may swap whole.
BLOCKS = ((1, 0), (0, 1), (1, 1), (2, 0), (0, 2), (2, 2), (3, 3))


@dataclass(frozen=True)
class Trade:
    """Person-day changes of one exchange: (person, day) -> new shift code or None (off)."""

    changes: tuple[tuple[str, date, str | None], ...]

    def people(self) -> list[str]:
        """The people in the trade, the one asking first."""
        return list(dict.fromkeys(key for key, _, _ in self.changes))


# A target of the exchanges: () -> (trades for it, which trades may be kept at no gain).
Target = Callable[[], tuple[list[Trade], Callable[[Trade], bool]]]


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
        self._memo: dict[tuple[str, frozenset[tuple[date, str]]], int | None] = {}
        self._cost = {key: self._person_cost(key, self.work[key]) for key in self.work}
        self._fair = {team: self._fairness(team, self.work) for team in self.members}
        # (category, person) -> counted shifts: every team's span is read for each target.
        self._tallies: dict[tuple[str, str], int] = {}
        # Coverage of every interval: this roster, the previous period's nights, other teams.
        self.cover = coverage_of(problem, [*assignments, *problem.previous])
        for slot, n in problem.external_coverage.items():
            self.cover[slot] += n
        calendar = problem.snapshot(())
        self._need = {
            (d, k): required_at(calendar, self.policy, d, k)
            for d in problem.days()
            for k in range(problem.intervals_per_day)
        }
        self._floor = min_staff_by_slot(
            problem.start, problem.shift_types, problem.interval_minutes, self.policy,
            problem.days(),
        )  # fmt: skip
        self._shift = {s.code: s for s in problem.shift_types}
        # The period's intervals in order (as `_need` lists them); per day, each shift type's
        # as a range of them; R9's margins over them, until a trade moves coverage.
        self._period = list(self._need)
        self._spans = _spans_by_day(problem)
        self._margin_sums: tuple[list[int], list[int]] | None = None
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
        breaks. Remembered per month: the trades for one request share most months."""
        memo = (key, frozenset(days.items()))
        if memo not in self._memo:
            if len(self._memo) > MEMO_SIZE:
                self._memo.clear()
            self._memo[memo] = self._judge_person(key, days)
        return self._memo[memo]

    def _snapshot_of(self, key: str, days: dict[date, str]) -> RosterSnapshot:
        return self._alone[key].snapshot(Assignment(key, d, c) for d, c in days.items())

    def _team_context(
        self, team: str, work: dict[str, dict[date, str]] | None = None
    ) -> RosterContext:
        work = self.work if work is None else work
        snap = self._team[team].snapshot(
            Assignment(k, d, c) for k in self.members[team] for d, c in work[k].items()
        )
        return RosterContext.build(snap, self.policy)

    def _judge_person(self, key: str, days: dict[date, str]) -> int | None:
        ctx = RosterContext.build(self._snapshot_of(key, days), self.policy)
        total = 0
        for check in PERSON_CHECKERS.values():
            for v in check(ctx, key):
                if v.hard:
                    return None
                total += v.cost
        return total

    def _fairness(self, team: str, work: dict[str, dict[date, str]]) -> int:
        return sum(v.cost for v in fairness.check(self._team_context(team, work)))

    def _lead_ok(self, team: str, work: dict[str, dict[date, str]], days: set[date]) -> bool:
        """R2 on the team's intervals of each changed day and the day after it (a night shift
        reaches into the next day), with the day before as history."""
        return all(self._lead_ok_on(team, work, day) for day in sorted(days))

    def _lead_ok_on(self, team: str, work: dict[str, dict[date, str]], day: date) -> bool:
        sub = self._team[team]
        first = max(self.problem.start, day)
        last = min(self.problem.end, day + timedelta(days=1))
        keys = self.members[team]
        inside = [
            Assignment(k, d, code)
            for k in keys
            for d in (first, last)
            if (code := work[k].get(d)) and (d == first or last != first)
        ]
        before = first - timedelta(days=1)
        history = [Assignment(k, before, c) for k in keys if (c := work[k].get(before))]
        if first == self.problem.start:
            history = list(sub.previous)
        snap = replace(sub.snapshot(inside), start=first, end=last, previous=tuple(history))
        ctx = RosterContext.build(snap, self.policy)
        return next(iter(shift_lead.check_team(ctx, team, keys)), None) is None

    # -- trades ------------------------------------------------------------------------------

    def _after(self, trade: Trade) -> dict[str, dict[date, str]]:
        """The traders' months as the trade would leave them."""
        work = {key: dict(self.work[key]) for key in trade.people()}
        for key, day, code in trade.changes:
            if code is None:
                work[key].pop(day, None)
            else:
                work[key][day] = code
        return work

    def _slots(self, day: date, code: str) -> tuple[tuple[date, int], ...]:
        """The period's intervals a shift started on `day` covers."""
        p = self.problem
        return period_slots(self._shift[code], p.interval_minutes, day, p.start, p.end)

    def _moved(self, trade: Trade) -> dict[tuple[date, int], int]:
        """Agents on duty gained (lost) per interval of the period."""
        diff: dict[tuple[date, int], int] = {}
        for key, day, code in trade.changes:
            old = self.work[key].get(day)
            if old == code:
                continue
            if old is not None:
                for slot in self._slots(day, old):
                    diff[slot] = diff.get(slot, 0) - 1
            if code is not None:
                for slot in self._slots(day, code):
                    diff[slot] = diff.get(slot, 0) + 1
        return diff

    def _coverage_delta(self, trade: Trade) -> int | None:
        """R9's change; None if an interval would fall below S1's floor."""
        weights = self.policy.roster.weights
        enforce, cover, floor, needs = (
            self.problem.enforce_min_staff,
            self.cover,
            self._floor,
            self._need,
        )
        change = 0
        for slot, d in self._moved(trade).items():
            if not d:
                continue  # one trader's shift leaves the interval, the other's arrives
            have = cover[slot]
            if d < 0 and enforce and have + d < floor[slot]:
                return None
            need = needs[slot]
            change += slot_cost(have + d, need, weights) - slot_cost(have, need, weights)
        return change

    def _people_delta(self, trade: Trade) -> tuple[int, dict[str, dict[date, str]]] | None:
        """The trade's change of R9 and the traders' per-person rules (or None if a hard rule
        breaks), with the traders' new months; exact unless positive (then it cannot pay)."""
        coverage = self._coverage_delta(trade)
        if coverage is None:
            return None
        work = self._after(trade)
        change = coverage
        # A person's cost cannot fall below zero: once the others cannot make up for what
        # the first ones lost, the trade cannot pay.
        left = sum(self._cost[key] or 0 for key in work)
        for key, days in work.items():
            cost, now = self._person_cost(key, days), self._cost[key]
            if cost is None or now is None:
                return None
            change += cost - now
            left -= now
            if change > left:  # cannot even break even: the rest need not be judged
                return change - left, work
        return change, work

    def _teams_delta(
        self, trade: Trade, change: int, work: dict[str, dict[date, str]]
    ) -> int | None:
        """The whole change from its per-person part: R2 (hard) and R7 of the traders' teams."""
        teams = {self.person[key].team for key in work}
        merged = {**self.work, **work}
        changed = {day for _, day, _ in trade.changes}
        for team in teams:
            if not self._lead_ok(team, merged, changed):
                return None
            change += self._fairness(team, merged) - self._fair[team]
        return change

    def best_trade(
        self, trades: list[Trade], deadline: float, even: Callable[[Trade], bool] | None = None
    ) -> tuple[int, Trade] | None:
        """The paying trade with the largest per-person gain that also passes the team rules
        (R2, R7): those are slower to judge, so only the best few are."""
        paying: list[tuple[int, int, Trade, dict[str, dict[date, str]]]] = []
        for n, trade in enumerate(trades):
            judged = self._people_delta(trade)
            if judged is not None and (judged[0] < 0 or (even and judged[0] <= 0 and even(trade))):
                paying.append((judged[0], n, trade, judged[1]))
            if time.monotonic() >= deadline:
                break
        for change, _, trade, work in sorted(paying, key=lambda x: x[:2])[:TEAM_CHECKS]:
            total = self._teams_delta(trade, change, work)
            if total is not None and (total < 0 or (even and total <= 0)):
                return total, trade
        return None

    def apply(self, trade: Trade) -> None:
        self._margin_sums = None  # coverage moves
        for slot, d in self._moved(trade).items():
            self.cover[slot] += d
        self.work.update(self._after(trade))
        for key in trade.people():
            self._cost[key] = self._person_cost(key, self.work[key])
        for team in {self.person[key].team for key in trade.people()}:
            self._fair[team] = self._fairness(team, self.work)
        traders = set(trade.people())
        self._tallies = {k: n for k, n in self._tallies.items() if k[1] not in traders}

    def refused(self) -> list[Preference]:
        """Requests (R8) the roster refuses that a trade could grant (not on leave days)."""
        out = []
        for pref in self.problem.preferences:
            if not self.problem.start <= pref.day <= self.problem.end:
                continue
            if (pref.person, pref.day) in self.problem.leave or pref.person not in self.work:
                continue
            if (pref.person, pref.day) not in self.problem.fixed and not self._granted(pref):
                out.append(pref)
        return out

    def _granted(self, pref: Preference) -> bool:
        return granted(pref, self.work[pref.person].get(pref.day))

    def trades_for(self, pref: Preference) -> list[Trade]:
        """Trades that would grant one request: the one asking alone (coverage moves), or
        with someone off that day (a refused day off) or on the wished shift or one near it
        (a preferred shift), plus blocks of days swapped whole and ways of trading back."""
        owner, day = pref.person, pref.day
        mine = self.work[owner].get(day)
        wanted = pref.shift if pref.kind == "shift" else None
        lead = self.person[owner].can_lead(self._senior)
        out = [Trade(((owner, day, wanted),))]
        partners = [
            key
            for key in self.person
            if key != owner
            and self._tradeable(key, day)
            and (
                day not in self.work[key]
                if pref.kind == "day_off"
                else self._near(self.work[key].get(day), wanted)
            )
        ]
        self.rng.shuffle(partners)
        # Teammates first, all of them: a trade inside the team cannot leave a shift
        # without its senior (R2), which is what most trades across teams run into. Then
        # the same grade first; the other grade is tried too (R2 is judged on the teams): at
        # 100 agents, from a 60 s roster, it granted requests no trade within a grade could.
        team = self.person[owner].team
        partners.sort(
            key=lambda key: (
                self.person[key].team != team,
                self.person[key].can_lead(self._senior) != lead,
            )
        )
        mates = sum(1 for key in partners if self.person[key].team == team)
        for other in partners[: mates + PARTNERS_PER_REQUEST]:
            theirs = self.work[other].get(day)
            if pref.kind == "day_off":
                # The partner takes the shift, or one starting an hour either side.
                gives = [mine] + [c for c in self._neighbours(mine) if c != mine]
            else:
                gives = [mine]
            for give in gives:
                first = ((owner, day, wanted), (other, day, give))
                out.append(Trade(first))
                if give == mine and (pref.kind == "day_off" or theirs == wanted):
                    out += self._pair_trades(owner, other, day, mine, theirs, single=False)
        return out

    def _pair_trades(
        self,
        one: str,
        other: str,
        day: date,
        mine: str | None,
        theirs: str | None,
        single: bool = True,
    ) -> list[Trade]:
        """`one` and `other` swap what they do on `day` (`one` gets `theirs`): that day
        alone, blocks of days around it swapped whole (the rest, R1, and the run of days, R4,
        at a block's edges often allow what a single day does not), and, when the swap
        leaves one of them a shift more, each way of trading a day back."""
        first = ((one, day, theirs), (other, day, mine))
        out = [Trade(first)] if single else []
        for before, after in BLOCKS:
            block = [day + timedelta(days=i) for i in range(-before, after + 1)]
            if all(self._tradeable(key, d) for key in (one, other) for d in block):
                out.append(self._swap(one, other, block))
        if (mine is None) == (theirs is None):
            return out  # shift for shift: hours unchanged, nothing to trade back
        giver, taker = (one, other) if mine is None else (other, one)
        for back, code in self.work[giver].items():
            if back == day or back in self.work[taker]:
                continue
            if self._tradeable(taker, back) and self._tradeable(giver, back):
                out.append(Trade((*first, (giver, back, None), (taker, back, code))))
        return out

    def _neighbours(self, code: str | None) -> list[str]:
        """Shift types of the same length starting within `NEAR_MINUTES` of this one."""
        if code is None:
            return []
        this = self._shift[code]
        return [
            s.code
            for s in self.problem.shift_types
            if s.length_minutes == this.length_minutes
            and abs(s.start_minute - this.start_minute) <= NEAR_MINUTES
        ]

    def _near(self, code: str | None, wanted: str | None) -> bool:
        return code is not None and wanted is not None and code in self._neighbours(wanted)

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

    def improve(self, deadline: float, on_trade: Callable[[int], None] | None = None) -> int:
        """Trades for refused requests (R8), uneven nights, weekends and holidays (R7) and
        hours below contract (R5), and single shifts for coverage (R9), until none pays or the
        deadline (`time.monotonic()`) passes; returns the soft cost gained. `on_trade` hears
        the gain so far after every trade kept (a phase can run for tens of seconds).

        Spreads of 1 are taken up only in passes where nothing else paid: they even out
        through other teams a shift at a time, at no gain until the last, and early on the
        time pays more elsewhere. Measured on the rosters a 100-agent solve gave its two
        exchange phases (three seeds each), gained with spreads of 1 last / shuffled in with
        the rest / not taken up (nor partners from other teams): before the search (3.6 s)
        1990-2110 / 1880-2060 / 2120-2265; after it (6 s) 225-235 / 195-235 / 155-165.
        Whole 60 s solves, same hour: 0.97-1.91 % (five runs, mean 1.27 %) against
        1.10-1.66 % (three, mean 1.46 %) without: no clear difference."""
        start, progress = self.gain, True
        while progress and time.monotonic() < deadline:
            progress = self._pass(self._targets(narrow_spreads=False), deadline, on_trade)
            if not progress and time.monotonic() < deadline:
                progress = self._pass(self._targets(narrow_spreads=True), deadline, on_trade)
        return self.gain - start

    def _targets(self, narrow_spreads: bool) -> list[Target]:
        """R7's spreads of 1 (`narrow_spreads`), or else refused requests, spreads of 2 or
        more and hours below contract."""
        spreads: list[Target] = [
            partial(self._fairness_target, team, label, counts)
            for team, label, counts, spread in self._spreads()
            if (spread == 1) == narrow_spreads
        ]
        if narrow_spreads:
            return spreads
        return [
            *(partial(self._request_target, pref) for pref in self.refused()),
            *spreads,
            *(partial(self._hours_target, key) for key in self._below_contract()),
            *(partial(self._shift_target, key, day) for key, day in self._coverage_moves()),
        ]

    def _pass(
        self,
        targets: list[Target],
        deadline: float,
        on_trade: Callable[[int], None] | None = None,
    ) -> bool:
        """The best trade for each target in random order; whether any was made."""
        progress = False
        self.rng.shuffle(targets)
        for target in targets:
            if time.monotonic() >= deadline:
                break
            trades, even = target()
            best = self.best_trade(trades, deadline, even)
            if best is not None:
                self.apply(best[1])
                self.gain -= best[0]
                self.trades += 1
                progress = True
                if on_trade is not None:
                    on_trade(self.gain)
        return progress

    def _request_target(self, pref: Preference) -> tuple[list[Trade], Callable[[Trade], bool]]:
        return ([] if self._granted(pref) else self.trades_for(pref)), _never

    def _spreads(self) -> list[tuple[str, str, Callable[[Assignment], bool], int]]:
        """(team, category, does an assignment count, spread) where R7 finds a spread. A
        spread of 2 or more evens out by one shift moved within the team; a spread of 1 only
        with another team (the team's one person with the most gives a shift away, or its
        one with the fewest takes one), where it costs that team nothing."""
        out = []
        for team, keys in self.members.items():
            if len(keys) < 2:
                continue
            ctx = self._team_context(team)
            for label, weight, counts in fairness.categories(ctx):
                tally = [sum(1 for a in ctx.by_person[k] if counts(a)) for k in keys]
                if weight and max(tally) > min(tally):
                    out.append((team, label, counts, max(tally) - min(tally)))
        return out

    def _fairness_target(
        self, team: str, label: str, counts: Callable[[Assignment], bool]
    ) -> tuple[list[Trade], Callable[[Trade], bool]]:
        """Trades moving one counted shift from someone with the most to someone with at
        least two fewer: a teammate (the fewest first, then a few others: the one with the
        fewest is often on leave or the wrong grade to take it) or someone of another team
        for whom one more stays within that team's most; and to one of the team's fewest
        from someone of another team with at least two more, for whom one fewer stays
        within that team's least. The other team's spread cannot widen, so such a trade can
        narrow a spread of 1, which no trade within the team can (measured at 100 agents:
        trades paying 10-30 in two of five teams' weekend spreads, none within the teams).
        Kept even at no gain when the two traders' sum of squared tallies falls (so they
        cannot cycle)."""
        keys = self.members[team]

        def tally(key: str, work: dict[date, str]) -> int:
            return sum(1 for d, c in work.items() if counts(Assignment(key, d, c)))

        tallies = {}
        for k in self.work:
            if (label, k) not in self._tallies:
                self._tallies[(label, k)] = tally(k, self.work[k])
            tallies[k] = self._tallies[(label, k)]
        spans = {
            t: (min(tallies[k] for k in ks), max(tallies[k] for k in ks))
            for t, ks in self.members.items()
        }
        least, top = spans[team]
        elsewhere = [k for k in self.work if self.person[k].team != team]
        trades = []
        hi = self.rng.choice([k for k in keys if tallies[k] == top])
        lows = [k for k in keys if tallies[k] <= top - 2]
        self.rng.shuffle(lows)
        lows.sort(key=lambda k: tallies[k])
        takers = [
            k
            for k in elsewhere
            if tallies[k] <= top - 2 and tallies[k] + 1 <= spans[self.person[k].team][1]
        ]
        partners = lows[:FAIRNESS_PARTNERS] + self._sample(takers)
        trades += self._handovers(hi, partners, counts)
        lo = self.rng.choice([k for k in keys if tallies[k] == least])
        givers = [
            k
            for k in elsewhere
            if tallies[k] >= least + 2 and tallies[k] - 1 >= spans[self.person[k].team][0]
        ]
        for giver in self._sample(givers):
            trades += self._handovers(giver, [lo], counts)

        def narrows(trade: Trade) -> bool:
            giver, taker = trade.people()[:2]
            after = {**self.work, **self._after(trade)}
            now = (tally(giver, after[giver]), tally(taker, after[taker]))
            return now[0] ** 2 + now[1] ** 2 < tallies[giver] ** 2 + tallies[taker] ** 2

        return trades, narrows

    def _sample(self, keys: list[str]) -> list[str]:
        return self.rng.sample(keys, min(FAIRNESS_PARTNERS, len(keys)))

    def _handovers(
        self, giver: str, takers: list[str], counts: Callable[[Assignment], bool]
    ) -> list[Trade]:
        """Trades in which `giver` hands one of its counted shifts to one of `takers` on a
        day the taker does nothing counted (the giver first in each trade)."""
        given = [
            (day, code)
            for day, code in self.work[giver].items()
            if counts(Assignment(giver, day, code)) and self._tradeable(giver, day)
        ]
        trades = []
        for taker in takers:
            for day, code in given:
                theirs = self.work[taker].get(day)
                if theirs is not None and counts(Assignment(taker, day, theirs)):
                    continue
                if self._tradeable(taker, day):
                    trades += self._pair_trades(giver, taker, day, code, theirs)
        return trades

    def _coverage_moves(self) -> list[tuple[str, date]]:
        """Person-days where another shift type, or none, or a shift on a day off, would
        cover the requirement better (R9, S1 kept): a ten-hour shift where an eight-hour one
        does, a shift an hour later. The search's neighbourhoods find these only inside the
        team and window they are given; at 100 agents a 60 s roster still held moves worth
        425 (of a 1,600 gap). Screened for the whole roster at once by `_margins`."""
        add, rem = self._margins()
        out = []
        for key in self.work:
            for day in self.problem.days():
                if self._tradeable(key, day) and self._alternatives(key, day, add, rem):
                    out.append((key, day))
        return out

    def _shift_target(self, key: str, day: date) -> tuple[list[Trade], Callable[[Trade], bool]]:
        """What `key` works on `day` changed to each type that covers better, best first."""
        add, rem = self._margins()
        moves = self._alternatives(key, day, add, rem)
        return [Trade(((key, day, code),)) for _, code in sorted(moves, key=lambda m: m[0])], _never

    def _margins(self) -> tuple[list[int], list[int]]:
        """Prefix sums over the period's intervals of R9's change for one agent more (add)
        and one fewer (rem; an interval S1 forbids losing one costs `_BLOCKED`), kept until
        a trade is applied."""
        if self._margin_sums is None:
            self._margin_sums = self._prefix_margins()
        return self._margin_sums

    def _prefix_margins(self) -> tuple[list[int], list[int]]:
        weights, enforce = self.policy.roster.weights, self.problem.enforce_min_staff
        add, rem = [0], [0]
        for slot in self._period:
            have, need = self.cover[slot], self._need[slot]
            now = slot_cost(have, need, weights)
            add.append(add[-1] + slot_cost(have + 1, need, weights) - now)
            lost = slot_cost(have - 1, need, weights) - now
            if enforce and have - 1 < self._floor[slot]:
                lost = _BLOCKED
            rem.append(rem[-1] + lost)
        return add, rem

    def _alternatives(
        self, key: str, day: date, add: list[int], rem: list[int]
    ) -> list[tuple[int, str | None]]:
        """(R9 change, type) of each change of `key`'s day that lowers R9."""
        spans = self._spans[(day - self.problem.start).days]
        current = self.work[key].get(day)
        a1, b1 = spans[current]
        out: list[tuple[int, str | None]] = []
        for code, (a2, b2) in spans.items():
            if code == current:
                continue
            change = (
                _range(add, a2, min(b2, a1)) + _range(add, max(a2, b1), b2)
                + _range(rem, a1, min(b1, a2)) + _range(rem, max(a1, b2), b1)
            )  # fmt: skip
            if change < 0:
                out.append((change, code))
        return out

    def _below_contract(self) -> list[str]:
        return [key for key in self.work if self._short_of(key)]

    def _short_of(self, key: str) -> bool:
        ctx = RosterContext.build(self._snapshot_of(key, self.work[key]), self.policy)
        return any(not v.hard and v.cost for v in working_time.check_person(ctx, key))

    def _hours_target(self, key: str) -> tuple[list[Trade], Callable[[Trade], bool]]:
        """Shifts someone else works on a day this person is off, handed over whole."""
        lead = self.person[key].can_lead(self._senior)
        others = [
            k for k, p in self.person.items() if k != key and p.can_lead(self._senior) == lead
        ]
        self.rng.shuffle(others)
        trades = []
        for other in others[:PARTNERS_PER_REQUEST]:
            for day, code in self.work[other].items():
                if day in self.work[key] or not self._tradeable(key, day):
                    continue
                if self._tradeable(other, day):
                    trades.append(Trade(((key, day, code), (other, day, None))))
        return trades, _never


def _never(trade: Trade) -> bool:
    """Trades for this target are kept only when they pay."""
    return False


#: R9 change that rules a move out (an interval S1 keeps from losing its agent).
_BLOCKED = 10**9


def _range(prefix: list[int], lo: int, hi: int) -> int:
    """Sum of the values lo..hi-1 from their prefix sums (0 for an empty range)."""
    return prefix[hi] - prefix[lo] if hi > lo else 0


def _spans_by_day(problem: RosterProblem) -> list[dict[str | None, tuple[int, int]]]:
    """Per day of the period, the intervals a shift of each type started that day covers,
    as [first, last) in the period's order of intervals (a night shift's run on into the
    next day, cut at the period's end); None (off) covers none."""
    per_day, size = problem.intervals_per_day, len(problem.days()) * problem.intervals_per_day
    reach = {}
    for s in problem.shift_types:
        slots = [o * per_day + k for o, k in shift_slots(s, problem.interval_minutes)]
        reach[s.code] = (slots[0], slots[-1] + 1) if slots else (0, 0)
    out = []
    for d in range(len(problem.days())):
        spans: dict[str | None, tuple[int, int]] = {
            code: (min(size, d * per_day + a), min(size, d * per_day + b))
            for code, (a, b) in reach.items()
        }
        spans[None] = (0, 0)
        out.append(spans)
    return out
