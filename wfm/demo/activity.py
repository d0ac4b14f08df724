"""A month of centre life for the demo, written through the same services users call, so every
demo record passed the centre's rules and left an audit trail."""

from __future__ import annotations

import os
import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from rules.violation import RuleViolation
from wfm.models import Person, Role, Team
from wfm.services.errors import ServiceError
from wfm.timeutil import NOW_ENV

Say = Callable[[str], None]


@dataclass(frozen=True)
class Cast:
    """Who is who in the demo, as plain ids (safe across transactions)."""

    team_ids: list[int]
    leads: dict[int, int]  # team id -> team lead id
    agents: dict[int, list[int]]  # team id -> agent ids
    grades: dict[int, str]  # person id -> grade
    dept_director: int
    centre_director: int
    inspector: int
    admin: int


def load_cast(db: sessionmaker[Session]) -> Cast:
    with db() as s:
        people = s.scalars(select(Person).order_by(Person.id)).all()
        teams = s.scalars(select(Team.id).order_by(Team.id)).all()
        by_role = {p.role: p.id for p in people if p.team_id is None}
        return Cast(
            team_ids=list(teams),
            leads={p.team_id: p.id for p in people if p.role == Role.TEAM_LEAD and p.team_id},
            agents={
                t: [p.id for p in people if p.team_id == t and p.role == Role.AGENT] for t in teams
            },
            grades={p.id: str(p.grade) for p in people if p.grade},
            dept_director=by_role[Role.DEPARTMENT_DIRECTOR],
            centre_director=by_role[Role.CENTRE_DIRECTOR],
            inspector=by_role[Role.QUALITY_INSPECTOR],
            admin=by_role[Role.ADMIN],
        )


@contextmanager
def clock(at: datetime) -> Iterator[None]:
    """Pin the services' clock (wfm.timeutil.now) while the demo replays past events."""
    old = os.environ.get(NOW_ENV)
    os.environ[NOW_ENV] = at.isoformat()
    try:
        yield
    finally:
        if old is None:
            os.environ.pop(NOW_ENV, None)
        else:
            os.environ[NOW_ENV] = old


def approved_leave_before_rosters(
    db: sessionmaker[Session],
    cast: Cast,
    rng: random.Random,
    today: date,
    next_month: date,
    say: Say,
) -> int:
    """Annual and personal leave in next month, requested with notice and approved through the
    whole L2 chain before the roster is built (so the solver respects it, R3)."""
    from wfm.services.leave import approve_leave, request_leave

    done = 0
    with clock(datetime.combine(today, time(9, 30))):
        for team in cast.team_ids:
            for agent in rng.sample(cast.agents[team], k=min(3, len(cast.agents[team]))):
                first = next_month + timedelta(days=rng.randint(2, 24))
                days = rng.choice([1, 1, 2, 3])
                kind = rng.choice(["annual", "annual", "personal"])
                try:
                    view = request_leave(
                        db,
                        agent,
                        leave_type=kind,
                        start_at=datetime.combine(first, time.min),
                        end_at=datetime.combine(first + timedelta(days=days), time.min),
                        reason="family matters 家中有事"
                        if kind == "personal"
                        else "annual leave 年假",
                    )
                    approve_leave(db, cast.leads[team], view.id)
                    approve_leave(
                        db, cast.dept_director if days <= 1 else cast.centre_director, view.id
                    )
                    done += 1
                except (ServiceError, RuleViolation) as err:
                    say(f"      (leave skipped: {err})")
    return done


def solve_and_publish(
    db: sessionmaker[Session], cast: Cast, months: list[date], time_limit: float, say: Say
) -> list[str]:
    from wfm.services.roster import publish_roster, solve_roster

    lines = []
    for month in months:
        for team in cast.team_ids:
            lead = cast.leads[team]
            summary = solve_roster(db, lead, team, month, time_limit_s=time_limit)
            line = (
                f"      {summary.team} {month:%Y-%m}: {summary.solver_status}, "
                f"objective {summary.objective}, "
                f"bound {summary.bound}, gap {100 * (summary.gap or 0):.1f} %, "
                f"hard violations {summary.hard_violations}"
            )
            if summary.hard_violations == 0:
                publish_roster(db, lead, summary.roster_id)
                line += ", published"
            say(line)
            lines.append(line.strip())
    return lines


