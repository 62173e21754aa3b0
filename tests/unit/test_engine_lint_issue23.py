"""Issue 23: plans no comp team means. Refused: `year_start` written with a day. Warned (exit 0, --strict 2):
a tier paying more than the sale itself; a tier the cap makes unreachable."""

import pytest

from coursekit.engine import load_plan, plan_from_dict
from coursekit.engine.lint import check_file, lint_plan
from coursekit.errors import CourseError

BASE = {"name": "P", "ote": 200000, "quota": 800000}  # TI 100,000, BCR 12.5%
ACC = [{"from": 0, "multiplier": 1}, {"from": 1, "multiplier": 2}, {"from": 1.5, "multiplier": 3}]


def warnings(change: dict) -> list[str]:
    return [str(p) for p in lint_plan(plan_from_dict({**BASE, **change}), "p.yaml", {"tiers": 5})]


def test_year_start_written_with_a_day_is_refused_with_one_line(tmp_path):
    f = tmp_path / "p.yaml"
    f.write_text("name: P\note: 200000\nquota: 800000\nyear_start: 2027-02-01\n")
    with pytest.raises(CourseError) as e:
        load_plan(f)
    assert str(e.value) == (f"{f}:4: year_start: 2027-02-01 is a day, and a plan year starts with a month "
                            "(write the month alone, YYYY-MM: 2027-02)")
    f.write_text("name: P\note: 200000\nquota: 800000\nyear_start: 2027-02\n")
    assert load_plan(f).year_start == "2027-02"


def test_a_tier_paying_more_than_the_sale_is_warned():
    # `rate: 10` (meant 10%) pays 1,000% of each sale: 30,000 sold pays 300,000
    assert warnings({"tiers": [{"from": 0, "rate": 10}]}) == [
        "p.yaml:5: tiers[0].rate: pays 1,000% of every sale in its band, more than the sale itself "
        "(write the rate as a share of sales, e.g. 0.1 for 10%)"]
    # 12x a 12.5% BCR is 150% of each sale; 8x is exactly the sale, not more
    (w,) = warnings({"tiers": [{"from": 0, "multiplier": 1}, {"from": 1, "multiplier": 12}]})
    assert w.startswith("p.yaml:5: tiers[1].multiplier: pays 150% of every sale") and "at most 8," in w
    assert warnings({"tiers": [{"from": 0, "multiplier": 1}, {"from": 1, "multiplier": 8}]}) == []


def test_a_tier_the_cap_makes_unreachable_is_warned():
    # cap 1.5x TI: 1x to 100% pays 100,000, then 25% a unit: 150,000 at 125%, before the 3x tier from 150%
    (w,) = warnings({"tiers": ACC, "cap": 1.5})
    assert w == ("p.yaml:5: tiers[2].from: the cap (1.5x target incentive) is reached at 125%, so the tier from 150% "
                 "never pays (raise the cap, or remove the tier)")
    # the course's worked example: cap 3x is reached at 183.33%, past every tier
    assert warnings({"tiers": ACC, "cap": 3.0}) == []
    # a cap reached exactly where a tier starts: the tier never pays (1x to 100% is 100,000 = cap 1x)
    assert [w.split(":")[2] for w in warnings({"tiers": ACC[:2], "cap": 1.0})] == [" tiers[1].from"]


def test_an_annual_cap_over_periods_measured_alone_is_not_judged_per_period():
    # quarterly periods each measured alone, cap per year: a quarter may reach the 3x tier while the year is not capped
    assert warnings({"tiers": ACC, "cap": 1.5, "period": "quarterly", "cap_scope": "year"}) == []


def test_check_file_reports_them_as_warnings(tmp_path):
    f = tmp_path / "p.yaml"
    f.write_text("name: P\note: 200000\nquota: 800000\ncap: 1.0\ntiers:\n  - {from: 0, multiplier: 1}\n  - {from: 1, multiplier: 2}\n")
    (p,) = check_file(f, "plan")
    assert p.severity == "warning" and p.line == 5 and p.field == "tiers[1].from"


def test_an_attainment_typed_as_a_percent_is_warned():
    from decimal import Decimal

    from coursekit.engine.lint import attainment_warning

    w = attainment_warning(Decimal("120"), "plan.yaml")
    assert str(w) == "plan.yaml: --attainment: 120 is 12,000% of quota, an attainment no rep reaches (did you mean 1.2 (120%)?)"
    assert w.severity == "warning"
    assert attainment_warning(Decimal("1.2")) is None and attainment_warning(3.5) is None
