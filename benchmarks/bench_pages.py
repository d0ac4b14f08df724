"""Time every dashboard page for every role on a database (the demo centre by default).

    wfm demo --no-serve                       # once: builds wfm.db in the working directory
    python benchmarks/bench_pages.py          # or --db sqlite:///path/wfm.db --now 2026-11-25T09:00

Each page is rendered with Streamlit's AppTest as the role's demo login: "cold" is the first
render in a fresh process-wide cache (what a user sees first), "warm" the next render of the
same page. The target is < 2 s per page; the exit status is 1 if any page misses it or fails.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "dashboards" / "app.py"
TARGET_S = 2.0
# role -> demo username (wfm demo prints the same list)
LOGINS = {
    "agent": "agent",
    "team_lead": "lead1",
    "department_director": "dept_director",
    "centre_director": "centre_director",
    "quality_inspector": "inspector",
    "admin": "admin",
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="database URL (default: $WFM_DATABASE_URL or ./wfm.db)")
    parser.add_argument("--now", help="pin the centre clock (WFM_NOW), e.g. the demo's today")
    parser.add_argument("--lang", default="zh", choices=["zh", "en"])
    args = parser.parse_args()
    if args.db:
        os.environ["WFM_DATABASE_URL"] = args.db
    if args.now:
        os.environ["WFM_NOW"] = args.now
    sys.path.insert(0, str(ROOT))

    from sqlalchemy import select
    from streamlit.testing.v1 import AppTest

    from dashboards.app import ROLE_SECTIONS
    from wfm.db import make_engine, make_session_factory
    from wfm.models import Person
    from wfm.services.auth import session_user

    db = make_session_factory(make_engine())
    users = {}
    with db() as s:
        for role, username in LOGINS.items():
            person = s.scalar(select(Person).where(Person.username == username))
            if person is not None:
                users[role] = session_user(person)
    if not users:
        print("no demo logins in this database: run `wfm demo --no-serve` first", file=sys.stderr)
        return 2

    rows = []
    for role, sections in ROLE_SECTIONS.items():
        if role not in users:
            continue
        for _section, pages in sections:
            for page, _title, _icon in pages:
                rows.append((role, page, *_time_page(AppTest, users[role], page, args.lang)))

    print(f"{'role':<20} {'page':<24} {'cold s':>7} {'warm s':>7}  result")
    print("-" * 72)
    bad = 0
    for role, page, cold, warm, error in rows:
        ok = error is None and cold < TARGET_S
        bad += not ok
        verdict = "ok" if ok else (error or f"slower than {TARGET_S:.0f} s")
        print(f"{role:<20} {page.removesuffix('.py'):<24} {cold:7.2f} {warm:7.2f}  {verdict}")
    print("-" * 72)
    print(
        f"{len(rows)} pages, {bad} over {TARGET_S:.0f} s or failing; "
        f"slowest cold {max(r[2] for r in rows):.2f} s"
    )
    return 1 if bad else 0


def _time_page(
    app_test: type[AppTest], user: object, page: str, lang: str
) -> tuple[float, float, str | None]:
    from dashboards.ui import _cached_view

    _cached_view.clear()  # cold: nothing cached from an earlier page
    at = app_test.from_file(str(APP), default_timeout=60)
    at.session_state["lang"] = lang
    at.session_state["user"] = user
    at.run()
    at.switch_page(f"app_pages/{page}")
    start = time.perf_counter()
    at.run()
    cold = time.perf_counter() - start
    start = time.perf_counter()
    at.run()
    warm = time.perf_counter() - start
    error = None
    if at.exception:
        error = "exception: " + at.exception[0].message.splitlines()[0][:60]
    elif at.error:
        error = "error: " + str(at.error[0].value).splitlines()[0][:60]
    elif not at.title:
        error = "page did not render"
    return cold, warm, error


if __name__ == "__main__":
    raise SystemExit(main())
