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
from coursekit.signals.detect import WINDOW, detect  # noqa: E402
from coursekit.signals.synth import generate  # noqa: E402

PLAN = load_plan(ROOT / "examples" / "crm-plan.yaml").with_changes(period="quarterly")
VOLUMES = (2, 8, 30)
GRID = {"period_end_bunching": (0.2, 0.3, 0.4, 0.5, 0.6, 0.8), "period_end_discounting": (0.03, 0.05, 0.08, 0.12, 0.2, 0.3)}


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
    if kind == "period_end_bunching":
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
    a = ap.parse_args(argv)
    print("| kind | deals a rep a quarter | strength: detection rate | smallest strength detected in 80% of runs |")
    print("|---|---|---|---|")
    for kind, grid in GRID.items():
        for volume in VOLUMES:
            rates = []
            for strength in grid:
                rates.append(sum(one_run(kind, strength, volume, 5000 + s) for s in range(a.runs)) / a.runs)
            unit = (lambda v: f"{v:.0%} of deals moved") if kind == "period_end_bunching" else (lambda v: f"+{v * 100:.0f} points")
            need = next((unit(s) for s, r in zip(grid, rates) if r >= 0.8), "not within the grid")
            print(f"| {kind} | {volume} | " + ", ".join(f"{unit(s)}: {r:.0%}" for s, r in zip(grid, rates)) + f" | {need} |",
                  flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
