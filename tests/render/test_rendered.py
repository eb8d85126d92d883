"""Checks on reports rendered by LibreOffice and Chromium (`make check-render` only)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(os.environ.get("JTAI_RENDER") != "1",
                                reason="needs LibreOffice and Chromium: make check-render")
OUT = Path(os.environ.get("RENDER_DIR", "build/render"))


def test_xlsx_converted_to_pdf_with_every_sheet() -> None:
    pdf = OUT / "meeting.pdf"
    assert pdf.exists() and pdf.stat().st_size > 10_000
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
        pages = int(next(x for x in info.stdout.splitlines() if x.startswith("Pages:")).split()[1])
        assert pages >= 5  # one or more pages per sheet
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        for words in ("Audit meeting report", "Priority", "Status",
                      "indicative"):
            assert words.lower() in text.lower()


def test_html_screenshot_is_not_blank() -> None:
    png = OUT / "meeting.png"
    assert png.exists() and png.stat().st_size > 50_000
    import matplotlib.image as mpimg

    pixels = mpimg.imread(png)
    assert pixels.shape[1] == 1280
    assert pixels.std() > 0.05  # text and charts, not an empty page


def _pages(pdf: Path) -> list[str]:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    count = int(next(x for x in info.stdout.splitlines() if x.startswith("Pages:")).split()[1])
    return [subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"],
                           capture_output=True, text=True, check=True).stdout
            for n in range(1, count + 1)]


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")
def test_html_prints_as_a_meeting_pack() -> None:
    """At most 12 A4 pages, plus one per agency; no page holds a heading alone."""
    pdf = OUT / "meeting-html.pdf"
    html = (OUT / "meeting.html").read_text(encoding="utf-8")
    agencies = html.count('<section class="agency">')
    pages = _pages(pdf)
    assert agencies >= 3
    assert len(pages) <= 12 + agencies, f"{len(pages)} pages for {agencies} agencies"
    for number, text in enumerate(pages, start=1):
        lines = [line for line in text.splitlines() if line.strip()]
        assert len(lines) > 2, f"page {number} holds only {lines}"
    size = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    assert "(A4)" in size and size.index("841") < size.index(" x 59")  # A4, landscape
