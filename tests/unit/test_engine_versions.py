"""Issue 23: effective-dated plans. A plan file holds versions with their start dates; the schedule applies each to
the periods it covers. Year to date restarts at a version's start unless it says `carry: true`. Quota relief is a
dated entry. A transition guarantee is a version with a draw. Figures worked by hand in the comments."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coursekit.engine import plan_from_dict, schedule, to_dict
from coursekit.engine.bookings import Booking, parse_bookings
from coursekit.errors import CourseError

LINEAR = {"name": "Linear", "ote": 200000, "variable_share": 0.5, "quota": 800000, "period": "quarterly"}
ACCEL = [{"from": 0, "multiplier": 1}, {"from": 1, "multiplier": 2}]  # 1x BCR to 100%, 2x above


def run(plan: dict, csv: str):
    return schedule(plan_from_dict(plan), parse_bookings(csv, "b.csv"))


def quarters(s) -> list[Decimal]:
    return [sum(r.paid for r in s.months[q * 3:q * 3 + 3]) for q in range(len(s.months) // 3)]


def test_a_new_rate_from_the_third_quarter_pays_the_periods_it_covers():
    # Q1 300,000 under the base (linear 12.5%): 37,500. Q3 300,000 = 150% under the new tiers:
    # 25,000 + 100,000 x 25% = 50,000
    plan = {**LINEAR, "versions": [{"from": "2027-07-01", "tiers": ACCEL}]}
    s = run(plan, "date,amount\n2027-02-10,300000\n2027-08-10,300000\n")
    assert quarters(s) == [37500, 0, 50000, 0]


YTD = {**LINEAR, "measurement": "cumulative"}
NEW_QUOTA = {"from": "2027-07-01", "quota": 1200000}  # quarterly quota 300,000 from Q3, TI unchanged (25,000)
CSV = "date,amount\n2027-02-10,200000\n2027-05-10,200000\n2027-08-10,150000\n2027-11-10,450000\n"


def test_year_to_date_restarts_at_a_version():
    # H1 under the base: 400,000 / 400,000 -> 50,000 by June (25,000 a quarter). From Q3 year to date starts over:
    # Q3 150,000 / 300,000 = 50% -> 12,500; Q4 600,000 / 600,000 -> 50,000 less 12,500 = 37,500
    s = run({**YTD, "versions": [NEW_QUOTA]}, CSV)
    assert quarters(s) == [25000, 25000, 12500, 37500]
    assert next(r for r in s.months if r.month == "2027-09").attainment == 0.5


def test_carry_runs_year_to_date_across_the_change():
    # carry: Q3 measures 550,000 against the quota to date of the versions in force, 200k + 200k + 300k = 700,000,
    # with TI to date 75,000 (linear): 550/700 x 75,000 = 58,928.571... -> 58,928.57, less 50,000: 8,928.57.
    # Q4: 1,000,000 / 1,000,000 -> 100,000, less 58,928.57: 41,071.43
    s = run({**YTD, "versions": [{**NEW_QUOTA, "carry": True}]}, CSV)
    assert quarters(s) == [25000, 25000, Decimal("8928.57"), Decimal("41071.43")]


def test_quota_relief_for_a_leave_is_dated():
    # threshold 100%. A leave in February (28 of Q1's 90 days, share 1.0): Q1 quota 200,000 x 62/90 = 137,777.77...,
    # TI 25,000 unchanged: 137,777.78 passes (pays 25,000.00002 -> 25,000.00), 137,777.77 does not
    plan = {**LINEAR, "threshold": 1.0, "relief": [{"from": "2027-02-01", "to": "2027-02-28", "share": 1.0, "reason": "leave"}]}
    assert run(plan, "date,amount\n2027-03-10,137777.78\n").total_earned == 25000
    assert run(plan, "date,amount\n2027-03-10,137777.77\n").total_earned == 0
    # a territory change taking 30% of the quota from 1 July: Q3 and Q4 quotas 140,000; 140,000 in Q3 pays 25,000
    moved = {**LINEAR, "threshold": 1.0, "relief": [{"from": "2027-07-01", "to": "2027-12-31", "share": 0.3}]}
    assert run(moved, "date,amount\n2027-08-10,140000\n").total_earned == 25000


def test_a_transition_guarantee_is_a_version_with_a_draw():
    # the committee guarantees 20,000 a quarter for the two quarters after the change, then nothing
    plan = {**LINEAR, "versions": [{"from": "2027-07-01", "tiers": ACCEL, "draw": {"amount": 20000, "recoverable": False}},
                                   {"from": "2028-01-01", "draw": None}]}
    s = run(plan, "date,amount\n2027-01-10,0\n2028-03-01,0\n")
    q = quarters(s)
    assert q[:4] == [0, 0, 20000, 20000] and q[4:] == [0, 0, 0, 0]
    assert [r.draw for r in s.months[6:9]] == [Decimal("6666.67"), Decimal("6666.66"), Decimal("6666.67")]


def test_versions_round_trip_and_stay_hashable():
    p = plan_from_dict({**YTD, "relief": [{"from": "2027-02-01", "to": "2027-02-28"}],
                        "versions": [{**NEW_QUOTA, "carry": True}, {"from": "2027-10-01", "tiers": ACCEL}]})
    assert plan_from_dict(to_dict(p)) == p and hash(p) == hash(plan_from_dict(to_dict(p)))
    assert p.versions[1].plan.quota == 1200000  # a later version builds on the one before it


@pytest.mark.parametrize("versions, field, words", [
    ([{"from": "2027-08-01", "tiers": ACCEL}], "versions[0].from", "does not start a quarterly pay period"),
    ([{"from": "2027-07-01"}, {"from": "2027-04-01"}], "versions[1].from", "is not after"),
    ([{"from": "2027-07-01", "period": "monthly"}], "versions[0]", "unknown key 'period'"),
    ([{"from": "2027-07-01", "tiers": [{"from": 0.5, "multiplier": 1}]}], "versions[0].tiers[0].from", "first tier"),
    ([{"from": "2027-07-01", "carry": "yes"}], "versions[0].carry", "not true or false"),
    ([{"quota": 5}], "versions[0].from", "is missing"),
])
def test_bad_versions_are_one_line_naming_file_field_and_fix(versions, field, words):
    with pytest.raises(CourseError) as e:
        plan_from_dict({**LINEAR, "versions": versions}, "plan.yaml", {"versions": 12})
    text = str(e.value)
    assert "\n" not in text and text.startswith(f"plan.yaml:12: {field}: ") and words in text


def test_bad_relief_is_one_line():
    with pytest.raises(CourseError, match=r"^plan.yaml:3: relief\[0\].share: 1.5 relieves more than the whole quota"):
        plan_from_dict({**LINEAR, "relief": [{"from": "2027-02-01", "to": "2027-02-28", "share": 1.5}]}, "plan.yaml",
                       {"relief": 3})


def test_each_version_is_linted_for_what_it_adds():
    from coursekit.engine.lint import lint_plan

    plan = plan_from_dict({**LINEAR, "versions": [{"from": "2027-07-01", "tiers": ACCEL, "cap": 1.0}]})
    (w,) = lint_plan(plan, "p.yaml", {"versions": 6})
    assert str(w).startswith("p.yaml:6: versions[0].tiers[1].from: the cap (1x target incentive) is reached at 100%")



@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 12), st.integers(0, 400_000_00)), min_size=1, max_size=8),
       st.sampled_from(["monthly", "quarterly"]), st.sampled_from(["standalone", "cumulative"]), st.sampled_from([4, 7, 10]))
def test_a_version_that_changes_nothing_and_carries_pays_the_same(rows, period, measurement, month):
    base = {**LINEAR, "period": period, "measurement": measurement, "threshold": 0.4, "tiers": ACCEL, "cap": 2.5}
    same = {**base, "versions": [{"from": f"2027-{month:02d}-01", "tiers": ACCEL, "carry": True}]}
    bookings = [Booking(dt.date(2027, m, 15), c) for m, c in rows] + [Booking(dt.date(2027, 1, 1), 0)]
    a, b = schedule(plan_from_dict(base), bookings), schedule(plan_from_dict(same), bookings)
    assert a.months == b.months


def test_the_mid_year_change_example_by_hand():
    from pathlib import Path

    from coursekit.engine import load_plan

    plan = load_plan(Path(__file__).resolve().parents[2] / "examples" / "mid-year-change.yaml")
    s = schedule(plan, parse_bookings("date,amount\n2027-03-10,150000\n2027-05-10,200000\n2027-08-10,150000\n"
                                      "2027-11-10,400000\n"))
    paid = {r.month: r.paid for r in s.months if r.paid}
    # Q1: February's leave: quota 200,000 x 62/90 = 137,777.78, TI 25,000; linear: 150,000 x 25,000 / 137,777.78
    # = 27,217.74. Q2: 350,000 / 337,777.78 x 50,000 = 51,809.21, less 27,217.74 = 24,591.47
    assert (paid["2027-03"], paid["2027-06"]) == (Decimal("27217.74"), Decimal("24591.47"))
    # Q3 (the July version, carried): quota to date 587,777.78 (250,000 a quarter now), TI 75,000; 500,000 = 85.1%:
    # 63,799.62 to date, 11,990.41 more; the 20,000 guarantee tops it up: 8,009.59 in draws over the quarter
    assert sum(r.earned for r in s.months[6:9]) == Decimal("11990.41")
    assert sum(r.paid for r in s.months[6:9]) == 20000
    # Q4: 900,000 / 837,777.78 = 107.4%: 100,000 + 62,222.22 x 2 x 11.94% = 114,854.11, less 63,799.62 = 51,054.49;
    # above the guarantee, so the two advances (13,333.33) are trued up in December
    assert sum(r.earned for r in s.months[9:12]) == Decimal("51054.49")
    assert paid["2027-12"] == Decimal("51054.49") - Decimal("13333.33")


def test_every_new_key_round_trips_through_to_dict_and_with_changes():
    p = plan_from_dict({**YTD, "start": "2027-01-01", "end": "2027-12-15", "proration": "days", "clawback": "proportional",
                        "clawback_window_days": 120, "clawback_negative": False,
                        "draw": {"amount": 9000, "recovery_limit": 0.5, "term_months": 6, "at_term_end": "forgiven",
                                 "at_end": "forgiven"},
                        "relief": [{"from": "2027-02-01", "to": "2027-02-28", "share": 0.5, "reason": "leave"}],
                        "versions": [{**NEW_QUOTA, "carry": True}]})
    assert plan_from_dict(to_dict(p)) == p
    # a change to the base reaches the versions built on it
    q = p.with_changes(clawback="full")
    assert q.clawback == q.versions[0].plan.clawback == "full" and q.draw == p.draw and q.end == p.end
    assert q.versions[0].plan.quota == 1200000 and q.versions[0].carry
