"""The round in a real browser: Playwright drives Debian's chromium (make check-render).

Skipped unless JTAI_BROWSER=1. From an empty data folder to the second round's trend as a
person clicks it, a screenshot of each step in ${RENDER_DIR:-build/render}/workspace/,
axe-core on every page (the pack's routes with their own CSP bypassed, as the pack allows
no script), any request to a host other than 127.0.0.1 failing the test, and the whole
round once more by keyboard alone.
"""

from __future__ import annotations

import csv
import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

SERVE = [sys.executable, "-c", "from jtai_audit.cli import main; main()", "serve"]

pytestmark = pytest.mark.skipif(os.environ.get("JTAI_BROWSER") != "1",
                                reason="browser tests run in make check-render (JTAI_BROWSER=1)")

from .conftest import RESOLVED, RETURNS, ROOT  # noqa: E402

CHROMIUM = os.environ.get("JTAI_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SHOTS = Path(os.environ.get("RENDER_DIR", ROOT / "build" / "render")) / "workspace"


@dataclass
class Browser:
    url: str
    page: Any
    pack_context: Any
    shots: Path
    elsewhere: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)  # errors, CSP violations among them
    step: int = 0

    def check(self, name: str, page: Any = None) -> None:
        """A screenshot of the step, and axe-core on the page: no violation."""
        from axe_playwright_python.sync_playwright import Axe

        page = page or self.page
        self.step += 1
        page.screenshot(path=str(self.shots / f"{self.step:02d}-{name}.png"), full_page=True)
        results = Axe().run(page)
        assert results.violations_count == 0, f"{name}: {results.generate_report()}"

    def check_pack(self, name: str, path: str) -> None:
        """A pack route in a context that bypasses its CSP, so axe-core can run on it."""
        page = self.pack_context.new_page()
        try:
            response = page.goto(self.origin + path)
            assert response.status == 200
            assert "default-src 'none'" in response.headers["content-security-policy"]
            self.check(name, page)
            page.pdf(path=str(self.shots / f"{self.step:02d}-{name}.pdf"), format="A4")
        finally:
            page.close()

    @property
    def origin(self) -> str:
        parts = urlsplit(self.url)
        return f"{parts.scheme}://{parts.netloc}"


