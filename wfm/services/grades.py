"""Exams, quality inspections and grades (G1-G5).

Monthly typing speed and business exam (single entry, or a CSV import validated row by row that
writes nothing on any error), quality inspections with five scores, the monthly evaluation
that promotes or flags for review (G4), and the grade history. `Person.grade` is what the
solver (R2) and the swap rules (W3) read, so every change goes through here with history.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from rules import grades as rules
from rules.policy import Policy, default_policy
from rules.violation import RuleViolation
from wfm import timeutil
from wfm.db import transaction
from wfm.models import (
    ExamResult,
    Grade,
    GradeHistory,
    MonthlyEvaluation,
    Person,
    QualityInspection,
    Role,
)
from wfm.services.audit import record
from wfm.services.errors import InputError, NotFound, PermissionDenied
from wfm.services.permissions import allowed, load_actor, require
from wfm.timeutil import month_end, month_start, parse_month

GRADED_ROLES = (Role.AGENT, Role.TEAM_LEAD)
CSV_COLUMNS = ("username", "month", "typing_cpm", "business_score")  # + optional "answers"


@dataclass(frozen=True, slots=True)
class ExamView:
    person_id: int
    month: date
    typing_cpm: float
    business_score: float
    met_grade: str | None
    passed_exam: bool
    answers: str | None  # None when the viewer may not see them


@dataclass(frozen=True, slots=True)
class InspectionView:
    id: int
    person_id: int
    inspector_id: int
    inspected_at: datetime
    call_reference: str
    scores: Mapping[str, float]
    total: float
    band: str
    comment: str


@dataclass(frozen=True, slots=True)
class InspectionResult:
    inspection: InspectionView
    warnings: tuple[str, ...]  # G3 (soft): beyond the monthly maximum


@dataclass(frozen=True, slots=True)
class InspectionCount:
    person_id: int
    name: str
    count: int
    below_min: bool
    above_max: bool


@dataclass(frozen=True, slots=True)
class EvaluationView:
    person_id: int
    name: str
    month: date
    met_grade: str | None
    passed: bool
    action: str  # none | promoted | review
    grade_before: str
    grade_after: str


@dataclass(frozen=True, slots=True)
class GradeChange:
    grade: str
    valid_from: date
    reason: str
    changed_by_id: int | None


@dataclass(frozen=True, slots=True)
class ImportReport:
    rows: int
    inserted: int
    updated: int


# ---------------------------------------------------------------------------- helpers


def _person(session: Session, person_id: int) -> Person:
    p = session.get(Person, person_id)
    if p is None:
        raise NotFound(f"no person with id {person_id}")
    return p


def _exam_view(e: ExamResult, viewer: Person, person: Person, policy: Policy) -> ExamView:
    see = viewer.id == person.id or allowed(viewer, "exam.view_answers", person=person)
    return ExamView(
        person_id=e.person_id,
        month=e.month,
        typing_cpm=e.typing_cpm,
        business_score=e.business_score,
        met_grade=rules.met_grade(e.typing_cpm, e.business_score, policy),
        passed_exam=e.business_score >= policy.grades.exam_pass_mark,
        answers=e.answers if see else None,
    )


def _validate_exam(typing_cpm: float, business_score: float) -> None:
    if not typing_cpm >= 0:
        raise InputError("typing_cpm: must be 0 or more", field="typing_cpm")
    if not 0 <= business_score <= 100:
        raise InputError("business_score: must be between 0 and 100", field="business_score")


def _upsert_exam(
    session: Session,
    actor: Person,
    person: Person,
    month: date,
    typing_cpm: float,
    business_score: float,
    answers: str,
) -> tuple[ExamResult, bool]:
    e = session.scalars(
        select(ExamResult).where(ExamResult.person_id == person.id, ExamResult.month == month)
    ).first()
    before = None if e is None else {"typing_cpm": e.typing_cpm, "business_score": e.business_score}
    created = e is None
    if e is None:
        e = ExamResult(person_id=person.id, month=month)
        session.add(e)
    e.typing_cpm, e.business_score, e.answers, e.recorded_by_id = (
        float(typing_cpm),
        float(business_score),
        answers,
        actor.id,
    )
    session.flush()
    record(
        session,
        actor_id=actor.id,
        action="exam.record",
        entity="exam_result",
        entity_id=e.id,
        before=before,
        after={
            "person_id": person.id,
            "month": month,
            "typing_cpm": e.typing_cpm,
            "business_score": e.business_score,
        },
    )
    return e, created


# ---------------------------------------------------------------------------- exams (G2)


def record_exam(
    db: sessionmaker[Session],
    actor_id: int,
    *,
    person_id: int,
    month: date,
    typing_cpm: float,
    business_score: float,
    answers: str = "",
    policy: Policy | None = None,
) -> ExamView:
    """Record (or correct) a person's monthly typing speed and business exam (G2)."""
    policy = policy or default_policy()
    with transaction(db) as session:
        actor = load_actor(session, actor_id)
        person = _person(session, person_id)
        require(actor, "exam.record", person=person)
        if person.role not in GRADED_ROLES:
            raise InputError(f"person: {person.name} takes no exams", field="person")
        _validate_exam(typing_cpm, business_score)
        e, _ = _upsert_exam(
            session, actor, person, month_start(month), typing_cpm, business_score, answers
        )
        return _exam_view(e, actor, person, policy)


