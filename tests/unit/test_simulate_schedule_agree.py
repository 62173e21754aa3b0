"""The simulator pays what the schedule pays for the same bookings, to the cent (issue 24): thresholds, tier edges
and caps compared exactly, and the plan's start, ramp, end and pro-ration honoured as the schedule honours them."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coursekit.engine import plan_from_dict, scenario_from_dict, schedule, simulate
from coursekit.engine.bookings import Booking
from coursekit.engine.simulate import attempts
from tests.helpers import ROOT

BASE = {"name": "p", "ote": 140000, "quota": 700000}  # TI 70,000; BCR 10%
EVEN = {"name": "even", "deal_size": 52500}  # one deal a month: 630,000 a year, exactly 90% of quota


def sim_pay(plan: dict, option: dict = EVEN, start: str = "2027-01", months: int = 12) -> float:
    sc = scenario_from_dict({"plan": plan, "options": [option], "start": start, "months": months})
    return simulate(sc, mixes=False).options[0].payout


def schedule_pay(plan: dict, rows: list[Booking]) -> float:
    return float(schedule(plan_from_dict(plan), rows).total_paid)


@pytest.mark.parametrize("period", ["annual", "quarterly", "monthly"])
@pytest.mark.parametrize("measurement", ["standalone", "cumulative"])
def test_one_deal_a_month_at_exactly_90_percent_passes_a_90_percent_threshold(period, measurement):
    # 52,500 a month against a monthly quota of 58,333.33...: exactly 90% in every month, quarter and year to date.
    # Linear at the BCR above the gate: 10% x 630,000 = 63,000 (the example; monthly standalone paid 0)
    plan = {**BASE, "period": period, "measurement": measurement, "threshold": 0.9}
    rows = [Booking(dt.date(2027, m, 28), 5_250_000) for m in range(1, 13)]
    assert sim_pay(plan) == 63000.0 == schedule_pay(plan, rows)
    # one cent short of 90% in every month pays nothing, in both
    short = {**EVEN, "deal_size": 52499.99}
    rows = [Booking(dt.date(2027, m, 28), 5_249_999) for m in range(1, 13)]
    assert sim_pay(plan, short) == 0.0 == schedule_pay(plan, rows)


def test_a_retroactive_tier_starting_at_exactly_the_attainment_pays_its_rate_on_everything():
    # from 90% every credit pays 1.5 x BCR = 15%: 15% x 52,500 = 7,875 a month, 94,500 a year
    plan = {**BASE, "period": "monthly", "tier_mode": "retroactive",
            "tiers": [{"from": 0, "multiplier": 1.0}, {"from": 0.9, "multiplier": 1.5}]}
    rows = [Booking(dt.date(2027, m, 28), 5_250_000) for m in range(1, 13)]
    assert sim_pay(plan) == 94500.0 == schedule_pay(plan, rows)


def test_a_new_hire_is_paid_on_the_ramped_quota_from_the_start():
    # starts 15 April: months pro-ration counts May onwards (8 months), so the quota is 8/12 x 700,000 = 466,666.67
    # and the TI 8/12 x 70,000 = 46,666.67, the first two quarters ramped to 50% and 75% of their quota.
    # Quarterly, threshold 50%: Q2 (May-Jun, 2 months) quota 116,666.67 x 50% = 58,333.33, TI 11,666.67;
    # Q3 quota 175,000 x 75% = 131,250, TI 17,500; Q4 quota 175,000, TI 17,500.
    # One 52,500 deal a month from April (April to December: 9 deals). Q2 books 3 (157,500, 135% of 58,333.33):
    # linear pays TI x attainment = 11,666.67 x 2.7 = 31,500. Q3: 157,500 / 131,250 = 120% -> 21,000.
    # Q4: 157,500 / 175,000 = 90% -> 15,750. Year: 68,250.
    plan = {**BASE, "period": "quarterly", "threshold": 0.5, "start": dt.date(2027, 4, 15), "ramp": [0.5, 0.75]}
    rows = [Booking(dt.date(2027, m, 28), 5_250_000) for m in range(4, 13)]
    assert schedule_pay(plan, rows) == 68250.0
    assert sim_pay(plan) == 68250.0
    sc = scenario_from_dict({"plan": plan, "options": [EVEN]})
    assert simulate(sc, mixes=False).options[0].bookings == 9  # no deal before the rep starts


def test_a_rep_who_leaves_books_nothing_after_the_last_day():
    # leaves 15 September, months pro-ration: January to August count (8 months), September's part-month has no
    # quota and no TI. Monthly plan at the BCR: 9 deals (January to September, the last dated the 15th); August's
    # and earlier pay 10% x 52,500 = 5,250 each, September's none: 8 x 5,250 = 42,000, nothing from October
    plan = {**BASE, "period": "monthly", "end": dt.date(2027, 9, 15)}
    rows = [Booking(dt.date(2027, m, 28), 5_250_000) for m in range(1, 9)] + [Booking(dt.date(2027, 9, 15), 5_250_000)]
    assert sim_pay(plan) == 42000.0 == schedule_pay(plan, rows)
    sc = scenario_from_dict({"plan": plan, "options": [EVEN]})
    assert simulate(sc, mixes=False).options[0].bookings == 9


def _bookings(plan: dict, option: dict, start: tuple[int, int], months: int) -> list[Booking]:
    """The simulator's deals written as bookings: cycles from the rep's first month, a deal at each cycle's end
    dated the 28th, moved inside the rep's start and end (the rule ``option_cents`` documents)."""
    p = plan_from_dict(plan)
    first_col = 0 if p.start is None else max(0, (p.start.year - start[0]) * 12 + p.start.month - start[1])
    last_col = months - 1 if p.end is None else min(months - 1, (p.end.year - start[0]) * 12 + p.end.month - start[1])
    sc = scenario_from_dict({"plan": plan, "options": [option]})
    opt = sc.options[0]
    rows = [Booking(dt.date(start[0], start[1], 1) if p.start is None else p.start, 0)]
    for k, n in enumerate(attempts(opt, max(0, last_col - first_col + 1))):
        col = first_col + (k + 1) * opt.cycle_months - 1
        y, m = divmod(start[0] * 12 + start[1] - 1 + col, 12)
        day = dt.date(y, m + 1, 28)
        day = max(day, p.start) if p.start else day
        day = min(day, p.end) if p.end else day
        rows += [Booking(day, round(opt.deal_size * 100), product="platform", deal_id=f"{col}-{i}") for i in range(int(n))]
    return rows


