"""The simulator on plans measured over the plan year (``measurement: cumulative``, ``cap_scope: year``) pays what
the bookings schedule pays: module 4's worked example compares a year measured to date with monthly measurement."""

from __future__ import annotations

import datetime as dt

import pytest

from coursekit.engine import plan_from_dict, scenario_from_dict, simulate
from coursekit.engine.bookings import Booking
from coursekit.engine.schedule import schedule
from coursekit.engine.simulate import attempts

MONTHLY = {"name": "Monthly flat", "ote": 200000, "quota": 800000, "period": "monthly", "cap": 2.0}
OPTIONS = [{"name": "smb", "deal_size": 20000, "deals_per_cycle": 3, "cycle_months": 1},
           {"name": "enterprise", "deal_size": 480000, "deals_per_cycle": 1, "cycle_months": 6}]


def pay(plan: dict) -> dict[str, float]:
    r = simulate(scenario_from_dict({"plan": plan, "options": OPTIONS, "strategy": {"prefer": "enterprise"}}))
    return {o.name: o.payout for o in r.options}


def test_a_year_measured_to_date_and_paid_monthly_pays_the_enterprise_deal_in_full():
    # TI 100,000, monthly TI 8,333.33, monthly quota 66,666.67, cap 2 x the measurement's TI.
    # Standalone monthly: each 480,000 deal lands in one month, capped at 16,666.666...; earnings to date are
    # rounded once (16,666.67 by June, 33,333.33 by December), so December pays 16,666.66: 33,333.33 a year.
    assert pay(MONTHLY)["enterprise"] == 33333.33
    # Year to date, trued up monthly: month 6 is 480,000 / 400,000 = 120% of quota to date -> 1.2 x 50,000 = 60,000
    # (cap 2 x 50,000 not reached); month 12 is 960,000 / 800,000 = 120% -> 120,000 to date, 60,000 more.
    ytd = pay({**MONTHLY, "measurement": "cumulative"})
    assert ytd == {"smb": 90000.0, "enterprise": 120000.0}  # smb: 60,000 a month = 90% of quota every month -> 0.9 x TI
    # an annual cap on monthly measurement: each month uncapped (57,600 in months 6 and 12), the year capped at 200,000
    assert pay({**MONTHLY, "cap_scope": "year"})["enterprise"] == 120000.0


PLANS = {
    "year to date, monthly": {"measurement": "cumulative"},
    "year to date, quarterly, threshold": {"measurement": "cumulative", "period": "quarterly", "threshold": 0.9, "cap": 1.0},
    "year to date, annual cap": {"measurement": "cumulative", "cap_scope": "year", "cap": 1.0},
    "monthly, annual cap": {"cap_scope": "year", "cap": 1.0, "threshold": 0.9},
    "year to date with a draw": {"measurement": "cumulative", "period": "quarterly", "threshold": 0.9,
                                 "draw": {"amount": 6000, "recoverable": False}},
}


@pytest.mark.parametrize("change", PLANS.values(), ids=PLANS)
def test_exact_path_pays_what_the_bookings_schedule_pays(change):
    # a quota of 180,000 (15,000 a month) against 2, 3, 2, 3, ... deals of 12,345.67 every two months: attainment
    # to date swings around the 90% threshold and the cap, so catch-up, carried overpayment and the cap all bite
    plan = {**MONTHLY, "quota": 180000, "ote": 60000, **change}
    opt = {"name": "odd", "deal_size": 12345.67, "deals_per_cycle": 2.5, "cycle_months": 2}
    sc = scenario_from_dict({"plan": plan, "options": [opt]})
    got = simulate(sc).options[0].payout
    counts = attempts(sc.options[0], 12)
    rows = [Booking(dt.date(2027, 1, 1), 0)] + [Booking(dt.date(2027, 2 * (k + 1), 28), 1234567) for k, n in enumerate(counts)
                                                 for _ in range(n)]
    want = schedule(plan_from_dict(plan), rows).total_paid
    assert got == float(want)
    assert want != schedule(plan_from_dict({**plan, "measurement": "standalone", "cap_scope": "period"}), rows).total_paid
