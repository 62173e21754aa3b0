"""Issue 23: `proration: days` pro-rates a partial first or last period by calendar days (the start and end days
count) and keeps a booking in its month; whole months stay the default. Figures worked by hand in the comments."""

from decimal import Decimal

import pytest

from coursekit.engine import plan_from_dict, schedule, to_dict
from coursekit.engine.bookings import parse_bookings
from coursekit.errors import CourseError

LINEAR = {"name": "Linear", "ote": 200000, "variable_share": 0.5, "quota": 800000}  # TI 100,000; BCR 12.5%
Q = {**LINEAR, "period": "quarterly", "threshold": 1.0}  # pays only at 100% of the period's quota


def run(plan: dict, csv: str):
    return schedule(plan_from_dict(plan), parse_bookings(csv, "b.csv"))


def test_a_mid_quarter_start_pro_rates_by_the_quarters_calendar_days():
    # start 15 April: Q2 (1 April - 30 June, 91 days) counts 16 + 31 + 30 = 77 days: quota 200,000 x 77/91 =
    # 169,230.769..., TI 25,000 x 77/91 = 21,153.846... At the threshold (100%) pays: 169,230.77 x 12.5% = 21,153.85
    plan = {**Q, "start": "2027-04-15", "proration": "days"}
    s = run(plan, "date,amount\n2027-04-20,169230.77\n")
    assert s.total_earned == Decimal("21153.85")
    assert run(plan, "date,amount\n2027-04-20,169230.76\n").total_earned == 0  # one cent below 100%
    # whole months (the default): May and June count: quota 133,333.33..., TI 16,666.67; 133,333.33 is one cent
    # short of 100%; 133,333.34 x 12.5% = 16,666.6675 -> 16,666.67
    months = {**Q, "start": "2027-04-15"}
    assert run(months, "date,amount\n2027-04-20,133333.33\n").total_earned == 0
    assert run(months, "date,amount\n2027-04-20,133333.34\n").total_earned == Decimal("16666.67")


def test_a_booking_in_the_start_month_stays_in_that_month_under_days():
    # monthly, start 15 April: April counts 16 of 30 days: quota 66,666.67 x 16/30 = 35,555.56 (exactly
    # 35,555.555...), TI 8,333.33 x 16/30 = 4,444.44. 10,000 booked on 20 April is April's: 1,250 in April
    s = run({**LINEAR, "period": "monthly", "start": "2027-04-15", "proration": "days"}, "date,amount\n2027-04-20,10000\n")
    assert {r.month: r.earned for r in s.months if r.earned} == {"2027-04": 1250}
    assert next(r for r in s.months if r.month == "2027-04").attainment == round(10000 / (800000 / 12 * 16 / 30), 4)
    # whole months: the start month does not count; the booking moves to May (today's rule, unchanged)
    s = run({**LINEAR, "period": "monthly", "start": "2027-04-15"}, "date,amount\n2027-04-20,10000\n")
    assert {r.month: r.earned for r in s.months if r.earned} == {"2027-05": 1250}


def test_the_end_day_counts_under_days():
    # annual plan, cap 1x, end 15 June: 1 January - 15 June is 166 of 365 days: TI 100,000 x 166/365 = 45,479.45
    plan = {**LINEAR, "cap": 1.0, "end": "2027-06-15", "proration": "days"}
    assert run(plan, "date,amount\n2027-03-10,800000\n").total_earned == Decimal("45479.45")
    # whole months: January - May count (June is partial): 100,000 x 5/12 = 41,666.67
    assert run({**plan, "proration": "months"}, "date,amount\n2027-03-10,800000\n").total_earned == Decimal("41666.67")


def test_proration_round_trips_and_a_bad_value_is_one_line():
    p = plan_from_dict({**LINEAR, "start": "2027-04-15", "proration": "days"})
    assert plan_from_dict(to_dict(p)) == p
    with pytest.raises(CourseError) as e:
        plan_from_dict({**LINEAR, "proration": "weeks"}, "plan.yaml", {"proration": 5})
    assert str(e.value) == "plan.yaml:5: proration: 'weeks' is not allowed (use months, days)"


def test_the_new_hire_days_example_by_hand():
    from pathlib import Path

    from coursekit.engine import load_plan

    plan = load_plan(Path(__file__).resolve().parents[2] / "examples" / "new-hire-days.yaml")
    # Q2 counts 77/91: quota 169,230.77, TI 21,153.85 (to date). 100,000 on 20 April = 59.09%, over the 50%
    # threshold: 100,000 x 12.5% = 12,500 at the Q2 true-up. Q3 (full): YTD quota 369,230.77, TI 46,153.85;
    # 300,000 more in August: 400,000 = 108.33%: 46,153.846... + 30,769.23... x 25% = 53,846.15, less 12,500 paid.
    s = schedule(plan, parse_bookings("date,amount\n2027-04-20,100000\n2027-08-10,300000\n"))
    assert {r.month: r.paid for r in s.months if r.paid} == {"2027-06": 12500, "2027-09": Decimal("41346.15")}
