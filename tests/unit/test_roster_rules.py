"""Each roster checker, allowed and refused (R1-R10, S1, G5)."""

from __future__ import annotations

from datetime import date, timedelta

from rules import default_policy
from rules.roster import check_person, check_roster, hard_violations, soft_cost
from rules.snapshot import Assignment, Person, Preference, RosterSnapshot, ShiftType

MON = date(2026, 12, 7)
E06 = ShiftType("E06", 6 * 60, 480)
L14 = ShiftType("L14", 14 * 60, 480)
N22 = ShiftType("N22", 22 * 60, 480, is_night=True)
X10 = ShiftType("X10", 10 * 60, 480, required_skills=frozenset({"english"}))
LEAD = Person("P1", "Zhang Wei", "senior", "A", is_team_lead=True)
SENIOR = Person("P2", "Li Na", "senior", "A")
JUNIOR = Person("P3", "Wang Fang", "junior", "A")


def snap(*assignments: tuple[str, int, str], **kw: object) -> RosterSnapshot:
    fields: dict[str, object] = {
        "start": MON,
        "end": MON + timedelta(days=6),
        "people": (LEAD, SENIOR, JUNIOR),
        "shift_types": (E06, L14, N22, X10),
        "assignments": tuple(Assignment(p, MON + timedelta(days=d), s) for p, d, s in assignments),
        "enforce_min_staff": False,
    }
    fields.update(kw)
    return RosterSnapshot(**fields)  # type: ignore[arg-type]


def rules_of(s: RosterSnapshot, policy=None, hard: bool = True) -> set[str]:
    return {v.rule for v in check_roster(s, policy) if v.hard == hard}


def test_r1_two_shifts_a_day_and_short_rest() -> None:
    assert "R1" in rules_of(snap(("P1", 0, "E06"), ("P1", 0, "L14")))
    assert "R1" in rules_of(snap(("P1", 0, "L14"), ("P1", 1, "E06")))  # 8 h rest
    assert "R1" not in rules_of(snap(("P1", 0, "E06"), ("P1", 1, "E06")))


def test_r1_across_the_period_boundary() -> None:
    before = (Assignment("P1", MON - timedelta(days=1), "N22"),)
    assert "R1" in rules_of(snap(("P1", 0, "E06"), previous=before))
    assert "R1" not in rules_of(snap(("P1", 0, "N22"), previous=before))


def test_r2_senior_on_duty() -> None:
    assert "R2" in rules_of(snap(("P3", 0, "E06")))
    assert "R2" not in rules_of(snap(("P3", 0, "E06"), ("P2", 0, "E06")))
    # The lead's shift must cover every interval: a late senior leaves the morning unled.
    assert "R2" in rules_of(snap(("P3", 0, "E06"), ("P2", 0, "L14")))


def test_r3_leave() -> None:
    leave = frozenset({("P2", MON)})
    assert "R3" in rules_of(snap(("P2", 0, "E06"), leave=leave))
    assert "R3" not in rules_of(snap(("P2", 1, "E06"), leave=leave))


def test_r4_days_off_and_consecutive_days() -> None:
    week = [("P1", d, "E06") for d in range(7)]
    assert "R4" in rules_of(snap(*week))
    assert "R4" not in rules_of(snap(*week[:6]))
    # Six days before the period plus one in it: seven in a row.
    before = tuple(Assignment("P1", MON - timedelta(days=d), "E06") for d in range(1, 7))
    assert "R4" in rules_of(snap(("P1", 0, "E06"), previous=before))
    assert "R4" not in rules_of(snap(("P1", 1, "E06"), previous=before))


def test_r5_overtime_cap_and_hours_below_contract() -> None:
    tight = default_policy().with_overrides({"roster": {"max_overtime_hours_per_month": 0}})
    five = [("P1", d, "E06") for d in (0, 1, 2, 4, 5)]  # 5 x (8 h + 10 min) > 40 h
    assert "R5" in rules_of(snap(*five), tight)
    assert "R5" not in rules_of(snap(*five[:4]), tight)
    under = [v for v in check_roster(snap(*five[:4]), tight) if v.rule == "R5"]
    p1 = [v for v in under if v.person == "P1"]
    assert p1 and not p1[0].hard and p1[0].cost == 5 * 8  # 7 h 20 short -> 8 h x 5


