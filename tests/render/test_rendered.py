"""Checks on reports rendered by LibreOffice and Chromium (`make check-render` only)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from html import unescape
from pathlib import Path
from typing import NamedTuple

import pytest

pytestmark = pytest.mark.skipif(os.environ.get("JTAI_RENDER") != "1",
                                reason="needs LibreOffice and Chromium: make check-render")
OUT = Path(os.environ.get("RENDER_DIR", "build/render"))


def test_xlsx_converted_to_pdf_with_every_sheet() -> None:
    pdf = OUT / "meeting-xlsx.pdf"
    assert pdf.exists() and pdf.stat().st_size > 10_000
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
        pages = int(next(x for x in info.stdout.splitlines() if x.startswith("Pages:")).split()[1])
        assert pages >= 6  # one or more pages per sheet
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
    assert len(pages) <= 12 + agencies, f"{len(pages)} pages: agencies flow, not a page each"
    for number, text in enumerate(pages, start=1):
        lines = [line for line in text.splitlines() if line.strip()]
        assert len(lines) > 2, f"page {number} holds only {lines}"
    size = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    assert "(A4)" in size and size.index("841") < size.index(" x 59")  # A4, landscape


# Every pack `scripts/check_render.sh` prints, with the pages it may take (measured with
# the fonts `make check-render` installs; a range, so a small change does not fail it).
PAGES = {"meeting-xlsx": (26, 34), "meeting-html": (18, 24), "learning-xlsx": (4, 8),
         "learning-html": (4, 8), "agency-xlsx": (15, 21), "agency-html": (8, 12),
         "compare-xlsx": (5, 9), "compare-html": (5, 9)}


# No pack prints text under 8 pt: charts are drawn at the size they print, and where a
# chart would have to shrink below that it is not drawn (its figures are in a table).
SMALLEST = 8.0
# A word's box over its font size: Carlito (LibreOffice's Calibri) 1.24, DejaVu Sans 1.16;
# the HTML packs are measured at 1.2, a little under their size, to be safe.
BOX = {"xlsx": 1.24, "html": 1.2}


def _words(pdf: Path) -> list[tuple[int, float, float, float, float, float, float]]:
    """Every word's box: page, page width and height, xMin, yMin, xMax, yMax (points)."""
    xml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    words = []
    for number, page in enumerate(re.findall(r"<page (.*?)</page>", xml, re.S), start=1):
        width, height = (float(x) for x in re.findall(r'(?:width|height)="([\d.]+)"',
                                                       page)[:2])
        for box in re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                              r'yMax="([\d.]+)"', page):
            x0, y0, x1, y1 = map(float, box)
            words.append((number, width, height, x0, y0, x1, y1))
    return words


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")
@pytest.mark.parametrize("pack", sorted(PAGES))
def test_every_pack_prints_on_a4_readable_and_inside_the_page(pack: str) -> None:
    pdf = OUT / f"{pack}.pdf"
    pages = _pages(pdf)
    low, high = PAGES[pack]
    assert low <= len(pages) <= high, f"{pack}: {len(pages)} pages"
    words = _words(pdf)
    assert words
    for number, width, height, _x0, _y0, x1, y1 in words:
        assert x1 <= width + 0.5 and y1 <= height + 0.5, f"{pack} p{number}: past the edge"
    smallest = min(y1 - y0 for *_, y0, _x1, y1 in words) / BOX[pack[-4:]]
    assert smallest >= SMALLEST, f"{pack}: text {smallest:.1f} pt"
    for number, text in enumerate(pages[:-1], start=1):
        lines = [line for line in text.splitlines() if line.strip()]
        assert len(lines) > 2, f"{pack} page {number} holds only {lines}"


# A page of a pack holds a third of a page or more, unless it ends a section: the last
# page of a sheet (xlsx) or the page before a new section's heading, or the pack's last.
FULL_ENOUGH = 1 / 3
FOOTER = re.compile(r"^(?P<sheet>.+): page \d+ of \d+$")


class Line(NamedTuple):
    top: float
    bottom: float
    left: float
    size: float  # points: the line's box over 1.2, as for words
    text: str


