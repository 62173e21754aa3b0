"""Golden cases for issue 12 (money exact at every edge), each worked by hand in its comment."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from coursekit.engine import load_plan, payout, plan_from_dict, schedule
from coursekit.engine.bookings import parse_bookings
from coursekit.errors import CourseError

EX = Path(__file__).resolve().parents[2] / "examples"
LINEAR = {"name": "Linear", "ote": 200000, "variable_share": 0.5, "quota": 800000}  # TI 100,000; BCR 12.5%


def run(plan: dict, csv: str):
    return schedule(plan_from_dict(plan), parse_bookings(csv, "b.csv"))


def month(s, label: str):
    return next(r for r in s.months if r.month == label)


# 1. exact boundaries -------------------------------------------------------------------------------

SEVEN = {"name": "700k", "ote": 140000, "variable_share": 0.5, "quota": 700000}  # TI 70,000; BCR 10%


def test_monthly_quota_of_700k_booking_exactly_90_percent_passes_a_90_percent_threshold():
    # monthly quota 700,000 / 12 = 58,333.33...; 90% of it is 52,500 exactly; monthly TI 5,833.33...
    # at the threshold is over it: 0.9 x 5,833.33... = 5,250.00 (a float attainment 0.8999999 paid 0)
    s = run({**SEVEN, "period": "monthly", "threshold": 0.9}, "date,amount\n2027-03-10,52500\n")
    assert month(s, "2027-03").earned == Decimal("5250.00")
    # one cent below: 52,499.99 is under 90% and pays nothing
    assert run({**SEVEN, "period": "monthly", "threshold": 0.9}, "date,amount\n2027-03-10,52499.99\n").total_earned == 0


def test_monthly_retroactive_tier_at_exactly_90_percent_pays_the_higher_rate_on_everything():
    # tiers: 1x BCR below 90%, 2x from 90%, retroactive: 52,500 x 2 x 10% = 10,500 (not 5,250)
    plan = {**SEVEN, "period": "monthly", "tier_mode": "retroactive",
            "tiers": [{"from": 0, "multiplier": 1}, {"from": 0.9, "multiplier": 2}]}
    assert run(plan, "date,amount\n2027-03-10,52500\n").total_earned == Decimal("10500.00")


def test_quarterly_boundary_and_the_scalar_payout_are_exact_too():
    # quarterly quota 175,000; 90% = 157,500; quarterly TI 17,500 -> 0.9 x 17,500 = 15,750
    plan = {**SEVEN, "period": "quarterly", "threshold": 0.9}
    assert run(plan, "date,amount\n2027-02-10,157500\n").total_earned == Decimal("15750.00")
    assert payout(plan_from_dict(plan), 0.9) == 15750.0  # 0.9 is 9/10 as written


# 2. zero rows and SPIFs ---------------------------------------------------------------------------

SPIF = {**LINEAR, "spifs": [{"name": "Launch", "amount": 1000, "product": "platform"}]}


def test_a_zero_row_earns_no_spif_and_claws_nothing_back():
    # a free pilot (0) then a real deal: one SPIF of 1,000 (the old engine took 1,000 back for the $0 row)
    s = run(SPIF, "date,amount,product\n2027-01-05,0,platform\n2027-02-05,8000,platform\n")
    assert s.total_spif == 1000 and month(s, "2027-01").spif == 0
    assert run(SPIF, "date,amount,product\n2027-01-05,0,platform\n").total_spif == 0


def test_a_spif_is_paid_once_per_deal_at_its_first_row_and_once_per_row_without_deal_id():
    # deal a in two installments: one SPIF, in January; two rows without deal_id: two deals, two SPIFs
    s = run(SPIF, "date,amount,product,deal_id\n2027-01-05,5000,platform,a\n2027-03-05,5000,platform,a\n"
                  "2027-04-05,100,platform,\n2027-04-06,100,platform,\n")
    assert month(s, "2027-01").spif == 1000 and month(s, "2027-03").spif == 0
    assert s.total_spif == 3000


@pytest.mark.parametrize("mode, down_sell, full_cancel", [
    ("full", 0, -1000),  # a 30% down-sell keeps the SPIF; cancelling the rest (reaching 100%) takes it all
    ("proportional", -300, -700),  # 30% of 1,000 = 300 back; then the other 70%
    ("none", 0, 0),
])
def test_spif_clawback_modes(mode, down_sell, full_cancel):
    csv = ("date,amount,product,deal_id\n2027-01-05,10000,platform,a\n2027-02-05,-3000,platform,a\n"
           "2027-03-05,-7000,platform,a\n")
    s = run({**SPIF, "spif_clawback": mode}, csv)
    assert (month(s, "2027-02").spif, month(s, "2027-03").spif) == (down_sell, full_cancel)


# 3. draws per pay period --------------------------------------------------------------------------

def test_quarterly_non_recoverable_draw_is_a_minimum_per_quarter_not_per_month():
    # quarterly draw 15,000: advances 5,000 in Jan and Feb; March earns 30,000 (240,000 x 12.5%);
    # the quarter pays max(15,000, 30,000) = 30,000 in all: 5,000 + 5,000 + 20,000 (the old engine paid 40,000)
    s = run({**LINEAR, "period": "quarterly", "draw": {"amount": 15000, "recoverable": False}},
            "date,amount\n2027-01-01,0\n2027-03-20,240000\n")
    q1 = [month(s, m) for m in ("2027-01", "2027-02", "2027-03")]
    assert [r.paid for r in q1] == [5000, 5000, 20000]
    assert sum(r.paid for r in q1) == 30000
    # the other three quarters earn nothing: the draw is owed anyway, 15,000 each
    assert s.total_paid == 30000 + 3 * 15000


def test_recoverable_quarterly_draw_is_recovered_from_later_earnings_above_the_draw():
    # Q1 earns 0: 15,000 advanced, balance 15,000. Q2 earns 40,000 (320,000 x 12.5%), 25,000 above the
    # draw, so the 15,000 balance is recovered: Q2 pays 40,000 - 15,000 = 25,000.
    s = run({**LINEAR, "period": "quarterly", "draw": {"amount": 15000, "recoverable": True}},
            "date,amount\n2027-01-01,0\n2027-05-20,320000\n2027-12-31,0\n")
    assert month(s, "2027-03").balance == 15000
    assert sum(month(s, m).paid for m in ("2027-04", "2027-05", "2027-06")) == 25000
    assert month(s, "2027-06").balance == 0


def test_a_draw_never_pays_back_a_clawback():
    # monthly draw 5,000 (non-recoverable). January earns 10,000 (80,000 x 12.5%); February the deal is
    # cancelled: -10,000 clawback. February earned nothing new, so the draw owes 5,000: paid -5,000,
    # not 0 (a draw covering the clawback would pay 10,000 + 5,000 - 10,000 + 5,000... for nothing).
    s = run({**LINEAR, "period": "monthly", "draw": {"amount": 5000, "recoverable": False}},
            "date,amount,deal_id\n2027-01-10,80000,a\n2027-02-10,-80000,a\n")
    feb = month(s, "2027-02")
    assert (feb.earned, feb.draw, feb.paid) == (-10000, 5000, -5000)


# 4. plan years, start ----------------------------------------------------------------------------

def test_year_start_sets_plan_years_quarters_and_the_annual_reset():
    # fiscal year from February: FY27 = Feb 2027 - Jan 2028. Annual plan, threshold 50%:
    # 300,000 (Jun 2027) + 200,000 (Jan 2028) = 500,000 in FY27 -> 62.5% -> 62,500 by January 2028.
    # (calendar years would have split them: 37.5% and 25%, both under the threshold: 0)
    s = run({**LINEAR, "threshold": 0.5, "year_start": "2027-02"}, "date,amount\n2027-06-10,300000\n2028-01-10,200000\n")
    assert s.months[0].month == "2027-02" and s.months[-1].month == "2028-01" and len(s.months) == 12
    assert s.total_earned == 62500
    # a booking in February 2028 starts FY28 afresh: the schedule covers both plan years (24 months)
    s2 = run({**LINEAR, "threshold": 0.5, "year_start": "2027-02"}, "date,amount\n2027-06-10,300000\n2028-02-10,200000\n")
    assert len(s2.months) == 24 and s2.total_earned == 0


def test_quarters_follow_the_plan_year():
    # year from February, quarterly: Q1 = Feb-Apr. 200,000 in Feb + 100,000 in Apr is 150% of the
    # 200,000 quarterly quota in one quarter; tiers 1x to 100%, 2x above: 25,000 + 100,000 x 25% = 50,000
    plan = {**LINEAR, "period": "quarterly", "year_start": "2027-02",
            "tiers": [{"from": 0, "multiplier": 1}, {"from": 1, "multiplier": 2}]}
    assert run(plan, "date,amount\n2027-02-10,200000\n2027-04-10,100000\n").total_earned == 50000


def test_a_mid_month_start_pro_rates_from_the_next_month_and_owes_draws_from_its_own():
    # start 2027-04-15: quota and TI count from May, 8 of 12 months: quota 800,000 -> 533,333.33,
    # TI 100,000 -> 66,666.67. Booking the pro-rated quota pays the pro-rated TI.
    # Monthly draw 1,000 (per month), owed from April: January-March owe nothing.
    plan = {**LINEAR, "start": "2027-04-15", "draw": {"amount": 12000, "recoverable": False}}
    s = run(plan, "date,amount\n2027-12-01,533333.33\n")
    assert [month(s, m).draw for m in ("2027-01", "2027-03", "2027-04", "2027-05")] == [0, 0, 1000, 1000]
    # BCR is unchanged by pro-rating (66,666.67 / 533,333.33 = 12.5%): 533,333.33 x 12.5% = 66,666.66625
    # -> 66,666.67, earned in December; the annual period's draws (Apr-Nov, 8 x 1,000) are trued up then
    dec = month(s, "2027-12")
    assert (dec.earned, dec.draw) == (Decimal("66666.67"), -8000) and s.total_paid == Decimal("66666.67")


def test_a_booking_before_the_start_is_an_error_naming_the_row():
    with pytest.raises(CourseError, match=r"^b.csv:2: date: .*before the rep's start"):
        run({**LINEAR, "start": "2027-04-01"}, "date,amount\n2027-03-01,5\n")


# 5. cancellations ---------------------------------------------------------------------------------

Q = {**LINEAR, "period": "quarterly"}  # quarterly quota 200,000, TI 25,000; linear 12.5%


def test_partial_cancellation_reverses_the_latest_installment_first_in_its_own_period():
    # deal d: 100,000 in Feb (Q1) and 100,000 in May (Q2), 12,500 each. In August 150,000 is cancelled:
    # the May installment in full (Q2 -12,500) then 50,000 of February's (Q1 -6,250): -18,750 in August.
    s = run(Q, "date,amount,deal_id\n2027-02-10,100000,d\n2027-05-10,100000,d\n2027-08-10,-150000,d\n")
    assert month(s, "2027-08").earned == -18750 and month(s, "2027-08").credited == -150000
    assert s.total_earned == 6250


@pytest.mark.parametrize("csv, field", [
    ("date,amount,deal_id\n2027-02-10,100000,d\n2027-08-10,-150000,d\n", "amount"),  # more than booked
    ("date,amount,deal_id\n2027-02-10,100000,d\n2027-08-10,-5,e\n", "deal_id"),  # never booked
])
def test_over_cancelling_or_an_unknown_deal_is_an_error_naming_the_row(csv, field):
    with pytest.raises(CourseError) as e:
        run(Q, csv)
    assert str(e.value).startswith(f"b.csv:3: {field}: ") and "\n" not in str(e.value)


def test_negative_row_without_deal_id_nets_in_its_own_month():
    # Q1 +100,000 (12,500); April -40,000 without deal_id nets in Q2: Q2 credit -40,000 pays 0, Q1 untouched
    s = run(Q, "date,amount\n2027-02-10,100000\n2027-04-10,-40000\n")
    assert month(s, "2027-04").earned == 0 and s.total_earned == 12500


def test_clawback_window_days():
    # a cancellation 60 days after the booking with a 30-day window claws nothing back; with 90, all of it
    csv = "date,amount,deal_id\n2027-01-10,100000,d\n2027-03-11,-100000,d\n"
    assert run({**Q, "clawback_window_days": 30}, csv).total_earned == 12500
    assert run({**Q, "clawback_window_days": 90}, csv).total_earned == 0


# 6. rounding and currencies ------------------------------------------------------------------------

RATE = {"name": "Rate", "ote": 100000, "quota": 100000, "tiers": [{"from": 0, "rate": 0.5}]}


def test_cents_round_half_up():
    # 25.01 x 50% = 12.505 -> 12.51 (half up; the float 12.505 is 12.50499... and np.round gave 12.50)
    assert run(RATE, "date,amount\n2027-01-05,25.01\n").total_earned == Decimal("12.51")


@pytest.mark.parametrize("currency, amount, pays", [
    ("JPY", "1001", Decimal("501")),  # 500.5 yen -> 501 whole yen
    ("KWD", "1.001", Decimal("0.501")),  # 0.5005 dinar -> 0.501 (fils: 3 decimals)
    ("EUR", "0.01", Decimal("0.01")),  # 0.005 -> 0.01
])
def test_each_currency_pays_in_its_minor_unit(currency, amount, pays):
    s = run({**RATE, "currency": currency}, f"date,amount\n2027-01-05,{amount}\n")
    assert s.total_earned == pays and str(s.total_earned) == str(pays)
    assert s.to_dict()["currency"] == currency


def test_earnings_to_date_are_rounded_once_not_summed_from_rounded_months():
    # three bookings of 0.01 at 50%: 0.005 each. Rounded per month: 0.01 + 0.01 + 0.01 = 0.03.
    # Rounded once: earnings to date 0.005 -> 0.01, 0.01 -> 0.01, 0.015 -> 0.02: lines 0.01, 0, 0.01.
    s = run(RATE, "date,amount\n2027-01-05,0.01\n2027-02-05,0.01\n2027-03-05,0.01\n")
    assert [str(r.earned) for r in s.months[:3]] == ["0.01", "0.00", "0.01"] and s.total_earned == Decimal("0.02")


# 8. measurement and the fixes the course teaches -------------------------------------------------

HAND = {**LINEAR, "period": "quarterly", "threshold": 0.5, "tiers": [{"from": 0, "multiplier": 1}, {"from": 1, "multiplier": 2}]}
HAND_CSV = "date,amount\n2027-02-01,80000\n2027-05-01,320000\n2027-08-01,200000\n2027-11-01,200000\n"


def test_the_issues_hand_example_standalone_105000_cumulative_100000():
    # standalone: Q1 80k/200k = 40% < 50%: 0; Q2 320k = 160%: 25,000 + 120,000 x 25% = 55,000; Q3, Q4 25,000
    s = run(HAND, HAND_CSV)
    quarters = [sum(r.earned for r in s.months[q * 3:q * 3 + 3]) for q in range(4)]
    assert quarters == [0, 55000, 25000, 25000]
    assert s.total_earned == 105000
    # cumulative: YTD 80k/200k = 40%: 0; 400k/400k = 100%: 50,000; 600k/600k: 75,000 - 50,000; 100,000 - 75,000
    c = run({**HAND, "measurement": "cumulative"}, HAND_CSV)
    assert [month(c, m).earned for m in ("2027-03", "2027-06", "2027-09", "2027-12")] == [0, 50000, 25000, 25000]
    assert c.total_earned == 100000
    # months inside a quarter pay nothing (no draw here)
    assert month(c, "2027-05").paid == 0


def test_the_example_file_is_the_hand_example():
    s = schedule(load_plan(EX / "ytd-quarterly.yaml"), parse_bookings(HAND_CSV))
    assert s.total_paid == 100000


def test_cumulative_shortfall_is_carried_never_a_negative_check():
    # Q1 300,000 = 150% of 200,000: 25,000 + 100,000 x 25% = 50,000. Q2 nothing: YTD 300k/400k = 75%
    # -> 37,500 < 50,000 paid: pays 0 and carries 12,500. Q3 300,000: YTD 600k/600k -> 75,000 - 50,000 = 25,000.
    plan = {**LINEAR, "period": "quarterly", "measurement": "cumulative",
            "tiers": [{"from": 0, "multiplier": 1}, {"from": 1, "multiplier": 2}]}
    s = run(plan, "date,amount\n2027-01-10,300000\n2027-07-10,300000\n")
    assert (month(s, "2027-06").paid, month(s, "2027-06").carried) == (0, 12500)
    assert (month(s, "2027-09").paid, month(s, "2027-09").carried) == (25000, 0)


def test_per_period_quotas_split_the_target_incentive_by_their_share():
    # Q1 quota 150,000 of 800,000: TI 100,000 x 150/800 = 18,750; booking it pays 18,750
    plan = {**LINEAR, "period": "quarterly", "quota": [150000, 200000, 200000, 250000]}
    assert run(plan, "date,amount\n2027-02-10,150000\n").total_earned == 18750


def test_ramp_relieves_quota_but_keeps_the_target_incentive():
    # start 2027-01-01, ramp 25% for Q1: quota 50,000, TI still 25,000; booking 50,000 pays 25,000
    plan = {**LINEAR, "period": "quarterly", "start": "2027-01-01", "ramp": [0.25, 0.5]}
    assert run(plan, "date,amount\n2027-02-10,50000\n").total_earned == 25000
    # Q2 at 50%: quota 100,000; booking 50,000 is 50%: 12,500
    assert run(plan, "date,amount\n2027-05-10,50000\n").total_earned == 12500


def test_annual_cap_on_a_monthly_plan():
    # monthly quota 66,666.67, TI 8,333.33; 800,000 in March is 12x quota (linear: 100,000).
    # cap 1x per period: 8,333.33; cap 1x per year: 100,000 (the year's TI)
    plan = {**LINEAR, "period": "monthly", "cap": 1.0}
    assert run(plan, "date,amount\n2027-03-10,800000\n").total_earned == Decimal("8333.33")
    assert run({**plan, "cap_scope": "year"}, "date,amount\n2027-03-10,800000\n").total_earned == 100000


def test_pay_multiplier_pays_more_without_crediting_quota_unlike_credit():
    # quarterly, threshold 60%, platform x1.5. 100,000 of platform is 50% of the 200,000 quota:
    # pay_multiplier: attainment stays 50% < 60%: 0. credit 1.5: 150,000 credited = 75%: 18,750.
    base = {**LINEAR, "period": "quarterly", "threshold": 0.6}
    csv = "date,amount,product\n2027-02-10,100000,platform\n"
    assert run({**base, "pay_multiplier": {"product": {"platform": 1.5}}}, csv).total_earned == 0
    assert run({**base, "credit": {"product": {"platform": 1.5}}}, csv).total_earned == 18750
    # above the threshold: 140,000 = 70% -> 17,500 x 1.5 = 26,250, attainment still 70%
    s = run({**base, "pay_multiplier": {"product": {"platform": 1.5}}}, "date,amount,product\n2027-02-10,140000,platform\n")
    assert s.total_earned == 26250 and month(s, "2027-02").attainment == 0.7


def test_schedule_json_never_holds_nan_and_carries_currency():
    import json

    s = run(HAND, HAND_CSV)
    text = json.dumps(s.to_dict(), allow_nan=False)
    assert '"currency": "USD"' in text and json.loads(text)["total_earned"] == 105000


def test_dates_are_dates():
    assert isinstance(plan_from_dict({**LINEAR, "start": dt.date(2027, 4, 15)}).start, dt.date)


def test_the_new_hire_example_by_hand():
    # examples/new-hire-fy27.yaml: FY from February (Q1 Feb-Apr, Q2 May-Jul, Q3 Aug-Oct, Q4 Nov-Jan), start
    # 2027-04-15 (draws from April, quota from May), quotas [150k, 200k, 200k, 250k] of 800k, TI 80,000,
    # ramp 50% then 75%, quarterly draw 15,000 non-recoverable, platform pays x1.25.
    s = schedule(load_plan(EX / "new-hire-fy27.yaml"), parse_bookings(
        "date,amount,product,deal_id\n2027-05-10,60000,platform,x\n2027-09-01,100000,point,y\n2027-10-01,-50000,point,y\n"))
    paid = {r.month: r.paid for r in s.months}
    assert len(paid) == 12 and (paid["2027-02"], paid["2027-03"]) == (0, 0)  # before the start: nothing owed
    assert paid["2027-04"] == 5000  # Q1: one owed month of the 15,000 quarterly draw
    # Q2: quota 200k x 50% ramp = 100k, TI 80,000 x 200/800 = 20,000; 60,000 platform = 60% -> 12,000 x 1.25
    assert paid["2027-05"] == 15000 and paid["2027-06"] == paid["2027-07"] == 0  # earnings cover the draw
    # Q3: quota 150k (75% ramp), TI 20,000. Aug: draw 5,000. Sep: 100k = 66.67% -> 13,333.33, which trues
    # the 5,000 advance back (-5,000): 8,333.33. Oct: deal y half cancelled: 50k = 33.33% -> 6,666.67 to
    # date, so -6,666.66; earnings before clawbacks are 13,333.33 < 15,000, so the draw tops up 1,666.67.
    assert (paid["2027-08"], paid["2027-09"], paid["2027-10"]) == (5000, Decimal("8333.33"), Decimal("-4999.99"))
    # Q4: no bookings, the draw is owed: 3 x 5,000
    assert paid["2027-11"] == paid["2027-12"] == paid["2028-01"] == 5000
    assert s.total_earned == Decimal("21666.67") and s.total_paid == Decimal("43333.34")


def test_a_proportional_spif_clawback_rounds_the_spif_to_date_once():
    """Found by the property test: 999.99 paid, half the deal cancelled. The SPIF to date is 999.99 x 1/2 = 499.995,
    rounded once, half up: 500.00, so the clawback line is 499.99 (not a clawback of 499.995 rounded to 500.00,
    which left 499.99)."""
    import datetime as dt

    from coursekit.engine import plan_from_dict
    from coursekit.engine.bookings import Booking
    from coursekit.engine.schedule import schedule

    p = plan_from_dict({"name": "s", "ote": 200000, "quota": 800000, "spif_clawback": "proportional",
                        "spifs": [{"name": "Launch", "amount": 999.99}]})
    installments = [234038, 549345, 680009, 32192]  # booked 1,495,584 cents; cancel 747,792 = exactly half
    rows = [Booking(dt.date(2027, 1 + i, 1), c, deal_id="a") for i, c in enumerate(installments)]
    s = schedule(p, rows + [Booking(dt.date(2027, 8, 1), -747792, deal_id="a")])
    assert [str(m.spif) for m in s.months if m.spif] == ["999.99", "-499.99"] and str(s.total_spif) == "500.00"