def test_r6_night_limit() -> None:
    policy = default_policy().with_overrides({"roster": {"max_nights_per_month": 2}})
    assert "R6" in rules_of(snap(*[("P1", d, "N22") for d in range(3)]), policy)
    assert "R6" not in rules_of(snap(*[("P1", d, "N22") for d in range(2)]), policy)
    # L14 ends 22:00 exactly: not a night; a shift reaching into 22:00-06:00 is.
    assert "R6" not in rules_of(snap(*[("P1", d, "L14") for d in (0, 2, 4)]), policy)


def test_r7_fairness_spread() -> None:
    costs = [v for v in check_roster(snap(("P1", 0, "N22"), ("P1", 2, "N22"))) if v.rule == "R7"]
    assert costs and all(not v.hard for v in costs)
    assert sum(v.cost for v in costs) == 2 * 20
    assert not [v for v in check_roster(snap()) if v.rule == "R7"]


def test_r8_preferences() -> None:
    prefs = (Preference("P1", MON, "day_off"), Preference("P2", MON, "shift", "L14"))
    found = [
        v
        for v in check_roster(snap(("P1", 0, "E06"), ("P2", 0, "E06"), preferences=prefs))
        if v.rule == "R8"
    ]
    assert {v.person for v in found} == {"P1", "P2"} and sum(v.cost for v in found) == 50 + 20
    granted = snap(("P2", 0, "L14"), preferences=prefs)
    assert not [v for v in check_roster(granted) if v.rule == "R8"]


def test_r9_coverage_and_s1() -> None:
    req = {(MON, 24): 3}  # 12:00-12:30 with 30-minute intervals
    found = check_roster(snap(("P1", 0, "E06"), requirement=req, enforce_min_staff=True))
    short = [v for v in found if v.rule == "R9" and "short" in v.message]
    assert any(
        "2026-12-07 12:00–12:30 short by 2 (scheduled 1, required 3)" in v.message for v in short
    )
    assert any(v.rule == "S1" and v.hard for v in found)  # the night is empty
    assert "S1" not in rules_of(snap(("P1", 0, "E06"), requirement=req))  # S1 off


def test_r10_roll_call() -> None:
    no_rest = default_policy().with_overrides({"roster": {"min_rest_hours": 0}})
    assert "R10" in rules_of(snap(("P1", 0, "N22"), ("P1", 1, "E06")), no_rest)
    assert "R10" not in rules_of(snap(("P1", 0, "N22"), ("P1", 1, "L14")), no_rest)


def test_g5_skills() -> None:
    assert "G5" in rules_of(snap(("P2", 0, "X10")))
    eng = Person("P2", "Li Na", "senior", "A", skills=frozenset({"english"}))
    assert "G5" not in rules_of(snap(("P2", 0, "X10"), people=(LEAD, eng, JUNIOR)))


def test_helpers_for_services() -> None:
    s = snap(("P1", 0, "L14"), ("P1", 1, "E06"), ("P3", 3, "E06"))
    assert {v.rule for v in check_person(s, None, "P1")} >= {"R1"}
    assert all(v.person in (None, "P3") for v in check_person(s, None, "P3"))
    assert hard_violations(s) and soft_cost(s) > 0


def test_S1_does_not_bind_the_small_hours_of_a_first_month() -> None:
    """00:00-07:00 of day 1 belongs to the previous month's night shift: S1 binds this roster
    only where one of its own shifts can reach, and everywhere else it still binds."""
    from datetime import date as _date

    from rules.policy import default_policy
    from rules.roster.common import inherited_slots, min_staff_at
    from rules.snapshot import ShiftType

    day = ShiftType("D09", 9 * 60, 480)
    night = ShiftType("N23", 23 * 60, 480, is_night=True)
    start = _date(2026, 12, 1)
    inherited = inherited_slots(start, (day, night), 30)
    assert inherited == frozenset((start, i) for i in range(14))  # 00:00-07:00
    pol = default_policy()
    assert min_staff_at(start, (day, night), 30, pol, start, 3) == 0
    assert min_staff_at(start, (day, night), 30, pol, start, 20) == 1  # 10:00, own shift reaches
    assert min_staff_at(start, (day, night), 30, pol, _date(2026, 12, 2), 3) == 1  # later nights
    early = ShiftType("E00", 0, 480)  # a shift starting at midnight reaches the small hours
    assert inherited_slots(start, (day, night, early), 30) == frozenset()
