"""The gaming-signals detector on seeded synthetic exports: false alarms on clean teams with legitimate structure,
and which planted behaviours it finds.

    python benchmarks/signals_study.py --runs 50            # every scenario, 50 seeds each
    python benchmarks/signals_study.py --runs 5 --only peak
    python benchmarks/signals_study.py --runs 20 --only landing   # a rep landing just above 100% in 3 of 4 quarters

A "false alarm" run is a clean export (no rep gaming) on which the detector names any rep (a pattern to review).
Plan-design observations about the whole team are counted apart: they never set the command's exit code.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from coursekit.engine import load_plan  # noqa: E402
from coursekit.signals.detect import detect  # noqa: E402
from coursekit.signals.synth import generate  # noqa: E402

PLAN = ROOT / "examples" / "crm-plan.yaml"
LIMIT = 20_000
TEAM = " (the team, plan design)"  # a planted team-wide behaviour's row
# name -> (period, reps, deals a rep a period at quota, the legitimate structure)
SCENARIOS = {
    "plain": ("quarterly", 20, 24.0, {}),
    "peak": ("quarterly", 20, 24.0, {"peak": 0.3}),
    "segment-peaks": ("quarterly", 24, 24.0, {"segments": True, "segment_peak": {"enterprise": 0.45, "mid-market": 0.2}}),
    "team-discounting": ("quarterly", 20, 24.0, {"team_discount": 0.08}),
    "multi-line": ("quarterly", 20, 24.0, {"multiline": 0.3}),
    "monthly-peak": ("monthly", 20, 12.0, {"peak": 0.25}),
}


def frame(syn):
    d = syn.deals.copy()
    d["cents"] = (d["amount"] * 100).round().astype("int64")
    return d


def clean_runs(name: str, runs: int) -> tuple[int, int, float]:
    """(runs with a false alarm, runs with a plan-design observation, seconds per run)."""
    period, reps, deals, shape = SCENARIOS[name]
    plan = load_plan(PLAN).with_changes(period=period)
    alarms = design = 0
    t0 = time.perf_counter()
    for seed in range(runs):
        syn = generate(plan, reps=reps, deals_per_period=deals, seed=1000 + seed, clean=True, **shape)
        report = detect(frame(syn), plan, approval_limit=LIMIT)
        alarms += bool(report.findings)
        design += bool(report.design)
    return alarms, design, (time.perf_counter() - t0) / runs


def planted_runs(runs: int, period: str = "monthly", deals: float = 12.0) -> dict[str, list[int]]:
    """kind -> [planted behaviours found, planted] over seeded gamed exports of the course's plan.

    A rep's behaviour (kind, rep) is found when a finding names that rep for that kind and lists its deals (the case
    file). The whole team's pile-up at an edge (rep "") is a plan-design observation, never a finding about a rep: it
    is counted on its own row (``TEAM``), found when the report's plan-design section has that kind."""
    plan = load_plan(PLAN).with_changes(period=period)
    out: dict[str, list[int]] = {}
    for seed in range(runs):
        syn = generate(plan, seed=2000 + seed, deals_per_period=deals)
        report = detect(frame(syn), plan, approval_limit=LIMIT)
        named = {(s.kind, s.rep) for s in report.findings if s.deals}  # named, and naming its deals (the case file)
        design = {s.kind for s in report.design}
        for kind, rep in {(k, r) for k, r, _ in syn.planted}:
            row = out.setdefault(kind if rep else kind + TEAM, [0, 0])
            row[0] += (kind, rep) in named if rep else kind in design
            row[1] += 1
    return out


def landing_runs(runs: int, deals: float, gamed: bool) -> tuple[int, int]:
    """(runs in which the rep landing just above 100% in 3 of 4 quarters is named with its deals, runs in which a rep
    who games nothing is named) over seeded quarterly exports: a clean team plus that rep, or the gamed team plus
    that rep (other reps found raise what Benjamini-Hochberg lets through)."""
    plan = load_plan(PLAN).with_changes(period="quarterly")
    found = innocent = 0
    for seed in range(runs):
        syn = generate(plan, seed=3000 + seed, deals_per_period=deals, clean=not gamed, landing=3)
        report = detect(frame(syn), plan, approval_limit=LIMIT)
        lander = next(r for r, role in syn.gaming.items() if role == "landing")
        found += any(s.kind == "edge_bunching" and s.rep == lander and s.deals for s in report.findings)
        innocent += any(s.rep not in syn.gaming for s in report.findings)
    return found, innocent


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=50)
    ap.add_argument("--only", help="comma-separated scenario names")
    a = ap.parse_args(argv)
    names = [n for n in a.only.split(",") if n in SCENARIOS] if a.only else list(SCENARIOS)
    print("| scenario | runs | runs with a false alarm | runs with a plan-design note | s/run |\n|---|---|---|---|---|")
    for name in names:
        alarms, design, sec = clean_runs(name, a.runs)
        print(f"| {name} | {a.runs} | {alarms} | {design} | {sec:.2f} |", flush=True)
    if not a.only or "landing" in a.only:
        print("\n| team | deals a rep a quarter | runs | 3-of-4 lander named with its deals | runs naming a rep who games nothing |"
              "\n|---|---|---|---|---|")
        for gamed in (False, True):
            for deals in (8.0, 24.0):
                found, innocent = landing_runs(a.runs, deals, gamed)
                print(f"| {'gamed' if gamed else 'clean'} | {deals:g} | {a.runs} | {found} | {innocent} |", flush=True)
    if not a.only:
        print("\n| plan | deals a rep a period | kind | planted behaviours found (a rep: named with its deals; the team: as plan design) |\n|---|---|---|---|")
        for period, deals in (("monthly", 12.0), ("quarterly", 8.0), ("quarterly", 24.0)):
            for kind, (found, total) in sorted(planted_runs(max(1, a.runs // 10), period, deals).items()):
                print(f"| {period} | {deals:g} | {kind} | {found} of {total} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
