"""Build examples/cases.xlsx: a synthetic audit of 36 children in six fictional areas.

Why: the tool needs a realistic, shareable workbook to demonstrate scoring, batch comparison
and reports, and to test against, without any real child's data. It mirrors the 2026 JTAI
tracked sample (six children in each of six areas, unborn to 7) and draws its strong and weak
practice from that report. Deterministic: no randomness, fixed dates and workbook properties,
fixed zip timestamps, so the file is byte-identical between runs.

Run from the repository root:  python examples/build_cases.py
"""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import holidays
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

OUT = Path(__file__).resolve().parent / "cases.xlsx"
FIXED_TIME = datetime(2025, 11, 21, 9, 0, 0)

_COLUMN_NAMES = """case_id area audit_date child_age_years unborn_at_referral child_send
attends_setting legal_status agencies_involved siblings_in_household other_children_linked
referral_date incident_date incidents_last_12_months harm_threshold_date
significant_harm_suspected recognised_as_victim impact_on_child_assessed
all_children_considered prebirth_assessment history_considered coercive_control_considered
separation_risk_considered child_seen child_seen_alone voice_recorded voice_method voice_police
voice_health voice_probation voice_informed_plan child_safety_plan child_recovery_support
routine_enquiry adult_services_considered_children perpetrator_identified
perpetrator_history_checked perpetrator_engaged perpetrator_in_plan perpetrator_intervention
interim_risk_management written_agreement protective_orders orders_shared police_powers_used
father_engaged contact_with_abusing_parent contact_risk_assessed risk_tool risk_level
dash_score marac_referred marac_child_discussed marac_outcome_shared nap_risk_assessed
safety_plan safety_plan_shared safety_plan_breached breach_challenged
plan_shares_responsibility idva_support referral_decision_date strategy_discussion_held
strategy_discussion_date agencies_at_meetings professional_disagreement escalation_raised
escalation_resolved stepped_down_or_closed risk_reduction_evidenced probation_stayed_involved
school_notified_date dvds_disclosure dvds_shared gp_involved identity_considered
early_help_offered auditor_grade case_notes"""
COLUMNS = _COLUMN_NAMES.split()

# Answer by quality level: Excellent, Good, Requires improvement, Inadequate (Y/P/N).
_ANSWER_TEXT = """
recognised_as_victim YYPN  impact_on_child_assessed YYPN  all_children_considered YYPN
prebirth_assessment YYPN  history_considered YPPN  coercive_control_considered YYNN
separation_risk_considered YYPN  child_seen YYYN  child_seen_alone YYNN  voice_recorded YYPN
voice_police YPNN  voice_health YYNN  voice_probation YPNN  voice_informed_plan YYPN
child_safety_plan YPNN  child_recovery_support YYPN  routine_enquiry YYPN
adult_services_considered_children YYPN  perpetrator_history_checked YYPN
perpetrator_engaged YPNN  perpetrator_in_plan YYNN  interim_risk_management YYPN
orders_shared YYNN  police_powers_used YYPN  father_engaged YPNN  contact_risk_assessed YYPN
marac_child_discussed YYPN  marac_outcome_shared YYNN  nap_risk_assessed YYPP
safety_plan_shared YYPN  plan_shares_responsibility YYPN  idva_support YYYP  escalation_raised YYNN
escalation_resolved YYPN  risk_reduction_evidenced YYPN  probation_stayed_involved YYNN
dvds_shared YYNN  gp_involved YPNN  identity_considered YYPN  early_help_offered YYPN
agencies_at_meetings YYPN
"""
_ANSWER_TABLE = _ANSWER_TEXT.split()
ANSWERS = dict(zip(_ANSWER_TABLE[::2], _ANSWER_TABLE[1::2], strict=True))
WORD = {"Y": "Yes", "P": "Partly", "N": "No"}
UP = {"No": "Partly", "Partly": "Yes"}
DOWN = {"Yes": "Partly", "Partly": "No"}
LEVELS = "EGRI"
# Level defaults: strategy delay, school delay (working days), written agreement, intervention.
LEVEL_FACTS = {"E": (1, 0, "None", "Started"), "G": (1, 1, "With perpetrator", "Started"),
               "R": (3, 3, "With non-abusing parent", "Waiting list"),
               "I": (6, 5, "With non-abusing parent", "Not available")}
