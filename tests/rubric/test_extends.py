"""Local variants: extends, parameter overrides, disabled rules, added phrases."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from jtai_audit.cli import app
from jtai_audit.rubric.loader import check_rubric, load_rubric

from ..conftest import DESIGN_VARIANT, EXAMPLE

runner = CliRunner()


def _write(tmp_path: Path, text: str, name: str = "anyshire.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_design_variant_checks_clean_and_scores(tmp_path: Path) -> None:
    path = _write(tmp_path, DESIGN_VARIANT)
    assert runner.invoke(app, ["rubric", "check", "--strict", str(path)]).exit_code == 0
    result = runner.invoke(app, ["score", str(EXAMPLE), "--rubric", str(path), "-f", "json"])
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    block = doc["rubric"]
    assert block["id"] == "anyshire-da" and block["extends"] == "jtai-domestic-abuse"
    assert block["params"]["strategy_discussion_working_days"] == 3
    assert block["params"]["seen_alone_age"] == 4
    assert block["disabled"] == [{"rule": "EARLY-1",
                                  "reason": "early help audited separately this round"}]
    assert all(r["rule"] != "EARLY-1" for c in doc["cases"] for r in c["results"])
    explained = runner.invoke(app, ["explain", "ESC-1", "--rubric", str(path)])
    assert "within 3 working day" in explained.stdout
    assert "strategy_discussion_working_days = 3" in explained.stdout


def test_a_changed_parameter_is_a_different_rubric(tmp_path: Path) -> None:
    variant = load_rubric(_write(tmp_path, DESIGN_VARIANT))
    assert variant.sha256 != load_rubric(None).sha256


def test_longer_timescale_changes_esc1_outcomes(tmp_path: Path) -> None:
    base = runner.invoke(app, ["score", str(EXAMPLE), "-f", "json"])
    local = runner.invoke(app, ["score", str(EXAMPLE), "--rubric",
                                str(_write(tmp_path, DESIGN_VARIANT)), "-f", "json"])
    met_before = json.loads(base.stdout)["summary"]["rules"]["ESC-1"]["met"]
    met_after = json.loads(local.stdout)["summary"]["rules"]["ESC-1"]["met"]
    assert met_after > met_before


def test_partial_rule_override_and_added_phrases(tmp_path: Path) -> None:
    path = _write(tmp_path, DESIGN_VARIANT + """rules:
  - id: ESC-2
    weight: 2.5
    severity: major
lexicons:
  minimising:
    phrases: [just a row]
""")
    loaded = load_rubric(path)
    rule = next(r for r in loaded.model.rules if r.id == "ESC-2")
    assert (rule.weight, rule.severity) == (2.5, "major")
    assert rule.examples  # the rest of the rule comes from the parent
    phrases = loaded.model.lexicons["minimising"].phrases
    assert "just a row" in phrases and "domestic incident" in phrases


def test_error_in_variant_is_reported_at_the_variant_line(tmp_path: Path) -> None:
    path = _write(tmp_path, DESIGN_VARIANT + "rules:\n  - id: ESC-2\n    weight: -1\n")
    _, problems = check_rubric(path)
    errors = [p for p in problems if p.level == "error"]
    assert [(p.file.endswith("anyshire.yaml"), p.line, p.code) for p in errors] == [
        (True, 11, "ESC-2")]


def test_disable_needs_a_known_rule_and_a_reason(tmp_path: Path) -> None:
    path = _write(tmp_path, DESIGN_VARIANT.replace("EARLY-1", "EARLY-9"))
    _, problems = check_rubric(path)
    assert [p.message for p in problems] == ["disables unknown rule 'EARLY-9'"]


def test_extends_a_relative_path(tmp_path: Path) -> None:
    _write(tmp_path, DESIGN_VARIANT, "base.yaml")
    path = _write(tmp_path, "id: child\nversion: '2'\nextends: base.yaml\n"
                  "params:\n  seen_alone_age: 5\n", "child.yaml")
    loaded = load_rubric(path)
    assert loaded.model.params["seen_alone_age"] == 5
    assert loaded.model.params["strategy_discussion_working_days"] == 3
    assert "EARLY-1" in {d.rule for d in loaded.model.disable}


def test_rubric_show_prints_the_effective_rubric(tmp_path: Path) -> None:
    result = runner.invoke(app, ["rubric", "show", str(_write(tmp_path, DESIGN_VARIANT)),
                                 "--full"])
    assert result.exit_code == 0
    assert "strategy_discussion_working_days: 3" in result.stdout
    assert "id: VOICE-1" in result.stdout
