"""The gaming-signal detector: statistics, calendar, each kind where planted, nothing on clean exports."""

import math
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from coursekit.engine import load_plan, plan_from_dict
from coursekit.signals.crm import read_export
from coursekit.signals.detect import KINDS, detect
from coursekit.signals.stats import benjamini_hochberg, binom_sf, fisher, mann_whitney_greater, poisson_sf
from coursekit.signals.synth import generate

EX = Path(__file__).resolve().parents[2] / "examples"
PLAN = load_plan(EX / "crm-plan.yaml")


def frame(rows) -> pd.DataFrame:
    """(date, amount, rep[, extra columns]) rows -> the frame read_export returns."""
    d = pd.DataFrame(rows)
    d["date"] = pd.to_datetime(d["date"])
    d["cents"] = (d.pop("amount") * 100).round().astype("int64")
    return d


def synthetic(plan=PLAN, **kw) -> tuple[pd.DataFrame, object]:
    syn = generate(plan, **kw)
    d = syn.deals.copy()
    d["cents"] = (d["amount"] * 100).round().astype("int64")
    return d, syn


# --- statistics, checked against hand calculations ------------------------------------------------

def test_binomial_and_poisson_tails():
    assert binom_sf(2, 3, 0.5) == pytest.approx(4 / 8)  # P(X>=2) = (3 + 1) / 2^3
    assert binom_sf(0, 5, 0.3) == 1.0 and binom_sf(6, 5, 0.3) == 0.0
    assert binom_sf(10, 10, 0.2) == pytest.approx(0.2**10)
    assert poisson_sf(1, 2.0) == pytest.approx(1 - math.exp(-2))
    assert poisson_sf(3, 1.0) == pytest.approx(1 - math.exp(-1) * (1 + 1 + 0.5))  # the upper-sum branch
    assert poisson_sf(40, 2.0) < 1e-25


def test_mann_whitney_and_fisher():
    # a = {4,5,6} all above b = {1,2,3}: U = 9, mean 4.5, variance 3*3*7/12 = 5.25, z = (9-4.5-0.5)/sqrt(5.25)
    z = 4.0 / math.sqrt(5.25)
    assert mann_whitney_greater(np.array([4.0, 5, 6]), np.array([1.0, 2, 3])) == pytest.approx(0.5 * math.erfc(z / math.sqrt(2)))
    assert mann_whitney_greater(np.array([1.0, 2, 3]), np.array([4.0, 5, 6])) > 0.9
    # Fisher: x = -2 ln(0.01 * 0.01) = 18.42; chi-square(4) tail = e^{-x/2} (1 + x/2)
    x = -2 * math.log(1e-4)
    assert fisher(0.01, 0.01) == pytest.approx(math.exp(-x / 2) * (1 + x / 2))


def test_benjamini_hochberg_textbook_example():
    p = [0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205]
    # thresholds k * 0.05 / 8: 0.00625, 0.0125, 0.01875, ... only the first two p-values are under theirs
    rejected, q = benjamini_hochberg(p, 0.05)
    assert rejected.tolist() == [True, True] + [False] * 6
    assert q[1] == pytest.approx(0.008 * 8 / 2)


# --- the plan's calendar and attainment ----------------------------------------------------------

def test_fiscal_year_labels_follow_the_year_start():
    q = plan_from_dict({"name": "q", "ote": 100, "quota": 1_200_000, "period": "quarterly"})
    d = frame([{"date": "2027-11-15", "amount": 10, "rep": "a"}, {"date": "2028-01-15", "amount": 10, "rep": "a"},
               {"date": "2028-09-30", "amount": 10, "rep": "a"}])
    # plan year starts in October: Oct-Dec 2027 is Q1 of the year that starts in 2027; Jul-Sep 2028 its Q4
    assert detect(d, q, year_start="2027-10").periods == ["2027-Q1", "2027-Q2", "2027-Q3", "2027-Q4"]
    assert detect(d, q).periods == ["2027-Q4", "2028-Q1", "2028-Q2", "2028-Q3"]
    m = replace(q, period="monthly")
    assert detect(d, m, year_start=2).periods[0] == "2027-10"  # Nov 2027 is the 10th month of a Feb year
    assert detect(d, replace(q, period="annual"), year_start=10).periods == ["FY2027"]
    # a plan that carries its own year start (a field another branch adds) is read defensively
    own = replace(q)
    object.__setattr__(own, "year_start", "2027-10")
    assert detect(d, own).periods[0] == "2027-Q1"


