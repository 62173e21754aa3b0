"""Year to date: pay beyond the year's earnings to date that is still carried when the plan year ends is said, in
text and JSON, never folded silently into the year's total (a comp professional asks: recovered or forgiven?)."""
import json

from tests.helpers import ROOT
from tests.helpers import cli as ck

PLAN = ROOT / "examples" / "ytd-quarterly.yaml"  # measured year to date, trued up quarterly, 50% threshold


def test_an_advance_the_year_never_earned_is_said_at_the_plan_years_end(tmp_path):
    early = tmp_path / "early.csv"
    early.write_text("date,amount\n2027-02-15,300000\n")  # Q1 at 150% of its quota to date; the year ends at 37.5%
    r = ck("payout", PLAN, "--bookings", early)
    assert r.returncode == 0, r.stderr
    assert "carried at the plan year's end (2027-12): 50,000.00 USD paid beyond the year's earnings to date" in r.stdout
    data = json.loads(ck("payout", PLAN, "--bookings", early, "--json").stdout)
    assert data["carried_at_year_end"] == [{"month": "2027-12", "carried": 50000.0}]


def test_a_year_that_earns_what_it_was_paid_says_nothing_more(tmp_path):
    even = tmp_path / "even.csv"
    even.write_text("date,amount\n" + "".join(f"2027-{m:02}-15,70000\n" for m in range(1, 13)))
    r = ck("payout", PLAN, "--bookings", even)
    assert r.returncode == 0 and "carried at the plan year's end" not in r.stdout
    assert json.loads(ck("payout", PLAN, "--bookings", even, "--json").stdout)["carried_at_year_end"] == []
