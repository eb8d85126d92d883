"""`rubric show`: the rules by id and title, one rule, or the whole rubric with --full."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from jtai_audit.cli import app
from jtai_audit.rubric.compiled import LoadedRubric

from ..conftest import DESIGN_VARIANT as VARIANT

runner = CliRunner()


def test_without_an_id_it_lists_each_rule_with_its_title(rubric: LoadedRubric) -> None:
    result = runner.invoke(app, ["rubric", "show"])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"Rubric jtai-domestic-abuse, version {rubric.model.version} (")
    assert f"{len(rubric.model.rules)} rules:" in lines
    for rule in rubric.model.rules:
        assert any(line.split(None, 1) == [rule.id, rule.title] for line in lines), rule.id
    assert lines[-3:] == ["One rule as YAML:   jtai-audit rubric show VICTIM-1",
                          "One rule in words:  jtai-audit explain VICTIM-1",
                          "The whole rubric:   jtai-audit rubric show --full"]
    assert len(lines) < len(rubric.model.rules) + 10
    assert max(len(line) for line in lines) <= 80


def test_a_rule_id_shows_that_rule_only(rubric: LoadedRubric) -> None:
    result = runner.invoke(app, ["rubric", "show", "voice-1"])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    version = rubric.model.version
    assert lines[:3] == [f"# VOICE-1 of rubric jtai-domestic-abuse, version {version} "
                         "(after extends)",
                         "# in words: jtai-audit explain VOICE-1", "id: VOICE-1"]
    assert "title: Child seen, and seen alone where age and development allow" in lines
    assert "id: VOICE-2" not in result.stdout and "fields:" not in result.stdout
    assert len(lines) < 300


def test_an_unknown_rule_suggests_one_and_exits_2() -> None:
    result = runner.invoke(app, ["rubric", "show", "VOICE-9"])
    assert result.exit_code == 2
    assert result.stderr == ("jtai-audit: error: no rule VOICE-9 in rubric jtai-domestic-abuse — "
                             "did you mean VOICE-6? ('jtai-audit rubric show' lists the rules)\n")


def test_a_variant_lists_its_rules_and_disabled_ones_and_full_is_the_yaml(tmp_path: Path) -> None:
    path = tmp_path / "anyshire.yaml"
    path.write_text(VARIANT)
    listed = runner.invoke(app, ["rubric", "show", str(path)])
    assert listed.exit_code == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert lines[0].startswith("Rubric anyshire-da, version 1 (extends jtai-domestic-abuse; ")
    assert any(line.startswith("  EARLY-1 ") and line.endswith(
        "[disabled: early help audited separately this round]") for line in lines)
    assert lines[-1] == f"The whole rubric:   jtai-audit rubric show --full --rubric {path}"
    rule = runner.invoke(app, ["rubric", "show", "EARLY-1", "--rubric", str(path)])
    assert rule.exit_code == 0, rule.stderr
    assert "# disabled in anyshire-da: early help audited separately this round" in rule.stdout
    full = runner.invoke(app, ["rubric", "show", "--full", "--rubric", str(path)])
    assert full.exit_code == 0 and "strategy_discussion_working_days: 3" in full.stdout
    assert "id: VOICE-1" in full.stdout and "fields:" in full.stdout
    twice = runner.invoke(app, ["rubric", "show", str(path), "--rubric", str(path)])
    assert twice.exit_code == 2 and "give the rubric once" in twice.stderr
