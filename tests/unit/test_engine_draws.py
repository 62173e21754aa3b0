"""Issue 23, part 2: draws that behave like draw agreements: a clawback onto a recoverable balance, a recovery
limit per period, a draw term, and the balance at the term's end or the rep's `end:` date, owed or forgiven.
Each figure is worked by hand in its comment."""

import datetime as dt
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coursekit.engine import plan_from_dict, schedule
from coursekit.engine.bookings import Booking, parse_bookings
from coursekit.engine.simulate import year_pay
from coursekit.errors import CourseError

LINEAR = {"name": "Linear", "ote": 200000, "variable_share": 0.5, "quota": 800000}  # TI 100,000; BCR 12.5%
M = {**LINEAR, "period": "monthly"}  # monthly quota 66,666.67, TI 8,333.33; linear 12.5% of what is booked
CLAW = "date,amount,deal_id\n2027-01-10,80000,a\n2027-02-10,-80000,a\n2027-03-10,200000,b\n"


def run(plan: dict, csv: str):
    return schedule(plan_from_dict(plan), parse_bookings(csv, "b.csv"))


def month(s, label: str):
    return next(r for r in s.months if r.month == label)


def row(s, label):
    r = month(s, label)
    return r.earned, r.draw, r.balance, r.paid


def test_a_clawback_under_a_recoverable_draw_joins_the_balance_instead_of_a_negative_check():
    # draw 5,000 a month, recoverable. January: a 80,000 -> 10,000, above the draw: no advance.
    # February: a cancelled: -10,000 (standalone: a negative line), nothing earned, so the draw advances 5,000 and
    # takes the 10,000 clawback onto its balance: draw line 15,000, balance 15,000, check 5,000 (not -5,000).
    # March: b 200,000 -> 25,000, 20,000 above the draw: the 15,000 balance is recovered: 25,000 - 15,000 = 10,000.
    s = run({**M, "draw": {"amount": 5000}}, CLAW)
    assert row(s, "2027-01") == (10000, 0, 0, 10000)
    assert row(s, "2027-02") == (-10000, 15000, 15000, 5000)
    assert row(s, "2027-03") == (25000, -15000, 0, 10000)


def test_a_recovery_limit_takes_at_most_its_share_of_the_earnings_above_the_draw():
    # as above, recovery_limit 50%: March is 20,000 above the draw, so at most 10,000 repays the balance:
    # paid 15,000, balance 5,000. April earns nothing: the draw advances 5,000 more: balance 10,000.
    s = run({**M, "draw": {"amount": 5000, "recovery_limit": 0.5}}, CLAW)
    assert row(s, "2027-03") == (25000, -10000, 5000, 15000)
    assert row(s, "2027-04") == (0, 5000, 10000, 5000)


def test_the_recovery_limit_rounds_half_up_to_the_cent():
    # draw 1,000 a month; January earns nothing: balance 1,000. Limit 0.333333. February: 8,000.08 booked ->
    # 1,000.01 earned, 1 cent above the draw: 0.333333 cent, half up 0: nothing recovered. 8,000.24 -> 1,000.03:
    # 3 cents x 0.333333 = 0.999999 cent, half up 1 cent recovered.
    plan = {**M, "draw": {"amount": 1000, "recovery_limit": 0.333333}}
    for amount, back in (("8000.08", 0), ("8000.24", Decimal("0.01"))):
        s = run(plan, f"date,amount\n2027-01-10,0\n2027-02-10,{amount}\n")
        assert month(s, "2027-02").draw == -back
    # limit 0.5: 8,000.20 -> 1,000.025, half up 1,000.03 earned; 3 cents x 0.5 = 1.5 cents, half up 2 cents
    s = run({**M, "draw": {"amount": 1000, "recovery_limit": 0.5}}, "date,amount\n2027-01-10,0\n2027-02-10,8000.20\n")
    assert month(s, "2027-02").earned == Decimal("1000.03") and month(s, "2027-02").draw == Decimal("-0.02")  # 0.015 -> 0.02


