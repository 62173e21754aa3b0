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


MAX_CASE_PERIODS = 4
MAX_ACCOUNTS = 6


def stall_figure(report: Report, signal) -> tuple[object, str]:
    """A stall's case chart: the rep's cumulative bookings (as the plan credits them) by business day, one line per
    period in which the cap (or quota) was reached, against that line; returns (figure, alt text)."""
    from matplotlib.figure import Figure

    i = report.reps.index(signal.rep)
    mark = dict(report.edges).get("cap", 1.0) if signal.component == "cap" else 1.0
    q = float(report.period_quota[i]) if report.period_quota is not None else report.plan.period_quota
    d = report.deals[report.deals["rep"] == i].sort_values(["period", "date"], kind="stable")
    fig = Figure(figsize=(7.2, 3.6), dpi=100, layout="constrained")
    ax = fig.add_subplot()
    said = []
    for j, grp in d.groupby("period", sort=True):
        cum = grp["credit"].cumsum().to_numpy() / q
        label_j = report.periods[int(j)]
        if (signal.period and label_j != signal.period) or cum[-1] < mark or len(said) >= MAX_CASE_PERIODS:
            continue
        days = grp["day"].to_numpy() + 1
        end = int(grp["day"].iloc[0] + grp["to_end"].iloc[0])  # business days in the period
        c = f"C{len(said)}"
        ax.step(np.concatenate([[0], days, [end]]), np.concatenate([[0], cum, cum[-1:]]) * 100, where="post", lw=1.8,
                color=c, label=label(label_j))
        hit = int(np.argmax(cum >= mark))
        left = int(len(cum) - hit - 1)
        ax.axvspan(days[hit], end, color=c, alpha=0.07)
        said.append(f"{label_j}: reached on business day {days[hit]} of {end}, {left} deal{'s' if left != 1 else ''} after it")
    what = "cap" if signal.component == "cap" else "quota"
    ax.axhline(mark * 100, color="C3", ls="--", lw=1.2)
    ax.annotate(f"{what} {mark:.0%}", (1, mark * 100), xycoords=("axes fraction", "data"), xytext=(-3, -12),
                textcoords="offset points", ha="right", fontsize=8, color="C3")
    ax.set_ylim(0, max(ax.get_ylim()[1], mark * 110))
    _finish(fig, ax, f"business day of the period (shaded: after the {what} was reached)",
            "bookings to date (% of the period's quota)", f"{label(signal.rep)}: cumulative bookings against the {what}",
            legend=False)
    if said:
        ax.legend(fontsize=8, loc="lower right")
    alt = (f"{signal.rep}'s cumulative bookings by business day against the {what} at {mark:.0%} of the period's quota; "
           + "; ".join(said) + ".")
    return fig, alt


def split_figure(report: Report, signal) -> tuple[object, str]:
    """A splitting case's chart: each account's deals on a timeline, sized by amount, against the stated approval limit;
    the deals of one account a few days apart are joined. Returns (figure, alt text)."""
    from matplotlib.figure import Figure

    deals = [x for x in signal.deals if x.get("account")]
    accounts = list(dict.fromkeys(x["account"] for x in deals))[:MAX_ACCOUNTS]
    fig = Figure(figsize=(7.2, 3.6), dpi=100, layout="constrained")
    ax = fig.add_subplot()
    said = []
    for c, acct in enumerate(accounts):
        mine = [x for x in deals if x["account"] == acct]
        when = np.array([np.datetime64(x["date"]) for x in mine])
        amount = np.array([x["amount"] for x in mine])
        ax.plot(when, amount, marker="o", lw=1, color=f"C{c}", label=label(acct))
        said.append(f"{acct}: {len(mine)} deals of {', '.join(f'{a:,.0f}' for a in amount)}")
    limit = report.approval_limit
    if limit is not None:
        ax.axhline(limit, color="C3", ls="--", lw=1.2)
        ax.annotate(f"approval limit {limit:,.0f}", (0, limit), xycoords=("axes fraction", "data"), xytext=(3, 3),
                    textcoords="offset points", fontsize=8, color="C3")
    top = max([x["amount"] for x in deals] + [limit or 0.0])
    ax.set_ylim(0, top * 1.2)
    fig.autofmt_xdate()
    _finish(fig, ax, "close date", f"deal amount ({report.plan.currency})", f"{label(signal.rep)}: same-account deals "
            "against the approval limit", legend=False)
    if said:
        ax.legend(fontsize=8, loc="lower right")
    alt = (f"{signal.rep}'s deals to the accounts that look split, by close date and amount"
           + (f", against the {limit:,.0f} approval limit" if limit is not None else "") + ": " + "; ".join(said) + ".")
    return fig, alt


def case_figure(report: Report, signal) -> tuple[object, str] | None:
    """The chart a case file carries, with its alt text: stalls and splitting (None for the other kinds)."""
    if signal.kind == "post_cap_stall":
        return stall_figure(report, signal)
    if signal.kind == "deal_splitting" and signal.deals:
        return split_figure(report, signal)
    return None