plans = st.fixed_dictionaries({
    "period": st.sampled_from(["annual", "quarterly", "monthly"]),
    "measurement": st.sampled_from(["standalone", "cumulative"]),
    "cap_scope": st.sampled_from(["period", "year"]),
    "cap": st.sampled_from([None, 1.0, 1.5]),
    "threshold": st.sampled_from([None, 0.5, 0.9, 1.0]),
    "tiers": st.sampled_from([None, [{"from": 0, "multiplier": 1}, {"from": 1, "multiplier": 2}],
                              [{"from": 0, "multiplier": 0.5}, {"from": 0.9, "multiplier": 1.5}]]),
    "tier_mode": st.sampled_from(["marginal", "retroactive"]),
    "ramp": st.sampled_from([None, [0.5], [0.25, 0.5, 0.75]]),
    "proration": st.sampled_from(["months", "days"]),
    "pay_multiplier": st.sampled_from([{}, {"product": {"platform": 1.25}}]),
    "spifs": st.sampled_from([None, [{"name": "launch", "amount": 1000, "product": "platform", "from": dt.date(2027, 6, 1)}]]),
    "draw": st.sampled_from([None, {"amount": 3000, "recoverable": True}, {"amount": 2000, "recoverable": False, "term_months": 4}]),
})


@settings(max_examples=80, deadline=None)
@given(plans, st.sampled_from([None, dt.date(2027, 1, 1), dt.date(2027, 3, 10), dt.date(2027, 7, 1), dt.date(2027, 11, 30)]),
       st.sampled_from([None, dt.date(2027, 9, 15), dt.date(2027, 12, 31)]),
       st.sampled_from([1, 4]), st.sampled_from([5250, 52500, 58333.33, 61250, 120000]), st.sampled_from([1, 2, 3]),
       st.sampled_from([1, 1.5, 2]))
def test_simulates_year_pay_is_the_schedules_for_the_same_bookings(raw, start, end, first_month, size, cycle, per):
    """Any plan shape, start, ramp, end and pro-ration, a fiscal or calendar year: the simulator's year pay for one
    option taken full-time is the schedule's total for the same deals, to the cent."""
    plan = {**BASE, "year_start": f"2027-{first_month:02d}", **{k: v for k, v in raw.items() if v not in (None, {})}}
    if start is not None and start >= dt.date(2027, first_month, 1):  # a start inside the simulated year
        plan["start"] = start
    if end is not None and (start is None or end >= start):
        plan["end"] = end
    option = {"name": "o", "deal_size": size, "cycle_months": cycle, "deals_per_cycle": per, "product": "platform"}
    at = (2027, first_month)
    rows = _bookings(plan, option, at, 12)
    assert sim_pay(plan, option, f"2027-{first_month:02d}") == schedule_pay(plan, rows)


def test_a_plan_with_effective_dated_versions_is_refused_in_one_line_never_silently_simulated_as_it_starts():
    # the simulator pays one plan for the year: a feature it does not model is refused, naming the field and the fix;
    # the audit reads such a plan as it starts the year, and still runs
    from dataclasses import replace

    from coursekit.engine import audit, load_plan, load_strategy, population
    from coursekit.engine.scenario import Population
    from coursekit.errors import CourseError

    plan = load_plan(ROOT / "examples" / "mid-year-change.yaml")
    sc = scenario_from_dict({"plan": {**BASE, "period": "monthly"}, "options": [EVEN]})
    for run in (lambda: simulate(sc, plan), lambda: population(plan, Population(reps=5))):
        with pytest.raises(CourseError) as err:
            run()
        said = str(err.value)
        assert "\n" not in said.strip() and "versions" in said and "coursekit schedule" in said
    assert simulate(sc, replace(plan, versions=())).options  # the same plan without versions simulates
    audit(plan, load_strategy(ROOT / "examples" / "strategy.yaml"))
