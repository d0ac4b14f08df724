"""Helpers shared by CLI commands: database access, clear errors, JSON output."""

from __future__ import annotations

import json
from typing import Any, NoReturn

import typer
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from wfm.db import make_engine, make_session_factory


def fail(message: str, code: int = 2) -> NoReturn:
    """Print a clear error on stderr and exit non-zero (never a stack trace for bad input)."""
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
    raise typer.Exit(code)


def engine() -> Engine:
    return make_engine()


def session_factory() -> sessionmaker[Session]:
    return make_session_factory(engine())


def print_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))
