import pytest

from coursekit.engine import audit, explain, scenario_from_dict, simulate, strategy_from_dict
from coursekit.engine.audit import explain_seconds
from coursekit.errors import CourseError

MONTHLY = {"name": "Monthly flat", "ote": 200000, "quota": 800000, "period": "monthly", "cap": 2.0}
OPTIONS = [{"name": "smb", "deal_size": 20000, "deals_per_cycle": 3, "cycle_months": 1, "segment": "smb"},
           {"name": "enterprise", "deal_size": 480000, "deals_per_cycle": 1, "cycle_months": 6, "segment": "enterprise"}]
SC = {"plan": MONTHLY, "options": OPTIONS, "strategy": {"prefer": "enterprise"}}


def test_seed_example_monthly_pay_steers_reps_away_from_enterprise():
    r = simulate(scenario_from_dict(SC))
    pay = {o.name: o.payout for o in r.options}
    # 12 x 7,500; two capped months of 16,666.666..., the year's earnings rounded once as the schedule does
    assert pay == {"smb": 90000.0, "enterprise": 33333.33}
    assert (r.rep_choice, r.aligned, r.revenue_gap) == ("smb", False, 240000.0)
    assert sum(r.best_mix.values()) == pytest.approx(1.0)


def test_annual_period_flips_aligned():
    r = simulate(scenario_from_dict({**SC, "plan": {**MONTHLY, "period": "annual"}}))
    assert (r.rep_choice, r.aligned, r.revenue_gap) == ("enterprise", True, 0.0)
    assert r.best_mix == {"smb": 0.0, "enterprise": 1.0}


def test_win_rate_uses_seeded_monte_carlo_and_is_repeatable():
    sc = scenario_from_dict({**SC, "options": [OPTIONS[0], {**OPTIONS[1], "win_rate": 0.5}]})
    a, b = simulate(sc), simulate(sc)
    assert "Monte Carlo" in a.method and a.to_dict() == b.to_dict()
    assert a.options[1].revenue == pytest.approx(480000, rel=0.05)


def test_credit_multiplier_can_fix_the_choice():
    plan = {**MONTHLY, "period": "quarterly", "cap": None, "credit": {"segment": {"enterprise": 1.5}}}
    plan = {k: v for k, v in plan.items() if v is not None}
    assert simulate(scenario_from_dict({**SC, "plan": plan})).aligned is True


@pytest.mark.parametrize("change, field", [
    ({"options": [{"name": "x", "deal_size": -1}]}, "options[0].deal_size"),
    ({"strategy": {"prefer": "mid"}}, "strategy.prefer"), ({"months": 0}, "months"), ({"start": "next year"}, "start"),
    ({"plan": "../../etc/passwd"}, "plan"), ({"plna": {}}, "plna"), ({"plan": {**MONTHLY, "quota": -1}}, "quota"),
])
def test_invalid_scenarios_name_the_field(change, field):
    with pytest.raises(CourseError) as e:
        scenario_from_dict({**SC, **change}, "sc.yaml")
    assert any(f": {field}: " in line for line in str(e.value).splitlines())


STRATEGY = {"priorities": [{"name": "enterprise", "behavior": "land platform deals", "segment": "enterprise", "cycle_months": 6}],
            "planning": {"assumed_attainment": 1.0, "assumptions": ["capacity model", "quality gate"]}, "options": OPTIONS}
CLEAN = {"name": "Aligned", "ote": 200000, "quota": 800000, "period": "annual", "threshold": 0.5,
         "tiers": [{"from": 0, "multiplier": 1}, {"from": 1.0, "multiplier": 2}],
         "traces_to": {"quota": "capacity model", "threshold": "quality gate", "tier 1": "enterprise", "tier 2": "enterprise"}}


def kinds(plan, strategy=STRATEGY):
    from coursekit.engine import plan_from_dict

    return {f.kind for f in audit(plan_from_dict(plan), strategy_from_dict(strategy))}


def test_clean_plan_has_no_findings():
    assert kinds(CLEAN) == set()


