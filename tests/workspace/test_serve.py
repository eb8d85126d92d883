"""`jtai-audit serve` itself: one line to open, one serve per data folder, loopback only."""

from __future__ import annotations

import http.client
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from jtai_audit.errors import UsageError
from jtai_audit.workspace.serve import HOST, bind, only_one

SERVE = [sys.executable, "-c", "from jtai_audit.cli import main; main()", "serve"]


def test_a_second_serve_on_the_same_folder_is_refused(tmp_path: Path) -> None:
    with only_one(tmp_path), pytest.raises(UsageError, match="another jtai-audit serve"), \
            only_one(tmp_path):
        pass
    with only_one(tmp_path):  # free again once the first has stopped
        pass


def test_it_binds_loopback_only() -> None:
    sock = bind(0)
    try:
        assert sock.getsockname()[0] == HOST == "127.0.0.1"
    finally:
        sock.close()


def test_serve_prints_one_url_and_a_second_is_refused(tmp_path: Path) -> None:
    command = [*SERVE, "--data", str(tmp_path / "d"),
               "--no-browser"]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True)
    try:
        assert server.stdout is not None
        url = server.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:") and "/?token=" in url
        port = int(url.split(":")[2].split("/")[0])
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", url.split(str(port), 1)[1])
        response = connection.getresponse()
        assert response.status == 303  # the one-time link becomes a session cookie
        assert "HttpOnly" in (response.getheader("set-cookie") or "")
        connection.close()
        second = subprocess.run(command, capture_output=True, text=True, timeout=60)
        assert second.returncode == 2
        assert second.stderr.strip().count("\n") == 0
        assert "another jtai-audit serve is using" in second.stderr
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.kill(server.pid, signal.SIGKILL)
            server.wait()
