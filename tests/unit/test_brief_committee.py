"""The brief shows the comp committee's tests (capstone.committee) on the capstone's proposal: each figure is the
engine's, computed again here from the same plans; the changes are named, the learner's apart from the inherited."""

from __future__ import annotations

import pytest

import coursekit.notebook as ex
from coursekit.brief import compose as decision_brief
from coursekit.brief.compose import CAPSTONE_SLUG
from coursekit.brief.compose import tested_plan as saved_plan
from coursekit.brief.render import to_markdown
from coursekit.capstone import committee
from coursekit.engine import plan_from_dict, scenario_from_dict
from coursekit.engine.money import money
from coursekit.engine.scenario import Scenario
from coursekit.errors import CourseError
from tests.capstone_answers import COURSE, full_answers, scenario, worked_examples


@pytest.fixture(scope="module")
def brief(tmp_path_factory):
    a = full_answers(tmp_path_factory.mktemp("committee") / "me.json")
    return a, decision_brief.compose(a, COURSE, scenario("capstone-fy28.yaml"), worked_examples())


def test_the_plans_section_carries_every_committee_test(brief):
    _a, b = brief
    plans = next(s for s in b.sections if s.id == "plans")
    labels = [c["label"] for c in plans.data["committee"]]
    for want in ("Can we afford it (the budget)", "Pays target at planned attainment", "Who earns less", "Risk"):
        assert want in labels
    assert set(plans.data["named_changes"]) == {"inherited", "yours"}


def test_who_earns_less_in_the_brief_is_the_engines_for_the_same_plans(brief):
    a, b = brief
    plans = next(s for s in b.sections if s.id == "plans")
    data = scenario("capstone-fy28.yaml")
    proposed = plan_from_dict(decision_brief.proposed_plan(a))
    inputs = decision_brief.capstone_inputs(a, decision_brief.modules(COURSE), data, worked_examples())
    sc = scenario_from_dict(inputs.scenario)  # the options as the learner edited and named them
    scn = Scenario(sc.plan, sc.options, sc.start, sc.months, inputs.prefer, sc.population)
    w = committee.who_earns_less(scn, sc.plan, proposed)
    line = next(c["text"] for c in plans.data["committee"] if c["label"] == "Who earns less")
    assert committee.who_earns_less_line(w).removeprefix("Who earns less? ") in line
    if w["share_paid_less"]:
        assert money(w["worst_change"]) in line


def test_the_exported_brief_labels_the_budget_and_one_reps_year(brief):
    _a, b = brief
    md = to_markdown(b)
    assert "the budget (the population's incentive per 100 of bookings)" in md and "one rep's year" in md


def test_the_learners_transition_saved_by_the_tester_reaches_the_brief(tmp_path):
    a = full_answers(tmp_path / "me.json")
    key = next(k for k in decision_brief._keys(a) if k.startswith(CAPSTONE_SLUG + "/") and saved_plan(a.get(k)) is not None)
    a.set(key, {**a.get(key), "committee": {"transition": "phase-down", "periods": 4,
                                            "risk": {"risk": "floor"}}})
    b = decision_brief.compose(a, COURSE, scenario("capstone-fy28.yaml"), worked_examples())
    lines = {c["label"]: c for c in next(s for s in b.sections if s.id == "plans").data["committee"]}
    assert "phased in over 4 pay periods" in lines["Who earns less"]["text"]
    assert lines["Risk"]["level"] == "ok" and "floor" in lines["Risk"]["text"]
    # the tester's API twin saves the same structured answer, and refuses a key the committee does not ask
    data = scenario("capstone-fy28.yaml")
    sc = scenario_from_dict(data)
    w = ex.PlanTester(plan=sc.plan, options=sc.options, prefer=sc.prefer, answers=a, key="x/action-1")
    w.set_committee({"transition": "guarantee"})
    assert a.get("x/action-1")["committee"] == {"transition": "guarantee"}
    with pytest.raises(CourseError):
        w.set_committee({"transitions": "guarantee"})
