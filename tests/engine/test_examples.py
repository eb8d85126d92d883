"""Every rule example in every bundled rubric is its own test id, run by the `score` engine."""

from __future__ import annotations

from pathlib import Path

import pytest

from jtai_audit.engine.examples import ExampleRun, run_examples
from jtai_audit.rubric.loader import check_rubric

RUBRICS = sorted(p for p in (Path(__file__).resolve().parents[2] / "rubrics").glob("*.yaml")
                 if not p.name.endswith(".guidance.yaml"))


def _runs() -> list[ExampleRun]:
    runs: list[ExampleRun] = []
    for path in RUBRICS:
        loaded, problems = check_rubric(path)
        assert loaded is not None, [str(p) for p in problems]
        runs.extend(run_examples(loaded))
    return runs


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "example_run" in metafunc.fixturenames:
        runs = _runs()
        metafunc.parametrize("example_run", runs, ids=[r.test_id for r in runs])


def test_rule_example(example_run: ExampleRun) -> None:
    assert example_run.passed, example_run.diff()


def test_every_rule_has_two_examples_and_a_source() -> None:
    for path in RUBRICS:
        loaded, _ = check_rubric(path)
        assert loaded is not None
        for program in loaded.programs:
            assert len(program.rule.examples) >= 2, program.rule.id
            assert program.rule.sources, program.rule.id
