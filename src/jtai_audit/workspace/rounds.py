"""A round's steps over the store and the pipeline: what the pages show and do.

Nothing here judges a case or checks a cell: that is `pipeline`'s (the CLI's functions).
This module keeps the files in order and turns the commands' JSON into rows for pages.
"""

from __future__ import annotations

import contextlib
import importlib.resources
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from starlette.datastructures import UploadFile

from . import pipeline
from .pipeline import PipelineError
from .store import Round, Store, StoredFile

SHOWN_PROBLEMS = 200
EXAMPLE_TITLE = "Example round (the bundled example returns)"


def _rubric(store: Store, found: Round) -> Path | None:
    stored = store.files_of(found.id, "rubric")
    return store.path_of(stored[-1]) if stored else None


def _returns(store: Store, found: Round) -> list[tuple[str, Path]]:
    return [(f.name, store.path_of(f)) for f in store.files_of(found.id, "return")]


@contextlib.contextmanager
def _temporary(work: Path, data: bytes, suffix: str) -> Iterator[Path]:
    from .views import temporary

    path = temporary(work, data, suffix)
    try:
        yield path
    finally:
        path.unlink(missing_ok=True)


# the list of rounds ---------------------------------------------------------------------
def overview(store: Store) -> list[dict[str, Any]]:
    found = []
    for item in reversed(store.rounds()):
        returns = len(store.files_of(item.id, "return"))
        state = "Scored" if item.scored_at else f"{returns} return(s) in"
        found.append({"id": item.id, "title": item.title, "created": item.created_at[:10],
                      "state": state})
    return found


def example_files() -> list[Path]:
    """The example returns shipped with the package (or beside it, in a source checkout)."""
    with contextlib.suppress(ModuleNotFoundError, FileNotFoundError, TypeError):
        shipped = importlib.resources.files("jtai_audit.workspace.example")
        files = [Path(str(item)) for item in shipped.iterdir() if item.name.endswith(".xlsx")]
        if files:
            return sorted(files)
    checkout = Path(__file__).resolve().parents[3] / "examples" / "returns"
    return sorted(checkout.glob("*.xlsx"))


def open_example(store: Store, work: Path) -> int:
    round_id = store.create_round(EXAMPLE_TITLE)
    found = store.round(round_id)
    assert found is not None
    for path in example_files():
        add_return(store, work, found, path.name, path.read_bytes())
    return round_id


def check_variant(work: Path, data: bytes) -> tuple[bool, list[str]]:
    with _temporary(work, data, ".yaml") as path:
        try:
            return pipeline.check_rubric(path)
        except PipelineError as exc:
            return False, [exc.message, *exc.lines]


# the task list --------------------------------------------------------------------------
def _status(done: bool, text: str | None = None, can_start: bool = True) -> dict[str, Any]:
    if done:
        return {"text": text or "Completed"}
    if not can_start:
        return {"text": text or "Cannot start yet",
                "classes": "govuk-task-list__status--cannot-start-yet"}
    return {"tag": {"text": text or "Not yet started", "classes": "govuk-tag--blue"}}


