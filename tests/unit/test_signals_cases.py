"""A case file per finding: the deals behind it, the money at stake, the effect with its interval."""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from coursekit.engine import load_plan
from coursekit.engine.payout import period_payout
from coursekit.signals.cases import poisson_interval, wilson
from coursekit.signals.detect import detect
from coursekit.signals.report import render
from coursekit.signals.synth import generate

PLAN = load_plan(Path(__file__).resolve().parents[2] / "examples" / "crm-plan.yaml")


@pytest.fixture(scope="module")
def gamed():
    syn = generate(PLAN, seed=21)
    d = syn.deals.copy()
    d["cents"] = (d["amount"] * 100).round().astype("int64")
    return d, syn, detect(d, PLAN, approval_limit=20_000)


def test_a_bunching_case_lists_the_period_end_deals_and_the_commission_they_earned(gamed):
    d, syn, report = gamed
    rep = next(r for r, role in syn.gaming.items() if role == "bunching")
    s = max((s for s in report.findings if s.rep == rep and s.kind == "period_end_bunching" and s.period), key=lambda s: s.at_stake)
    month = int(s.period[-2:])
    mine = d[(d["rep"] == rep) & (d["date"].dt.month == month)]
    end = pd.Timestamp(2027, month, 1) + pd.offsets.MonthEnd(0) + pd.Timedelta(days=1)
    last = mine[np.busday_count(mine["date"].to_numpy().astype("datetime64[D]"), np.datetime64(end.date())) <= 5]
    assert sorted(x["deal_id"] for x in s.deals) == sorted(last["deal_id"]) and s.deals_total == len(last)
    q = PLAN.period_quota
    expected = period_payout(PLAN, mine["amount"].sum() / q) - period_payout(PLAN, (mine["amount"].sum() - last["amount"].sum()) / q)
    assert s.at_stake == pytest.approx(float(expected), abs=0.02) and s.at_stake > 0
    assert "95% interval" in s.effect and s.checked and "peers' share" in " ".join(s.checked)


def test_a_splitting_case_names_the_split_accounts_deals(gamed):
    d, syn, report = gamed
    rep = next(r for r, role in syn.gaming.items() if role == "splitting")
    for s in [s for s in report.findings if s.rep == rep and s.kind == "deal_splitting"]:
        assert s.deals and all("Split" in x["account"] for x in s.deals)
        assert s.at_stake == pytest.approx(sum(x["amount"] for x in s.deals), abs=0.05)


def test_the_json_carries_the_cases(gamed):
    _, _, report = gamed
    d = json.loads(json.dumps(report.to_dict()))
    assert d["signals"] and all({"deals", "deals_total", "at_stake", "at_stake_what", "effect", "checked"} <= set(s) for s in d["signals"])
    assert all(s["deals"] for s in d["signals"] if s["kind"] != "edge_bunching" or s["rep"])


def test_the_html_shows_a_case_file_per_finding(gamed):
    _, _, report = gamed
    page = render(report, "x.csv")
    assert page.count("<details><summary>") >= len(report.findings) and "Case files: patterns to review" in page
    assert report.findings[0].deals[0]["deal_id"] in page


def test_wilson_interval():
    lo, hi = wilson(13, 14)
    assert 0.66 < lo < 0.70 and 0.98 < hi <= 1.0
    assert wilson(0, 0) == (0.0, 1.0)


def test_near_misses_are_a_watch_list_not_patterns():
    # seed 5: seed 4's one near miss (an edge rep landing 5 of 12 months) is found since the test of where a rep stood
    # before the period's end was added, which leaves seed 4 with no watch list
    syn = generate(PLAN, seed=5)
    d = syn.deals.copy()
    d["cents"] = (d["amount"] * 100).round().astype("int64")
    report = detect(d, PLAN, approval_limit=20_000)
    assert report.watch and all(report.fdr < w.q_value <= 0.10 and w.rep for w in report.watch)
    assert not {(w.kind, w.rep) for w in report.watch} & {(s.kind, s.rep) for s in report.findings}
    assert all(syn.gaming.get(w.rep) for w in report.watch)  # on this export the near misses are gaming reps just short
    listed = report.to_dict()["watch_list"]
    assert [(w["kind"], w["rep"]) for w in listed] == [(w.kind, w.rep) for w in report.watch]
    assert "Watch list: near misses, not patterns to review" in render(report, "x.csv")


def test_every_finding_carries_its_effect_in_its_kind_s_one_unit_with_an_interval(gamed):
    """Share points of deals (bunching, landing at an edge, splitting), discount points, or the share of the pace
    expected (stalls): one unit per kind, always with a 95% interval."""
    _, _, report = gamed
    units = {"period_end_bunching": "points", "edge_bunching": "points", "deal_splitting": "points",
             "period_end_discounting": "discount points", "post_cap_stall": "of the pace expected"}
    assert {s.kind for s in report.findings} == set(units)
    for s in report.findings:
        assert units[s.kind] in s.effect and "95% interval" in s.effect, (s.kind, s.period, s.effect)


def test_a_poisson_interval_covers_its_count():
    assert poisson_interval(0) == (0.0, pytest.approx(3.689, abs=0.01))  # -ln(0.025): exact at zero
    for k in (1, 5, 30):
        lo, hi = poisson_interval(k)
        assert lo < k < hi


def test_stall_and_splitting_cases_carry_their_chart_with_alt_text(gamed):
    """Stall: cumulative bookings against the cap; splitting: the accounts' deals against the stated approval limit.
    The alt text says what the chart shows, from the same figures (the day the cap was reached, the deals' amounts)."""
    import html
    import re

    _, _, report = gamed
    page = render(report, "gamed.csv")
    alts = [html.unescape(a) for a in re.findall(r'<img alt="([^"]*)" src="data:image/png;base64,[A-Za-z0-9+/=]+"', page)]
    stall = next(s for s in report.findings if s.kind == "post_cap_stall")
    split = next(s for s in report.findings if s.kind == "deal_splitting")
    assert any(a.startswith(f"{stall.rep}'s cumulative bookings") and "against the cap at 150%" in a
               and "reached on business day" in a for a in alts)
    split_alt = next(a for a in alts if a.startswith(f"{split.rep}'s deals to the accounts that look split"))
    assert "against the 20,000 approval limit" in split_alt
    assert all(f"{d['amount']:,.0f}" in split_alt for d in split.deals if d["account"] in split_alt)
