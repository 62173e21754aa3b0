"""The simulator pays cumulative (year-to-date) plans, annual caps and pay multipliers as the schedule does."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coursekit.engine import explain, plan_from_dict, scenario_from_dict, schedule, simulate
from coursekit.engine.bookings import Booking
from coursekit.engine.simulate import month_pay, year_pay

MONTHLY = {"name": "Monthly flat", "ote": 200000, "quota": 800000, "period": "monthly", "cap": 2.0}
ENTERPRISE = {"name": "enterprise", "deal_size": 480000, "cycle_months": 6, "segment": "enterprise", "product": "platform"}
SMB = {"name": "smb", "deal_size": 20000, "deals_per_cycle": 3, "segment": "smb", "product": "point"}


def _pay(plan: dict) -> dict[str, float]:
    r = simulate(scenario_from_dict({"plan": plan, "options": [SMB, ENTERPRISE], "strategy": {"prefer": "enterprise"}}))
    return {o.name: o.payout for o in r.options}


def _schedule_total(plan, cents_row) -> float:
    bookings = [Booking(dt.date(2027, 1, 1), 0)] + [Booking(dt.date(2027, m + 1, 15), int(c)) for m, c in enumerate(cents_row) if c]
    return float(schedule(plan, bookings).total_paid)


def test_golden_enterprise_year_under_each_measurement():
    # TI 100,000 a year, quota 800,000: BCR 12.5%. Enterprise books 480,000 in June and in December.
    # Monthly, capped per month: a month's TI is 8,333.33, capped at 2x = 16,666.67; 2 x 16,666.666... = 33,333.33
    # Year to date, paid monthly: June true-up credit 480,000 vs quota to date 400,000 (120%) -> 12.5% x 480,000 =
    #   60,000, under its cap of 2 x TI to date 50,000 = 100,000; July-Nov the same 60,000 (linear): nothing more;
    #   December 960,000 vs 800,000 -> 120,000 less 60,000 paid: 60,000. Year: 120,000.
    # Monthly with the cap on the year: uncapped months 60,000 + 60,000 = 120,000 < 2 x 100,000: 120,000.
    # Monthly with no cap: 120,000. smb: 60,000 a month vs 66,666.67 (90%) -> 7,500 x 12 = 90,000 every way.
    assert _pay(MONTHLY) == {"smb": 90000.0, "enterprise": 33333.33}
    assert _pay({**MONTHLY, "measurement": "cumulative"}) == {"smb": 90000.0, "enterprise": 120000.0}
    assert _pay({**MONTHLY, "cap_scope": "year"}) == {"smb": 90000.0, "enterprise": 120000.0}
    # a year cap of 1x (100,000) binds on enterprise's 120,000 but not smb's 90,000
    assert _pay({**MONTHLY, "cap": 1.0, "cap_scope": "year"}) == {"smb": 90000.0, "enterprise": 100000.0}
    # a pay multiplier of 1.5 on platform pays 1.5 x 120,000 = 180,000 under YTD, credits no extra quota
    assert _pay({**MONTHLY, "measurement": "cumulative", "pay_multiplier": {"product": {"platform": 1.5}}})["enterprise"] == 180000.0


def test_cumulative_carries_a_shortfall_and_pays_it_month_by_month():
    # DOMAIN.md 6's worked example: quarterly, threshold 50%, 1x to 100%, 2x above; quota 800,000, TI 100,000
    plan = plan_from_dict({"name": "YTD", "ote": 200000, "quota": 800000, "period": "quarterly", "threshold": 0.5,
                           "measurement": "cumulative", "tiers": [{"from": 0, "multiplier": 1}, {"from": 1, "multiplier": 2}]})
    cents = np.zeros((1, 12))
    cents[0, [2, 5, 8, 11]] = [8_000_000, 32_000_000, 20_000_000, 20_000_000]  # 80k, 320k, 200k, 200k at quarter ends
    paid = month_pay(plan, cents, np.zeros_like(cents), (2027, 1))[0] / 100
    # Q1 80k of 200k (40% < 50%): 0. Q2 400k of 400k: 50,000. Q3 600k of 600k: 75,000 -> 25,000. Q4 800k: 25,000
    assert list(paid[[2, 5, 8, 11]]) == [0, 50000, 25000, 25000] and paid.sum() == 100000
    assert year_pay(plan, cents, np.zeros_like(cents), (2027, 1))[0] == 100000 == _schedule_total(plan, cents[0])


def test_a_slow_quarter_after_a_fast_one_is_carried_never_a_negative_check():
    # 2x above quota: Q1 300k of 200k pays 50,000 x (1 + 2 x 0.5) = 100,000; Q2 nothing: 300k of 400k (75%)
    # is worth 37,500 to date, less 100,000 paid: a 62,500 shortfall carried, no negative line; Q3 + Q4 bring 500k:
    # 800k of 800k = 100,000 to date, still no more than was paid: the year pays 100,000
    plan = plan_from_dict({"name": "YTD", "ote": 200000, "quota": 800000, "period": "quarterly", "measurement": "cumulative",
                           "tiers": [{"from": 0, "multiplier": 1}, {"from": 1, "multiplier": 2}]})
    cents = np.zeros((1, 12))
    cents[0, [2, 11]] = [30_000_000, 50_000_000]
    paid = month_pay(plan, cents, np.zeros_like(cents), (2027, 1))[0]
    assert paid.min() == 0 and paid.sum() / 100 == 100000 == _schedule_total(plan, cents[0])


plans = st.fixed_dictionaries({
    "period": st.sampled_from(["annual", "quarterly", "monthly"]),
    "measurement": st.sampled_from(["standalone", "cumulative"]),
    "cap_scope": st.sampled_from(["period", "year"]),
    "cap": st.sampled_from([None, 1.0, 1.5, 2.0]),
    "threshold": st.sampled_from([None, 0.5]),
    "tiers": st.sampled_from([None, [{"from": 0, "multiplier": 1}, {"from": 1, "multiplier": 2}],
                              [{"from": 0, "multiplier": 1}, {"from": 1.2, "multiplier": 0.5}]]),
    "pay_multiplier": st.sampled_from([{}, {"product": {"platform": 1.5}}]),
    "quota": st.sampled_from([800000, [100000, 200000, 200000, 300000]]),
})


@settings(max_examples=60, deadline=None)
@given(plans, st.sampled_from([1, 4]),
       st.lists(st.tuples(st.integers(0, 11), st.integers(1, 40_000_000), st.booleans()), max_size=8))
def test_simulator_year_pay_equals_the_schedule(raw, first_month, deals):
    """Any plan shape, any bookings over a plan year (from January or a fiscal April): the simulator's vectorized
    year pay is the schedule's total to the cent."""
    raw = {k: v for k, v in raw.items() if v is not None}
    if isinstance(raw["quota"], list) and raw["period"] != "quarterly":
        raw["quota"] = 800000
    plan = plan_from_dict({"name": "p", "ote": 200000, "year_start": f"2027-{first_month:02d}", **raw})
    start = (2027, first_month)
    cents, weighted = np.zeros((1, 12)), np.zeros((1, 12))
    bookings = [Booking(dt.date(2027, first_month, 1), 0)]
    for month, c, platform in deals:
        cents[0, month] += c
        weighted[0, month] += c * (plan.pay_multiplier_for(None, "platform") if platform else 1)
        y, m = divmod(2027 * 12 + first_month - 1 + month, 12)
        bookings.append(Booking(dt.date(y, m + 1, 10), c, product="platform" if platform else "point"))
    fast = year_pay(plan, cents, np.zeros_like(cents), start, weighted)[0]
    assert fast == float(schedule(plan, bookings).total_paid)
    monthly = month_pay(plan, cents, np.zeros_like(cents), start, weighted)[0]
    assert monthly.sum() / 100 == fast and monthly.min() >= 0  # a shortfall is carried, never a negative check