def tasks(store: Store, work: Path, found: Round) -> list[dict[str, Any]]:
    base = f"/rounds/{found.id}"
    rubric = store.files_of(found.id, "rubric")
    sampled = bool(store.files_of(found.id, "sample"))
    returns = store.files_of(found.id, "return")
    scored = found.scored_at is not None
    stale = scored and any(f.added_at > (found.scored_at or "") for f in returns)
    edits = store.actions(found.id)
    previous = store.chain(found.id)[:-1]
    return [
        {"title": {"text": "Rubric"},
         "hint": {"text": f"Local variant: {rubric[-1].name}" if rubric else
                  "The bundled rubric (jtai-domestic-abuse)"},
         "status": _status(True)},
        {"title": {"text": "Draw the sample"}, "href": f"{base}/sample",
         "hint": {"text": "Optional: upload the case list and draw a stratified sample"},
         "status": _status(sampled, None if sampled else "Optional")},
        {"title": {"text": "Download each agency's template"}, "href": f"{base}/templates",
         "status": _status(False, "Available") if not returns else _status(True)},
        {"title": {"text": "Upload the agencies' returns"}, "href": f"{base}/returns",
         "hint": {"text": f"{len(returns)} file(s) uploaded"},
         "status": _status(bool(returns), "In progress" if returns else None)},
        {"title": {"text": "Score the round"}, "href": f"{base}/score" if returns else None,
         "status": _status(scored and not stale,
                           "Scored before the last upload: score again" if stale else None,
                           bool(returns))},
        {"title": {"text": "Read the meeting pack"},
         "href": f"{base}/score" if scored else None,
         "status": _status(False, "Ready" if scored else None, scored)},
        {"title": {"text": "Action plan"}, "href": f"{base}/actions" if scored else None,
         "status": _status(bool(edits), "In progress" if edits else None, scored)},
        {"title": {"text": "Start the next round"}, "href": f"{base}/next" if scored else None,
         "hint": {"text": "Carries the open actions"},
         "status": _status(False, None, scored)},
        {"title": {"text": "Trend across rounds"},
         "href": f"{base}/trend" if scored and previous else None,
         "hint": {"text": "Needs this round and an earlier one scored"},
         "status": _status(False, None, scored and bool(previous))},
    ]


# the sample -----------------------------------------------------------------------------
def sample_errors(values: dict[str, str], has_list: bool) -> list[dict[str, str]]:
    errors = []
    if not has_list:
        errors.append({"text": "Select the case list (.xlsx or .csv)", "href": "#case_list"})
    if not values["size"].isdigit() or int(values["size"]) < 1:
        errors.append({"text": "Enter how many cases to draw, as a whole number",
                       "href": "#size"})
    if values["seed"] and not values["seed"].isdigit():
        errors.append({"text": "The seed must be a whole number, or left blank",
                       "href": "#seed"})
    return errors


async def draw(store: Store, work: Path, found: Round, upload: UploadFile,
               values: dict[str, str]) -> None:
    name = pipeline.safe_name(upload.filename or "cases.xlsx")
    data = await upload.read()
    suffix = Path(name).suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise PipelineError(f"{name}: a case list is an .xlsx or .csv file")
    by = [part.strip() for part in values["by"].split(",") if part.strip()]
    seed = int(values["seed"]) if values["seed"] else None
    with _temporary(work, data, suffix) as path:
        pipeline.check_case_list(path, _rubric(store, found))
        drawn = pipeline.draw_sample(work, (name, path), int(values["size"]), by, seed,
                                     _rubric(store, found))
    used = next((line.rsplit("--seed ", 1)[1] for line in drawn.messages
                 if "--seed " in line), values["seed"] or "0")
    for old in store.files_of(found.id, "case_list"):
        store.remove_file(old.id, "case list replaced")
    store.add_file(found.id, "case_list", name, data, event="case list uploaded")
    old_sample = store.files_of(found.id, "sample")
    store.add_file(found.id, "sample", "sample.csv", drawn.csv,
                   replaces=old_sample[-1].id if old_sample else None)
    store.add_file(found.id, "sample_log", "sample.txt", "\n".join(drawn.messages).encode(),
                   replaces=_last_id(store, found, "sample_log"))
    store.set_sample(found.id, int(values["size"]), ", ".join(by),
                     int(used) if used.isdigit() else 0)


def _last_id(store: Store, found: Round, kind: str) -> int | None:
    stored = store.files_of(found.id, kind)
    return stored[-1].id if stored else None


def drawn(store: Store, found: Round) -> dict[str, Any] | None:
    sample = store.files_of(found.id, "sample")
    if not sample:
        return None
    ids = [line.split(",")[0] for line in store.read(sample[-1]).decode().splitlines()[1:]]
    log = store.files_of(found.id, "sample_log")
    messages = store.read(log[-1]).decode().splitlines() if log else []
    return {"ids": ids, "messages": messages, "size": found.sample_size,
            "by": found.sample_by, "seed": found.sample_seed}


# templates ------------------------------------------------------------------------------
def agency_names(store: Store, found: Round) -> list[str]:
    return pipeline.agencies(_rubric(store, found))


def agency_rows(store: Store, found: Round) -> list[dict[str, Any]]:
    return [{"name": name, "href": f"/rounds/{found.id}/templates/{index}"}
            for index, name in enumerate(agency_names(store, found))]


