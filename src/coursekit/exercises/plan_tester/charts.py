"""The plan tester's month-by-month pay chart: each option's pay in each month of the year, side by side."""

from __future__ import annotations

from coursekit.exercises.theme import ACCENT

COLOURS = (ACCENT["C0"], ACCENT["C2"], ACCENT["C3"], "#b07cc6", "#d9a441")


def month_bars(months: dict[str, list[float]], labels: list[str], title: str, prefer: str | None = None):
    """A figure of grouped bars: one group per month, one bar per option (the strategy's option named so)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter

    fig, ax = plt.subplots(figsize=(6.4, 3.2), dpi=100)
    n = max(len(months), 1)
    width = 0.8 / n
    for i, (name, pays) in enumerate(months.items()):
        xs = [t - 0.4 + width * (i + 0.5) for t in range(len(pays))]
        label = f"{name} (the strategy's)" if name == prefer else name
        ax.bar(xs, pays, width=width, label=label, color=COLOURS[i % len(COLOURS)])
    ax.set_xticks(range(len(labels)))
    ax.set_xticklabels(labels, fontsize=8)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:,.0f}"))
    ax.set_ylabel("pay in the month")
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=8, frameon=False)
    fig.tight_layout()
    plt.close(fig)
    return fig
