"""`wfm serve`: run the dashboards (Streamlit, headless) against the configured database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import typer

from wfm.config import DATABASE_ENV, database_url


def app_path() -> Path:
    """The installed dashboards entry script (dashboards/app.py)."""
    import dashboards

    return Path(dashboards.__file__).resolve().parent / "app.py"


def streamlit_command(port: int, host: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app_path()),
        "--server.port",
        str(port),
        "--server.address",
        host,
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
    ]


def serve_dashboards(port: int = 8501, host: str = "127.0.0.1") -> None:
    """Run Streamlit until interrupted. The database URL is resolved here (a relative SQLite
    default means the caller's working directory) and handed down in the environment; the
    server runs in the dashboards folder so its .streamlit/config.toml applies."""
    env = dict(os.environ)
    env[DATABASE_ENV] = database_url()
    cmd = streamlit_command(port, host)
    typer.echo(f"dashboards on http://{host}:{port}  (database {env[DATABASE_ENV]})")
    try:
        code = subprocess.call(cmd, env=env, cwd=app_path().parent)
    except KeyboardInterrupt:
        code = 0
    if code:
        raise typer.Exit(code)


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve(
        port: int = typer.Option(8501, "--port", min=1, max=65535, help="Port to listen on"),
        host: str = typer.Option("127.0.0.1", "--host", help="Address to bind (0.0.0.0: all)"),
    ) -> None:
        """Open the dashboards (team lead, agent, director) in a web server."""
        serve_dashboards(port=port, host=host)
