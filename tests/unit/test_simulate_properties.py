"""Property tests of the simulator's tie rule and deal counting, and of the decelerator warning."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from coursekit.engine import period_payout, plan_from_dict, scenario_from_dict, simulate
from coursekit.engine.lint import lint_plan
from coursekit.engine.scenario import Option
from coursekit.engine.simulate import attempts, simulate_mix

options = st.fixed_dictionaries({
    "deal_size": st.sampled_from([5000, 20000, 25000, 60000, 180000, 480000]),
    "deals_per_cycle": st.sampled_from([0.5, 1, 1.5, 2, 3]),
    "cycle_months": st.sampled_from([1, 2, 3, 4, 6, 12]),
})
plans = st.fixed_dictionaries({
    "period": st.sampled_from(["annual", "quarterly", "monthly"]),
    "threshold": st.sampled_from([None, 0.5]),
    "cap": st.sampled_from([None, 1.5, 2.0]),
    "credit": st.sampled_from([{}, {"segment": {"b": 1.25}}, {"segment": {"b": 2.0}}]),
})


@settings(max_examples=40, deadline=None)
@given(options, options, plans, st.sampled_from(["a", "b", None]))
def test_the_verdict_never_contradicts_itself(a, b, plan, prefer):
    plan = {"name": "P", "ote": 200000, "quota": 800000, **{k: v for k, v in plan.items() if v not in (None, {})}}
    sc = {"plan": plan, "options": [{**a, "name": "a", "segment": "a"}, {**b, "name": "b", "segment": "b"}]}
    if prefer:
        sc["strategy"] = {"prefer": prefer}
    r = simulate(scenario_from_dict(sc))
    pay = {o.name: o.payout for o in r.options}
    best = simulate_mix(scenario_from_dict(sc), r.best_mix).payout
    # the rep's choice is where the payout-maximizing mix puts the most effort; aligned means it is the strategy's
    assert r.best_mix[r.rep_choice] == max(r.best_mix.values()) and r.aligned == (r.rep_choice == prefer if prefer else None)
    # the mix pays at least every option taken full-time
    assert best >= max(pay.values())
    # when no blend beats the best full-time year, the rep takes a full-time year, the strategy's one at a tie
    if best == max(pay.values()):
        assert pay[r.rep_choice] == best and r.best_mix[r.rep_choice] == 1.0
        if prefer and pay[prefer] == best:
            assert r.rep_choice == prefer and r.aligned is True
    assert set(r.tied) == {n for n in pay if n != r.rep_choice and pay[n] == pay[r.rep_choice]}


@settings(max_examples=60, deadline=None)
@given(options, st.integers(0, 10), st.sampled_from([12, 24]))
def test_whole_deals_add_up_to_the_effort_given(o, tenths, months):
    opt = Option("x", o["deal_size"], o["deals_per_cycle"], o["cycle_months"])
    share = Fraction(tenths, 10)
    got = attempts(opt, months, share)
    cycles = months // opt.cycle_months
    work = share * Fraction(str(opt.deals_per_cycle)) * cycles
    # every deal whole and never negative; all the work finished by the last cycle closes, and no more
    assert got.dtype.kind == "i" and (got >= 0).all() and got.sum() == int(work)
    # more effort never closes fewer deals
    if tenths < 10:
        assert attempts(opt, months, share + Fraction(1, 10)).sum() >= got.sum()


rates = st.lists(st.sampled_from([0.0, 0.5, 1.0, 1.5, 2.0, 3.0]), min_size=2, max_size=4)


@settings(max_examples=80, deadline=None)
@given(rates, st.sampled_from(["retroactive", "marginal"]))
def test_the_decelerator_warning_fires_exactly_when_pay_falls(mults, mode):
    tiers = [{"from": 0.5 * i, "multiplier": m} for i, m in enumerate(mults)]
    plan = plan_from_dict({"name": "P", "ote": 200000, "quota": 800000, "tiers": tiers, "tier_mode": mode})
    grid = np.linspace(0, 0.5 * len(mults) + 0.5, 20001)
    # tier edges at multiples of 0.5 fall on the grid; look just below each edge too
    grid = np.sort(np.concatenate([grid, np.arange(1, len(mults)) * 0.5 - 1e-9]))
    falls = bool((np.diff(period_payout(plan, grid, cents=False)) < -1e-6).any())
    warned = any(p.field.startswith("tiers[") for p in lint_plan(plan, "p.yaml"))
    assert warned == falls
