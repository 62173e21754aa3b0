"""A synthetic CRM export to learn on: a plan year of closed deals, seeded, with reps gaming in known ways.

    python -m coursekit.signals.synth --plan examples/crm-plan.yaml -o examples/crm-export.csv
    python -m coursekit.signals.synth --plan examples/crm-plan.yaml -o examples/crm-export-clean.csv --clean

Deals follow the plan's economics: each rep has an attainment level around 95% of the period quota,
deals come as a Poisson count of lognormal sizes that add up to it, closed on business days spread
evenly over the period, with discounts around 8% of list. The gaming reps (``ROLES``), when ``clean``
is false:

- ``bunching``: holds 85% of deals to the last 5 business days of every period;
- ``discounting``: many small deals; those in the last 5 business days carry 15-25 points more discount;
- ``edge`` (several reps): when a period is heading for 60-99% of quota, pulls a deal from the next
  period into the last business days to land just above 100% (the accelerator's edge); planted as a
  rep's behaviour when it lands so in at least half of the periods (and 3);
- ``cap``: a high performer who, once the cap is reached, holds every later deal to the next
  period's first 3 business days;
- ``splitting``: in three periods, splits three large deals each into three parts under the approval
  limit, to one account within four days.

Legitimate structure a clean team shows too (all off by default, drawn from their own seeded stream so the
default export stays the same): ``segments`` gives each rep one segment (the deals' ``segment`` column);
``peak`` moves that share of every rep's deals into the last 5 business days (customers' buying cycles),
``segment_peak`` adds a share per segment; ``team_discount`` deepens every deal's discount there by that
many points (buyers' leverage); ``multiline`` makes that share of opportunities orders of 2-3 lines, each
line its own opportunity for the same account on the same day.

``landing`` (off by default, with or without ``clean``): the last rep (role ``landing``, selling at about 85% of
quota) lands within 0.5-4.5% above 100% of quota in that many periods chosen at random (its own seeded stream): short of
it, a deal pulled from the next period closes in the period's last business days; past the band, the period's last
deals are held to the next period's first business days. Planted as a rep's behaviour (``edge_bunching``).

``generate`` returns the deals and the planted signals as (kind, rep, period) triples.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from coursekit.engine.payout import cap_attainment
from coursekit.engine.plan import Plan, load_plan
from coursekit.signals.detect import WINDOW, calendar, year_start_month

if TYPE_CHECKING:
    import pandas as pd

FIRST = ["Ana", "Ben", "Chloe", "Dev", "Elif", "Farah", "Gus", "Hana", "Ivo", "Jun", "Kemi", "Luis", "Mara", "Nils", "Omar",
         "Priya", "Quinn", "Rosa", "Sven", "Tara", "Uma", "Vik", "Wen", "Xavi", "Yara", "Zoe"]
LAST = ["Adams", "Brook", "Cruz", "Diaz", "Evans", "Fox", "Gray", "Holt", "Ito", "Jensen", "Khan", "Lund", "Moss", "Nakamura",
        "Okafor", "Price", "Quist", "Reyes", "Silva", "Tan", "Ueda", "Vance", "Weber", "Xu", "Young", "Zimmer"]
ORGS = ["Acme", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay", "Stark", "Wayne", "Tyrell", "Cyberdyne", "Soylent", "Wonka",
        "Gekko", "Oscorp", "Nakatomi", "Massive", "Aperture", "Black Mesa", "Dunder", "Pied Piper"]
SUFFIX = ["Corp", "Ltd", "GmbH", "Inc", "Group", "Labs", "Holdings", "Systems"]
SEGMENTS = ["smb", "mid-market", "enterprise"]
PRODUCTS = ["core", "platform", "add-on"]
APPROVAL_LIMIT = 20_000
ROLES = {0: "bunching", 1: "discounting", 2: "edge", 3: "edge", 4: "edge", 5: "edge", 6: "edge", 7: "edge", 8: "edge",
         9: "cap", 10: "splitting"}


@dataclass
class Synthetic:
    deals: pd.DataFrame
    planted: set[tuple[str, str, str]] = field(default_factory=set)  # (kind, rep, period) the detector must find
    gaming: dict[str, str] = field(default_factory=dict)  # rep -> role


def rep_names(n: int, rng: np.random.Generator) -> list[str]:
    pairs = [(f, la) for f in FIRST for la in LAST]
    pick = rng.choice(len(pairs), size=n, replace=False)
    return [f"{pairs[i][0]} {pairs[i][1]}" for i in pick]


def generate(plan: Plan, *, reps: int = 20, year: int = 2027, seed: int = 2027, clean: bool = False, deals_per_period: float = 12.0,
             approval_limit: float = APPROVAL_LIMIT, year_start: int | None = None, segments: bool = False,
             peak: float = 0.0, segment_peak: dict[str, float] | None = None, team_discount: float = 0.0,
             multiline: float = 0.0, landing: int = 0) -> Synthetic:
    """One plan year of closed deals for ``reps`` reps (see the module docstring)."""
    import pandas as pd

    rng = np.random.default_rng(seed)
    rx = np.random.default_rng([seed, 26])  # the legitimate structure's own stream
    rep_segment = rx.choice(SEGMENTS, reps, p=[0.5, 0.35, 0.15]) if segments or segment_peak else None
    ys = year_start_month(plan, year_start)
    months = np.arange(12) + year * 12 + ys - 1
    cal, _ = calendar(plan, months, ys)
    P = len(cal.labels)
    names = rep_names(reps, rng)
    roles = {} if clean else {names[i]: role for i, role in ROLES.items() if i < reps}
    rl = np.random.default_rng([seed, 34])  # the landing rep's own stream
    lands = set(rl.choice(P, min(landing, P), replace=False).tolist()) if landing else set()
    if landing:
        roles[names[-1]] = "landing"
    level = np.clip(rng.normal(0.95, 0.12, reps), 0.5, 1.5)
    q = plan.period_quota
    rows: list[pd.DataFrame] = []
    planted: set[tuple[str, str, str]] = set()
    carry = np.zeros(reps)  # value pulled forward from each rep's next period
    held: list[list[tuple[np.datetime64, float]]] = [[] for _ in range(reps)]  # deals held to the next period's start
    split_periods = {P // 4, P // 2, (3 * P) // 4} if P >= 4 else {P - 1}
    landed: dict[str, int] = {}  # periods each edge rep pulled a deal in to land just above 100%
    for j in range(P):
        days = np.arange(cal.starts[j], cal.ends[j], dtype="datetime64[D]")
        bdays = days[np.is_busday(days)]
        last = bdays[-WINDOW:]
        for i, name in enumerate(names):
            role = roles.get(name, "")
            lvl = {"cap": 2.1, "landing": 0.85}.get(role, level[i])
            many = {"discounting": 3, "bunching": 2}.get(role, 1)  # smaller, more frequent deals
            k_mean = deals_per_period * many
            mean_deal = q / deals_per_period / many
            k = rng.poisson(max(lvl * k_mean - carry[i] / mean_deal, 0.5))
            carry[i] = 0.0
            amount = rng.lognormal(0, 0.5, k) * mean_deal / np.exp(0.125)
            date = rng.choice(bdays, size=k)
            disc = np.clip(rng.normal(0.08, 0.04, k), 0, 0.4)
            share = peak + (segment_peak or {}).get(str(rep_segment[i]) if rep_segment is not None else "", 0.0)
            if share > 0:  # the whole team's customers buy at period ends
                move = rx.random(k) < share
                date[move] = rx.choice(last, size=int(move.sum()))
            if role == "bunching":
                move = rng.random(k) < 0.85
                date[move] = rng.choice(last, size=int(move.sum()))
                planted.add(("period_end_bunching", name, cal.labels[j]))
            if role == "discounting":
                win = np.isin(date, last)
                disc[win] += rng.uniform(0.15, 0.25, int(win.sum()))
                if win.sum() >= 5 and (~win).sum() >= 5:
                    planted.add(("period_end_discounting", name, cal.labels[j]))
            if held[i]:  # the cap rep's deals held over from the last period open this one
                hd, ha = zip(*held[i])
                date = np.concatenate([np.array(hd, dtype="datetime64[D]"), date])
                amount = np.concatenate([np.array(ha), amount])
                disc = np.concatenate([np.clip(rng.normal(0.08, 0.04, len(ha)), 0, 0.4), disc])
                held[i] = []
            order = np.argsort(date, kind="stable")
            date, amount, disc = date[order], amount[order], disc[order]
            if role == "edge" and j + 1 < P:
                att = amount.sum() / q
                if 0.6 <= att < 1.0:
                    pull = (1.0 - att + rng.uniform(0.005, 0.04)) * q
                    date = np.append(date, rng.choice(last))
                    amount = np.append(amount, pull)
                    disc = np.append(disc, np.clip(rng.normal(0.08, 0.04), 0, 0.4))
                    carry[i] = pull
                    landed[name] = landed.get(name, 0) + 1
            if role == "landing" and j in lands:
                date, amount, disc, carry[i] = _land(rl, date, amount, disc, q, last, cal, j, P, held[i])
                landed[name] = landed.get(name, 0) + 1
            if role == "cap" and j + 1 < P:
                cap_at = _cap_attainment(plan)
                cum = np.cumsum(amount) / q
                hit = np.nonzero(cum >= cap_at)[0]
                if hit.size:
                    t = hit[0]
                    later = date > date[t]
                    nxt = np.arange(cal.starts[j + 1], cal.ends[j + 1], dtype="datetime64[D]")
                    nb = nxt[np.is_busday(nxt)][:3]
                    held[i] = [(rng.choice(nb), a) for a in amount[later]]
                    carry[i] = float(amount[later].sum())  # the next period's own deals shrink by what was held
                    gap = int(np.busday_count(date[t] + 1, cal.ends[j]))
                    if gap >= 8 and later.sum() >= 5:
                        planted.add(("post_cap_stall", name, cal.labels[j]))
                    date, amount, disc = date[~later], amount[~later], disc[~later]
            accounts = _accounts(rng, i, len(date))
            if team_discount:
                disc = disc + team_discount * np.isin(date, last)
            if multiline:
                date, amount, disc, accounts = _lines(rx, multiline, date, amount, disc, accounts)
            if role == "splitting" and j in split_periods:
                for s in range(3):
                    parts = 3
                    total = rng.uniform(2.2, 2.7) * approval_limit
                    sizes = total / parts * rng.uniform(0.93, 1.07, parts)
                    sizes = np.minimum(sizes, approval_limit * 0.99)
                    d0 = rng.choice(bdays[:-5])
                    date = np.concatenate([date, d0 + rng.integers(0, 5, parts)])
                    amount = np.concatenate([amount, sizes])
                    disc = np.concatenate([disc, np.full(parts, 0.05)])
                    accounts = accounts + [f"{ORGS[(s + j) % len(ORGS)]} Split {SUFFIX[s]}"] * parts
                planted.add(("deal_splitting", name, cal.labels[j]))
            rows.append(pd.DataFrame({"date": date, "rep": name, "account": accounts, "amount": np.round(amount, 2),
                                      "discount": np.round(disc / 0.005) * 0.005}))
    deals = pd.concat(rows, ignore_index=True)
    deals = deals[deals["amount"] > 0].sort_values(["date", "rep"], kind="stable").reset_index(drop=True)
    n = len(deals)
    deals.insert(0, "deal_id", [f"OPP-{i + 1:07d}" for i in range(n)])
    deals["created"] = deals["date"] - rng.integers(7, 120, n).astype("timedelta64[D]")
    deals["segment"] = rng.choice(SEGMENTS, n, p=[0.5, 0.35, 0.15])
    if rep_segment is not None:
        deals["segment"] = deals["rep"].map(dict(zip(names, rep_segment)))
    deals["product"] = rng.choice(PRODUCTS, n, p=[0.6, 0.3, 0.1])
    planted |= {("edge_bunching", name, "") for name, k in landed.items() if k >= max(3, P // 2) or roles.get(name) == "landing"}
    if P >= 12 and list(roles.values()).count("edge") >= 5:  # monthly: enough rep-periods to see the pile-up
        planted.add(("edge_bunching", "", ""))
    deals = deals[["deal_id", "date", "created", "rep", "account", "segment", "product", "amount", "discount"]]
    return Synthetic(deals, planted, roles)


def _land(rl: np.random.Generator, date, amount, disc, q: float, last, cal, j: int, P: int, held: list):
    """The landing rep's period: attainment steered to 100.5-104.5% of quota. Returns (date, amount, disc, carry)."""
    target = (1.0 + rl.uniform(0.005, 0.045)) * q
    total = float(amount.sum())
    if total < target:  # a deal pulled from the next period closes in this one's last business days
        pull = target - total
        return (np.append(date, rl.choice(last)), np.append(amount, pull),
                np.append(disc, np.clip(rl.normal(0.08, 0.04), 0, 0.4)), pull if j + 1 < P else 0.0)
    keep = np.cumsum(amount) <= target  # deals in close order: the last ones are held to the next period's start
    cut = min(int(keep.sum()), len(amount) - 1)
    top = target - (float(amount[:cut].sum()) if cut else 0.0)  # the first held deal closes in part now (an order split)
    if j + 1 < P:
        nxt = np.arange(cal.starts[j + 1], cal.ends[j + 1], dtype="datetime64[D]")
        nb = nxt[np.is_busday(nxt)][:3]
        rest = amount[cut:].copy()
        rest[0] -= top
        held.extend((rl.choice(nb), float(a)) for a in rest if a > 0)
    amount = np.append(amount[:cut], top)
    return np.append(date[:cut], date[cut]), amount, np.append(disc[:cut], disc[cut]), 0.0


