"""The workspace's pages: one small function per route, over Jinja2 templates.

Every figure and message comes from `pipeline` (the functions the CLI calls); the views
only choose what to show and where the files go.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Any

from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from . import actions, pipeline, rounds
from .pipeline import PipelineError
from .store import Action, Round

if TYPE_CHECKING:
    from .app import Workspace

Handler = Callable[[Request], Coroutine[Any, Any, Response]]
DOWNLOADS = {  # name in the URL: (stored kind, media type)
    "meeting-pack.xlsx": ("pack_xlsx", "application/vnd.openxmlformats-officedocument."
                                       "spreadsheetml.sheet"),
    "meeting-pack.md": ("pack_md", "text/markdown; charset=utf-8"),
    "meeting-pack.html": ("pack_html", "text/html; charset=utf-8"),
    "learning-summary.html": ("learning_html", "text/html; charset=utf-8"),
    "learning-summary.xlsx": ("learning_xlsx", "application/vnd.openxmlformats-"
                                               "officedocument.spreadsheetml.sheet"),
    "score.json": ("score_json", "application/json"),
    "merged-cases.xlsx": ("merged_xlsx", "application/vnd.openxmlformats-officedocument."
                                         "spreadsheetml.sheet"),
}
XLSX = DOWNLOADS["meeting-pack.xlsx"][1]


def routes(ws: Workspace) -> list[Route]:
    """Every route of the workspace, bound to it."""

    def bind(handler: Callable[[Workspace, Request], Coroutine[Any, Any, Response]]) -> Handler:
        async def call(request: Request) -> Response:
            return await handler(ws, request)
        return call

    table: list[tuple[str, Any, list[str]]] = [
        ("/", home, ["GET"]),
        ("/favicon.ico", favicon, ["GET"]),
        ("/example", example, ["POST"]),
        ("/rounds/new", new_round, ["GET", "POST"]),
        ("/rounds/{round_id:int}", round_page, ["GET"]),
        ("/rounds/{round_id:int}/sample", sample_page, ["GET", "POST"]),
        ("/rounds/{round_id:int}/sample.csv", sample_csv, ["GET"]),
        ("/rounds/{round_id:int}/templates", templates_page, ["GET"]),
        ("/rounds/{round_id:int}/templates/{agency:int}", agency_template, ["GET"]),
        ("/rounds/{round_id:int}/returns", returns_page, ["GET", "POST"]),
        ("/rounds/{round_id:int}/returns/{file_id:int}/remove", remove_return, ["POST"]),
        ("/rounds/{round_id:int}/score", score_page, ["GET", "POST"]),
        ("/rounds/{round_id:int}/pack.html", pack_html, ["GET"]),
        ("/rounds/{round_id:int}/learning.html", learning_html, ["GET"]),
        ("/rounds/{round_id:int}/download/{name}", download, ["GET"]),
        ("/rounds/{round_id:int}/actions", actions_page, ["GET", "POST"]),
        ("/rounds/{round_id:int}/next", next_round, ["GET", "POST"]),
        ("/rounds/{round_id:int}/trend", trend_page, ["GET"]),
        ("/rounds/{round_id:int}/trend.html", trend_html, ["GET"]),
        ("/rounds/{round_id:int}/export.zip", export, ["GET"]),
        ("/rounds/{round_id:int}/history", history, ["GET"]),
        ("/rounds/{round_id:int}/delete", delete_round, ["GET", "POST"]),
    ]
    return [Route(path, bind(handler), methods=methods) for path, handler, methods in table]


def _round(ws: Workspace, request: Request) -> Round:
    found = ws.store.round(int(request.path_params["round_id"]))
    if found is None:
        raise HTTPException(404, "No such round")
    return found


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


async def _form(request: Request) -> Any:
    return await request.form(max_files=100, max_fields=400)


def _uploads(form: Any, name: str) -> list[UploadFile]:
    return [item for item in form.getlist(name)
            if isinstance(item, UploadFile) and item.filename]


# home and new rounds ------------------------------------------------------------------
async def home(ws: Workspace, request: Request) -> Response:
    listed = rounds.overview(ws.store)
    return ws.page(request, "home.html", rounds=listed)


async def favicon(ws: Workspace, request: Request) -> Response:
    """No icon (no GOV.UK favicon): an empty answer, so browsers stop asking."""
    return Response(status_code=204)


async def example(ws: Workspace, request: Request) -> Response:
    round_id = rounds.open_example(ws.store, ws.work)
    return _see_other(f"/rounds/{round_id}")


async def new_round(ws: Workspace, request: Request) -> Response:
    if request.method == "GET":
        return ws.page(request, "new_round.html", errors=[], values={})
    form = await _form(request)
    title = str(form.get("title") or "").strip()
    errors: list[dict[str, str]] = []
    if not title:
        errors.append({"text": "Enter a title for the round", "href": "#title"})
    variant = _uploads(form, "rubric")
    problems: list[str] = []
    data = await variant[0].read() if variant else None
    if data is not None:
        ok, problems = rounds.check_variant(ws.work, data)
        if not ok:
            errors.append({"text": "The rubric has errors: fix them, or leave it out to use "
                                   "the bundled rubric", "href": "#rubric"})
    if errors:
        return ws.page(request, "new_round.html", status=422, errors=errors,
                       values={"title": title}, problems=problems)
    round_id = ws.store.create_round(title)
    if data is not None and variant:
        ws.store.add_file(round_id, "rubric", pipeline.safe_name(variant[0].filename or
                                                                 "rubric.yaml"), data,
                          event="rubric uploaded")
    return _see_other(f"/rounds/{round_id}")


# one round ------------------------------------------------------------------------------
async def round_page(ws: Workspace, request: Request) -> Response:
    found = _round(ws, request)
    return ws.page(request, "round.html", round=found,
                   tasks=rounds.tasks(ws.store, ws.work, found))


async def history(ws: Workspace, request: Request) -> Response:
    found = _round(ws, request)
    return ws.page(request, "history.html", round=found,
                   events=ws.store.events(found.id))


async def sample_page(ws: Workspace, request: Request) -> Response:
    found = _round(ws, request)
    if request.method == "GET":
        return ws.page(request, "sample.html", round=found, errors=[], values={},
                       drawn=rounds.drawn(ws.store, found))
    form = await _form(request)
    values = {key: str(form.get(key) or "").strip() for key in ("size", "by", "seed")}
    lists = _uploads(form, "case_list")
    errors = rounds.sample_errors(values, bool(lists))
    if not errors:
        try:
            await rounds.draw(ws.store, ws.work, found, lists[0], values)
        except PipelineError as exc:
            errors = [{"text": exc.message, "href": "#case_list"}]
    if errors:
        return ws.page(request, "sample.html", status=422, round=found, errors=errors,
                       values=values, drawn=rounds.drawn(ws.store, found))
    return _see_other(f"/rounds/{found.id}/sample")


async def sample_csv(ws: Workspace, request: Request) -> Response:
    found = _round(ws, request)
    stored = ws.store.files_of(found.id, "sample")
    if not stored:
        raise HTTPException(404, "No sample drawn yet")
    return _file(ws.store.read(stored[-1]), "sample.csv", "text/csv; charset=utf-8")


async def templates_page(ws: Workspace, request: Request) -> Response:
    found = _round(ws, request)
    return ws.page(request, "templates.html", round=found,
                   agencies=rounds.agency_rows(ws.store, found),
                   sampled=bool(ws.store.files_of(found.id, "sample")))


async def agency_template(ws: Workspace, request: Request) -> Response:
    found = _round(ws, request)
    names = rounds.agency_names(ws.store, found)
    index = int(request.path_params["agency"])
    if not 0 <= index < len(names):
        raise HTTPException(404, "No such agency")
    data = rounds.template_for(ws.store, ws.work, found, names[index])
    return _file(data, f"{pipeline.safe_name(names[index])} return.xlsx", XLSX)


async def returns_page(ws: Workspace, request: Request) -> Response:
    found = _round(ws, request)
    refused: list[dict[str, str]] = []
    if request.method == "POST":
        form = await _form(request)
        files = _uploads(form, "returns")
        if not files:
            refused = [{"text": "Select one or more agency returns to upload",
                        "href": "#returns"}]
        for upload in files:
            problem = rounds.add_return(ws.store, ws.work, found, upload.filename or "",
                                        await upload.read())
            if problem is not None:
                refused.append({"text": problem, "href": "#returns"})
        if not refused:
            rounds.returns_view(ws.store, ws.work, found, record=True)
            return _see_other(f"/rounds/{found.id}/returns")
    state = rounds.returns_view(ws.store, ws.work, found, record=request.method == "POST")
    return ws.page(request, "returns.html", status=422 if refused else 200, round=found,
                   refused=refused, **state)


async def remove_return(ws: Workspace, request: Request) -> Response:
    found = _round(ws, request)
    stored = ws.store.file(int(request.path_params["file_id"]))
    if stored is None or stored.round_id != found.id or stored.kind != "return":
        raise HTTPException(404, "No such return")
    ws.store.remove_file(stored.id, "return removed")
    return _see_other(f"/rounds/{found.id}/returns")


async def score_page(ws: Workspace, request: Request) -> Response:
    found = _round(ws, request)
    errors: list[dict[str, str]] = []
    if request.method == "POST":
        try:
            rounds.score(ws.store, ws.work, found)
            return _see_other(f"/rounds/{found.id}/score")
        except PipelineError as exc:
            errors = [{"text": exc.message, "href": "#score"}]
        found = _round(ws, request)
    return ws.page(request, "score.html", status=422 if errors else 200, round=found,
                   errors=errors, **rounds.score_view(ws.store, found))


def _stored(ws: Workspace, found: Round, kind: str) -> bytes:
    stored = ws.store.files_of(found.id, kind)
    if not stored:
        raise HTTPException(404, "The round has not been scored yet")
    return ws.store.read(stored[-1])


async def pack_html(ws: Workspace, request: Request) -> Response:
    """The meeting pack as `score` wrote it, under its own CSP (see security.PACK_CSP)."""
    found = _round(ws, request)
    return Response(_stored(ws, found, "pack_html"), media_type="text/html; charset=utf-8")


async def learning_html(ws: Workspace, request: Request) -> Response:
    found = _round(ws, request)
    return Response(_stored(ws, found, "learning_html"), media_type="text/html; charset=utf-8")


async def download(ws: Workspace, request: Request) -> Response:
    found = _round(ws, request)
    name = request.path_params["name"]
    if name not in DOWNLOADS:
        raise HTTPException(404, "No such file")
    kind, media = DOWNLOADS[name]
    return _file(_stored(ws, found, kind), name, media)


async def actions_page(ws: Workspace, request: Request) -> Response:
    found = _round(ws, request)
    errors: list[dict[str, str]] = []
    if request.method == "POST":
        form = await _form(request)
        edits = {key: str(value) for key, value in form.multi_items()
                 if isinstance(value, str)}
        errors = actions.save_actions(ws.store, found, edits)
        if not errors:
            return _see_other(f"/rounds/{found.id}/actions?saved=1")
    view = actions.actions_view(ws.store, ws.work, found)
    return ws.page(request, "actions.html", status=422 if errors else 200, round=found,
                   errors=errors, saved="saved" in request.query_params, **view)


async def next_round(ws: Workspace, request: Request) -> Response:
    found = _round(ws, request)
    if request.method == "GET":
        return ws.page(request, "next.html", round=found, errors=[],
                       carried=actions.open_actions(ws.store, ws.work, found))
    form = await _form(request)
    title = str(form.get("title") or "").strip()
    if not title:
        return ws.page(request, "next.html", status=422, round=found,
                       errors=[{"text": "Enter a title for the next round", "href": "#title"}],
                       carried=actions.open_actions(ws.store, ws.work, found))
    round_id = actions.start_next(ws.store, ws.work, found, title)
    return _see_other(f"/rounds/{round_id}")


async def trend_page(ws: Workspace, request: Request) -> Response:
    found = _round(ws, request)
    return ws.page(request, "trend.html", round=found,
                   **rounds.trend_view(ws.store, ws.work, found))


async def trend_html(ws: Workspace, request: Request) -> Response:
    found = _round(ws, request)
    made = rounds.trend_report(ws.store, ws.work, found)
    if made is None:
        raise HTTPException(404, "A trend needs two scored rounds")
    return Response(made.html, media_type="text/html; charset=utf-8")


async def export(ws: Workspace, request: Request) -> Response:
    found = _round(ws, request)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for folder, name, data in rounds.export_files(ws.store, found):
            archive.writestr(f"{folder}/{name}" if folder else name, data)
    ws.store.record("round exported", found.id)
    return _file(buffer.getvalue(), f"round-{found.id}.zip", "application/zip")


async def delete_round(ws: Workspace, request: Request) -> Response:
    found = _round(ws, request)
    if request.method == "GET":
        return ws.page(request, "delete.html", round=found)
    ws.store.delete_round(found.id)
    return _see_other("/")


def _file(data: bytes, name: str, media: str) -> Response:
    return Response(data, media_type=media, headers={
        "content-disposition": f"attachment; filename=\"{name}\""})


def temporary(work: Path, data: bytes, suffix: str) -> Path:
    work.mkdir(mode=0o700, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=work, suffix=suffix, delete=False) as handle:
        handle.write(data)
    return Path(handle.name)


__all__ = ["Action", "routes", "temporary"]
