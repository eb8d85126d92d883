"""The workspace's security, as DESIGN fixes it, in one ASGI middleware.

Loopback only (the server binds 127.0.0.1); a one-time token in the URL the command
prints, exchanged for an HttpOnly, SameSite=Strict session cookie; a Host header other
than localhost, 127.0.0.1 or [::1] gets 400 (DNS rebinding); a state-changing request
without `Sec-Fetch-Site: same-origin`/`none` or a matching Origin gets 403; a body over
the upload limit gets 413; every response `no-store` with a strict CSP (the meeting
pack's own, looser one on its route); the log line is method, route and status only.
"""

from __future__ import annotations

import hmac
import logging
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlencode

from starlette.datastructures import Headers
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Match, Router

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

COOKIE = "jtai_session"
HOSTS = ("localhost", "127.0.0.1", "[::1]")
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
PAGE_CSP = ("default-src 'self'; base-uri 'none'; form-action 'self'; "
            "frame-ancestors 'none'")
PACK_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
PUBLIC = ("/static/", "/favicon.ico")  # no secrets: styles, scripts and an empty icon
log = logging.getLogger("jtai_audit.workspace")


@dataclass
class Sessions:
    """The one-time token and the sessions it opened (in memory: a restart signs out)."""

    token: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    used: bool = False
    sessions: set[str] = field(default_factory=set)

    def exchange(self, offered: str) -> str | None:
        if self.used or not hmac.compare_digest(offered.encode(), self.token.encode()):
            return None
        self.used = True
        session = secrets.token_urlsafe(32)
        self.sessions.add(session)
        return session

    def valid(self, session: str | None) -> bool:
        return session is not None and any(
            hmac.compare_digest(session.encode(), known.encode()) for known in self.sessions)


def host_allowed(host: str) -> bool:
    name = host.strip().lower()
    name = name[: name.find("]") + 1] if name.startswith("[") else name.rsplit(":", 1)[0]
    return name in HOSTS


def same_origin(headers: Headers, host: str) -> bool:
    site = headers.get("sec-fetch-site")
    if site is not None:
        return site in ("same-origin", "none")
    origin = headers.get("origin")
    return origin is not None and origin in (f"http://{host}",)


def _cookie(headers: Headers) -> str | None:
    for part in headers.get("cookie", "").split(";"):
        name, _, value = part.strip().partition("=")
        if name == COOKIE:
            return value
    return None


class Guard:
    """Every request passes here before any route sees it."""

    def __init__(self, app: ASGIApp, sessions: Sessions, max_upload: int,
                 router: Router | None = None, pack_prefixes: tuple[str, ...] = ()) -> None:
        self.app = app
        self.sessions = sessions
        self.max_upload = max_upload
        self.router = router
        self.pack_paths = pack_prefixes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = {"code": 0}
        pack = scope["path"].endswith(self.pack_paths) if self.pack_paths else False

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                headers = [(k, v) for k, v in message.get("headers", [])
                           if k.lower() not in (b"content-security-policy", b"cache-control")]
                headers += [
                    (b"content-security-policy", (PACK_CSP if pack else PAGE_CSP).encode()),
                    (b"cache-control", b"no-store"),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"no-referrer"),
                    (b"cross-origin-opener-policy", b"same-origin"),
                    (b"cross-origin-resource-policy", b"same-origin"),
                ]
                if not pack:
                    headers.append((b"x-frame-options", b"DENY"))
                message["headers"] = headers
            await send(message)

        try:
            response = self._refusal(scope)
            if response is None and scope["method"] not in SAFE_METHODS:
                receive, response = await self._body(receive)
            if response is not None:
                await response(scope, receive, send_with_headers)
            else:
                await self.app(scope, receive, send_with_headers)
        finally:
            log.info("%s %s %s", scope["method"], self._route(scope), status["code"])

    def _route(self, scope: Scope) -> str:
        """The route's pattern (`/rounds/{round_id}/returns`), never the path or its query."""
        if self.router is not None:
            for route in self.router.routes:
                match, _ = route.matches(scope)
                if match is Match.FULL:
                    return str(getattr(route, "path", "?"))
        return "/static/…" if scope["path"].startswith("/static/") else "(no route)"

    def _refusal(self, scope: Scope) -> Response | None:
        headers = Headers(scope=scope)
        host = headers.get("host", "")
        if not host_allowed(host):
            return PlainTextResponse("400 Bad Request: this workspace answers only on "
                                     "127.0.0.1 or localhost", status_code=400)
        method = scope["method"]
        if method not in SAFE_METHODS and not same_origin(headers, host):
            return PlainTextResponse("403 Forbidden: a request from another site",
                                     status_code=403)
        length = headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > self.max_upload:
            return _too_large()
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        if "token" in query:
            session = self.sessions.exchange(query["token"][0])
            if session is None:
                return PlainTextResponse(
                    "403 Forbidden: this sign-in link has been used or is out of date. "
                    "Run jtai-audit serve again and open the link it prints.", status_code=403)
            rest = {k: v for k, v in query.items() if k != "token"}
            target = scope["path"] + (f"?{urlencode(rest, doseq=True)}" if rest else "")
            response = RedirectResponse(target, status_code=303)
            response.set_cookie(COOKIE, session, httponly=True, samesite="strict", path="/")
            return response
        if scope["path"].startswith(PUBLIC):
            return None
        if not self.sessions.valid(_cookie(headers)):
            return PlainTextResponse(
                "403 Forbidden: not signed in. Open the link that jtai-audit serve printed "
                "(each link works once).", status_code=403)
        return None

    async def _body(self, receive: Receive) -> tuple[Receive, Response | None]:
        """The whole body read within the limit (whatever Content-Length said), then replayed."""
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_upload:
                return receive, _too_large()
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        sent = {"done": False}

        async def replay() -> Message:
            if sent["done"]:
                return await receive()
            sent["done"] = True
            return {"type": "http.request", "body": body, "more_body": False}

        return replay, None


def _too_large() -> Response:
    return PlainTextResponse("413 Content Too Large: the upload is over the workspace's limit "
                             "(jtai-audit serve --max-upload MB)", status_code=413)
