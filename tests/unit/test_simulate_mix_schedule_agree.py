"""Exact everywhere (issue 24), audited as a property: for random plans (credit and pay multipliers per option, a curve
or tiers, threshold, cap and its scope, SPIFs, weighted components) and a random effort split over two options, the
simulator's year pay equals the schedule's total for the same deals, to the cent; and the population's reps at the
rational rep's pace are paid by the same rules (tests/unit/test_population_deals.py holds the single-option case)."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from coursekit.engine import plan_from_dict, scenario_from_dict, schedule
from coursekit.engine.bookings import Booking
from coursekit.engine.scenario import Population
from coursekit.engine.simulate import attempts, booking_mix, population, quota_over, simulate_mix

BASE = {"name": "p", "ote": 160000, "quota": 960000}
OPTIONS = [{"name": "new", "deal_size": 40000, "cycle_months": 1, "deals_per_cycle": 2, "segment": "new-logo", "product": "new"},
           {"name": "renew", "deal_size": 75000, "cycle_months": 3, "deals_per_cycle": 2, "segment": "renewal", "product": "renewal"}]

MEASURES = [{"name": "new ARR", "weight": 0.7, "product": "new", "quota": 640000, "threshold": 0.5,
             "tiers": [{"from": 0.0, "multiplier": 1.0}, {"from": 1.0, "multiplier": 2.0}]},
            {"name": "renewals", "weight": 0.3, "product": "renewal", "quota": 320000, "cap": 1.5}]

plans = st.fixed_dictionaries({
    "period": st.sampled_from(["annual", "quarterly", "monthly"]),
    "measurement": st.sampled_from(["standalone", "cumulative"]),
    "cap": st.sampled_from([None, 1.0, 2.0]),
    "cap_scope": st.sampled_from(["period", "year"]),
    "threshold": st.sampled_from([None, 0.5, 0.8]),
    "shape": st.sampled_from(["flat", "accelerator", "curve", "measures"]),
    "credit": st.sampled_from([{}, {"segment": {"new-logo": 1.15}}, {"segment": {"renewal": 1.5, "new-logo": 1.3}}]),
    "pay_multiplier": st.sampled_from([{}, {"product": {"new": 1.25}}, {"segment": {"renewal": 0.8}}]),
    "spifs": st.sampled_from([None, [{"name": "q2", "amount": 500, "segment": "new-logo", "from": dt.date(2027, 4, 1),
                                      "to": dt.date(2027, 6, 30)}]]),
})


def _plan(raw: dict) -> dict:
    plan = {**BASE, **{k: v for k, v in raw.items() if k != "shape" and v not in (None, {})}}
    if raw["shape"] == "accelerator":
        plan["tiers"] = [{"from": 0, "multiplier": 1}, {"from": 1, "multiplier": 1.5}]
    elif raw["shape"] == "curve":
        plan["curve"] = [[0.5, 0.3], [1.0, 1.0], [1.5, 2.0]]
    elif raw["shape"] == "measures":
        plan["measures"] = MEASURES
        for k in ("threshold", "cap", "cap_scope"):  # each measure carries its own
            plan.pop(k, None)
    return plan


def _rows(split: tuple[Fraction, Fraction]) -> list[Booking]:
    """The simulator's deals for the split, written as bookings: each cycle's deals at its end, dated the 28th."""
    rows = [Booking(dt.date(2027, 1, 1), 0, segment="new-logo", product="new")]  # the schedule's first month
    for o, share in zip(OPTIONS, split, strict=True):
        opt = scenario_from_dict({"plan": BASE, "options": [o]}).options[0]
        for k, n in enumerate(attempts(opt, 12, share) if share else []):
            month = (k + 1) * opt.cycle_months
            rows += [Booking(dt.date(2027, month, 28), round(opt.deal_size * 100), segment=o["segment"], product=o["product"],
                             deal_id=f"{o['name']}-{month}-{i}") for i in range(int(n))]
    return rows


@settings(max_examples=60, deadline=None)
@given(plans, st.integers(0, 10))
def test_a_mix_is_paid_what_the_schedule_pays_for_the_same_deals(raw, tenths):
    plan = _plan(raw)
    split = (Fraction(tenths, 10), Fraction(10 - tenths, 10))
    sc = scenario_from_dict({"plan": plan, "options": OPTIONS, "start": "2027-01", "months": 12})
    sim = simulate_mix(sc, {"new": float(split[0]), "renew": float(split[1])})
    paid = schedule(plan_from_dict(plan), _rows(split)).total_paid
    assert Fraction(str(sim.payout)) == Fraction(paid), (plan, split, sim.payout, paid)


@settings(max_examples=40, deadline=None)
@given(plans, st.sampled_from([0, 5, 10]))
def test_population_reps_at_the_rational_pace_are_paid_the_mix_to_the_cent(raw, tenths):
    """Identical reps booking exactly the split's deals, each option's with its own credit and pay multiplier (and its
    own component, weighted), are each paid ``simulate_mix``'s year pay: whole deals per rep, as the schedule pays."""
    plan = _plan(raw)
    sc = scenario_from_dict({"plan": plan, "options": OPTIONS, "start": "2027-01", "months": 12})
    effort = {"new": tenths / 10, "renew": 1 - tenths / 10}
    want = simulate_mix(sc, effort)
    if not want.revenue:
        return
    quota = quota_over(sc.plan, sc.start, sc.months) / 100
    pop = Population(reps=6, attainment_mean=float(Fraction(str(want.revenue)) / quota), attainment_sd=0.0)
    res = population(sc.plan, pop, sc.months, sc.start, booking_mix(sc, effort))
    assert np.all(res["payout"] == want.payout), (plan, effort, res["payout"], want.payout)
