"""Charts for the HTML report, drawn by matplotlib as inline SVG.

Inline SVG keeps the report one self-contained file that loads nothing when opened. Text
stays text (`svg.fonttype: none`) so it is sharp on a projector and readable by screen
readers; the hash salt and the dropped metadata make the same data give the same bytes.
Colour is never the only signal: values are printed on the bars, areas also differ by
marker shape, and every chart has a table with the same numbers next to it.
"""

from __future__ import annotations

import io
import math
import re
import textwrap
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from html import escape
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

# Okabe-Ito: distinguishable with the common colour vision deficiencies.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000",
           "#F0E442")
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
# Charts are drawn at the size they print (inches; A4 landscape inside 12 mm margins is
# 10.75 by 7.3) and the print stylesheet never scales them, so a font size here is the
# size on paper: nothing under 10 pt. On screen they stretch to the column.
PAGE_WIDTH = 9.8  # a chart across the page
PAIR_WIDTH = 6.1  # a chart beside its table (three fifths of the page)
MAX_PANELS = 12  # small multiples on one page at a readable size; more are a table
STYLE: dict[str, Any] = {"svg.fonttype": "none", "svg.hashsalt": "jtai-audit", "font.size": 12,
         "font.family": "DejaVu Sans", "axes.edgecolor": "#222222", "axes.labelcolor": "#111111",
         "xtick.color": "#111111", "ytick.color": "#111111", "axes.spines.top": False,
         "axes.spines.right": False, "axes.titlesize": 12, "legend.fontsize": 11.5,
         "xtick.labelsize": 11.5, "ytick.labelsize": 11.5, "figure.titlesize": 13}
_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.S)
_PROLOGUE = re.compile(r"^.*?(?=<svg)", re.S)


@contextmanager
def _style() -> Iterator[None]:
    """Our chart style for one figure, restored afterwards (rcParams are process-wide)."""
    with plt.rc_context():
        params: Any = matplotlib.rcParams  # its stubs only accept literal keys
        params.update(STYLE)
        yield


def _wrap(label: str, width: int = 24) -> str:
    return "\n".join(textwrap.wrap(label, width)) or label


def _svg(figure: Figure, label: str) -> str:
    """The figure as an <svg> element with role and title, without XML prologue or metadata.

    Saved at its own size (no tight bounding box), so it prints at the size it was drawn.
    """
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    plt.close(figure)
    text = _METADATA.sub("", _PROLOGUE.sub("", buffer.getvalue(), count=1))
    title = f"<title>{escape(label)}</title>"
    return re.sub(r"<svg\b([^>]*)>", lambda m: f'<svg{m.group(1)} role="img" '
                  f'aria-label="{escape(label, quote=True)}">{title}', text, count=1).strip()


def _figures(rounds: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]]) -> str:
    """A line chart's figures in words, for its text alternative."""
    return "; ".join(f"{name}: " + ", ".join(f"{r} {'no figure' if v is None else f'{v:.1f}'}"
                                             for r, v in zip(rounds, values, strict=True))
                     for name, values in series)


def theme_bars(themes: Sequence[tuple[str, float]], strength_from: float,
               priority_below: float, label: str) -> str:
    """Horizontal bars, one per theme, with the finding thresholds as lines named below."""
    with _style():
        height = 1.6 + 0.46 * max(len(themes), 1)
        figure, axes = plt.subplots(figsize=(PAIR_WIDTH, height), layout="constrained")
        names = [_wrap(t) for t, _ in themes][::-1]
        values = [v for _, v in themes][::-1]
        bars = axes.barh(names, values, color=PALETTE[0], height=0.6, zorder=2)
        for bar, value in zip(bars, values, strict=True):
            inside = value > 20  # white on the bar, clear of the threshold lines behind it
            axes.text(value - 1 if inside else value + 1, bar.get_y() + bar.get_height() / 2,
                      f"{value:.1f}%", va="center", ha="right" if inside else "left",
                      color="white" if inside else "#111111", fontsize=11.5, zorder=3)
        for x, text, style in ((priority_below, f"priority action below {priority_below:g}%",
                                ":"),
                               (strength_from, f"strength from {strength_from:g}%", "--")):
            axes.axvline(x, color="#444444", linestyle=style, linewidth=1.4, label=text,
                         zorder=1)
        axes.set_xlim(0, 100)
        axes.set_xlabel("Percent of weighted points\n(met = 1, partly met = 0.5)")
        figure.legend(loc="outside lower center", ncol=2, frameon=False)
        return _svg(figure, label)