def import_exams_csv(db: sessionmaker[Session], actor_id: int, text: str) -> ImportReport:
    """Import exam results from CSV text with columns username, month (YYYY-MM), typing_cpm,
    business_score and optionally answers. Every row is validated first; any error raises
    InputError listing each bad row ("row 3: typing_cpm: ...") and nothing is written."""
    with transaction(db) as session:
        actor = load_actor(session, actor_id)
        require(actor, "exam.record")
        reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
        header = [h.strip() for h in (reader.fieldnames or [])]
        missing = [c for c in CSV_COLUMNS if c not in header]
        if missing:
            raise InputError(f"header: missing column(s) {', '.join(missing)}", field="file")
        errors: list[str] = []
        good: list[tuple[Person, date, float, float, str]] = []
        seen: dict[tuple[int, date], int] = {}
        for n, raw in enumerate(reader, start=2):  # row 1 is the header
            row = {(k or "").strip(): (v or "").strip() for k, v in raw.items()}
            problems, parsed = _parse_row(session, actor, row)
            if parsed is not None:
                key = (parsed[0].id, parsed[1])
                if key in seen:
                    problems.append(f"duplicate of row {seen[key]}")
                seen.setdefault(key, n)
            if problems:
                errors += [f"row {n}: {p}" for p in problems]
            elif parsed is not None:
                good.append(parsed)
        if errors:
            raise InputError("\n".join(errors), field="file")
        if not good:
            raise InputError("file: no rows", field="file")
        inserted = 0
        for person, month, cpm, score, answers in good:
            _, created = _upsert_exam(session, actor, person, month, cpm, score, answers)
            inserted += created
        return ImportReport(rows=len(good), inserted=inserted, updated=len(good) - inserted)


