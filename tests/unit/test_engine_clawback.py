"""Issue 23, part 1: cancellations under year-to-date measurement (prior-period processing) and the plan's
commission clawback rule. Each expected figure is worked by hand in its comment from the standard definitions:
a true-up pays the year-to-date earnings less what earlier true-ups paid, never below 0; a cancellation restates
the credit of the periods the deal was credited in, recomputes every closed true-up on it, and pays or claws back
the difference from what was paid, in the month of the cancellation row."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coursekit.engine import plan_from_dict, schedule
from coursekit.engine.bookings import Booking, parse_bookings
from coursekit.errors import CourseError

LINEAR = {"name": "Linear", "ote": 200000, "variable_share": 0.5, "quota": 800000}  # TI 100,000; BCR 12.5%
# quarterly quota 200,000 and TI 25,000; 1x BCR (12.5%) to 100% of quota to date, 2x (25%) above
YTD = {**LINEAR, "period": "quarterly", "measurement": "cumulative",
       "tiers": [{"from": 0, "multiplier": 1}, {"from": 1, "multiplier": 2}]}
Q = {**LINEAR, "period": "quarterly"}  # standalone, linear


def run(plan: dict, csv: str):
    return schedule(plan_from_dict(plan), parse_bookings(csv, "b.csv"))


def month(s, label: str):
    return next(r for r in s.months if r.month == label)


def lines(s, field: str = "paid") -> dict[str, Decimal]:
    return {r.month: getattr(r, field) for r in s.months if getattr(r, field)}


# 1. prior-period processing under measurement: cumulative -------------------------------------------------------

def test_cancelling_a_deal_that_was_never_paid_on_claws_back_nothing():
    # Q1: a 300,000 = 150% of 200,000: 25,000 + 100,000 x 25% = 50,000, paid in March.
    # Q2: b 60,000: YTD 360,000 / 400,000 = 90% -> 45,000 < 50,000 paid: pays 0, carries 5,000. b was never paid on.
    # August, b cancelled: restated true-ups Q1 50,000 (unchanged), Q2 300k/400k = 75% -> 37,500, which paid 0:
    # the restated true-ups paid 50,000, as was paid: nothing to claw back (the old engine wrote a -7,500 check).
    s = run(YTD, "date,amount,deal_id\n2027-01-10,300000,a\n2027-05-10,60000,b\n2027-08-10,-60000,b\n")
    assert lines(s) == {"2027-03": 50000}
    assert month(s, "2027-08").earned == 0
    # carried: 50,000 paid beyond the 37,500 earned to date (Q2, restated)
    assert month(s, "2027-08").carried == 12500


def test_the_difference_is_netted_against_the_true_up_of_the_cancellations_month():
    # Q1: a 100,000 = 50% -> 12,500 paid in March. Q2: b 300,000 in May; YTD 400k/400k = 100% -> 50,000: the
    # June true-up is 37,500. a is cancelled on 20 June: Q1 restated 0, Q2 restated 300k/400k = 75% -> 37,500:
    # the restated true-ups pay 37,500 in all; 12,500 + 37,500 were due, so 12,500 comes off June: 25,000.
    s = run(YTD, "date,amount,deal_id\n2027-02-10,100000,a\n2027-05-10,300000,b\n2027-06-20,-100000,a\n")
    assert lines(s) == {"2027-03": 12500, "2027-06": 25000}
    assert s.total_earned == 37500 and month(s, "2027-06").carried == 0


def test_a_partial_cancellation_claws_back_the_restated_difference_not_the_fall_in_earnings_to_date():
    # threshold 50%. Q1: a 700,000 = 350%: 25,000 + 500,000 x 25% = 150,000, paid in March. Q2, Q3: nothing;
    # YTD 175% -> 125,000 and 116.7% -> 100,000: paid 0, 150,000 stays paid.
    # October: 200,000 of a (2/7) cancelled. Restated: Q1 500k/200k = 250% -> 25,000 + 300,000 x 25% = 100,000;
    # Q2 125% -> 50,000 + 100,000 x 25% = 75,000; Q3 500k/600k = 83.3% -> 62,500. The true-ups pay 100,000:
    # 50,000 to recover. No true-up in October: nothing is paid, the 50,000 is carried (no negative check).
    plan = {**YTD, "threshold": 0.5}
    csv = "date,amount,deal_id\n2027-02-10,700000,a\n2027-10-10,-200000,a\n"
    s = run(plan, csv)
    assert lines(s) == {"2027-03": 150000}
    # carried in October: 150,000 paid less the 62,500 earned to date = 50,000 to recover + 37,500 catch-up
    assert month(s, "2027-10").carried == 87500
    # Q4: 500k/800k = 62.5% -> 62,500, under the 100,000 the true-ups already paid: nothing; still carried
    assert month(s, "2027-12").paid == 0 and month(s, "2027-12").carried == 87500
    # the plan lets clawbacks go negative: the 50,000 is a negative line in October
    neg = run({**plan, "clawback_negative": True}, csv)
    assert lines(neg) == {"2027-03": 150000, "2027-10": -50000}
    assert neg.total_earned == 100000 and month(neg, "2027-12").carried == 37500


def test_a_carried_clawback_is_recovered_from_the_next_true_up():
    # Q1: a 200,000 = 100% -> 25,000 paid. May: a cancelled in full: restated Q1 0; 25,000 to recover, carried.
    # Q2: b 400,000 in June: YTD 400k/400k = 100% -> 50,000; the true-up pays 50,000 - 0 (restated) = 50,000,
    # of which 25,000 recovers the clawback: June pays 25,000. In all: 25,000 + 25,000 = 50,000, as if a never was.
    s = run(YTD, "date,amount,deal_id\n2027-01-10,200000,a\n2027-05-10,-200000,a\n2027-06-10,400000,b\n")
    assert lines(s) == {"2027-03": 25000, "2027-06": 25000}
    assert month(s, "2027-05").carried == 25000 and month(s, "2027-06").carried == 0


def test_a_cancellation_in_the_next_plan_year_restates_last_years_true_ups_and_recovers_this_year():
    # FY2027: a 800,000 in November: YTD 800k/800k = 100% -> 100,000 paid in December.
    # February 2028: a cancelled: FY2027 restated 0, 100,000 to recover, carried (Q1 FY2028 is not trued up yet).
    # March 2028: Q1 true-up of b 400,000 = 200% of 200,000: 25,000 + 200,000 x 25% = 75,000, all recovering
    # the clawback; 25,000 still carried, recovered from Q2: c 200,000 in May -> YTD 600k/400k = 150% -> 100,000,
    # true-up 25,000, all recovered. Nothing more paid in 2028 until the clawback is repaid.
    s = run(YTD, "date,amount,deal_id\n2027-11-10,800000,a\n2028-02-10,-800000,a\n2028-03-10,400000,b\n"
                 "2028-05-10,200000,c\n")
    assert lines(s) == {"2027-12": 100000}
    assert (month(s, "2028-03").carried, month(s, "2028-06").carried) == (25000, 0)


def test_a_cancelled_deal_that_pushed_the_rep_into_the_accelerator_claws_back_its_marginal_pay():
    # Q1: a 120,000 = 60% -> 15,000. Q2: b 480,000: YTD 600k/400k = 150% -> 50,000 + 200,000 x 25% = 100,000:
    # 85,000 in June. August, a cancelled: restated Q1 0, Q2 480k/400k = 120% -> 50,000 + 80,000 x 25% = 70,000:
    # 30,000 to recover, negative line (the plan allows it): the deal earned 15,000 when booked, but without it
    # the rep would never have reached the 2x band with 80,000 of b: 30,000 is the true difference.
    s = run({**YTD, "clawback_negative": True},
            "date,amount,deal_id\n2027-02-10,120000,a\n2027-05-10,480000,b\n2027-08-10,-120000,a\n")
    assert lines(s) == {"2027-03": 15000, "2027-06": 85000, "2027-08": -30000}


# 2. the commission clawback rule -----------------------------------------------------------------------------------

CSV60 = "date,amount,deal_id\n2027-01-10,100000,d\n2027-03-11,-100000,d\n"  # cancelled 60 days after its booking


@pytest.mark.parametrize("rule, window, total", [
    ("full", None, 0),  # 12,500 paid in January, all of it back in March
    ("full", 90, 0),
    ("full", 30, 12500),  # 60 days > 30: nothing back
    # 30 of the 90 days left: a third of the credit reversed: 66,666.67 x 12.5% = 8,333.33 kept, 4,166.67 back
    ("proportional", 90, Decimal("8333.33")),
    ("proportional", 60, 12500),  # the window's last day: nothing left to reverse
    ("none", None, 12500),
])
def test_commission_clawback_rule_and_window(rule, window, total):
    plan = {**Q, "clawback": rule, **({"clawback_window_days": window} if window is not None else {})}
    s = run(plan, CSV60)
    assert s.total_earned == total
    assert month(s, "2027-03").earned == total - 12500  # standalone: the clawback is a negative line in its month


def test_a_standalone_plan_may_carry_its_clawbacks_instead():
    # clawback_negative: false on a standalone plan: January pays 12,500; the March clawback of 12,500 is carried,
    # not a negative check; May's 200,000 (Q2, 25,000) repays it: May pays 12,500.
    s = run({**Q, "clawback_negative": False}, CSV60 + "2027-05-10,200000,e\n")
    assert lines(s) == {"2027-01": 12500, "2027-05": 12500}
    assert (month(s, "2027-03").carried, month(s, "2027-05").carried) == (12500, 0)


def test_proportional_clawback_under_year_to_date_restates_the_reversed_share():
    # YTD plan, window 90, proportional. a 200,000 on 10 Jan: Q1 100% -> 25,000. Cancelled 11 Mar (60 days):
    # a third reversed: Q1 credit 133,333.33...: 66.67% -> 16,666.67 is what the true-up pays (the March true-up
    # already sees the cancellation, booked the same month): 16,666.67 paid in March.
    s = run({**YTD, "clawback": "proportional", "clawback_window_days": 90},
            "date,amount,deal_id\n2027-01-10,200000,a\n2027-03-11,-200000,a\n")
    assert lines(s) == {"2027-03": Decimal("16666.67")}


def test_spif_clawback_stays_the_spif_rule():
    # clawback none keeps the commission; spif_clawback full still takes the 1,000 SPIF back
    plan = {**Q, "clawback": "none", "spifs": [{"name": "Launch", "amount": 1000}]}
    s = run(plan, CSV60)
    assert (s.total_earned, s.total_spif) == (12500, 0)


@pytest.mark.parametrize("change, field, words", [
    ({"clawback": "partial"}, "clawback", "not allowed"),
    ({"clawback": "proportional"}, "clawback", "no window"),
    ({"clawback_negative": "yes"}, "clawback_negative", "not true or false"),
])
def test_bad_clawback_keys_are_one_line_naming_file_field_and_fix(change, field, words):
    with pytest.raises(CourseError) as e:
        plan_from_dict({**Q, **change}, "plan.yaml", {k: 4 for k in (*Q, *change)})
    text = str(e.value)
    assert "\n" not in text and text.startswith(f"plan.yaml:4: {field}: ") and words in text and "(" in text


# 3. properties ------------------------------------------------------------------------------------------------------

def d(y, m, day=1):
    return dt.date(y, m, day)


PERIOD = st.sampled_from(["monthly", "quarterly", "annual"])


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 11), st.integers(1, 300_000_00), st.booleans()), min_size=1, max_size=4),
       st.lists(st.tuples(st.integers(1, 12), st.integers(1, 300_000_00), st.booleans()), max_size=4),
       st.integers(1, 12), st.integers(1, 3), PERIOD, st.sampled_from(["standalone", "cumulative"]),
       st.sampled_from(["period", "year"]))
def test_cancelling_a_whole_deal_pays_in_all_what_the_year_pays_without_it(deal, rest, when, pieces, period, measurement,
                                                                          scope):
    # prior-period processing: whenever a deal is cancelled (at once or in pieces), the true-ups are restated as if
    # it was never booked, so with negative lines allowed the year's incentive is the schedule without the deal,
    # to the cent (tiers, threshold, a cap per period or per year, a pay multiplier on some rows)
    tiers = [{"from": 0, "multiplier": 1}, {"from": 0.8, "multiplier": 2}]
    p = plan_from_dict({**LINEAR, "period": period, "measurement": measurement, "threshold": 0.3, "tiers": tiers,
                        "cap": 2.5, "cap_scope": scope, "pay_multiplier": {"product": {"platform": 1.5}},
                        "clawback_negative": True})

    def product(platform):
        return "platform" if platform else None

    rows = [Booking(d(2027, m), c, product=product(pl), deal_id="x") for m, c, pl in deal]
    first = max(max(m for m, _, _ in deal), when)
    total = sum(c for _, c, _ in deal)
    cuts = [total * k // pieces for k in range(pieces + 1)]
    cancels = [Booking(d(2027, min(12, first + k), 28), -(cuts[k + 1] - cuts[k]), deal_id="x") for k in range(pieces)
               if cuts[k + 1] > cuts[k]]
    others = [Booking(d(2027, m, 15), c, product=product(pl)) for m, c, pl in rest] + [Booking(d(2027, 12, 31), 0)]
    a, b = schedule(p, rows + others + cancels), schedule(p, others)
    assert a.total_earned == b.total_earned


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 11), st.integers(1, 300_000_00)), min_size=1, max_size=4),
       st.lists(st.tuples(st.integers(1, 12), st.integers(1, 300_000_00)), max_size=4),
       st.integers(1, 12), st.integers(0, 100), PERIOD)
def test_a_carried_clawback_never_writes_a_negative_check_and_is_recovered_in_full(deal, rest, when, pct, period):
    # year to date, no draw, no SPIF: every month pays 0 or more; a large booking the next year recovers whatever
    # is still carried, so in all the rep is paid what restated true-ups would pay
    p = plan_from_dict({**YTD, "period": period, "threshold": 0.3})
    rows = [Booking(d(2027, m), c, deal_id="x") for m, c in deal]
    cancel = Booking(d(2027, max(max(m for m, _ in deal), when), 28), -(sum(c for _, c in deal) * pct // 100), deal_id="x")
    others = [Booking(d(2027, m, 15), c) for m, c in rest] + [Booking(d(2028, 12, 1), 10_000_000_00)]
    a = schedule(p, rows + others + [cancel])
    assert all(r.paid >= 0 for r in a.months)
    assert a.months[-1].carried == 0
    b = schedule(plan_from_dict({**YTD, "period": period, "threshold": 0.3, "clawback_negative": True}),
                 rows + others + [cancel])
    assert a.total_paid == b.total_paid


def test_the_ytd_clawback_example_by_hand():
    # examples/ytd-clawback.yaml: quarterly YTD, threshold 50%, 1x to 100%, 2x above; proportional clawback, 180 days.
    from pathlib import Path

    from coursekit.engine import load_plan

    plan = load_plan(Path(__file__).resolve().parents[2] / "examples" / "ytd-clawback.yaml")
    s = schedule(plan, parse_bookings("date,amount,deal_id\n2027-01-20,300000,a\n2027-04-15,200000,b\n"
                                      "2027-05-19,-200000,b\n2027-08-10,150000,c\n2027-10-01,-300000,a\n"))
    # Q1: 300k = 150%: 25,000 + 100,000 x 25% = 50,000. b cancelled after 34 days: (180 - 34) / 180 of it reversed,
    # 162,222.22; 37,777.78 stays. Q2: 337,777.78 / 400,000 = 84.4% -> 42,222.22 < 50,000: 0. Q3: c 150,000:
    # 487,777.78 / 600,000 -> 60,972.22: 10,972.22 in September.
    assert lines(s) == {"2027-03": 50000, "2027-09": Decimal("10972.22")}
    assert month(s, "2027-05").credited == Decimal("-162222.22")
    # October: a cancelled 254 days after its booking, past the 180-day window: no commission changes
    assert month(s, "2027-10").credited == 0 and month(s, "2027-10").carried == 0