def template_for(store: Store, work: Path, found: Round, agency: str) -> bytes:
    sample = store.files_of(found.id, "sample")
    return pipeline.agency_template(work, agency,
                                    store.path_of(sample[-1]) if sample else None,
                                    _rubric(store, found))


# returns --------------------------------------------------------------------------------
def add_return(store: Store, work: Path, found: Round, filename: str,
               data: bytes) -> str | None:
    """Keep one uploaded return, replacing the same agency's; a refusal's message, or None."""
    name = pipeline.safe_name(filename)
    suffix = Path(name).suffix.lower()
    if suffix not in pipeline.SUFFIXES:
        store.record("upload refused: not a workbook", found.id)
        return f"{name}: not a workbook (an agency return is .xlsx, .xlsm or .csv)"
    with _temporary(work, data, suffix) as path:
        try:
            agency = pipeline.check_return(path, _rubric(store, found))
        except PipelineError as exc:
            store.record("upload refused", found.id, _sha(data))
            return f"{name}: {exc.message}"
    earlier = [f for f in store.files_of(found.id, "return")
               if (agency is not None and f.agency == agency) or f.name == name]
    for old in earlier[1:]:
        store.remove_file(old.id, "return replaced: earlier file removed")
    if earlier:
        store.record("return replaced: earlier file removed", found.id, earlier[0].sha256)
    store.add_file(found.id, "return", name, data, agency=agency,
                   replaces=earlier[0].id if earlier else None,
                   event="return replaced" if earlier else "return uploaded")
    return None


