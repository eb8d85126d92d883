"""The broken-rubric corpus: each file gives exactly these problems, at these lines."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jtai_audit.cli import app
from jtai_audit.commands.rubric_cmds import schema_document
from jtai_audit.rubric.loader import check_rubric

ROOT = Path(__file__).resolve().parents[2]
BROKEN = ROOT / "tests" / "rubrics" / "broken"
runner = CliRunner()

CORPUS = [
    ("alias_bomb.yaml", ['tests/rubrics/broken/alias_bomb.yaml:7:23: error yaml: more than 50 aliases: refused (alias bomb?)']),
    ("bands.yaml", ['tests/rubrics/broken/bands.yaml:19:5: error grades: bands overlap between 60 and 65 (Requires improvement / Good)', 'tests/rubrics/broken/bands.yaml:19:5: error grades: gap between 80 and 85 (Good / Outstanding)']),
    ("deep_expression.yaml", ['tests/rubrics/broken/deep_expression.yaml:32:10: error V-1: met: condition nested more than 40 deep']),
    ("deep_nesting.yaml", ['tests/rubrics/broken/deep_nesting.yaml:1:53: error yaml: nested more than 50 deep: refused']),
    ("disable.yaml", ["tests/rubrics/broken/disable.yaml:26:12: error disable: disables unknown rule 'V-9'", "tests/rubrics/broken/disable.yaml:27:25: error disable: disabling 'V-1' needs a reason"]),
    ("duplicate_id.yaml", ["tests/rubrics/broken/duplicate_id.yaml:36:9: error V-1: duplicate rule id 'V-1'"]),
    ("empty_lexicon.yaml", ["tests/rubrics/broken/empty_lexicon.yaml:13:5: error lexicons: lexicon 'minimising' is empty"]),
    ("example_field.yaml", ["tests/rubrics/broken/example_field.yaml:38:36: error V-1: example names undeclared field 'child_sean'"]),
    ("expression_syntax.yaml", ['tests/rubrics/broken/expression_syntax.yaml:32:33: error V-1: met: syntax error in condition at the end']),
    ("missing_example.yaml", ["tests/rubrics/broken/missing_example.yaml:38:7: error V-1: no example with outcome 'partly_met'"]),
    ("missing_key.yaml", ["tests/rubrics/broken/missing_key.yaml:26:5: error V-1: missing required key 'met'"]),
    ("no_source.yaml", ['tests/rubrics/broken/no_source.yaml:30:14: error V-1: no source citation (report, year, section or paragraph)']),
    ("null_guard.yaml", ["tests/rubrics/broken/null_guard.yaml:35:13: error V-1: partly: 'child_age_years' can be blank and is used without a guard (write 'child_age_years != null and ...')"]),
    ("type_error.yaml", ["tests/rubrics/broken/type_error.yaml:33:13: error V-1: partly: type error: data type mismatch (answers and choices are text such as 'Yes', integers are numbers, dates are compared with dates)"]),
    ("undeclared_names.yaml", ["tests/rubrics/broken/undeclared_names.yaml:16:10: warning themes: theme 'voice' has no rules", "tests/rubrics/broken/undeclared_names.yaml:27:12: error V-1: theme 'vioce' is not declared under themes"]),
    ("unknown_field.yaml", ["tests/rubrics/broken/unknown_field.yaml:32:10: error V-1: met: unknown field 'child_sen' — did you mean 'child_seen'?"]),
    ("unknown_key.yaml", ["tests/rubrics/broken/unknown_key.yaml:35:5: error V-1: unknown key 'wieght'"]),
    ("unknown_lexicon.yaml", ["tests/rubrics/broken/unknown_lexicon.yaml:33:59: error V-1: partly: $mentions needs a declared lexicon name as its second argument, not 'minimizing' — did you mean 'minimising'?"]),
    ("unknown_param.yaml", ["tests/rubrics/broken/unknown_param.yaml:33:59: error V-1: partly: unknown parameter or function '$seen_alone_ag' — did you mean 'seen_alone_age'?"]),
    ("weight.yaml", ['tests/rubrics/broken/weight.yaml:35:13: error V-1: weight must be above 0, not -1']),
    ("wrong_type.yaml", ['tests/rubrics/broken/wrong_type.yaml:35:13: error V-1: rules.V-1.weight: Input should be a valid number, unable to parse string as a number']),
    ("yaml_syntax.yaml", ["tests/rubrics/broken/yaml_syntax.yaml:29:4: error yaml: YAML syntax: did not find expected '-' indicator"]),
]


@pytest.mark.parametrize(("name", "expected"), CORPUS, ids=[c[0] for c in CORPUS])
def test_broken_rubric_gives_exact_problems(name: str, expected: list[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    started = time.monotonic()
    result = runner.invoke(app, ["rubric", "check", f"tests/rubrics/broken/{name}"])
    assert time.monotonic() - started < 5  # hostile files are refused quickly
    assert result.exit_code == 1
    assert result.stdout.strip().splitlines() == expected


def test_corpus_covers_every_file() -> None:
    assert sorted(p.name for p in BROKEN.glob("*.yaml")) == sorted(c[0] for c in CORPUS)


def test_minimal_rubric_is_clean(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = runner.invoke(app, ["rubric", "check", "tests/rubrics/minimal.yaml", "--strict"])
    assert result.exit_code == 0, result.stdout


def test_github_format(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    result = runner.invoke(app, ["rubric", "check", "tests/rubrics/broken/weight.yaml"])
    assert result.exit_code == 1
    assert result.stdout.strip() == (
        "::error file=tests/rubrics/broken/weight.yaml,line=35,col=13::"
        "V-1: weight must be above 0, not -1")


def test_json_format(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = runner.invoke(app, ["rubric", "check", "--format", "json",
                                 "tests/rubrics/broken/weight.yaml"])
    doc = json.loads(result.stdout)
    assert doc["errors"] == 1 and doc["problems"][0]["line"] == 35


def test_warnings_fail_only_with_strict(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    text = (ROOT / "tests" / "rubrics" / "minimal.yaml").read_text()
    path = tmp_path / "extra_theme.yaml"
    path.write_text(text.replace("  voice: {title: Voice}", "  voice: {title: Voice}\n"
                                 "  unused: {title: Unused}"))
    assert runner.invoke(app, ["rubric", "check", str(path)]).exit_code == 0
    assert runner.invoke(app, ["rubric", "check", "--strict", str(path)]).exit_code == 1


def test_pydantic_errors_do_not_echo_input() -> None:
    _, problems = check_rubric(BROKEN / "wrong_type.yaml")
    assert all("heavy" not in p.message for p in problems)


def test_committed_schema_matches_the_models() -> None:
    committed = json.loads((ROOT / "rubrics" / "rubric.schema.json").read_text())
    assert committed == schema_document()


def test_rubric_files_point_editors_at_the_schema() -> None:
    for path in (ROOT / "rubrics").glob("*.yaml"):
        if path.name.endswith(".guidance.yaml"):
            continue  # a rubric's guidance for auditors, not a rubric
        assert path.read_text().startswith("# yaml-language-server: $schema=rubric.schema.json")


def test_rubric_test_reports_failures_with_a_diff(tmp_path: Path) -> None:
    text = (ROOT / "tests" / "rubrics" / "minimal.yaml").read_text()
    path = tmp_path / "wrong_example.yaml"
    path.write_text(text + "      - {name: wrong, case: {child_seen: 'No'}, expect: met}\n")
    result = runner.invoke(app, ["rubric", "test", str(path)])
    assert result.exit_code == 1
    lines = result.stdout.strip().splitlines()
    assert lines[-1] == "4 passed, 1 failed"
    assert any("expected met, got not_met" in line for line in lines)




def test_answered_by_names_agencies_and_every_field(monkeypatch: pytest.MonkeyPatch,
                                                    tmp_path: Path) -> None:
    # minimal.yaml declares no answered_by at all and is clean: a rubric that does not merge
    # agency returns is not asked who answers what. Once one field says, every field must.
    text = (ROOT / "tests" / "rubrics" / "minimal.yaml").read_text()
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    Path("answered.yaml").write_text(
        text.replace("{type: id, description", "{type: id, answered_by: [Police], description")
        .replace("{type: answer, description",
                 "{type: answer, answered_by: [Helth, Police, Police], description")
        .replace("  seen_alone_age: 4", "  seen_alone_age: 4\n  lead_agency: Probation"))
    result = runner.invoke(app, ["rubric", "check", "answered.yaml"])
    assert result.exit_code == 1
    unanswered = ("error fields: no agency answers field '{}': add answered_by (the agencies "
                  "whose records answer it, the preferred first)")
    assert result.stdout.strip().splitlines() == [
        "answered.yaml:5:16: error params: lead_agency 'Probation' is not an agency "
        "(Police, Health)",
        "answered.yaml:8:3: " + unanswered.format("child_age_years"),
        "answered.yaml:9:44: error fields: answered_by 'Helth' of field 'child_seen' is not an "
        "agency (Police, Health) — did you mean 'Health'?",
        "answered.yaml:9:59: error fields: answered_by of field 'child_seen' names 'Police' twice",
        "answered.yaml:10:3: " + unanswered.format("agencies_involved"),
        "answered.yaml:11:3: " + unanswered.format("case_notes"),
    ]


def test_lead_agency_of_the_default_rubric_is_an_agency_answering_the_shared_facts() -> None:
    loaded, problems = check_rubric(ROOT / "rubrics" / "jtai-domestic-abuse.yaml")
    assert loaded is not None and problems == []
    model = loaded.model
    lead = model.params["lead_agency"]
    assert all(spec.answered_by for spec in model.fields.values())
    for role in ("audit_date", "age", "unborn", "legal_status", "referral_date"):
        name = model.field_with(role)
        assert name is not None and model.fields[name].answered_by[0] == lead