@pytest.mark.parametrize("at_term_end, balance_after, may", [
    # term 3 months: January-March advance 5,000 each (balance 15,000); no draw from April.
    ("forgiven", 0, (10000, 0, 0, 10000)),  # written off at the end of March: May's 10,000 is paid
    ("owed", 15000, (10000, -10000, 5000, 0)),  # still owed: May's 10,000 (80,000 booked) repays 10,000 of it
])
def test_a_draw_term_ends_the_advances_and_settles_the_balance_as_the_plan_says(at_term_end, balance_after, may):
    s = run({**M, "draw": {"amount": 5000, "term_months": 3, "at_term_end": at_term_end}},
            "date,amount\n2027-01-10,0\n2027-05-10,80000\n")
    assert [month(s, m).draw for m in ("2027-01", "2027-02", "2027-03", "2027-04")] == [5000, 5000, 5000, 0]
    assert month(s, "2027-03").balance == balance_after and month(s, "2027-04").paid == 0
    assert row(s, "2027-05") == may


def test_the_term_counts_from_the_reps_start():
    # start 2027-03-10: the draw is owed from March; a 2-month term: March and April
    s = run({**M, "start": "2027-03-10", "draw": {"amount": 5000, "term_months": 2, "recoverable": False}},
            "date,amount\n2027-03-10,0\n")
    assert [r.draw for r in s.months][:6] == [0, 0, 5000, 5000, 0, 0]


@pytest.mark.parametrize("at_end, june, total", [
    # draw 5,000 a month, January to June (the end month owes its draw): balance 30,000 at the end of June
    ("owed", (0, -25000, 0, -25000), 0),  # repaid from the last pay: 5,000 advanced, 30,000 back: -25,000
    ("forgiven", (0, 5000, 0, 5000), 30000),
])
def test_at_the_reps_end_the_balance_is_owed_or_forgiven(at_end, june, total):
    s = run({**M, "start": "2027-01-01", "end": "2027-06-15", "draw": {"amount": 5000, "at_end": at_end}},
            "date,amount\n2027-01-10,0\n")
    assert row(s, "2027-06") == june and s.total_paid == total
    assert all(r.paid == 0 and r.balance == 0 for r in s.months[6:])  # nothing owed after the rep left


def test_a_quarterly_draw_stops_at_an_end_inside_the_quarter():
    # quarterly draw 15,000 (5,000 a month), non-recoverable; the rep leaves on 10 February: January and February
    # owe 10,000, trued up in February (the last month); March owes nothing
    s = run({**LINEAR, "period": "quarterly", "end": "2027-02-10", "draw": {"amount": 15000, "recoverable": False}},
            "date,amount\n2027-01-10,0\n")
    assert [r.paid for r in s.months[:4]] == [5000, 5000, 0, 0] and s.total_paid == 10000


def test_end_pro_rates_the_last_year_and_a_partial_last_month_does_not_count():
    # annual plan, cap 1x. end 30 June: January-June count: quota 400,000, TI 50,000. 480,000 booked: 60,000
    # linear, capped at 50,000. end 29 June: January-May count: TI 100,000 x 5/12 = 41,666.67 (the cap).
    plan = {**LINEAR, "cap": 1.0}
    assert run({**plan, "end": "2027-06-30"}, "date,amount\n2027-03-10,480000\n").total_earned == 50000
    assert run({**plan, "end": "2027-06-29"}, "date,amount\n2027-03-10,480000\n").total_earned == Decimal("41666.67")


def test_a_year_to_date_plan_trues_up_at_the_reps_last_day():
    # quarterly, cumulative, end 31 May: the Q2 true-up is in May (the rep's last month), on quota to date
    # 200,000 + 200,000 x 2/3 and TI 25,000 + 16,666.67: 100,000 booked in April, linear: 12,500 in May.
    s = run({**LINEAR, "period": "quarterly", "measurement": "cumulative", "end": "2027-05-31"},
            "date,amount\n2027-04-10,100000\n")
    assert {r.month: r.paid for r in s.months if r.paid} == {"2027-05": 12500}


def test_a_booking_after_the_end_is_an_error_naming_the_row():
    with pytest.raises(CourseError, match=r"^b.csv:3: date: .*after the rep's last day"):
        run({**M, "end": "2027-06-15"}, "date,amount\n2027-03-01,5\n2027-06-16,5\n")


