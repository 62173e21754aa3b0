"""The population view honours the booking mix: credit multipliers raise credited attainment and pay, pay
multipliers raise pay only, and the cap's share is the reps the cap actually holds back."""

from fractions import Fraction

import numpy as np
import pytest

from coursekit.engine import load_scenario, plan_from_dict, simulate
from coursekit.engine.payout import period_payout
from coursekit.engine.scenario import Option
from coursekit.engine.simulate import Population, booking_mix, booking_shares, population, year_pay
from coursekit.errors import CourseError
from tests.helpers import ROOT, WORKED_PLAN

Q = {**WORKED_PLAN, "period": "quarterly", "threshold": 0.5, "tiers": [{"from": 0, "multiplier": 1}, {"from": 1, "multiplier": 2}]}
LINEAR = {"name": "Linear", "ote": 200000, "variable_share": 0.5, "quota": 800000, "period": "annual"}  # BCR 12.5%
SMB = Option("smb", 20000, deals_per_cycle=3, cycle_months=1, segment="smb", product="point")
ENT = Option("enterprise", 480000, deals_per_cycle=1, cycle_months=6, segment="enterprise", product="platform")
POP = Population(reps=4000, seed=3)


def population_before_the_mix(plan, pop, months=12, start=(2027, 1)):
    """``population`` as it was before the booking mix (commit 821cf97), kept as the reference to equal."""
    rng = np.random.default_rng(pop.seed)
    att = np.clip(rng.normal(pop.attainment_mean, pop.attainment_sd, size=pop.reps), 0.0, None)
    monthly = att[:, None] * plan.quota / 12 * 100 * np.ones((1, months))
    paid = year_pay(plan, monthly, np.zeros_like(monthly), start)
    revenue = att * plan.quota * months / 12
    capped = np.zeros(pop.reps, dtype=bool)
    if plan.cap is not None:
        capped = period_payout(plan, att) >= plan.cap * plan.period_ti - 0.005
    below = att < (plan.threshold or 0.0)
    return {
        "reps": pop.reps, "seed": pop.seed,
        "total_payout": round(float(paid.sum()), 2),
        "total_revenue": round(float(revenue.sum()), 2),
        "cost_of_sales_pct": round(float(paid.sum() / revenue.sum() * 100), 2) if revenue.sum() else 0.0,
        "share_below_threshold": round(float(below.mean()), 4),
        "share_at_or_above_quota": round(float((att >= 1.0).mean()), 4),
        "share_capped": round(float(capped.mean()), 4),
        "attainment": att, "payout": paid,
    }


def _same(new: dict, old: dict) -> None:
    for key, value in old.items():
        if isinstance(value, np.ndarray):
            assert np.array_equal(new[key], value), key
        else:
            assert new[key] == value, key


@pytest.mark.parametrize("plan", [
    Q,
    {**Q, "cap": 2.0},  # a cap per quarter: with even bookings each quarter's attainment is the year's, so the old check held
    {**Q, "period": "monthly", "cap": 1.5, "draw": {"amount": 5000, "recoverable": True}},
    {**LINEAR, "credit": {"segment": {"enterprise": 1.5}}, "pay_multiplier": {"product": {"platform": 1.3}}},
])
def test_without_a_mix_or_with_multipliers_of_1_the_population_is_what_it_was(plan):
    p = plan_from_dict(plan)
    old = population_before_the_mix(p, POP)
    _same(population(p, POP), old)
    # a mix booking only smb point deals, which no multiplier of these plans names: the same to the cent
    new = population(p, POP, mix=((("smb", "point"), Fraction(1)),))
    _same(new, old)
    assert new["credited_per_100_of_bookings"] == 100.0 and np.array_equal(new["credited_attainment"], old["attainment"])


