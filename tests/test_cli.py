from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from typer.testing import CliRunner

from jtai_audit.cli import app
from jtai_audit.rubric.compiled import LoadedRubric
from jtai_audit.workbook.limits import column_letter

from .conftest import EXAMPLE, case_rows, good_case

runner = CliRunner()
CONTRACT_CASE_KEYS = {"case_id", "area", "source", "row", "score", "grade", "auditor_grade",
                      "complete", "unanswered", "results"}


def test_json_has_every_contract_key_and_every_rule(rubric: LoadedRubric) -> None:
    result = runner.invoke(app, ["score", str(EXAMPLE), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert set(doc["tool"]) == {"name", "version"}
    assert {"id", "version", "sha256", "extends", "params", "disabled"} <= set(doc["rubric"])
    assert doc["inputs"][0]["cases"] == 36 and len(doc["inputs"][0]["sha256"]) == 64
    rule_ids = {p.rule.id for p in rubric.programs}
    for case in doc["cases"]:
        assert set(case) >= CONTRACT_CASE_KEYS
        assert {r["rule"] for r in case["results"]} == rule_ids
        for item in case["results"]:
            assert {"rule", "theme", "outcome", "evidence"} <= set(item)
    summary = doc["summary"]
    assert {"cases", "mean_score", "grades", "themes", "rules", "areas"} <= set(summary)
    assert summary["cases"] == 36
    assert sum(1 for n in summary["grades"].values() if n) >= 3


def test_typo_warns_with_cell_and_strict_exits_1(rubric: LoadedRubric,
                                                 make_xlsx: Callable[..., Path]) -> None:
    header, rows = case_rows(rubric, [good_case(rubric, child_seen="Yse")])
    path = make_xlsx(header, rows)
    cell = f"Cases!{column_letter(header.index('child_seen'))}2"
    loose = runner.invoke(app, ["score", str(path)])
    assert loose.exit_code == 0
    assert cell in loose.stderr and "did you mean 'Yes'" in loose.stderr
    strict = runner.invoke(app, ["score", str(path), "--strict", "--format", "json"])
    assert strict.exit_code == 1
    assert strict.stdout == ""


def test_not_a_workbook_exits_2_with_one_line(tmp_path: Path) -> None:
    path = tmp_path / "notes.xlsx"
    path.write_text("hello")
    result = runner.invoke(app, ["score", str(path)])
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr + result.stdout


def test_fail_under(make_xlsx: Callable[..., Path], rubric: LoadedRubric) -> None:
    header, rows = case_rows(rubric, [good_case(rubric, child_seen="No")])
    path = make_xlsx(header, rows)
    assert runner.invoke(app, ["score", str(path), "--fail-under", "99.9"]).exit_code == 1
    assert runner.invoke(app, ["score", str(path), "--fail-under", "10"]).exit_code == 0


def test_table_fits_80_columns_and_says_grades_are_indicative() -> None:
    result = runner.invoke(app, ["score", str(EXAMPLE)])
    assert result.exit_code == 0
    assert max(len(line) for line in result.stdout.splitlines()) <= 80
    assert "indicative" in result.stdout
    assert "\x1b[" not in result.stdout  # no colour when not a terminal


def test_explain_shows_effective_parameters() -> None:
    result = runner.invoke(app, ["explain", "VOICE-1"])
    assert result.exit_code == 0
    assert "seen_alone_age = 4" in result.stdout
    assert "JTAI 2026" in result.stdout


def test_unknown_rule_in_explain_exits_2() -> None:
    result = runner.invoke(app, ["explain", "VOICE-99"])
    assert result.exit_code == 2


def test_output_file_is_owner_only_and_not_an_input(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    result = runner.invoke(app, ["score", str(EXAMPLE), "--output", str(out)])
    assert result.exit_code == 0
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    same = runner.invoke(app, ["score", str(EXAMPLE), "--output", str(EXAMPLE)])
    assert same.exit_code == 2


def _help_screens() -> dict[str, str]:
    """Every command's --help, as a user at an 80-column terminal sees it."""
    screens = {"": runner.invoke(app, ["--help"], env={"COLUMNS": "80"}).stdout}
    for group, names in (([], ["score", "explain", "validate", "merge", "template", "sample",
                               "moderate", "compare", "rubric"]),
                         (["rubric"], ["check", "test", "show", "schema"])):
        for name in names:
            result = runner.invoke(app, [*group, name, "--help"], env={"COLUMNS": "80"})
            assert result.exit_code == 0, (group, name, result.output)
            screens[" ".join([*group, name])] = result.stdout
    return screens


def test_help_reads_like_the_readme_at_80_columns() -> None:
    screens = _help_screens()
    for name, text in screens.items():
        assert max(len(line) for line in text.splitlines()) <= 80, name
        for noise in ("<bool>", "<list", "<path>", "<str>", "<int>", "{", "…", "--no-"):
            assert noise not in text, (name, noise)
    assert "Usage: jtai-audit score [OPTIONS] FILE|FOLDER...\n" in screens["score"]
    assert "  --strict " in screens["score"]
    assert "  -o, --output PATH " in screens["score"]
    assert "  --fail-under N " in screens["score"]
    assert "Usage: jtai-audit sample [OPTIONS] LIST --size N\n" in screens["sample"]
    assert "  --by COLUMN " in screens["sample"]
    assert "Usage: jtai-audit moderate [OPTIONS] FIRST SECOND\n" in screens["moderate"]
    assert "Usage: jtai-audit template [OPTIONS] --output FILE\n" in screens["template"]
    assert "  --allow-rubric-change " in screens["compare"]  # never cut to --allow-rubric-ch…
    assert "Usage: jtai-audit rubric check [OPTIONS] PATH...\n" in screens["rubric check"]
    assert "\nCommands:\n  score " in screens[""]


def test_no_command_prints_the_help() -> None:
    result = runner.invoke(app, [])
    assert result.exit_code == 2
    assert result.stdout.startswith("Usage: jtai-audit [OPTIONS] COMMAND [ARGS]...")
