"""Property tests (hypothesis) for the exact money paths of issue 12."""

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from coursekit.engine import payout, period_payout, plan_from_dict, schedule
from coursekit.engine.bookings import Booking
from coursekit.engine.money import round_half_up
from coursekit.engine.payout import exact_payout, payout_loop

PERIOD = st.sampled_from(["annual", "quarterly", "monthly"])
SETTINGS = settings(max_examples=40, deadline=None)


def d(y, m, day=10):
    return dt.date(y, m, day)


@st.composite
def curves(draw):
    """Ascending attainment points with any payout shares: rising, falling (decelerating) or flat."""
    n = draw(st.integers(2, 5))
    xs = sorted(draw(st.lists(st.integers(1, 300), min_size=n, max_size=n, unique=True)))
    ys = draw(st.lists(st.integers(0, 400), min_size=n, max_size=n))
    return [[x / 100, y / 100] for x, y in zip(xs, ys)]


@st.composite
def tier_plans(draw):
    starts = sorted(draw(st.lists(st.integers(1, 250), min_size=1, max_size=3, unique=True)))
    mults = draw(st.lists(st.integers(0, 40), min_size=len(starts) + 1, max_size=len(starts) + 1))  # decelerators too
    key, scale = draw(st.sampled_from([("multiplier", 10), ("rate", 200)]))  # multiples of BCR, or rates of sales
    return {"name": "t", "ote": draw(st.integers(10_000, 500_000)), "quota": draw(st.integers(100_000, 5_000_000)),
            "period": draw(PERIOD), "tier_mode": draw(st.sampled_from(["marginal", "retroactive"])),
            "tiers": [{"from": s / 100, key: m / scale} for s, m in zip([0, *starts], mults)]}


@SETTINGS
@given(curves(), PERIOD, st.integers(0, 400))
def test_curve_exact_payout_matches_the_vectorized_curve(curve, period, att100):
    p = plan_from_dict({"name": "c", "ote": 100000, "quota": 800000, "period": period, "curve": curve})
    exact = exact_payout(p, att100 / 100)
    assert exact >= 0
    # the float curve agrees to the cent except within float noise of a step (the first point)
    if abs(att100 / 100 - curve[0][0]) > 1e-9:
        assert abs(float(exact) - float(period_payout(p, att100 / 100))) <= 0.011


@SETTINGS
@given(tier_plans(), st.integers(0, 400))
def test_tiers_and_decelerators_exact_payout_matches_the_reference_loop(plan, att100):
    p = plan_from_dict(plan)
    exact = exact_payout(p, att100 / 100)
    assert exact >= 0 and payout(p, att100 / 100) == float(exact)
    on_edge = any(abs(att100 / 100 - t["from"]) < 1e-9 for t in plan["tiers"])
    if not on_edge:
        assert abs(float(exact) - payout_loop(p, [att100 / 100])[0]) <= 0.011


@SETTINGS
@given(st.integers(1, 10_000), st.integers(1, 99), st.sampled_from(["quarterly", "monthly"]),
       st.sampled_from(["threshold", "retroactive"]))