def test_attainment_standalone_cumulative_credit_and_quotas():
    plan = plan_from_dict({"name": "q", "ote": 100, "quota": 1_200_000, "period": "quarterly",
                           "credit": {"segment": {"enterprise": 1.5}}})
    d = frame([{"date": "2027-02-01", "amount": 150_000, "rep": "a", "segment": "smb"},
               {"date": "2027-05-03", "amount": 300_000, "rep": "a", "segment": "enterprise"}])
    # period quota 300,000: Q1 150k -> 0.5; Q2 300k credited at 1.5x = 450k -> 1.5
    r = detect(d, plan)
    assert r.attainment[0].tolist() == pytest.approx([0.5, 1.5])
    # cumulative: at the Q2 true-up (150k + 450k) / (2 x 300k) = 1.0
    r = detect(d, plan, measurement="cumulative")
    assert r.attainment[0].tolist() == pytest.approx([0.5, 1.0])
    r = detect(d, plan, quotas={"a": 600_000})  # a quota of 600k a year: 150k a quarter
    assert r.attainment[0].tolist() == pytest.approx([1.0, 3.0])


# --- each kind found where planted -----------------------------------------------------------------

def test_shipped_export_every_planted_signal_found_with_rep_and_period():
    ex = read_export(EX / "crm-export.csv", currency="USD")
    syn = generate(PLAN)  # the seed and shape the shipped file was written with
    assert len(ex.deals) == len(syn.deals)
    report = detect(ex.deals, PLAN, approval_limit=20000)
    found = {(s.kind, s.rep, s.period) for s in report.signals}
    assert {k for k, _, _ in syn.planted} == set(KINDS)
    assert syn.planted <= found, sorted(syn.planted - found)
    assert all(s.rep in syn.gaming for s in report.signals if s.rep)
    by = {(s.kind, s.rep): s.component for s in report.signals}
    assert by[("post_cap_stall", syn_rep(syn, "cap"))] == "cap"
    assert by[("deal_splitting", syn_rep(syn, "splitting"))] == "approval limit"
    assert by[("edge_bunching", "")] == "tier 2"  # the accelerator's edge at 100%
    s = next(s for s in report.signals if s.kind == "period_end_bunching")
    assert "last 5 business days" in s.evidence and s.strength > 2 and s.q_value <= 0.01


def syn_rep(syn, role: str) -> str:
    return next(r for r, x in syn.gaming.items() if x == role)


def test_shipped_clean_control_reports_nothing():
    ex = read_export(EX / "crm-export-clean.csv", currency="USD")
    report = detect(ex.deals, PLAN, approval_limit=20000)
    assert report.signals == [] and report.tests > 300 and len(report.reps) == 20
    d = report.to_dict()
    assert d["signals"] == d["plan_design"] == [] and d["reps"] == 20 and d["periods"] == [f"2027-{m:02d}" for m in range(1, 13)]
    assert d["tests"] == report.tests
    # what could not be tested is only tests too small to ever fire (dropped before looking), never a missing column
    assert all("dropped before looking" in line for line in d["not_tested"])


ROLE_KINDS = {"bunching": ("period_end_bunching",), "discounting": ("period_end_discounting",), "edge": ("edge_bunching",),
              "cap": ("post_cap_stall", "edge_bunching"), "splitting": ("deal_splitting",)}


