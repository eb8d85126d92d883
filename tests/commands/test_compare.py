"""compare over workbooks and three or more rounds: labels, trend and hard to shift."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from jtai_audit.cli import app

from ..conftest import EXAMPLE

runner = CliRunner()


def _round(tmp_path: Path, name: str, voice_police: str | None) -> Path:
    book = openpyxl.load_workbook(EXAMPLE)
    sheet = book["Cases"]
    if voice_police is not None:
        column = [c.value for c in sheet[1]].index("voice_police") + 1
        for row in range(2, sheet.max_row + 1):
            if sheet.cell(row, 1).value:
                sheet.cell(row, column).value = voice_police
    path = tmp_path / name
    book.save(path)
    return path


def test_three_workbook_rounds_give_the_trend(tmp_path: Path) -> None:
    rounds = [_round(tmp_path, "spring.xlsx", None), _round(tmp_path, "summer.xlsx", "Yes"),
              _round(tmp_path, "autumn.xlsx", "Partly")]
    result = runner.invoke(app, ["compare", *map(str, rounds), "--format", "json",
                                 "--label", "Round 1", "--label", "Round 2", "--label", "Round 3"])
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert [r["label"] for r in doc["rounds"]] == ["Round 1", "Round 2", "Round 3"]
    assert set(doc["trend"]) == {"rules", "themes", "areas"}
    voice = doc["trend"]["rules"]["VOICE-3"]
    assert voice[1] == 100.0 and voice[2] == 50.0 and voice[0] < 50
    assert doc["rules"]["VOICE-3"]["after"] == 50.0  # after is the last round
    assert "VOICE-3" not in doc["hard_to_shift"]  # a strength in round 2
    assert "PERP-7" in doc["hard_to_shift"]  # below the threshold every round
    html = runner.invoke(app, ["compare", *map(str, rounds), "--format", "html"]).stdout
    assert "<svg" in html and "Child recognised as a victim in their own right" in html
    xlsx = tmp_path / "trend.xlsx"
    runner.invoke(app, ["compare", *map(str, rounds), "--output", str(xlsx)])
    assert openpyxl.load_workbook(xlsx)["Trend"]._charts


def test_two_rounds_have_no_trend_and_a_json_round_mixes_with_a_workbook(tmp_path: Path) -> None:
    first = tmp_path / "first.json"
    first.write_text(runner.invoke(app, ["score", str(EXAMPLE), "--format", "json"]).stdout)
    second = _round(tmp_path, "second.xlsx", "Yes")
    doc = json.loads(runner.invoke(app, ["compare", str(first), str(second),
                                         "--format", "json"]).stdout)
    assert "trend" not in doc and "rounds" not in doc
    assert doc["labels"] == {"before": "first", "after": "second"}


def test_a_label_count_that_does_not_match_is_a_usage_error(tmp_path: Path) -> None:
    one = _round(tmp_path, "a.xlsx", None)
    result = runner.invoke(app, ["compare", str(one), str(one), "--label", "only one"])
    assert result.exit_code == 2 and "--label" in result.stderr
