"""A fast first roster: give the shift-count relaxation's counts names, day by day.

Greedy and hard-rule safe: a person is given a shift only when R1, R3, R4, R5, R6, R10 and G5
still hold, and a non-lead only when a lead of their team already covers every interval of the
shift (R2). What cannot be placed is left uncovered for the large-neighbourhood search to fix.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from rules.roster.common import (
    calendar_weeks,
    contract_minutes,
    is_night_shift,
    max_paid_minutes,
    paid_minutes,
    rest_gap_minutes,
    shift_slots,
    weekly_days_off,
)
from rules.snapshot import Assignment, Person, ShiftType
from solver.problem import RosterProblem

DAY = 24 * 60


@dataclass
class _State:
    """What the greedy knows about one person so far."""

    person: Person
    lead: bool
    cap: int
    contract: int
    last_end: int = -(10**9)  # absolute minute from the period start
    last_start: int | None = None
    run: int = 0  # consecutive worked days up to yesterday
    paid: int = 0
    nights: int = 0
    week_worked: dict[int, int] = field(default_factory=lambda: defaultdict(int))


def construct(
    problem: RosterProblem, counts: dict[tuple[str, bool, date, str], int]
) -> list[Assignment]:
    """A hard-feasible roster that follows `counts` closely: people to place per
    (team, is lead, day, shift code), as the relaxation (`solver.relaxation`) gives them;
    team "" means any team."""
    return _Greedy(problem).run(counts)


class _Greedy:
    def __init__(self, problem: RosterProblem) -> None:
        self.problem = problem
        self.policy = problem.policy
        self.days = problem.days()
        self.shifts = {s.code: s for s in problem.shift_types}
        self.per_day = problem.intervals_per_day
        self.min_gap = max(
            round(self.policy.roster.min_rest_hours * 60), self.policy.roster.roll_call_minutes
        )
        self.week_of: dict[date, int] = {}
        self.week_room: dict[int, int] = {}
        for w, week in enumerate(calendar_weeks(self.days)):
            for d in week:
                self.week_of[d] = w
            self.week_room[w] = len(week) - weekly_days_off(len(week), self.policy)
        self.leave = {(k, d) for k, d in problem.leave}
        self.prefs_off = {(p.person, p.day) for p in problem.preferences if p.kind == "day_off"}
        self.prefs_shift = {
            (p.person, p.day): p.shift for p in problem.preferences if p.kind == "shift"
        }
        self.states = {p.key: self._state(p) for p in problem.people}
        self.lead_cover: dict[str, set[int]] = defaultdict(set)
        self._replay_previous()
        self.out: list[Assignment] = []

    def _state(self, p: Person) -> _State:
        n_leave = sum(1 for k, d in self.problem.leave if k == p.key and d in set(self.days))
        return _State(
            person=p,
            lead=p.can_lead(self.policy.roster.senior_grade),
            cap=max_paid_minutes(p, len(self.days), n_leave, self.policy),
            contract=contract_minutes(p, len(self.days), n_leave),
        )

    def _replay_previous(self) -> None:
        start = self.problem.start
        worked: dict[str, set[int]] = defaultdict(set)
        for a in sorted(self.problem.previous, key=lambda a: a.day):
            st = self.states.get(a.person)
            if st is None or a.day >= start:
                continue
            shift = self.shifts[a.shift]
            back = (start - a.day).days
            st.last_end = max(st.last_end, -back * DAY + shift.end_minute)
            st.last_start = -back * DAY + shift.start_minute
            worked[a.person].add(-back)
            if st.lead:
                for offset, index in shift_slots(shift, self.problem.interval_minutes):
                    if offset >= back:
                        self.lead_cover[st.person.team].add((offset - back) * self.per_day + index)
        for key, days in worked.items():
            run, d = 0, -1
            while d in days:
                run, d = run + 1, d - 1
            self.states[key].run = run

    # -- the day loop ------------------------------------------------------------------------
    def run(self, counts: dict[tuple[str, bool, date, str], int]) -> list[Assignment]:
        by_day: dict[date, list[tuple[str, bool, ShiftType, int]]] = defaultdict(list)
        for (team, lead, day, code), k in counts.items():
            by_day[day].append((team, lead, self.shifts[code], k))
        for i, day in enumerate(self.days):
            taken: set[str] = set()
            self._place_fixed(i, day, taken)
            self._greedy_day(i, day, by_day[day], taken)
            for st in self.states.values():
                if st.last_start is None or st.last_start // DAY != i:
                    st.run = 0
        return self.out

    def _greedy_day(
        self,
        i: int,
        day: date,
        planned: list[tuple[str, bool, ShiftType, int]],
        taken: set[str],
    ) -> None:
        """Names for one day's counts, one person at a time."""
        # Leads first (they open the intervals their team may work), then by start time.
        todo = sorted(planned, key=lambda t: (not t[1], t[2].start_minute, t[0]))
        for team, lead, shift, k in todo:
            k -= sum(
                1
                for (key, d), c in self.problem.fixed.items()
                if d == day
                and c == shift.code
                and self.states[key].lead == lead
                and team in ("", self.states[key].person.team)
            )
            for _ in range(max(0, k)):
                if not self._place(i, day, shift, taken, team, lead) and not lead:
                    self._place(i, day, shift, taken, team, True)

    def _place_fixed(self, i: int, day: date, taken: set[str]) -> None:
        for (key, d), code in self.problem.fixed.items():
            if d == day and key in self.states:
                taken.add(key)
                if code is not None:
                    self._assign(i, day, self.shifts[code], self.states[key])

    def _place(
        self, i: int, day: date, shift: ShiftType, taken: set[str], team: str, lead: bool
    ) -> bool:
        best, best_score = None, float("inf")
        for key, st in self.states.items():
            if key in taken or st.lead != lead or team not in ("", st.person.team):
                continue
            if not self._allowed(i, day, shift, st):
                continue
            score = self._score(i, day, shift, st)
            if score < best_score:
                best, best_score = st, score
        if best is None:
            return False
        taken.add(best.person.key)
        self._assign(i, day, shift, best)
        return True

    def _night(self, shift: ShiftType) -> bool:
        """R6's night test, memoised per shift type (asked millions of times)."""
        cache: dict[str, bool] = self.__dict__.setdefault("_night_cache", {})
        if shift.code not in cache:
            cache[shift.code] = is_night_shift(shift, self.policy)
        return cache[shift.code]

    def _slots(self, i: int, shift: ShiftType) -> list[int]:
        cache = self.__dict__.setdefault("_slot_cache", {})
        hit = cache.get((i, shift.code))
        if hit is not None:
            return hit
        cache[(i, shift.code)] = out = self._compute_slots(i, shift)
        return out

    def _compute_slots(self, i: int, shift: ShiftType) -> list[int]:
        limit = len(self.days) * self.per_day
        out = []
        for offset, index in shift_slots(shift, self.problem.interval_minutes):
            slot = (i + offset) * self.per_day + index
            if slot < limit:
                out.append(slot)
        return out

    def _allowed(
        self, i: int, day: date, shift: ShiftType, st: _State, lead_check: bool = True
    ) -> bool:
        p = st.person
        if (p.key, day) in self.leave or (p.key, day) in self.problem.fixed:
            return False
        if not shift.required_skills <= p.skills:
            return False
        if i * DAY + shift.start_minute - st.last_end < self.min_gap:
            return False
        if st.run >= self.policy.roster.max_consecutive_work_days:
            return False
        if st.week_worked[self.week_of[day]] >= self.week_room[self.week_of[day]]:
            return False
        if st.paid + paid_minutes(shift, self.policy) > st.cap:
            return False
        night = self._night(shift)
        if night and st.nights >= self.policy.roster.max_nights_per_month:
            return False
        if not st.lead and lead_check:
            cover = self.lead_cover[p.team]
            return all(s in cover for s in self._slots(i, shift))
        return True

    def _score(self, i: int, day: date, shift: ShiftType, st: _State) -> float:
        score = 0.0
        key = st.person.key
        if (key, day) in self.prefs_off:
            score += 50
        if self.prefs_shift.get((key, day)) == shift.code:
            score -= 20
        score -= (st.contract - st.paid) / 60  # who still owes the most hours
        if st.last_start is not None:
            # Keep a person's start time steady: later starts never break R1 tomorrow.
            drift = (i * DAY + shift.start_minute - st.last_start) % DAY
            score += min(drift, DAY - drift) / 60
        if self._night(shift):
            score += 3 * st.nights
        if st.lead:
            uncovered = sum(
                1 for s in self._slots(i, shift) if s not in self.lead_cover[st.person.team]
            )
            score -= uncovered
        return score

    def _assign(self, i: int, day: date, shift: ShiftType, st: _State) -> None:
        self.out.append(Assignment(st.person.key, day, shift.code))
        st.last_end = i * DAY + shift.end_minute
        st.last_start = i * DAY + shift.start_minute
        st.run += 1
        st.paid += paid_minutes(shift, self.policy)
        st.week_worked[self.week_of[day]] += 1
        if self._night(shift):
            st.nights += 1
        if st.lead:
            self.lead_cover[st.person.team].update(self._slots(i, shift))


