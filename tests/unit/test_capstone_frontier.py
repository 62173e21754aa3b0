"""The capstone's facilitator model answer quotes what the capstone's tester prints for the cheapest plan that works
(engine.frontier) and its refusal of a dearer change, on the path the built notebook shows with no answers saved:
module 4's model answer applied to Northwind, "Can we afford it?" against Northwind's plan of today."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from coursekit.answers import Answers
from coursekit.capstone import inputs as capstone
from coursekit.engine import plan_from_dict, scenario_from_dict
from coursekit.exercises.plan_tester.widget import PlanTester
from tests.capstone_answers import COURSE, ROOT, scenario, worked_examples

TEXT = (ROOT / "content" / "alignment-capstone.course.yaml").read_text()


@pytest.fixture(scope="module")
def tester():
    inp = capstone.capstone_inputs(Answers(Path(tempfile.mkdtemp()) / "me.json"), COURSE, scenario("capstone-fy28.yaml"),
                                   worked_examples())
    sc = scenario_from_dict(inp.scenario)
    # as the capstone's setup cell builds it (exercises.plan_tester.kind.setup_source)
    return PlanTester(plan_from_dict(inp.plan), sc.options, inp.prefer or sc.prefer, baseline=sc.plan, committee_tests=True)


def _lines(t: PlanTester, change: dict) -> str:
    t.set_answer({**t._base_answer, **change})
    return "\n".join(f"{level} {text}" for level, text in t.tests())


def test_the_model_answer_quotes_the_cheapest_plan_and_the_single_changes_the_tester_prints(tester):
    out = _lines(tester, {"rate": 1.35})
    said = ("the cap applied per year with a new-logo rate of 1.2, at 9.15 per 100", "a credit of 1.15 at 9.23", "a rate of 1.35 at 9.71",
            "the rep's own best year puts 90% on new logos)")
    for phrase in said:
        assert phrase in TEXT
    assert "cap per year; new-logo rate 1.2x (was 1x), at 9.15 per 100" in out
    assert "new-logo credit 1.15x (was 1x) (9.23 per 100)" in out and "new-logo rate 1.35x (was 1x) (9.71 per 100)" in out
    # "Can we afford it?" is the committee's budget, one figure (issue 24): the population's 10.2 the model answer quotes
    assert "Can we afford it? No: the budget (the population's incentive per 100 of bookings) is 10.2 under the proposal" in out
    assert "the population's incentive is 10.2 per 100 of bookings" in TEXT and "the rep's choice pays" not in out


def test_a_credit_of_3_is_refused_in_the_capstone_at_the_cost_the_model_answer_quotes(tester):
    out = _lines(tester, {"credit": 3.0})
    assert "at 13.77 per 100" in TEXT and "reports 239%" in TEXT
    assert "warn Is it the cheapest change that works? No: yours costs 13.77 per 100" in out
    assert "reads 239%" in out
    assert "warn Would a rep following this plan execute our strategy?" not in out  # it works (the risk aside)
