"""End to end in a real browser: `streamlit run` on a free port against a fresh fixture
database, driven by Playwright in Debian's headless Chromium.

An agent requests a day of leave; the team lead sees it with its effect on coverage and
approves; the department director approves (L2); the lead's roster for the month now
schedules fewer agent-hours (the emptied shift, L8) and its coverage chart is redrawn.

Chromium comes from Debian (/usr/bin/chromium; `playwright install` cannot download here).
Without it the test fails when CI=true (CI must run it) and is skipped otherwise.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from tests.dashboards.fixtures import NOW, PASSWORD, make_dashboard_world
from wfm.db import make_session_factory

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "dashboards" / "app.py"
CHROMIUM = os.environ.get("WFM_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 30_000


def _require_chromium() -> str:
    path = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    if path:
        return path
    message = (
        f"Chromium not found at {CHROMIUM}: install Debian's package "
        "(apt-get install chromium) or set WFM_CHROMIUM"
    )
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(sqlite_engine: Engine, tmp_path: Path) -> Iterator[str]:
    make_dashboard_world(make_session_factory(sqlite_engine))
    port = _free_port()
    env = dict(os.environ, WFM_DATABASE_URL=str(sqlite_engine.url), WFM_NOW=NOW)
    log = (tmp_path / "streamlit.log").open("w")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(APP),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
            "--server.fileWatcherType",
            "none",
        ],
        env=env,
        cwd=APP.parent,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                log.flush()
                pytest.fail("streamlit did not start:\n" + (tmp_path / "streamlit.log").read_text())
            time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def _login(browser, url: str, username: str):
    """A fresh browser context (its own Streamlit session), in English, logged in."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(url)
    page.get_by_role("radio", name="English").click()
    page.get_by_role("textbox", name="Username").fill(username)
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text("Signed in as").wait_for()
    return page


def _open(page, title: str) -> None:
    page.get_by_role("link", name=title).click()
    page.get_by_role("heading", name=title).wait_for()


def _hours_in_december(page, *, not_equal: int | None = None) -> int:
    """The roster builder's scheduled agent-hours for December (waiting until it differs
    from `not_equal`, when given: the page reruns after the month is chosen)."""
    from playwright.sync_api import expect

    _open(page, "Roster builder")
    page.get_by_label("Month").first.click()
    page.get_by_role("option", name="2026-12").click()
    metric = page.locator('[data-testid="stMetric"]', has_text="Scheduled agent-hours")
    value = metric.locator('[data-testid="stMetricValue"]')
    expect(value).to_be_visible()
    if not_equal is not None:
        expect(value).not_to_have_text(str(not_equal), timeout=TIMEOUT_MS)
    page.wait_for_load_state("networkidle")
    return int(re.sub(r"\D", "", value.inner_text()))


def test_leave_request_approval_changes_roster_and_coverage(server: str) -> None:
    chromium = _require_chromium()
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            lead = _login(browser, server, "lead_a")
            hours_before = _hours_in_december(lead)

            agent = _login(browser, server, "int_a1")
            _open(agent, "Request leave")
            for label in ("First day", "Last day"):  # default 2026-12-15: set the day to 10
                field = agent.get_by_role("spinbutton", name=f"day, {label}")
                field.click()
                field.press_sequentially("10")
                field.press("Escape")
            expect(agent.get_by_text("Shifts affected: 12-10 M 10:00", exact=True)).to_be_visible()
            expect(
                agent.get_by_text("Approval path: team lead → department director")
            ).to_be_visible()
            agent.get_by_label("Reason").fill("dentist")
            agent.get_by_role("button", name="Submit").click()
            expect(agent.get_by_text(re.compile(r"Leave request \d+ submitted"))).to_be_visible()

            _open(lead, "Approvals")
            card = lead.get_by_text(re.compile(r"#\d+ Int A1"))
            expect(card).to_be_visible()
            expect(lead.get_by_text("Effect on coverage")).to_be_visible()
            lead.get_by_role("button", name="Approve").first.click()
            expect(lead.get_by_text(re.compile(r"#\d+ Int A1"))).to_have_count(0)

            director = _login(browser, server, "dept_director")
            _open(director, "Leave approvals")
            expect(director.get_by_text(re.compile(r"#\d+ Int A1"))).to_be_visible()
            director.get_by_role("button", name="Approve").first.click()
            # The final approval repairs the roster (L8) before the page refreshes.
            expect(director.get_by_text(re.compile(r"#\d+ Int A1"))).to_have_count(
                0, timeout=30_000
            )

            # L8: the approved leave empties the agent's shift; the roster and its coverage
            # chart now schedule fewer agent-hours (nobody in the fixture can repair it).
            hours_after = _hours_in_december(lead, not_equal=hours_before)
            assert hours_after < hours_before, (hours_before, hours_after)
            expect(lead.get_by_text("Requirement vs scheduled staff")).to_be_visible()
        finally:
            browser.close()
