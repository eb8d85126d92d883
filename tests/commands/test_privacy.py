"""Privacy by construction: a marker planted in every free-text cell, every unknown column
and every unreadable cell never reaches any output, message or report file."""

from __future__ import annotations

import re
import socket
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from jtai_audit.cli import app

from ..conftest import EXAMPLE, ROOT

MARKER = "Zqxv7Marker"
runner = CliRunner()


def _planted(tmp_path: Path, name: str = "planted.xlsx", changed: int = 0) -> Path:
    """The example audit with the marker in every text field, an unknown column and bad cells."""
    book = openpyxl.load_workbook(EXAMPLE)
    sheet = book["Cases"]
    header = [c.value for c in sheet[1]]
    extra = sheet.max_column + 1
    sheet.cell(row=1, column=extra, value="family_surname")
    for row in range(2, sheet.max_row + 1):
        sheet.cell(row=row, column=extra, value=f"{MARKER} family {row}")
        for column in ("case_notes", "voice_method"):
            index = header.index(column) + 1
            sheet.cell(row=row, column=index,
                       value=f'{MARKER} said "{MARKER}" volatile relationship {row}')
    # unreadable cells quote nothing: the marker typed where an answer belongs
    sheet.cell(row=2, column=header.index("child_seen") + 1, value=MARKER)
    sheet.cell(row=3, column=header.index("referral_date") + 1, value=MARKER)
    for row in range(4, 4 + changed):  # a second auditor's different answers
        sheet.cell(row=row, column=header.index("voice_police") + 1, value="No")
    path = tmp_path / name
    book.save(path)
    return path


def _texts(result: Any, files: list[Path]) -> Iterator[str]:
    yield result.stdout
    yield result.stderr
    for path in files:
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as archive:
                for member in archive.namelist():
                    yield archive.read(member).decode("utf-8", "replace")
        elif path.exists():
            yield path.read_bytes().decode("utf-8", "replace")


def _assert_clean(result: Any, files: list[Path] = []) -> None:  # noqa: B006
    for text in _texts(result, files):
        assert MARKER not in text
        assert MARKER.lower() not in text.lower()


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("planted")
    return _planted(folder), _planted(folder, "second.xlsx", changed=5)