@pytest.fixture
def browser(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    shots = SHOTS / request.node.name
    shots.mkdir(parents=True, exist_ok=True)
    for old in shots.iterdir():
        old.unlink()
    server = subprocess.Popen([*SERVE, "--data",
                               str(tmp_path / "data"), "--no-browser"],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert server.stdout is not None
        url = server.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            context = chromium.new_context(viewport={"width": 1024, "height": 800},
                                           accept_downloads=True)
            pack_context = None
            found = Browser(url, None, None, shots)

            def guard(route: Any) -> None:
                host = urlsplit(route.request.url).hostname
                if route.request.url.startswith("data:") or host == "127.0.0.1":
                    route.continue_()
                else:
                    found.elsewhere.append(route.request.url)
                    route.abort()

            context.route("**/*", guard)
            found.page = context.new_page()
            found.page.on("console", lambda message: found.console.append(message.text)
                          if message.type == "error" and "status of 422" not in message.text
                          else None)  # 422: a form sent back with its errors, as meant
            found.page.on("pageerror", lambda error: found.console.append(str(error)))
            found.page.goto(url)
            cookies = context.cookies()
            pack_context = chromium.new_context(bypass_csp=True,
                                                viewport={"width": 1024, "height": 800})
            pack_context.route("**/*", guard)
            pack_context.add_cookies(cookies)
            found.pack_context = pack_context
            yield found
            assert found.elsewhere == [], f"requests to other hosts: {found.elsewhere}"
            assert found.console == [], f"errors in the browser console: {found.console}"
            chromium.close()
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


def case_list(folder: Path) -> Path:
    """A caseload to sample from: the example's children with their areas."""
    import openpyxl

    book = openpyxl.load_workbook(RETURNS / "children-s-social-care.xlsx", read_only=True)
    rows = list(book["Cases"].iter_rows(values_only=True))
    header = [str(c) for c in rows[0]]
    at_id, at_area = header.index("case_id"), header.index("area")
    path = folder / "caseload.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["case_id", "area"])
        writer.writerows([row[at_id], row[at_area]] for row in rows[1:] if row[at_id])
    return path


def returns_of(folder: Path) -> list[str]:
    return [str(p) for p in sorted(folder.glob("*.xlsx"))]


def test_the_round_as_a_person_clicks_it(browser: Browser, tmp_path: Path) -> None:
    page = browser.page
    assert page.get_by_role("button", name="Open the example round").is_visible()
    browser.check("empty-workspace")
    page.get_by_role("button", name="Start a new round").click()
    browser.check("new-round")
    page.get_by_role("button", name="Create the round").click()
    assert page.locator(".govuk-error-summary").is_visible()
    browser.check("new-round-error")
    page.get_by_label("Title of the round").fill("Spring 2027")
    page.get_by_role("button", name="Create the round").click()
    page.get_by_role("heading", name="Spring 2027").wait_for()
    browser.check("round")
    page.get_by_role("link", name="Draw the sample").click()
    page.locator("input[name=case_list]").set_input_files(str(case_list(tmp_path)))
    page.get_by_label("How many cases to draw").fill("12")
    page.get_by_label("Stratify by (optional)").fill("area")
    page.get_by_label("Seed (optional)").fill("2027")
    page.get_by_role("button", name="Draw the sample").click()
    page.locator("#sample-drawn").wait_for()
    browser.check("sample-drawn")
    page.get_by_role("link", name="Download the agencies' templates").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Police return template (Excel)").click()
    assert download.value.suggested_filename == "Police return.xlsx"
    browser.check("templates")
    page.get_by_role("link", name="Upload the returns as they come back").click()
    page.locator("input[name=returns]").set_input_files(returns_of(RETURNS)[:3])
    page.get_by_role("button", name="Upload", exact=True).click()
    page.locator("#return-files").wait_for()
    browser.check("returns-first-three")
    page.locator("input[name=returns]").set_input_files(returns_of(RETURNS)[3:])
    page.get_by_role("button", name="Upload", exact=True).click()
    page.locator("#return-files tbody tr").nth(9).wait_for()
    browser.check("returns-all")
    # A corrected return replaces the earlier one.
    page.locator("input[name=returns]").set_input_files(str(RESOLVED / "police.xlsx"))
    page.get_by_role("button", name="Upload", exact=True).click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#return-files tbody tr").count() == 10
    page.locator("#go-score").click()
    browser.check("score")
    page.get_by_role("button", name="Score the round").click()
    page.locator("#score-summary").wait_for()
    browser.check("scored")
    browser.check_pack("meeting-pack", f"/rounds/{_round(page)}/pack.html")
    browser.check_pack("learning-summary", f"/rounds/{_round(page)}/learning.html")
    with page.expect_download() as download:
        page.get_by_role("link", name="Meeting pack (Excel)").click()
    assert download.value.suggested_filename == "meeting-pack.xlsx"
    page.get_by_role("link", name="Fill in the action plan").click()
    first = page.locator("select[id^=status-]").first
    rule = (first.get_attribute("id") or "").removeprefix("status-")
    page.locator(f"#owner-{rule}").fill("Head of service")
    page.locator(f"#due-{rule}").fill("2027-01-31")
    first.select_option("In progress")
    page.locator(f"#notes-{rule}").fill("asked the DSL")
    page.get_by_role("button", name="Save the action plan").click()
    page.get_by_text("The action plan is saved").wait_for()
    browser.check("action-plan")
    page.get_by_role("link", name="Back to the round").click()
    page.get_by_role("link", name="Start the next round").click()
    assert rule in page.locator("#carried").inner_text()
    browser.check("next-round")
    page.get_by_label("Title of the next round").fill("Autumn 2027")
    page.get_by_role("button", name="Start the next round").click()
    page.get_by_role("heading", name="Autumn 2027").wait_for()
    page.get_by_role("link", name="Upload the agencies' returns").click()
    page.locator("input[name=returns]").set_input_files(returns_of(RESOLVED))
    page.get_by_role("button", name="Upload", exact=True).click()
    page.locator("#return-files tbody tr").nth(9).wait_for()
    page.locator("#go-score").click()
    page.get_by_role("button", name="Score the round").click()
    page.locator("#score-summary").wait_for()
    page.get_by_role("link", name="Fill in the action plan").click()
    assert page.locator("#carried-actions").is_visible()
    browser.check("carried-actions")
    page.get_by_role("link", name="Back to the round").click()
    browser.check("second-round")
    page.get_by_role("link", name="Trend across rounds").click()
    page.locator("#trend-table").wait_for()
    browser.check("trend")
    browser.check_pack("trend-report", f"/rounds/{_round(page)}/trend.html")
    page.get_by_role("link", name="Back to the round").click()
    page.get_by_role("link", name="What was done in this round, by whom and when").click()
    browser.check("history")
    page.get_by_role("link", name="Back to the round").click()
    page.get_by_role("link", name="Delete this round and its files").click()
    browser.check("delete")
    page.get_by_role("link", name="Keep the round").click()
    page.goto(browser.origin + "/")
    browser.check("rounds")


def _round(page: Any) -> str:
    return re.search(r"/rounds/(\d+)", page.url).group(1)  # type: ignore[union-attr]


def _tab_to(page: Any, selector: str, limit: int = 200) -> None:
    """Tab (forwards) until the element matching `selector` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)",
                         selector):
            return
    raise AssertionError(f"could not reach {selector} with Tab")


def _choose_files(page: Any, selector: str, files: list[str]) -> None:
    """The file upload reached by Tab and opened with Space, as a keyboard user does."""
    from playwright.sync_api import TimeoutError as NoChooser

    _tab_to(page, selector)
    for key in ("Space", "Enter", "Space"):  # the button, once GOV.UK Frontend has made it
        try:
            with page.expect_file_chooser(timeout=5000) as chooser:
                page.keyboard.press(key)
        except NoChooser:
            continue
        chooser.value.set_files(files)
        return
    raise AssertionError(f"no file chooser opened from {selector} by keyboard")


def _go(page: Any, selector: str) -> None:
    """Tab to a link or button and press Enter, waiting for the page it opens."""
    _tab_to(page, selector)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_the_whole_round_by_keyboard_alone(browser: Browser) -> None:
    page = browser.page
    _go(page, "#new-round")
    _tab_to(page, "#title")
    page.keyboard.type("Keyboard round")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # submits the form from its text field
    page.get_by_role("heading", name="Keyboard round").wait_for()
    _go(page, "a[href$='/returns']")
    _choose_files(page, "#returns", returns_of(RETURNS))
    _tab_to(page, "#upload-returns")
    page.keyboard.press("Enter")  # htmx updates the page in place
    page.locator("#return-files tbody tr").nth(9).wait_for()
    page.screenshot(path=str(browser.shots / "50-keyboard-returns.png"), full_page=True)
    _go(page, "#go-score")
    _go(page, "#score-round")
    page.locator("#score-summary").wait_for()
    _tab_to(page, "#read-pack")
    with page.context.expect_page() as opened:
        page.keyboard.press("Enter")
    opened.value.wait_for_load_state()
    assert opened.value.url.endswith("/pack.html")
    opened.value.screenshot(path=str(browser.shots / "51-keyboard-pack.png"))
    opened.value.close()
    _go(page, "a[href$='/actions']")
    _tab_to(page, "input[id^=owner-]")
    page.keyboard.type("Designated lead")
    page.keyboard.press("Tab")
    page.keyboard.type("2027-06-30")
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowDown")  # Not set -> Not started
    page.keyboard.press("ArrowDown")  # -> In progress
    _go(page, "#save-actions")
    page.get_by_text("The action plan is saved").wait_for()
    assert page.locator("select[id^=status-]").first.input_value() == "In progress"
    assert page.locator("input[id^=owner-]").first.input_value() == "Designated lead"
    _go(page, ".govuk-back-link")
    _go(page, "a[href$='/next']")
    _tab_to(page, "#title")
    page.keyboard.type("Keyboard round two")
    _go(page, "#start-next")
    page.get_by_role("heading", name="Keyboard round two").wait_for()
    _go(page, "a[href$='/returns']")
    _choose_files(page, "#returns", returns_of(RESOLVED))
    _tab_to(page, "#upload-returns")
    page.keyboard.press("Enter")
    page.locator("#return-files tbody tr").nth(9).wait_for()
    _go(page, "#go-score")
    _go(page, "#score-round")
    page.locator("#score-summary").wait_for()
    _go(page, ".govuk-back-link")
    _go(page, "a[href$='/trend']")
    page.locator("#trend-table").wait_for()
    page.screenshot(path=str(browser.shots / "52-keyboard-trend.png"), full_page=True)
