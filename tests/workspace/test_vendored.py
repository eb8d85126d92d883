"""Each vendored file is the one recorded, with its licence; the CSS carries no GOV.UK brand."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

STATIC = Path(__file__).resolve().parents[2] / "src" / "jtai_audit" / "workspace" / "static"
RECORDED = [line.split("  ") for line in (STATIC / "VENDORED.txt").read_text().splitlines()
            if line and not line.startswith("#")]


@pytest.mark.parametrize(("digest", "name"), RECORDED, ids=[n for _, n in RECORDED])
def test_vendored_file_sha256(digest: str, name: str) -> None:
    assert hashlib.sha256((STATIC / name).read_bytes()).hexdigest() == digest


def test_every_vendored_file_is_recorded_with_its_licence() -> None:
    names = {name for _, name in RECORDED}
    assert {"govuk-frontend.css", "govuk-frontend.min.js", "htmx.min.js"} <= names
    assert {"govuk-frontend.LICENSE.txt", "htmx.LICENSE.txt"} <= names
    assert "MIT" in (STATIC / "govuk-frontend.LICENSE.txt").read_text()
    assert "Zero-Clause BSD" in (STATIC / "htmx.LICENSE.txt").read_text() or \
        "BSD" in (STATIC / "htmx.LICENSE.txt").read_text()


def test_the_css_has_a_system_font_stack_and_no_brand() -> None:
    css = (STATIC / "govuk-frontend.css").read_text()
    assert "GDS Transport" not in css and "@font-face" not in css
    assert "system-ui" in css
    assert "url(http" not in css and "@import" not in css  # nothing fetched from elsewhere
    assert not list(STATIC.glob("*.woff*")) and not list(STATIC.glob("*.ico"))


def test_htmx_is_version_2() -> None:
    assert 'version:"2.' in (STATIC / "htmx.min.js").read_text().replace(" ", "")
