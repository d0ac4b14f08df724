"""Grades, exams and inspections: one person's record, the grade distribution, exam trends."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from wfm.models import (
    ExamResult,
    GradeHistory,
    MonthlyEvaluation,
    Person,
    QualityInspection,
    Role,
    Team,
)
from wfm.views._common import read_session
from wfm.views.scope import load_actor, require_person, visible_team_ids


@dataclass(frozen=True)
class PersonRecord:
    grade: str
    exams: pd.DataFrame  # month, typing_cpm, business_score
    inspections: pd.DataFrame  # inspected_at, call_reference, five scores, total, band, comment
    grade_history: pd.DataFrame  # valid_from, grade, reason
    evaluations: pd.DataFrame  # month, met_grade, passed, action


def person_record(db: sessionmaker[Session], actor_id: int, person_id: int) -> PersonRecord:
    with read_session(db) as s:
        require_person(s, load_actor(s, actor_id), person_id, "grade.view")
        person = s.get(Person, person_id)
        exams = s.execute(
            select(ExamResult.month, ExamResult.typing_cpm, ExamResult.business_score)
            .where(ExamResult.person_id == person_id)
            .order_by(ExamResult.month)
        ).all()
        insp = s.execute(
            select(
                QualityInspection.inspected_at,
                QualityInspection.call_reference,
                QualityInspection.service_language,
                QualityInspection.service_attitude,
                QualityInspection.tone_intonation,
                QualityInspection.need_understanding,
                QualityInspection.response_ability,
                QualityInspection.total,
                QualityInspection.band,
                QualityInspection.comment,
            )
            .where(QualityInspection.person_id == person_id)
            .order_by(QualityInspection.inspected_at.desc())
        ).all()
        hist = s.execute(
            select(GradeHistory.valid_from, GradeHistory.grade, GradeHistory.reason)
            .where(GradeHistory.person_id == person_id)
            .order_by(GradeHistory.valid_from)
        ).all()
        evals = s.execute(
            select(
                MonthlyEvaluation.month,
                MonthlyEvaluation.met_grade,
                MonthlyEvaluation.passed,
                MonthlyEvaluation.action,
            )
            .where(MonthlyEvaluation.person_id == person_id)
            .order_by(MonthlyEvaluation.month)
        ).all()
        grade = str(person.grade) if person is not None and person.grade is not None else ""
    history = pd.DataFrame(hist, columns=["valid_from", "grade", "reason"])
    history["grade"] = history["grade"].map(str)
    return PersonRecord(
        grade=grade,
        exams=pd.DataFrame(exams, columns=["month", "typing_cpm", "business_score"]),
        inspections=pd.DataFrame(
            insp,
            columns=[
                "inspected_at",
                "call_reference",
                "service_language",
                "service_attitude",
                "tone_intonation",
                "need_understanding",
                "response_ability",
                "total",
                "band",
                "comment",
            ],
        ),
        grade_history=history,
        evaluations=pd.DataFrame(evals, columns=["month", "met_grade", "passed", "action"]),
    )


def grade_distribution(db: sessionmaker[Session], actor_id: int) -> pd.DataFrame:
    """Active agents and team leads by team and grade: team, grade, people."""
    with read_session(db) as s:
        teams = visible_team_ids(s, load_actor(s, actor_id), "grade.view")
        q = (
            select(Team.name, Person.grade, func.count(Person.id))
            .join(Team, Team.id == Person.team_id)
            .where(Person.active.is_(True), Person.role.in_([Role.AGENT, Role.TEAM_LEAD]))
            .group_by(Team.name, Person.grade)
        )
        if teams is not None:
            q = q.where(Team.id.in_(teams))
        rows = s.execute(q).all()
    frame = pd.DataFrame(rows, columns=["team", "grade", "people"])
    frame["grade"] = frame["grade"].map(lambda g: str(g) if g is not None else "")
    return frame


def exam_trends(
    db: sessionmaker[Session], actor_id: int, since: date | None = None
) -> pd.DataFrame:
    """Per month and team: people examined, mean typing speed, mean score, pass rate (G2)."""
    from rules.policy import load_policy

    pass_mark = load_policy().grades.exam_pass_mark
    with read_session(db) as s:
        teams = visible_team_ids(s, load_actor(s, actor_id), "exam.view")
        q = (
            select(ExamResult.month, Team.name, ExamResult.typing_cpm, ExamResult.business_score)
            .join(Person, Person.id == ExamResult.person_id)
            .join(Team, Team.id == Person.team_id)
        )
        if teams is not None:
            q = q.where(Team.id.in_(teams))
        if since is not None:
            q = q.where(ExamResult.month >= since)
        rows = s.execute(q).all()
    frame = pd.DataFrame(rows, columns=["month", "team", "typing_cpm", "business_score"])
    frame["passed"] = frame["business_score"] >= pass_mark
    return frame.groupby(["month", "team"], as_index=False).agg(
        examined=("typing_cpm", "size"),
        typing_cpm=("typing_cpm", "mean"),
        business_score=("business_score", "mean"),
        pass_rate=("passed", "mean"),
    )


def inspection_bands(
    db: sessionmaker[Session], actor_id: int, since: date | None = None
) -> pd.DataFrame:
    """Inspections by team and band (G3)."""
    with read_session(db) as s:
        teams = visible_team_ids(s, load_actor(s, actor_id), "inspection.view")
        q = (
            select(
                Team.name,
                QualityInspection.band,
                func.count(QualityInspection.id),
                func.avg(QualityInspection.total),
            )
            .join(Person, Person.id == QualityInspection.person_id)
            .join(Team, Team.id == Person.team_id)
            .group_by(Team.name, QualityInspection.band)
        )
        if teams is not None:
            q = q.where(Team.id.in_(teams))
        if since is not None:
            q = q.where(QualityInspection.inspected_at >= since)
        rows = s.execute(q).all()
    return pd.DataFrame(rows, columns=["team", "band", "inspections", "mean_total"])
