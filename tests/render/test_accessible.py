"""axe-core on every HTML pack (`make check-render` only): WCAG 2.2 AA, no violation.

The packs are opened from disk in Debian's Chromium, driven by Playwright (its own
browser downloads are not needed), and axe-core runs every rule it has that is not
experimental: the WCAG 2.0, 2.1 and 2.2 A and AA rules and its best practices.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.skipif(os.environ.get("JTAI_RENDER") != "1",
                                reason="needs Chromium and Playwright: make check-render")
OUT = Path(os.environ.get("RENDER_DIR", "build/render"))
CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
PACKS = ("meeting", "learning", "agency", "compare")


@pytest.fixture(scope="module")
def page() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api",
                                   reason="pip install '.[render]' (make check-render does)")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM,
                                             args=["--no-sandbox", "--disable-gpu"])
        yield browser.new_page()
        browser.close()


@pytest.mark.parametrize("pack", PACKS)
def test_html_pack_has_no_axe_violation(page: Any, pack: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page.goto((OUT / f"{pack}.html").resolve().as_uri())
    # Text that prints on paper is checked on screen and in print (contrast may differ).
    found = []
    for media in ("screen", "print"):
        page.emulate_media(media=media)
        results = Axe().run(page, options={"resultTypes": ["violations"]})
        found += [f"{media} {v['id']} ({v['impact']}): {v['help']} at "
                  f"{[n['target'] for n in v['nodes'][:5]]}"
                  for v in results.response["violations"]]
    assert not found, f"{pack}.html:\n" + "\n".join(found)


def test_axe_ran_the_wcag_22_rules(page: Any) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page.goto((OUT / "meeting.html").resolve().as_uri())
    results = Axe().run(page, options={"resultTypes": ["passes"]})
    passed = {rule["id"] for rule in results.response["passes"]}
    assert {"color-contrast", "th-has-data-cells", "heading-order", "svg-img-alt"} <= passed
    assert page.evaluate("axe.getRules(['wcag22aa']).length") > 0  # axe knows WCAG 2.2
