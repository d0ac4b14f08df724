"""The pure W, L, H and G checkers: each permits its allowed case and refuses its forbidden one
with its rule ID (no database)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from rules import attendance as att
from rules import grades as g
from rules import handover as h
from rules import leave as lv
from rules.policy import default_policy
from rules.snapshot import Assignment, Person, RosterSnapshot, ShiftType
from rules.swap import (
    SwapProposal,
    apply_swap,
    check_swap,
    check_w1,
    check_w3,
    check_w4,
    check_w5,
    check_w6,
)

P = default_policy()
D7, D8 = date(2026, 12, 7), date(2026, 12, 8)
SHIFTS = (
    ShiftType("D", 8 * 60, 480),
    ShiftType("E", 14 * 60, 480),
    ShiftType("N", 22 * 60, 600, is_night=True),
    ShiftType("V", 8 * 60, 480, required_skills=frozenset({"vip"})),
)
PEOPLE = (
    Person("a", "Ann", "intermediate", "t", skills=frozenset({"vip"})),
    Person("b", "Bo", "intermediate", "t"),
    Person("c", "Cy", "junior", "t"),
    Person("s", "Sue", "senior", "t"),
    Person("l", "Lee", "intermediate", "t", is_team_lead=True),
)


def snap(*rows: tuple[str, date, str], holidays: frozenset[date] = frozenset()) -> RosterSnapshot:
    return RosterSnapshot(
        start=date(2026, 12, 1),
        end=date(2026, 12, 31),
        people=PEOPLE,
        shift_types=SHIFTS,
        assignments=tuple(Assignment(*r) for r in rows),
        holidays=holidays,
    )


def swap(p: str, c: str, x: str, y: str | None, day: date = D7) -> SwapProposal:
    return SwapProposal(p, c, day, x, day, y)


# ---------------------------------------------------------------- W


def test_W1_third_swap_refused() -> None:
    assert check_w1("Li Na", 1, date(2026, 12, 1), P) is None
    v = check_w1("Li Na", 2, date(2026, 12, 1), P)
    assert (
        v is not None and v.message == "W1: Li Na already has 2 approved swaps in 2026-12 (limit 2)"
    )


def test_W3_same_grade_and_skills() -> None:
    s = snap(("a", D7, "V"), ("b", D7, "E"), ("c", D7, "E"))
    assert check_w3(s, swap("a", "c", "V", "E"))[0].rule == "W3"  # grade
    assert "skill vip" in check_w3(s, swap("a", "b", "V", "E"))[0].message  # skill
    assert check_w3(snap(("b", D7, "D"), ("a", D7, "E")), swap("b", "a", "D", "E")) == []


def test_W4_no_consecutive_shifts_after_swap() -> None:
    before = snap(("a", D7, "D"), ("a", D8, "D"), ("b", D7, "E"))
    sw = swap("a", "b", "D", "E")
    found = check_w4(before, apply_swap(before, sw), sw, P)
    assert [v.rule for v in found] == ["W4"] and "R1" in found[0].message
    ok = snap(("a", D7, "D"), ("b", D7, "E"))
    assert check_w4(ok, apply_swap(ok, sw), sw, P) == []


def test_W5_no_swap_on_holiday() -> None:
    assert check_w5(frozenset({D7}), swap("a", "b", "D", "E"))[0].rule == "W5"
    assert check_w5(frozenset({D8}), swap("a", "b", "D", "E")) == []


def test_W6_coverage_and_shift_lead_after_swap() -> None:
    # A one-way give to someone outside the roster's period would empty D: simulate the
    # after-roster directly (the checker compares any two rosters).
    before = snap(("a", D7, "D"), ("b", D7, "D"))
    after = replace(
        before,
        assignments=(Assignment("a", D7, "D"),),
        requirement={(D7, i): 2 for i in range(16, 32)},
    )
    before = replace(before, requirement=after.requirement)
    assert check_w6(before, after, P)[0].rule == "W6"
    assert check_w6(before, before, P) == []
    # R2: the team lead hands D to an intermediate agent: D loses its only lead.
    led = snap(("l", D7, "D"), ("b", D7, "E"))
    found = check_swap(led, [led], swap("l", "b", "D", "E"), P)
    assert [v.rule for v in found] == ["W6"] and "R2" in found[0].message
    led2 = snap(("l", D7, "D"), ("s", D7, "D"), ("b", D7, "E"))
    assert check_swap(led2, [led2], swap("l", "b", "D", "E"), P) == []


def test_W7_swap_moves_the_duty_to_the_taker() -> None:
    before = snap(("a", D7, "D"), ("b", D8, "E"))
    after = apply_swap(before, SwapProposal("a", "b", D7, "D", D8, "E"))
    assert set(after.assignments) == {Assignment("b", D7, "D"), Assignment("a", D8, "E")}
    assert att.absenteeism("Bo", D7, swap_taker=True).rule == "W7"
    assert att.absenteeism("Ann", D7, giver=True).rule == "W7"


# ---------------------------------------------------------------- L


def case(**kw: object) -> lv.LeaveCase:
    base: dict[str, object] = dict(
        person="Ann",
        leave_type="annual",
        start_at=datetime(2026, 12, 7),
        end_at=datetime(2026, 12, 8),
        requested_at=datetime(2026, 11, 25, 9),
        by_self=True,
        by_their_team_lead=False,
        shifts=(lv.AffectedShift(D7, SHIFTS[0]),),
    )
    base.update(kw)
    return lv.LeaveCase(**base)  # type: ignore[arg-type]


def test_L1_late_request_needs_management() -> None:
    assert lv.assess(case(), P).exceptions == ()
    late = lv.assess(case(requested_at=datetime(2026, 12, 6, 9)), P)
    assert late.exceptions == ("L1",) and late.violations == []
    assert (
        lv.assess(case(leave_type="special", requested_at=datetime(2026, 12, 7, 6)), P).exceptions
        == ()
    )


def test_L2_chain_and_no_skipping() -> None:
    assert lv.assess(case(), P).chain == ("team_lead", "department_director")
    assert lv.assess(case(end_at=datetime(2026, 12, 9)), P).chain == (
        "team_lead",
        "centre_director",
    )
    assert lv.assess(case(leave_type="study"), P).chain == ("team_lead", "centre_director")
    chain = ("team_lead", "department_director")
    assert lv.check_chain_step(chain, 0, "team_lead", "Ann") is None
    skip = lv.check_chain_step(chain, 0, "department_director", "Ann")
    assert skip is not None and skip.rule == "L2"
    wrong = lv.check_chain_step(chain, 1, "centre_director", "Ann")
    assert wrong is not None and wrong.rule == "L2"


def test_L3_own_leave_only_sick_by_team_lead() -> None:
    assert lv.check_l3(case(by_self=False))[0].rule == "L3"
    assert lv.check_l3(case(by_self=False, by_their_team_lead=True))[0].rule == "L3"
    assert lv.check_l3(case(by_self=False, by_their_team_lead=True, leave_type="sick")) == []


def test_L4_certificate_covers_whole_span() -> None:
    start, end = datetime(2026, 12, 7), datetime(2026, 12, 10)
    assert lv.check_certificate("Ann", start, end, D7, date(2026, 12, 9)) is None
    v = lv.check_certificate("Ann", start, end, D8, date(2026, 12, 9))
    assert v is not None and v.rule == "L4"


def test_L5_night_leave_before_noon_allowed() -> None:
    night = case(
        shifts=(lv.AffectedShift(D7, SHIFTS[2]),),
        leave_type="special",
        start_at=datetime(2026, 12, 7, 22),
        end_at=datetime(2026, 12, 8, 8),
    )
    ok = lv.assess(replace(night, requested_at=datetime(2026, 12, 7, 11, 59)), P)
    assert ok.violations == [] and "L5" in ok.exceptions
    bad = lv.assess(replace(night, requested_at=datetime(2026, 12, 7, 12, 0)), P)
    assert [v.rule for v in bad.violations] == ["L5"]


def test_L6_public_holiday_leave() -> None:
    hol = frozenset({D7})
    assert lv.assess(case(shifts=(), holidays=hol), P).exceptions == ("L6",)
    late = lv.assess(case(shifts=(), holidays=hol, requested_at=datetime(2026, 12, 5, 1)), P)
    assert [v.rule for v in late.violations] == ["L6"]
    duty = lv.assess(case(holidays=hol), P)
    assert [v.rule for v in duty.violations] == ["L6"] and "duty" in duty.violations[0].message


def test_L7_and_H1_arrival_and_post() -> None:
    start = datetime(2026, 12, 7, 8)
    assert att.check_arrival("Ann", start, datetime(2026, 12, 7, 7, 50), P) == (0, [])
    late, vs = att.check_arrival("Ann", start, datetime(2026, 12, 7, 7, 55), P)
    assert late == 5 and [v.rule for v in vs] == ["H1"]
    late, vs = att.check_arrival("Ann", start, datetime(2026, 12, 7, 8, 11), P)
    assert late == 21 and [v.rule for v in vs] == ["H1", "L7"]
    left = datetime(2026, 12, 7, 10)
    assert att.check_post_absence("Ann", left, datetime(2026, 12, 7, 10, 20), False, P) is None
    v = att.check_post_absence("Ann", left, datetime(2026, 12, 7, 10, 21), False, P)
    assert v is not None and v.rule == "L7"
    assert att.check_post_absence("Ann", left, datetime(2026, 12, 7, 11), True, P) is None


# ---------------------------------------------------------------- H


def test_H2_every_field_required() -> None:
    full = dict.fromkeys(h.H2_FIELDS, "none")
    assert h.check_h2(full) == []
    missing = h.check_h2({k: v for k, v in full.items() if k != "superior_instructions"})
    assert [v.rule for v in missing] == ["H2"] and "superior_instructions" in missing[0].message


def test_H3_outgoing_waits_for_successor() -> None:
    assert h.check_h3("Ann", "Bo", True) is None
    assert h.check_h3("Ann", "Bo", False).rule == "H3"  # type: ignore[union-attr]
    assert h.check_h3("Ann", None, False).rule == "H3"  # type: ignore[union-attr]


# ---------------------------------------------------------------- G


def test_G1_grades_ordered() -> None:
    assert g.GRADES == ("junior", "intermediate", "senior")
    assert g.next_grade("junior") == "intermediate" and g.next_grade("senior") is None


def test_G2_thresholds() -> None:
    assert g.met_grade(30, 60, P) == "junior"
    assert g.met_grade(29, 90, P) is None
    assert g.met_grade(50, 60, P) == "intermediate"
    assert g.met_grade(80, 59, P) is None  # exam failed
    assert g.met_grade(70, 80, P) == "senior"


def test_G3_scores_band_and_warning() -> None:
    good = dict.fromkeys(g.SCORE_FIELDS, 20.0)
    assert g.check_scores(good) == []
    assert g.check_scores(dict(good, response_ability=-1))[0].rule == "G3"
    assert g.check_scores({k: v for k, v in good.items() if k != "tone_intonation"})[0].rule == "G3"
    assert (g.band(95, P), g.band(85, P), g.band(60, P), g.band(59, P)) == (
        "excellent",
        "good",
        "pass",
        "fail",
    )
    assert g.inspection_count_warning("Ann", 5, "2026-12", P) is None
    w = g.inspection_count_warning("Ann", 6, "2026-12", P)
    assert w is not None and w.rule == "G3" and not w.hard


def test_G4_promotion_and_review() -> None:
    assert g.evaluate("junior", ["intermediate"] * 3, P) == g.Outcome("promoted", "intermediate")
    assert g.evaluate("junior", ["junior", "intermediate", "intermediate"], P).action == "none"
    assert g.evaluate("intermediate", [None, "junior"], P).action == "review"
    assert g.evaluate("intermediate", ["junior", "intermediate"], P).action == "none"


def test_G5_grade_drives_swap_compatibility() -> None:
    s = snap(("b", D7, "D"), ("c", D7, "E"))
    assert check_w3(s, swap("b", "c", "D", "E"))[0].rule == "W3"
    promoted = replace(
        s, people=tuple(replace(p, grade="intermediate") if p.key == "c" else p for p in PEOPLE)
    )
    assert check_w3(promoted, swap("b", "c", "D", "E")) == []
