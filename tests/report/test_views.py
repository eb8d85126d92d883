"""The meeting's view: what every format says, worded once."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from jtai_audit.cli import app

RETURNS = Path(__file__).resolve().parents[2] / "examples" / "returns"
runner = CliRunner()


def test_a_letter_with_nothing_to_say_says_why_once_in_every_format() -> None:
    """Housing is involved with two children of the example: too few to judge any rule.

    Three headings over "None" read as a failure to look; one line with the reason does not.
    """
    said = {}
    for fmt in ("markdown", "html"):
        found = runner.invoke(app, ["score", str(RETURNS), "--agency", "Housing",
                                    "--format", fmt])
        assert found.exit_code == 0, found.output
        said[fmt] = found.stdout
        assert "No finding yet: no rule was judged on 3 or more of these cases" in found.stdout
        assert "None on the evidence of these cases" not in found.stdout
        assert "What is working well" not in found.stdout
    assert "### Findings" in said["markdown"]


def test_a_letter_with_some_findings_keeps_its_three_headings() -> None:
    found = runner.invoke(app, ["score", str(RETURNS), "--agency", "Police",
                                "--format", "markdown"])
    assert found.exit_code == 0, found.output
    for heading in ("What is working well", "What needs to improve", "Priority action"):
        assert f"### {heading}" in found.stdout
    assert "No finding yet" not in found.stdout.split("## Headline numbers")[0]