def _sha(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def _problem_line(problem: dict[str, Any]) -> str:
    column = f" ({problem['column']})" if problem.get("column") and problem.get("cell") else ""
    where = f" {problem['cell']}{column}" if problem.get("cell") else ""
    return f"{problem['file']}{where}: {problem['message']}"


def returns_view(store: Store, work: Path, found: Round, record: bool = False) -> dict[str, Any]:
    """The chasing list and problems by cell; `record`: the check goes into the events."""
    stored = store.files_of(found.id, "return")
    state = pipeline.round_state(work, _returns(store, found), _rubric(store, found))
    if record:
        store.record(f"returns validated: {len(state.errors)} error(s), "
                     f"{len(state.warnings)} warning(s)", found.id)
    by_agency: dict[str, Counter[str]] = {}
    for item in state.returns:
        by_agency.setdefault(item["agency"], Counter())[item["status"]] += 1
    chasing = []
    for agency, counts in by_agency.items():
        missing = state.missing.get(agency, [])
        chasing.append([
            {"text": agency},
            {"text": str(counts["returned"]), "format": "numeric"},
            {"text": str(counts["missing"] + counts["lead_missing"]), "format": "numeric"},
            {"text": str(counts["unreadable"]), "format": "numeric"},
            {"text": ", ".join(missing) if missing else "None awaited"},
        ])
    errors = [{"text": _problem_line(p)} for p in state.errors]
    warnings = [_problem_line(p) for p in state.warnings]
    files = [{"id": f.id, "name": f.name, "agency": f.agency or "Not read as one agency's",
              "added": f.added_at.replace("T", " ")[:16]} for f in stored]
    return {"files": files, "chasing": chasing, "problems": errors[:SHOWN_PROBLEMS],
            "more_errors": max(0, len(errors) - SHOWN_PROBLEMS),
            "warnings": warnings[:SHOWN_PROBLEMS],
            "more_warnings": max(0, len(warnings) - SHOWN_PROBLEMS),
            "conflicts": len(state.conflicts), "refused_run": state.refused,
            "messages": state.messages}


# scoring --------------------------------------------------------------------------------
def score(store: Store, work: Path, found: Round) -> None:
    files = _returns(store, found)
    if not files:
        raise PipelineError("Upload at least one return before scoring")
    plan = store.files_of(found.id, "carried_plan")
    scored = pipeline.score_round(work, files, _rubric(store, found),
                                  store.read(plan[-1]) if plan else None)
    outputs = dict(scored.outputs)
    outputs["score_log"] = ("score-messages.txt", "\n".join(scored.messages).encode())
    store.replace_outputs(found.id, outputs)
    store.set_scored(found.id)


def score_document_of(store: Store, found: Round) -> dict[str, Any] | None:
    import json

    stored = store.files_of(found.id, "score_json")
    if not stored:
        return None
    loaded: dict[str, Any] = json.loads(store.read(stored[-1]))
    return loaded


def shown(value: Any) -> str:
    return "–" if value is None else str(value)


def score_view(store: Store, found: Round) -> dict[str, Any]:
    document = score_document_of(store, found)
    if document is None:
        return {"summary": None, "messages": [], "downloads": []}
    summary = document["summary"]
    grades = ", ".join(f"{grade}: {count}" for grade, count in summary["grades"].items())
    concerns = summary.get("concerns", [])
    rows = [
        {"key": {"text": "Cases scored"}, "value": {"text": shown(summary["cases"])}},
        {"key": {"text": "Mean score"}, "value": {"text": shown(summary["mean_score"])}},
        {"key": {"text": "Indicative grades"}, "value": {"text": grades or "–"}},
        {"key": {"text": "Cases of immediate concern"},
         "value": {"text": shown(len(concerns))}},
        {"key": {"text": "Scored at"},
         "value": {"text": (found.scored_at or "").replace("T", " ")[:16] + " UTC"}},
    ]
    log = store.files_of(found.id, "score_log")
    messages = store.read(log[-1]).decode().splitlines() if log else []
    downloads = [
        ("meeting-pack.xlsx", "Meeting pack (Excel)"),
        ("meeting-pack.md", "Meeting pack (Markdown)"),
        ("meeting-pack.html", "Meeting pack (HTML file)"),
        ("learning-summary.html", "Learning summary, for sharing (HTML)"),
        ("learning-summary.xlsx", "Learning summary, for sharing (Excel)"),
        ("merged-cases.xlsx", "Merged case file (one row per child)"),
        ("score.json", "Scores as JSON"),
    ]
    return {"summary": rows, "messages": messages,
            "downloads": [{"href": f"/rounds/{found.id}/download/{n}", "text": t}
                          for n, t in downloads]}


# the action plan ------------------------------------------------------------------------
def trend_report(store: Store, work: Path, found: Round) -> pipeline.Trend | None:
    rounds = [r for r in store.chain(found.id) if store.files_of(r.id, "score_json")]
    if len(rounds) < 2:
        return None
    return pipeline.trend(work, [(r.title, store.path_of(store.files_of(r.id, "score_json")[-1]))
                                 for r in rounds])


def _either(entry: dict[str, Any], *keys: str) -> Any:
    return next((entry[k] for k in keys if k in entry), None)


def trend_view(store: Store, work: Path, found: Round) -> dict[str, Any]:
    made = trend_report(store, work, found)
    if made is None:
        return {"rows": [], "labels": [], "hard": []}
    rules = made.document.get("rules", {})
    rows = [[{"text": rule}, {"text": shown(v.get("before")), "format": "numeric"},
             {"text": shown(v.get("after")), "format": "numeric"},
             {"text": shown(v.get("change")), "format": "numeric"},
             {"text": f"{shown(_either(v, 'cases_before', 'before_cases'))} → "
                      f"{shown(_either(v, 'cases_after', 'after_cases'))}",
              "format": "numeric"}]
            for rule, v in rules.items()]
    labels = [r.title for r in store.chain(found.id) if store.files_of(r.id, "score_json")]
    return {"rows": rows, "labels": labels, "hard": made.document.get("hard_to_shift", [])}


# export ---------------------------------------------------------------------------------
FOLDERS = {"return": "returns", "rubric": "rubric", "case_list": "sample", "sample": "sample",
           "carried_plan": "", "merged_xlsx": "", "pack_html": "pack", "pack_xlsx": "pack",
           "pack_md": "pack", "learning_html": "learning", "learning_xlsx": "learning",
           "score_json": ""}


def export_files(store: Store, found: Round) -> Iterator[tuple[str, str, bytes]]:
    for kind, folder in FOLDERS.items():
        for stored in store.files_of(found.id, kind):
            yield folder, stored.name, store.read(stored)


__all__ = ["StoredFile"]
