#!/usr/bin/env python3
"""Make the pictures of docs/walkthrough.md again: one audit round, as the user sees it.

    .venv/bin/python scripts/screenshots.py   # docs/img/walkthrough-*, docs/img/meeting-report*
    .venv/bin/python scripts/screenshots.py --out DIR

Everything comes from the synthetic example audit (examples/cases.xlsx), with the clock
pinned (SOURCE_DATE_EPOCH), so a rerun gives the same pictures unless the tool changed.

- Terminal output: each command is run as the user would run it and its output recorded
  with rich (`Console(record=True).export_svg`) into an SVG.
- The meeting report: the HTML opened in headless Chromium (`--screenshot`), a PNG.
- The template: the workbook converted to PDF by LibreOffice (headless), then to PNG by
  pdftoppm, and trimmed.

Chromium, LibreOffice and pdftoppm are skipped with a message when missing; install them
with `apt-get update && apt-get install -y chromium libreoffice-calc poppler-utils`.
The work files are kept in build/walkthrough/ to look at.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import openpyxl
from PIL import Image, ImageChops
from rich.console import Console
from rich.text import Text

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
WORK = ROOT / "build" / "walkthrough"
EXAMPLE = ROOT / "examples" / "cases.xlsx"
WIDTH = 100  # terminal columns
ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600", "COLUMNS": str(WIDTH),
       "PYTHONUNBUFFERED": "1", "FORCE_COLOR": "1", "TERM": "xterm-256color"}
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--hide-scrollbars"]
TYPO = ("FL-002", "child_seen", "Yse")  # the mistake validate finds in the walkthrough


def run(command: str) -> tuple[int, str]:
    """Run a jtai-audit command line in WORK; stdout and stderr interleaved, as on screen."""
    words = command.split()
    exe = str(BIN / words[0]) if words[0] == "jtai-audit" else words[0]
    done = subprocess.run([exe, *_unquote(words[1:])], cwd=WORK, env=ENV, check=False,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return done.returncode, done.stdout


def _unquote(words: list[str]) -> list[str]:
    return [w.strip('"') for w in words]


def terminal(out: Path, name: str, command: str, keep: int = 40,
             skip: tuple[int, int] | None = None) -> str:
    """Run `command`, write its output as out/walkthrough-NAME.svg, and return the text.

    Long outputs are shortened as the docs shorten them: the first `keep` lines, or
    the lines `skip` (first, last) cut out, with a `…` line where lines were left out.
    """
    code, text = run(command)
    lines = text.rstrip("\n").splitlines()
    if skip:
        lines = [*lines[:skip[0]], "…", *lines[skip[1]:]]
    if len(lines) > keep:
        lines = [*lines[:keep - 1], "…"]
    console = Console(record=True, width=WIDTH, force_terminal=True, color_system="truecolor",
                      file=open(os.devnull, "w"))  # noqa: SIM115 (closed with the console)
    console.print(Text("$ ", style="bold green") + Text(command, style="bold"))
    for line in lines:
        console.print(Text.from_ansi(line))
    if code:
        console.print(Text(f"(exit code {code})", style="dim"))
    svg = console.export_svg(title=command.split(" --")[0])
    # Nothing is fetched when the picture opens: the terminal font is the reader's own.
    svg = re.sub(r',\s*url\("https://[^"]+"\) format\("woff2?"\)', "", svg)
    path = out / f"walkthrough-{name}.svg"
    path.write_text(svg, encoding="utf-8")
    print(f"wrote {path.relative_to(ROOT)} (exit code {code})")
    return text


def fill(workbook: Path, typo: bool) -> None:
    """Fill the sampled rows of the template as the auditors would, from the example's answers.

    With `typo`, one answer is mistyped, for validate to find.
    """
    source = openpyxl.load_workbook(EXAMPLE, read_only=True)
    rows = source["Cases"].iter_rows(values_only=True)
    header = [str(h) for h in next(rows)]
    answers = {row[0]: dict(zip(header, row, strict=False)) for row in rows}
    book = openpyxl.load_workbook(workbook)
    sheet = book["Cases"]
    columns = [c.value for c in sheet[1]]
    for number in range(2, sheet.max_row + 1):
        case = sheet.cell(number, 1).value
        if case not in answers:
            continue
        for index, column in enumerate(columns, start=1):
            value = answers[case].get(str(column))
            if column in ("case_id", "area") or value is None:
                continue
            if typo and (case, column) == TYPO[:2]:
                value = TYPO[2]
            cell = sheet.cell(number, index, value)
            if isinstance(value, dt.datetime):  # as Excel shows a date typed in by hand
                cell.value, cell.number_format = value.date(), "DD/MM/YYYY"
    book.save(workbook)


def chromium() -> str | None:
    return next((c for c in ("chromium", "chromium-browser", "google-chrome")
                 if shutil.which(c)), None)


def screenshot(page: Path, png: Path, height: int, hide: str = "") -> None:
    """The page in headless Chromium, 1280 pixels wide; `hide` is CSS selectors not shown."""
    browser = chromium()
    if browser is None:
        print(f"skipped {png.name}: no Chromium (apt-get install -y chromium)")
        return
    if hide:
        text = page.read_text(encoding="utf-8").replace(
            "</style>", f"{hide} {{ display: none !important; }}</style>", 1)
        page = page.with_name(f"{png.stem}.html")
        page.write_text(text, encoding="utf-8")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([browser, *CHROMIUM_FLAGS, f"--user-data-dir={profile}",
                        f"--screenshot={png}", f"--window-size=1280,{height}",
                        page.resolve().as_uri()], check=True, capture_output=True)
    print(f"wrote {png.relative_to(ROOT)}")


def sheet_picture(workbook: Path, sheet: str, png: Path, crop: tuple[int, int],
                  show: tuple[str, ...] = ()) -> None:
    """One sheet's first printed page (LibreOffice → PDF → pdftoppm), trimmed, at most crop.

    `show` names the only columns to print (the others are hidden, as a user would).
    """
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if office is None or shutil.which("pdftoppm") is None:
        print(f"skipped {png.name}: needs LibreOffice and pdftoppm "
              "(apt-get install -y libreoffice-calc poppler-utils)")
        return
    book = openpyxl.load_workbook(workbook)
    for ws in book.worksheets:  # LibreOffice prints only the visible sheets
        ws.sheet_state = "visible" if ws.title == sheet else "hidden"
        # Gridlines and the column letters, as on screen (validate names cells as `Cases!Y10`).
        ws.print_options.gridLines = ws.print_options.headings = ws.title == "Cases"
        if show and ws.title == sheet:
            for cell in ws[1]:
                if cell.value not in show:
                    ws.column_dimensions[cell.column_letter].hidden = True
            ws.sheet_properties.pageSetUpPr.fitToPage = True  # the shown columns on one page
            ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    book.active = book.sheetnames.index(sheet)
    single = WORK / f"{png.stem}.xlsx"
    book.save(single)
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([office, f"-env:UserInstallation={Path(profile).as_uri()}",
                        "--headless", "--convert-to", "pdf", "--outdir", str(WORK),
                        str(single)], check=True, capture_output=True)
    pdf = single.with_suffix(".pdf")
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", "-singlefile",
                    str(pdf), str(WORK / png.stem)], check=True)
    image = Image.open(WORK / f"{png.stem}.png").convert("RGB")
    box = ImageChops.difference(image, Image.new("RGB", image.size, "white")).getbbox()
    if box:
        left, top = max(box[0] - 12, 0), max(box[1] - 12, 0)
        image = image.crop((left, top, min(box[2] + 12, left + crop[0]),
                            min(box[3] + 12, top + crop[1])))
    image.save(png, optimize=True)
    print(f"wrote {png.relative_to(ROOT)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img")
    out = parser.parse_args().out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    shutil.copy(EXAMPLE, WORK / "case-list.xlsx")  # the list of eligible children

    # 1. Choose the cases; 2. the template, one row per sampled child.
    terminal(out, "sample", "jtai-audit sample case-list.xlsx --size 12 --by area "
             "--seed 2025 --output sample.csv")
    terminal(out, "template", "jtai-audit template --cases sample.csv --output my-cases.xlsx")
    sheet_picture(WORK / "my-cases.xlsx", "Cases", out / "walkthrough-template.png",
                  (1800, 760))
    sheet_picture(WORK / "my-cases.xlsx", "Guidance", out / "walkthrough-guidance.png",
                  (1800, 900))

    # 3. The auditors fill it in (one answer mistyped); 4. validate finds it.
    fill(WORK / "my-cases.xlsx", typo=True)
    sheet_picture(WORK / "my-cases.xlsx", "Cases", out / "walkthrough-filled.png", (1800, 760),
                  show=("case_id", "area", "audit_date", "child_age_years", "legal_status",
                        "recognised_as_victim", "child_seen", "child_seen_alone"))
    terminal(out, "validate", "jtai-audit validate my-cases.xlsx", keep=36)
    fill(WORK / "my-cases.xlsx", typo=False)  # the auditor corrects the cell
    terminal(out, "validate-fixed", "jtai-audit validate my-cases.xlsx", keep=12)

    # 5. Score on screen, then the meeting report.
    terminal(out, "score", "jtai-audit score my-cases.xlsx", keep=60)
    run("jtai-audit score my-cases.xlsx --output report.html")
    report = WORK / "report.html"
    later = "#headline, #themes, #areas, #rules, #owners, #actions, #agencies, #provenance"
    screenshot(report, out / "walkthrough-report.png", 2150, hide=later)
    screenshot(report, out / "walkthrough-report-figures.png", 1250,
               hide="header, #concerns, #letter, #areas, #rules, #owners, #actions, "
               "#agencies, #provenance")
    screenshot(report, out / "walkthrough-report-areas.png", 1540,
               hide="header, #concerns, #letter, #headline, #themes, #rules, #owners, "
               "#actions, #agencies, #provenance")

    # The example audit's meeting report, as README.md and docs/meeting-reports.md show it.
    shutil.copy(EXAMPLE, WORK / "cases.xlsx")
    run("jtai-audit score cases.xlsx --output meeting.html")
    screenshot(WORK / "meeting.html", out / "meeting-report.png", 2400)
    screenshot(WORK / "meeting.html", out / "meeting-report-charts.png", 2000,
               hide="header, #concerns, #letter, #headline")
    return 0


if __name__ == "__main__":
    sys.exit(main())
