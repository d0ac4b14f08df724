"""Screenshots of each role's main page from a running dashboard (docs/screenshots/).

    wfm demo --no-serve && wfm serve --port 8501 &
    python -m dashboards.screenshots --url http://127.0.0.1:8501 --out docs/screenshots

Uses Playwright with Debian's Chromium (/usr/bin/chromium) and the demo logins.
"""

from __future__ import annotations

import argparse
from pathlib import Path

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
# (file name, demo username, page link title, the page draws Plotly charts)
SHOTS = [
    ("agent-schedule.png", "agent", "My schedule", True),
    ("team-lead-roster.png", "lead1", "Roster builder", True),
    ("director-staffing.png", "dept_director", "Staffing", True),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8501")
    parser.add_argument("--out", default="docs/screenshots")
    parser.add_argument("--password", default="demo1234")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
        for name, username, title, has_charts in SHOTS:
            page = browser.new_context(viewport={"width": 1280, "height": 1200}).new_page()
            page.set_default_timeout(60_000)
            page.goto(args.url)
            page.get_by_role("radio", name="English").click()
            page.get_by_role("textbox", name="Username").fill(username)
            page.get_by_role("textbox", name="Password").fill(args.password)
            page.get_by_role("button", name="Sign in").click()
            page.get_by_text("Signed in as").wait_for()
            page.get_by_role("link", name=title).click()
            page.get_by_role("heading", name=title).wait_for()
            page.wait_for_load_state("networkidle")
            if has_charts:  # a page still computing has no chart yet: wait for the drawing
                page.locator(".js-plotly-plot .main-svg").first.wait_for()
            page.wait_for_timeout(1500)  # charts finish drawing
            path = out / name
            page.screenshot(path=str(path), full_page=False)
            print(f"{path} ({path.stat().st_size // 1024} KB)")
            page.context.close()
        browser.close()


if __name__ == "__main__":
    main()
