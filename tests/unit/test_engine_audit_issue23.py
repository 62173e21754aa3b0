"""Issue 23: the audit's three misses, flagged by their economics with code and component: a pay multiplier on a
non-priority, a priority credited (or paid) below 1, a threshold above the attainment planning assumes. An aligned
plan still gets nothing."""

from __future__ import annotations

from coursekit.engine import audit, plan_from_dict, strategy_from_dict
from tests.unit.audit_data import ALIGNED, NO_OPTIONS, STRATEGY, TRACES, found


def test_the_aligned_plan_still_gets_no_findings_with_a_rate_differential_on_the_priority():
    plan = {**ALIGNED, "pay_multiplier": {"product": {"platform": 1.3}}}
    traces = {**TRACES, "pay_multiplier.product.platform": "enterprise"}
    p = plan_from_dict({**plan, "traces_to": {c: traces[c] for c in plan_from_dict(plan).components()}})
    assert audit(p, strategy_from_dict(STRATEGY)) == []
    assert audit(p, strategy_from_dict(NO_OPTIONS)) == []


def test_a_pay_multiplier_on_a_non_priority_is_flagged():
    plan = {**ALIGNED, "pay_multiplier": {"product": {"point": 1.5}}}
    ev = found(plan)[("pay_multiplier_against_strategy", "pay_multiplier.product.point")]
    assert "pays 1.5 times the rate on smb deals" in ev and "(priorities: enterprise)" in ev
    assert ("pay_multiplier_against_strategy", "pay_multiplier.product.point") in found(plan, NO_OPTIONS)
    # 1 or below steers nothing toward point
    assert not any(c == "pay_multiplier_against_strategy" for c, _ in found({**ALIGNED, "pay_multiplier": {"product": {"point": 1}}}))


def test_a_priority_credited_or_paid_below_one_is_flagged():
    ev = found({**ALIGNED, "credit": {"segment": {"enterprise": 0.8}}})[("priority_credit_below_one", "credit.segment.enterprise")]
    assert "counts enterprise deals 0.8 times toward quota and pay, though they serve the priority enterprise" in ev
    assert "a dollar of it pays 20% less than other deals" in ev
    ev = found({**ALIGNED, "pay_multiplier": {"product": {"platform": 0.9}}}, NO_OPTIONS)[
        ("priority_pay_below_one", "pay_multiplier.product.platform")]
    assert "pays 0.9 times the rate on platform deals" in ev and "10% less" in ev
    # below 1 on what is not a priority is how a plan steers away from it: no finding
    assert not any(c.startswith("priority_") and c != "priority_pays_less"
                   for c, _ in found({**ALIGNED, "credit": {"segment": {"smb": 0.8}}}))


def test_a_threshold_above_planned_attainment_is_flagged():
    # planning assumes 85%; a 90% gate pays a rep who delivers the plan nothing
    strategy = {**STRATEGY, "planning": {"assumed_attainment": 0.85}}
    ev = found({**ALIGNED, "threshold": 0.9}, strategy)[("threshold_above_plan", "threshold")]
    assert ev.startswith("the threshold at 90% is above the 85% attainment planning assumes")
    # at the assumption exactly, the rep is paid: no finding
    assert ("threshold_above_plan", "threshold") not in found({**ALIGNED, "threshold": 0.85}, strategy)
    # a curve whose first point is the gate
    curve = {"name": "C", "ote": 200000, "quota": 800000, "curve": [[0.9, 0.5], [1.2, 1.5]]}
    assert ("threshold_above_plan", "curve") in found(curve, strategy)