def requests_after_rosters(
    db: sessionmaker[Session], cast: Cast, rng: random.Random, today: date, say: Say
) -> None:
    """Open work for the dashboards: pending leave, swaps at each stage."""
    from wfm.services.leave import approve_leave, request_leave
    from wfm.services.swaps import approve_swap, propose_swap, respond_swap, swap_candidates

    team = cast.team_ids[0]
    with clock(datetime.combine(today, time(10, 0))):
        for agent in cast.agents[team][:3]:
            first = today + timedelta(days=rng.randint(5, 20))
            try:
                v = request_leave(
                    db,
                    agent,
                    leave_type="personal",
                    start_at=datetime.combine(first, time.min),
                    end_at=datetime.combine(first + timedelta(days=1), time.min),
                    reason="medical check-up 体检",
                )
                if agent == cast.agents[team][0]:
                    approve_leave(db, cast.leads[team], v.id)  # now waiting for the director
            except (ServiceError, RuleViolation) as err:
                say(f"      (leave request skipped: {err})")
        made = 0
        for agent in cast.agents[team]:
            if made >= 3:
                break
            day = today + timedelta(days=rng.randint(3, 12))
            try:
                cands = [c for c in swap_candidates(db, agent, day) if c.eligible]
            except (ServiceError, RuleViolation):
                continue
            if not cands:
                continue
            other = rng.choice(cands)
            try:
                s = propose_swap(
                    db,
                    agent,
                    counterpart_id=other.person_id,
                    proposer_day=day,
                    counterpart_day=day,
                    reason="family event 家庭活动",
                )
                if made >= 1:
                    respond_swap(db, other.person_id, s.id, accept=True)
                if made >= 2:
                    approve_swap(db, cast.leads[team], s.id)
                made += 1
            except (ServiceError, RuleViolation) as err:
                say(f"      (swap skipped: {err})")
        say(f"      {made} swaps (proposed, accepted, approved)")


def centre_life(
    db: sessionmaker[Session], cast: Cast, rng: random.Random, today: date, say: Say
) -> None:
    """Exams, evaluations, inspections, notices, handover logs and attendance of recent days."""
    counts = {
        "exams": _exams_and_evaluations(db, cast, rng, today),
        "inspections": _inspections(db, cast, rng, today),
        "notices": _notices(db, cast, today),
        "handover logs": _handovers(db, cast, rng, today),
        "attendance records": _attendance(db, cast, rng, today),
    }
    say("      " + ", ".join(f"{n} {what}" for what, n in counts.items()))


def _months_back(today: date, n: int) -> list[date]:
    out, m = [], today.replace(day=1)
    for _ in range(n):
        m = (m - timedelta(days=1)).replace(day=1)
        out.append(m)
    return out[::-1]


_TYPING = {"junior": (40.0, 7.0), "intermediate": (56.0, 6.0), "senior": (74.0, 6.0)}


def _exams_and_evaluations(
    db: sessionmaker[Session], cast: Cast, rng: random.Random, today: date
) -> int:
    from wfm.services.grades import record_exam, run_monthly_evaluation

    n = 0
    for month in _months_back(today, 3):
        with clock(datetime.combine(month + timedelta(days=27), time(16, 0))):
            for team in cast.team_ids:
                for pid in [cast.leads[team], *cast.agents[team]]:
                    mean, sd = _TYPING[cast.grades.get(pid, "junior")]
                    cpm = round(max(15.0, rng.gauss(mean, sd)), 1)
                    score = round(min(100.0, max(35.0, rng.gauss(79, 9))), 1)
                    record_exam(
                        db,
                        cast.dept_director,
                        person_id=pid,
                        month=month,
                        typing_cpm=cpm,
                        business_score=score,
                        answers="demo answer sheet",
                    )
                    n += 1
            run_monthly_evaluation(db, cast.dept_director, month)
    return n