class Page(NamedTuple):
    height: float
    lines: list[Line]  # top to bottom, without the xlsx footer
    sheet: str  # the xlsx sheet its footer names; "" in HTML


def _layout(pdf: Path) -> list[Page]:
    xml = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    pages = []
    for page in re.findall(r"<page (.*?)</page>", xml, re.S):
        height = float(re.findall(r'height="([\d.]+)"', page)[0])
        lines, sheet = [], ""
        for line in re.findall(r"<line (.*?)</line>", page, re.S):
            top, bottom, left = (float(re.search(rf'{k}="([\d.]+)"', line).group(1))
                                 for k in ("yMin", "yMax", "xMin"))
            text = " ".join(unescape(w) for w in re.findall(r">([^<]*)</word>", line))
            if found := FOOTER.match(text):
                sheet = found["sheet"]
                continue
            lines.append(Line(top, bottom, left, (bottom - top) / 1.2, text))
        pages.append(Page(height, sorted(lines), sheet))
    return pages


def _plain(markup: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", "", markup)).split())


def _html_headings(pack: str) -> tuple[list[str], list[str]]:
    """The HTML pack's section headings (h2) and every heading and caption."""
    html = (OUT / f"{pack.removesuffix('-html')}.html").read_text(encoding="utf-8")
    sections = [_plain(h) for h in re.findall(r"<h2[^>]*>(.*?)</h2>", html, re.S)]
    every = [_plain(h) for h in re.findall(r"<(?:h[1-4]|caption)[^>]*>(.*?)</(?:h[1-4]|caption)>",
                                           html, re.S)]
    return sections, [h for h in every if h]


def _xlsx_headings(pack: str) -> list[str]:
    """The xlsx pack's headings: a bold cell alone on its row."""
    import openpyxl

    book = openpyxl.load_workbook(OUT / f"{pack.removesuffix('-xlsx')}.xlsx")
    found = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            cells = [c for c in row if c.value not in (None, "")]
            if len(cells) == 1 and cells[0].font.b:
                found.append(" ".join(str(cells[0].value).split()))
    return found


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")
@pytest.mark.parametrize("pack", sorted(PAGES))
def test_no_page_nearly_empty_unless_it_ends_a_section(pack: str) -> None:
    pages = _layout(OUT / f"{pack}.pdf")
    sections = _html_headings(pack)[0] if pack.endswith("-html") else []
    for number, (page, after) in enumerate(zip(pages, [*pages[1:], None], strict=True), start=1):
        full = max((line.bottom for line in page.lines), default=0) / page.height
        if after is None or full >= FULL_ENOUGH:
            continue
        if pack.endswith("-xlsx"):
            ends = page.sheet != after.sheet
        else:
            ends = bool(after.lines) and any(h.startswith(after.lines[0].text)
                                             for h in sections)
        assert ends, f"{pack} page {number} is {full:.0%} full and ends no section"


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")
@pytest.mark.parametrize("pack", sorted(PAGES))
def test_no_heading_alone_at_a_page_foot(pack: str) -> None:
    """A heading or a table's title is never a page's last line: it goes with what follows."""
    pages = _layout(OUT / f"{pack}.pdf")
    headings = _html_headings(pack)[1] if pack.endswith("-html") else _xlsx_headings(pack)
    for number, page in enumerate(pages[:-1], start=1):
        if not page.lines:
            continue
        line = page.lines[-1]
        last = line.text
        # A heading starts at the left margin, alone on its line: a table's last row, or
        # a cell that reads like a heading ("Priority action"), is not one.
        margin = min(x.left for x in page.lines)
        row = [x for x in page.lines if x.top >= line.top - 1]
        if len(row) > 1 or line.left > margin + 3:
            continue
        alone = [h for h in headings if h == last or (len(last) > 12 and h.startswith(last))]
        # A short line that is also a table's row ("Police") is a heading only if set large.
        if alone and (len(last) > 12 or line.size >= 10.5):
            pytest.fail(f"{pack} page {number} ends with the heading {last!r}")
