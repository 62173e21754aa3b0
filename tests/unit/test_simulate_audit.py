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
    assert pay == {"smb": 90000.0, "enterprise": 33333.34}  # 12 x 7,500; two capped months of 16,666.67
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
