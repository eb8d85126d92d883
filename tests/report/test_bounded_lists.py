"""Reports people read list a bounded number of cases; counts stay exact; json lists all.

A caseload of 100,000 children cannot be a table in a meeting pack (nor held in memory to
make one): the table, markdown, html and xlsx keep the cases a meeting reads first.
"""

from __future__ import annotations

import json
import re
from typing import Any

from typer.testing import CliRunner

from jtai_audit.cli import app
from jtai_audit.commands import score as score_command

from ..conftest import EXAMPLE

runner = CliRunner()


def _json() -> dict[str, Any]:
    found = runner.invoke(app, ["score", str(EXAMPLE), "--format", "json"])
    assert found.exit_code == 0, found.output
    document: dict[str, Any] = json.loads(found.stdout)
    return document


def test_table_lists_the_cases_a_meeting_reads_first_and_counts_the_rest(
        monkeypatch: Any) -> None:
    full = _json()
    monkeypatch.setattr(score_command, "LISTED_CASES", 5)
    found = runner.invoke(app, ["score", str(EXAMPLE), "--format", "table"])
    assert found.exit_code == 0, found.output
    cases = full["cases"]
    priority = {p["case_id"] for p in full["summary"]["priority_cases"]}
    listed = [c["case_id"] for c in cases if re.search(rf"^ {c['case_id']} ", found.stdout,
                                                       re.MULTILINE)]
    assert len(listed) == 5
    capped = [c for c in cases if c["case_id"] in priority]
    assert len(capped) > 5  # so every listed case must be a priority case
    worst = sorted(capped, key=lambda c: c["score"])[:5]
    assert sorted(listed) == sorted(c["case_id"] for c in worst)
    assert f"… and {len(cases) - 5} more cases" in found.stdout
    assert f"{len(capped) - 5} more" in found.stdout  # priority ids: named, then counted


def test_json_still_lists_every_case_and_concern(monkeypatch: Any) -> None:
    full = _json()
    monkeypatch.setattr(score_command, "LISTED_CASES", 2)
    again = _json()
    assert again["cases"] == full["cases"]
    assert again["summary"]["concerns"] == full["summary"]["concerns"]
    assert len(again["summary"]["priority_cases"]) > 2


def test_markdown_counts_every_priority_case_though_it_lists_few(monkeypatch: Any) -> None:
    capped = len(_json()["summary"]["priority_cases"])
    monkeypatch.setattr(score_command, "LISTED_CASES", 3)
    found = runner.invoke(app, ["score", str(EXAMPLE), "--format", "markdown"])
    assert found.exit_code == 0, found.output
    assert re.search(rf"Priority cases \| {capped}\b", found.stdout)


def test_complete_lists_spilled_to_disk_give_the_same_json_bytes(monkeypatch: Any) -> None:
    """Past SPILL the concern and priority lists wait on disk; the report cannot tell."""
    from jtai_audit.engine import summary

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    outputs = {}
    default = summary.SPILL
    for spill in (default, 2):
        monkeypatch.setattr(summary, "SPILL", spill)
        for fmt in ("json", "jsonl"):
            found = runner.invoke(app, ["score", str(EXAMPLE), "--format", fmt])
            assert found.exit_code == 0, found.output
            outputs[(spill, fmt)] = found.stdout_bytes
    for fmt in ("json", "jsonl"):
        assert outputs[(2, fmt)] == outputs[(default, fmt)]
    document = json.loads(outputs[(2, "json")])
    assert len(document["summary"]["priority_cases"]) > 2


def test_html_and_markdown_say_how_many_cases_their_lists_leave_out(monkeypatch: Any) -> None:
    cases = len(_json()["cases"])
    monkeypatch.setattr(score_command, "LISTED_CASES", 4)
    for fmt in ("markdown", "html"):
        found = runner.invoke(app, ["score", str(EXAMPLE), "--format", fmt,
                                    "--appendix", "cases"])
        assert found.exit_code == 0, found.output
        assert "hold the 4 cases a meeting reads first" in found.stdout
        assert f"{cases - 4} more are counted in every figure" in found.stdout


def test_a_meeting_sample_is_listed_whole_without_a_note() -> None:
    found = runner.invoke(app, ["score", str(EXAMPLE), "--format", "markdown", "--appendix",
                                "cases"])
    assert found.exit_code == 0
    assert "a meeting reads first" not in found.stdout