def _parse_row(
    session: Session, actor: Person, row: dict[str, str]
) -> tuple[list[str], tuple[Person, date, float, float, str] | None]:
    problems: list[str] = []
    person = session.scalars(
        select(Person).where(Person.username == row.get("username", ""))
    ).first()
    if person is None:
        problems.append(f"username: no user {row.get('username', '')!r}")
    elif not allowed(actor, "exam.record", person=person):
        problems.append(f"username: you may not record exams of {person.username}")
    elif person.role not in GRADED_ROLES:
        problems.append(f"username: {person.username} takes no exams")
    try:
        month = parse_month(row.get("month", ""))
    except ValueError as err:
        problems.append(str(err))
        month = None
    numbers: list[float] = []
    for name, lo, hi in (("typing_cpm", 0.0, None), ("business_score", 0.0, 100.0)):
        try:
            value = float(row.get(name, ""))
        except ValueError:
            problems.append(f"{name}: not a number ({row.get(name, '')!r})")
            continue
        if value < lo or (hi is not None and value > hi):
            problems.append(
                f"{name}: {value:g} is outside {lo:g}-{hi:g}"
                if hi is not None
                else f"{name}: must be 0 or more"
            )
            continue
        numbers.append(value)
    if problems or person is None or month is None:
        return problems, None
    return problems, (person, month, numbers[0], numbers[1], row.get("answers", ""))


def exam_results(
    db: sessionmaker[Session],
    actor_id: int,
    *,
    person_id: int | None = None,
    month: date | None = None,
    policy: Policy | None = None,
) -> list[ExamView]:
    """Exam results the actor may see; answers only for the person and managers."""
    policy = policy or default_policy()
    with transaction(db) as session:
        actor = load_actor(session, actor_id)
        q = select(ExamResult).order_by(ExamResult.month, ExamResult.person_id)
        if person_id is not None:
            q = q.where(ExamResult.person_id == person_id)
        if month is not None:
            q = q.where(ExamResult.month == month_start(month))
        out = []
        for e in session.scalars(q):
            person = _person(session, e.person_id)
            if actor.id == person.id or allowed(actor, "exam.view", person=person):
                out.append(_exam_view(e, actor, person, policy))
        if person_id is not None and not out and person_id != actor.id:
            require(actor, "exam.view", person=_person(session, person_id))
        return out


# ---------------------------------------------------------------------------- inspections (G3)


def _inspection_view(q: QualityInspection) -> InspectionView:
    return InspectionView(
        id=q.id,
        person_id=q.person_id,
        inspector_id=q.inspector_id,
        inspected_at=q.inspected_at,
        call_reference=q.call_reference,
        scores={f: getattr(q, f) for f in rules.SCORE_FIELDS},
        total=q.total,
        band=q.band,
        comment=q.comment,
    )


def _month_count(session: Session, person_id: int, month: date) -> int:
    lo = datetime.combine(month, datetime.min.time())
    hi = datetime.combine(month_end(month) + timedelta(days=1), datetime.min.time())
    return int(
        session.scalar(
            select(func.count())
            .select_from(QualityInspection)
            .where(
                QualityInspection.person_id == person_id,
                QualityInspection.inspected_at >= lo,
                QualityInspection.inspected_at < hi,
            )
        )
        or 0
    )


def record_inspection(
    db: sessionmaker[Session],
    actor_id: int,
    *,
    person_id: int,
    call_reference: str,
    scores: Mapping[str, float],
    inspected_at: datetime | None = None,
    comment: str = "",
    policy: Policy | None = None,
) -> InspectionResult:
    """G3: a quality inspection of one call: five scores 0-20, total and band computed. Beyond
    the monthly maximum it is recorded with a warning (G3, soft)."""
    policy = policy or default_policy()
    with transaction(db) as session:
        actor = load_actor(session, actor_id)
        person = _person(session, person_id)
        require(actor, "inspection.record", person=person)
        if person.id == actor.id:
            raise PermissionDenied("nobody inspects their own calls")
        if person.role not in GRADED_ROLES:
            raise InputError(f"person: {person.name} takes no calls", field="person")
        if not call_reference.strip():
            raise InputError("call_reference: required", field="call_reference")
        bad = rules.check_scores(scores)
        if bad:
            raise RuleViolation(bad)
        at = inspected_at or timeutil.now()
        total = round(sum(float(scores[f]) for f in rules.SCORE_FIELDS), 2)
        q = QualityInspection(
            person_id=person.id,
            inspector_id=actor.id,
            inspected_at=at,
            call_reference=call_reference.strip(),
            total=total,
            band=rules.band(total, policy),
            comment=comment,
            **{f: float(scores[f]) for f in rules.SCORE_FIELDS},
        )
        session.add(q)
        session.flush()
        count = _month_count(session, person.id, month_start(at.date()))
        warn = rules.inspection_count_warning(person.name, count, f"{at:%Y-%m}", policy)
        record(
            session,
            actor_id=actor.id,
            action="inspection.record",
            entity="quality_inspection",
            entity_id=q.id,
            after={"person_id": person.id, "total": total, "band": q.band},
            detail=warn.message if warn else "",
        )
        return InspectionResult(_inspection_view(q), (warn.message,) if warn else ())


