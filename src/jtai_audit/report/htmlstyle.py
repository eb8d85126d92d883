"""The HTML report's stylesheet and Content-Security-Policy, kept apart from the markup.

Large type and strong contrast for a projector at the back of a meeting room; a print
stylesheet with page breaks between the main sections and no dark fills, so the report
also works on paper. Grade and finding colours always sit beside the word itself.
"""

from __future__ import annotations

# Nothing may load: no scripts, fonts, frames or remote images; inline styles only.
CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src 'none'; "
       "connect-src 'none'; form-action 'none'; base-uri 'none'")

STYLE = """
:root { color-scheme: light; font-size: 20px; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1240px; padding: 1.5rem 2rem 4rem; color: #111;
  background: #fff; font: 1rem/1.45 "DejaVu Sans", "Segoe UI", Arial, Helvetica, sans-serif; }
h1 { font-size: 2.1rem; line-height: 1.2; margin: 0.5rem 0 1rem; }
h2 { font-size: 1.7rem; margin: 2.5rem 0 0.8rem; padding-top: 0.6rem;
  border-top: 4px solid #1d3a5f; color: #0b2340; }
h3 { font-size: 1.3rem; margin: 1.6rem 0 0.5rem; }
p, li { max-width: 62em; }
code { font-size: 0.8em; word-break: break-all; }
/* Case and rule ids ("VOICE-4", "RS-009") are never broken at their hyphen. */
.id { white-space: nowrap; }
.notice { border: 3px solid #8a5a00; background: #fff4d6; padding: 0.8rem 1rem;
  font-size: 1.1rem; }
.meta { color: #333; }
table { border-collapse: collapse; width: 100%; margin: 0.8rem 0 1.4rem; font-size: 0.9rem; }
caption { text-align: left; font-weight: bold; padding: 0.3rem 0; color: #222; }
th, td { border: 1px solid #777; padding: 0.35rem 0.5rem; text-align: left;
  vertical-align: top; }
thead th { background: #e4eaf2; color: #0b2340; }
tbody th { font-weight: 600; }
tbody tr:nth-child(even) { background: #f5f7fa; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num { white-space: nowrap; }
small { color: #333; font-size: 0.85em; }
/* The cases behind a percent: under it on screen, beside it on paper. */
small.n { display: block; }
/* Tiles in even columns: the last row's tiles keep their width, never one stretched across. */
.tiles { display: grid; grid-template-columns: repeat(auto-fill, minmax(10rem, 1fr));
  gap: 0.8rem; }
.tile { border: 2px solid #1d3a5f; border-radius: 6px; padding: 0.6rem 0.9rem; }
.tile .value { display: block; font-size: 2rem; font-weight: bold; color: #0b2340;
  white-space: nowrap; }
.tile .label { display: block; font-size: 0.9rem; }
.grade, .finding { display: inline-block; padding: 0 0.4em; border-radius: 4px;
  border: 2px solid currentColor; font-weight: 600; }
.g-out { color: #004d1f; background: #d8f0df; }
.g-good { color: #0b3d6b; background: #dbe9f7; }
.g-ri { color: #6b4200; background: #fde8c3; }
.g-inad { color: #8b0000; background: #fbdada; }
.f-strength { color: #004d1f; background: #d8f0df; }
.f-improvement { color: #6b4200; background: #fde8c3; }
.f-priority { color: #8b0000; background: #fbdada; }
ul.findings { padding-left: 1.2rem; }
ul.findings li { margin: 0.35rem 0; }
.chart-pair { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr);
  gap: 1.2rem; align-items: start; }
figure { margin: 0.8rem 0; }
/* On screen a chart stretches to its column; on paper it prints at the size it was drawn
   (its text 10 pt or more), only ever shrunk to fit. */
@media screen { figure svg { width: 100%; height: auto; } }
figure.wide { max-width: 1000px; }
figcaption { font-size: 0.9rem; color: #222; margin-top: 0.3rem; }
@media (max-width: 900px) { .chart-pair { grid-template-columns: 1fr; } }
@media print {
  @page { size: A4 landscape; margin: 12mm; }
  :root { font-size: 9pt; }
  html, body { font-size: 9pt; max-width: none; padding: 0; line-height: 1.3; }
  table { font-size: 8.5pt; margin: 0.4rem 0 0.8rem; }
  th, td { padding: 0.15rem 0.35rem; }
  h2 { margin: 1rem 0 0.4rem; }
  figure svg { max-width: 100%; height: auto; }
  /* Nothing prints under 8.5 pt. */
  small, figcaption, caption, code, .tile .label { font-size: 8.5pt; }
  small.n { display: inline; }
  h1 { font-size: 18pt; }
  h2 { font-size: 14pt; border-top-width: 2px; }
  h3 { font-size: 12pt; }
  section.major { break-before: auto; page-break-before: auto; }
  /* Agencies flow one after another: a section breaks only between its parts, never
     inside a table row, and its heading stays with what follows. */
  section.agency { border-top: 1px solid #777; margin-top: 0.6rem; }
  section.agency h3, section.agency h4, section.agency h3 + p { break-after: avoid;
    page-break-after: avoid; }
  section.agency tr, section.agency li { break-inside: avoid; page-break-inside: avoid; }
  section.agency .letter h4 { margin: 0.3rem 0 0.1rem; font-size: 9pt; }
  section.agency .letter ul { margin: 0; padding-left: 1rem; }
  section.agency .letter li { font-size: 8.5pt; }
  section.agency table { font-size: 8.5pt; line-height: 1.2; margin-top: 0; }
  section.agency th, section.agency td { padding: 0 0.3rem; }
  section.agency .finding { border-width: 1px; }
  section.appendix { break-before: page; page-break-before: always; }
  h2, h3, caption { break-after: avoid; page-break-after: avoid; }
  tr, figure, .tile, table.short, #provenance { break-inside: avoid;
    page-break-inside: avoid; }
  /* A long table never leaves its header with one row at a page foot, nor one row alone
     at the top of the next page. */
  tbody tr:nth-child(-n+2) { break-before: avoid; page-break-before: avoid; }
  tbody tr:last-child { break-before: avoid; page-break-before: avoid; }
  /* The action plan leaves room to write in the owner, due date and status. */
  table.plan th:nth-last-child(-n+3) { width: 7rem; }
  /* A paragraph that introduces a table or chart goes, whole, with it. */
  p:has(+ table), p:has(+ .chart-pair), p:has(+ figure) { break-after: avoid;
    page-break-after: avoid; break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  thead th, tbody tr:nth-child(even), .notice { background: none; }
  .grade, .finding { background: none; }
  .tile .value { font-size: 16pt; white-space: normal; }
  .tiles { grid-template-columns: repeat(auto-fill, minmax(8.5rem, 1fr)); }
  .chart-pair { grid-template-columns: 3fr 2fr; }
}
"""
