"""Legitimate structure is not a pattern to review (peers, plan design, multi-line orders); power at normal volumes
(pooled over the year, each rep's landing rate at an edge)."""

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from coursekit.engine import load_plan
from coursekit.signals.detect import PAST, _bunching_floor, _multipliers, _opening_dip, _reach_timing, _select, _Test, detect, simes
from coursekit.signals.stats import binom_sf, hypergeom_sf
from coursekit.signals.synth import ROLES, generate

PLAN = load_plan(Path(__file__).resolve().parents[2] / "examples" / "crm-plan.yaml")
QUARTERLY = PLAN.with_changes(period="quarterly")


def run(plan, limit=20_000, **kw):
    syn = generate(plan, **kw)
    d = syn.deals.copy()
    d["cents"] = (d["amount"] * 100).round().astype("int64")
    return detect(d, plan, approval_limit=limit), syn


def test_hypergeometric_tail_against_counting():
    for x, n, k, m in [(3, 5, 4, 10), (0, 5, 4, 10), (2, 3, 7, 20), (6, 6, 6, 30)]:
        brute = sum(math.comb(k, i) * math.comb(m - k, n - i) for i in range(x, min(n, k) + 1)) / math.comb(m, n)
        assert hypergeom_sf(x, n, k, m) == pytest.approx(brute, rel=1e-9)


@pytest.mark.parametrize("seed", range(3))
def test_a_segment_whose_customers_buy_at_quarter_end_is_not_its_reps_pattern(seed):
    report, syn = run(QUARTERLY, reps=24, deals_per_period=24.0, seed=300 + seed, clean=True, segments=True,
                      segment_peak={"enterprise": 0.45, "mid-market": 0.2})
    assert report.findings == []
    assert any(n.startswith("reps compared with peers in the same segment") for n in report.notes)


def test_a_rep_alone_in_a_segment_is_listed_as_not_tested_not_flagged():
    syn = generate(QUARTERLY, reps=12, deals_per_period=24.0, seed=7, clean=True, segments=True)
    d = syn.deals.copy()
    d["cents"] = (d["amount"] * 100).round().astype("int64")
    lone = d["rep"].iloc[0]
    d["segment"] = d["segment"].where(d["rep"] != lone, "strategic")
    late = (d["rep"] == lone) & (d.index % 2 == 0)  # half the lone rep's deals moved to a quarter's last business day
    d.loc[late, "date"] = d.loc[late, "date"] + pd.offsets.BQuarterEnd(0)
    report = detect(d, QUARTERLY, approval_limit=20_000)
    assert lone not in report.flagged("period_end_bunching")
    assert any(lone in u and "peers closed fewer than 20 deals" in u for u in report.untested)


@pytest.mark.parametrize("seed", range(3))
def test_a_team_wide_quarter_end_peak_is_plan_design_not_a_pattern(seed):
    report, _ = run(QUARTERLY, deals_per_period=24.0, seed=400 + seed, clean=True, peak=0.3)
    assert report.findings == [] and report.design
    assert all(s.kind == "period_end_bunching" and not s.rep for s in report.design)


@pytest.mark.parametrize("seed", range(3))
def test_multi_line_orders_are_not_splitting_nor_bunching(seed):
    report, syn = run(QUARTERLY, deals_per_period=24.0, seed=500 + seed, clean=True, multiline=0.3)
    assert len(syn.deals) > 1.3 * 20 * 4 * 24 * 0.95 * 0.9  # the lines are there
    assert report.findings == []


def test_team_wide_quarter_end_discounting_flags_no_rep():
    for seed in range(3):
        report, _ = run(QUARTERLY, deals_per_period=24.0, seed=600 + seed, clean=True, team_discount=0.08)
        assert report.findings == []


