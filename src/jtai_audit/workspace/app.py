"""The workspace application: its pages, the security guard around them, its files."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, PackageLoader, PrefixLoader, select_autoescape
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from . import views
from .security import Guard, Sessions
from .store import Store

HERE = Path(__file__).parent
PACK_ROUTES = ("/pack.html", "/learning.html", "/trend.html")


@dataclass
class Workspace:
    """What every view needs: the store, the pages' templates and the upload limit."""

    store: Store
    env: Environment
    max_upload: int

    @property
    def work(self) -> Path:
        return self.store.folder / "work"

    def page(self, request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        template = self.env.get_template(name)
        return HTMLResponse(template.render(request=request, **context), status_code=status)


def environment() -> Environment:
    loader = ChoiceLoader([
        PackageLoader("jtai_audit.workspace", "templates"),
        PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
    ])
    return Environment(loader=loader, autoescape=select_autoescape(["html"]),
                       trim_blocks=True, lstrip_blocks=True)


def create_app(store: Store, sessions: Sessions, max_upload: int = 20 * 1024 * 1024) -> Guard:
    """The Starlette app wrapped in its guard; nothing reaches a route unchecked."""
    workspace = Workspace(store, environment(), max_upload)
    routes = [*views.routes(workspace),
              Mount("/static", StaticFiles(directory=HERE / "static"), name="static")]
    app = Starlette(routes=routes)
    app.state.workspace = workspace
    return Guard(app, sessions, max_upload, app.router, PACK_ROUTES)


__all__ = ["Route", "Workspace", "create_app"]
