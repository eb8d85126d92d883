from __future__ import annotations

import csv
import io
from pathlib import Path

from typer.testing import CliRunner

from jtai_audit.cli import app
from jtai_audit.files import neutralise
from jtai_audit.report import formatter
from jtai_audit.report.csvout import HEADER

from ..conftest import EXAMPLE
from ..golden.fixture import ROWS, meeting_data
from ..golden.helpers import check_golden, private_texts

runner = CliRunner()


def _rows(payload: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(payload.decode("utf-8"))))


def test_csv_matches_golden_file() -> None:
    check_golden("meeting.csv", formatter("csv")(meeting_data()))


def test_csv_is_tidy_one_row_per_case_and_rule() -> None:
    data = meeting_data()
    rows = _rows(formatter("csv")(data))
    assert len(rows) == len(ROWS) * len(data.rubric.model.rules)
    assert tuple(rows[0]) == HEADER
    first = rows[0]
    assert first["case_id"] == "N-1" and first["rule"] == "V-1" and first["outcome"] == "met"
    assert first["evidence"] == "child_seen=Yes"
    assert first["rubric_sha256"] == data.rubric.sha256 and first["source_sha256"] == "ab" * 32
    assert {r["severity"] for r in rows} == {"critical", "major"}


def test_formula_in_area_comes_out_inert() -> None:
    rows = _rows(formatter("csv")(meeting_data()))
    hostile = [r for r in rows if "HYPERLINK" in r["area"]]
    assert hostile
    for row in hostile:
        assert row["area"] == "'=HYPERLINK(\"http://x\",\"y\")"
        assert row["case_id"].startswith("'=")
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_neutralise_covers_every_owasp_start() -> None:
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert neutralise(start + "1") == "'" + start + "1"
    assert neutralise("Ashcombe") == "Ashcombe" and neutralise(-1) == -1


def test_cli_csv_has_no_text_fields(tmp_path: Path) -> None:
    out = tmp_path / "cases.csv"
    result = runner.invoke(app, ["score", str(EXAMPLE), "--output", str(out)])
    assert result.exit_code == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert len(_rows(text.encode())) > 36
    for secret in private_texts(EXAMPLE):
        assert secret not in text
