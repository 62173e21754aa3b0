"""A case file per finding: the deals behind it, the money at stake, the effect with an interval, what was checked.

``attach(signals, ...)`` returns the signals with their case filled in. The deals are the rep's own rows that make
the pattern (the period-end deals for bunching and discounting, the period-end deals and the deal that carried a
period over the edge, the
burst after a stall, the split accounts' deals); at most ``MAX_DEALS`` are listed, ``deals_total`` counts them all.
Money at stake is in the plan's currency at the plan's target incentive: the commission the period-end deals earned
(bunching, landing at an edge: the payout with them less the payout without them), the discount given beyond the
rep's own usual discount, the value closed just after a stall, or the value of the split deals.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from coursekit.engine.payout import period_payout

if TYPE_CHECKING:
    import pandas as pd

    from coursekit.engine.plan import Plan

MAX_DEALS = 60
Z = 1.96  # a 95% interval

CHECKED = {
    "period_end_bunching": ("even timing over the period's business days", "the peers' share in the same periods "
                            "(the customers' calendar)", "several lines of one order counted once"),
    "period_end_discounting": ("the rep's own discounts earlier in the period", "several lines of one order counted once"),
    "edge_bunching": ("how often a rep-period lands in the band when pay does not bend there (the team's counterfactual "
                      "density: a polynomial fitted to its attainment away from the edge, Kleven 2016)",
                      "the rep's own spread of attainment"),
    "post_cap_stall": ("the rep's own pace of deals over the year",),
    "deal_splitting": ("how often any two of the rep's deals to different accounts look alike", "a stated approval limit "
                       "(pairs each under it, together over it)"),
}


def wilson(k: int, n: int) -> tuple[float, float]:
    """The 95% Wilson interval of a proportion k/n."""
    if n == 0:
        return 0.0, 1.0
    p = k / n
    d = 1 + Z * Z / n
    mid = (p + Z * Z / (2 * n)) / d
    half = Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / d
    return max(0.0, mid - half), min(1.0, mid + half)


def attach(signals: list, table: pd.DataFrame, reps: list[str], labels: list[str], plan: Plan, att: np.ndarray,
           att_without: np.ndarray, window: int, q_rep: np.ndarray, edges: list[tuple[str, float]], extra: dict) -> list:
    """Each signal with its case (see the module docstring); ``extra`` holds per-signal details the tests kept
    (keyed by (kind, rep, period)): the expected share or rate, the split accounts."""
    if not signals:
        return signals
    rep_of = {name: i for i, name in enumerate(reps)}
    per_of = {label: j for j, label in enumerate(labels)}
    r = table["rep"].to_numpy()
    named = {rep_of[s.rep] for s in signals if s.rep}
    # each named rep's rows in the table's order, found once: a scan per rep when few are named (a sort of every deal
    # costs about as much as twenty scans), else one stable sort
    if len(named) <= 16:
        rows_of = {i: np.flatnonzero(r == i) for i in named}
    else:
        order = np.argsort(r, kind="stable")
        bounds = np.searchsorted(r[order], np.arange(len(reps) + 1))
        rows_of = {i: order[bounds[i]:bounds[i + 1]] for i in named}
    scale = q_rep / plan.period_quota  # a rep's pay scales with their quota's share of the plan's
    out = []
    mine: dict[int, pd.DataFrame] = {}  # each rep's deals, taken from the table once however many findings name the rep
    for s in signals:
        if not s.rep:
            out.append(replace(s, checked=CHECKED.get(s.kind, ())))
            continue
        i, j = rep_of[s.rep], per_of.get(s.period)
        if i not in mine:
            mine[i] = table.iloc[rows_of[i]]
        sub = mine[i]  # this rep's deals
        per, win = sub["period"].to_numpy(), sub["to_end"].to_numpy() <= window
        info = extra.get((s.kind, s.rep, s.period), {})
        here = (per == j) if j is not None else np.ones(len(sub), bool)
        if j is None and "periods" in info and s.kind != "post_cap_stall":  # the periods a year-level test is about
            here = np.isin(per, list(info["periods"]))
        stake, what, effect = 0.0, "", ""
        rows = np.zeros(len(sub), bool)
        if s.kind in ("period_end_bunching", "period_end_discounting"):
            rows = win & here
            if s.kind == "period_end_bunching":
                stake = _commission(plan, att, att_without, i, sorted(set(per[rows].tolist())), scale)
                what = "commission the period-end deals earned (the payout with them less without them)"
                effect = _rate(info.get("what", f"of deals in the last {window} business days"), info.get("x", 0),
                               info.get("n", 0), info.get("p0", 0.0))
            else:
                stake, what, effect = _discount(sub, rows, ~win & here)
        elif s.kind == "edge_bunching":
            e = dict(edges).get(s.component)
            landed = [jj for jj in range(len(labels)) if e is not None and e <= att[i, jj] < e + 0.05]
            rows = (win & np.isin(per, landed)) | _crossing(sub, per, landed, (e or 0) * plan.period_quota * scale[i])
            stake = _commission(plan, att, att_without, i, landed, scale)
            what = "commission the period-end deals earned in the periods that landed just above the edge"
            effect = _rate(f"of periods landing just above the {s.component}", info.get("k", 0), info.get("n", 0),
                           info.get("p0", 0.0))
        elif s.kind == "post_cap_stall":
            after = [j + 1] if j is not None else [p + 1 for p in info.get("periods", ())]
            rows = np.isin(per, after) & (sub["day"].to_numpy() < 3)
            stake = float(sub["cents"].to_numpy()[rows].sum()) / 100
            what = "value closed in the first business days of the next period"
            effect = _pace(info.get("after", 0), info.get("expect", 0.0), s.component)
        elif s.kind == "deal_splitting" and "account" in sub:
            rows = here & np.isin(sub["account"].astype(str).to_numpy(), list(info.get("accounts", ())))
            stake = float(sub["cents"].to_numpy()[rows].sum()) / 100
            what = "value of the deals that look split (approved once, had they been one deal)"
            effect = _rate("of same-account neighbours that look split", info.get("x", 0), info.get("n", 0), info.get("p0", 0.0))
        out.append(replace(s, deals=_deals(sub[rows]), deals_total=int(rows.sum()), at_stake=round(stake, 2),
                           at_stake_what=what, effect=effect, checked=CHECKED.get(s.kind, ())))
    return out


def _rate(what: str, k: int, n: int, p0: float) -> str:
    """A share against its expectation, in points, with the share's 95% interval."""
    if not n:
        return ""
    lo, hi = wilson(k, n)
    return f"{(k / n - p0) * 100:+.0f} points {what}: {k / n:.0%} (95% interval {lo:.0%} to {hi:.0%}) against {p0:.0%}"


