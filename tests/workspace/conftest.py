from __future__ import annotations

import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from jtai_audit.workspace.app import create_app
from jtai_audit.workspace.security import Sessions
from jtai_audit.workspace.store import Store

ROOT = Path(__file__).resolve().parents[2]
RETURNS = ROOT / "examples" / "returns"
RESOLVED = ROOT / "examples" / "returns-resolved"
SAME_ORIGIN = {"Sec-Fetch-Site": "same-origin"}
BASE = "http://127.0.0.1:8765"


@dataclass
class Workspace:
    store: Store
    sessions: Sessions
    client: TestClient
    folder: Path

    def post(self, url: str, **kwargs: object):  # type: ignore[no-untyped-def]
        headers = {**SAME_ORIGIN, **kwargs.pop("headers", {})}  # type: ignore[dict-item]
        return self.client.post(url, headers=headers, **kwargs)  # type: ignore[arg-type]


def client_for(store: Store, sessions: Sessions, max_upload: int = 20 * 1024 * 1024,
               follow: bool = True) -> TestClient:
    return TestClient(create_app(store, sessions, max_upload), base_url=BASE,
                      follow_redirects=follow)


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    """A workspace over an empty data folder, signed in with its one-time link."""
    store = Store(tmp_path / "data")
    sessions = Sessions()
    client = client_for(store, sessions)
    assert client.get(f"/?token={sessions.token}").status_code == 200
    yield Workspace(store, sessions, client, tmp_path / "data")
    store.close()


def upload(paths: list[Path]) -> list[tuple[str, tuple[str, bytes]]]:
    return [("returns", (p.name, p.read_bytes())) for p in paths]