# Level default: working days from the referral to children's social care's decision.
DECISION_DELAY = {"E": 0, "G": 1, "R": 1, "I": 2}
AGENCIES = {"P": "Police", "C": "Children's social care", "H": "Health", "B": "Probation",
            "E": "Education", "Y": "Early years", "J": "Youth justice", "U": "Housing",
            "M": "Adult mental health", "S": "Substance misuse", "V": "Voluntary sector"}
GRADES = {"O": "Outstanding", "G": "Good", "R": "Requires improvement", "I": "Inadequate"}
# The tool's own calendar source (src/jtai_audit/calendar.py): bank holidays in England.
BANK_HOLIDAYS = frozenset(holidays.country_holidays("GB", subdiv="ENG", years=2025))
CHILD_ONLY = ["child_seen", "child_seen_alone", "voice_recorded", "voice_police", "voice_health",
              "voice_informed_plan", "child_safety_plan", "child_recovery_support"]


def c(level: str, age: int | None, legal: str, agencies: str, ref: tuple[int, int],
      grade: str = "", notes: str = "", **o: Any) -> dict[str, Any]:
    """One case: quality level, age (None = still unborn), status, agency codes, referral."""
    return {"level": level, "age": age, "legal": legal, "agencies": agencies, "ref": ref,
            "grade": grade, "notes": notes, **o}


