"""`jtai-audit serve`: open the data folder, bind 127.0.0.1, print the one-time link."""

from __future__ import annotations

import contextlib
import logging
import socket
import sys
import webbrowser
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from ..errors import ExitCode, UsageError
from .app import create_app
from .security import Sessions
from .store import Store, private_folder

LOCK_NAME = "serve.lock"
HOST = "127.0.0.1"  # fixed: a shared server would need sign-in and TLS, which this is not


def default_folder() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("jtai-audit", appauthor=False)) / "workspace"


@contextlib.contextmanager
def only_one(folder: Path) -> Iterator[None]:
    """One `serve` per data folder: a second one is refused in one line."""
    handle: IO[str] = (folder / LOCK_NAME).open("a")
    try:
        try:
            import fcntl

            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except ImportError:  # Windows: msvcrt locks a byte range instead
            import msvcrt

            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
        except OSError:
            raise UsageError(f"another jtai-audit serve is using {folder}: use the page it "
                             "opened, or stop it (Ctrl+C) first") from None
        yield
    finally:
        handle.close()


def bind(port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((HOST, port))
    except OSError as exc:
        sock.close()
        raise UsageError(f"cannot listen on {HOST}:{port} ({exc.strerror}): give another "
                         "--port") from None
    sock.listen(64)
    return sock


def serve(data: Path | None = None, port: int = 0, max_upload_mb: float = 20,
          open_browser: bool = True) -> int:
    """Run the workspace until Ctrl+C; the exit code follows the contract."""
    import uvicorn

    if max_upload_mb <= 0:
        raise UsageError("--max-upload must be more than 0 MB")
    if not 0 <= port <= 65535:
        raise UsageError(f"--port {port}: give a port from 1 to 65535")
    folder = private_folder(data if data is not None else default_folder())
    with only_one(folder):
        store = Store(folder)
        try:
            sessions = Sessions()
            app = create_app(store, sessions, int(max_upload_mb * 1024 * 1024))
            sock = bind(port)
            url = f"http://{HOST}:{sock.getsockname()[1]}/?token={sessions.token}"
            logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
            print(url, flush=True)
            print(f"jtai-audit workspace: data in {folder}; press Ctrl+C to stop",
                  file=sys.stderr, flush=True)
            if open_browser:
                webbrowser.open(url)
            config = uvicorn.Config(app, log_level="warning", access_log=False,
                                    server_header=False, date_header=False)
            uvicorn.Server(config).run(sockets=[sock])
        finally:
            store.close()
    return int(ExitCode.OK)
