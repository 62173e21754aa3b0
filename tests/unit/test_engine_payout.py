import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coursekit.engine import payout, plan_from_dict, to_dict
from coursekit.engine.payout import cap_attainment, payout_loop
from coursekit.errors import CourseError
from tests.helpers import WORKED_PLAN

# DOMAIN.md section 2, recomputed by hand
TABLE = [(0.40, 40000, 40000, 40000), (0.999, 99900, 99900, 99900), (1.00, 100000, 100000, 200000),
         (1.20, 140000, 140000, 240000), (1.50, 200000, 200000, 450000), (1.75, 275000, 275000, 525000),
         (2.00, 350000, 300000, 600000)]


@pytest.mark.parametrize("att, marginal, capped, retro", TABLE)
def test_worked_example_every_row(att, marginal, capped, retro):
    assert payout(plan_from_dict(WORKED_PLAN), att) == marginal
    assert payout(plan_from_dict({**WORKED_PLAN, "cap": 3.0}), att) == capped
    assert payout(plan_from_dict({**WORKED_PLAN, "tier_mode": "retroactive"}), att) == retro


def test_cap_reached_at_183_percent():
    assert cap_attainment(plan_from_dict({**WORKED_PLAN, "cap": 3.0})) == pytest.approx(1.8333333, abs=1e-6)


def test_curve_plan_pays_nothing_below_first_point_and_extends_last_slope():
    p = plan_from_dict({"name": "c", "ote": 100, "variable_share": 1.0, "quota": 100, "curve": [[0.75, 0.5], [1.0, 1.0], [1.5, 3.0]]})
    assert list(payout(p, [0.74, 0.75, 1.0, 1.25, 2.0])) == [0, 50, 100, 200, 500]


def test_threshold_gates_but_then_all_sales_count():
    p = plan_from_dict({**WORKED_PLAN, "threshold": 0.5})
    assert payout(p, 0.49) == 0 and payout(p, 0.5) == 50000


def test_period_splits_quota_and_target():
    p = plan_from_dict({**WORKED_PLAN, "period": "quarterly"})
    assert p.period_quota == 200000 and p.period_ti == 25000
    assert payout(p, 1.2) == 35000


plans = st.fixed_dictionaries({
    "name": st.just("p"), "ote": st.floats(1e4, 1e6), "variable_share": st.floats(0.05, 1.0), "quota": st.floats(1e4, 1e7),
    "period": st.sampled_from(["annual", "quarterly", "monthly"]),
}).flatmap(lambda base: st.builds(
    lambda mults, starts, cap, thr, mode: {**base, "tiers": [{"from": s, "multiplier": m} for s, m in zip([0.0] + sorted(starts), mults)],
                                           "tier_mode": mode, **({"cap": cap} if cap else {}), **({"threshold": thr} if thr else {})},
    st.lists(st.floats(0.5, 4.0), min_size=3, max_size=3).map(sorted),
    st.lists(st.floats(0.3, 1.9), min_size=2, max_size=2, unique=True).filter(lambda s: abs(s[0] - s[1]) > 0.01),
    st.one_of(st.none(), st.floats(1.0, 5.0)), st.one_of(st.none(), st.floats(0.1, 0.9)), st.sampled_from(["marginal", "retroactive"])))

atts = np.linspace(0, 3, 601)


@settings(max_examples=80, deadline=None)
@given(plans)
def test_properties_never_negative_capped_monotone_matches_loop(d):
    p = plan_from_dict(d)
    pay = payout(p, atts)
    assert (pay >= 0).all()
    if p.cap:
        assert (pay <= p.cap * p.period_ti + 0.005).all()
    assert (np.diff(pay) >= -0.011).all()  # rising tiers: never decreasing (cent rounding aside)
    assert np.allclose(pay, payout_loop(p, atts), atol=0.011)


@settings(max_examples=60, deadline=None)
@given(plans)
def test_marginal_is_continuous_above_threshold_and_retro_pays_at_least_as_much(d):
    p = plan_from_dict({**d, "tier_mode": "marginal"})
    r = plan_from_dict({**d, "tier_mode": "retroactive"})
    fine = np.linspace(p.threshold or 0, 3, 30001)
    step = np.abs(np.diff(payout(p, fine)))
    assert step.max() <= max(p.tier_rates()) * p.period_quota * (fine[1] - fine[0]) + 0.02
    assert (payout(r, atts) >= payout(p, atts) - 0.011).all()


def test_plan_round_trips_through_its_dict():
    p = plan_from_dict({**WORKED_PLAN, "cap": 3, "threshold": 0.5, "credit": {"segment": {"enterprise": 1.5}},
                        "draw": {"amount": 2000, "recoverable": False},
                        "spifs": [{"name": "Launch", "amount": 1000, "product": "platform", "from": "2027-01-01", "to": "2027-03-31"}]})
    assert plan_from_dict(to_dict(p)) == p


@pytest.mark.parametrize("change, field", [
    ({"tiers": [{"from": 0.0, "multiplier": 1}, {"from": 1.5, "multiplier": 2}, {"from": 1.0, "multiplier": 3}]}, "tiers[2].from"),
    ({"curve": [[1, 1], [2, 2]]}, "tiers"),
    ({"quota": 0}, "quota"), ({"quota": -5}, "quota"), ({"ote": 0}, "ote"), ({"ote": "lots"}, "ote"),
    ({"variable_share": 0}, "variable_share"), ({"variable_share": 1.5}, "variable_share"),
    ({"quotta": 5}, "quotta"), ({"period": "weekly"}, "period"), ({"tier_mode": "cliff"}, "tier_mode"),
    ({"spifs": [{"name": "x", "amount": 5, "from": "soon"}]}, "spifs[0].from"),
])
def test_invalid_plans_name_the_field(change, field):
    with pytest.raises(CourseError) as e:
        plan_from_dict({**WORKED_PLAN, **change}, "plan.yaml")
    first = str(e.value).splitlines()[0]
    assert first.startswith("plan.yaml") and f": {field}: " in first


def test_typo_suggests_the_field():
    with pytest.raises(CourseError, match="did you mean `quota`"):
        plan_from_dict({**WORKED_PLAN, "quotta": 5})


def test_published_json_schema_covers_every_plan_field():
    import json
    from dataclasses import fields
    from importlib import resources

    from coursekit.engine.plan import KNOWN, Plan

    schema = json.loads(resources.files("coursekit").joinpath("schemas", "plan.schema.json").read_text())
    # `quotas` holds the per-period list written as `quota: [...]`; every other field is a file key
    assert set(schema["properties"]) == KNOWN == {f.name for f in fields(Plan)} - {"quotas"}
    assert set(schema["required"]) == {"name", "ote", "quota"}


def test_example_plans_validate_against_the_schema_when_jsonschema_is_present():
    import json
    from importlib import resources
    from pathlib import Path

    import yaml

    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(resources.files("coursekit").joinpath("schemas", "plan.schema.json").read_text())
    from coursekit.yamlio import plain

    plans = [d for path in (Path(__file__).resolve().parents[2] / "examples").glob("*.yaml")
             if "ote" in (d := plain(yaml.safe_load(path.read_text())))]
    assert len(plans) >= 3
    for d in plans:
        jsonschema.validate(d, schema)
