"""`wfm db ...`: schema migrations."""

from __future__ import annotations

import typer

from wfm.cli.common import engine, fail
from wfm.config import database_url
from wfm.migrate import current_revision, head_revision, upgrade

db_app = typer.Typer(
    help="Database schema: apply migrations, show the revision.", no_args_is_help=True
)


@db_app.command("upgrade")
def db_upgrade(
    revision: str = typer.Argument("head", help="Target revision (default: head)"),
) -> None:
    """Apply the Alembic migrations up to REVISION (creates an empty database if needed)."""
    try:
        upgrade(engine(), revision)
    except Exception as err:  # connection refused, unknown revision: say what and where
        fail(f"cannot migrate {database_url()}: {err}")
    typer.echo(f"database at revision {current_revision(engine())}: {database_url()}")


@db_app.command("current")
def db_current() -> None:
    """Show the database's revision and the newest one this version ships."""
    typer.echo(f"current: {current_revision(engine())}  head: {head_revision()}")
