from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from jtai_audit.cli import app
from jtai_audit.engine.rounds import compare_docs
from jtai_audit.rubric.compiled import LoadedRubric

from ..conftest import EXAMPLE

runner = CliRunner()
CHANGED = "voice_police"


def _improved_copy(path: Path) -> int:
    """The example with every `voice_police` No turned into Yes; returns how many changed."""
    book = openpyxl.load_workbook(EXAMPLE)
    sheet = book["Cases"]
    header = [str(c.value or "").strip().lower() for c in sheet[1]]
    column = header.index(CHANGED) + 1
    changed = 0
    for row in range(2, sheet.max_row + 1):
        cell = sheet.cell(row=row, column=column)
        if isinstance(cell.value, str) and cell.value.strip().lower() in ("no", "n"):
            cell.value = "Yes"
            changed += 1
    book.save(path)
    return changed


@pytest.fixture(scope="module")
def rounds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("rounds")
    improved = folder / "round-2.xlsx"
    assert _improved_copy(improved) > 0
    paths = []
    for name, source in (("before.json", EXAMPLE), ("after.json", improved)):
        out = folder / name
        result = runner.invoke(app, ["score", str(source), "--output", str(out)])
        assert result.exit_code == 0, result.stderr
        paths.append(out)
    return paths[0], paths[1]


def test_only_the_rules_reading_the_changed_answers_move(
        rounds: tuple[Path, Path], rubric: LoadedRubric) -> None:
    result = runner.invoke(app, ["compare", str(rounds[0]), str(rounds[1]), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    readers = {p.rule.id for p in rubric.programs if CHANGED in p.fields}
    moved = {r for r, e in doc["rules"].items() if e["change"]}
    assert "VOICE-3" in moved and moved <= readers
    for rule, entry in doc["rules"].items():
        assert set(entry) >= {"before", "after", "change", "direction", "cases_before",
                              "cases_after"}
        if rule in moved:
            assert entry["direction"] == "up" and entry["change"] > 0
        else:
            assert entry["direction"] in ("same", None)
    assert doc["themes"]["voice"]["direction"] == "up"
    assert {t for t, e in doc["themes"].items() if e["change"]} == {"voice"}
    assert doc["areas"] and all(e["direction"] in ("up", "same") for e in doc["areas"].values())
    below = []
    for path in rounds:
        findings = json.loads(path.read_text())["summary"]["findings"]
        below.append(set(findings["improvement"]) | set(findings["priority"]))
    assert set(doc["hard_to_shift"]) == below[0] & below[1]


def test_hard_to_shift_uses_each_rounds_findings() -> None:
    def doc(rate_rule: str, findings: dict[str, list[str]]) -> dict[str, object]:
        rules = {"A": {"met": 1, "not_met": 3}, "B": {"met": 9, "not_met": 1}}
        return {"tool": {}, "rubric": {"sha256": "x"}, "inputs": [],
                "summary": {"cases": 10, "rules": rules, "themes": {}, "areas": {},
                            "findings": findings, "mean_score": 50.0}}
    result = compare_docs(doc("A", {"improvement": ["A"], "priority": []}),
                          doc("A", {"improvement": [], "priority": ["A"]}))
    assert result["hard_to_shift"] == ["A"]
    assert result["rules"]["A"] == {"before": 25.0, "after": 25.0, "change": 0.0,
                                    "direction": "same", "cases_before": 4, "cases_after": 4}


def test_table_and_markdown_formats(rounds: tuple[Path, Path], tmp_path: Path) -> None:
    table = runner.invoke(app, ["compare", str(rounds[0]), str(rounds[1])])
    assert table.exit_code == 0, table.stderr
    assert "VOICE-3" in table.stdout and "up" in table.stdout
    assert max(len(line) for line in table.stdout.splitlines()) <= 80
    out = tmp_path / "moved.md"
    written = runner.invoke(app, ["compare", str(rounds[0]), str(rounds[1]), "--output",
                                  str(out)])
    assert written.exit_code == 0, written.stderr
    assert out.read_text().startswith("# Re-audit") and out.stat().st_mode & 0o777 == 0o600


def test_refuses_a_different_rubric_unless_allowed(rounds: tuple[Path, Path],
                                                   tmp_path: Path) -> None:
    doc = json.loads(rounds[1].read_text())
    doc["rubric"]["sha256"] = "0" * 64
    other = tmp_path / "other.json"
    other.write_text(json.dumps(doc))
    refused = runner.invoke(app, ["compare", str(rounds[0]), str(other)])
    assert refused.exit_code == 2
    assert "different rubrics" in refused.stderr and len(refused.stderr.splitlines()) == 1
    allowed = runner.invoke(app, ["compare", str(rounds[0]), str(other), "--format", "json",
                                  "--allow-rubric-change"])
    assert allowed.exit_code == 0
    assert json.loads(allowed.stdout)["rubric"]["same"] is False


@pytest.mark.parametrize("content", ["not json", "[]", "{}", '{"tool": {}, "rubric": {}}',
                                     '{"tool":{},"rubric":{"sha256":"x"},"inputs":[],'
                                     '"summary":{"cases":1}}'])
def test_refuses_files_that_are_not_score_reports(rounds: tuple[Path, Path], tmp_path: Path,
                                                  content: str) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    result = runner.invoke(app, ["compare", str(rounds[0]), str(bad)])
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "bad.json" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_file_and_unknown_format(rounds: tuple[Path, Path], tmp_path: Path) -> None:
    missing = runner.invoke(app, ["compare", str(rounds[0]), str(tmp_path / "nope.json")])
    assert missing.exit_code == 2 and "nope.json" in missing.stderr
    unknown = runner.invoke(app, ["compare", str(rounds[0]), str(rounds[1]), "--format", "pdf"])
    assert unknown.exit_code == 2
