"""The one registry of formats, and a golden file for every (report, format) in it.

Text formats (table, text, github, json, jsonl, csv, markdown) are pinned byte for byte.
html is too: every page is generated from fixed data with no clock, random id or path in
it (`test_html` checks two renders are equal). xlsx is a zip whose bytes depend on
openpyxl's and zlib's versions, so its golden is the text of every sheet's cell values
(`renders.workbook_text`): what a reader of the workbook sees changes, the golden changes.
A new format is one registry entry and its golden file (JTAI_UPDATE_GOLDEN=1 writes it);
`test_every_format_has_a_golden_file` fails until it has one.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from jtai_audit.errors import UsageError
from jtai_audit.report import formats

from ..golden.helpers import HERE, check_golden
from ..golden.renders import golden_name, rendered

ENTRIES = sorted(formats.REGISTRY)


@pytest.mark.parametrize(("report", "fmt"), ENTRIES, ids=[f"{r}-{f}" for r, f in ENTRIES])
def test_every_format_has_a_golden_file(report: str, fmt: str) -> None:
    check_golden(golden_name(report, fmt), rendered(report, fmt))


def test_no_golden_file_is_left_without_a_format() -> None:
    """A format taken out of the registry takes its golden file with it."""
    wanted = {golden_name(report, fmt) for report, fmt in formats.REGISTRY}
    found = {path.name for path in HERE.iterdir()
             if path.suffix not in (".py", ".yaml") and path.name != "__pycache__"}
    assert found == wanted


def test_unknown_format_names_the_reports_formats_in_order() -> None:
    with pytest.raises(UsageError) as caught:
        formats.lookup("score", "pdf")
    assert str(caught.value) == "unknown --format 'pdf' (table, json, jsonl, csv, markdown, " \
        "html, xlsx)"
    assert formats.listed("rubric-check") == "text, json, github"


def test_suffixes_choose_formats_within_a_report() -> None:
    assert formats.for_suffix("score", ".HTM") == formats.lookup("score", "html")
    assert formats.for_suffix("compare", ".csv") is None
    assert formats.for_suffix("score", ".pdf") is None


def test_learning_has_every_score_format() -> None:
    """`score --audience learning` is checked against score's formats: the sets must agree."""
    assert formats.names("learning") == formats.names("score")


def test_only_xlsx_is_binary() -> None:
    assert {f.name for f in formats.REGISTRY.values() if f.binary} == {"xlsx"}


def test_renderers_load_on_demand() -> None:
    """Looking formats up imports no renderer: the table's run never imports the xlsx writer.

    (openpyxl itself is loaded anyway, by the workbook reader, whatever the format.)
    """
    code = ("import sys\nfrom jtai_audit.report import formats\n"
            "formats.lookup('score', 'table').renderer()\n"
            "print(sorted(m for m in sys.modules if m.startswith('jtai_audit.report.')))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True).stdout
    for renderer in ("xlsx", "html", "markdown", "learning", "compare", "moderation"):
        assert f"'jtai_audit.report.{renderer}'" not in loaded
    assert "'jtai_audit.report.table'" in loaded
