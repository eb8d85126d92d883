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
STYLE: dict[str, Any] = {"svg.fonttype": "none", "svg.hashsalt": "jtai-audit", "font.size": 16,
         "font.family": "DejaVu Sans", "axes.edgecolor": "#222222", "axes.labelcolor": "#111111",
         "xtick.color": "#111111", "ytick.color": "#111111", "axes.spines.top": False,
         "axes.spines.right": False}
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
    """The figure as an <svg> element with role and title, without XML prologue or metadata."""
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(figure)
    text = _METADATA.sub("", _PROLOGUE.sub("", buffer.getvalue(), count=1))
    title = f"<title>{escape(label)}</title>"
    return re.sub(r"<svg\b([^>]*)>", lambda m: f'<svg{m.group(1)} role="img" '
                  f'aria-label="{escape(label, quote=True)}">{title}', text, count=1).strip()


def theme_bars(themes: Sequence[tuple[str, float]], strength_from: float,
               priority_below: float, label: str) -> str:
    """Horizontal bars, one per theme, with the finding thresholds drawn as labelled lines."""
    with _style():
        height = 1.4 + 0.65 * max(len(themes), 1)
        figure, axes = plt.subplots(figsize=(9, height))
        names = [_wrap(t) for t, _ in themes][::-1]
        values = [v for _, v in themes][::-1]
        bars = axes.barh(names, values, color=PALETTE[0], height=0.6)
        for bar, value in zip(bars, values, strict=True):
            inside = value > 88
            axes.text(value - 1 if inside else value + 1, bar.get_y() + bar.get_height() / 2,
                      f"{value:.1f}%", va="center", ha="right" if inside else "left",
                      color="white" if inside else "#111111", fontsize=15)
        for x, text, style in ((priority_below, f"priority below {priority_below:g}%", ":"),
                               (strength_from, f"strength from {strength_from:g}%", "--")):
            axes.axvline(x, color="#444444", linestyle=style, linewidth=1.2)
            axes.text(x, len(values) - 0.4, text, ha="center", va="bottom", fontsize=13,
                      color="#222222")
        axes.set_xlim(0, 100)
        axes.set_xlabel("Percent of weighted points (met = 1, partly met = 0.5)")
        return _svg(figure, label)


def area_dots(themes: Sequence[str], areas: Sequence[tuple[str, Sequence[float | None]]],
              label: str) -> str:
    """Per theme, each area as a marker and a line from worst to best: the spread at a glance."""
    with _style():
        height = 2.2 + 0.8 * max(len(themes), 1)
        figure, axes = plt.subplots(figsize=(9, height))
        rows = list(range(len(themes)))[::-1]
        for y, index in zip(rows, range(len(themes)), strict=True):
            found = [v for _, row in areas if (v := row[index]) is not None]
            if len(found) > 1:
                axes.plot([min(found), max(found)], [y, y],
                          color="#888888", linewidth=3, zorder=1)
        for number, (area, scores) in enumerate(areas):
            points = [(v, y) for v, y in zip(scores, rows, strict=True) if v is not None]
            axes.scatter([p[0] for p in points], [p[1] for p in points], s=90, zorder=2,
                         marker=MARKERS[number % len(MARKERS)],
                         color=PALETTE[number % len(PALETTE)], edgecolors="#111111",
                         linewidths=0.6, label=area)
        axes.set_yticks(rows, [_wrap(t) for t in themes])
        axes.set_xlim(-2, 102)
        axes.set_xlabel("Percent of weighted points, by area")
        axes.grid(axis="x", color="#dddddd", linewidth=0.8)
        axes.set_axisbelow(True)
        axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18 - 0.3 / max(height, 1)),
                    ncol=min(len(areas), 4), frameon=False, fontsize=15)
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

    The axis is fitted to the figures and says so; gaps where a round had no figure; the
    legend below, never over the lines.
    """
    with _style():
        figure, axes = plt.subplots(figsize=(9, 5.5 + 0.35 * len(series)))
        xs = list(range(len(rounds)))
        for number, (name, values) in enumerate(series):
            points = [(x, v) for x, v in zip(xs, values, strict=True) if v is not None]
            axes.plot([p[0] for p in points], [p[1] for p in points],
                      marker=MARKERS[number % len(MARKERS)], color=PALETTE[number % len(PALETTE)],
                      linewidth=2, markersize=8, label=_wrap(name, 40))
        low, high = fitted_axis([v for _, values in series for v in values])
        axes.set_xticks(xs, [_wrap(r, 14) for r in rounds])
        axes.set_ylim(low, high)
        axes.set_ylabel(_axis_label(low, high, "Percent"))
        axes.set_title(label, fontsize=16, loc="left")
        axes.grid(axis="y", color="#dddddd", linewidth=0.8)
        axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2, frameon=False,
                    fontsize=13)
        return _svg(figure, label)


def small_multiples(rounds: Sequence[str],
                    series: Sequence[tuple[str, Sequence[float | None]]], label: str) -> str:
    """One small chart per theme, side by side on one shared, fitted axis.

    Eight lines on one chart tangle; eight small ones can each be read. Each names its
    figures.
    """
    with _style():
        columns = 6 if len(series) > 12 else 4 if len(series) > 4 else max(len(series), 1)
        rows = max(math.ceil(len(series) / columns), 1)
        figure, grid = plt.subplots(rows, columns, figsize=(4 * columns, 3.4 * rows + 0.8),
                                    sharey=True, squeeze=False)
        low, high = fitted_axis([v for _, values in series for v in values])
        xs = list(range(len(rounds)))
        for index, axes in enumerate(grid.flat):
            if index >= len(series):
                axes.set_visible(False)
                continue
            name, values = series[index]
            points = [(x, v) for x, v in zip(xs, values, strict=True) if v is not None]
            axes.plot([p[0] for p in points], [p[1] for p in points], marker="o",
                      color=PALETTE[0], linewidth=2, markersize=7)
            for x, v in points:
                axes.annotate(f"{v:.0f}", (x, v), textcoords="offset points", xytext=(0, 7),
                              ha="center", fontsize=12)
            axes.set_title(_wrap(name, 26), fontsize=13, loc="left")
            axes.set_xticks(xs, [_wrap(r, 8) for r in rounds], fontsize=11)
            axes.set_ylim(low, high + (high - low) * 0.08)
            axes.grid(axis="y", color="#dddddd", linewidth=0.8)
            if index % columns == 0:
                axes.set_ylabel(_axis_label(low, high, "Percent"), fontsize=12)
        figure.suptitle(label, fontsize=16, x=0.01, ha="left")
        figure.tight_layout()
        return _svg(figure, label)