@pytest.mark.parametrize("draw, field, words", [
    ({"amount": 5000, "recovery_limit": 1.5}, "draw.recovery_limit", "more than all"),
    ({"amount": 5000, "recovery_limit": 0.5, "recoverable": False}, "draw.recovery_limit", "no balance"),
    ({"amount": 5000, "term_months": 0}, "draw.term_months", "not a number of months"),
    ({"amount": 5000, "at_end": "kept"}, "draw.at_end", "not allowed"),
    ({"amount": 5000, "term": 3}, "draw.term", "unknown field"),
])
def test_bad_draw_keys_are_one_line_naming_file_field_and_fix(draw, field, words):
    with pytest.raises(CourseError) as e:
        plan_from_dict({**M, "draw": draw}, "plan.yaml", {"draw": 9})
    text = str(e.value)
    assert "\n" not in text and text.startswith(f"plan.yaml:9: {field}: ") and words in text


def test_an_end_before_the_start_is_refused():
    with pytest.raises(CourseError, match=r"^plan.yaml: end: 2027-01-01 is before the start"):
        plan_from_dict({**M, "start": "2027-02-01", "end": "2027-01-01"}, "plan.yaml")


@pytest.mark.parametrize("draw", [{"amount": 9000, "recovery_limit": 0.5}, {"amount": 9000, "recovery_limit": 0.3},
                                  {"amount": 9000, "term_months": 5, "at_term_end": "forgiven"},
                                  {"amount": 9000, "term_months": 7}])
@pytest.mark.parametrize("period", ["monthly", "quarterly"])
def test_the_simulator_pays_limits_and_terms_as_the_schedule_does(draw, period):
    plan = plan_from_dict({**LINEAR, "period": period, "cap": 2.0, "draw": draw})
    rng = np.random.default_rng(7)
    cents = rng.integers(0, 30_000_000, size=(5, 12)) * (rng.random((5, 12)) < 0.4)
    fast = year_pay(plan, cents.astype(float), np.zeros((5, 12)), (2027, 1))
    for r in range(5):
        bookings = [Booking(dt.date(2027, 1, 1), 0)] + [Booking(dt.date(2027, m + 1, 15), int(c)) for m, c in enumerate(cents[r]) if c]
        bookings.append(Booking(dt.date(2027, 12, 31), 0))
        assert fast[r] == float(schedule(plan, bookings).total_paid)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 40_000_00), min_size=12, max_size=12), st.integers(1, 100), st.integers(1, 20_000))
def test_recovery_never_exceeds_the_limit_nor_the_balance(earned_cents, pct, draw):
    # each month's recovery (the draw line's fall below the advances) is at most pct% of the earnings above
    # the draw, half up, and the balance never goes below 0
    plan = plan_from_dict({**M, "draw": {"amount": draw, "recovery_limit": pct / 100}})
    bookings = [Booking(dt.date(2027, m + 1, 5), c * 8) for m, c in enumerate(earned_cents)]  # 12.5%: c earned
    s = schedule(plan, bookings)
    for r in s.months:
        assert r.balance >= 0
        above = max(Decimal(0), r.earned - draw)
        if r.draw < 0:
            limit = (above * pct / 100).quantize(Decimal("0.01"), "ROUND_HALF_UP")
            assert -r.draw <= limit


def test_the_draw_agreement_example_by_hand():
    # examples/draw-agreement.yaml: monthly quota 75,000, TI 7,500 (BCR 10%); draw 6,000 a month from March for
    # six months, at most half of the earnings above the draw recovers the balance.
    from pathlib import Path

    from coursekit.engine import load_plan

    plan = load_plan(Path(__file__).resolve().parents[2] / "examples" / "draw-agreement.yaml")
    s = schedule(plan, parse_bookings("date,amount,deal_id\n2027-03-05,0,z\n2027-04-10,120000,a\n"
                                      "2027-05-20,-120000,a\n2027-06-10,150000,b\n2027-10-10,200000,c\n"))
    assert row(s, "2027-03") == (0, 6000, 6000, 6000)  # nothing earned: 6,000 advanced
    assert row(s, "2027-04") == (12000, -3000, 3000, 9000)  # 12,000 earned, 6,000 above the draw: half recovers
    assert row(s, "2027-05") == (-12000, 18000, 21000, 6000)  # a cancelled (40 days): 12,000 onto the balance + 6,000
    assert row(s, "2027-06") == (15000, -4500, 16500, 10500)  # 9,000 above the draw: 4,500 recovered
    assert month(s, "2027-07").balance == 22500
    assert row(s, "2027-08") == (0, 6000, 0, 6000)  # the term's last month: 28,500 forgiven
    assert row(s, "2027-10") == (20000, 0, 0, 20000)  # no draw after the term
    assert s.total_paid == 63500