@pytest.mark.parametrize("change, kind", [
    ({"traces_to": {"quota": "capacity model"}}, "untraced"),
    ({"traces_to": {**CLEAN["traces_to"], "quota": "gut feel"}}, "untraced"),
    ({"period": "monthly"}, "period_shorter_than_cycle"),
    ({"period": "monthly", "cap": 2.0}, "priority_pays_less"),
    ({"tiers": None, "curve": [[0.5, 0.25], [0.8, 0.9], [1.0, 1.0]], "traces_to": {**{k: v for k, v in CLEAN["traces_to"].items() if not k.startswith("tier")}, "curve": "enterprise"}},
     "curve_peaks_early"),  # a plan without tiers may not trace them (issue 12: plan errors)
    ({"credit": {"segment": {"enterprise": 1.1, "smb": 1.0}, "product": {"platform": 1.2, "point": 1.0, "services": 0.9}},
      "spifs": [{"name": f"Push {i}", "amount": 500, "product": "platform", "from": "2027-01-01", "to": "2027-03-31"} for i in range(3)],
      "draw": {"amount": 3000, "recoverable": True}}, "too_long_to_explain"),
])
def test_each_finding_kind_triggers(change, kind):
    plan = {k: v for k, v in {**CLEAN, **change}.items() if v is not None}
    assert kind in kinds(plan)


def test_explanation_reads_under_a_minute_for_a_simple_plan():
    from coursekit.engine import plan_from_dict

    p = plan_from_dict(CLEAN)
    assert explain_seconds(p) < 60 and "50% of quota" in explain(p)


def test_invalid_strategy_names_the_field():
    with pytest.raises(CourseError, match=r"s\.yaml: priorities\[0\]\.cycle_months: "):
        strategy_from_dict({**STRATEGY, "priorities": [{"name": "e", "behavior": "b", "cycle_months": "long"}]}, "s.yaml")


# --- the simulator: whole deals, SPIFs per deal closed, spread, cost of sales, ties -------------------

import datetime as dt  # noqa: E402
from fractions import Fraction  # noqa: E402

import numpy as np  # noqa: E402

from coursekit.engine.simulate import attempts, simulate_mix  # noqa: E402

ANNUAL = {"name": "Annual linear", "ote": 180000, "quota": 900000, "period": "annual"}  # TI 90,000, BCR 10%
POINT = {"name": "point", "deal_size": 25000, "deals_per_cycle": 3, "cycle_months": 1, "product": "point"}
PLATFORM = {"name": "platform", "deal_size": 180000, "deals_per_cycle": 1, "cycle_months": 3, "product": "platform"}
LAUNCH = {"name": "Launch", "amount": 6000, "product": "platform"}


def test_effort_share_scales_the_number_of_whole_deals_not_their_size():
    from coursekit.engine.scenario import Option

    ent = Option("enterprise", 480000, 1, 6)
    # half the year on 1 deal per 6-month cycle: 0.5 deal of work by month 6 (none closes), 1.0 by month 12
    assert attempts(ent, 12, Fraction(1, 2)).tolist() == [0, 1]
    # 30% of the year: 0.3 then 0.6 of a deal: nothing closes within the year
    assert attempts(ent, 12, Fraction(3, 10)).tolist() == [0, 0]
    smb = Option("smb", 20000, 3, 1)
    # 1.5 deals a month: cumulative 1.5, 3, 4.5, 6 ... -> whole deals 1, 3, 4, 6 ... -> 1, 2, 1, 2 ... a month
    assert attempts(smb, 12, Fraction(1, 2)).tolist() == [1, 2] * 6
    # 2.5 deals per 2-month cycle at full time: 2, 5, 7, 10, 12, 15 by each cycle end
    assert attempts(Option("x", 1, 2.5, 2), 12).tolist() == [2, 3, 2, 3, 2, 3]
    # a mix books whole deals at full size: 50/50 smb/enterprise, monthly flat plan of the seed note
    sc = scenario_from_dict(SC)
    mix = simulate_mix(sc, {"smb": 0.5, "enterprise": 0.5})
    # revenue: 18 smb deals x 20,000 + 1 enterprise deal x 480,000 = 840,000
    assert mix.revenue == 840000.0 and mix.bookings == 19
    # pay: monthly quota 66,666.67, TI 8,333.33 (BCR 12.5%), cap 16,666.67: months with 1 smb deal pay 2,500,
    # with 2 deals 5,000: 6 x 2,500 + 5 x 5,000 = 40,000; month 12 books 40,000 + 480,000, capped at 16,666.67
    assert mix.payout == 56666.67