def inspection_counts(
    db: sessionmaker[Session], actor_id: int, month: date, *, policy: Policy | None = None
) -> list[InspectionCount]:
    """G3 at month end: every active agent's number of inspections, flagging those below the
    minimum (to be inspected) and above the maximum."""
    policy = policy or default_policy()
    with transaction(db) as session:
        actor = load_actor(session, actor_id)
        require(actor, "inspection.view")
        month = month_start(month)
        out = []
        agents = session.scalars(
            select(Person)
            .where(Person.active.is_(True), Person.role == Role.AGENT)
            .order_by(Person.name)
        )
        for p in agents:
            if not allowed(actor, "inspection.view", person=p):
                continue
            n = _month_count(session, p.id, month)
            out.append(
                InspectionCount(
                    p.id,
                    p.name,
                    n,
                    n < policy.grades.inspections_min_per_month,
                    n > policy.grades.inspections_max_per_month,
                )
            )
        return out


def inspections_of(
    db: sessionmaker[Session], actor_id: int, *, person_id: int, month: date | None = None
) -> list[InspectionView]:
    with transaction(db) as session:
        actor = load_actor(session, actor_id)
        person = _person(session, person_id)
        require(actor, "inspection.view", person=person)
        q = select(QualityInspection).where(QualityInspection.person_id == person.id)
        rows = [
            _inspection_view(r) for r in session.scalars(q.order_by(QualityInspection.inspected_at))
        ]
        if month is not None:
            rows = [r for r in rows if month_start(r.inspected_at.date()) == month_start(month)]
        return rows


# ---------------------------------------------------------------------------- evaluation (G4)


def _prev_month(m: date) -> date:
    return month_start(m - timedelta(days=1))


def _streak(session: Session, person: Person, month: date) -> list[str | None]:
    """Grades met in the consecutive evaluated months before `month`, since the last grade
    change, oldest first (a missing month breaks the streak)."""
    since = session.scalar(
        select(func.max(GradeHistory.valid_from)).where(GradeHistory.person_id == person.id)
    )
    out: list[str | None] = []
    m = _prev_month(month)
    while since is None or m >= month_start(since):
        ev = session.scalars(
            select(MonthlyEvaluation).where(
                MonthlyEvaluation.person_id == person.id, MonthlyEvaluation.month == m
            )
        ).first()
        if ev is None:
            break
        out.insert(0, ev.met_grade)
        m = _prev_month(m)
    return out


def _change_grade(
    session: Session,
    actor_id: int | None,
    person: Person,
    grade: str,
    valid_from: date,
    reason: str,
) -> None:
    before = str(person.grade) if person.grade else None
    person.grade = Grade(grade)
    session.add(
        GradeHistory(
            person_id=person.id,
            grade=Grade(grade),
            valid_from=valid_from,
            reason=reason,
            changed_by_id=actor_id,
        )
    )
    record(
        session,
        actor_id=actor_id,
        action="grade.change",
        entity="person",
        entity_id=person.id,
        before={"grade": before},
        after={"grade": grade},
        detail=reason,
    )