def area_dots(themes: Sequence[str], areas: Sequence[tuple[str, Sequence[float | None]]],
              label: str) -> str:
    """Per theme, each area as a marker and a line from worst to best: the spread at a glance."""
    with _style():
        height = 1.7 + 0.5 * max(len(themes), 1)
        figure, axes = plt.subplots(figsize=(PAGE_WIDTH, height), layout="constrained")
        rows = list(range(len(themes)))[::-1]
        for y, index in zip(rows, range(len(themes)), strict=True):
            found = [v for _, row in areas if (v := row[index]) is not None]
            if len(found) > 1:
                axes.plot([min(found), max(found)], [y, y],
                          color="#888888", linewidth=3, zorder=1)
        for number, (area, scores) in enumerate(areas):
            points = [(v, y) for v, y in zip(scores, rows, strict=True) if v is not None]
            axes.scatter([p[0] for p in points], [p[1] for p in points], s=60, zorder=2,
                         marker=MARKERS[number % len(MARKERS)],
                         color=PALETTE[number % len(PALETTE)], edgecolors="#111111",
                         linewidths=0.6, label=area)
        axes.set_yticks(rows, [_wrap(t, 40) for t in themes])
        axes.set_xlim(-2, 102)
        axes.set_xlabel("Percent of weighted points, by area")
        axes.grid(axis="x", color="#dddddd", linewidth=0.8)
        axes.set_axisbelow(True)
        figure.legend(loc="outside lower center", ncol=min(len(areas), 6), frameon=False)
        return _svg(figure, label)


def fitted_axis(values: Sequence[float | None]) -> tuple[float, float]:
    """An axis from the tens below the lowest figure to the tens above the highest (0-100)."""
    found = [v for v in values if v is not None]
    if not found:
        return 0.0, 100.0
    low = max(0.0, 10 * math.floor(min(found) / 10) - 10 * (min(found) % 10 < 2))
    high = min(100.0, 10 * math.ceil(max(found) / 10) + 10 * (max(found) % 10 > 8))
    return low, max(high, low + 20)


def _axis_label(low: float, high: float, what: str) -> str:
    return what if (low, high) == (0, 100) else f"{what} (axis {low:g} to {high:g})"


def trend_lines(rounds: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]],
                label: str) -> str:
    """One straight line with markers per rule (or theme) across the rounds.

    The axis is fitted to the figures and says so (above the axis, never turned on its
    side); gaps where a round had no figure; the legend below, never over the lines. The
    text alternative gives every figure.
    """
    with _style():
        legend_rows = math.ceil(len(series) / 2)
        figure, axes = plt.subplots(figsize=(PAGE_WIDTH, 3.8 + 0.3 * legend_rows),
                                    layout="constrained")
        xs = list(range(len(rounds)))
        for number, (name, values) in enumerate(series):
            points = [(x, v) for x, v in zip(xs, values, strict=True) if v is not None]
            axes.plot([p[0] for p in points], [p[1] for p in points],
                      marker=MARKERS[number % len(MARKERS)], color=PALETTE[number % len(PALETTE)],
                      linewidth=2, markersize=7, label=_wrap(name, 48))
        low, high = fitted_axis([v for _, values in series for v in values])
        axes.set_xticks(xs, [_wrap(r, 14) for r in rounds])
        axes.set_ylim(low, high)
        axes.set_title(_axis_label(low, high, "Percent"), loc="left", fontsize=10.5)
        figure.suptitle(label, x=0.01, ha="left")
        axes.grid(axis="y", color="#dddddd", linewidth=0.8)
        figure.legend(loc="outside lower center", ncol=2, frameon=False)
        return _svg(figure, f"{label}: {_figures(rounds, series)}")


def small_multiples(rounds: Sequence[str],
                    series: Sequence[tuple[str, Sequence[float | None]]], label: str) -> str:
    """One small chart per theme (at most MAX_PANELS), four to a row, on one fitted axis.

    Eight lines on one chart tangle; eight small ones can each be read. Each names its
    figures, and the text alternative gives them all.
    """
    with _style():
        columns = min(max(len(series), 1), 4)
        rows = max(math.ceil(len(series) / columns), 1)
        figure, grid = plt.subplots(rows, columns, figsize=(PAGE_WIDTH, 2.0 * rows + 0.5),
                                    sharey=True, squeeze=False, layout="constrained")
        low, high = fitted_axis([v for _, values in series for v in values])
        xs = list(range(len(rounds)))
        for index, axes in enumerate(grid.flat):
            if index >= len(series):
                axes.set_visible(False)
                continue
            name, values = series[index]
            points = [(x, v) for x, v in zip(xs, values, strict=True) if v is not None]
            axes.plot([p[0] for p in points], [p[1] for p in points], marker="o",
                      color=PALETTE[0], linewidth=2, markersize=6)
            for x, v in points:
                axes.annotate(f"{v:.0f}", (x, v), textcoords="offset points", xytext=(0, 5),
                              ha="center", fontsize=10)
            axes.set_title(_wrap(name, 30), fontsize=10.5, loc="left")
            axes.set_xticks(xs, [_wrap(r, 8) for r in rounds], fontsize=10)
            axes.set_xlim(-0.3, len(xs) - 0.7)
            axes.set_ylim(low, high + (high - low) * 0.12)
            axes.grid(axis="y", color="#dddddd", linewidth=0.8)
            axes.tick_params(axis="y", labelsize=10)
        figure.suptitle(f"{label}; {_axis_label(low, high, 'percent')}", x=0.01, ha="left")
        return _svg(figure, f"{label}: {_figures(rounds, series)}")