def test_exact_boundary_on_monthly_and_quarterly_quotas(k, pct, period, kind):
    # annual quota 12k dollars: a period's quota is 12k/ppy, and pct% of it is pct * k * (12/ppy) cents exactly
    ppy = {"quarterly": 4, "monthly": 12}[period]
    quota, at_edge = 12 * k, pct * k * (12 // ppy)  # dollars; cents
    gate = {"threshold": pct / 100} if kind == "threshold" else {
        "tier_mode": "retroactive", "tiers": [{"from": 0, "multiplier": 0}, {"from": pct / 100, "multiplier": 1}]}
    p = plan_from_dict({"name": "b", "ote": quota, "variable_share": 1, "quota": quota, "period": period, **gate})
    at = schedule(p, [Booking(d(2027, 1), at_edge)]).total_earned
    below = schedule(p, [Booking(d(2027, 1), at_edge - 1)]).total_earned
    # at the boundary is over it: pays TI x pct% (BCR = ote / quota = 1 -> the sales themselves); a cent under pays 0
    assert at == Decimal(at_edge) / 100 and below == 0


@SETTINGS
@given(st.lists(st.integers(0, 60_000_00), min_size=3, max_size=3), st.integers(1, 30_000), st.booleans())
def test_quarterly_draw_pays_the_larger_of_the_draw_and_the_quarters_earnings(months, draw, recoverable):
    # linear plan, TI = quota (BCR 100%): a month earns what it books. One quarter, then nothing.
    p = plan_from_dict({"name": "q", "ote": 4_000_000, "variable_share": 1, "quota": 4_000_000, "period": "quarterly",
                        "draw": {"amount": draw, "recoverable": recoverable}})
    s = schedule(p, [Booking(d(2027, m + 1), c) for m, c in enumerate(months) if c] + [Booking(d(2027, 1), 0)])
    q1 = sum(r.paid for r in s.months[:3])
    earned = Decimal(sum(months)) / 100
    assert q1 == max(earned, draw)
    if recoverable:  # the shortfall is carried as a balance (later quarters earn nothing: the balance only grows)
        assert s.months[2].balance == max(0, draw - earned)


@SETTINGS
@given(st.lists(st.integers(1, 1_000_000), min_size=1, max_size=4), st.integers(0, 100),
       st.sampled_from(["full", "proportional", "none"]))
def test_spif_clawback_of_a_multi_installment_deal(installments, cancel_pct, mode):
    p = plan_from_dict({"name": "s", "ote": 200000, "quota": 800000, "spif_clawback": mode,
                        "spifs": [{"name": "Launch", "amount": 999.99}]})
    booked = sum(installments)
    cancel = booked * cancel_pct // 100
    rows = [Booking(d(2027, 1 + i), c, deal_id="a") for i, c in enumerate(installments)]
    rows += [Booking(d(2027, 8), -cancel, deal_id="a")] if cancel else []
    s = schedule(p, rows)
    share = {"full": Fraction(int(cancel == booked)), "none": Fraction(0), "proportional": Fraction(cancel, booked)}[mode]
    # paid once (at the first installment), minus the clawed share, rounded half up once
    assert s.months[0].spif == Decimal("999.99")
    assert s.total_spif == Decimal(round_half_up(Fraction(99999, 100) * (1 - share), 2)) / 100


@SETTINGS
@given(st.lists(st.tuples(st.integers(1, 12), st.integers(0, 500_000_00)), min_size=1, max_size=12), PERIOD,
       st.lists(st.integers(1, 12), max_size=5))
def test_zero_rows_change_nothing(rows, period, zero_months):
    p = plan_from_dict({"name": "z", "ote": 200000, "quota": 800000, "period": period, "threshold": 0.3,
                        "draw": {"amount": 3000, "recoverable": True}, "spifs": [{"name": "All", "amount": 100}]})
    bookings = [Booking(d(2027, m), c) for m, c in rows]
    zeros = [Booking(d(2027, m, 20), 0) for m in zero_months]
    a, b = schedule(p, bookings), schedule(p, bookings + zeros)
    assert a == b


@SETTINGS
@given(st.lists(st.integers(1, 300_000_00), min_size=1, max_size=4), st.integers(1, 300_000_00), PERIOD,
       st.sampled_from(["standalone", "cumulative"]))
def test_cancelling_a_whole_multi_installment_deal_earns_as_if_it_never_was(installments, other, period, measurement):
    tiers = [{"from": 0, "multiplier": 1}, {"from": 0.8, "multiplier": 2}]
    p = plan_from_dict({"name": "m", "ote": 200000, "quota": 800000, "period": period, "measurement": measurement,
                        "threshold": 0.2, "tiers": tiers})
    deal = [Booking(d(2027, 1 + 2 * i), c, deal_id="x") for i, c in enumerate(installments)]
    rest = [Booking(d(2027, 2), other)]
    cancel = [Booking(d(2027, 12), -sum(installments), deal_id="x")]
    a, b = schedule(p, deal + rest + cancel), schedule(p, rest + [Booking(d(2027, 12), 0)])
    # what the year earned net of any cumulative over-payment still carried at its end (forgiven)
    assert a.total_earned - a.months[-1].carried == b.total_earned - b.months[-1].carried


@SETTINGS
@given(st.integers(1, 100_000_00), st.sampled_from(["quarterly", "monthly", "annual"]))
def test_cumulative_and_standalone_agree_on_even_bookings_under_a_linear_uncapped_plan(monthly, period):
    # every month books the same; linear: earnings are BCR x credit in both measurements
    bookings = [Booking(d(2027, m), monthly) for m in range(1, 13)]
    base = {"name": "l", "ote": 200000, "quota": 800000, "period": period}
    a = schedule(plan_from_dict(base), bookings)
    b = schedule(plan_from_dict({**base, "measurement": "cumulative"}), bookings)
    assert a.total_paid == b.total_paid
    mpp = 12 // {"quarterly": 4, "monthly": 12, "annual": 1}[period]
    per_period = [sum(r.paid for r in s.months[i:i + mpp]) for s in (a, b) for i in range(0, 12, mpp)]
    assert per_period[: 12 // mpp] == per_period[12 // mpp:]


def test_vectorized_payout_still_takes_arrays():
    p = plan_from_dict({"name": "v", "ote": 200000, "quota": 800000})
    out = period_payout(p, np.array([0.5, 1.0]))
    assert out.shape == (2,) and list(payout(p, [0.5, 1.0])) == [50000, 100000]
