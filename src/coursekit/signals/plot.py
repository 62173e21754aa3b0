"""Charts of a gaming-signals report: the timing, attainment and discount pictures people look at.

``figures(report)`` returns new matplotlib Figures (object API, not pyplot), for the HTML report and
for a widget alike.
"""

from __future__ import annotations

import numpy as np

from coursekit.signals.detect import BAND, Report

TIMING_KINDS = ("period_end_bunching", "period_end_discounting")
MAX_REPS = 4
MAX_POINTS = 6000


def label(text: str) -> str:
    """A rep's name as matplotlib text: no mathtext from `$`, not hidden from legends by a leading `_`."""
    out = str(text).replace("\\", "\\\\").replace("$", r"\$")
    return " " + out if out.startswith("_") else out


def _finish(fig, ax, xlabel: str, ylabel: str, title: str, legend: bool = True):
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    if legend:
        ax.legend(fontsize=8, loc="upper left")
    ax.grid(alpha=0.3)
    return fig


def _flagged(report: Report, kinds: tuple[str, ...]) -> list[int]:
    names = [r for k in kinds for r in report.flagged(k)]
    seen: list[str] = []
    for n in names:
        if n not in seen:
            seen.append(n)
    return [report.reps.index(n) for n in seen[:MAX_REPS]]


def timing_figure(report: Report, reps: list[str] | None = None):
    """Share of deals by business days before the period's end: flagged reps against the team."""
    from matplotlib.figure import Figure

    d = report.deals
    fig = Figure(figsize=(7.2, 3.6), dpi=100, layout="constrained")
    ax = fig.add_subplot()
    top = int(min(d["to_end"].max(), 70)) if len(d) else 1
    bins = np.arange(0.5, top + 1.5)
    team = np.histogram(d["to_end"], bins)[0] / max(len(d), 1)
    ax.stairs(team * 100, bins, fill=True, color="0.82", label="whole team")
    idx = [report.reps.index(r) for r in reps] if reps is not None else _flagged(report, TIMING_KINDS)
    for c, i in enumerate(idx):
        mine = d["to_end"][d["rep"] == i]
        h = np.histogram(mine, bins)[0] / max(len(mine), 1)
        ax.stairs(h * 100, bins, lw=2, color=f"C{c}", label=label(report.reps[i]))
    ax.axvspan(0.5, report.window + 0.5, color="C3", alpha=0.08)
    ax.annotate(f"last {report.window} business days", (report.window + 0.5, 1), xycoords=("data", "axes fraction"),
                xytext=(-3, -12), textcoords="offset points", ha="right", fontsize=8, color="C3")
    ax.invert_xaxis()
    return _finish(fig, ax, "business days before the period ends (period end on the right)", "share of deals (%)",
                   "When deals close: flagged reps against the team")


def attainment_figure(report: Report):
    """Histogram of attainment as the plan measures it, with threshold, tier edges and cap drawn."""
    from matplotlib.figure import Figure

    a = report.attainment[~np.isnan(report.attainment)] * 100
    fig = Figure(figsize=(7.2, 3.6), dpi=100, layout="constrained")
    ax = fig.add_subplot()
    top = max(200.0, min(float(np.percentile(a, 99)) if a.size else 200.0, 400.0))
    bins = np.arange(0, top + BAND * 100, BAND * 100)
    ax.hist(np.clip(a, 0, top), bins, color="C0", alpha=0.8)
    for name, e in report.edges:
        if e * 100 <= top:
            ax.axvline(e * 100, color="C3" if name == "cap" else "0.3", ls="--" if name != "threshold" else ":", lw=1.2)
            ax.annotate(f"{name} {e:.0%}", (e * 100, 1), xycoords=("data", "axes fraction"), xytext=(3, -12),
                        textcoords="offset points", fontsize=8, color="C3" if name == "cap" else "0.2")
    what = "year-to-date attainment at each true-up" if report.measurement == "cumulative" else "attainment per rep and period"
    return _finish(fig, ax, f"{what} (%), in {BAND:.0%} bands", "rep-periods", "Where attainment lands against the plan's edges",
                   legend=False)


def discount_figure(report: Report, reps: list[str] | None = None):
    """Discount by business day of the period; deals in the last business days marked."""
    from matplotlib.figure import Figure

    d = report.deals
    fig = Figure(figsize=(7.2, 3.6), dpi=100, layout="constrained")
    ax = fig.add_subplot()
    if "discount" not in d or d["discount"].isna().all():
        ax.text(0.5, 0.5, "the export has no discount column", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return fig
    d = d[~d["discount"].isna()]
    sample = d.sample(MAX_POINTS, random_state=0) if len(d) > MAX_POINTS else d
    ax.scatter(sample["day"] + 1, sample["discount"] * 100, s=6, color="0.75", label="whole team")
    mean = d.groupby("day")["discount"].mean()
    ax.plot(mean.index + 1, mean.to_numpy() * 100, color="0.3", lw=1.5, label="team average")
    idx = [report.reps.index(r) for r in reps] if reps is not None else _flagged(report, ("period_end_discounting",))
    for c, i in enumerate(idx):
        mine = d[d["rep"] == i]
        late = mine["to_end"] <= report.window
        ax.scatter(mine["day"][~late] + 1, mine["discount"][~late] * 100, s=14, color=f"C{c}", label=label(report.reps[i]))
        ax.scatter(mine["day"][late] + 1, mine["discount"][late] * 100, s=30, color=f"C{c}", marker="^",
                   label=label(f"{report.reps[i]}, last {report.window} business days"))
    return _finish(fig, ax, "business day of the period", "discount (% of list)", "Discount by day of the period")


def figures(report: Report) -> dict[str, object]:
    """The report's three charts: ``timing``, ``attainment`` and ``discount``."""
    return {"timing": timing_figure(report), "attainment": attainment_figure(report), "discount": discount_figure(report)}