def _inspections(db: sessionmaker[Session], cast: Cast, rng: random.Random, today: date) -> int:
    from rules.grades import SCORE_FIELDS
    from wfm.services.grades import record_inspection

    n = 0
    for month in [*_months_back(today, 2), today.replace(day=1)]:
        last = min(today - timedelta(days=1), month + timedelta(days=27))
        for team in cast.team_ids:
            for pid in cast.agents[team]:
                for _ in range(rng.randint(1, 3)):
                    at = datetime.combine(
                        month + timedelta(days=rng.randint(0, (last - month).days)),
                        time(rng.randint(9, 20), rng.choice([0, 15, 30, 45])),
                    )
                    scores = {
                        f: float(min(20, max(8, round(rng.gauss(16.5, 2))))) for f in SCORE_FIELDS
                    }
                    with clock(at + timedelta(hours=1)):
                        record_inspection(
                            db,
                            cast.inspector,
                            person_id=pid,
                            inspected_at=at,
                            scores=scores,
                            call_reference=f"CALL-{at:%Y%m%d}-{rng.randint(1000, 9999)}",
                        )
                    n += 1
    return n


def _notices(db: sessionmaker[Session], cast: Cast, today: date) -> int:
    from wfm.services.handover import publish_notice

    with clock(datetime.combine(today - timedelta(days=2), time(8, 0))):
        publish_notice(
            db,
            cast.dept_director,
            title="12月资费调整 / December tariff change",
            body="新套餐自12月1日起生效,请熟悉话术。"
            "The new plans start on 1 December; read the script.",
        )
    with clock(datetime.combine(today - timedelta(days=1), time(7, 30))):
        publish_notice(
            db,
            cast.leads[cast.team_ids[0]],
            team_id=cast.team_ids[0],
            title="宽带故障高发 / Broadband outage area",
            body="城东片区宽带故障,统一答复预计今晚修复。"
            "East district outage; expected fix tonight.",
        )
    return 2


_HANDOVER_TEXT = {
    "equipment_status": "座席设备正常 / all seats working",
    "unresolved_problems": "2 张工单待回访 / two tickets awaiting call-back",
    "personnel_handover": "全员到岗 / everyone present",
    "business_changes": "无 / none",
    "superior_instructions": "关注宽带故障来电 / watch broadband-outage calls",
    "customer_feedback": "1 起投诉:等待时间长 / one complaint about waiting time",
    "process_equipment_changes": "无 / none",
}


def _handovers(db: sessionmaker[Session], cast: Cast, rng: random.Random, today: date) -> int:
    from wfm.services.handover import write_handover
    from wfm.services.roster_read import snapshot_for_team

    team, lead = cast.team_ids[0], cast.leads[cast.team_ids[0]]
    n = 0
    for back in (3, 2, 1):
        day = today - timedelta(days=back)
        with db() as s:
            snap = snapshot_for_team(s, team, day, day)
        codes = sorted({a.shift for a in snap.assignments if a.day == day})
        for code in codes:
            st = snap.shift_type(code)
            with clock(st.end_on(day) - timedelta(minutes=15)):
                write_handover(
                    db,
                    lead,
                    team_id=team,
                    day=day,
                    shift=code,
                    fields=_HANDOVER_TEXT,
                    workload_calls=rng.randint(250, 700),
                )
            n += 1
    return n


def _attendance(db: sessionmaker[Session], cast: Cast, rng: random.Random, today: date) -> int:
    from wfm.services.attendance import clock_in, clock_out, close_day
    from wfm.services.roster_read import snapshot_for_team

    team, lead = cast.team_ids[0], cast.leads[cast.team_ids[0]]
    n = 0
    for back in (3, 2, 1):
        day = today - timedelta(days=back)
        with db() as s:
            snap = snapshot_for_team(s, team, day, day)
        for k, a in enumerate(a for a in snap.assignments if a.day == day):
            st = snap.shift_type(a.shift)
            # minutes after roll call; one arrival a day is badly late, for the L7 report
            late = 27 if k == back else rng.randint(-14, 4)
            arrive = st.start_on(day) - timedelta(minutes=10 - late)
            with clock(arrive):
                clock_in(db, lead, person_id=int(a.person), at=arrive)
            with clock(st.end_on(day) + timedelta(minutes=5)):
                clock_out(
                    db, lead, person_id=int(a.person), at=st.end_on(day) + timedelta(minutes=5)
                )
            n += 1
        with clock(datetime.combine(day + timedelta(days=1), time(9, 0))):
            close_day(db, lead, day, team_id=team)
    return n