def run_monthly_evaluation(
    db: sessionmaker[Session], actor_id: int, month: date, *, policy: Policy | None = None
) -> list[EvaluationView]:
    """G4 for every active graded person: the grade met this month (no exam = failed month),
    promotion after `promotion_months` consecutive months at the next grade's bar (the new
    grade valid from the next month, with history), a review flag after
    `review_after_failed_months` failed months. People evaluated already are skipped."""
    policy = policy or default_policy()
    month = month_start(month)
    with transaction(db) as session:
        actor = load_actor(session, actor_id)
        require(actor, "evaluation.run")
        people = session.scalars(
            select(Person)
            .where(
                Person.active.is_(True), Person.role.in_(GRADED_ROLES), Person.grade.is_not(None)
            )
            .order_by(Person.id)
        ).all()
        out = []
        for p in people:
            done = session.scalars(
                select(MonthlyEvaluation.id).where(
                    MonthlyEvaluation.person_id == p.id, MonthlyEvaluation.month == month
                )
            ).first()
            if done is not None:
                continue
            e = session.scalars(
                select(ExamResult).where(ExamResult.person_id == p.id, ExamResult.month == month)
            ).first()
            met = rules.met_grade(e.typing_cpm, e.business_score, policy) if e else None
            current = str(p.grade)
            outcome = rules.evaluate(current, [*_streak(session, p, month), met], policy)
            session.add(
                MonthlyEvaluation(
                    person_id=p.id,
                    month=month,
                    met_grade=met,
                    passed=rules.passes(current, met),
                    action=outcome.action,
                )
            )
            if outcome.action == "promoted":
                _change_grade(
                    session,
                    actor.id,
                    p,
                    outcome.new_grade,
                    month_end(month) + timedelta(days=1),
                    f"G4: {policy.grades.promotion_months} months at "
                    f"{outcome.new_grade} level to {month:%Y-%m}",
                )
            elif outcome.action == "review":
                record(
                    session,
                    actor_id=actor.id,
                    action="grade.review_flag",
                    entity="person",
                    entity_id=p.id,
                    detail=f"G4: {p.name} failed "
                    f"{policy.grades.review_after_failed_months} months to {month:%Y-%m}",
                )
            out.append(
                EvaluationView(
                    p.id,
                    p.name,
                    month,
                    met,
                    rules.passes(current, met),
                    outcome.action,
                    current,
                    outcome.new_grade,
                )
            )
        record(
            session,
            actor_id=actor.id,
            action="evaluation.run",
            entity="monthly_evaluation",
            detail=f"{month:%Y-%m}: {len(out)} evaluated",
        )
        return out


def set_grade(
    db: sessionmaker[Session], actor_id: int, person_id: int, grade: str, *, reason: str
) -> GradeChange:
    """A director changes a grade by hand (e.g. after a review); history and audit kept."""
    with transaction(db) as session:
        actor = load_actor(session, actor_id)
        person = _person(session, person_id)
        require(actor, "grade.set", person=person)
        if grade not in rules.GRADES:
            raise InputError(
                f"grade: {grade!r} is not one of {', '.join(rules.GRADES)}", field="grade"
            )
        if not reason.strip():
            raise InputError("reason: required for a grade change", field="reason")
        today = timeutil.now().date()
        _change_grade(session, actor.id, person, grade, today, reason.strip())
        return GradeChange(grade, today, reason.strip(), actor.id)


def grade_history(db: sessionmaker[Session], actor_id: int, person_id: int) -> list[GradeChange]:
    with transaction(db) as session:
        actor = load_actor(session, actor_id)
        person = _person(session, person_id)
        require(actor, "grade.view", person=person)
        rows = session.scalars(
            select(GradeHistory)
            .where(GradeHistory.person_id == person.id)
            .order_by(GradeHistory.valid_from, GradeHistory.id)
        )
        return [GradeChange(str(r.grade), r.valid_from, r.reason, r.changed_by_id) for r in rows]