FORMATS = ["table", "json", "jsonl", "csv", "markdown", "html", "xlsx"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_score_outputs_never_contain_free_text(fmt: str, planted: tuple[Path, Path],
                                               tmp_path: Path) -> None:
    first, _ = planted
    output = tmp_path / f"report.{ {'markdown': 'md', 'table': 'txt'}.get(fmt, fmt) }"
    result = runner.invoke(app, ["score", str(first), "--format", fmt, "--output", str(output)])
    assert result.exit_code == 0, result.stderr
    assert output.exists() and oct(output.stat().st_mode & 0o777) == "0o600"
    _assert_clean(result, [output])
    stdout = runner.invoke(app, ["score", str(first), "--format", fmt, "--debug"])
    if fmt != "xlsx":
        assert stdout.exit_code == 0
        _assert_clean(stdout)


def test_lang1_evidence_names_the_phrase_not_the_text(planted: tuple[Path, Path]) -> None:
    result = runner.invoke(app, ["score", str(planted[0]), "--format", "json"])
    assert "'volatile relationship' (mutualising)" in result.stdout
    _assert_clean(result)


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_validate_and_moderate_never_quote_cells(fmt: str, planted: tuple[Path, Path]) -> None:
    first, second = planted
    validated = runner.invoke(app, ["validate", str(first), "--format", fmt])
    assert validated.exit_code == 1  # the planted bad cells are errors
    _assert_clean(validated)
    moderated = runner.invoke(app, ["moderate", str(first), str(second), "--format", fmt])
    assert moderated.exit_code == 0, moderated.stderr
    _assert_clean(moderated)


def test_compare_sample_and_template_never_quote_cells(planted: tuple[Path, Path],
                                                       tmp_path: Path) -> None:
    first, second = planted
    before, after = tmp_path / "before.json", tmp_path / "after.json"
    for source, target in ((first, before), (second, after)):
        assert runner.invoke(app, ["score", str(source), "-o", str(target)]).exit_code == 0
    for fmt in ("table", "json", "markdown"):
        compared = runner.invoke(app, ["compare", str(before), str(after), "--format", fmt])
        assert compared.exit_code == 0, compared.stderr
        _assert_clean(compared)
    prefilled = tmp_path / "sample.xlsx"
    sampled = runner.invoke(app, ["sample", str(first), "--size", "6", "--by", "area",
                                  "--seed", "1", "--output", str(prefilled)])
    assert sampled.exit_code == 0, sampled.stderr
    _assert_clean(sampled, [prefilled])


def test_a_name_in_case_id_is_refused_without_echo(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(EXAMPLE)
    book["Cases"]["A5"] = "Zqxv Markerson"
    path = tmp_path / "named.xlsx"
    book.save(path)
    result = runner.invoke(app, ["score", str(path), "--debug"])
    assert result.exit_code == 2
    assert "Cases!A5" in result.stderr
    assert "Markerson" not in result.stdout + result.stderr


def test_no_command_opens_a_network_connection(monkeypatch: pytest.MonkeyPatch,
                                               planted: tuple[Path, Path],
                                               tmp_path: Path) -> None:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a network connection was attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    first, second = planted
    report = tmp_path / "r.json"
    commands = [
        ["score", str(first), "-o", str(report)],
        *[["score", str(first), "--format", f] for f in FORMATS if f != "xlsx"],
        ["score", str(first), "-o", str(tmp_path / "r.xlsx")],
        ["validate", str(first)],
        ["merge", str(RETURNS), "--output", str(tmp_path / "merged.xlsx")],
        ["score", str(RETURNS), "--agency", "Police", "--format", "html"],
        ["template", "--output", str(tmp_path / "t.xlsx")],
        ["sample", str(first), "--size", "4", "--seed", "2"],
        ["moderate", str(first), str(second)],
        ["compare", str(report), str(report)],
        ["explain", "VOICE-1"],
        ["rubric", "check", str(ROOT / "rubrics")],
        ["rubric", "test", str(ROOT / "rubrics")],
        ["rubric", "show", "jtai-domestic-abuse"],
        ["rubric", "schema"],
    ]
    for command in commands:
        result = runner.invoke(app, command)
        assert result.exit_code in (0, 1), (command, result.stderr)
        assert "network connection" not in str(result.exception or "")


def test_the_marker_is_really_planted(planted: tuple[Path, Path]) -> None:
    """A positive control: the search above would find the marker if an output held it."""
    texts = "".join(_texts(type("R", (), {"stdout": "", "stderr": ""})(), [planted[0]]))
    assert texts.count(MARKER) > 36


RETURNS = ROOT / "examples" / "returns"
TEXT_COLUMNS = ("case_notes", "voice_method")
DATE_HINT = "(a date cell, 2025-03-14 or 14/03/2025)"
DATE = re.compile(r"\b(\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{4})\b")


@pytest.fixture(scope="module")
def planted_returns(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example returns (two missing, three conflicts) with the marker in every text
    cell of every return, an unknown column, and unreadable cells where answers belong."""
    folder = tmp_path_factory.mktemp("returns")
    for source in sorted(RETURNS.glob("*.xlsx")):
        book = openpyxl.load_workbook(source)
        sheet = book["Cases"]
        header = [c.value for c in sheet[1]]
        extra = len(header) + 1
        sheet.cell(row=1, column=extra, value="family_surname")
        for row in range(2, sheet.max_row + 1):
            if sheet.cell(row=row, column=1).value is None:
                continue
            sheet.cell(row=row, column=extra, value=f"{MARKER} family {row}")
            for column in TEXT_COLUMNS:
                if column in header:
                    sheet.cell(row=row, column=header.index(column) + 1,
                               value=f'{MARKER} said "{MARKER}" volatile relationship {row}')
        for column in ("voice_police", "referral_date", "routine_enquiry"):
            if column in header:  # the marker typed where an answer or a date belongs
                sheet.cell(row=2, column=header.index(column) + 1, value=MARKER)
        book.save(folder / source.name)
    return folder


@pytest.mark.parametrize("fmt", ["text", "json", "csv"])
def test_merge_reports_never_contain_free_text_or_dates(fmt: str, planted_returns: Path,
                                                        tmp_path: Path) -> None:
    merged = tmp_path / "merged.xlsx"
    result = runner.invoke(app, ["merge", str(planted_returns), "--format", fmt,
                                 "--output", str(merged)])
    assert result.exit_code == 1, result.stderr  # two returns missing, three conflicts
    assert "NM-003" in result.stdout or fmt == "csv"  # the report is really there
    _assert_clean(result)
    # conflicting dates as intervals, never dates (the format hint is not a case's date)
    assert not DATE.search(result.stdout.replace(DATE_HINT, ""))
    # The merged workbook is a case file and keeps the text (the one output that does).
    assert oct(merged.stat().st_mode & 0o777) == "0o600"
    assert any(MARKER in text for text in _texts(type("R", (), {"stdout": "", "stderr": ""})(),
                                                 [merged]))


@pytest.mark.parametrize("fmt", ["json", "markdown", "html"])
def test_score_agency_reports_never_contain_free_text(fmt: str, planted_returns: Path,
                                                      tmp_path: Path) -> None:
    output = tmp_path / f"police.{ {'markdown': 'md'}.get(fmt, fmt) }"
    result = runner.invoke(app, ["score", str(planted_returns), "--agency", "Police",
                                 "--format", fmt, "--output", str(output)])
    assert result.exit_code == 0, result.stderr
    assert oct(output.stat().st_mode & 0o777) == "0o600"
    _assert_clean(result, [output])
    stdout = runner.invoke(app, ["score", str(planted_returns), "--agency", "Police",
                                 "--format", fmt])
    assert stdout.exit_code == 0
    _assert_clean(stdout)


def test_a_bad_agency_cell_is_named_never_echoed(planted_returns: Path, tmp_path: Path) -> None:
    book = openpyxl.load_workbook(planted_returns / "police.xlsx")
    book["Cases"]["B3"] = MARKER
    path = tmp_path / "police.xlsx"
    book.save(path)
    for command in (["merge", str(path)], ["score", str(path)]):
        result = runner.invoke(app, command)
        assert result.exit_code == 2
        assert "Cases!A3" in result.stderr
        _assert_clean(result)
