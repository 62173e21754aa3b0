"""A learner's answers through the whole course, written by the real widgets (shared by the capstone and brief tests)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from coursekit import notebook as ex
from coursekit.answers import Answers
from coursekit.capstone import inputs as capstone
from coursekit.engine import plan_from_dict, scenario_from_dict

ROOT = Path(__file__).resolve().parents[1]
COURSE = [
    {"slug": "intelligent-sales-foundation", "title": "Intelligent Sales Foundation",
     "actions": {1: "Map the contradictions in your organization", 2: "Test the plan against the strategy"}},
    {"slug": "strategy-to-comp-translation", "title": "Strategy to Comp Translation", "actions": {1: "Write each priority as a behavior"}},
    {"slug": "priority-encoding-via-pay", "title": "Priority Encoding via Pay", "actions": {1: "Price the priority"}},
    {"slug": "enablement-to-payout-alignment", "title": "Enablement to Payout Alignment", "actions": {2: "Match the period to the cycle"}},
    {"slug": "alignment-capstone", "title": "Capstone: Your Alignment Plan",
     "actions": {1: "Review your answers", 2: "Design your plan", 3: "Audit your plan", 4: "State the hypothesis",
                 5: "Export and share your brief"}},
]
# the Alignment brief's six section headings, in course order
HEADINGS = ["Priorities", "Contradictions found", "Current and proposed plan", "Audit findings still open",
            "Hypothesis and review date", "Decisions asked of each owner"]
SEGMENTS = ["renewal", "expansion", "new-logo"]
REVIEW = "2028-06-30"  # the end of FY28's second quarter: after one 4-month new-logo cycle of a plan starting 2028-01
TODAY = dt.date(2027, 10, 1)
PRIORITIES = {"priorities": [
    {"name": "Win competitive logos", "what": "behavior", "behavior": "Take a named account from the main competitor", "segment": "new-logo",
     "cycle_months": 4, "rank": 1},
    {"name": "Expand installed base", "what": "behavior", "behavior": "Sell a second product into an existing mid-market customer",
     "segment": "expansion", "cycle_months": 2, "rank": 2}],
    "assumed_attainment": 85}
ASKS = {"strategy": {"who": "CRO", "ask": "Confirm the two ranked priorities by 15 November"},
        "planning": {"who": "VP RevOps", "ask": "Build capacity on 85% mean attainment and a five-month ramp"},
        "enablement": {"who": "Head of Enablement", "ask": "Teach competitive displacement to the mid-market team in Q1"},
        "comp": {"who": "Comp committee", "ask": "Approve annual measurement paid monthly and its cost"}}


def scenario(name: str) -> dict:
    path = ROOT / "content" / "scenarios" / name
    if not path.is_file():
        path = ROOT / "src" / "coursekit" / "data" / "scenarios" / name
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def worked_examples() -> dict:
    """The plan-tester modules' worked-example plans, as the notebooks' worked examples change them."""
    return {"intelligent-sales-foundation": capstone.worked_example_plan(scenario("enterprise-vs-smb.yaml"), {"period": "annual"}),
            "priority-encoding-via-pay": capstone.worked_example_plan(scenario("platform-vs-point.yaml"), {"credit": 1.5}),
            "enablement-to-payout-alignment": capstone.worked_example_plan(scenario("consultative-vs-fast.yaml"), {"period": "quarterly"})}


def tester(answers: Answers, key: str, data: dict, **change) -> ex.PlanTester:
    sc = scenario_from_dict(data)
    t = ex.PlanTester(plan=sc.plan, options=sc.options, prefer=sc.prefer, answers=answers, key=key)
    t.set_answer({**t.answer, **change})
    t.check()
    return t


def full_answers(path: Path, *, skip_module_3: bool = False) -> Answers:
    """Every module done: the map, two plan testers, priorities, options, the capstone's tester, hypothesis and decisions."""
    a = Answers(path)
    cm = ex.ContradictionMap(answers=a, key="intelligent-sales-foundation/action-1")
    cm.set_answer({"rows": [{"strategy": "Sell to enterprise accounts", "planning": "Capacity model assumes 6-month cycles",
                             "enablement": "Trains multi-threading over a quarter", "comp": "Pays monthly with a monthly cap",
                             "contradiction": "The month's cap punishes the enterprise deal the strategy wants"}]})
    cm.check()
    tester(a, "intelligent-sales-foundation/action-2", scenario("enterprise-vs-smb.yaml"), period="annual")
    pf = ex.PrioritiesForm(segments=SEGMENTS, answers=a, key=capstone.PRIORITIES_KEY)
    pf.set_answer(PRIORITIES)
    pf.check()
    if not skip_module_3:
        tester(a, "priority-encoding-via-pay/action-1", scenario("platform-vs-point.yaml"), credit=1.5)
    ed = ex.ScenarioEditor(scenario("capstone-fy28.yaml"), answers=a, key=capstone.OPTIONS_KEY)
    ed.set_answer({"options": [{"name": "new logo", "deal_size": 110000, "win_rate": 0.35}]})
    ed.check()
    t5 = capstone_tester(a)
    inputs = capstone.capstone_inputs(a, COURSE, scenario("capstone-fy28.yaml"), worked_examples())
    t5.set_answer({**t5.answer, "period": "annual", "credit": 1.25})
    t5.set_committee({"risk": {"risk": "reason", "reason": "A bad year is three wins or fewer of eight at a 35% win rate; "
                                                     "the CRO accepts that for FY28 and reviews it at mid-year with the win-rate report."}})
    t5.check()
    h = ex.HypothesisBuilder(answers=a, key="alignment-capstone/action-4")
    h.set_answer({"lever": "credit multiplier", "level": 1.25, "what": "behavior", "behavior": "more competitive new logos",
                  "metric": "new-logo share of qualified pipeline", "when": "after 2 quarters"})
    h.check()
    d = ex.DecisionsForm(today=TODAY, min_months=inputs.cycle_months, plan_start=inputs.plan_start, answers=a, key=capstone.DECISIONS_KEY)
    d.set_answer({"asks": ASKS, "review_date": REVIEW, "calendar": "the CRO's"})
    assert not [t for level, t in d.check() if level == "warn"] and d.done  # the review date is one cycle into FY28
    return a


def capstone_tester(a: Answers) -> ex.PlanTester:
    """The capstone's plan tester as its notebook opens it on the answers ``a`` (the saved plan loaded, nothing written)."""
    inputs = capstone.capstone_inputs(a, COURSE, scenario("capstone-fy28.yaml"), worked_examples())
    sc = scenario_from_dict(inputs.scenario)
    return ex.PlanTester(plan=plan_from_dict(inputs.plan), options=sc.options, prefer=inputs.prefer, answers=a,
                         key="alignment-capstone/action-2-2")