# (prefix, name, audit day in Nov 2025, columns tilted up, columns tilted down, cases)
AREAS: list[tuple[str, str, int, str, str, list[dict[str, Any]]]] = [
    ("NM", "Northmoor", 3, "recognised_as_victim voice_recorded voice_informed_plan "
     "perpetrator_in_plan child_recovery_support history_considered father_engaged", "", [
        c("E", 5, "Child protection", "PCHBEUV", (2, 10), "O", "Child used bears and buttons "
          "to show who makes her feel safe; her circle of safety shapes the plan.", sibs=1,
          linked=1, harm=2, strategy=3, incidents=3, voice_method="bears and buttons; own words",
          protective_orders="DVPN; DVPO", written_agreement="With perpetrator",
          contact_with_abusing_parent="None", dvds_disclosure="Right to know"),
        c("E", None, "Child protection", "PCHB", (8, 18), "O", "Midwife's routine enquiry at "
          "booking led to an early referral; pre-birth assessment completed with both parents.",
          contact_with_abusing_parent="None"),
        c("G", 3, "Child in need", "PCHEY", (3, 3), "O", "Child protection plan ended after six "
          "months of sustained change; nursery reports the child is settled.", sibs=2,
          stepped=True, sh=True, decision=0, perpetrator_intervention="Completed",
          written_agreement="None", voice_method="play and observation"),
        c("E", 7, "Looked after", "PCHBEMV", (1, 20), "O", "Child with autism used a visual "
          "timetable to describe evenings at home; therapeutic support has started.", send=True,
          incidents=5, protective_orders="Bail conditions; Restraining order",
          voice_method="visual tools and own words"),
        c("G", 1, "Early help", "CHY", (1, 14), "", "Early help worker visits weekly; health "
          "visitor repeats routine enquiry at each contact.",
          perpetrator_intervention="Waiting list", gp_involved="Not recorded",
          voice_method="observation at home"),
        c("R", 4, "Child in need", "PCHE", (5, 12), "R", "Mother said \"it was just a lovers' "
          "tiff\" at the first visit; the child was seen with her at home."),
    ]),
    ("EB", "Eastbridge", 5, "voice_recorded voice_informed_plan child_safety_plan "
     "child_recovery_support voice_health", "perpetrator_engaged perpetrator_in_plan "
     "voice_probation father_engaged probation_stayed_involved", [
        c("G", 6, "Child protection", "PCHBESV", (2, 24), "G", "Child described hiding under the "
          "bed during incidents; her words are quoted in the plan. When the father came to the "
          "house in breach of the safety plan, a core group met the next day and the plan was "
          "reviewed.", sibs=1, breach="Yes", challenged="Yes",
          perpetrator_intervention="Waiting list", voice_method="three houses; own words",
          written_agreement="With non-abusing parent"),
        c("R", 2, "Child in need", "PCHBY", (4, 7), "G", "Probation report says an intervention "
          "will be delivered; none is available locally.", decision=2,
          perpetrator_intervention="Not available", voice_method="observation at nursery"),
        c("G", 5, "Early help", "PCEV", (6, 16), "", "Stepped down to early help after a period "
          "without incidents; school reports improved attendance.", stepped=True,
          voice_police="Not recorded", perpetrator_intervention="Planned",
          written_agreement="With both", voice_method="own words"),
        c("E", 7, "Child protection", "PCHBEUV", (3, 27), "O", "Perpetrator completed a programme; "
          "the child's safety plan was drawn with the child in pictures.",
          perpetrator_intervention="Completed", protective_orders="DAPO",
          dvds_disclosure="Right to ask", voice_method="drawings and own words"),
        c("R", 3, "Child in need", "PCHB", (7, 2), "", "Police log describes the children as "
          "caught in the crossfire.", sibs=1, voice_method="play", decision="Not recorded"),
        c("I", 6, "Child protection", "PCHBEM", (5, 20), "I", "Assessment describes the child as "
          "a witness to the abuse; all plan actions sit with the mother. The father came back to "
          "the home against the safety plan and nobody challenged it.", strategy=5,
          breach="Yes", challenged="No", perpetrator_intervention="Planned"),
    ]),
    ("KF", "Kingsford", 10, "prebirth_assessment routine_enquiry early_help_offered voice_health",
     "orders_shared dvds_shared marac_outcome_shared safety_plan_shared gp_involved "
     "agencies_at_meetings", [
        c("E", None, "Child in need", "PCHV", (9, 8), "O", "Specialist midwife referred at 12 "
          "weeks; the pre-birth panel agreed a plan with both parents.",
          contact_with_abusing_parent="None", perpetrator_intervention="Started"),
        c("G", 0, "Child protection", "PCHB", (2, 3), "G", "Pre-birth assessment identified the "
          "risk early; the baby was made subject to a plan at birth.", unborn=True, harm=3,
          strategy=0, protective_orders="DAPN; DAPO", voice_method="observation"),
        c("R", 4, "Child in need", "PCHEY", (4, 22), "R", "Nursery learned of the incident four "
          "days later, from the mother.", school=4, routine_enquiry="Not recorded",
          dvds_disclosure="Right to know", voice_method="play"),
        c("G", 6, "None", "PHEV", (6, 30), "", "School pastoral lead offers weekly sessions; "
          "the child drew the family and talked about feeling worried at night.",
          perpetrator_intervention="None", voice_method="drawing and own words",
          voice_health=None, gp_involved=None),
        c("R", 2, "Child protection", "PCHBYM", (3, 11), "", "Health visitor record refers to "
          "parental conflict at home.", strategy=3, sibs=1),
        c("I", 5, "Child protection", "PCHBES", (7, 21), "I", "Bail conditions were not shared "
          "with the school or the social worker.", strategy=None, school=6, decision=3,
          protective_orders="Bail conditions", incidents=4),
    ]),
    ("SM", "Saltmarsh", 12, "identity_considered idva_support",
     "adult_services_considered_children voice_health voice_probation impact_on_child_assessed "
     "plan_shares_responsibility", [
        c("G", 7, "Child in need", "PCHBEMS", (1, 28), "G", "Child has a severe learning "
          "disability and communicates with a few signs; seen at home and at school with her "
          "teaching assistant, who reads her signals. Substance misuse worker attends core groups.",
          send=True, child_seen_alone="N/A", agencies_at_meetings="Yes",
          voice_method="observation and signing with her teaching assistant"),
        c("R", 1, "Child protection", "PCHMS", (5, 6), "R", "Plan focuses on the mother's "
          "engagement with services; little about the baby's daily life. Strategy discussion "
          "minutes are on file but undated.", sibs=1, undated=True),
        c("I", 4, "Child in need", "PCHBM", (3, 18), "I", "Adult mental health notes record a "
          "volatile relationship; the children are not mentioned.", sibs=1, linked=2,
          stepped=True, sh=True, strategy=4, disagree=True, decision=1),
        c("G", 5, "Early help", "CHEM", (8, 4), "", "Family hub worker completed direct work at "
          "school; the mother is supported by an outreach worker. The child's father died when "
          "she was a baby; the mother's former partner never lived with the family.",
          father_engaged="N/A", contact_with_abusing_parent="None", decision=0,
          safety_plan_breached=None,
          perpetrator_intervention="None", voice_method="worry monsters",
          child_seen_alone=None, identity_considered=None, safety_plan_shared=None),
        c("R", 3, "Child in need", "PCHB", (6, 9), "", "Probation assessment refers to the "
          "children only as a factor in the adult's risk.", voice_probation="Not recorded",
          voice_method="observation"),
        c("E", 6, "Looked after", "PCHBEV", (2, 14), "O", "Assessment written with an interpreter "
          "reflects the family's faith and language; the child chose the words in the plan.",
          voice_method="own words, with an interpreter", dvds_disclosure="Right to know",
          protective_orders="Non-molestation order"),
    ]),
    ("FL", "Fernleigh", 17, "routine_enquiry idva_support",
     "escalation_raised risk_reduction_evidenced probation_stayed_involved "
     "marac_child_discussed history_considered", [
        c("G", 2, "Child protection", "PCHY", (4, 14), "G", "Health visitor challenged the "
          "decision to end the plan; the escalation led to a review and the plan continued.",
          disagree=True, escalation_raised="Yes", voice_method="observation at nursery"),
        c("R", 6, "Child in need", "PCHEB", (2, 19), "", "Plan ended after three months; the "
          "perpetrator's programme had not begun.", stepped=True,
          identity_considered="Not recorded", risk_reduction_evidenced="Not recorded",
          voice_method="own words"),
        c("I", 3, "None", "PCY", (5, 26), "R", "Case closed at review after the mother allowed "
          "him back into the home; there was never a safety plan.", stepped=True,
          perpetrator_intervention="None", safety_plan="No", decision=5),
        c("G", 7, "None", "HEV", (7, 9), "", "Child attends a group for children affected by "
          "domestic abuse and says home feels safer. Her father is not known; the mother's new "
          "partner, who assaulted her, never lived with them.", dvds_disclosure="Right to ask",
          father_engaged="N/A", contact_with_abusing_parent="None", decision=0,
          perpetrator_intervention="Not needed", voice_method="group work and own words"),
        c("I", 1, "Looked after", "PCHB", (3, 4), "I", "Six police notifications in a year, each "
          "closed as a single incident; no strategy discussion, MARAC referral or safety plan. "
          "The baby was later placed with a relative.", strategy=None, incidents=6,
          marac_referred="No", safety_plan="No", decision=6),
        c("R", 5, "Child protection", "PCHBESV", (6, 2), "R", "School disagreed with the decision "
          "to reduce visits but did not escalate. After a breach of the safety plan the plan "
          "was reviewed with the mother only.", disagree=True, strategy=4, breach="Yes",
          challenged="Partly", voice_method="own words"),
    ]),
    ("AC", "Ashcombe", 19, "", "recognised_as_victim impact_on_child_assessed "
     "coercive_control_considered voice_police voice_recorded perpetrator_history_checked "
     "prebirth_assessment all_children_considered", [
        c("R", 4, "Child in need", "PCHE", (1, 9), "R", "Child witnessed the incident from the "
          "stairs; no direct work is recorded since.", risk_tool="Other",
          father_engaged="Not recorded"),
        c("I", 0, "Child protection", "PCH", (2, 6), "I", "Referral recorded as a domestic "
          "incident; no pre-birth assessment before the birth, and no risk assessment with the "
          "mother.", unborn=True, risk_tool="None", risk_level="N/A", marac_referred="No",
          nap_risk_assessed="No"),
        c("I", 7, "Child protection", "PCHBESM", (4, 14), "", "Police record lists the mother as "
          "the only victim; the child is noted as present. Strategy discussion seven working "
          "days after the referral, across Easter; no safety plan.", linked=2, incidents=5,
          strategy=7, decision=3, safety_plan="No"),
        c("G", 6, "Child in need", "PCHEV", (5, 15), "R", "Social worker used a worry box with the "
          "child; school provides daily check-ins.", voice_method="worry box", decision=0,
          written_agreement="With both"),
        c("I", None, "Child in need", "CH", (8, 27), "I", "Midwife recorded concerns but there was "
          "no referral to the pre-birth team for several weeks.", sh=True),
        c("R", 5, "Child protection", "PCHBEM", (6, 23), "", "Strategy discussion held; probation "
          "was not invited to the first core group.", school="Not recorded", strategy=4,
          perpetrator_in_plan=None, father_engaged=None, voice_probation=None),
    ]),
]