def test_a_credit_on_half_the_bookings_raises_attainment_at_quota_and_lowers_nothing():
    p = plan_from_dict({**Q, "cap": 3.0, "credit": {"segment": {"enterprise": 1.5}}})
    base = population(p, POP)
    mix = ((("enterprise", "platform"), Fraction(1, 2)), (("smb", "point"), Fraction(1, 2)))
    half = population(p, POP, mix=mix)
    att = half["attainment"]
    # half the bookings count 1.5 times, half once: 1.25 of credit per unit booked, so a rep who booked 80% of
    # quota is credited 100%: the share at or above quota is the share that booked at least 80%
    assert half["credited_per_100_of_bookings"] == 125.0
    assert np.array_equal(att, base["attainment"]) and np.allclose(half["credited_attainment"], att * 1.25)
    assert half["share_at_or_above_quota"] == round(float((att >= 0.8).mean()), 4) > base["share_at_or_above_quota"]
    assert half["share_below_threshold"] == round(float((att < 0.4).mean()), 4) < base["share_below_threshold"]
    # bookings (revenue) are what was booked, not what was credited; pay and cost per 100 of bookings rise
    assert half["total_revenue"] == base["total_revenue"]
    assert np.all(half["payout"] >= base["payout"]) and half["cost_of_sales_pct"] > base["cost_of_sales_pct"]
    assert half["share_capped"] >= base["share_capped"]


def test_a_pay_multiplier_of_1_3_on_every_booking_costs_exactly_1_3_times():
    p = plan_from_dict({**LINEAR, "pay_multiplier": {"product": {"platform": 1.3}}})
    mix = (((None, "platform"), Fraction(1)),)
    # no threshold, no cap, one rate: pay is 12.5% of credited bookings, x 1.3 = 16.25 per 100 of bookings
    # whatever a rep attains; every rep at quota books 800,000 and is paid 100,000 x 1.3 = 130,000
    at_quota = population(p, Population(reps=50, attainment_sd=0.0, attainment_mean=1.0), mix=mix)
    assert at_quota["total_payout"] == 50 * 130000.0 and at_quota["cost_of_sales_pct"] == 16.25
    spread, base = population(p, POP, mix=mix), population(p, POP)
    assert base["cost_of_sales_pct"] == 12.5 and spread["cost_of_sales_pct"] == 16.25
    # each rep's year, rounded once to the cent: attainment a books 800,000 a, paid 100,000 a, or 130,000 a
    att = spread["attainment"]
    assert np.all(np.abs(base["payout"] - 100000 * att) <= 0.005 + 1e-9)
    assert np.all(np.abs(spread["payout"] - 130000 * att) <= 0.005 + 1e-9)
    # a pay multiplier credits no quota: attainment statistics do not move
    for key in ("share_below_threshold", "share_at_or_above_quota", "share_capped", "total_revenue"):
        assert spread[key] == base[key], key
    assert spread["credited_per_100_of_bookings"] == 100.0


def test_share_capped_is_the_reps_an_annual_cap_holds_back_under_cumulative_measurement():
    # quarterly true-ups of the year to date, 1x to quota and 2x above, an annual cap of 1.5 x 100,000
    plan = plan_from_dict({**Q, "threshold": None, "measurement": "cumulative", "cap": 1.5, "cap_scope": "year"})
    pop = Population(reps=4000, attainment_mean=1.0, attainment_sd=0.5, seed=5)
    year = population(plan, pop)
    att = year["attainment"]
    # a whole plan year: the year to date pays (1 + 2 (a - 1)) x 100,000, above 150,000 when a > 1.25
    assert year["share_capped"] == round(float((att > 1.25).mean()), 4) > 0
    # July to June: each plan year sees two quarters, so the year to date earns at most (1 + 2 (a - 1)) x 50,000,
    # above the annual cap of 150,000 only when a > 2; the old check (one period at the year's attainment) said a > 1.25
    split = population(plan, pop, start=(2027, 7))
    assert split["share_capped"] == round(float((att > 2).mean()), 4) > 0
    assert split["share_capped"] < population_before_the_mix(plan, pop, start=(2027, 7))["share_capped"]
    # and a credit multiplier on every booking caps more reps: 1.25 x credit reaches a = 2 from a booked 1.6
    credited = plan.with_changes(credit={"segment": {"enterprise": 1.25}})
    more = population(credited, pop, start=(2027, 7), mix=((("enterprise", None), Fraction(1)),))
    assert more["share_capped"] == round(float((att * 1.25 > 2).mean()), 4) > split["share_capped"]


