"""The population books each rep's whole deals as they fall (issue 24): a cap that binds on lumpy deals binds in the
population too, and identical reps at the rational rep's pace are paid what ``simulate`` pays, SPIFs and ramps in."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from coursekit.engine import scenario_from_dict, simulate
from coursekit.engine.simulate import Population, booking_mix, population, quota_over

MONTHLY = {"name": "Monthly flat", "ote": 200000, "quota": 800000, "period": "monthly", "cap": 2.0}  # TI 100,000
SMB = {"name": "smb", "deal_size": 20000, "deals_per_cycle": 3, "segment": "smb", "product": "point"}
ENTERPRISE = {"name": "enterprise", "deal_size": 480000, "cycle_months": 6, "segment": "enterprise", "product": "platform"}


def test_two_enterprise_deals_a_year_are_capped_in_their_months_in_the_population_too():
    # Reps at 120% of quota on enterprise book two 480,000 deals (June and December), each month capped at
    # 2 x 8,333.33: 33,333.33 a year on 960,000, 3.47 per 100, every rep capped. Spread evenly, the same reps
    # would book 80,000 a month (120%) and be paid 10,000 a month uncapped: 12.5 per 100, nobody capped.
    sc = scenario_from_dict({"plan": MONTHLY, "options": [SMB, ENTERPRISE]})
    pop = Population(reps=40, attainment_mean=1.2, attainment_sd=0.0)
    mix = booking_mix(sc, {"enterprise": 1.0})
    lumpy = population(sc.plan, pop, mix=mix)
    assert np.all(lumpy["payout"] == 33333.33) and lumpy["total_revenue"] == 40 * 960000.0
    assert lumpy["cost_of_sales_pct"] == 3.47 and lumpy["share_capped"] == 1.0
    even = population(sc.plan, pop, mix=tuple(mix))  # a plain mix knows no deals: spread evenly, as before
    assert even["cost_of_sales_pct"] == 12.5 and even["share_capped"] == 0.0
    # smb's 3 deals a month are steady: a rep at 120% works 4 deals a month (80,000), paid 10,000 a month
    steady = population(sc.plan, pop, mix=booking_mix(sc, {"smb": 1.0}))
    assert np.all(steady["payout"] == 120000.0) and steady["cost_of_sales_pct"] == 12.5 and steady["share_capped"] == 0.0


def test_a_rep_who_books_half_a_deal_a_year_books_a_whole_deal_or_none():
    # at 60% of quota a rep's pace is half the rational rep's: one 480,000 deal in the year, never two halves.
    # The deal falls in June or December by the rep's starting point; either way one month capped at 16,666.67
    sc = scenario_from_dict({"plan": MONTHLY, "options": [SMB, ENTERPRISE]})
    res = population(sc.plan, Population(reps=200, attainment_mean=0.6, attainment_sd=0.0), mix=booking_mix(sc, {"enterprise": 1.0}))
    assert set(res["payout"].tolist()) == {16666.67} and set(res["attainment"].tolist()) == {0.6}


def test_identical_reps_at_the_rational_reps_pace_are_paid_what_simulate_pays_spifs_and_ramp_in():
    # starts 15 April, quarterly, threshold 50%, ramp 50% then 75%, a 1,000 SPIF on every deal closed from June;
    # one 52,500 deal a month from April. The schedule (tests/unit/test_simulate_schedule_agree.py) pays 68,250 of
    # incentive; the SPIFs add 7 x 1,000 (June to December): 75,250 on 9 x 52,500 = 472,500, 15.93 per 100.
    plan = {"name": "p", "ote": 140000, "quota": 700000, "period": "quarterly", "threshold": 0.5,
            "start": dt.date(2027, 4, 15), "ramp": [0.5, 0.75],
            "spifs": [{"name": "launch", "amount": 1000, "product": "platform", "from": dt.date(2027, 6, 1)}]}
    sc = scenario_from_dict({"plan": plan, "options": [{"name": "even", "deal_size": 52500, "product": "platform"}]})
    assert simulate(sc, mixes=False).options[0].payout == 75250.0
    # the rep is measured on the quota of May to December, ramped: 58,333.33 + 131,250 + 175,000 = 364,583.33
    quota = Fraction(700000, 12) * 2 * Fraction(1, 2) + Fraction(175000) * Fraction(3, 4) + 175000
    at_pace = float(Fraction(472500) / quota)
    res = population(sc.plan, Population(reps=30, attainment_mean=at_pace, attainment_sd=0.0), sc.months, sc.start,
                     booking_mix(sc, {"even": 1.0}))
    assert np.all(res["payout"] == 75250.0) and res["total_revenue"] == 30 * 472500.0
    assert res["cost_of_sales_pct"] == round(75250 / 472500 * 100, 2) == 15.93


def test_the_population_books_what_its_reps_attain_on_average():
    # each rep's work starts at a random point of a deal: whole deals, and the mean booked attainment is the drawn one
    sc = scenario_from_dict({"plan": MONTHLY, "options": [SMB, ENTERPRISE]})
    pop = Population(reps=20000, attainment_mean=0.9, attainment_sd=0.25, seed=11)
    res = population(sc.plan, pop, mix=booking_mix(sc, {"enterprise": 0.5, "smb": 0.5}))
    booked = res["attainment"] * 800000
    assert np.all(np.isclose(booked / 20000, np.round(booked / 20000)))  # whole smb and enterprise deals
    assert abs(res["attainment"].mean() - 0.9) < 0.01


plans = st.fixed_dictionaries({
    "period": st.sampled_from(["annual", "quarterly", "monthly"]),
    "measurement": st.sampled_from(["standalone", "cumulative"]),
    "cap": st.sampled_from([None, 1.0, 2.0]),
    "threshold": st.sampled_from([None, 0.5, 0.9]),
    "start": st.sampled_from([None, dt.date(2027, 3, 10), dt.date(2027, 7, 1)]),
    "ramp": st.sampled_from([None, [0.5, 0.75]]),
    "spifs": st.sampled_from([None, [{"name": "s", "amount": 500, "from": dt.date(2027, 5, 1)}]]),
    "draw": st.sampled_from([None, {"amount": 2000, "recoverable": True}]),
})


@settings(max_examples=40, deadline=None)
@given(plans, st.sampled_from([20000, 52500, 120000]), st.sampled_from([1, 2, 3]), st.sampled_from([1, 2]))
def test_reps_at_the_rational_pace_are_paid_what_simulate_pays(raw, size, cycle, per):
    """Identical reps booking exactly the rational rep's deals (attainment = its bookings / the quota they are
    measured on) are each paid ``simulate``'s year pay to the cent, whatever the plan's shape, start, ramp or SPIFs."""
    plan = {"name": "p", "ote": 140000, "quota": 700000, **{k: v for k, v in raw.items() if v is not None}}
    sc = scenario_from_dict({"plan": plan, "options": [{"name": "o", "deal_size": size, "cycle_months": cycle,
                                                          "deals_per_cycle": per}]})
    want = simulate(sc, mixes=False).options[0]
    quota = quota_over(sc.plan, sc.start, sc.months) / 100
    pop = Population(reps=8, attainment_mean=float(Fraction(str(want.revenue)) / quota), attainment_sd=0.0)
    res = population(sc.plan, pop, sc.months, sc.start, booking_mix(sc, {"o": 1.0}))
    assert np.all(res["payout"] == want.payout) and res["total_revenue"] == 8 * want.revenue