@pytest.mark.parametrize("draw", [{"amount": 9000, "recoverable": True}, {"amount": 9000, "recoverable": False}])
def test_draws_on_a_cumulative_plan_match_the_schedule(draw):
    plan = plan_from_dict({**MONTHLY, "period": "quarterly", "measurement": "cumulative", "draw": draw})
    rng = np.random.default_rng(3)
    cents = rng.integers(0, 30_000_000, size=(4, 12)) * (rng.random((4, 12)) < 0.4)
    fast = year_pay(plan, cents.astype(float), np.zeros((4, 12)), (2027, 1))
    for r in range(4):
        assert fast[r] == _schedule_total(plan, cents[r])


def test_explain_says_how_attainment_is_measured_and_when_it_is_paid():
    cumulative = explain(plan_from_dict({**MONTHLY, "measurement": "cumulative"}))
    assert ("Your attainment is measured over the year; you are paid each month on year-to-date results, "
            "less what was paid before.") in cumulative
    quarterly = explain(plan_from_dict({**MONTHLY, "period": "quarterly", "measurement": "cumulative"}))
    assert "you are paid each quarter on year-to-date results, less what was paid before" in quarterly
    monthly = explain(plan_from_dict(MONTHLY))
    assert "Each month is measured on its own" in monthly and "year-to-date" not in monthly
    annual = explain(plan_from_dict({**MONTHLY, "period": "annual"}))
    assert "measured over the whole year" in annual and "paid every year" not in annual
    assert "On platform bookings you earn 1.5 times the rate; they credit no extra quota." in explain(
        plan_from_dict({**MONTHLY, "pay_multiplier": {"product": {"platform": 1.5}}}))
    year_cap = explain(plan_from_dict({**MONTHLY, "cap_scope": "year"}))
    assert "stops at 2 times the year's target" in year_cap
