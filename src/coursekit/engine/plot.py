"""Payout-vs-attainment charts. Uses matplotlib's object API (no pyplot state) so widgets can redraw fast."""

from __future__ import annotations

from typing import Any

import numpy as np

from coursekit.engine.payout import cap_attainment, floor, period_payout
from coursekit.engine.plan import Plan

GRID = np.linspace(0.0, 2.0, 401)
PERIOD_NOUN = {"annual": "year", "quarterly": "quarter", "monthly": "month"}  # the one table of period nouns


def draw_curve(ax, plan: Plan, *, assumed: float | None = None, label: str | None = None, color: str = "C0",
               cap_label: bool = True) -> None:
    """Draw the payout curve (share of period target incentive) with threshold, tier edges and cap marked
    (the cap's line without its label when ``cap_label`` is False: another curve on the axes labels the same cap)."""
    pay = period_payout(plan, GRID, cents=False) / plan.period_ti
    gate = floor(plan)
    # break the line at the gate's step so no false slope is drawn
    y = np.where(GRID < gate, np.nan, pay)
    ax.plot(GRID * 100, np.where(GRID < gate, 0.0, np.nan), color=color, lw=2)
    ax.plot(GRID * 100, y, color=color, lw=2, label=label or plan.name)
    if gate > 0:
        ax.axvline(gate * 100, color="0.45", ls=":", lw=1)
        ax.annotate(f"threshold {gate:.0%}", (gate * 100, 0), xytext=(3, 4),
                    textcoords="offset points", fontsize=8, color="0.3")
    if not plan.curve:
        for t in plan.effective_tiers()[1:]:
            ax.axvline(t.start * 100, color="0.7", ls="--", lw=0.8)
    if plan.cap is not None:
        ax.axhline(plan.cap, color="C3", ls="--", lw=1)
    if plan.cap is not None and cap_label:
        at = cap_attainment(plan)
        ax.annotate(f"cap {plan.cap:g}x target" + (f", reached at {at:.0%}" if at and at <= 2 else ""), (200, plan.cap),
                    xytext=(-4, 4), textcoords="offset points", ha="right", fontsize=8, color="C3")
    if assumed is not None:
        ax.axvline(assumed * 100, color="C2", lw=1.5)
        ax.annotate(f"planning assumes {assumed:.0%}", (assumed * 100, 0), xytext=(3, 18),
                    textcoords="offset points", fontsize=8, color="C2")
    ax.set_xlabel("attainment of period quota (%)")
    ax.set_ylabel("payout (x period target incentive)")  # of the measure's part of it, for a measure
    ax.set_xlim(0, 200)
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)


def curve_figure(plan: Plan, *, assumed: float | None = None, compare: Plan | None = None):
    """A new Figure (not registered with pyplot) with the plan's payout curve."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6.4, 3.6), dpi=100, layout="constrained")
    ax = fig.add_subplot()
    if compare is not None:
        # the same cap before and after is one line: label it once, with the plan as it is now
        draw_curve(ax, compare, label="before your changes", color="0.6", cap_label=compare.cap != plan.cap)
    if plan.measures:  # each measure's curve, as a share of its own part of the target incentive
        for i, m in enumerate(plan.measures):
            draw_curve(ax, m.plan, assumed=assumed if i == 0 else None, label=f"{m.name} ({m.weight * 100:.4g}% of target)",
                       color=f"C{i}" if i != 3 else "C9")
    else:
        draw_curve(ax, plan, assumed=assumed, label="your plan" if compare is not None else None)
    per = PERIOD_NOUN[plan.period]
    ax.set_title(f"{plan.name}: incentive per {per} (paid {'annually' if plan.period == 'annual' else plan.period})")
    if compare is not None or plan.measures:
        ax.legend(loc="upper left", fontsize=8)
    return fig


def histogram_figure(result: dict[str, Any], plan: Plan):
    """A new Figure with the credited attainment histogram of ``simulate.population``'s result (what the threshold
    and quota are measured against), titled with its incentive cost per 100 of bookings."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6.4, 3.2), dpi=100, layout="constrained")
    ax = fig.add_subplot()
    ax.hist(result.get("credited_attainment", result["attainment"]) * 100, bins=40, color="C0", alpha=0.8)
    if plan.threshold:
        ax.axvline(plan.threshold * 100, color="0.4", ls=":", label="threshold")
    ax.axvline(100, color="C2", label="quota")
    ax.set_xlabel("credited attainment (% of quota)")
    ax.set_ylabel("reps")
    ax.set_title(f"{result['reps']:,} reps under {plan.name}: incentive cost per 100 of bookings {result['cost_of_sales_pct']:.1f}")
    ax.legend(fontsize=8)
    return fig


def save_curve(plan: Plan, path, **kw) -> None:
    fig = curve_figure(plan, **kw)
    fig.savefig(path)


def png_bytes(fig) -> bytes:
    import io

    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def chart_label(text: str, width: int = 32) -> str:
    """Learner text as a chart label: shortened, and ``$`` literal (matplotlib would parse it as mathtext)."""
    t = text if len(text) <= width else text[: width - 1] + "…"
    return t.replace("$", r"\$")
