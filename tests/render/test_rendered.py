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


def test_html_prints_with_page_breaks() -> None:
    pdf = OUT / "meeting-html.pdf"
    assert pdf.exists()
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
        pages = int(next(x for x in info.stdout.splitlines() if x.startswith("Pages:")).split()[1])
        assert pages >= 8  # each main section starts a page
