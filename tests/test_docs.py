"""The guides explain their own words: every jargon term they use has a glossary entry."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "auditors-guide.md"
ANCHOR = re.compile(r"\]\((?:auditors-guide\.md)?#glossary\)")

# Terms a partnership's audit officer meets in the guides and reports without an explanation
# where they are used. Each must be a headword (in bold, before the colon) of the glossary.
JARGON = (
    "action plan", "area for improvement", "area for priority action", "own grade",
    "case id", "case of immediate concern", "case score", "cases judged", "chasing list",
    "Cohen's kappa", "incomplete case", "conflict", "critical rule", "finding", "grade cap",
    "hard to shift", "indicative grade", "largest remainder", "lead agency",
    "learning summary", "met", "partly met", "not met", "moderation", "not applicable",
    "not evidenced", "outcome", "owner agency", "priority case", "provenance",
    "provisional grade", "rate", "recording gap", "return", "rubric", "rule", "seed",
    "severity", "sha256", "silent record", "spread", "still blank", "stratum", "strata",
    "stratified", "strength", "theme", "too few cases to judge", "unanswered", "weight",
    "DASH", "MARAC", "SEND",
)


def _glossary() -> str:
    text = GUIDE.read_text(encoding="utf-8")
    start = text.index("\n## Glossary\n")
    end = text.find("\n## ", start + 1)
    return text[start:] if end == -1 else text[start:end]


def _headwords() -> list[str]:
    """The bold words of each entry, before its first colon (and the closing paragraph's)."""
    found = []
    for entry in re.split(r"\n(?=- \*\*)|\n\n", _glossary()):
        head = entry.split(": ", 1)[0] if entry.startswith("- **") else entry
        found += [w.lower() for w in re.findall(r"\*\*([^*]+)\*\*", head)]
    return found


def _used_outside_glossary() -> str:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "docs").glob("*.md"))
             if p != GUIDE]
    guide = GUIDE.read_text(encoding="utf-8")
    texts.append(guide.replace(_glossary(), ""))
    texts.append((ROOT / "README.md").read_text(encoding="utf-8"))
    return " ".join(" ".join(texts).lower().split())


@pytest.mark.parametrize("term", JARGON)
def test_each_jargon_term_has_a_glossary_entry(term: str) -> None:
    heads = _headwords()
    assert any(re.search(rf"(^|\W){re.escape(term.lower())}(\W|$)", h) for h in heads), (
        f"'{term}' is used in the guides but has no entry in the glossary of "
        "docs/auditors-guide.md")


@pytest.mark.parametrize("term", JARGON)
def test_each_term_is_really_used_in_the_guides(term: str) -> None:
    # A term nobody uses any more does not need to stay on the list.
    # Line breaks are spaces, and a plural counts ("cases of immediate concern").
    words = r"s?\s+".join(re.escape(w) for w in term.lower().split()) + "s?"
    assert re.search(rf"(^|\W){words}(\W|$)", _used_outside_glossary()), (
        f"'{term}' is no longer used in README.md or docs/*.md: drop it from JARGON")


def test_glossary_is_in_alphabetical_order() -> None:
    entries = re.findall(r"^- \*\*([^*]+)\*\*", _glossary(), re.M)
    assert entries == sorted(entries, key=str.lower)


def test_the_other_guides_point_to_the_glossary() -> None:
    for name in ("meeting-reports.md", "multi-agency.md", "rubric-authoring.md",
                 "auditors-guide.md"):
        text = (ROOT / "docs" / name).read_text(encoding="utf-8")
        assert ANCHOR.search(text), f"docs/{name} does not link to the glossary"


def test_every_picture_the_docs_show_exists() -> None:
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    for page in pages:
        for target in re.findall(r"!\[[^\]]*\]\(([^)\s]+)\)", page.read_text(encoding="utf-8")):
            assert (page.parent / target).is_file(), f"{page.name} shows {target}: missing"


def test_the_walkthrough_shows_template_validate_and_report() -> None:
    text = (ROOT / "docs" / "walkthrough.md").read_text(encoding="utf-8")
    for picture in ("walkthrough-template.png", "walkthrough-validate.svg",
                    "walkthrough-score.svg", "walkthrough-report.png"):
        assert f"(img/{picture})" in text
    assert "scripts/screenshots.py" in text and (ROOT / "scripts" / "screenshots.py").is_file()
