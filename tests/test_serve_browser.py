"""`reports serve` in a real browser: Debian's Chromium (`make` installs it), headless, driven by Playwright, which
downloads no browser of its own. The page must follow the edits of a copy of a dossier by itself: new text with the
scroll position kept, the problems of a broken file over the last good briefing, the briefing again once it is fixed.

With REPORTS_UPDATE_SCREENSHOT=1 the screenshot of the problems over the briefing replaces the user guide's.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright
from support.dossier import DossierCopy
from support.paths import REPO_ROOT
from support.serve import Served

pytestmark = pytest.mark.slow

CHROMIUM = "/usr/bin/chromium"  # Debian's package
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--no-proxy-server",
]  # fmt: skip
GUARD_MS = 60_000  # a guard against a hang, never a measure
SCREENSHOT = REPO_ROOT / "docs" / "images" / "serve-problems.png"
OLD_TEXT = "Trade has **grown** steadily"  # areas/trade.md of the valid dossier
NEW_TEXT = "Trade doubled after the summit"


def scroll_y(page: Page) -> int:
    return page.evaluate("Math.round(window.scrollY)")


def test_the_page_follows_the_edits_by_itself(dossier: DossierCopy, tmp_path: Path) -> None:
    options = ("--dossier", dossier.path.name, "--as-of", "2025-01-15", "--audience", "ministry", "--lang", "en")
    served = Served(options, cwd=dossier.path.parent)  # short paths
    with served as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 900, "height": 520})
        page.set_default_timeout(GUARD_MS)
        loads: list[str] = []
        page.on("load", lambda loaded: loads.append(loaded.url))
        page.goto(server.url + "ministry.en.html")
        expect(page.get_by_text("Trade has grown steadily")).to_be_visible(timeout=GUARD_MS)  # built, if not already

        page.wait_for_load_state("load")
        bottom = page.evaluate("document.documentElement.scrollHeight - window.innerHeight")
        assert bottom > 600, "the page must be long enough to scroll"
        page.evaluate(f"window.scrollTo(0, {bottom // 2})")
        kept = scroll_y(page)
        assert kept == bottom // 2
        reloads = len(loads)

        dossier.replace("areas/trade.md", OLD_TEXT, NEW_TEXT)
        expect(page.get_by_text(NEW_TEXT)).to_be_visible(timeout=GUARD_MS)
        page.wait_for_load_state("load")
        assert len(loads) > reloads, "the page did not reload itself"
        assert scroll_y(page) == kept
        assert page.get_by_text("Trade has grown steadily").count() == 0

        dossier.replace("dossier.yaml", "base_year: 2018", "base_year: soon")
        problems = page.locator("#reports-serve-problems")
        expect(problems).to_be_visible(timeout=GUARD_MS)
        expect(problems).to_contain_text("dossier/dossier.yaml:10: base_year: 'soon' is not a whole number")
        page.wait_for_load_state("load")
        assert scroll_y(page) == kept
        expect(page.get_by_text(NEW_TEXT)).to_be_visible()  # the last good briefing, under the problems
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=tmp_path / "problems.png")
        if os.environ.get("REPORTS_UPDATE_SCREENSHOT") == "1":
            shutil.copyfile(tmp_path / "problems.png", SCREENSHOT)

        dossier.replace("dossier.yaml", "base_year: soon", "base_year: 2018")
        expect(problems).to_have_count(0, timeout=GUARD_MS)
        expect(page.get_by_text(NEW_TEXT)).to_be_visible()
        browser.close()