def test_a_clawback_is_not_recovered_from_earnings_paid_out_earlier_in_the_period():
    # quarterly draw 15,000 (5,000 a month), recoverable. January: a 160,000 -> 20,000 earned, above the 5,000 owed
    # to date: paid 20,000. February: a cancelled: -20,000 onto the balance. The quarter's earnings to date (20,000,
    # clawbacks not counted) are 10,000 above the 10,000 owed, but January's 20,000 was paid out already: February
    # recovers nothing from it and pays 0, not -10,000. March: b 160,000 -> 20,000 more: 40,000 earned to date,
    # 25,000 above the draw: the 20,000 balance is recovered from March's 20,000: paid 0, balance 0.
    s = run({**LINEAR, "period": "quarterly", "draw": {"amount": 15000}},
            "date,amount,deal_id\n2027-01-10,160000,a\n2027-02-10,-160000,a\n2027-03-10,160000,b\n")
    assert row(s, "2027-01") == (20000, 0, 0, 20000)
    assert row(s, "2027-02") == (-20000, 20000, 20000, 0)
    assert row(s, "2027-03") == (20000, -20000, 0, 0)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 12), st.integers(1, 200_000_00), st.integers(0, 100)), min_size=1, max_size=6),
       st.sampled_from(["monthly", "quarterly"]), st.sampled_from(["standalone", "cumulative"]),
       st.sampled_from([None, 0.5, 0.25]), st.integers(1000, 30000), st.booleans())
def test_no_check_is_negative_under_a_recoverable_draw_or_year_to_date(deals, period, measurement, limit, amount,
                                                                        recoverable):
    # bookings and cancellations of any share, later in the year. A recoverable draw takes each clawback onto its
    # balance; under a non-recoverable one a year-to-date plan carries it (standalone's rule is a negative line)
    if not recoverable and measurement == "standalone":
        return
    draw = {"amount": amount, "recoverable": recoverable, **({"recovery_limit": limit} if limit and recoverable else {})}
    plan = plan_from_dict({**LINEAR, "period": period, "measurement": measurement, "threshold": 0.4,
                           "tiers": [{"from": 0, "multiplier": 1}, {"from": 1, "multiplier": 2}], "draw": draw})
    rows = []
    for i, (m, c, pct) in enumerate(deals):
        rows.append(Booking(dt.date(2027, m, 5), c, deal_id=str(i)))
        if pct:
            rows.append(Booking(dt.date(2027, min(12, m + 1 + i % 3), 20), -(c * pct // 100), deal_id=str(i)))
    s = schedule(plan, rows + [Booking(dt.date(2027, 1, 1), 0)])
    assert all(r.paid >= 0 and r.balance >= 0 for r in s.months)


def test_explain_reads_the_draw_agreement_and_the_clawback_rule_out():
    from coursekit.engine import explain

    text = explain(plan_from_dict({**M, "end": "2027-12-31", "draw": {"amount": 5000, "recovery_limit": 0.5,
                                                                        "term_months": 6, "at_term_end": "forgiven"}}))
    assert text.endswith("If you earn less than 5,000 in a month, you get an advance up to it, recoverable from later "
                         "earnings. At most 50% of what you earn above the advance repays it. The advance runs for your "
                         "first 6 months and what is left is forgiven. On leaving (2027-12-31) you repay what is left.")
    assert explain(plan_from_dict({**M, "clawback": "proportional", "clawback_window_days": 90})).endswith(
        "If a customer cancels within 90 days, you give back the commission in proportion to the days left.")
    # a plan without the new keys reads as before
    assert "cancel" not in explain(plan_from_dict({**M, "clawback_window_days": 90, "draw": {"amount": 5000}}))
