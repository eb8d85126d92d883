"""The action plan in the workspace: edited in the page, carried into the next round.

Owner, due date and status are kept per rule in the store (notes too, never printed);
the next round starts with last round's pack whose plan holds those edits, so `score
--actions` carries the open actions as the CLI does.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from . import pipeline
from .rounds import score_document_of, shown
from .store import Action, Round, Store


def actions_view(store: Store, work: Path, found: Round) -> dict[str, Any]:
    stored = store.files_of(found.id, "pack_xlsx")
    rows = pipeline.action_rows(store.path_of(stored[-1])) if stored else []
    edits = store.actions(found.id)
    items = []
    for row in rows:
        rule = str(row["Rule"])
        edit = edits.get(rule)
        items.append({
            "rule": rule, "title": row["Title"], "finding": row["Finding"],
            "rate": shown(row["Rate (%)"]), "cases": shown(row["Cases judged"]),
            "owner_agency": row["Owner agency"] or "", "action": row["Recommended action"],
            "owner": edit.owner if edit else str(row["Owner"] or ""),
            "due": edit.due if edit else _date(row["Due date"]),
            "status": edit.status if edit else str(row["Status"] or ""),
            "notes": edit.notes if edit else "",
        })
    document = score_document_of(store, found) or {}
    carried = [{"rule": a["rule"], "owner": a.get("owner") or "", "status": a.get("status")
                or "", "before": shown(a.get("rate_before")), "now": shown(a.get("rate_now")),
                "overdue": "Overdue" if a.get("overdue") else ""}
               for a in document.get("actions", []) or []]
    return {"items": items, "statuses": pipeline.ACTION_STATUSES, "carried": carried}


def _date(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else str(value)


def save_actions(store: Store, found: Round, form: dict[str, str]) -> list[dict[str, str]]:
    rules = sorted({key.split(":", 1)[1] for key in form if key.startswith("status:")})
    errors = []
    for rule in rules:
        due = form.get(f"due:{rule}", "").strip()
        status = form.get(f"status:{rule}", "").strip()
        if due:
            try:
                dt.date.fromisoformat(due)
            except ValueError:
                errors.append({"text": f"{rule}: enter the due date as year-month-day, for "
                                       "example 2027-03-31", "href": f"#due-{rule}"})
        if status and status not in pipeline.ACTION_STATUSES:
            errors.append({"text": f"{rule}: choose a status", "href": f"#status-{rule}"})
    if errors:
        return errors
    current = store.actions(found.id)
    for rule in rules:
        action = Action(rule, form.get(f"owner:{rule}", "").strip(),
                        form.get(f"due:{rule}", "").strip(),
                        form.get(f"status:{rule}", "").strip(),
                        form.get(f"notes:{rule}", "").strip())
        if current.get(rule) != action and (rule in current or any(
                (action.owner, action.due, action.status, action.notes))):
            store.save_action(found.id, action)
    return []


def open_actions(store: Store, work: Path, found: Round) -> list[dict[str, str]]:
    view = actions_view(store, work, found)
    return [{"rule": i["rule"], "owner": i["owner"], "status": i["status"] or "Not started"}
            for i in view["items"] if i["status"] not in ("Done", "Dropped")
            and (i["owner"] or i["status"] or i["due"])]


def start_next(store: Store, work: Path, found: Round, title: str) -> int:
    round_id = store.create_round(title, previous_id=found.id)
    for rubric in store.files_of(found.id, "rubric"):
        store.add_file(round_id, "rubric", rubric.name, store.read(rubric),
                       event="rubric carried")
    pack = store.files_of(found.id, "pack_xlsx")
    if pack:
        edits = {rule: {"owner": a.owner, "due": a.due, "status": a.status, "notes": a.notes}
                 for rule, a in store.actions(found.id).items()}
        plan = pipeline.filled_plan(store.path_of(pack[-1]), edits)
        store.add_file(round_id, "carried_plan", "last-round-action-plan.xlsx", plan,
                       event="action plan carried")
    return round_id


# the trend ------------------------------------------------------------------------------
