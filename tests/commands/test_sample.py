from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from jtai_audit.auditing.sampling import allocate, exact_shares
from jtai_audit.cli import app
from jtai_audit.errors import UsageError
from jtai_audit.workbook.reader import load_case_file

runner = CliRunner()


def case_list(tmp_path: Path, sizes: dict[str, int], name: str = "list.csv") -> Path:
    lines = ["Case ID,Area,Legal status"]
    number = 0
    for area, count in sizes.items():
        for k in range(count):
            number += 1
            status = "Child protection" if k % 3 else "Child in need"
            lines.append(f"C-{number:04},{area},{status}")
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


SIZES = {"Northmoor": 40, "Eastbridge": 25, "Kingsford": 20, "Saltmarsh": 12, "Ashcombe": 2,
         "Fernleigh": 1}


def draw(*args: str) -> list[str]:
    """The ids drawn (with --by, each line is an id and its --by values under a header)."""
    result = runner.invoke(app, ["sample", *args])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    if "--by" in args:
        assert lines[0].startswith("case_id\t")
        lines = lines[1:]
    return [line.split("\t")[0] for line in lines]


def test_same_seed_same_sample_whatever_the_row_order(tmp_path: Path) -> None:
    path = case_list(tmp_path, SIZES)
    first = draw(str(path), "--size", "20", "--by", "area", "--seed", "7")
    assert first == draw(str(path), "--size", "20", "--by", "area", "--seed", "7")
    assert first != draw(str(path), "--size", "20", "--by", "area", "--seed", "8")
    lines = path.read_text().splitlines()
    shuffled = tmp_path / "shuffled.csv"
    body = lines[1:]
    random.Random(1).shuffle(body)
    shuffled.write_text("\n".join([lines[0], *body]) + "\n")
    again = draw(str(shuffled), "--size", "20", "--by", "area", "--seed", "7")
    assert sorted(again) == sorted(first)
    assert again == [line.split(",")[0] for line in body if line.split(",")[0] in set(first)]


def test_counts_within_one_of_exact_share_and_min_one(tmp_path: Path) -> None:
    path = case_list(tmp_path, SIZES)
    chosen = set(draw(str(path), "--size", "20", "--by", "Area", "--seed", "1"))
    area_of = {line.split(",")[0]: line.split(",")[1]
               for line in path.read_text().splitlines()[1:]}
    counts = Counter(area_of[c] for c in chosen)
    total = sum(SIZES.values())
    assert sum(counts.values()) == 20
    for area, size in SIZES.items():
        assert abs(counts[area] - 20 * size / total) < 1 + 1e-9 or counts[area] == 1
        assert counts[area] >= 1  # Ashcombe's and Fernleigh's shares round to zero


def test_allocation_largest_remainder_property() -> None:
    rng = random.Random(5)
    for _ in range(300):
        sizes = {(f"s{k}",): rng.randint(5, 60) for k in range(rng.randint(1, 6))}
        total = sum(sizes.values())
        size = rng.randint(len(sizes), total)
        counts = allocate(sizes, size)
        exact = exact_shares(sizes, size)
        assert sum(counts.values()) == size
        for key in sizes:
            if exact[key] >= 1:
                assert abs(counts[key] - exact[key]) < 1
            assert 1 <= counts[key] <= sizes[key]


def test_min_one_takes_from_the_stratum_furthest_above_its_share() -> None:
    # Size 9 of 80: exact shares 4.5, 3.375, 0.45, 0.45, 0.225. Largest remainder gives
    # 5, 3, 1, 0, 0 (the c/d tie goes by size, then name). "d" then takes one from "a"
    # (0.5 above its share), and "e" one from "b" (0.375 below, against a's 0.5 below).
    sizes = {("a",): 40, ("b",): 30, ("c",): 4, ("d",): 4, ("e",): 2}
    counts = allocate(sizes, 9)
    assert counts == {("a",): 4, ("b",): 2, ("c",): 1, ("d",): 1, ("e",): 1}
    # Too small for every stratum: the zeros still take what the donors can spare.
    assert allocate({("a",): 100, ("b",): 1, ("c",): 1, ("d",): 1}, 2) == {
        ("a",): 1, ("b",): 1, ("c",): 0, ("d",): 0}


def test_size_larger_than_the_list_and_unknown_by_exit_2(tmp_path: Path) -> None:
    path = case_list(tmp_path, {"Northmoor": 3})
    result = runner.invoke(app, ["sample", str(path), "--size", "4"])
    assert result.exit_code == 2 and "1 to 3" in result.stderr
    result = runner.invoke(app, ["sample", str(path), "--size", "2", "--by", "aera"])
    assert result.exit_code == 2 and "did you mean 'Area'" in result.stderr
    with pytest.raises(UsageError):
        allocate({("x",): 3}, 0)


