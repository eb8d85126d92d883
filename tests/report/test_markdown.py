from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from jtai_audit.cli import app
from jtai_audit.report import formats, formatter

from ..conftest import EXAMPLE
from ..golden.fixture import NOTES, meeting_data
from ..golden.helpers import check_golden, private_texts

runner = CliRunner()


def test_markdown_matches_golden_file() -> None:
    check_golden("meeting.markdown", formatter("markdown")(meeting_data()))


def test_every_meeting_format_is_registered() -> None:
    for name in ("markdown", "csv", "html", "xlsx"):
        assert name in formats.names("score")
    assert formats.for_suffix("score", ".md") == formats.lookup("score", "markdown")
    assert formats.for_suffix("score", ".XLSX") == formats.lookup("score", "xlsx")


def test_markdown_has_the_meeting_sections_and_no_notes() -> None:
    text = formatter("markdown")(meeting_data()).decode()
    for heading in ("## Provenance", "## Findings", "**Strengths**", "**Areas for improvement**",
                    "**Areas for priority action**", "## By theme", "## By area",
                    "### Spread between areas", "## By rule, worst first", "## By owner agency",
                    "## By legal status", "## By age band", "## Priority cases",
                    "## Recording gaps and incomplete cases", "## Auditor and indicative grades",
                    "## Action plan"):
        assert heading in text
    assert "indicative" in text.lower() and "not inspection judgements" in text
    assert "SECRET-NOTE" not in text and NOTES not in text
    assert "ab" * 32 in text and "meeting-test version 1" in text


def test_markdown_escapes_case_supplied_markup() -> None:
    rows = (("N-1", "[click](http://evil) | *x*", 6, "None", "Police", "Yes", "Yes", "Yes",
             None, None),)
    text = formatter("markdown")(meeting_data(rows)).decode()
    assert "\\[click\\](http://evil) \\| \\*x\\*" in text
    assert "[click](" not in text


def test_cli_writes_markdown_for_the_example(tmp_path: Path) -> None:
    out = tmp_path / "meeting.md"
    result = runner.invoke(app, ["score", str(EXAMPLE.parent), "--output", str(out)])
    assert result.exit_code == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert out.stat().st_mode & 0o777 == 0o600
    assert "Northmoor" in text and "Ashcombe" in text and "## Priority cases" in text
    for secret in private_texts(EXAMPLE):
        assert secret not in text


def test_letter_sentences_carry_the_rules_table_figures() -> None:
    from jtai_audit.report.views import Meeting

    view = Meeting(meeting_data())
    letter = dict(view.letter())
    assert letter["The grades"][0].startswith(f"Indicative grades of the {view.figures.cases} cases: ")
    # Priority action first names the cases of immediate concern, never "none".
    assert letter["Priority action"][0].startswith(
        f"The {view.summary.concern_count} cases of immediate concern above")
    sentences = [s for heading, group in letter.items() if heading != "The grades"
                 for s in group if "cases judged" in s]
    assert sentences
    rows = {r.rule: r for r in view.rules}
    for sentence in sentences:
        rule = sentence.split("; ")[1].split(")")[0]
        row = rows[rule]
        assert f"{row.rate:.1f}% across {row.judged} cases judged" in sentence
        assert row.finding is not None
    agencies = {s.agency: s for s in view.agencies()}
    # A section for every agency involved in a case, each rule with the figures of the
    # cases that agency owns it in (here the single-owner rules fall to the lead agency in
    # the cases their owner was not involved in).
    assert list(agencies) == view.summary.agencies()
    for name, section in agencies.items():
        owned = view.summary.agency_figures(name).rules
        assert {r.rule: (r.rate, r.judged) for r in section.rules} == \
            {r: (f.rate, f.cases) for r, f in owned.items() if f.cases or f.unanswered}


def test_the_example_letter_leads_with_the_grades_and_names_its_limits() -> None:
    """The first words a meeting reads: the grades, how many a limit set, and by what."""
    import json

    summary = json.loads(runner.invoke(app, ["score", str(EXAMPLE), "--format",
                                             "json"]).stdout)["summary"]
    limited = summary["limited"]
    assert limited["cases"] > 0 and limited["by_rule"]
    text = runner.invoke(app, ["score", str(EXAMPLE), "--format", "markdown"]).stdout
    letter = text.split("### The grades", 1)[1].split("### What is working well", 1)[0]
    graded = sum(summary["grades"].values())
    assert f"{limited['cases']} of {graded} graded cases limited" in letter
    for rule, cases in list(limited["by_rule"].items())[:6]:
        named = "widespread failures (count limits)" if rule == "grades.limits" else rule
        assert f"{cases} by {named}" in letter
    priority = text.split("### Priority action", 1)[1].split("##", 1)[0]
    assert "cases of immediate concern above" in priority.splitlines()[2]
