"""A roster solve running in a background thread, so the page never freezes.

The page starts a SolveJob and keeps it in its session; an st.fragment(run_every=...) polls
`snapshot()` to draw the progress bar (objective and bound) until the job is done. The thread
never touches Streamlit: it only calls the roster service and records progress events.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.orm import Session, sessionmaker


@dataclass
class SolveJob:
    team_id: int
    month: date
    time_limit_s: float
    started: float = field(default_factory=time.monotonic)
    events: list[Any] = field(default_factory=list)
    result: Any = None
    error: Exception | None = None
    done: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def on_progress(self, event: Any) -> None:
        with self._lock:
            self.events.append(event)

    def snapshot(self) -> tuple[float, Any]:
        """(elapsed seconds, latest progress event or None)."""
        with self._lock:
            last = self.events[-1] if self.events else None
        return time.monotonic() - self.started, last

    def fraction(self) -> float:
        elapsed, _ = self.snapshot()
        return 1.0 if self.done else min(elapsed / max(self.time_limit_s, 1e-6), 0.99)


def start_solve(
    db: sessionmaker[Session], actor_id: int, team_id: int, month: date, time_limit_s: float
) -> SolveJob:
    from wfm.services.roster import solve_roster

    job = SolveJob(team_id=team_id, month=month, time_limit_s=time_limit_s)

    def run() -> None:
        try:
            job.result = solve_roster(
                db, actor_id, team_id, month, time_limit_s=time_limit_s, progress=job.on_progress
            )
        except Exception as err:  # noqa: BLE001 - shown on the page, never lost in a thread
            job.error = err
        finally:
            job.done = True

    threading.Thread(target=run, name=f"solve-team-{team_id}", daemon=True).start()
    return job