def test_output_is_a_prefilled_template(tmp_path: Path) -> None:
    path = case_list(tmp_path, SIZES)
    out = tmp_path / "sample.xlsx"
    ids = draw(str(path), "--size", "6", "--by", "area", "--by", "legal status", "--seed", "3",
               "--output", str(out))
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Cases", "Sample", "Guidance", "Lists"]
    from jtai_audit.rubric.loader import load_rubric

    loaded = load_case_file(out, load_rubric(None).model.fields)
    assert [c.case_id for c in loaded.cases] == ids
    assert loaded.notices == []
    assert all(c.values["area"] and c.values["legal_status"] for c in loaded.cases)


def test_identifying_case_id_in_the_list_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text("case_id,area\nJane Smith,Northmoor\n", encoding="utf-8")
    result = runner.invoke(app, ["sample", str(path), "--size", "1"])
    assert result.exit_code == 2 and "list.csv!A2" in result.stderr
    assert "Jane" not in result.stdout + result.stderr


def test_csv_output_feeds_template_cases(tmp_path: Path) -> None:
    path = case_list(tmp_path, SIZES)
    out = tmp_path / "sample.csv"
    ids = draw(str(path), "--size", "6", "--by", "area", "--seed", "3", "--output", str(out))
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "case_id,Area" and [line.split(",")[0] for line in lines[1:]] == ids
    full, police = tmp_path / "full.xlsx", tmp_path / "police.xlsx"
    for args in (["--output", str(full)], ["--agency", "Police", "--output", str(police)]):
        result = runner.invoke(app, ["template", "--cases", str(out), *args])
        assert result.exit_code == 0, result.stderr
    rows = list(openpyxl.load_workbook(full)["Cases"].iter_rows(min_row=2, values_only=True))
    area = {line.split(",")[0]: line.split(",")[1] for line in lines[1:]}
    assert [(r[0], r[1]) for r in rows] == [(i, area[i]) for i in ids]
    rows = list(openpyxl.load_workbook(police)["Cases"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[1]) for r in rows] == [(i, "Police") for i in ids]


def test_output_must_be_csv_or_xlsx(tmp_path: Path) -> None:
    path = case_list(tmp_path, {"Northmoor": 3})
    result = runner.invoke(app, ["sample", str(path), "--size", "1", "--output",
                                 str(tmp_path / "s.txt")])
    assert result.exit_code == 2 and ".csv" in result.stderr and ".xlsx" in result.stderr


def team_list(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A case list with a Team column, which is not a rubric column."""
    teams = {f"C-{n:03}": ("Duty", "Family support", "Child protection")[n % 3]
             for n in range(1, 31)}
    path = tmp_path / "teams.csv"
    path.write_text("Case ID,Area,Team\n" + "".join(
        f"{case_id},Northmoor,{team}\n" for case_id, team in teams.items()), encoding="utf-8")
    return path, teams


def test_by_team_prints_each_id_with_its_team(tmp_path: Path) -> None:
    path, teams = team_list(tmp_path)
    result = runner.invoke(app, ["sample", str(path), "--size", "6", "--by", "Team",
                                 "--seed", "4"])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "case_id\tTeam"
    rows = [line.split("\t") for line in lines[1:]]
    assert len(rows) == 6 and all(team == teams[case_id] for case_id, team in rows)
    assert {team for _, team in rows} == set(teams.values())
    plain = runner.invoke(app, ["sample", str(path), "--size", "6", "--seed", "4"])
    assert all("\t" not in line for line in plain.stdout.splitlines())  # ids one a line


def test_by_team_keeps_the_team_in_csv_and_xlsx(tmp_path: Path) -> None:
    path, teams = team_list(tmp_path)
    out_csv, out_xlsx = tmp_path / "sample.csv", tmp_path / "sample.xlsx"
    ids = draw(str(path), "--size", "6", "--by", "Team", "--seed", "4", "-o", str(out_csv))
    lines = out_csv.read_text(encoding="utf-8-sig").splitlines()
    assert lines == ["case_id,Team", *(f"{i},{teams[i]}" for i in ids)]
    result = runner.invoke(app, ["sample", str(path), "--size", "6", "--by", "Team",
                                 "--seed", "4", "-o", str(out_xlsx)])
    assert result.exit_code == 0, result.stderr
    assert "the Sample sheet gives each case's Team" in result.stderr
    book = openpyxl.load_workbook(out_xlsx)
    assert book.sheetnames == ["Cases", "Sample", "Guidance", "Lists"]
    rows = list(book["Sample"].iter_rows(values_only=True))
    assert rows == [("case_id", "Team"), *((i, teams[i]) for i in ids)]
    cases = [r[0] for r in book["Cases"].iter_rows(min_row=2, values_only=True) if r[0]]
    assert cases == ids


def test_a_list_whose_id_header_is_case_ref_gets_the_hint(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text("Case Ref,Area\nC-0001,Northmoor\nC-0002,Eastbridge\n", encoding="utf-8")
    result = runner.invoke(app, ["sample", str(path), "--size", "1"])
    assert result.exit_code == 2
    assert "no case_id column" in result.stderr
    assert "is 'Case Ref' the case id? Rename that header case_id" in result.stderr
