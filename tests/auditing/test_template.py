"""The template's words (DESIGN v2.3): the silence rule, input messages, greyed dependents.

Read back with openpyxl, as Excel and LibreOffice would open the file: every input message
fits Excel's 255 characters and points to its Guidance row; dependent questions carry a
conditional-formatting formula rule; the Guidance sheet states the rule for silence.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from jtai_audit.auditing.greying import excel_condition
from jtai_audit.auditing.template import PROMPT_LIMIT
from jtai_audit.cli import app
from jtai_audit.rubric.compiled import LoadedRubric
from jtai_audit.rubric.guidance import load_guidance

runner = CliRunner()

LOCAL = """\
id: words-grey
version: '1'
extends: jtai-domestic-abuse
fields:
  safety_plan_shared:
    type: answer
    answered_by: [Children's social care]
    description: Safety plan shared with partner agencies.
    na_allowed: "safety_plan != 'Yes' or legal_status in ['Looked after', 'None']"
  gp_involved:
    type: answer
    answered_by: [Health]
    description: GP informed or contributed.
    na_allowed: "'Health' not in agencies_involved"
"""


def template(tmp_path: Path, *args: str, name: str = "t.xlsx") -> Any:
    path = tmp_path / name
    result = runner.invoke(app, ["template", *args, "--output", str(path)])
    assert result.exit_code == 0, result.stderr
    return openpyxl.load_workbook(path)


def letters_of(sheet: Any) -> dict[str, str]:
    return {str(c.value): c.column_letter for c in sheet[1]}


def grey_rules(sheet: Any) -> dict[str, list[str]]:
    """Column letter → the formulas of its conditional-formatting rules."""
    found: dict[str, list[str]] = {}
    for formatting in sheet.conditional_formatting:
        for cell_range in formatting.sqref.ranges:
            letter = str(cell_range).split(":")[0].rstrip("0123456789")
            for rule in formatting.rules:
                assert rule.type == "expression" and rule.dxf.fill is not None
                found.setdefault(letter, []).extend(rule.formula)
    return found


@pytest.mark.parametrize("agency", [None, "Police", "Health", "Children's social care"])
def test_every_input_message_fits_and_points_to_its_guidance_row(
        tmp_path: Path, agency: str | None) -> None:
    book = template(tmp_path, *(["--agency", agency] if agency else []))
    cases, guidance = book["Cases"], book["Guidance"]
    names = {str(c.value) for c in cases[1]}
    pointed = 0
    for validation in cases.data_validations.dataValidation:
        assert validation.prompt and len(validation.prompt) <= PROMPT_LIMIT, validation.prompt
        if "See Guidance row " not in validation.prompt:
            continue
        row = int(validation.prompt.rsplit("See Guidance row ", 1)[1].rstrip("."))
        column = str(validation.sqref).split(":")[0].rstrip("0123456789")
        assert guidance.cell(row=row, column=1).value == cases[f"{column}1"].value
        pointed += 1
    assert pointed == 2 * (len(names) - (1 if agency else 0))  # header and body, each column


def test_each_kind_of_question_has_its_one_line_rule(tmp_path: Path) -> None:
    cases = template(tmp_path)["Cases"]
    prompts = {str(v.sqref).split(":")[0]: v.prompt
               for v in cases.data_validations.dataValidation}
    letters = letters_of(cases)

    def prompt(name: str) -> str:
        return str(prompts[f"{letters[name]}1"])

    assert "No when the record shows no sign" in prompt("child_send")  # a fact
    assert "Not recorded only when the question arose" in prompt("safety_plan")
    assert "never from silence" in prompt("significant_harm_suspected")  # a judgement
    assert "Not recorded when the record is silent" in prompt("voice_recorded")  # practice
    assert "N/A when its parent rules it out" in prompt("breach_challenged")  # dependent
    assert "None when the record shows no sign" in prompt("written_agreement")


def test_dependent_questions_are_greyed_when_their_parent_rules_them_out(
        tmp_path: Path, rubric: LoadedRubric) -> None:
    cases = template(tmp_path)["Cases"]
    letters = letters_of(cases)
    rules = grey_rules(cases)
    plan, breached = letters["safety_plan"], letters["safety_plan_breached"]
    assert rules[breached] == [f'AND(${plan}2<>"",${plan}2<>"Yes")']
    assert rules[letters["breach_challenged"]] == [f'AND(${breached}2<>"",${breached}2<>"Yes")']
    assert letters["child_seen_alone"] not in rules  # a SEND judgement, not a parent's
    assert letters["father_engaged"] not in rules  # N/A always allowed: nothing to grey
    greyed = {name for name, letter in letters.items() if letter in rules}
    kinds = load_guidance(rubric)
    dependent = {name for name, spec in rubric.model.fields.items()
                 if kinds.kind(name, spec) == "dependent"}
    # Conditions on a list (agencies involved) or a parameter are not translated to Excel:
    # those dependents stay white, with their rule in the input message.
    assert greyed <= dependent
    assert {"prebirth_assessment", "perpetrator_in_plan", "interim_risk_management",
            "contact_risk_assessed", "marac_child_discussed", "marac_outcome_shared",
            "safety_plan_shared", "safety_plan_breached", "breach_challenged",
            "escalation_raised", "escalation_resolved", "risk_reduction_evidenced",
            "dvds_shared"} <= greyed


def test_a_local_rubrics_conditions_translate_or_are_skipped_without_error(
        tmp_path: Path) -> None:
    local = tmp_path / "words-grey.yaml"
    local.write_text(LOCAL, encoding="utf-8")
    cases = template(tmp_path, "--rubric", str(local))["Cases"]
    letters = letters_of(cases)
    rules = grey_rules(cases)
    plan, status = letters["safety_plan"], letters["legal_status"]
    assert rules[letters["safety_plan_shared"]] == [
        f'OR(AND(${plan}2<>"",${plan}2<>"Yes"),OR(${status}2="Looked after",'
        f'${status}2="None"))']
    assert letters["gp_involved"] not in rules  # a list membership: not translated
    police = template(tmp_path, "--rubric", str(local), "--agency", "Health",
                      name="health.xlsx")["Cases"]
    # Only dependents whose parents are in Health's own return are greyed there.
    present = set(letters_of(police).values())
    health = grey_rules(police)
    assert health and all(set(re.findall(r"\$([A-Z]+)2", formula)) <= present
                          for formulas in health.values() for formula in formulas)
    assert letters_of(police).get("safety_plan_shared") is None


@pytest.mark.parametrize(("condition", "formula"), [
    ("a == 'No'", '$A2="No"'),
    ("a != 'Yes'", 'AND($A2<>"",$A2<>"Yes")'),
    ("'Yes' != a", 'AND($A2<>"",$A2<>"Yes")'),
    ("a in ['x', 'y']", 'OR($A2="x",$A2="y")'),
    ("a not in ['x']", 'AND($A2<>"",$A2<>"x")'),
    ("a == 'No' and (b != 'Yes' or not a == 'x')",
     'AND($A2="No",OR(AND($B2<>"",$B2<>"Yes"),NOT($A2="x")))'),
    ("b < 4", 'AND($B2<>"",$B2<4)'),
    ("a == 'say \"hi\"'", '$A2="say ""hi"""'),
    ("c == 'No'", None),  # not on the sheet
    ("'Police' in a", None),
    ("$working_days(a, b) > 1", None),
    ("a < 'x'", None),
    ("a ==", None),
])
def test_excel_condition(condition: str, formula: str | None) -> None:
    assert excel_condition(condition, {"a": "A", "b": "B"}) == formula


