"""The capstone tester's committee questions answered in its controls, as a learner would: the bad-year risk, the
transition for reps paid less, who covers each option reps move off; saved with the plan and shown again on restart."""
import pytest

from coursekit.answers import Answers
from coursekit.capstone.inputs import capstone_inputs
from coursekit.engine import scenario_from_dict
from coursekit.engine.plan import plan_from_dict
from coursekit.exercises.plan_tester.widget import PlanTester
from tests.capstone_answers import COURSE, full_answers, scenario, worked_examples


@pytest.fixture(scope="module")
def sc(tmp_path_factory):
    """The capstone's design inputs after a full set of earlier answers (the plan the capstone's tester starts from)."""
    a = full_answers(tmp_path_factory.mktemp("full") / "me.json")
    inputs = capstone_inputs(a, COURSE, scenario("capstone-fy28.yaml"), worked_examples())
    s = scenario_from_dict(inputs.scenario)
    return type("Case", (), {"plan": plan_from_dict(inputs.plan), "options": s.options, "prefer": inputs.prefer, "in_force": s.plan})


def _tester(sc, path):
    return PlanTester(sc.plan, sc.options, sc.prefer, committee_tests=True, baseline=sc.in_force, answers=Answers(path),
                      key="alignment-capstone/action-2-2")  # as the capstone's notebook makes it


def test_the_risk_answered_in_the_controls_turns_the_strategy_test_to_yes_and_survives_a_restart(sc, tmp_path):
    t = _tester(sc, tmp_path / "me.json")
    t.set_answer({**t.answer, "credit": 1.25, "period": "annual"})
    first = t.tests()[0]
    assert first[0] == "unsure" and "bad year (P10)" in first[1]  # the committee asks instead of Yes
    t._cw["risk"].value = "reason"
    for filler in ("we did it all", "risk risk bad year year accept", "Add a floor or a draw, or write why not."):
        t._cw["risk_reason"].value = filler  # filler, a keyword list, the question pasted back: still asked
        assert t.tests()[0][0] == "unsure", filler
    t._cw["risk_reason"].value = "The CRO accepts three wins or fewer of eight for FY28 and reviews it at mid-year."
    assert t.committee["risk"]["risk"] == "reason" and t.tests()[0][0] == "ok"
    t._cw["transition"].value = "phase-down"
    t._cw["periods"].value = 4
    other = next(o.name for o in sc.options if o.name != sc.prefer)
    t._cw[f"cover:{other}"].value = "a team"
    t._cw[f"name:{other}"].value = "the customer success team"
    assert t.committee["transition"] == "phase-down" and t.committee["periods"] == 4
    assert t.committee["coverage"][other] == {"who": "a team", "name": "the customer success team"}
    t.check()
    shown = t._committee_out.value  # the committee's tests with these answers, under the controls
    assert "Who earns less" in shown and "phased in over 4 pay periods" in shown and "Risk" in shown
    assert f"{other}: " in shown and "covered by the customer success team (a team)" in shown
    labels = [label for label, _level, _text in t.committee_report()]
    assert labels[:3] == ["Can we afford it (the budget)", "Pays target at planned attainment", "Who earns less"]
    again = _tester(sc, tmp_path / "me.json")  # a restart: the controls show what was saved
    assert again._cw["risk"].value == "reason" and again._cw["transition"].value == "phase-down" and again._cw["periods"].value == 4
    assert again._cw[f"cover:{other}"].value == "a team" and again._cw[f"name:{other}"].value == "the customer success team"


def test_no_committee_controls_outside_the_capstone(sc):
    t = PlanTester(sc.plan, sc.options, sc.prefer)
    assert t._cw == {}