@pytest.mark.parametrize("seed", range(1, 6))
def test_planted_signals_found_over_seeds_with_and_without_a_limit(seed):
    d, syn = synthetic(seed=seed)
    for limit in (20000, None):
        report = detect(d, PLAN, approval_limit=limit)
        found = {(s.kind, s.rep, s.period) for s in report.signals}
        wanted = {p for p in syn.planted if limit is not None or p[0] != "deal_splitting"}
        # every planted behaviour (kind and rep) is named, and nearly every planted period of it (a period at the edge
        # of significance can fall either side of the correction)
        assert {(k, r) for k, r, _ in wanted} <= {(k, r) for k, r, _ in found}, (limit, sorted(wanted - found))
        assert len(wanted & found) >= 0.9 * len(wanted), (limit, sorted(wanted - found))
        # a rep is named only for what they did (the capped rep's held deals also land it just above the cap); with
        # some 30 true findings a run, a 1% false discovery rate allows one stray (kind, rep) now and then, not more
        stray = {(s.kind, s.rep) for s in report.signals if s.rep and s.kind not in ROLE_KINDS.get(syn.gaming.get(s.rep), ())}
        assert len(stray) <= 1, stray
        assert (limit is None) == any(line.startswith("deal splitting: no approval limit") for line in report.untested)


def test_a_spif_minimum_is_never_borrowed_as_the_approval_limit():
    d, syn = synthetic(seed=3)
    plan = replace(PLAN, spifs=(SimpleNamespace(name="big deal", minimum=20000),))
    report = detect(d, plan)
    assert not [s for s in report.signals if s.kind == "deal_splitting"]
    assert "deal splitting: no approval limit given (pass --approval-limit with the deal size that needs approval)" in report.untested


def test_whole_team_bunching_is_a_team_signal():
    rng = np.random.default_rng(5)
    rows = []
    for rep in "abcdefgh":
        for month in range(1, 4):
            end = pd.Timestamp(2027, month, 1) + pd.offsets.BMonthEnd(0)
            for _ in range(10):  # every rep closes about 8 of 10 deals in the month's last 3 business days
                late = rng.random() < 0.8
                date = end - pd.offsets.BDay(int(rng.integers(0, 3))) if late else pd.Timestamp(2027, month, 1) + pd.offsets.BDay(int(rng.integers(0, 15)))
                rows.append({"date": date, "amount": 1000.0, "rep": rep})
    report = detect(frame(rows), PLAN)  # monthly: 5 of about 21 business days is 23% for even timing, the team has ~80%
    team = [s for s in report.signals if s.kind == "period_end_bunching" and not s.rep]
    assert [s.period for s in team] == ["2027-01", "2027-02", "2027-03"]
    assert not report.findings  # each rep is like the team, so no rep stands out
    assert report.design == team and report.to_dict()["signals"] == []  # a plan-design observation, not a pattern to review


# --- nothing on clean exports of other shapes ----------------------------------------------------

SHAPES = [("monthly", 20, 12.0), ("quarterly", 8, 6.0), ("annual", 35, 4.0), ("monthly", 35, 30.0), ("quarterly", 20, 12.0)]


@pytest.mark.parametrize("seed", range(30))
def test_clean_exports_report_nothing(seed):
    period, reps, deals = SHAPES[seed % len(SHAPES)]
    plan = PLAN.with_changes(period=period)
    ys = 1 + seed % 12
    d, syn = synthetic(plan, seed=100 + seed, reps=reps, clean=True, deals_per_period=deals, year=2026 + seed % 3, year_start=ys)
    report = detect(d, plan, approval_limit=20000 if seed % 2 else None, year_start=ys)
    assert report.signals == [], [(s.kind, s.rep, s.period, s.evidence) for s in report.signals]
    assert syn.planted == set()
