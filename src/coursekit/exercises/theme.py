"""Charts that read on light and dark JupyterLab themes.

The kernel cannot read the theme's colours, so widgets draw on a transparent background with
mid-contrast colours: dark text and lines become a mid grey, pale fills keep their own dark text.
"""

from __future__ import annotations

import io

MID = "#8c8c8c"  # readable on white and on JupyterLab's dark background
ACCENT = {"C0": "#3d8fd6", "C2": "#3fa34d", "C3": "#d9534f"}


def _luminance(colour) -> float:
    from matplotlib.colors import to_rgb

    r, g, b = to_rgb(colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def theme_figure(fig) -> None:
    """Recolour a finished figure in place: transparent background, no near-black or near-white ink."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import FancyArrowPatch
    from matplotlib.text import Text

    fig.patch.set_alpha(0.0)
    for ax in fig.axes:
        ax.set_facecolor("none")
        ax.tick_params(colors=MID, which="both")
        for spine in ax.spines.values():
            spine.set_color(MID)
        legend = ax.get_legend()
        if legend is not None:
            legend.get_frame().set_alpha(0.0)
    for t in fig.findobj(Text):
        patch = t.get_bbox_patch()
        if patch is not None and _luminance(patch.get_facecolor()) > 0.6:
            continue  # text on its own pale box stays dark: it reads on the box, not the page
        if not 0.3 <= _luminance(t.get_color()) <= 0.7:
            t.set_color(MID)
    for line in fig.findobj(Line2D):
        if not 0.25 <= _luminance(line.get_color()) <= 0.75:
            line.set_color(MID)
    for arrow in fig.findobj(FancyArrowPatch):
        if _luminance(arrow.get_edgecolor()) < 0.3:
            arrow.set_color(MID)


def themed_png(fig) -> bytes:
    theme_figure(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", transparent=True)
    return buf.getvalue()


def table_alternative(caption: str, head: tuple[str, ...] | list[str], rows: list[tuple]) -> str:
    """A chart's table alternative as HTML: a sentence a screen reader reads, and the numbers in a table opened on
    request (``<details>``), so every image a widget draws can be read without sight."""
    from html import escape

    th = "".join(f"<th>{escape(str(h))}</th>" for h in head)
    trs = "".join("<tr>" + "".join(f"<td>{escape(str(v))}</td>" for v in r) + "</tr>" for r in rows)
    return (f"<details><summary>{escape(caption)} (the chart as a table)</summary>"
            f"<table><thead><tr>{th}</tr></thead><tbody>{trs}</tbody></table></details>")
