"""`wfm user ...`, `wfm team ...`, `wfm exams import`: administration from the command line.

The CLI acts as a named account (`--actor USERNAME`, or `$WFM_ACTOR`, default: the first active
admin) and goes through the same services, permission checks and audit trail as the
dashboards. On an empty database `wfm user create --role admin` makes the first admin.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import typer
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from rules.violation import RuleViolation
from wfm.cli.common import fail, print_json, session_factory
from wfm.db import transaction
from wfm.models import Centre, Person, Role, Team
from wfm.services import admin, grades
from wfm.services.errors import ServiceError

ACTOR_ENV = "WFM_ACTOR"
T = TypeVar("T")

user_app = typer.Typer(help="User accounts: create, reset passwords.", no_args_is_help=True)
team_app = typer.Typer(help="Teams of the centre.", no_args_is_help=True)
exams_app = typer.Typer(help="Monthly exam results (G2).", no_args_is_help=True)

ActorOpt = typer.Option(
    None, "--actor", help="Act as this username (default: $WFM_ACTOR or the first active admin)."
)


def _actor_id(db: sessionmaker[Session], username: str | None) -> int:
    username = username or os.environ.get(ACTOR_ENV) or None
    with transaction(db) as s:
        if username:
            pid = s.scalars(select(Person.id).where(Person.username == username)).first()
            if pid is None:
                fail(f"--actor: no user {username!r}")
            return pid
        pid = s.scalars(
            select(Person.id)
            .where(Person.role == Role.ADMIN, Person.active.is_(True))
            .order_by(Person.id)
        ).first()
        if pid is None:
            fail("no admin exists yet: create one first with `wfm user create --role admin`")
        return pid


def _run(call: Callable[[], T]) -> T:
    """Run a service call, turning its user-facing errors into a message and exit code 1."""
    try:
        return call()
    except (ServiceError, RuleViolation) as err:
        fail(str(err), code=1)


def _team_id(db: sessionmaker[Session], name: str | None) -> int | None:
    if name is None:
        return None
    with transaction(db) as s:
        rows = s.scalars(select(Team.id).where(Team.name == name)).all()
        if not rows:
            fail(f"--team: no team {name!r}")
        if len(rows) > 1:
            fail(f"--team: several teams are called {name!r}")
        return rows[0]


@user_app.command("create")
def user_create(
    username: str = typer.Argument(..., help="Login name (letters, digits, . _ -)."),
    name: str = typer.Option(..., "--name", help="Full name as shown in the dashboards."),
    role: str = typer.Option(
        "agent",
        "--role",
        help="agent, team_lead, quality_inspector, department_director, centre_director or admin.",
    ),
    team: str | None = typer.Option(None, "--team", help="Team name (agents and team leads)."),
    grade: str | None = typer.Option(None, "--grade", help="junior, intermediate or senior."),
    name_zh: str = typer.Option("", "--name-zh", help="Chinese name."),
    password: str = typer.Option(
        ...,
        "--password",
        prompt=True,
        hide_input=True,
        confirmation_prompt=True,
        help="At least 8 characters.",
    ),
    actor: str | None = ActorOpt,
    as_json: bool = typer.Option(False, "--json", help="Print the new user as JSON."),
) -> None:
    """Create a user account (admin only; the first admin of an empty database needs no actor)."""
    db = session_factory()
    with transaction(db) as s:
        no_admin = s.scalars(select(Person.id).where(Person.role == Role.ADMIN)).first() is None
    if no_admin and actor is None and not os.environ.get(ACTOR_ENV):
        if role != Role.ADMIN.value:
            fail("no admin exists yet: the first user must be created with --role admin")
        view = _run(
            lambda: admin.bootstrap_admin(db, username=username, name=name, password=password)
        )
    else:
        actor_id = _actor_id(db, actor)
        team_id = _team_id(db, team)
        view = _run(
            lambda: admin.create_user(
                db,
                actor_id,
                username=username,
                name=name,
                role=role,
                password=password,
                team_id=team_id,
                grade=grade,
                name_zh=name_zh,
            )
        )
    if as_json:
        print_json(
            view.__dict__
            if hasattr(view, "__dict__")
            else {f: getattr(view, f) for f in view.__slots__}
        )
    else:
        typer.echo(f"created user {view.username} ({view.role}, id {view.id})")


@user_app.command("reset-password")
def user_reset_password(
    username: str = typer.Argument(..., help="Whose password to reset."),
    password: str = typer.Option(
        ...,
        "--password",
        prompt=True,
        hide_input=True,
        confirmation_prompt=True,
        help="The new password.",
    ),
    actor: str | None = ActorOpt,
) -> None:
    """Set a new password for a user (admin only)."""
    db = session_factory()
    actor_id = _actor_id(db, actor)
    target = _run(lambda: admin.find_person(db, username))
    _run(lambda: admin.reset_password(db, actor_id, target.id, password))
    typer.echo(f"password of {username} reset")


@team_app.command("create")
def team_create(
    name: str = typer.Argument(..., help="Team name, unique in its centre."),
    centre: str | None = typer.Option(
        None,
        "--centre",
        help="Centre name (created if it does not exist; default: the only centre).",
    ),
    name_zh: str = typer.Option("", "--name-zh", help="Chinese team name."),
    actor: str | None = ActorOpt,
) -> None:
    """Create a team (admin or centre director)."""
    db = session_factory()
    actor_id = _actor_id(db, actor)
    centre_id = None
    if centre is not None:
        with transaction(db) as s:
            centre_id = s.scalars(select(Centre.id).where(Centre.name == centre)).first()
        if centre_id is None:
            centre_id = _run(lambda: admin.create_centre(db, actor_id, name=centre)).id
    view = _run(
        lambda: admin.create_team(db, actor_id, name=name, centre_id=centre_id, name_zh=name_zh)
    )
    typer.echo(f"created team {view.name} (id {view.id})")


@exams_app.command("import")
def exams_import(
    file: Path = typer.Argument(  # noqa: B008 - typer's declaration style
        ...,
        help="CSV with columns username, month (YYYY-MM), typing_cpm, business_score[, answers].",
    ),
    actor: str | None = ActorOpt,
) -> None:
    """Import monthly exam results; any bad row aborts the import and nothing is written."""
    try:
        text = file.read_text(encoding="utf-8-sig")
    except OSError as err:
        fail(f"{file}: cannot read: {err.strerror}")
    except UnicodeDecodeError:
        fail(f"{file}: not UTF-8 text")
    db = session_factory()
    actor_id = _actor_id(db, actor)
    report = _run(lambda: grades.import_exams_csv(db, actor_id, text))
    typer.echo(f"imported {report.rows} row(s): {report.inserted} new, {report.updated} updated")


def register(app: typer.Typer) -> None:
    app.add_typer(user_app, name="user")
    app.add_typer(team_app, name="team")
    app.add_typer(exams_app, name="exams")
