"""The grades appendix says as many cases as it lists; the projector sees figures before hashes."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

from typer.testing import CliRunner

from jtai_audit.cli import app
from jtai_audit.report import formatter

from ..conftest import EXAMPLE
from ..golden.fixture import ROWS, meeting_data

runner = CliRunner()
SENTENCE = re.compile(r"(\d+) cases? carr(?:y|ies) the auditor's own grade; (\d+|none) "
                      r"differs? from the indicative grade")


def _grades_section(text: str) -> str:
    start = text.index('<section id="grades"')
    return unescape(text[start:text.index("</section>", start)])


def _counts(text: str) -> tuple[int, int]:
    found = SENTENCE.search(text)
    assert found, "the grades sentence is missing"
    graded, differ = found.groups()
    return int(graded), 0 if differ == "none" else int(differ)


def test_html_count_matches_the_list() -> None:
    data = meeting_data()
    data.appendix = ("cases",)
    section = _grades_section(formatter("html")(data).decode())
    graded, differ = _counts(section)
    # The fixture: N-1, N-2 and A-1 carry a grade; only A-1's differs from the indicative one.
    assert (graded, differ) == (3, 1)
    assert section.count("<tbody><tr>") + section.count("</tr><tr>") == differ
    assert "A-1" in section and "N-1" not in section


def test_markdown_count_matches_the_list() -> None:
    text = formatter("markdown")(meeting_data()).decode()
    part = text[text.index("## Auditor and indicative grades"):text.index("## Action plan")]
    graded, differ = _counts(part)
    rows = [line for line in part.splitlines() if line.startswith("| ")
            and not line.startswith(("| Case", "| ---"))]
    assert (graded, differ) == (3, 1) and len(rows) == differ


def test_no_grades_and_no_differences_say_so() -> None:
    no_grade = tuple((*row[:8], None, *row[9:]) for row in ROWS)
    text = formatter("markdown")(meeting_data(no_grade)).decode()
    assert "No case carries the auditor's own grade." in text
    agree = (("N-1", "Northmoor", 6, "Child protection", "Police; Health", "Yes", "Yes", "Yes",
              "Outstanding", "note"),)
    data = meeting_data(agree)
    data.appendix = ("cases",)
    html = _grades_section(formatter("html")(data).decode())
    assert "1 case carries the auditor's own grade; none differs" in html
    assert "<table>" not in html


def test_example_count_matches_the_list(tmp_path: Path) -> None:
    out = tmp_path / "meeting.html"
    result = runner.invoke(app, ["score", str(EXAMPLE), "--output", str(out),
                                 "--appendix", "cases"])
    assert result.exit_code == 0, result.stderr
    section = _grades_section(out.read_text(encoding="utf-8"))
    graded, differ = _counts(section)
    assert graded >= differ
    assert section.count("<tbody><tr>") + section.count("</tr><tr>") == differ


def test_headline_figures_come_before_the_hashes() -> None:
    text = formatter("html")(meeting_data()).decode()
    headline = text.index('<section id="headline"')
    assert headline < text.index("sha256") and headline < text.index("ab" * 32)
    assert text.index('<section id="themes"') < text.index('<section id="provenance"')
    assert "About this report" in text
