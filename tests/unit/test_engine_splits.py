"""Issue 23: split credit. A row may credit several reps (`rep: alice;bob`, `split: 0.6;0.4`); each rep's credit is
the amount times its share, half up to the minor unit, any remaining minor unit to the first rep listed; shares add
up to 100% (one line naming the row); a file with several reps needs the rep to schedule, and names them."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coursekit.engine import plan_from_dict, schedule
from coursekit.engine.bookings import for_rep, parse_bookings, reps_of
from coursekit.engine.money import from_minor, to_minor
from coursekit.errors import CourseError

Q = {"name": "Linear", "ote": 200000, "variable_share": 0.5, "quota": 800000, "period": "quarterly"}  # 12.5%
HEAD = "date,amount,deal_id,rep,split\n"


def amounts(csv: str, rep: str, currency: str = "USD") -> list[Decimal]:
    return [b.amount for b in for_rep(parse_bookings(HEAD + csv, "b.csv"), rep, currency)]


def test_each_rep_is_paid_on_its_share():
    # 100,000 split 60/40: alice credited 60,000 -> 7,500; bob 40,000 -> 5,000. A row for bob alone is bob's.
    b = parse_bookings(HEAD + "2027-02-10,100000,a,alice;bob,0.6;0.4\n2027-05-10,8000,b,bob,\n", "b.csv")
    assert reps_of(b) == ["alice", "bob"]
    assert schedule(plan_from_dict(Q), b, rep="alice").total_earned == 7500
    bob = schedule(plan_from_dict(Q), b, rep="bob")
    assert bob.total_earned == 6000 and next(r for r in bob.months if r.month == "2027-02").credited == 40000


def test_rounding_half_up_with_the_remaining_minor_unit_to_the_first_rep():
    # 100.01 x 0.3333 = 33.333333 -> 33.33 (twice); x 0.3334 = 33.343334 -> 33.34: 100.00 in all, the remaining
    # cent to alice, listed first: 33.34, 33.33, 33.34
    row = "2027-02-10,100.01,a,alice;bob;carol,0.3333;0.3333;0.3334\n"
    assert [amounts(row, r)[0] for r in ("alice", "bob", "carol")] == [Decimal("33.34"), Decimal("33.33"), Decimal("33.34")]
    # 100,000.01 at 50% is 50,000.005 -> 50,000.01 each, a cent more than the row: the first rep's part gives it back
    row = "2027-02-10,100000.01,a,alice;bob,50%;50%\n"
    assert [amounts(row, r)[0] for r in ("alice", "bob")] == [Decimal("50000.00"), Decimal("50000.01")]
    # whole yen: 1,001 at 50% is 500.5 -> 501 each; the first rep's is 500
    assert [amounts("2027-02-10,1001,a,alice;bob,0.5;0.5\n", r, "JPY")[0] for r in ("alice", "bob")] == [500, 501]


def test_a_split_cancellation_reverses_each_reps_share():
    csv = "2027-02-10,100000,a,alice;bob,0.6;0.4\n2027-08-10,-100000,a,alice;bob,0.6;0.4\n"
    for rep in ("alice", "bob"):
        s = schedule(plan_from_dict(Q), parse_bookings(HEAD + csv, "b.csv"), rep=rep)
        assert s.total_earned == 0 and next(r for r in s.months if r.month == "2027-08").earned < 0


@pytest.mark.parametrize("row, field, words", [
    ("2027-02-10,1,a,alice;bob,0.6;0.3\n", "split", "add up to 90%, not 100%"),
    ("2027-02-10,1,a,alice;bob,0.6\n", "split", "1 share for 2 reps"),
    ("2027-02-10,1,a,alice;bob,0.6;x\n", "split", "not a share"),
    ("2027-02-10,1,a,alice;bob,1.2;-0.2\n", "split", "between 0 and 100%"),
    ("2027-02-10,1,a,alice;alice,0.5;0.5\n", "rep", "names a rep twice"),
    ("2027-02-10,1,a,,\n", "rep", "does not name the reps"),
])
def test_bad_splits_are_one_line_naming_the_row(row, field, words):
    with pytest.raises(CourseError) as e:
        parse_bookings(HEAD + "2027-01-10,5,z,alice,\n" + row, "b.csv")
    text = str(e.value)
    assert "\n" not in text and text.startswith(f"b.csv:3: {field}: ") and words in text


def test_a_file_with_several_reps_needs_the_rep_and_names_them():
    b = parse_bookings(HEAD + "2027-02-10,100,a,alice;bob,0.5;0.5\n", "b.csv")
    with pytest.raises(CourseError, match=r"^b.csv: rep: the file credits 2 reps \(alice, bob\)"):
        schedule(plan_from_dict(Q), b)
    with pytest.raises(CourseError, match=r"'carol' is credited on no row \(use one of: alice, bob\)"):
        schedule(plan_from_dict(Q), b, rep="carol")
    # one rep named in the file: scheduled without naming it; a file without a rep column is one rep's, as before
    one = parse_bookings(HEAD + "2027-02-10,100,a,alice,\n", "b.csv")
    assert schedule(plan_from_dict(Q), one).total_earned == Decimal("12.50")


@settings(max_examples=100, deadline=None)
@given(st.integers(-10**9, 10**9), st.lists(st.integers(1, 3000), min_size=0, max_size=5),
       st.sampled_from(["USD", "JPY", "KWD"]))
def test_the_reps_parts_add_up_to_the_row_to_the_minor_unit(cents, basis_points, currency):
    # shares in basis points, the last rep taking the rest of 100%
    shares = basis_points + [10000 - sum(basis_points)]
    if shares[-1] <= 0:
        return
    names = [f"r{i}" for i in range(len(shares))]
    row = f"2027-02-10,{Decimal(cents) / 100},a,{';'.join(names)},{';'.join(str(Decimal(x) / 10000) for x in shares)}\n"
    b = parse_bookings(HEAD + row, "b.csv")
    parts = [for_rep(b, n, currency)[0].amount for n in names]
    assert sum(parts) == from_minor(to_minor(Fraction(cents, 100), currency), currency)
    # every part but the first is its share of the row, half up, exactly
    for x, part in zip(shares[1:], parts[1:], strict=True):
        assert part == from_minor(to_minor(Fraction(cents, 100) * Fraction(x, 10000), currency), currency)


def test_the_split_example_by_hand():
    from pathlib import Path

    from coursekit.engine import load_plan, read_bookings

    ex = Path(__file__).resolve().parents[2] / "examples"
    plan, b = load_plan(ex / "monthly-flat.yaml"), read_bookings(ex / "bookings-split.csv")  # monthly, 12.5%, cap 2x
    # alice: 120,000 (15,000) + 60% of 90,000 (6,750) + 50% of 200,000.01 = 100,000.005 -> 100,000.01 (12,500.00),
    # the Feb deal cancelled in August (-6,750): 27,500. bob: 36,000 + 45,000 + 60,000.00 - 36,000 at 12.5% = 13,125.
    # carol: 40,000.00 -> 5,000. d4: 100,000.01 + 60,000.00 + 40,000.00 = 200,000.01, the row to the cent.
    assert [schedule(plan, b, rep=r).total_earned for r in ("alice", "bob", "carol")] == [27500, 13125, 5000]