def test_the_guidance_sheet_states_the_silence_rule_dates_and_agencies(tmp_path: Path) -> None:
    guidance = template(tmp_path)["Guidance"]
    column_a = [str(c.value) for c in guidance["A"] if c.value]
    top = column_a.index("Column")
    above = "\n".join(column_a[:top])
    assert "Answering from a silent record" in above
    assert "Facts: No when the record shows no sign of it" in above
    assert "never from silence" in above and "significant_harm_suspected" in above
    assert "Practice answers: Not recorded when the record is silent on it; No when it shows the work was needed and not done" in above
    assert "An action agreed and never shown done" in above and "Two adults who pose a risk" in above
    assert "N/A whenever the answer they depend on rules them out" in above
    assert "Which referral is referral_date" in above and "harm_threshold_date" in above
    assert "IDVA" in above and "Voluntary sector" in above and "Housing only when" in above
    assert "the day any agency first learned of it" in above
    text = "\n".join(str(c.value) for row in guidance.iter_rows() for c in row if c.value)
    assert "Partly: children in the household were considered" in text
    assert "Example: " in text


def test_a_column_with_no_guidance_entry_falls_back_to_its_description(
        tmp_path: Path, rubric: LoadedRubric) -> None:
    (tmp_path / "words-grey.yaml").write_text(LOCAL, encoding="utf-8")
    (tmp_path / "words-grey.guidance.yaml").write_text(
        "questions:\n  safety_plan_shared:\n    looks_like: {Yes: Local words for Yes.}\n",
        encoding="utf-8")
    guidance = template(tmp_path, "--rubric", str(tmp_path / "words-grey.yaml"))["Guidance"]
    rows = {str(r[0].value): [str(c.value) for c in r] for r in guidance.iter_rows()
            if r[0].value}
    assert "Yes: Local words for Yes." in rows["safety_plan_shared"][4]  # the local entry
    assert "Example: " in rows["child_send"][4]  # the bundled guidance it extends
    assert rows["gp_involved"][3] == "GP informed or contributed."  # its description
