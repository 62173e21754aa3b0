import datetime as dt
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coursekit.engine import payout, plan_from_dict, schedule
from coursekit.engine.bookings import Booking, parse_bookings
from coursekit.engine.payout import exact_payout
from coursekit.errors import CourseError
from tests.helpers import WORKED_PLAN

Q = {**WORKED_PLAN, "period": "quarterly", "threshold": 0.5, "tiers": [{"from": 0, "multiplier": 1}, {"from": 1, "multiplier": 2}]}
CSV = """date,amount,deal_id
2027-01-15,50000,a
2027-02-10,100000,b
2027-03-30,90000,c
2027-04-01,10000,d
2027-05-03,-100000,b
"""


def test_schedule_true_up_threshold_and_cross_period_clawback():
    s = schedule(plan_from_dict(Q), parse_bookings(CSV))
    rows = {r.month: r for r in s.months}
    # every month of the plan year the bookings touch (issue 12: plan years), not only Jan-May
    assert [r.month for r in s.months] == [f"2027-{m:02d}" for m in range(1, 13)]
    assert rows["2027-01"].earned == 0  # below threshold
    assert rows["2027-02"].earned == 18750  # 150k of 200k: 0.75 x 25k
    assert rows["2027-03"].earned == 16250  # 240k: 1.2 -> 35k in all, minus 18,750 already earned
    assert rows["2027-05"].earned == -17500  # deal b cancelled: Q1 falls to 140k -> 17,500
    assert s.total_earned == 17500
    assert s.total_paid == s.total_earned  # no draw: paid is what is earned


def test_recoverable_draw_advances_then_recovers():
    p = plan_from_dict({**Q, "period": "monthly", "threshold": None, "draw": {"amount": 5000, "recoverable": True}})
    s = schedule(p, parse_bookings("date,amount\n2027-01-05,10000\n2027-02-05,200000\n"))
    jan, feb = s.months[:2]
    assert (jan.earned, jan.draw, jan.balance, jan.paid) == (1250, 3750, 3750, 5000)
    assert feb.balance == 0 and feb.paid == feb.earned - 3750
    nr = schedule(p.with_changes(draw=type(p.draw)(5000, False)), parse_bookings("date,amount\n2027-01-05,10000\n2027-02-05,200000\n"))
    assert nr.months[0].balance == 0 and nr.months[1].paid == nr.months[1].earned


def test_credit_multiplier_and_spif_outside_cap():
    p = plan_from_dict({**WORKED_PLAN, "cap": 1.0, "credit": {"segment": {"enterprise": 2.0}},
                        "spifs": [{"name": "Launch", "amount": 1000, "product": "platform", "from": "2027-01-01", "to": "2027-03-31"}]})
    s = schedule(p, parse_bookings("date,amount,segment,product\n2027-02-01,500000,enterprise,platform\n2027-06-01,1,smb,platform\n"))
    feb = s.months[1]  # the schedule starts in January, the plan year's first month
    assert feb.credited == 1_000_000 and feb.earned == 100000  # capped at 1x TI
    assert s.total_spif == 1000 and s.total_paid == 101000


def test_a_year_of_small_bookings_adds_up_to_the_cent():
    p = plan_from_dict({**WORKED_PLAN, "period": "annual"})
    days = [dt.date(2027, 1, 1) + dt.timedelta(days=i) for i in range(365)]
    bookings = [Booking(d, 219_117) for d in days]  # 2,191.17 a day
    s = schedule(p, bookings)
    # 365 x 2,191.17 = 799,777.05 credited; x BCR 12.5% = 99,972.13125 -> 99,972.13 (half up)
    assert s.total_earned == Decimal("99972.13") == Decimal(str(payout(p, 799777.05 / 800000)))
    assert sum(round(r.earned * 100) for r in s.months) == round(s.total_earned * 100)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(1, 30_000_000), min_size=1, max_size=40), st.sampled_from(["annual", "quarterly", "monthly"]))
def test_schedule_total_equals_period_payout_for_one_period(cents, period):
    p = plan_from_dict({**WORKED_PLAN, "period": period, "cap": 3.0})
    bookings = [Booking(dt.date(2027, 1, 1 + i % 28), c) for i, c in enumerate(cents)]  # all in January: one period
    s = schedule(p, bookings)
    # exact: the attainment as a fraction (a float quotient such as 0.01252925 may land a hair under its half cent)
    assert s.total_earned == exact_payout(p, Fraction(sum(cents), 100) / (Fraction(800000) / p.periods_per_year))


@pytest.mark.parametrize("csv, field", [
    ("date,amount\n2027-13-01,5\n", "date"), ("date,amount\n2027-01-01,lots\n", "amount"),
    ("day,amount\n", "date"), ("date,amount,colour\n", "colour"), ("date,amount\n2027-01-01,nan\n", "amount"),
])
def test_bad_bookings_give_one_line_naming_field_and_row(csv, field):
    with pytest.raises(CourseError) as e:
        parse_bookings(csv, "b.csv")
    assert str(e.value).startswith("b.csv:") and f": {field}: " in str(e.value) and "\n" not in str(e.value)


def test_vectorized_core_matches_loop_for_population():
    from benchmarks.kit.oracles import population_loop

    from coursekit.engine.simulate import Population, population

    p = plan_from_dict({**Q, "period": "quarterly", "cap": 2.0})
    res = population(p, Population(reps=200, seed=3))
    assert res["total_payout"] == pytest.approx(population_loop(p, res["attainment"]), abs=200 * 12 * 0.01)
    assert np.all(res["payout"] >= 0)


@pytest.mark.parametrize("draw", [None, {"amount": 9000, "recoverable": True}, {"amount": 9000, "recoverable": False}])
@pytest.mark.parametrize("period", ["monthly", "quarterly", "annual"])
def test_simulator_year_pay_agrees_with_the_bookings_schedule(draw, period):
    from coursekit.engine.simulate import year_pay

    p = plan_from_dict({**Q, "period": period, "cap": 2.0, **({"draw": draw} if draw else {})})
    rng = np.random.default_rng(5)
    cents = rng.integers(0, 30_000_000, size=(6, 12)) * (rng.random((6, 12)) < 0.4)
    fast = year_pay(p, cents.astype(float), np.zeros((6, 12)), (2027, 1))
    for r in range(6):
        bookings = [Booking(dt.date(2027, m + 1, 15), int(c)) for m, c in enumerate(cents[r]) if c]
        bookings.append(Booking(dt.date(2027, 12, 31), 0)) if not bookings or bookings[-1].date.month != 12 else None
        bookings.insert(0, Booking(dt.date(2027, 1, 1), 0))
        # both round each year's earnings to date once, half up: to the cent
        assert fast[r] == float(schedule(p, bookings).total_paid)