def working_day(d: date) -> bool:
    return d.weekday() < 5 and d not in BANK_HOLIDAYS


def add_working_days(start: date, n: int) -> date:
    """The n-th working day after start (n=0: start itself if a working day, else the next)."""
    d = start
    while n == 0 and not working_day(d):
        d += timedelta(days=1)
    for _ in range(n):
        d += timedelta(days=1)
        while not working_day(d):
            d += timedelta(days=1)
    return d


def build_row(prefix: str, area: str, audit_day: int, up: list[str], down: list[str],
              n: int, s: dict[str, Any]) -> dict[str, Any]:
    lvl, age, legal, codes = s["level"], s["age"], s["legal"], s["agencies"]
    agencies = [name for code, name in AGENCIES.items() if code in codes]
    i = LEVELS.index(lvl)
    delay, school, agreement, intervention = LEVEL_FACTS[lvl]
    row: dict[str, Any] = {col: WORD[v[i]] for col, v in ANSWERS.items()}
    if lvl != "E":
        row |= {col: UP.get(row[col], row[col]) for col in up}
        row |= {col: DOWN.get(row[col], row[col]) for col in down}
    serious = legal in ("Child protection", "Looked after") or s.get("sh", False)
    risk = "High" if serious else "Medium" if legal == "Child in need" else "Standard"
    referral = date(2025, *s["ref"])
    harm = referral + timedelta(days=s["harm"]) if "harm" in s else None
    strategy = s.get("strategy", delay) if serious else None
    strategy_date = (None if strategy is None or s.get("undated")
                     else add_working_days(harm or referral, strategy))
    decision = s.get("decision", DECISION_DELAY[lvl])
    decided = decision if isinstance(decision, str) else add_working_days(referral, decision)
    # Children's social care decides on the referral before any strategy discussion it calls.
    assert not (isinstance(decided, date) and strategy_date and decided > strategy_date), prefix
    tool = s.get("risk_tool", "DARA" if prefix == "KF" and not serious else "DASH")
    incident = referral - timedelta(days=n % 2)
    attends = age is not None and age >= 2
    row |= {
        "case_id": f"{prefix}-{n:03d}", "area": area, "audit_date": date(2025, 11, audit_day),
        "child_age_years": age, "legal_status": legal, "agencies_involved": "; ".join(agencies),
        "unborn_at_referral": "Yes" if age is None or s.get("unborn") else "No",
        "child_send": "Yes" if s.get("send") else "No",
        "attends_setting": "Yes" if attends else "No",
        "siblings_in_household": s.get("sibs", 0), "other_children_linked": s.get("linked", 0),
        "referral_date": referral, "incident_date": incident, "harm_threshold_date": harm,
        "incidents_last_12_months": s.get("incidents", {"High": 3, "Medium": 2}.get(risk, 1)),
        "significant_harm_suspected": "Yes" if serious else "No",
        "referral_decision_date": decided,
        "strategy_discussion_held": "No" if strategy is None else "Yes",
        "strategy_discussion_date": strategy_date,
        "perpetrator_identified": "Yes", "perpetrator_intervention": intervention,
        "written_agreement": agreement, "protective_orders": "None", "dvds_disclosure": "None",
        "contact_with_abusing_parent": "None" if age is None
        else "Supervised" if serious else "Unsupervised",
        "risk_tool": tool, "risk_level": risk, "marac_referred": "Yes" if risk == "High" else "No",
        "dash_score": {"High": 14 + n % 5, "Medium": 10 + n % 4}.get(risk, 3 + n),
        "safety_plan": "Yes", "safety_plan_breached": s.get("breach", "No"),
        "breach_challenged": s.get("challenged"),
        "stepped_down_or_closed": "Yes" if s.get("stepped") else "No",
        "professional_disagreement": "Yes" if s.get("disagree") else "No",
        "auditor_grade": GRADES.get(s["grade"]), "case_notes": s["notes"] or None,
        "voice_method": None,
    }
    notified = s.get("school", school)
    row["school_notified_date"] = ("N/A" if not attends else notified if isinstance(notified, str)
                                   else add_working_days(incident, notified))
    row |= {k: v for k, v in s.items() if k in COLUMNS}
    apply_not_applicable(row, age, agencies)
    return row


