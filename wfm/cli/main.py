"""`wfm`: set-up, demo, import, forecast, staffing, rosters, exports, administration."""

from __future__ import annotations

import importlib

import typer

from wfm.cli.db import db_app

app = typer.Typer(
    help="Workforce management for customer-service call centres (排班与人力管理).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(db_app, name="db")

# Each area keeps its commands in its own module with a `register(app)` function; the list is
# explicit so `wfm --help` shows the same commands on every machine.
_AREAS = [
    "wfm.cli.calls",
    "wfm.cli.staffing",
    "wfm.cli.forecast",
    "wfm.cli.planning",
    "wfm.cli.roster_db",
    "wfm.cli.admin",
    "wfm.cli.demo",
    "wfm.cli.serve",
]
for _module in _AREAS:
    importlib.import_module(_module).register(app)

if __name__ == "__main__":
    app()
