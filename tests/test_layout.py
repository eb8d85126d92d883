"""Tests mirror the modules: `tests/<package>/test_<module>.py` tests `<package>/<module>.py`.

A reader looking for the tests of `report/csvout.py` opens `tests/report/test_csvout.py`.
The files that test a behaviour across modules (a user's first hour, privacy, the
inspector's scenarios) are named for that behaviour and listed here with the reason, so
a new test file either follows the rule or says why it cannot.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "jtai_audit"

ACROSS_MODULES = {
    "commands/test_ci_integration.py": "the CI files shown to partnerships, run as CI runs them",
    "commands/test_first_hour.py": "a new user's first hour, one wall at a time",
    "commands/test_privacy.py": "no free text in any output of any command",
    "engine/test_concerns.py": "cases of immediate concern, from the case to the report",
    "engine/test_judgements.py": "scenarios that misled a meeting, judged end to end",
    "engine/test_properties.py": "property tests of loading and scoring on any input",
    "merge/test_chasing.py": "the chasing list, from the returns folder to the report",
    "report/test_bounded_lists.py": "bounded case lists in every format people read",
    "report/test_grades_and_order.py": "the grades appendix across the formats",
    "report/test_pack_layout.py": "the meeting packs as a chair reads them, every format",
    "report/test_reproducible.py": "SOURCE_DATE_EPOCH across every format",
    "rubric/test_format_features.py": "rubric features from YAML through judging",
    "rubric/test_roles.py": "columns found by role, from YAML through every command",
    "rubric/test_rubric12_features.py": "rubric 1.2 from YAML through judging",
    "workbook/test_bad_input.py": "every bad file, through every command",
    "workbook/test_real_world.py": "workbooks saved by real programs, read and scored",
    "workspace/test_browser.py": "the workspace in a real browser (make check-render)",
    "workspace/test_vendored.py": "the vendored static files and their licences",
    "render/test_accessible.py": "axe-core on every HTML pack (make check-render)",
    "render/test_rendered.py": "every pack printed by LibreOffice and Chromium",
    "test_docs.py": "the guides' glossary",
    "test_readme_first_screen.py": "the README's first screen, from a fresh clone",
    "test_layout.py": "this rule",
}


def _tested_module(test: Path) -> Path:
    relative = test.relative_to(ROOT / "tests")
    name = relative.name.removeprefix("test_")
    return PACKAGE / relative.parent / name


def test_every_test_file_is_named_after_its_module_or_says_why_not() -> None:
    strays = []
    for test in sorted((ROOT / "tests").rglob("test_*.py")):
        key = test.relative_to(ROOT / "tests").as_posix()
        if key not in ACROSS_MODULES and not _tested_module(test).exists():
            strays.append(key)
    assert not strays, (f"{strays}: name each after the module it tests "
                        "(tests/<package>/test_<module>.py), or list it in ACROSS_MODULES")


def test_the_list_of_exceptions_names_only_files_that_exist() -> None:
    gone = [key for key in ACROSS_MODULES if not (ROOT / "tests" / key).exists()]
    assert not gone, f"{gone} no longer exist: take them out of ACROSS_MODULES"