def apply_not_applicable(row: dict[str, Any], age: int | None, agencies: list[str]) -> None:
    """Set N/A where the question does not apply, so answers stay internally consistent."""
    na: list[str] = []
    if age is None:
        na += CHILD_ONLY
    elif age < 3:
        na += ["child_seen_alone"]
    if age is not None and age < 4:
        na += ["child_safety_plan"]
    checks = {
        "voice_police": "Police" not in agencies, "police_powers_used": "Police" not in agencies,
        "voice_health": "Health" not in agencies, "routine_enquiry": "Health" not in agencies,
        "voice_probation": "Probation" not in agencies,
        "adult_services_considered_children": not {"Probation", "Adult mental health",
                                                   "Substance misuse"} & set(agencies),
        "prebirth_assessment": row["unborn_at_referral"] != "Yes",
        "interim_risk_management": row["perpetrator_intervention"] not in (
            "Planned", "Waiting list", "Not available"),
        "orders_shared": row["protective_orders"] == "None",
        "contact_risk_assessed": row["contact_with_abusing_parent"] == "None",
        "marac_child_discussed": row["marac_referred"] != "Yes",
        "marac_outcome_shared": row["marac_referred"] != "Yes",
        "safety_plan_shared": row["safety_plan"] != "Yes",
        "safety_plan_breached": row["safety_plan"] != "Yes",
        # A blank breach question (unanswered) leaves its follow-up blank too.
        "breach_challenged": row["safety_plan_breached"] not in ("Yes", None),
        "escalation_raised": row["professional_disagreement"] != "Yes",
        "escalation_resolved": row["professional_disagreement"] != "Yes"
        or row["escalation_raised"] not in ("Yes", "Partly"),
        "risk_reduction_evidenced": row["stepped_down_or_closed"] != "Yes",
        "probation_stayed_involved": row["stepped_down_or_closed"] != "Yes"
        or "Probation" not in agencies,
        "dvds_shared": row["dvds_disclosure"] == "None",
        "early_help_offered": row["legal_status"] in ("Child protection", "Looked after"),
        "agencies_at_meetings": row["strategy_discussion_held"] != "Yes"
        and row["legal_status"] not in ("Child in need", "Child protection", "Looked after"),
    }
    na += [col for col, not_applicable in checks.items() if not_applicable]
    row |= dict.fromkeys(na, "N/A")
    if row["risk_tool"] != "DASH":
        row["dash_score"] = None