def edge_landers(seed: int, reps: int = 3):
    """A clean quarterly team in which ``reps`` reps, every quarter, pull one deal in to land just above 100%."""
    import numpy as np
    import pandas as pd

    syn = generate(QUARTERLY, reps=20, deals_per_period=24.0, seed=seed, clean=True)
    d = syn.deals.copy()
    rng = np.random.default_rng(seed)
    q = QUARTERLY.quota / 4
    names = sorted(set(d["rep"]))[:reps]
    quarter = d["date"].dt.quarter
    extra = []
    for rep in names:
        for k in range(1, 5):
            rows = (d["rep"] == rep) & (quarter == k)
            d.loc[rows, "amount"] *= rng.uniform(0.7, 0.95) * q / d.loc[rows, "amount"].sum()  # heading for 70-95%
            end = pd.Timestamp(2027, 3 * k, 1) + pd.offsets.BMonthEnd(0)
            extra.append({"date": end, "rep": rep, "account": f"{rep} pull {k}", "discount": 0.08,
                          "amount": q - d.loc[rows, "amount"].sum() + rng.uniform(0.005, 0.04) * q})
    d = pd.concat([d, pd.DataFrame(extra)], ignore_index=True)
    d["cents"] = (d["amount"] * 100).round().astype("int64")
    return detect(d, QUARTERLY, approval_limit=20_000), set(names)


def test_reps_landing_just_over_100_every_quarter_are_named():
    """Four quarters: the old per-rep test could not go below p = 0.0625; the landing rate against the counterfactual can."""
    for seed in range(3):
        report, landers = edge_landers(800 + seed)
        assert set(report.flagged("edge_bunching")) == landers
        assert all(s.component == "tier 2" and s.evidence.startswith("4 of this rep's 4") for s in report.signals
                   if s.rep in landers)


def test_a_rep_with_a_few_deals_a_quarter_is_found_by_pooling_the_year():
    report, syn = run(QUARTERLY, deals_per_period=2.0, seed=11, reps=20)
    rep = next(r for r, role in syn.gaming.items() if role == "bunching")
    mine = [s for s in report.signals if s.rep == rep and s.kind == "period_end_bunching"]
    assert mine and any(not s.period and s.evidence.startswith("over the year") for s in mine) or len(mine) >= 2
    assert ROLES[0] == "bunching"


def test_period_end_discounting_pooled_over_the_year_runs_at_normal_volumes():
    """About two period-end deals a quarter: the per-period test (4 deals each side) never runs; the year against the
    peers' period-end uplift finds the discounting rep in most seeds, and names nobody else."""
    found = 0
    for seed in range(950, 956):
        report, syn = run(QUARTERLY, deals_per_period=8.0, seed=seed)
        rep = next(r for r, role in syn.gaming.items() if role == "discounting")
        mine = [s for s in report.findings if s.rep == rep and s.kind == "period_end_discounting"]
        found += bool(mine)
        assert all(s.evidence.startswith("over the year") and "beyond the peers' period-end uplift" in s.evidence for s in mine)
        assert not [s for s in report.findings if s.kind == "period_end_discounting" and s.rep != rep]
    assert found >= 4


def test_one_split_deal_a_quarter_is_found_over_the_year():
    """The per-period test needs 2 split accounts a period; pooled over the year, one a quarter is enough."""
    import numpy as np

    named = 0
    for seed in range(3):
        syn = generate(QUARTERLY, reps=20, deals_per_period=24.0, seed=1100 + seed, clean=True, multiline=0.2)
        d = syn.deals.copy()
        rep = sorted(set(d["rep"]))[seed]
        rng = np.random.default_rng(seed)
        extra = []
        for k in range(4):
            day = pd.Timestamp(2027, 3 * k + 2, 10)
            total = rng.uniform(21_000, 24_000)
            extra += [{"date": day + pd.Timedelta(days=int(o)), "rep": rep, "account": f"Split {k} Corp", "discount": 0.05,
                       "amount": total * share} for o, share in ((0, 0.48), (2, 0.52))]
        d = pd.concat([d, pd.DataFrame(extra)], ignore_index=True)
        d["cents"] = (d["amount"] * 100).round().astype("int64")
        report = detect(d, QUARTERLY, approval_limit=20_000)
        mine = [s for s in report.findings if s.kind == "deal_splitting"]
        assert all(s.rep == rep for s in mine)
        if mine:
            named += 1
            # the case names its deals: every split account (and any other pair the test counted as looking split)
            assert {f"Split {k} Corp" for k in range(4)} <= {x["account"] for s in mine for x in s.deals}
    assert named == 3