def test_a_mix_must_add_up_to_1():
    p = plan_from_dict(Q)
    with pytest.raises(CourseError, match="add up to 1"):
        population(p, POP, mix=((("smb", None), Fraction(1, 2)),))
    with pytest.raises(CourseError, match="add up to 1"):
        population(p, POP, mix=((("smb", None), Fraction(3, 2)), (("enterprise", None), Fraction(-1, 2))))


def test_booking_mix_turns_effort_into_the_bookings_it_books():
    # half the year on each: smb works 1.5 deals a month, 18 by December, x 20,000 = 360,000; enterprise works
    # half a deal a cycle, one deal by December, x 480,000 = 480,000. Of 840,000: 3/7 smb, 4/7 enterprise
    effort = {"smb": 0.5, "enterprise": 0.5}
    assert booking_shares([SMB, ENT], effort) == {"smb": Fraction(3, 7), "enterprise": Fraction(4, 7)}
    assert booking_mix([SMB, ENT], effort) == ((("enterprise", "platform"), Fraction(4, 7)), (("smb", "point"), Fraction(3, 7)))
    # a win rate of 1/2 halves what enterprise is expected to book: 240,000 of 600,000
    assert booking_shares([SMB, Option("enterprise", 480000, 1, 6, 0.5)], effort)["enterprise"] == Fraction(2, 5)
    # 30% on enterprise finishes no deal in the year (0.3 and 0.6 of one): all the bookings are smb
    assert booking_mix([SMB, ENT], {"smb": 0.7, "enterprise": 0.3}) == ((("smb", "point"), Fraction(1)),)
    # two options of one segment and product are one part of the mix
    twin = Option("smb too", 40000, 1, 1, segment="smb", product="point")  # 12 x 40,000 = 480,000 full-time
    assert booking_mix([SMB, twin], {"smb": 0.5, "smb too": 0.5}) == ((("smb", "point"), Fraction(1)),)
    assert booking_mix([SMB, ENT], {}) is None  # no effort books nothing
    with pytest.raises(CourseError, match="no option 'mid'"):
        booking_mix([SMB, ENT], {"mid": 1.0})


def test_the_rational_reps_mix_prices_the_population():
    # enterprise vs smb, with the strategy's enterprise deals credited 1.5x and the plan measured on the year to date
    sc = load_scenario(ROOT / "examples" / "enterprise-vs-smb.yaml")
    plan = sc.plan.with_changes(measurement="cumulative", credit={"segment": {"enterprise": 1.5}})
    r = simulate(sc, plan)
    mix = booking_mix(sc, r.best_mix)
    assert r.rep_choice == "enterprise" and mix == ((("enterprise", "platform"), Fraction(1)),)
    priced = population(plan, sc.population, sc.months, sc.start, mix)
    flat = population(plan, sc.population, sc.months, sc.start)
    assert priced["credited_per_100_of_bookings"] == 150.0 and priced["cost_of_sales_pct"] > flat["cost_of_sales_pct"]


def test_the_histogram_shows_credited_attainment_and_the_incentive_cost_per_100_of_bookings():
    from coursekit.engine.plot import histogram_figure

    p = plan_from_dict({**Q, "credit": {"segment": {"enterprise": 1.25}}})
    res = population(p, POP, mix=((("enterprise", None), Fraction(1)),))
    ax = histogram_figure(res, p).axes[0]
    assert ax.get_title() == f"4,000 reps under Worked example: incentive cost per 100 of bookings {res['cost_of_sales_pct']:.1f}"
    # the bars span credited attainment (1.25 x booked), where the threshold and quota lines are measured
    edges = [b.get_x() for b in ax.patches]
    assert min(edges) == pytest.approx(res["credited_attainment"].min() * 100)
    assert max(b.get_x() + b.get_width() for b in ax.patches) == pytest.approx(res["attainment"].max() * 125)
    assert sum(b.get_height() for b in ax.patches) == 4000 and ax.get_xlabel() == "credited attainment (% of quota)"