def test_spifs_follow_the_deals_actually_closed():
    sc = scenario_from_dict({"plan": {**ANNUAL, "spifs": [LAUNCH]}, "options": [POINT, PLATFORM], "strategy": {"prefer": "platform"}})
    # 10% on platform: 0.1 deal a quarter, 0.4 by year end: no platform deal, so no SPIF (the old simulator paid all 4)
    # 90% on point: 2.7 deals a month -> floor(2.7 x 12) = 32 deals x 25,000 = 800,000 -> pay 10% = 80,000
    low = simulate_mix(sc, {"point": 0.9, "platform": 0.1})
    assert (low.revenue, low.payout) == (800000.0, 80000.0)
    # 50/50: platform deals close at months 6 and 12 (2 x 180,000 + 2 SPIFs of 6,000), point 18 deals x 25,000
    # pay = 10% x (360,000 + 450,000) + 12,000 = 93,000
    half = simulate_mix(sc, {"point": 0.5, "platform": 0.5})
    assert (half.revenue, half.payout) == (810000.0, 93000.0)
    r = simulate(sc)
    # full-time: platform 4 deals -> 72,000 + 24,000 SPIF = 96,000; point 36 deals -> 90,000. With s tenths on
    # platform the pay is 24,000 x floor(0.4 s) + 2,500 x floor(3.6 (10 - s)): highest at s = 10 (96,000)
    assert {o.name: o.payout for o in r.options} == {"point": 90000.0, "platform": 96000.0}
    assert r.best_mix == {"point": 0.0, "platform": 1.0} and r.rep_choice == "platform"


def test_spread_of_year_pay_on_a_seeded_case():
    plan = {"name": "Linear", "ote": 200000, "quota": 800000, "period": "annual"}  # BCR 12.5%
    one = {"name": "coin", "deal_size": 40000, "deals_per_cycle": 1, "cycle_months": 1, "win_rate": 0.5}
    sc = scenario_from_dict({"plan": plan, "options": [one], "population": {"seed": 11}})
    r = simulate(sc)
    o = r.options[0]
    # deals won ~ Binomial(12, 0.5), each pays 40,000 x 12.5% = 5,000. P(k <= 3) = 7.3%, P(k <= 4) = 19.4%,
    # P(k <= 5) = 38.7%, P(k <= 6) = 61.3%, P(k <= 7) = 80.6%, P(k <= 8) = 92.7%: over 2,000 draws the 10th,
    # 50th and 90th percentiles are 4, 6 and 8 deals
    assert (o.p10, o.median, o.p90) == (20000.0, 30000.0, 40000.0)
    assert o.payout == pytest.approx(30000, rel=0.03) and "seed 11" in r.method
    assert simulate(sc).to_dict() == r.to_dict()  # reproducible
    # the exact path has no spread: every deal closes
    exact = simulate(scenario_from_dict({"plan": plan, "options": [{**one, "win_rate": 1.0}]})).options[0]
    assert exact.p10 == exact.median == exact.p90 == exact.payout == 60000.0


def test_cost_of_sales_per_option():
    r = simulate(scenario_from_dict(SC))
    cos = {o.name: o.cost_of_sales for o in r.options}
    # smb 90,000 / 720,000 = 12.5 per 100; enterprise 33,333.33 / 960,000 = 3.4722... -> 3.47
    assert cos == {"smb": 12.5, "enterprise": 3.47}
    d = r.to_dict()["options"][0]
    assert {"p10", "median", "p90", "cost_of_sales"} <= set(d)


