"""A fresh clone, following only the README's first screen, scores a workbook the user made.

The commands are read from README.md's quick start, so the test breaks when the README
stops working. It takes the README's route without `make` (`python3 -m venv .venv`,
activate, `pip install .`): `make demo` installs the dev tools as well, which a user does
not need and would make this test several times slower. Each command runs in its own bash
process with only the `cd` and activation lines the README gives before it: nothing else
puts `jtai-audit` on the PATH. pip's cache is used as it is, so a second run is quicker.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
FIRST_SCREEN = 80  # lines: the quick start must be read without scrolling far
CASES = ("QS-001", "QS-002")  # pseudonymous, as the README asks


def _quick_start() -> tuple[str, int]:
    text = README.read_text(encoding="utf-8")
    start = text.index("\n## Quick start")
    end = text.index("\n## ", start + 1)
    return text[start:end], text[:end].count("\n")


def _blocks(lang: str) -> list[str]:
    section, _ = _quick_start()
    return re.findall(rf"^```{lang}\n(.*?)^```", section, re.M | re.S)


def _block(lang: str, *needles: str) -> list[str]:
    """The lines of the one `lang` block holding every needle, comment lines kept."""
    found = [b for b in _blocks(lang) if all(n in b for n in needles)]
    assert len(found) == 1, f"README quick start: one ```{lang} block with {needles}"
    return found[0].splitlines()


def _commands(lines: list[str]) -> list[str]:
    """Commands, one a line, `a && b` split, comments dropped."""
    out = []
    for line in lines:
        line = line.split(" #", 1)[0].strip()
        if line and not line.startswith("#"):
            out += [part.strip() for part in line.split("&&")]
    return out


def _is_state(command: str) -> bool:
    """`cd` and activation change the shell: they are kept for the commands after them."""
    return command.startswith(("cd ", ". ", "source "))


def _env() -> dict[str, str]:
    """The caller's environment without any virtual environment or jtai-audit on the PATH."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "CONDA_PREFIX")}
    path = [p for p in env.get("PATH", "").split(os.pathsep)
            if p and not (Path(p) / "jtai-audit").exists()]
    env["PATH"] = os.pathsep.join(path)
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    # A README that forgot to activate must fail here, not install into the user's Python.
    env["PIP_REQUIRE_VIRTUALENV"] = "1"
    env["COLUMNS"] = "120"
    # A checkout owned by another user (a CI container) may still be cloned.
    env.update(GIT_CONFIG_COUNT="1", GIT_CONFIG_KEY_0="safe.directory", GIT_CONFIG_VALUE_0="*")
    return env


class Shell:
    """Runs each README command in a fresh bash, after the README's cd and activate lines."""

    def __init__(self, where: Path) -> None:
        self.where = where
        self.state: list[str] = []
        self.env = _env()

    def run(self, command: str, timeout: int = 900) -> subprocess.CompletedProcess[str]:
        script = " && ".join(["set -e", *self.state, command])
        return subprocess.run(["bash", "-c", script], cwd=self.where, env=self.env,
                              capture_output=True, text=True, timeout=timeout, check=False)

    def follow(self, commands: list[str]) -> dict[str, subprocess.CompletedProcess[str]]:
        done = {}
        for command in commands:
            if _is_state(command):
                self.state.append(command)
                command = ":"  # check that it works where it stands
            result = self.run(command)
            assert result.returncode == 0, (
                f"README command failed: {command}\n{result.stdout}\n{result.stderr}")
            done[command] = result
        return done


def _localise(command: str) -> str:
    """This repository in place of the README's URL; this Python in place of `python3`."""
    words = shlex.split(command)
    if words[:2] == ["git", "clone"]:
        return shlex.join(["git", "clone", "--quiet", str(ROOT), *words[3:]])
    if words and words[0] in ("python", "python3", "py"):
        return shlex.join([sys.executable, *words[1:]])
    return command


def _fill(workbook: Path) -> None:
    """Two children, as a user would type them: one seen, one not seen."""
    book = openpyxl.load_workbook(workbook)
    sheet = book["Cases"]
    header = [c.value for c in sheet[1]]
    rows = ({"case_id": CASES[0], "area": "Northside", "child_age_years": 6,
             "legal_status": "Child in need", "recognised_as_victim": "Yes",
             "child_seen": "Yes", "child_seen_alone": "Yes"},
            {"case_id": CASES[1], "area": "Southside", "child_age_years": 9,
             "legal_status": "Child protection", "recognised_as_victim": "Partly",
             "child_seen": "No"})
    for number, row in enumerate(rows, start=2):
        for column, value in row.items():
            sheet.cell(number, header.index(column) + 1, value)
    book.save(workbook)


def test_quick_start_is_on_the_first_screen() -> None:
    section, end = _quick_start()
    assert end <= FIRST_SCREEN, f"the quick start ends on line {end}"
    assert _commands(_block("sh", "make demo")) == ["make demo", "make test"], \
        "the quick start's two commands"
    own = _commands(_block("sh", "jtai-audit template"))
    assert own[0] == ". .venv/bin/activate", "after make demo, the README says to activate"
    assert "VENV := .venv" in (ROOT / "Makefile").read_text(encoding="utf-8")
    windows = _commands(_block("powershell", "pip install ."))
    assert ".venv\\Scripts\\Activate.ps1" in windows and "pip install ." in windows
    for words in ("jtai-audit template --output", "jtai-audit validate", "jtai-audit score"):
        assert words in section


def test_fresh_clone_scores_a_workbook_made_from_the_template(tmp_path: Path) -> None:
    install = [_localise(c) for c in _commands(_block("sh", "pip install .", "venv"))]
    own = _block("sh", "jtai-audit template")
    fill_at = next(i for i, line in enumerate(own) if line.lstrip().startswith("# Fill in"))
    before, after = _commands(own[:fill_at]), _commands(own[fill_at:])
    assert any(c.startswith("jtai-audit template") for c in before)
    assert [c.split()[1] for c in after if c.startswith("jtai-audit")] == [
        "validate", "score", "score"], after

    shell = Shell(tmp_path)
    assert shell.run("command -v jtai-audit").returncode != 0, "jtai-audit already on PATH"
    shell.follow(install + before)
    where = shell.run("command -v jtai-audit").stdout.strip()
    clone = next(p for p in tmp_path.iterdir() if (p / ".git").is_dir())
    assert Path(where).resolve().parent == (clone / ".venv" / "bin").resolve()

    made = next(c for c in before if c.startswith("jtai-audit template"))
    workbook = clone / made.split("--output")[1].split()[0]
    _fill(workbook)
    results = shell.follow(after)

    table = next(r for c, r in results.items() if "score" in c and "--output" not in c)
    for case in CASES:
        assert case in table.stdout
    report = next(c for c in after if "--output" in c).split("--output")[1].split()[0]
    html = (clone / report).read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert CASES[1] in html  # the child not seen: a case of immediate concern
    assert ">2</span><span class=\"label\">Cases audited" in html
