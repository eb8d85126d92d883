"""The CI files we show partnerships are the ones we exercise."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from jtai_audit.cli import app

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


def _workflow_commands() -> list[list[str]]:
    workflow = YAML(typ="safe").load((ROOT / "examples" / "ci" / "github-workflow.yml").read_text())
    steps = workflow["jobs"]["rubrics"]["steps"]
    return [shlex.split(s["run"]) for s in steps if s.get("run", "").startswith("jtai-audit")]


def test_workflow_runs_check_then_test_and_both_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    commands = _workflow_commands()
    assert [c[:3] for c in commands] == [["jtai-audit", "rubric", "check"],
                                         ["jtai-audit", "rubric", "test"]]
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    for command in commands:
        result = runner.invoke(app, command[1:])
        assert result.exit_code == 0, result.stdout


def test_docs_show_the_files_we_test() -> None:
    doc = (ROOT / "docs" / "ci.md").read_text()
    for name in ("github-workflow.yml", "pre-commit-config.yaml"):
        body = (ROOT / "examples" / "ci" / name).read_text()
        kept = "\n".join(line for line in body.splitlines() if not line.startswith("# .")).strip()
        assert kept in doc, name


def test_hook_definition_points_at_an_installed_entry_point() -> None:
    hooks = YAML(typ="safe").load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hooks[0]["id"] == "jtai-audit-rubric"
    assert shutil.which(hooks[0]["entry"], path=str(Path(sys.executable).parent))


@pytest.mark.skipif(shutil.which("pre-commit", path=str(Path(sys.executable).parent)) is None
                    or shutil.which("git") is None,
                    reason="pre-commit or git is not installed in this environment")
def test_pre_commit_try_repo_passes_in_a_scratch_repository(tmp_path: Path) -> None:
    if not (ROOT / ".git").exists():
        pytest.skip("the project is not a git checkout, so pre-commit cannot try it")
    scratch = tmp_path / "partnership"
    (scratch / "rubrics").mkdir(parents=True)
    shutil.copy(ROOT / "rubrics" / "jtai-domestic-abuse.yaml", scratch / "rubrics")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"),
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    for command in (["git", "init", "-q"], ["git", "add", "."], ["git", "commit", "-qm", "x"]):
        subprocess.run(command, cwd=scratch, check=True, env=env)
    pre_commit = str(Path(sys.executable).parent / "pre-commit")
    result = subprocess.run([pre_commit, "try-repo", str(ROOT), "jtai-audit-rubric", "--files",
                             "rubrics/jtai-domestic-abuse.yaml"], cwd=scratch, env=env,
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Passed" in result.stdout