def test_a_stall_with_one_leaked_deal_a_period_is_found_over_the_year():
    """The per-period test needs no deal at all after the cap; one leaked deal in each stalled quarter hid the pattern."""
    syn = generate(QUARTERLY, deals_per_period=8.0, seed=32)
    rep = next(r for r, role in syn.gaming.items() if role == "cap")
    d = syn.deals.copy()
    d["cents"] = (d["amount"] * 100).round().astype("int64")
    before = [s for s in detect(d, QUARTERLY, approval_limit=20_000).findings if s.kind == "post_cap_stall"]
    assert {s.rep for s in before} == {rep} and {s.period for s in before} == {"2027-Q1", "2027-Q3"}
    leaks = [{"date": pd.Timestamp(2027, m, 1) + pd.offsets.BMonthEnd(0) - pd.offsets.BDay(3), "rep": rep,
              "account": f"Leak {m}", "discount": 0.08, "amount": 500.0} for m in (3, 9)]  # one deal in each silence
    d = pd.concat([d, pd.DataFrame(leaks)], ignore_index=True)
    d["cents"] = (d["amount"] * 100).round().astype("int64")
    # without the reps' landing tests (module 4's setting): whether the stall clears the 1% rate then does not hang on
    # how strongly another rep's landing at an edge is found (Benjamini-Hochberg's threshold rises with each finding)
    report = detect(d, QUARTERLY, approval_limit=20_000, rep_edges=False)
    mine = [s for s in report.findings if s.kind == "post_cap_stall"]
    assert [(s.rep, s.period) for s in mine] == [(rep, "")] and mine[0].evidence.startswith("over the year")
    assert mine[0].deals and all(x["date"][5:7] in ("04", "05", "07", "10") for x in mine[0].deals)


def test_discounting_that_cannot_be_tested_at_the_volume_is_said():
    report, _ = run(QUARTERLY, deals_per_period=2.0, seed=1, clean=True)
    line = next(u for u in report.untested if u.startswith("period-end discounting for"))
    assert "of 20 reps over the year: fewer than 3 period-end deals and 5 others" in line


def test_selection_is_rep_first_then_periods_within_the_selected_reps():
    """Benjamini-Bogomolov: families (rep, kind) are selected by BH over their Simes p-values; within the S selected of
    M families the periods are drilled into at fdr * S / M, so a period that would pass a flat pool can stay hidden."""
    quiet = [_Test("period_end_bunching", f"R{i:02d}", f"Q{j}", 0.5, reportable=True) for i in range(2, 50) for j in range(4)]
    a = [_Test("period_end_bunching", "R00", "Q1", 1e-7, reportable=True),
         _Test("period_end_bunching", "R00", "Q2", 0.004, reportable=True)]
    b = [_Test("period_end_bunching", "R01", "Q1", 0.003, reportable=True)] + [
        _Test("period_end_bunching", "R01", f"Q{j}", 1.0) for j in (2, 3, 4)]
    chosen, near = _select(a + b + quiet, 0.01)
    assert [(t.rep, t.period) for t, _ in chosen] == [("R00", "Q1")]  # Q2's 0.004 is above 0.01 * 1/50
    assert [t.rep for t, _ in near] == []  # R01: Simes 4 * 0.003 = 0.012, family q 0.3 (50 families): not even a near miss
    assert simes([0.003, 1, 1, 1]) == pytest.approx(0.012)
    # alone (one family), R00's Q2 is drilled into at the full rate and shown
    alone, _ = _select(a, 0.01)
    assert [(t.rep, t.period) for t, _ in alone] == [("R00", "Q1"), ("R00", "Q2")]


def test_tests_that_cannot_fire_are_dropped_before_looking_and_listed():
    """Two deals a quarter: in one quarter even both deals at its end cannot reach the 1% rate against the peers' share;
    those tests are dropped before looking, counted and said, and do not count among the tests run."""
    report, _ = run(QUARTERLY, deals_per_period=2.0, seed=11, reps=20, clean=True)
    line = next(u for u in report.untested if u.startswith("period-end bunching"))
    assert "dropped before looking" in line and "too few deals" in line
    k = int(line.split(": ")[1].split()[0])
    assert k > 20 and report.tests < 20 * 4 * 2  # what was dropped is not in the count of tests run
    assert report.findings == []


