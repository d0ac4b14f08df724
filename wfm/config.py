"""Where the database and the policy live: read from the environment when asked, never at import."""

from __future__ import annotations

import os
from pathlib import Path

DATABASE_ENV = "WFM_DATABASE_URL"
DEFAULT_SQLITE_FILE = "wfm.db"


def database_url() -> str:
    """`$WFM_DATABASE_URL`, or a SQLite file `wfm.db` in the working directory."""
    url = os.environ.get(DATABASE_ENV, "").strip()
    if url:
        # Accept the common "postgresql://" spelling and use the psycopg 3 driver we ship.
        if url.startswith("postgresql://") or url.startswith("postgres://"):
            url = "postgresql+psycopg://" + url.split("://", 1)[1]
        return url
    return f"sqlite:///{Path.cwd() / DEFAULT_SQLITE_FILE}"
