"""Bunching at plan edges: Kleven's counterfactual density, McCrary's test, the landing tests and their limit."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np
import pytest

from coursekit.engine import load_plan
from coursekit.signals import bunching
from coursekit.signals.detect import detect, poisson_binomial_sf
from coursekit.signals.synth import generate

ROOT = Path(__file__).resolve().parents[2]
QUARTERLY = load_plan(ROOT / "examples" / "crm-plan.yaml").with_changes(period="quarterly")


def frame(syn):
    d = syn.deals.copy()
    d["cents"] = (d["amount"] * 100).round().astype("int64")
    return d


def test_the_counterfactual_recovers_a_planted_excess_and_the_mass_missing_below():
    rng = np.random.default_rng(5)
    v = rng.normal(0.95, 0.25, 2000)
    moved = (v >= 0.95) & (v < 1.0) & (rng.random(len(v)) < 0.8)  # pushed over from the bin just below
    v[moved] = 1.0 + rng.uniform(0.0, 0.049, int(moved.sum()))
    est = bunching.estimate(v, 1.0, 0.05)
    assert est.excess_lo <= moved.sum() <= est.excess_hi and est.excess_lo > 0
    assert est.missing == pytest.approx(moved.sum(), rel=0.3)
    assert est.theta > 0 and est.p_density < 1e-6


def test_without_bunching_the_interval_covers_zero_and_the_share_is_the_density():
    rng = np.random.default_rng(6)
    covered, shares = 0, []
    for seed in range(40):
        est = bunching.estimate(rng.normal(0.95, 0.25, 1000), 1.0, 0.05, seed=seed)
        covered += est.excess_lo <= 0 <= est.excess_hi
        shares.append(est.share)
    assert covered >= 36  # a 95% interval
    # the normal's mass in [1.00, 1.05): 0.0762
    assert abs(np.mean(shares) - 0.0762) < 0.004


def test_mccrary_finds_a_jump_and_not_a_smooth_density():
    rng = np.random.default_rng(7)
    smooth = rng.normal(1.0, 0.3, 3000)
    theta, se, p = bunching.mccrary(smooth, 1.0)
    assert abs(theta) < 3 * se and p > 0.001
    jump = np.concatenate([smooth[smooth < 1.0], smooth[smooth >= 1.0], rng.uniform(1.0, 1.2, 600)])
    theta, se, p = bunching.mccrary(jump, 1.0)
    assert theta > 0.3 and p < 1e-4


def test_too_few_rep_periods_near_the_edge_give_no_estimate():
    assert bunching.estimate(np.array([0.1, 0.2, 3.0] * 5), 1.0, 0.05) is None
    assert bunching.mccrary(np.array([0.5, 1.5]), 1.0) == (pytest.approx(float("nan"), nan_ok=True),) * 2 + (1.0,)


def test_poisson_binomial_tail_is_exact():
    probs = np.array([0.1, 0.3, 0.05, 0.6])
    for k in range(6):
        brute = sum(np.prod([p if o else 1 - p for p, o in zip(probs, out)])
                    for out in itertools.product((0, 1), repeat=4) if sum(out) >= k)
        assert poisson_binomial_sf(k, probs) == pytest.approx(brute, abs=1e-12)


def test_the_planted_lander_lands_just_above_quota_in_three_of_four_quarters():
    for seed in range(4):
        syn = generate(QUARTERLY, deals_per_period=8.0, seed=3000 + seed, clean=True, landing=3)
        (lander,) = [r for r, role in syn.gaming.items() if role == "landing"]
        assert ("edge_bunching", lander, "") in syn.planted
        mine = syn.deals[syn.deals["rep"] == lander]
        att = mine.groupby(mine["date"].dt.quarter)["amount"].sum().to_numpy() / QUARTERLY.period_quota
        assert np.sum((att >= 1.0) & (att < 1.05)) >= 3


def test_the_json_carries_each_edges_estimate_and_the_three_of_four_limit_is_listed():
    """A clean quarterly team: the counterfactual share at 100% of quota is too high for 3 landings in 4 quarters to
    stand out; the report says so (from the shares and the number of families, before looking at any rep)."""
    report = detect(frame(generate(QUARTERLY, deals_per_period=24.0, seed=7, clean=True)), QUARTERLY, approval_limit=20_000)
    out = json.loads(json.dumps(report.to_dict()))
    est = {e["component"]: e for e in out["edge_bunching"]}
    assert "tier 2" in est and est["tier 2"]["edge"] == 1.0
    tier = dict(report.bunching)["tier 2"]
    assert est["tier 2"]["counterfactual_share"] == pytest.approx(tier.share, abs=1e-4)
    assert est["tier 2"]["excess"] == pytest.approx(tier.observed - tier.counterfactual, abs=1e-3)
    (line,) = [u for u in report.untested if "in 3 of 4 periods" in u]
    assert f"{tier.share:.1%} of rep-periods land there" in line and "all 4 periods" in line


def test_a_rep_far_below_who_lands_just_above_again_and_again_is_found_with_other_reps_found():
    """With the gamed team (other reps found lift what Benjamini-Hochberg lets through), the 3-of-4 lander is named."""
    named = 0
    for seed in range(4):
        syn = generate(QUARTERLY, deals_per_period=8.0, seed=3000 + seed, landing=3)
        (lander,) = [r for r, role in syn.gaming.items() if role == "landing"]
        report = detect(frame(syn), QUARTERLY, approval_limit=20_000)
        mine = [s for s in report.findings if s.kind == "edge_bunching" and s.rep == lander]
        named += bool(mine and mine[0].deals)
        assert not [s.rep for s in report.findings if s.rep not in syn.gaming]
    assert named >= 2
