"""G2-G5 through the exams, inspections and grades service."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from rules.grades import SCORE_FIELDS
from tests.services.factories import World
from wfm.db import transaction
from wfm.models import ExamResult, Person
from wfm.services import grades, swaps
from wfm.services.errors import InputError, PermissionDenied, RuleViolation

SEP, OCT, NOV, DEC = (date(2026, m, 1) for m in (9, 10, 11, 12))
GOOD = dict.fromkeys(SCORE_FIELDS, 18.0)


def test_G2_exam_thresholds_and_private_answers(db: sessionmaker[Session], world: World) -> None:
    v = grades.record_exam(
        db,
        world.id("lead_a"),
        person_id=world.id("jun_a1"),
        month=NOV,
        typing_cpm=55,
        business_score=70,
        answers="A,B,C",
    )
    assert v.met_grade == "intermediate" and v.passed_exam
    low = grades.record_exam(
        db,
        world.id("lead_a"),
        person_id=world.id("jun_a2"),
        month=NOV,
        typing_cpm=80,
        business_score=59,
    )
    assert low.met_grade is None and not low.passed_exam  # below the pass mark
    assert (
        grades.exam_results(db, world.id("jun_a1"), person_id=world.id("jun_a1"))[0].answers
        == "A,B,C"
    )
    with pytest.raises(PermissionDenied):
        grades.exam_results(db, world.id("jun_a2"), person_id=world.id("jun_a1"))
    assert (
        grades.exam_results(db, world.id("admin"), person_id=world.id("jun_a1"))[0].answers is None
    )
    with pytest.raises(PermissionDenied):  # another team's lead
        grades.record_exam(
            db,
            world.id("lead_b"),
            person_id=world.id("jun_a1"),
            month=NOV,
            typing_cpm=1,
            business_score=1,
        )
    with pytest.raises(InputError) as err:
        grades.record_exam(
            db,
            world.id("lead_a"),
            person_id=world.id("jun_a1"),
            month=NOV,
            typing_cpm=40,
            business_score=101,
        )
    assert err.value.field == "business_score"


def test_G2_csv_import_all_or_nothing(db: sessionmaker[Session], world: World) -> None:
    bad = (
        "username,month,typing_cpm,business_score\n"
        "jun_a1,2026-11,40,70\n"
        "nobody,2026-11,40,70\n"
        "jun_a2,2026-13,fast,70\n"
    )
    with pytest.raises(InputError) as err:
        grades.import_exams_csv(db, world.id("admin"), bad)
    msg = str(err.value)
    assert "row 3: username: no user 'nobody'" in msg and "row 4: month" in msg
    assert "row 4: typing_cpm: not a number" in msg and "row 2" not in msg
    with transaction(db) as s:
        assert s.scalar(select(func.count()).select_from(ExamResult)) == 0
    good = (
        "username,month,typing_cpm,business_score,answers\n"
        "jun_a1,2026-11,40,70,x\njun_a2,2026-11,35,65,\n"
    )
    rep = grades.import_exams_csv(db, world.id("admin"), good)
    assert (rep.rows, rep.inserted, rep.updated) == (2, 2, 0)
    assert grades.import_exams_csv(db, world.id("admin"), good).updated == 2
    with pytest.raises(InputError) as err:
        grades.import_exams_csv(db, world.id("admin"), "username,month\njun_a1,2026-11\n")
    assert "missing column" in str(err.value)


def test_G3_inspection_scores_band_and_monthly_count(
    db: sessionmaker[Session], world: World
) -> None:
    with pytest.raises(RuleViolation) as err:
        grades.record_inspection(
            db,
            world.id("inspector"),
            person_id=world.id("int_a1"),
            call_reference="C1",
            scores=dict(GOOD, tone_intonation=21),
        )
    assert err.value.rules == ["G3"] and "tone_intonation" in str(err.value)
    with pytest.raises(PermissionDenied):
        grades.record_inspection(
            db, world.id("lead_a"), person_id=world.id("int_a1"), call_reference="C1", scores=GOOD
        )
    results = [
        grades.record_inspection(
            db,
            world.id("inspector"),
            person_id=world.id("int_a1"),
            call_reference=f"C{i}",
            scores=GOOD,
            inspected_at=datetime(2026, 11, 2 + i, 10),
        )
        for i in range(6)
    ]
    assert results[0].inspection.total == 90 and results[0].inspection.band == "excellent"
    assert all(r.warnings == () for r in results[:5])
    assert results[5].warnings and results[5].warnings[0].startswith("G3:")  # 6th: allowed, warned
    counts = {c.name: c for c in grades.inspection_counts(db, world.id("inspector"), NOV)}
    assert counts["Int A1"].above_max and not counts["Int A1"].below_min
    assert counts["Int A2"].below_min and counts["Int A2"].count == 0


def exam(
    db: sessionmaker[Session], world: World, key: str, month: date, cpm: float, score: float
) -> None:
    grades.record_exam(
        db,
        world.id("dept_director"),
        person_id=world.id(key),
        month=month,
        typing_cpm=cpm,
        business_score=score,
    )


def test_G4_promotion_after_three_months_and_review_after_two_failed(
    db: sessionmaker[Session], world: World
) -> None:
    for m in (SEP, OCT, NOV):
        exam(db, world, "jun_a1", m, 55, 75)  # intermediate bar met three months running
        exam(db, world, "int_a2", m, 20, 40)  # fails the intermediate bar
    out = {}
    for m in (SEP, OCT):
        out = {e.name: e for e in grades.run_monthly_evaluation(db, world.id("dept_director"), m)}
        assert out["Jun A1"].action == "none"
    assert out["Int A2"].action == "review"  # two failed months
    out = {e.name: e for e in grades.run_monthly_evaluation(db, world.id("dept_director"), NOV)}
    assert out["Jun A1"].action == "promoted" and out["Jun A1"].grade_after == "intermediate"
    assert out["Int A3"].action == "review"  # no exams at all for three months
    hist = grades.grade_history(db, world.id("lead_a"), world.id("jun_a1"))
    assert [(h.grade, h.valid_from) for h in hist] == [("intermediate", DEC)]
    with transaction(db) as s:
        assert s.get(Person, world.id("jun_a1")).grade == "intermediate"  # type: ignore[union-attr]
    # Re-running a month changes nothing.
    assert grades.run_monthly_evaluation(db, world.id("dept_director"), NOV) == []
    with pytest.raises(PermissionDenied):
        grades.run_monthly_evaluation(db, world.id("lead_a"), DEC)


def test_G5_grade_change_drives_swap_compatibility(db: sessionmaker[Session], world: World) -> None:
    d = date(2026, 12, 7)
    world.assign_many(db, [("jun_a1", d, "D"), ("int_a2", d, "M")])
    with pytest.raises(RuleViolation) as err:
        swaps.propose_swap(
            db, world.id("jun_a1"), counterpart_id=world.id("int_a2"), proposer_day=d
        )
    assert err.value.rules == ["W3"]
    with pytest.raises(InputError):
        grades.set_grade(
            db, world.id("centre_director"), world.id("jun_a1"), "intermediate", reason=" "
        )
    grades.set_grade(
        db, world.id("centre_director"), world.id("jun_a1"), "intermediate", reason="review passed"
    )
    assert (
        swaps.propose_swap(
            db, world.id("jun_a1"), counterpart_id=world.id("int_a2"), proposer_day=d
        ).status
        == "proposed"
    )