def test_period_end_deals_when_an_edge_was_within_reach_against_the_rep_s_other_periods():
    """Larkin's comparison: the same rep, the same calendar; only whether an edge was within reach before the period's
    last days differs. A rep who closes at period end only then is named; one who does so every period is not."""
    P = 12
    n = np.full((2, P), 10)
    reach = np.array([["tier 2" if j % 2 else "" for j in range(P)]] * 2, dtype=object)
    reach[:, 0] = PAST  # already past every edge: compared with neither group
    x = np.array([[4 if j % 2 else 1 for j in range(P)], [3] * P])
    gamed, steady = _reach_timing(["A", "B"], n, x, reach, 5)
    assert gamed.reportable and gamed.component == "tier 2" and "within reach" in gamed.evidence
    assert gamed.p == pytest.approx(binom_sf(24, 29, 6 / 11))  # 24 of the 29 period-end deals in 6 of 11 periods
    assert gamed.info["periods"] == tuple(range(1, P, 2))
    assert not steady.reportable and steady.p == 1.0


def test_a_rep_who_stops_selling_once_quota_is_made_is_named_for_the_pace_after_quota():
    """Ratchet sandbagging: every deal a rep would close after reaching quota is held back (out of the export). Their
    pace after quota, against their pace in other periods and the peers' timing, names them; the team is not named."""
    plan = QUARTERLY
    syn = generate(plan, reps=16, deals_per_period=24.0, seed=61, clean=True)
    d = syn.deals.copy()
    d["cents"] = (d["amount"] * 100).round().astype("int64")
    q = plan.quota / plan.periods_per_year

    def after_quota(rep):
        mine = d[d["rep"] == rep].sort_values("date", kind="stable")
        credit = _multipliers(mine, plan) * mine["amount"].to_numpy()
        cum = pd.Series(credit).groupby(mine["date"].dt.quarter.to_numpy()).cumsum().to_numpy()
        return mine.index[cum - credit >= q]  # every deal after the one that made quota

    rep = max(sorted(d["rep"].unique()), key=lambda r: len(after_quota(r)))
    held = after_quota(rep)
    assert len(held) >= 8
    report = detect(d.drop(held), plan, approval_limit=20_000)
    named = [s for s in report.findings if s.kind == "post_cap_stall"]
    assert [(s.rep, s.component) for s in named] == [(rep, "quota")]
    assert "quota (100% attainment)" in named[0].evidence and "peers' timing" in named[0].evidence


def test_a_period_end_spike_followed_by_an_empty_opening_is_the_pull_forward_dip():
    """Oyer: after each period-end spike the pulled-forward rep closes nothing in the next period's first days, where
    peers close 10% of their deals; a rep with the same spikes and a normal opening is not named for the dip."""
    P, busdays = 4, np.full(4, 63)
    n = np.array([[20] * P, [20] * P] + [[20] * P] * 8)
    x = np.array([[10] * P, [10] * P] + [[2] * P] * 8)
    opening = np.array([[0] * P, [2] * P] + [[2] * P] * 8)
    dip, normal = _opening_dip(["A", "B"] + [f"C{k}" for k in range(8)], n, x, opening, busdays, 5, None)[:2]
    assert dip.reportable and "dip" in dip.evidence and dip.info["periods"] == (0, 1, 2)
    expect = 3 * 20 * 0.1 / (1 - 0.1)  # the peers' 10% opening share (18 of 180) applied to A's other 20 deals a period
    assert dip.p == pytest.approx(math.exp(-expect))
    assert not normal.reportable


def test_the_bunching_floor_is_the_test_s_own_p_value_with_every_deal_at_the_end():
    for n, u, rest_x, rest_n in [(3, 0.08, 5, 40), (6, 0.1, 30, 200), (12, 0.25, 80, 300)]:
        want = max(u ** n, hypergeom_sf(n, n, n + rest_x, n + rest_n)) if u ** n <= 0.01 else u ** n
        assert _bunching_floor(n, u, rest_x, rest_n) == pytest.approx(want, rel=1e-9)
    assert _bunching_floor(2, 0.01, 0, 100) == 1.0  # fewer than 3 deals never passes the floor
