"""The plan tester's month-by-month pay chart: each option's pay in each month of the year, side by side."""

from __future__ import annotations

from fractions import Fraction

from coursekit.exercises.plan_tester.checks import pct, tenths
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


def frontier_alt(frontier, mine: tuple[float, float] | None) -> str:
    """The frontier chart in words (its alt text): each plan on it, and where the learner's design sits."""
    # the figures as the tests print them: cost half up; an edge cut down to 0.1% (5.48% reads 5.4% everywhere)
    pts = "; ".join(f"{', '.join(p.changes) or 'the plan as given'}: {tenths(Fraction(p.cost))} per 100 of bookings, "
                    f"edge {pct(Fraction(p.margin or 0), '0.1', down=True)}" for p in frontier.frontier)
    you = (f" Your design: {tenths(Fraction(str(mine[0])))} per 100, edge {pct(Fraction(str(mine[1])), '0.1', down=True)}."
           if mine else "")
    return f"Cost against margin of the plans that work, cheapest first: {pts or 'none in the grid'}.{you}"


def frontier_figure(frontier, mine: tuple[float, float] | None = None):
    """Cost (the budget: incentive per 100 of bookings) against margin (the strategy's option's edge) of the plans
    the search found that work, the frontier joined, the learner's design marked; ``fig.alt`` holds its alt text."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5.2, 3.2), dpi=100)
    xs = [float(p.cost) for p in frontier.frontier]
    ys = [float(p.margin or 0) * 100 for p in frontier.frontier]
    ax.plot(xs, ys, "o-", color=COLOURS[0], label="cheapest plans that work")
    if frontier.cheapest is not None:
        ax.plot([float(frontier.cheapest.cost)], [float(frontier.cheapest.margin or 0) * 100], "s", color=COLOURS[1],
                markersize=9, label="the cheapest plan that works")
    if mine is not None:
        ax.plot([mine[0]], [mine[1] * 100], "*", color=COLOURS[2], markersize=14, label="your design")
    ax.axhline(2, ls="--", color="0.6", lw=1)
    ax.set_xlabel("the budget: incentive per 100 of bookings")
    ax.set_ylabel("edge of the strategy's option (%)")
    ax.set_title("Where your design sits: cost against margin", fontsize=10)
    ax.legend(fontsize=8, frameon=False)
    fig.tight_layout()
    plt.close(fig)
    fig.alt = frontier_alt(frontier, mine)
    return fig
