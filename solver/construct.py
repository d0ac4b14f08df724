"""A fast first roster: give the shift-count relaxation's counts names, day by day.

Greedy and hard-rule safe: a person is given a shift only when R1, R3, R4, R5, R6, R10 and G5
still hold, and a non-lead only when a lead of their team already covers every interval of the
shift (R2). What cannot be placed is left uncovered for the large-neighbourhood search to fix.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from rules.roster.common import (
    calendar_weeks,
    contract_minutes,
    is_night_shift,
    max_paid_minutes,
    paid_minutes,
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
            # Leads first (they open the intervals their team may work), then by start time.
            todo = sorted(by_day[day], key=lambda t: (not t[1], t[2].start_minute, t[0]))
            for team, lead, shift, k in todo:
                k -= sum(
                    1
                    for (key, d), c in self.problem.fixed.items()
                    if d == day and c == shift.code
                    and self.states[key].lead == lead and team in ("", self.states[key].person.team)
                )
                for _ in range(max(0, k)):
                    if not self._place(i, day, shift, taken, team, lead) and not lead:
                        self._place(i, day, shift, taken, team, True)
            for st in self.states.values():
                if st.last_start is None or st.last_start // DAY != i:
                    st.run = 0
        return self.out

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

    def _slots(self, i: int, shift: ShiftType) -> list[int]:
        limit = len(self.days) * self.per_day
        out = []
        for offset, index in shift_slots(shift, self.problem.interval_minutes):
            slot = (i + offset) * self.per_day + index
            if slot < limit:
                out.append(slot)
        return out

    def _allowed(self, i: int, day: date, shift: ShiftType, st: _State) -> bool:
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
        night = is_night_shift(shift, self.policy)
        if night and st.nights >= self.policy.roster.max_nights_per_month:
            return False
        if not st.lead:
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
        if is_night_shift(shift, self.policy):
            score += 3 * st.nights
        if st.lead:
            uncovered = sum(1 for s in self._slots(i, shift) if s not in self.lead_cover[st.person.team])
            score -= uncovered
        return score

    def _assign(self, i: int, day: date, shift: ShiftType, st: _State) -> None:
        self.out.append(Assignment(st.person.key, day, shift.code))
        st.last_end = i * DAY + shift.end_minute
        st.last_start = i * DAY + shift.start_minute
        st.run += 1
        st.paid += paid_minutes(shift, self.policy)
        st.week_worked[self.week_of[day]] += 1
        if is_night_shift(shift, self.policy):
            st.nights += 1
        if st.lead:
            self.lead_cover[st.person.team].update(self._slots(i, shift))