def _accounts(rng: np.random.Generator, rep: int, k: int) -> list[str]:
    idx = rng.integers(0, 150, k)
    return [f"{ORGS[(rep + v) % len(ORGS)]} {SUFFIX[v % len(SUFFIX)]} {rep * 150 + v:04d}" for v in idx]


def _lines(rx: np.random.Generator, share: float, date, amount, disc, accounts):
    """That share of opportunities become orders of 2-3 lines: one opportunity per line, same account and day."""
    lines = np.where(rx.random(len(date)) < share, rx.integers(2, 4, len(date)), 1)
    idx = np.repeat(np.arange(len(date)), lines)
    parts = rx.uniform(0.5, 1.5, len(idx))
    parts /= np.bincount(idx, weights=parts)[idx]
    return date[idx], amount[idx] * parts, disc[idx], [accounts[i] for i in idx]


def _cap_attainment(plan: Plan) -> float:
    at = cap_attainment(plan)
    return at if at is not None else float("inf")


def write(syn: Synthetic, path: str | Path) -> None:
    import pandas as pd

    out = syn.deals.copy()
    out["date"] = out["date"].dt.strftime("%Y-%m-%d") if hasattr(out["date"], "dt") else out["date"].astype(str)
    out["created"] = pd.to_datetime(out["created"]).dt.strftime("%Y-%m-%d")
    out["discount"] = out["discount"].map(lambda v: f"{v:.3f}")
    out["amount"] = out["amount"].map(lambda v: f"{v:.2f}")
    out.to_csv(path, index=False)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m coursekit.signals.synth", description=__doc__.split("\n")[0])
    ap.add_argument("--plan", required=True)
    ap.add_argument("-o", "--out", required=True)
    ap.add_argument("--reps", type=int, default=20)
    ap.add_argument("--year", type=int, default=2027)
    ap.add_argument("--seed", type=int, default=2027)
    ap.add_argument("--deals", type=float, default=12.0, help="deals per rep and period at quota")
    ap.add_argument("--clean", action="store_true", help="no gaming: the control")
    a = ap.parse_args(argv)
    syn = generate(load_plan(a.plan), reps=a.reps, year=a.year, seed=a.seed, clean=a.clean, deals_per_period=a.deals)
    write(syn, a.out)
    print(f"wrote {len(syn.deals):,} deals for {a.reps} reps to {a.out}")
    for kind, rep, period in sorted(syn.planted):
        print(f"  planted {kind}: {rep or 'team'} {period}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