def test_a_tie_picks_the_strategy_option_and_the_mix_agrees():
    plan = {**ANNUAL, "credit": {"product": {"platform": 1.25}}}
    sc = {"plan": plan, "options": [POINT, PLATFORM], "strategy": {"prefer": "platform"}}
    r = simulate(scenario_from_dict(sc))
    # BCR 10%. point: 36 deals x 25,000 = 900,000 -> 90,000. platform: 4 x 180,000 x 1.25 credit = 900,000 -> 90,000.
    # Mixes with s tenths on platform credit 225,000 x floor(0.4 s) + 25,000 x floor(3.6 (10 - s)): 900,000 at
    # s = 0, 5 and 10 (a three-way tie), less elsewhere (s = 8: 3 x 225,000 + 7 x 25,000 = 850,000)
    assert [o.payout for o in r.options] == [90000.0, 90000.0]
    assert (r.rep_choice, r.tied, r.aligned, r.revenue_gap) == ("platform", ["point"], True, 0.0)
    assert r.best_mix == {"point": 0.0, "platform": 1.0}  # never "picks platform and puts 100% on point"
    # with no strategy, the tie goes to the higher revenue (point books 900,000, platform 720,000), and so does the mix
    r2 = simulate(scenario_from_dict({k: v for k, v in sc.items() if k != "strategy"}))
    assert (r2.rep_choice, r2.tied, r2.best_mix, r2.aligned) == ("point", ["platform"], {"point": 1.0, "platform": 0.0}, None)


def test_a_blend_that_beats_every_full_time_option_is_reported_as_the_mix():
    plan = {**ANNUAL, "period": "quarterly", "threshold": 0.5, "tiers": [{"from": 0, "multiplier": 1}, {"from": 1.0, "multiplier": 1.5}],
            "credit": {"product": {"platform": 1.25}}}
    sc = scenario_from_dict({"plan": plan, "options": [POINT, PLATFORM], "strategy": {"prefer": "platform"}})
    r = simulate(sc)
    # quarter quota 225,000, quarter TI 22,500: full-time point books 225,000 a quarter, platform 180,000 x 1.25:
    # both 100% every quarter, 4 x 22,500 = 90,000 each: a tie full-time
    assert [o.payout for o in r.options] == [90000.0, 90000.0]
    # 70/30: point 2.1 deals a month -> 6, 6, 6, 7 deals a quarter (150,000 x 3, 175,000); platform 0.3 a quarter ->
    # one deal, in Q4 (225,000 credited). Q1-Q3 at 66.7% pay 15,000 each; Q4 at 400,000 = 177.8% pays
    # 22,500 + 0.778 x 225,000 x 10% x 1.5 = 48,750. Total 93,750: lumping beats both full-time years
    blend = simulate_mix(sc, {"point": 0.7, "platform": 0.3})
    assert blend.payout == 93750.0
    # the rep puts most effort on point: "picks point and puts 30% of effort on platform", not aligned.
    # The blend books 25 point deals (625,000) + one platform deal (180,000) = 805,000, more than platform's
    # 720,000 full-time, so no revenue is given up
    assert (r.best_mix, r.rep_choice, r.aligned, r.tied, r.revenue_gap) == ({"point": 0.7, "platform": 0.3}, "point", False,
                                                                             ["platform"], 0.0)
    assert blend.revenue == 805000.0


def test_exact_path_pays_what_the_bookings_schedule_pays():
    from coursekit.engine import plan_from_dict
    from coursekit.engine.bookings import Booking
    from coursekit.engine.schedule import schedule

    plan = {"name": "M", "ote": 150000, "quota": 700000, "period": "monthly", "threshold": 0.9, "cap": 2.0}
    opt = {"name": "odd", "deal_size": 12345.67, "deals_per_cycle": 2.5, "cycle_months": 2}
    sc = scenario_from_dict({"plan": plan, "options": [opt]})
    got = simulate(sc).options[0]
    # 2, 3, 2, 3, 2, 3 deals at the end of months 2, 4, ... 12, booked as real rows
    counts = attempts(sc.options[0], 12)
    rows = [Booking(dt.date(2027, 1, 1), 0)] + [Booking(dt.date(2027, 2 * (k + 1), 28), 1234567) for k, n in enumerate(counts) for _ in range(n)]
    assert got.payout == schedule(plan_from_dict(plan), rows).total_paid
    assert got.revenue == 15 * 12345.67


def test_simulate_mix_rejects_unknown_options_and_bad_shares():
    sc = scenario_from_dict(SC)
    with pytest.raises(CourseError, match="no option 'mid'"):
        simulate_mix(sc, {"mid": 1.0})
    with pytest.raises(CourseError, match="add up to at most 1"):
        simulate_mix(sc, {"smb": 0.7, "enterprise": 0.7})
    assert simulate_mix(sc, {}).payout == 0.0 and np.isfinite(simulate_mix(sc, {"smb": 1.0}).payout)
