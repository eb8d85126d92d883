"""Each agency's own picture: a rule counted for an agency only in the cases it owns it.

PERP-5's owner is [Probation, Children's social care]: in a case Probation is involved in
the rule is Probation's, in any other the lead agency's. Probation's feedback (the pack's
section, `score --agency`, `summary.agencies`) must never count the lead agency's answers
in the cases Probation never worked with.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from ..merge.helpers import LEAD, invoke, run_json, write_return

PROBATION = "Probation"
# Five children Probation worked with: 3 interventions started, 2 on a waiting list with
# nothing meanwhile (60%); seven others where children's social care answers the same
# column: every intervention completed (100%).
WITH_PROBATION = [("Started", None), ("Started", None), ("Started", None),
                  ("Waiting list", "No"), ("Waiting list", "No")]


def _lead_row(number: int, probation: bool) -> dict[str, Any]:
    row: dict[str, Any] = {
        "case_id": f"RD-{number:03d}", "area": "Riverdale", "legal_status": "Child protection",
        "perpetrator_identified": "Yes",
        "agencies_involved": "Children's social care; Probation" if probation
        else "Children's social care; Health"}
    if not probation:
        row["perpetrator_intervention"] = "Completed"
        row["interim_risk_management"] = "N/A"
    return row


def _round(folder: Path) -> Path:
    lead = [_lead_row(n, n <= 5) for n in range(1, 13)]
    write_return(folder / "lead.xlsx", LEAD, lead)
    write_return(folder / "probation.xlsx", PROBATION, [
        {"case_id": f"RD-{n:03d}", "perpetrator_intervention": intervention,
         "interim_risk_management": interim or "N/A"}
        for n, (intervention, interim) in enumerate(WITH_PROBATION, start=1)])
    return folder


def test_pack_and_agency_give_probation_the_same_rate_on_its_five_cases(
        tmp_path: Path) -> None:
    folder = _round(tmp_path / "round")
    _, whole, _ = run_json("score", folder)
    picture = whole["summary"]["agencies"]
    assert picture[PROBATION]["cases"] == 5 and picture[PROBATION]["returned"] == 5
    assert picture[PROBATION]["rules"]["PERP-5"] == {"rate": 60.0, "cases": 5,
                                                     "finding": "improvement"}
    assert picture[LEAD]["rules"]["PERP-5"]["rate"] == 100.0
    assert picture[LEAD]["rules"]["PERP-5"]["cases"] == 7
    # `--agency` gives the same figure, and keeps each case's score and grade whole.
    _, own, _ = run_json("score", folder, "--agency", "probation")
    perp5 = own["summary"]["rules"]["PERP-5"]
    assert (perp5["rate"], perp5["cases"], perp5["finding"]) == (60.0, 5, "improvement")
    assert {c["case_id"] for c in own["cases"]} == {f"RD-{n:03d}" for n in range(1, 6)}
    grades = {c["case_id"]: (c["score"], c["grade"], c["limited_by"]) for c in whole["cases"]}
    for case in own["cases"]:
        assert (case["score"], case["grade"], case["limited_by"]) == grades[case["case_id"]]
    # The pack's section for Probation: the same rate on the same 5 cases, and no section
    # for an agency no child involved (Adult mental health, Education: not involved here).
    out = tmp_path / "pack.md"
    assert invoke("score", folder, "--output", out).exit_code == 0
    pack = out.read_text(encoding="utf-8")
    section = pack.split("### Probation", 1)[1].split("\n## ", 1)[0].split("\n### ", 1)[0]
    assert "| PERP-5 | Perpetrator intervention actually delivered | 60.0% | 5 |" in section
    assert "83.3%" not in section and "100.0%" not in section.split("answers fed")[0]
    assert "### Adult mental health" not in pack and "### Education" not in pack
    # One action-plan row per rule and owning agency, each with its own figures.
    plan = pack.split("## Action plan", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in plan.splitlines() if line.startswith("| PERP-5 |")]
    assert any("| 60.0% |" in line and "| Probation |" in line for line in rows), rows
    # By owner agency gives each agency the cases it owns.
    owners = whole["summary"]["owners"]
    assert owners[PROBATION]["cases"] == 5


def test_an_agency_that_owns_no_rule_still_gets_its_completeness_and_fed_rules(
        tmp_path: Path) -> None:
    folder = _round(tmp_path / "round")
    _, whole, _ = run_json("score", folder)
    probation = whole["summary"]["agencies"][PROBATION]
    assert probation["completeness"]["perpetrator_intervention"] == 100.0
    assert probation["fed"]["PERP-5"] == {"rate": 60.0, "cases": 5}
    # The lead agency is involved with every child; Health with the seven it worked with,
    # though it sent no return: it owns nothing, and its own columns are empty.
    health = whole["summary"]["agencies"]["Health"]
    assert health["cases"] == 7 and health["returned"] == 0
    assert health["completeness"] and set(health["completeness"].values()) == {0.0}
    json.dumps(whole)  # the summary is plain JSON


def test_agency_on_the_terminal_shows_its_rules_completeness_and_fed_rules(
        tmp_path: Path) -> None:
    folder = _round(tmp_path / "round")
    result = invoke("score", folder, "--agency", "Probation")
    assert result.exit_code == 0, result.stderr
    out = " ".join(result.stdout.split())
    assert "Probation: its rules, in the cases it owns them" in out
    assert re.search(r"PERP-5 Perpetrator intervention actually 60\.0 5 improvement", out)
    assert "Its own answers, over the 5 children it is involved with:" in out
    assert "The rules its answers fed" in out
    assert "5 cases, mean score -" not in out  # whole-case scores, never re-graded