def fill_gaps(problem: RosterProblem, roster: list[Assignment]) -> list[Assignment]:
    """Add shifts where intervals are still short, while every hard rule holds.

    Day by day, the shift type whose intervals are shortest (coverage gain minus
    over-coverage) goes to the first person who may take it; stops when no shift gains.
    """
    return _Filler(problem, roster).run()


class _Filler:
    def __init__(self, problem: RosterProblem, roster: list[Assignment]) -> None:
        from solver.lns import coverage_of

        self.problem, self.policy = problem, problem.policy
        self.days = problem.days()
        self.shifts = {s.code: s for s in problem.shift_types}
        self.per_day = problem.intervals_per_day
        self.roster = list(roster)
        self.have = coverage_of(problem, self.roster + list(problem.previous))
        for slot, n in problem.external_coverage.items():
            self.have[slot] += n
        senior = self.policy.roster.senior_grade
        self.people = {p.key: p for p in problem.people}
        self.lead = {p.key: p.can_lead(senior) for p in problem.people}
        self.worked: dict[str, dict[date, str]] = defaultdict(dict)
        for a in list(problem.previous) + self.roster:
            self.worked[a.person][a.day] = a.shift
        self.lead_cover: dict[str, Counter[tuple[date, int]]] = defaultdict(Counter)
        for a in list(problem.previous) + self.roster:
            if self.lead.get(a.person):
                for slot in self._slots(a.day, self.shifts[a.shift]):
                    self.lead_cover[self.people[a.person].team][slot] += 1
        self.week_of = {d: w for w, week in enumerate(calendar_weeks(self.days)) for d in week}
        self.week_room = {
            w: len(week) - weekly_days_off(len(week), self.policy)
            for w, week in enumerate(calendar_weeks(self.days))
        }
        n_days = len(self.days)
        self.leave = set(problem.leave)
        self.prefs_off = {(p.person, p.day) for p in problem.preferences if p.kind == "day_off"}
        self.cap = {}
        for p in problem.people:
            n_leave = sum(
                1 for k, d in problem.leave if k == p.key and problem.start <= d <= problem.end
            )
            self.cap[p.key] = max_paid_minutes(p, n_days, n_leave, self.policy)
        self.min_gap = max(
            round(self.policy.roster.min_rest_hours * 60), self.policy.roster.roll_call_minutes
        )
        self.paid: Counter[str] = Counter()
        self.nights: Counter[str] = Counter()
        self.week_count: Counter[tuple[str, int]] = Counter()
        for a in self.roster:
            self._count(a.person, a.day, self.shifts[a.shift])

    def _count(self, key: str, day: date, shift: ShiftType) -> None:
        self.paid[key] += paid_minutes(shift, self.policy)
        self.nights[key] += int(self._night(shift))
        self.week_count[(key, self.week_of[day])] += 1

    def _night(self, shift: ShiftType) -> bool:
        """R6's night test, memoised per shift type (asked millions of times)."""
        cache: dict[str, bool] = self.__dict__.setdefault("_night_cache", {})
        if shift.code not in cache:
            cache[shift.code] = is_night_shift(shift, self.policy)
        return cache[shift.code]

    def _slots(self, day: date, shift: ShiftType) -> list[tuple[date, int]]:
        cache = self.__dict__.setdefault("_slot_cache", {})
        hit = cache.get((day, shift.code))
        if hit is not None:
            return hit
        cache[(day, shift.code)] = out = self._compute_slots(day, shift)
        return out

    def _compute_slots(self, day: date, shift: ShiftType) -> list[tuple[date, int]]:
        out = []
        for offset, index in shift_slots(shift, self.problem.interval_minutes):
            d = day + timedelta(days=offset)
            if self.problem.start <= d <= self.problem.end:
                out.append((d, index))
        return out

    def _gain(self, day: date, shift: ShiftType) -> int:
        w = self.policy.roster.weights
        floor = self.policy.service.min_staff_per_interval
        gain = 0
        for slot in self._slots(day, shift):
            need = max(self.problem.requirement.get(slot, 0), floor)
            gain += w.coverage_under if self.have[slot] < need else -w.coverage_over
        return gain

    def run(self) -> list[Assignment]:
        for day in self.days:
            failed: set[str] = set()  # nobody could take it today: do not ask again
            while True:
                ranked = sorted(
                    ((self._gain(day, s), s.code) for s in self.problem.shift_types), reverse=True
                )
                placed = False
                for gain, code in ranked:
                    if gain <= 0:
                        break
                    if code in failed:
                        continue
                    key = self._someone(day, self.shifts[code])
                    if key is None:
                        failed.add(code)
                    if key is not None:
                        self._add(key, day, self.shifts[code])
                        placed = True
                        break
                if not placed:
                    break
        return self.roster

    def _someone(self, day: date, shift: ShiftType) -> str | None:
        # Who asked for the day off last (R8), then fewest hours first (R5).
        def order(key: str) -> tuple[bool, int]:
            return (key, day) in self.prefs_off, self.paid[key]

        for key in sorted(self.people, key=order):
            if self._may(key, day, shift):
                return key
        return None

    def _may(self, key: str, day: date, shift: ShiftType) -> bool:
        p, worked = self.people[key], self.worked[key]
        if day in worked or (key, day) in self.leave or (key, day) in self.problem.fixed:
            return False
        if not shift.required_skills <= p.skills:
            return False
        for k in (-2, -1, 1, 2):  # rest and roll call both ways (R1, R10)
            d = day + timedelta(days=k)
            if d not in worked:
                continue
            other = self.shifts[worked[d]]
            if d < day and rest_gap_minutes(d, other, day, shift) < self.min_gap:
                return False
            if d > day and rest_gap_minutes(day, shift, d, other) < self.min_gap:
                return False
        run = 1 + _run(worked, day, -1) + _run(worked, day, 1)
        if run > self.policy.roster.max_consecutive_work_days:
            return False
        week = self.week_of[day]
        if self.week_count[(key, week)] + 1 > self.week_room[week]:
            return False
        if self.paid[key] + paid_minutes(shift, self.policy) > self.cap[key]:
            return False
        limit = self.policy.roster.max_nights_per_month
        if self._night(shift) and self.nights[key] + 1 > limit:
            return False
        if not self.lead[key]:
            cover = self.lead_cover[p.team]
            return all(cover[slot] > 0 for slot in self._slots(day, shift))
        return True

    def _add(self, key: str, day: date, shift: ShiftType) -> None:
        self.roster.append(Assignment(key, day, shift.code))
        self.worked[key][day] = shift.code
        self._count(key, day, shift)
        for slot in self._slots(day, shift):
            self.have[slot] += 1
            if self.lead[key]:
                self.lead_cover[self.people[key].team][slot] += 1


def _run(worked: dict[date, str], day: date, step: int) -> int:
    n, d = 0, day + timedelta(days=step)
    while d in worked:
        n, d = n + 1, d + timedelta(days=step)
    return n
