"""The room's charts, for a facilitator who would rather look than read: PNGs drawn with matplotlib's object API
(no pyplot state, safe in a kernel and a command). Learner text becomes a label only through ``label``: shortened,
control characters dropped, ``$`` made literal (matplotlib would parse ``$...$`` as mathtext)."""

from __future__ import annotations

import statistics
import warnings
from typing import TYPE_CHECKING

from coursekit.engine.plot import chart_label, png_bytes

if TYPE_CHECKING:
    from coursekit.room.gather import Room

INK, MUTED, BLUE, GREY = "#1f2328", "#57606a", "#0b5cad", "#c9d1d9"
TOP_CHANGES = 10


def label(text: str, width: int = 40) -> str:
    return chart_label("".join(c for c in text if c.isprintable()), width)


def _figure(rows: int, width: float = 8.0, per_row: float = 0.32):
    from matplotlib.figure import Figure

    return Figure(figsize=(width, max(1.6, per_row * rows + 1.0)), dpi=100, layout="constrained", facecolor="white")


def _png(fig) -> bytes:
    with warnings.catch_warnings():  # a glyph the font lacks (an emoji in a label) is drawn as a box, not a warning line
        warnings.simplefilter("ignore")
        return png_bytes(fig)


def _style(ax) -> None:
    ax.set_facecolor("white")
    ax.tick_params(colors=INK, labelsize=8.5)
    for s in ("top", "right"):
        ax.spines[s].set_visible(False)


def contradictions_png(room: Room, top: int = 5) -> bytes | None:
    """One panel per system (and the contradiction itself): the sentences named most often, as shares of the room."""
    panels = [(s, c.most_common(top)) for s, c in room.named.items() if c]
    if not panels:
        return None
    fig = _figure(sum(len(rows) + 2 for _, rows in panels))
    axes = fig.subplots(len(panels), 1, squeeze=False, height_ratios=[len(rows) + 1 for _, rows in panels])[:, 0]
    for ax, (system, rows) in zip(axes, panels):
        _style(ax)
        ax.barh(range(len(rows)), [n for _, n in rows], color=BLUE, height=0.7)
        ax.set_yticks(range(len(rows)), [label(t) for t, _ in rows])
        ax.invert_yaxis()
        ax.set_xlim(0, room.briefs or 1)
        ax.set_title(f"{system.capitalize()}: named most often", loc="left", fontsize=10, color=INK)
        for i, (_, n) in enumerate(rows):
            ax.text(n, i, f" {n} of {room.briefs}", va="center", fontsize=8, color=MUTED)
    axes[-1].set_xlabel("briefs naming it", color=INK)
    return _png(fig)


def changes_png(room: Room) -> bytes | None:
    """Left: how many proposed each plan change and how many of those passed the tests. Right: the median incentive
    cost per 100 of bookings of the plans that made the change, with the range from lowest to highest."""
    rows = sorted(room.changes.items(), key=lambda kv: (-len(kv[1]["passed"]), kv[0]))[:TOP_CHANGES]
    if not rows:
        return None
    fig = _figure(len(rows) + 1, width=9.0)
    left, right = fig.subplots(1, 2, sharey=True, width_ratios=[3, 2])
    ys = range(len(rows))
    passed = [sum(v["passed"]) for _, v in rows]
    failed = [len(v["passed"]) - p for (_, v), p in zip(rows, passed)]
    for ax in (left, right):
        _style(ax)
    left.barh(ys, passed, color=BLUE, height=0.7, label="passed the tests")
    left.barh(ys, failed, left=passed, color=GREY, height=0.7, label="did not pass")
    left.set_yticks(ys, [label(c) for c, _ in rows])
    left.invert_yaxis()
    left.set_xlabel("briefs proposing it", color=INK)
    fig.legend(loc="outside upper left", ncols=2, fontsize=8, frameon=False)
    for y, (_, v) in zip(ys, rows):
        if v["cost"]:
            lo, hi, mid = min(v["cost"]), max(v["cost"]), statistics.median(v["cost"])
            right.plot([float(lo), float(hi)], [y, y], color=GREY, linewidth=3, solid_capstyle="round")
            right.plot([float(mid)], [y], "o", color=BLUE)
            right.text(float(mid), y - 0.3, f"{mid:.1f}", ha="center", fontsize=8, color=MUTED)
    right.set_xlabel("incentive cost per 100 of bookings (median; range)", color=INK)
    right.margins(x=0.15)
    return _png(fig)


def progress_png(room: Room) -> bytes | None:
    """How far the room got: per section of the brief, the share of briefs that filled it."""
    if not room.headings or not room.briefs:
        return None
    sids = list(room.headings)
    fig = _figure(len(sids), width=8.0)
    ax = fig.subplots()
    _style(ax)
    shares = [100 * room.filled[s] / room.briefs for s in sids]
    ax.barh(range(len(sids)), [100] * len(sids), color=GREY, height=0.7)
    ax.barh(range(len(sids)), shares, color=BLUE, height=0.7)
    ax.set_yticks(range(len(sids)), [label(room.headings[s]) for s in sids])
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("briefs with the section filled in, %", color=INK)
    for i, s in enumerate(sids):
        ax.text(101, i, f"{room.filled[s]} of {room.briefs}", va="center", fontsize=8, color=MUTED, clip_on=False)
    return _png(fig)
