"""The round, route by route, through the same functions as the CLI."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import openpyxl

from jtai_audit.commands.score import score_document

from .conftest import RESOLVED, RETURNS, Workspace, upload


def _round_id(response) -> int:  # type: ignore[no-untyped-def]
    return int(re.search(r"/rounds/(\d+)", str(response.url)).group(1))  # type: ignore[union-attr]


def test_an_empty_workspace_offers_the_example_round(workspace: Workspace) -> None:
    home = workspace.client.get("/")
    assert "Open the example round" in home.text
    response = workspace.post("/example")
    assert response.status_code == 200
    round_id = _round_id(response)
    assert len(workspace.store.files_of(round_id, "return")) == len(list(RETURNS.glob("*.xlsx")))
    assert "Open the example round" not in workspace.client.get("/").text


def test_create_a_round_needs_a_title(workspace: Workspace) -> None:
    response = workspace.post("/rounds/new", data={"title": " "})
    assert response.status_code == 422
    assert "There is a problem" in response.text and 'href="#title"' in response.text
    assert workspace.store.rounds() == []


def test_a_rubric_variant_is_checked_as_rubric_check_does(workspace: Workspace) -> None:
    broken = b"id: x\nversion: '1'\nextends: jtai-domestic-abuse\nparams:\n  nope: [\n"
    response = workspace.post("/rounds/new", data={"title": "r"},
                              files=[("rubric", ("local.yaml", broken))])
    assert response.status_code == 422
    assert "rubric-problems" in response.text
    variant = (b"id: anyshire-da\nversion: '1'\nextends: jtai-domestic-abuse\n"
               b"disable:\n  - rule: EARLY-1\n    reason: audited separately\n")
    created = workspace.post("/rounds/new", data={"title": "r"},
                             files=[("rubric", ("anyshire.yaml", variant))])
    assert created.status_code == 200
    assert "Local variant: anyshire.yaml" in created.text


def test_sample_and_templates(workspace: Workspace, tmp_path: Path) -> None:
    listing = tmp_path / "caseload.csv"
    listing.write_text("case_id,area\n" + "".join(f"C-{i},{'North' if i % 2 else 'South'}\n"
                                                  for i in range(40)))
    round_id = _round_id(workspace.post("/rounds/new", data={"title": "r"}))
    refused = workspace.post(f"/rounds/{round_id}/sample", data={"size": "x"})
    assert refused.status_code == 422 and "#case_list" in refused.text and "#size" in refused.text
    drawn = workspace.post(f"/rounds/{round_id}/sample",
                           data={"size": "6", "by": "area", "seed": "7"},
                           files=[("case_list", ("caseload.csv", listing.read_bytes()))])
    assert drawn.status_code == 200
    assert "6 cases drawn (seed 7, by area)" in drawn.text
    assert "North: 3 of 20" in drawn.text
    assert str(workspace.folder) not in drawn.text  # messages name no folder of the store
    sample = workspace.client.get(f"/rounds/{round_id}/sample.csv").text.lstrip("\ufeff").splitlines()
    assert sample[0] == "case_id,area" and len(sample) == 7
    page = workspace.client.get(f"/rounds/{round_id}/templates")
    assert "Police return template" in page.text
    template = workspace.client.get(f"/rounds/{round_id}/templates/0")
    assert template.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(template.content))
    ids = [row[0] for row in book["Cases"].iter_rows(min_row=2, values_only=True) if row[0]]
    assert ids == [line.split(",")[0] for line in sample[1:]]
    assert workspace.client.get(f"/rounds/{round_id}/templates/99").status_code == 404


def test_returns_chasing_list_and_problems_update_as_files_arrive(workspace: Workspace) -> None:
    round_id = _round_id(workspace.post("/rounds/new", data={"title": "r"}))
    first = workspace.post(f"/rounds/{round_id}/returns",
                           files=upload([RETURNS / "children-s-social-care.xlsx"]))
    assert first.status_code == 200
    assert "awaited" in first.text and "Police" in first.text
    both = workspace.post(f"/rounds/{round_id}/returns",
                          files=upload([RETURNS / "police.xlsx", RETURNS / "health.xlsx"]))
    assert both.status_code == 200
    files = workspace.store.files_of(round_id, "return")
    assert {f.agency for f in files} == {"Children's social care", "Police", "Health"}
    assert re.search(r"children-s-social-care\.xlsx Cases![A-Z]+\d+ \(\w+\): ", both.text)
    checked = [e.what for e in workspace.store.events(round_id) if "validated" in e.what]
    assert len(checked) == 2 and re.fullmatch(r"returns validated: \d+ error\(s\), \d+ "
                                              r"warning\(s\)", checked[-1])


def test_a_replaced_return_is_kept_in_the_events_and_deleted_from_disk(
        workspace: Workspace) -> None:
    round_id = _round_id(workspace.post("/rounds/new", data={"title": "r"}))
    workspace.post(f"/rounds/{round_id}/returns", files=upload([RETURNS / "police.xlsx"]))
    old = workspace.store.files_of(round_id, "return")[0]
    workspace.post(f"/rounds/{round_id}/returns", files=upload([RESOLVED / "police.xlsx"]))
    now = workspace.store.files_of(round_id, "return")
    assert len(now) == 1 and now[0].sha256 != old.sha256
    assert not (workspace.folder / "files" / old.stored).exists()
    events = [(e.what, e.sha256) for e in workspace.store.events(round_id)]
    assert ("return uploaded", old.sha256) in events
    assert ("return replaced: earlier file removed", old.sha256) in events
    assert ("return replaced", now[0].sha256) in events
    workspace.post(f"/rounds/{round_id}/returns/{now[0].id}/remove")
    assert workspace.store.files_of(round_id, "return") == []


def test_the_whole_round_and_the_next(workspace: Workspace) -> None:
    round_id = _round_id(workspace.post("/example"))
    assert "Cannot start yet" in workspace.client.get(f"/rounds/{round_id}").text
    scored = workspace.post(f"/rounds/{round_id}/score")
    assert scored.status_code == 200 and "The round is scored" in scored.text
    assert str(workspace.folder) not in scored.text
    # The same figures as `score` on the same returns: no second scorer.
    document = score_document([RETURNS])
    mean = document["summary"]["mean_score"]
    assert f"<dd class=\"govuk-summary-list__value\">\n      {mean}" in scored.text or \
        str(mean) in scored.text
    stored = json.loads(workspace.client.get(f"/rounds/{round_id}/download/score.json").content)
    assert stored["summary"]["mean_score"] == mean
    assert stored["summary"]["rules"] == document["summary"]["rules"]
    for name in ("meeting-pack.xlsx", "meeting-pack.md", "meeting-pack.html",
                 "learning-summary.html", "learning-summary.xlsx", "merged-cases.xlsx"):
        response = workspace.client.get(f"/rounds/{round_id}/download/{name}")
        assert response.status_code == 200, name
        assert "attachment" in response.headers["content-disposition"]
    assert workspace.client.get(f"/rounds/{round_id}/download/other").status_code == 404
    learning = workspace.client.get(f"/rounds/{round_id}/learning.html")
    assert learning.status_code == 200 and "NM-001" not in learning.text
    # The action plan: edited in the page, notes kept and never printed.
    plan = workspace.client.get(f"/rounds/{round_id}/actions")
    rule = re.search(r'name="status:([A-Z]+-\d+)"', plan.text).group(1)  # type: ignore[union-attr]
    bad = workspace.post(f"/rounds/{round_id}/actions",
                         data={f"status:{rule}": "In progress", f"due:{rule}": "soon"})
    assert bad.status_code == 422 and f"#due-{rule}" in bad.text
    saved = workspace.post(f"/rounds/{round_id}/actions", data={
        f"owner:{rule}": "Head of service", f"due:{rule}": "2020-01-31",
        f"status:{rule}": "In progress", f"notes:{rule}": "private note"})
    assert "The action plan is saved" in saved.text
    assert workspace.store.actions(round_id)[rule].notes == "private note"
    # The next round carries the open action; its pack shows it.
    nxt = workspace.client.get(f"/rounds/{round_id}/next")
    assert rule in nxt.text
    second = _round_id(workspace.post(f"/rounds/{round_id}/next", data={"title": "Autumn"}))
    assert second != round_id
    workspace.post(f"/rounds/{second}/returns", files=upload(sorted(RESOLVED.glob("*.xlsx"))))
    workspace.post(f"/rounds/{second}/score")
    carried = json.loads(workspace.client.get(f"/rounds/{second}/download/score.json").content)
    assert any(a["rule"] == rule and a["owner"] == "Head of service" and a["overdue"]
               for a in carried["actions"])
    pack = workspace.client.get(f"/rounds/{second}/download/meeting-pack.xlsx").content
    assert b"private note" not in pack
    assert "private note" not in workspace.client.get(f"/rounds/{second}/pack.html").text
    actions = workspace.client.get(f"/rounds/{second}/actions")
    assert "Carried from the last round" in actions.text
    # The trend across both rounds (compare).
    trend = workspace.client.get(f"/rounds/{second}/trend")
    assert trend.status_code == 200 and "trend-table" in trend.text
    report = workspace.client.get(f"/rounds/{second}/trend.html")
    assert report.status_code == 200 and "<script" not in report.text
    assert workspace.client.get(f"/rounds/{round_id}/trend.html").status_code == 404
    history = workspace.client.get(f"/rounds/{second}/history")
    assert "round scored" in history.text and "action plan carried" in history.text


def test_export_and_delete(workspace: Workspace) -> None:
    round_id = _round_id(workspace.post("/example"))
    workspace.post(f"/rounds/{round_id}/score")
    exported = workspace.client.get(f"/rounds/{round_id}/export.zip")
    names = zipfile.ZipFile(io.BytesIO(exported.content)).namelist()
    assert "returns/police.xlsx" in names and "merged-cases.xlsx" in names
    assert "pack/meeting-pack.html" in names and "score.json" in names
    stored = list((workspace.folder / "files").iterdir())
    assert stored
    assert "Delete" in workspace.client.get(f"/rounds/{round_id}/delete").text
    gone = workspace.post(f"/rounds/{round_id}/delete")
    assert gone.status_code == 200 and str(gone.url).endswith("/")
    assert list((workspace.folder / "files").iterdir()) == []
    assert workspace.client.get(f"/rounds/{round_id}").status_code == 404
    assert any(e.what == "round deleted" for e in workspace.store.events(round_id))


def test_pages_have_no_inline_script_or_style(workspace: Workspace) -> None:
    round_id = _round_id(workspace.post("/example"))
    workspace.post(f"/rounds/{round_id}/score")
    for path in ("/", "/rounds/new", f"/rounds/{round_id}", f"/rounds/{round_id}/returns",
                 f"/rounds/{round_id}/score", f"/rounds/{round_id}/actions",
                 f"/rounds/{round_id}/sample", f"/rounds/{round_id}/templates",
                 f"/rounds/{round_id}/next", f"/rounds/{round_id}/history",
                 f"/rounds/{round_id}/trend", f"/rounds/{round_id}/delete"):
        page = workspace.client.get(path)
        assert page.status_code == 200, path
        assert not re.search(r"<script(?![^>]*\bsrc=)", page.text), path
        assert "<style" not in page.text and " style=" not in page.text, path
        assert not re.search(r"\son\w+=", page.text), path
        assert "http://" not in page.text and "https://" not in page.text, path
