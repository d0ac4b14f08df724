"""`wfm import-calls`: load call history from a phone-system export or a known real format."""

from __future__ import annotations

import typer

from wfm.calls.formats import FORMATS
from wfm.calls.parse import CallFileError
from wfm.cli.common import fail, print_json, session_factory
from wfm.services.calls_import import import_calls
from wfm.services.errors import USER_ERRORS


def register(app: typer.Typer) -> None:
    app.command("import-calls")(import_calls_command)


def import_calls_command(
    file: str = typer.Argument(..., help="CSV or .xlsx interval export, or a known real data file"),
    queue: str = typer.Option("default", "--queue", help="Queue to store the history under"),
    fmt: str = typer.Option("auto", "--format", help=f"auto or one of: {', '.join(FORMATS)}"),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON"),
) -> None:
    """Validate the whole file, then store it (nothing is written if any row is wrong)."""
    if fmt != "auto" and fmt not in FORMATS:
        fail(f"--format: expected auto or one of {', '.join(FORMATS)}, got {fmt!r}")
    typer.echo(f"reading and validating {file} ...", err=True)
    try:
        report = import_calls(session_factory(), file, queue=queue, fmt=fmt)
    except CallFileError as err:
        fail(str(err))
    except USER_ERRORS as err:
        fail(str(err))
    if as_json:
        print_json(report.__dict__)
        return
    typer.echo(
        f"{report.source} ({report.format}) -> queue {report.queue}: {report.rows} intervals of "
        f"{report.interval_minutes} min, {report.first_interval} .. {report.last_interval}; "
        f"{report.inserted} new, {report.updated} updated, {report.unchanged} unchanged"
    )
