"""PNG charts for the bot, drawn with matplotlib's object-oriented API.

No pyplot: every call builds its own ``Figure`` on an Agg canvas, so nothing is registered in
pyplot's global figure manager, nothing needs a display, and charts can be drawn outside the event
loop's thread — in ``handlers.render_worker``'s thread, which also keeps them one at a time
(matplotlib's font cache is shared). All visible strings come in already translated.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Sequence

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

__all__ = ["area_chart"]

# DejaVu Sans ships with matplotlib and has Cyrillic glyphs; named explicitly so that a changed
# rcParams elsewhere cannot switch the charts to a font without them.
FONT = "DejaVu Sans"

DEFICIT_COLOR = "#E8743B"  # warm: below the threshold
OK_COLOR = "#4E9A6A"  # green: at or above the threshold
EMPTY_EDGE = "#9A9A9A"  # outline of a not-assessed bar
THRESHOLD_COLOR = "#C0392B"
PREVIOUS_COLOR = "black"
TEXT_COLOR = "#222222"

WIDTH_IN = 8.0
BASE_HEIGHT_IN = 4.5
MAX_HEIGHT_IN = 9.0
DPI = 110
LABEL_WRAP = 22  # characters per line of an area's name
TITLE_WRAP = 64
BAR_HEIGHT = 0.6


def _wrap(text: str, width: int) -> str:
    lines = textwrap.wrap(text, width=width, break_on_hyphens=True) or [""]
    return "\n".join(lines)


def _clamp(value: float) -> float:
    return min(max(value, 0.0), 100.0)


def area_chart(
    labels: Sequence[str],
    scores: Sequence[int | None],
    *,
    previous: Sequence[int | None] | None = None,
    threshold: int,
    title: str,
    previous_label: str = "",
    threshold_label: str = "",
    not_assessed_label: str = "",
) -> bytes:
    """A horizontal bar chart of the scores (0..100) per competence area, as PNG bytes.

    Areas go top to bottom in the given order. A bar below ``threshold`` is a deficit (warm colour),
    the others are green; a dashed vertical line marks the threshold. ``previous`` (same length as
    ``labels``) adds the previous diagnosis as black diamonds. A ``None`` score is drawn as an empty
    outlined bar with ``not_assessed_label`` in it. Legend entries with an empty label are omitted.
    Scores outside 0..100 are drawn clamped, but printed as given.
    """
    n = len(labels)
    if len(scores) != n:
        raise ValueError(f"{len(scores)} scores for {n} labels")
    if previous is not None and len(previous) != n:
        raise ValueError(f"{len(previous)} previous scores for {n} labels")

    height = min(MAX_HEIGHT_IN, max(BASE_HEIGHT_IN, 1.6 + 0.62 * n))
    fig = Figure(figsize=(WIDTH_IN, height), dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    try:
        ax = fig.add_subplot()
        _draw_areas(ax, labels, scores, threshold, not_assessed_label)

        handles: list[Line2D] = []
        ax.axvline(threshold, color=THRESHOLD_COLOR, linestyle="--", linewidth=1.4, zorder=3)
        if threshold_label:
            handles.append(
                Line2D([], [], color=THRESHOLD_COLOR, linestyle="--", linewidth=1.4, label=threshold_label)
            )
        if previous is not None:
            points = [(_clamp(p), i) for i, p in enumerate(previous) if p is not None]
            if points:
                xs, ys = zip(*points, strict=True)
                ax.scatter(xs, ys, marker="D", s=34, color=PREVIOUS_COLOR, zorder=5, linewidths=0)
            if previous_label:
                handles.append(
                    Line2D(
                        [],
                        [],
                        marker="D",
                        markersize=6,
                        color=PREVIOUS_COLOR,
                        linestyle="none",
                        label=previous_label,
                    )
                )

        ax.set_xlim(0, 100)
        ax.set_xticks(range(0, 101, 20))
        ax.set_ylim(max(n, 1) - 0.5, -0.5)  # inverted: the first area on top
        ax.set_yticks(
            range(n),
            labels=[_wrap(label, LABEL_WRAP) for label in labels],
            fontfamily=FONT,
            fontsize=9.5,
            color=TEXT_COLOR,
        )
        ax.tick_params(axis="x", labelsize=9, colors=TEXT_COLOR)
        ax.tick_params(axis="y", length=0)
        for label in ax.get_xticklabels():
            label.set_fontfamily(FONT)
        ax.grid(axis="x", color="#E3E3E3", linewidth=0.8, zorder=0)
        ax.set_axisbelow(True)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        if title:  # over the whole figure: the area names take a third of the axes' left
            fig.suptitle(_wrap(title, TITLE_WRAP), fontfamily=FONT, fontsize=12, color=TEXT_COLOR)

        if handles:
            fig.legend(
                handles=handles,
                loc="outside lower center",
                ncols=len(handles),
                frameon=False,
                prop={"family": FONT, "size": 9},
            )

        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
        return buffer.getvalue()
    finally:
        fig.clear()  # drop the artists now rather than at the next GC cycle


def _draw_areas(ax, labels: Sequence[str], scores: Sequence[int | None], threshold: int, empty: str) -> None:
    for i, score in enumerate(scores):
        if score is None:
            ax.barh(
                i,
                100,
                height=BAR_HEIGHT,
                color="none",
                edgecolor=EMPTY_EDGE,
                linestyle=(0, (4, 3)),
                linewidth=1.0,
                zorder=2,
            )
            if empty:
                ax.text(
                    2,
                    i,
                    empty,
                    va="center",
                    ha="left",
                    fontfamily=FONT,
                    fontsize=9,
                    fontstyle="italic",
                    color="#6A6A6A",
                    zorder=4,
                )
            continue
        width = _clamp(score)
        color = DEFICIT_COLOR if score < threshold else OK_COLOR
        ax.barh(i, width, height=BAR_HEIGHT, color=color, zorder=2)
        # The value at the end of the bar; inside it when there is no room on the right.
        inside = width > 90
        ax.text(
            width - 1.2 if inside else width + 1.2,
            i,
            str(score),
            va="center",
            ha="right" if inside else "left",
            fontfamily=FONT,
            fontsize=10,
            fontweight="bold",
            color="white" if inside else TEXT_COLOR,
            # Outside the bar, a white backing keeps the number legible over the threshold line.
            bbox=None if inside else {"facecolor": "white", "edgecolor": "none", "pad": 1.0},
            zorder=4,
        )
