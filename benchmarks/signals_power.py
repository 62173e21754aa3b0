"""Power of the gaming-signals detector: the effect one rep needs for 80% detection, per kind and volume.

    python benchmarks/signals_power.py --runs 20

A clean quarterly team of 20 reps (the course's plan, quarterly), one rep given the behaviour at a grid of strengths;
detection is the detector naming that rep for that kind (any period, or over the year), at its 1% false discovery rate.
Volumes are deals a rep a quarter at quota.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from coursekit.engine import load_plan  # noqa: E402
from coursekit.engine.payout import cap_attainment  # noqa: E402
from coursekit.signals.detect import WINDOW, _multipliers, detect  # noqa: E402
from coursekit.signals.synth import generate  # noqa: E402

PLAN = load_plan(ROOT / "examples" / "crm-plan.yaml").with_changes(period="quarterly")
VOLUMES = (2, 8, 30)
GRID = {"period_end_bunching": (0.2, 0.3, 0.4, 0.5, 0.6, 0.8), "period_end_discounting": (0.03, 0.05, 0.08, 0.12, 0.2, 0.3),
        "deal_splitting": (1, 2, 3), "post_cap_stall": (0.5, 0.75, 1.0), "edge_bunching": (2, 3, 4)}
UNITS = {"period_end_bunching": lambda v: f"{v:.0%} of deals moved", "period_end_discounting": lambda v: f"+{v * 100:.0f} points",
         "deal_splitting": lambda v: f"{v} split deal{'s' if v != 1 else ''} a quarter",
         "post_cap_stall": lambda v: f"{v:.0%} of post-cap deals held",
         "edge_bunching": lambda v: f"{v} of 4 quarters landed"}
EDGE = 1.0  # the accelerator's tier edge (100% of quota): the landing rep steers attainment into the 5% band above it
STALL_BOOST = 3.0  # the stalling rep sells this multiple of the team's volume, so the cap is reached with time left


def last_days(year: int = 2027) -> dict[int, np.ndarray]:
    out = {}
    for q in range(1, 5):
        end = pd.Timestamp(year, 3 * q, 1) + pd.offsets.MonthEnd(0)
        days = pd.bdate_range(end - pd.Timedelta(days=14), end)
        out[q] = days[-WINDOW:].to_numpy()
    return out


def one_run(kind: str, strength: float, volume: int, seed: int) -> bool:
    syn = generate(PLAN, reps=20, deals_per_period=float(volume), seed=seed, clean=True)
    d = syn.deals.copy()
    rep = sorted(set(d["rep"]))[0]
    rng = np.random.default_rng(seed)
    mine = (d["rep"] == rep).to_numpy()
    if kind == "deal_splitting":  # one deal over the approval limit split in two, two days apart, `strength` a quarter
        extra = [{"date": pd.Timestamp(2027, 3 * q + 2, 10) + pd.Timedelta(days=int(o) + 7 * k), "rep": rep,
                  "account": f"Split {q}-{k}", "discount": 0.05, "amount": total * share}
                 for q in range(4) for k in range(int(strength)) for total in [rng.uniform(21_000, 24_000)]
                 for o, share in ((0, 0.48), (2, 0.52))]
        d = pd.concat([d, pd.DataFrame(extra)], ignore_index=True)
    elif kind == "post_cap_stall":  # a high seller holds that share of the deals after the cap to the next quarter's start
        d.loc[mine, "amount"] = d.loc[mine, "amount"] * STALL_BOOST
        for k in range(1, 5):  # quarter by quarter: deals held into a quarter count towards its cap
            d = d.sort_values("date", kind="stable").reset_index(drop=True)
            mine = (d["rep"] == rep).to_numpy()
            q = d["date"].dt.quarter.to_numpy()
            credit = _multipliers(d, PLAN) * d["amount"].to_numpy() * (mine & (q == k))
            before = np.cumsum(credit) - credit
            held = mine & (q == k) & (before >= cap_attainment(PLAN) * PLAN.quota / 4) & (rng.random(len(d)) < strength)
            if k == 4:
                d = d[~held]  # the last quarter's held deals close after the export
            else:
                d.loc[held, "date"] = pd.bdate_range(pd.Timestamp(2027, 3 * k + 1, 1), periods=3).to_numpy()[
                    rng.integers(0, 3, int(held.sum()))]
    elif kind == "edge_bunching":  # `strength` of the rep's quarters land at 100.5-104.5% of quota (the deals scaled)
        q = d["date"].dt.quarter.to_numpy()
        credit = _multipliers(d, PLAN) * d["amount"].to_numpy()
        for k in rng.choice(np.arange(1, 5), int(strength), replace=False):
            these = mine & (q == k)
            got = credit[these].sum() / (PLAN.quota / 4)
            if got > 0:
                d.loc[these, "amount"] = d.loc[these, "amount"] * (EDGE + rng.uniform(0.005, 0.045)) / got
    elif kind == "period_end_bunching":
        move = mine & (rng.random(len(d)) < strength)
        ends = last_days()
        q = d["date"].dt.quarter.to_numpy()
        d.loc[move, "date"] = [ends[k][rng.integers(0, WINDOW)] for k in q[move]]
    else:
        late = np.isin(d["date"].to_numpy().astype("datetime64[D]"),
                       np.concatenate(list(last_days().values())).astype("datetime64[D]"))
        d.loc[mine & late, "discount"] = d.loc[mine & late, "discount"] + strength
    d["cents"] = (d["amount"] * 100).round().astype("int64")
    report = detect(d, PLAN, approval_limit=20_000)
    return any(s.kind == kind and s.rep == rep for s in report.findings)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--only", help="comma-separated kinds")
    a = ap.parse_args(argv)
    print("| kind | deals a rep a quarter | strength: detection rate | smallest strength detected in 80% of runs |")
    print("|---|---|---|---|")
    for kind, grid in GRID.items():
        if a.only and kind not in a.only.split(","):
            continue
        for volume in VOLUMES:
            rates = []
            for strength in grid:
                rates.append(sum(one_run(kind, strength, volume, 5000 + s) for s in range(a.runs)) / a.runs)
            unit = UNITS[kind]
            need = next((unit(s) for s, r in zip(grid, rates) if r >= 0.8), "not within the grid")
            print(f"| {kind} | {volume} | " + ", ".join(f"{unit(s)}: {r:.0%}" for s, r in zip(grid, rates)) + f" | {need} |",
                  flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