def write_workbook(rows: list[dict[str, Any]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Cases"
    ws.append(COLUMNS)
    for row in rows:
        ws.append([row.get(col) for col in COLUMNS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "C2"
    for idx, col in enumerate(COLUMNS, start=1):
        cells = list(ws.iter_rows(min_row=2, min_col=idx, max_col=idx))
        widths = [len(col)] + [len(str(r[0].value or "")) for r in cells]
        for (cell,) in cells:
            if isinstance(cell.value, date):
                cell.number_format = "dd/mm/yyyy"
            if col == "case_notes":
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[get_column_letter(idx)].width = min(max(widths) + 2, 60)
    wb.properties.creator = "jtai-audit examples/build_cases.py"
    wb.properties.created = wb.properties.modified = FIXED_TIME
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()
    # Re-pack with fixed timestamps so the bytes do not depend on when the script ran.
    stable = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(stable, "w") as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info.filename))
    return stable.getvalue()


def main() -> None:
    rows = [build_row(prefix, name, day, up.split(), down.split(), n, spec)
            for prefix, name, day, up, down, cases in AREAS
            for n, spec in enumerate(cases, start=1)]
    OUT.write_bytes(write_workbook(rows))
    print(f"wrote {OUT.name}: {len(rows)} cases, {len(COLUMNS)} columns")


if __name__ == "__main__":
    main()