def poisson_interval(k: int) -> tuple[float, float]:
    """A 95% interval for a Poisson mean from ``k`` events (Byar's approximation; exact at k = 0)."""
    if k == 0:
        return 0.0, -math.log(0.025)
    lo = k * (1 - 1 / (9 * k) - Z / (3 * math.sqrt(k))) ** 3
    hi = (k + 1) * (1 - 1 / (9 * (k + 1)) + Z / (3 * math.sqrt(k + 1))) ** 3
    return max(0.0, lo), hi


def _pace(after: int, expect: float, mark: str) -> str:
    """Deals after the cap or quota as a share of those the rep's pace predicts, with a 95% interval."""
    if expect <= 0:
        return ""
    lo, hi = poisson_interval(after)
    return (f"deals after the {mark} at {after / expect:.0%} of the pace expected (95% interval {lo / expect:.0%} to "
            f"{hi / expect:.0%}): {after} against about {expect:.1f}")


def _crossing(sub: pd.DataFrame, per: np.ndarray, periods: list[int], edge_value: float) -> np.ndarray:
    """The deal in each period that carried the rep's bookings over the edge."""
    out = np.zeros(len(sub), bool)
    cents, dates = sub["cents"].to_numpy(), sub["date"].to_numpy()
    for j in periods:
        idx = np.nonzero(per == j)[0]
        idx = idx[np.argsort(dates[idx], kind="stable")]
        hit = np.nonzero(np.cumsum(cents[idx]) / 100 >= edge_value)[0]
        if hit.size:
            out[idx[hit[0]]] = True
    return out


def _commission(plan: Plan, att: np.ndarray, att_without: np.ndarray, i: int, periods: list[int], scale: np.ndarray) -> float:
    if not periods:
        return 0.0
    cols = np.array(periods, dtype=np.int64)
    a, b = np.nan_to_num(att[i, cols]), np.nan_to_num(att_without[i, cols])
    return float(((period_payout(plan, a) - period_payout(plan, b)) * scale[i]).sum())


def _discount(table: pd.DataFrame, rows: np.ndarray, before: np.ndarray) -> tuple[float, str, str]:
    if "discount" not in table:
        return 0.0, "", ""
    d, c = table["discount"].to_numpy(), table["cents"].to_numpy() / 100
    base = float(np.nanmedian(d[before])) if before.any() else 0.0
    dd = np.nan_to_num(d[rows])
    given = float(np.sum(c[rows] / np.maximum(1 - dd, 0.05) * np.maximum(dd - base, 0)))
    diffs = dd - base
    n = len(diffs)
    sd = float(np.std(diffs, ddof=1)) if n > 1 else 0.0
    mean = float(np.mean(diffs)) if n else 0.0
    effect = (f"{mean * 100:+.1f} discount points on the period-end deals (95% interval {100 * (mean - Z * sd / math.sqrt(n)):+.1f} "
              f"to {100 * (mean + Z * sd / math.sqrt(n)):+.1f}) against the rep's usual {base:.1%}") if n > 1 else ""
    return given, "discount given beyond the rep's usual discount, at list price", effect


def _deals(rows: pd.DataFrame) -> tuple[dict, ...]:
    rows = rows.sort_values("date", kind="stable").head(MAX_DEALS)
    cols = {c: rows[c].tolist() for c in ("deal_id", "date", "cents", "account", "discount") if c in rows}
    out = []
    for k in range(len(rows)):
        row = {"deal_id": str(cols["deal_id"][k]) if "deal_id" in cols else "", "date": str(cols["date"][k])[:10],
               "amount": int(cols["cents"][k]) / 100}
        if "account" in cols:
            row["account"] = str(cols["account"][k])
        if "discount" in cols:
            v = float(cols["discount"][k])
            row["discount"] = None if v != v else round(v, 4)
        out.append(row)
    return tuple(out)
