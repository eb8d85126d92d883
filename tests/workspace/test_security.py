"""Every refusal DESIGN fixes for the workspace, through Starlette's TestClient."""

from __future__ import annotations

import logging
import zipfile
from pathlib import Path

import pytest

from jtai_audit.workspace.security import PACK_CSP, PAGE_CSP, Sessions, host_allowed
from jtai_audit.workspace.store import Store

from .conftest import RETURNS, SAME_ORIGIN, Workspace, client_for, upload


@pytest.mark.parametrize("host", ["localhost", "localhost:8765", "127.0.0.1:8765", "[::1]:8765",
                                  "[::1]", "LOCALHOST:1"])
def test_loopback_hosts_are_allowed(host: str) -> None:
    assert host_allowed(host)


@pytest.mark.parametrize("host", ["evil.example", "127.0.0.1.evil.example:8765", "",
                                  "192.168.1.4:8765", "[::2]:8765", "localhost.evil:80"])
def test_other_hosts_get_400(workspace: Workspace, host: str) -> None:
    assert not host_allowed(host)
    response = workspace.client.get("/", headers={"Host": host})
    assert response.status_code == 400


def test_cross_site_post_gets_403(workspace: Workspace) -> None:
    response = workspace.client.post("/rounds/new", data={"title": "x"},
                                     headers={"Sec-Fetch-Site": "cross-site"})
    assert response.status_code == 403
    assert workspace.store.rounds() == []


def test_same_site_is_not_same_origin(workspace: Workspace) -> None:
    response = workspace.client.post("/rounds/new", data={"title": "x"},
                                     headers={"Sec-Fetch-Site": "same-site"})
    assert response.status_code == 403


def test_post_without_fetch_metadata_needs_a_matching_origin(workspace: Workspace) -> None:
    assert workspace.client.post("/rounds/new", data={"title": "x"}).status_code == 403
    refused = workspace.client.post("/rounds/new", data={"title": "x"},
                                    headers={"Origin": "http://evil.example"})
    assert refused.status_code == 403
    allowed = workspace.client.post("/rounds/new", data={"title": "x"},
                                    headers={"Origin": "http://127.0.0.1:8765"})
    assert allowed.status_code == 200
    assert [r.title for r in workspace.store.rounds()] == ["x"]


def test_no_session_gets_403_but_static_files_are_served(tmp_path: Path) -> None:
    store = Store(tmp_path / "data")
    client = client_for(store, Sessions())
    assert client.get("/").status_code == 403
    assert client.post("/example", headers=SAME_ORIGIN).status_code == 403
    assert client.get("/static/govuk-frontend.css").status_code == 200
    assert client.get("/favicon.ico").status_code == 204
    store.close()


def test_the_token_works_once(tmp_path: Path) -> None:
    store = Store(tmp_path / "data")
    sessions = Sessions()
    first = client_for(store, sessions, follow=False)
    response = first.get(f"/?token={sessions.token}")
    assert response.status_code == 303
    assert response.headers["location"] == "/"
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    assert first.get("/").status_code == 200
    stale = client_for(store, sessions)
    assert stale.get(f"/?token={sessions.token}").status_code == 403
    assert stale.get("/").status_code == 403
    assert client_for(store, sessions).get("/?token=guessed").status_code == 403
    store.close()


def test_a_wrong_token_does_not_burn_the_right_one(tmp_path: Path) -> None:
    store = Store(tmp_path / "data")
    sessions = Sessions()
    assert client_for(store, sessions).get("/?token=wrong").status_code == 403
    assert client_for(store, sessions).get(f"/?token={sessions.token}").status_code == 200
    store.close()


def test_oversized_upload_gets_413(tmp_path: Path) -> None:
    store = Store(tmp_path / "data")
    sessions = Sessions()
    client = client_for(store, sessions, max_upload=1000)
    client.get(f"/?token={sessions.token}")
    round_id = store.create_round("r")
    response = client.post(f"/rounds/{round_id}/returns", headers=SAME_ORIGIN,
                           files=upload([RETURNS / "police.xlsx"]))
    assert response.status_code == 413
    assert store.files_of(round_id, "return") == []
    store.close()


def test_oversized_body_without_content_length_gets_413(tmp_path: Path) -> None:
    store = Store(tmp_path / "data")
    sessions = Sessions()
    client = client_for(store, sessions, max_upload=1000)
    client.get(f"/?token={sessions.token}")

    def chunks():  # type: ignore[no-untyped-def]
        for _ in range(10):
            yield b"x" * 500

    response = client.post("/rounds/new", headers={**SAME_ORIGIN,
                                                    "Content-Type": "text/plain"},
                           content=chunks())
    assert response.status_code == 413
    store.close()


def test_a_zip_bomb_is_refused_by_the_readers_check(workspace: Workspace, tmp_path: Path) -> None:
    bomb = tmp_path / "police.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * 20_000_000)
    round_id = workspace.store.create_round("r")
    response = workspace.post(f"/rounds/{round_id}/returns", files=upload([bomb]))
    assert response.status_code == 422
    assert "zip bomb" in response.text
    assert workspace.store.files_of(round_id, "return") == []
    assert list((workspace.folder / "files").iterdir()) == []


@pytest.mark.parametrize(("name", "expected"), [
    ("text-named.xlsx", "not a readable .xlsx workbook"),
    ("entity-bomb.xlsx", "XML entities"),
    ("old.xls", "not a workbook (an agency return is .xlsx, .xlsm or .csv)"),
])
def test_files_that_are_not_workbooks_are_refused(workspace: Workspace, name: str,
                                                  expected: str) -> None:
    path = Path(__file__).resolve().parents[1] / "bad_input" / name
    round_id = workspace.store.create_round("r")
    response = workspace.post(f"/rounds/{round_id}/returns", files=upload([path]))
    assert response.status_code == 422
    assert expected.lower() in response.text.lower()
    assert workspace.store.files_of(round_id, "return") == []


def test_headers_on_pages_and_on_the_pack(workspace: Workspace) -> None:
    page = workspace.client.get("/")
    assert page.headers["content-security-policy"] == PAGE_CSP
    assert PAGE_CSP.startswith("default-src 'self'")
    assert page.headers["cache-control"] == "no-store"
    round_id = int(str(workspace.post("/example").url).rsplit("/", 1)[1])
    workspace.post(f"/rounds/{round_id}/score")
    pack = workspace.client.get(f"/rounds/{round_id}/pack.html")
    assert pack.status_code == 200
    assert pack.headers["content-security-policy"] == PACK_CSP == \
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    assert pack.headers["cache-control"] == "no-store"
    assert "<script" not in pack.text


def test_logs_carry_method_route_and_status_only(workspace: Workspace,
                                                 caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="jtai_audit.workspace")
    round_id = workspace.store.create_round("Family Name round")
    workspace.post(f"/rounds/{round_id}/returns", files=upload([RETURNS / "police.xlsx"]))
    workspace.client.get(f"/?token={workspace.sessions.token}")
    lines = [r.getMessage() for r in caplog.records]
    assert "POST /rounds/{round_id:int}/returns 303" in lines
    text = "\n".join(lines)
    assert "police" not in text and workspace.sessions.token not in text
    assert "Family" not in text
