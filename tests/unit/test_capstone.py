"""The capstone synthesizes: priorities form -> strategy, the learner's last tested plan (or a worked
example, said so), an options editor, a scenario of its own, and the closing decisions form."""

import datetime as dt
import json

import ipywidgets as W
import pytest

from coursekit import notebook as ex
from coursekit.answers import Answers
from coursekit.capstone import checks as capstone_checks
from coursekit.capstone import inputs as capstone
from coursekit.capstone.checks import decision_reason
from coursekit.engine import audit, load_scenario, plan_from_dict, scenario_from_dict, simulate, strategy_from_dict
from coursekit.feedback import outcome_reason
from tests.capstone_answers import COURSE, PRIORITIES, ROOT, SEGMENTS, TODAY, full_answers, scenario, worked_examples
from tests.helpers import warns


@pytest.fixture
def answers(tmp_path):
    return Answers(tmp_path / "me.json")


# --- the priorities form ------------------------------------------------------------------------

def test_priorities_form_names_each_junk_row_and_why(answers):
    w = ex.PrioritiesForm(segments=SEGMENTS, rows=5, answers=answers, key=capstone.PRIORITIES_KEY)
    assert warns(w.check()) == ["Write at least 1 priority: a name, the behavior wanted, its segment and its sales cycle."] and not w.done
    w.set_answer({"priorities": [
        {"name": "x", "behavior": "x", "segment": "new-logo", "cycle_months": 4, "rank": 1},
        {"name": "Grow the base", "behavior": "e.g. take a named account from the main competitor", "segment": "expansion", "cycle_months": 2, "rank": 2},
        {"name": "Revenue", "what": "behavior", "behavior": "Grow revenue 20% this year everywhere", "segment": "renewal", "cycle_months": 1, "rank": 3},
        {"name": "Logos", "behavior": "Take a named account from the main competitor", "segment": "", "cycle_months": 4, "rank": 3},
        {"name": "Partners", "behavior": "", "segment": "renewal", "cycle_months": 1, "rank": 5},
    ]})
    text = "\n".join(warns(w.check()))
    assert "Row 1: the priority's name ('x') says nothing" in text and "Row 1: the behavior ('x') says nothing" in text
    assert "Row 2: the behavior is the example text" in text
    assert "Row 3: you call it a behavior, but 'Grow revenue 20% this year everywhere' is an outcome" in text
    assert "Row 4: say the segment or product it applies to" in text and "Row 4: rank 3 is also row 3's" in text
    assert "Row 5: the behavior is empty." in text and "Row 5: the priority" not in text
    assert not w.done
    assert answers.get(capstone.PRIORITIES_KEY)["_kind"] == "priorities"


def test_priorities_form_flags_a_duplicate_priority(answers):
    w = ex.PrioritiesForm(segments=SEGMENTS)
    row = PRIORITIES["priorities"][0]
    w.set_answer({"priorities": [row, {**row, "name": "win  competitive LOGOS", "rank": 2}]})
    assert "Row 2: the same priority as row 1" in "\n".join(warns(w.check()))


def test_priorities_form_passes_a_good_answer_and_saves_it(answers):
    w = ex.PrioritiesForm(segments=SEGMENTS, option_cycles={"new-logo": 4, "expansion": 3}, answers=answers, key=capstone.PRIORITIES_KEY)
    w.set_answer(PRIORITIES)
    lines = w.check()
    assert w.done and not warns(lines)
    assert ("info", "Row 2: you wrote 2 months for expansion; the module's scenario assumes 3. Keep yours if your CRM says so.") in lines
    saved = answers.get(capstone.PRIORITIES_KEY)
    assert saved["_done"] and saved["priorities"][0]["name"] == "Win competitive logos" and saved["assumed_attainment"] == 85
    # reopening restores it
    again = ex.PrioritiesForm(segments=SEGMENTS, answers=answers, key=capstone.PRIORITIES_KEY)
    assert again.answer["priorities"][:2] == [{k: r[k] for k in ("name", "behavior", "what", "segment", "cycle_months", "rank")} for r in PRIORITIES["priorities"]]


@pytest.mark.parametrize("text", ["grow revenue 20%", "Increase expansion bookings", "Hit quota every quarter", "Deliver $2M in new ARR"])
def test_outcomes_are_not_behaviors(text):
    assert outcome_reason(text)


@pytest.mark.parametrize("text", ["Take a named account from the main competitor", "Grow existing mid-market customers into multi-product accounts",
                                  "Sell a second product into an existing customer"])
def test_behaviors_pass(text):
    assert outcome_reason(text) == ""


# --- the strategy it makes ----------------------------------------------------------------------

def test_strategy_from_priorities_is_accepted_by_the_engine_and_prices_the_priority():
    opts = scenario("capstone-fy28.yaml")["options"]
    data = capstone.strategy_from_priorities(PRIORITIES, opts)
    strat = strategy_from_dict(data)
    assert [p.name for p in strat.priorities] == ["Win competitive logos", "Expand installed base"]
    assert strat.priorities[0].cycle_months == 4 and strat.assumed_attainment == 0.85
    # options the priorities claim take their names, so the audit compares them with the rest
    assert [o.name for o in strat.options] == ["multi-year renewal", "Expand installed base", "Win competitive logos"]
    found = audit(plan_from_dict(scenario("capstone-fy28.yaml")["plan"]), strat)
    pays_less = [f for f in found if f.kind == "priority_pays_less"]
    assert {f.component for f in pays_less} == {"Win competitive logos", "Expand installed base"}
    # without options: still a strategy, no options
    assert "options" not in capstone.strategy_from_priorities(PRIORITIES)
    strategy_from_dict(capstone.strategy_from_priorities(PRIORITIES))


def test_strategy_from_priorities_skips_junk_and_orders_by_rank():
    rows = [{"name": "Second", "behavior": "Sell a second product", "segment": "expansion", "cycle_months": 2, "rank": 2},
            {"name": "", "behavior": "no name"}, "junk", {"name": "First", "behavior": "Take a logo", "cycle_months": "4", "rank": 1},
            {"name": "first", "behavior": "duplicate of First", "rank": 3}]
    data = capstone.strategy_from_priorities({"priorities": rows, "assumed_attainment": "lots"})
    assert [p["name"] for p in data["priorities"]] == ["First", "Second"]
    assert data["priorities"][0]["cycle_months"] == 1  # "4" as text is not a cycle: the engine's default
    assert "planning" not in data
    strategy_from_dict(data)
    for junk in (None, "x", [], {"priorities": "no"}, {"priorities": [{"name": 5}]}):
        assert capstone.strategy_from_priorities(junk) is None


# --- the capstone's inputs ----------------------------------------------------------------------

def test_capstone_inputs_from_a_full_answer_set(tmp_path):
    a = full_answers(tmp_path / "me.json")
    inp = capstone.capstone_inputs(a, COURSE, scenario("capstone-fy28.yaml"), worked_examples())
    assert inp.source == "your plan tester in module 3"  # modules 1 and 3 both checked: the later one
    # module 3's design (measured each quarter, a 50% threshold, its accelerator) on Northwind's money: OTE, pay mix
    # and quota are the company's; module 3's platform credit names no product Northwind sells and is left out
    design, company = a.get("priority-encoding-via-pay/action-1")["_plan"], scenario("capstone-fy28.yaml")["plan"]
    assert inp.design == design["name"] == "Product-neutral FY27" and inp.plan["name"] == "Northwind mid-market AE FY28 with your design"
    assert {k: inp.plan[k] for k in ("ote", "variable_share", "quota")} == {k: company[k] for k in ("ote", "variable_share", "quota")}
    assert {k: inp.plan.get(k) for k in ("period", "threshold", "tiers", "cap")} == {k: design.get(k) for k in ("period", "threshold", "tiers", "cap")}
    assert design["credit"] == {"product": {"platform": 1.5}} and inp.plan["credit"] == {}
    assert inp.strategy_source == "from your priorities in module 2, action 1 (Write each priority as a behavior)"
    assert inp.prefer == "Win competitive logos" and inp.scenario["strategy"] == {"prefer": "Win competitive logos"}
    logo = next(o for o in inp.scenario["options"] if o["name"] == "Win competitive logos")
    assert logo["deal_size"] == 110000 and logo["win_rate"] == 0.35  # as edited in the options editor
    sc = scenario_from_dict(inp.scenario)  # the plan tester can take it
    plan_from_dict(inp.plan)
    assert sc.prefer == "Win competitive logos"
    assert inp.notes == ["its design is applied to Northwind mid-market AE FY28's on-target earnings, pay mix and quota",
                         "your platform credit of 1.5x names no product of this company: left out"]
    assert inp.cycle_months == 4 and inp.options_edited
    assert inp.describe() == (
        "Strategy: from your priorities in module 2, action 1 (Write each priority as a behavior): "
        "1. Win competitive logos (new-logo, 4-month cycle); 2. Expand installed base (expansion, 2-month cycle).\n"
        "Starting plan: your plan tester in module 3 (Product-neutral FY27).\n"
        "Options: as you set them in the options editor.\n"
        "Your priorities price these options: expansion as Expand installed base; new logo as Win competitive logos.\n"
        "Note: its design is applied to Northwind mid-market AE FY28's on-target earnings, pay mix and quota.\n"
        "Note: your platform credit of 1.5x names no product of this company: left out.")


def test_capstone_inputs_say_when_module_3_was_skipped(tmp_path):
    a = Answers(tmp_path / "me.json")
    a.set(capstone.PRIORITIES_KEY, PRIORITIES)
    worked = worked_examples()
    worked.pop("enablement-to-payout-alignment")  # the course as far as module 3
    inp = capstone.capstone_inputs(a, COURSE, scenario("capstone-fy28.yaml"), worked)
    assert inp.source == "the model answer of module 3's plan tester, which you skipped"
    # module 3's model answer: its tester's scenario plan with the model fix (here platform deals credited 1.5 times)
    assert inp.design == "Product-neutral FY27" and inp.plan["credit"] == {}  # no platform at Northwind: said in a note
    assert "your platform credit of 1.5x names no product of this company: left out" in inp.notes


def test_capstone_inputs_take_module_1_when_module_3_was_skipped_but_1_was_checked(tmp_path):
    a = full_answers(tmp_path / "me.json", skip_module_3=True)
    inp = capstone.capstone_inputs(a, COURSE, scenario("capstone-fy28.yaml"), worked_examples())
    assert inp.source == "your plan tester in module 1" and inp.plan["period"] == "annual"


def test_capstone_inputs_from_nothing_start_from_the_scenario(tmp_path):
    inp = capstone.capstone_inputs(Answers(tmp_path / "me.json"), COURSE, scenario("capstone-fy28.yaml"))
    assert inp.source == "the capstone scenario's own plan" and inp.strategy is None
    assert inp.strategy_source == "you have no priorities yet: write them in module 2, action 1 (Write each priority as a behavior)"
    assert inp.prefer == "new logo" and inp.cycle_months == 4 and not inp.options_edited
    assert inp.describe().endswith("Options: the scenario's own numbers; set yours in the options editor.")


def test_capstone_inputs_survive_a_junk_answers_file(tmp_path):
    path = tmp_path / "me.json"
    junk = {capstone.PRIORITIES_KEY: {"priorities": [{"name": ["x"], "behavior": {"a": 1}}, 7, None]},
            "intelligent-sales-foundation/action-2": {"_plan": {"ote": "lots", "quota": -1}, "accelerator": 2},
            "priority-encoding-via-pay/action-1": {"_plan": [1, 2], "accelerator": "x"},
            "enablement-to-payout-alignment/action-2": "not a dict",
            capstone.OPTIONS_KEY: {"options": [{"name": "new logo", "deal_size": -5, "win_rate": "high", "cycle_months": 0.5}, "x"]},
            "alignment-capstone/action-2": {"_plan": None}, 7: "numeric key"}
    path.write_text(json.dumps({"version": 1, "answers": {str(k): v for k, v in junk.items()}}))
    a = Answers(path)
    inp = capstone.capstone_inputs(a, COURSE, scenario("capstone-fy28.yaml"), worked_examples())
    assert inp.source == "the model answer of module 4's plan tester, which you skipped"
    assert inp.strategy is None and "the priorities saved in module 2, action 1" in inp.notes[-1]
    assert "the plan saved in module 1 could not be read; it was skipped" in inp.notes
    assert scenario_from_dict(inp.scenario).options == load_scenario(ROOT / "content/scenarios/capstone-fy28.yaml").options

    class Broken:
        def keys(self):
            raise OSError("disk gone")

        def get(self, key):
            raise OSError("disk gone")

    assert capstone.capstone_inputs(Broken(), COURSE, scenario("capstone-fy28.yaml")).source == "the capstone scenario's own plan"
    # a corrupt file is set aside by Answers and the capstone starts fresh
    path.write_bytes(b"\x00\xff not json")
    assert capstone.capstone_inputs(Answers(path), COURSE, scenario("capstone-fy28.yaml")).strategy is None


def test_a_plan_audit_answer_is_not_a_tested_plan():
    plan = scenario("capstone-fy28.yaml")["plan"]
    assert capstone.tested_plan({"_plan": plan, "accelerator": 1.0, "period": "annual"}) == plan
    assert capstone.tested_plan({"_plan": plan, "traces": {}}) is None
    assert capstone.tested_plan({"_plan": plan, "_kind": "plan_audit"}) is None


# --- its own scenario ---------------------------------------------------------------------------

def test_the_capstone_scenario_is_its_own_and_the_strategy_loses_under_its_plan():
    sc = load_scenario(ROOT / "content/scenarios/capstone-fy28.yaml")
    m1 = load_scenario(ROOT / "src/coursekit/data/scenarios/enterprise-vs-smb.yaml")
    assert {o.name for o in sc.options}.isdisjoint({o.name for o in m1.options}) and len(sc.options) == 3
    assert sc.plan.quota != m1.plan.quota and sc.prefer == "new logo"
    r = simulate(sc)
    pay = {o.name: o.payout for o in r.options}
    # hand calculation (YAML comment): renewals ~127,125 a year on the expected path; new logos ~74,250
    assert r.rep_choice == "multi-year renewal" and not r.aligned
    assert abs(pay["multi-year renewal"] - 127_125) < 0.02 * 127_125
    assert pay["new logo"] < 0.65 * pay["multi-year renewal"]


# --- the options editor -------------------------------------------------------------------------

def test_options_editor_makes_a_scenario_the_plan_tester_takes(answers):
    w = ex.ScenarioEditor(scenario("capstone-fy28.yaml"), answers=answers, key=capstone.OPTIONS_KEY)
    lines = w.check()  # the scenario's own numbers, untouched: nobody's CRM, so not done (and not written)
    assert not w.done and w.status == "" and any("still the scenario's own numbers" in t for lvl, t in lines if lvl == "warn")
    assert any("These are the scenario's numbers" in t for _, t in lines)
    # 8 worked x 30% won x 120,000, every 4 months -> 3 cycles: 864,000 a year
    assert "new logo: 8 deals of 120,000 every 4 months, 30% won: 864,000 a year expected." in [t for _, t in lines]
    w.set_answer({"options": [{"name": "new logo", "deal_size": 90000, "cycle_months": 3, "deals_per_cycle": 10, "win_rate": 0.25}]})
    lines = w.check()
    # 10 x 25% x 90,000 every 3 months -> 4 cycles: 900,000
    assert "new logo: 10 deals of 90,000 every 3 months, 25% won: 900,000 a year expected." in [t for _, t in lines]
    assert not any("scenario's numbers" in t for _, t in lines)
    assert w.status == "written" and not w.done  # the learner's CRM numbers: usable, not checkable as true
    opts = {o.name: o for o in w.options()}
    assert opts["new logo"].deal_size == 90000 and opts["new logo"].cycle_months == 3 and opts["new logo"].win_rate == 0.25
    assert w.scenario()["plan"] == scenario("capstone-fy28.yaml")["plan"]
    t = ex.PlanTester(plan=scenario_from_dict(w.scenario()).plan, options=w.options(), prefer="new logo")
    assert len(t.tests()) >= 3
    saved = answers.get(capstone.OPTIONS_KEY)
    assert saved["_kind"] == "scenario_editor" and saved["options"][2]["deal_size"] == 90000


def test_options_editor_flags_what_closes_nothing():
    w = ex.ScenarioEditor(scenario("capstone-fy28.yaml"))
    w.set_answer({"options": [{"name": "new logo", "cycle_months": 18}, {"name": "expansion", "win_rate": 0}]})
    text = "\n".join(warns(w.check()))
    assert "new logo: a 18-month cycle closes no deal within the 12-month plan year" in text
    assert "expansion: with a win rate of 0" in text and not w.done


def test_options_editor_shows_the_learners_priority_names_beside_the_scenarios():
    from tests.helpers import walk

    renamed = {"new logo": "win competitive logos", "expansion": "grow installed base"}  # CapstoneInputs.renamed
    w = ex.ScenarioEditor(scenario("capstone-fy28.yaml"), renamed=renamed)
    labels = " ".join(x.value for x in walk(w) if isinstance(x, W.HTML))
    assert "new logo — win competitive logos" in labels and "expansion — grow installed base" in labels
    assert "multi-year renewal" in labels and "multi-year renewal —" not in labels  # no priority claims it: one name
    # the options the tester gets carry the priority names by default, as the tester and the brief call them
    assert {o.name for o in w.options()} == {"multi-year renewal", "win competitive logos", "grow installed base"}
    assert [o.name for o in w.options({})] == w.option_names  # an explicit mapping still wins


def test_options_editor_ignores_junk_in_a_saved_answer(tmp_path):
    a = Answers(tmp_path / "me.json")
    a.set(capstone.OPTIONS_KEY, {"options": [{"name": "new logo", "deal_size": "big", "win_rate": 7, "cycle_months": None}, 3]})
    w = ex.ScenarioEditor(scenario("capstone-fy28.yaml"), answers=a, key=capstone.OPTIONS_KEY)
    assert w.options() == load_scenario(ROOT / "content/scenarios/capstone-fy28.yaml").options


# --- the closing decisions ----------------------------------------------------------------------

DISTINCT = {"strategy": "Confirm the two ranked priorities", "planning": "Build capacity on 85% mean attainment",
            "enablement": "Teach the consultative method in Q1", "comp": "Approve the change and its cost"}


def test_decisions_form_wants_a_verb_an_owner_and_a_review_after_one_cycle(answers):
    w = ex.DecisionsForm(today=TODAY, min_months=4, answers=answers, key=capstone.DECISIONS_KEY)
    w.set_answer({"asks": {"strategy": {"who": "x", "ask": "x"}, "planning": {"who": "VP RevOps", "ask": "The capacity model is wrong somehow"},
                           "comp": {"who": "Comp committee", "ask": "Approve the annual cap and its cost"}},
                  "review_date": "2027-11-15", "calendar": ""})
    text = "\n".join(warns(w.check()))
    assert "Strategy: who decides ('x') says nothing" in text
    assert "Planning: 'The capacity model is wrong somehow' says what is, not what you ask of them" in text
    assert "Enablement: who decides is empty" in text and "Comp:" not in text
    # 2027-10-01 + 4 months = 2028-02-01: a look on 2027-11-15 comes before one cycle has run
    assert "before one full sales cycle (4 months) has run" in text and "on or after 2028-02-01" in text
    assert "on whose calendar" in text
    w.set_answer({"asks": {k: {"who": "CFO", "ask": "Approve the plan please now"} for k in ("strategy", "planning", "enablement", "comp")},
                  "review_date": "2028-02-01", "calendar": "the CFO's"})
    assert not w.done and "Strategy and Planning and Enablement and Comp are asked the same thing" in warns(w.check())[0]
    w.set_answer({"asks": {k: {"who": "CFO", "ask": DISTINCT[k]} for k in ("strategy", "planning", "enablement", "comp")},
                  "review_date": "2028-02-01", "calendar": "the CFO's"})
    lines = w.check()
    assert not warns(lines) and w.done
    assert lines[-1] == ("info", "On Monday: export the brief and send it to CFO, asking for thirty minutes together before next year's "
                                 "targets and budget are set (the start of the planning calendar, before quotas are allocated). "
                                 "Put the review on the CFO's calendar for 2028-02-01.")
    assert answers.get(capstone.DECISIONS_KEY)["review_date"] == "2028-02-01"
    w.set_answer({**w.answer, "review_date": "2027-09-30"})
    assert "is not in the future" in "\n".join(warns(w.check()))


def test_decisions_form_refuses_capacity_built_on_every_rep_at_quota():
    """S11: the Planning ask "Build capacity assuming every rep reaches 100% of quota" passed; module 2 names it a sales force
    that does not exist (60-70% of reps reach quota in a healthy plan). The same check as the priorities form's assumed attainment."""
    w = ex.DecisionsForm(today=TODAY, min_months=4)
    asks = {k: {"who": "CFO", "ask": DISTINCT[k]} for k in ("strategy", "enablement", "comp")}
    good = {"review_date": "2028-02-01", "calendar": "the CFO's"}
    for ask in ("Build capacity assuming every rep reaches 100% of quota", "Build capacity on 100% attainment",
                "Build capacity assuming all reps hit quota"):
        w.set_answer({"asks": {**asks, "planning": {"who": "VP RevOps", "ask": ask}}, **good})
        text = "\n".join(warns(w.check()))
        assert not w.done and not w.overridable, ask
        assert f"Planning: {ask!r} plans on" in text and "a sales force that does not exist" in text and "60-70% of reps reach quota" in text
    w.set_answer({"asks": {**asks, "planning": {"who": "VP RevOps", "ask": "Build capacity on 85% mean attainment and a five-month ramp"}}, **good})
    assert not warns(w.check()) and w.done
    # the priorities form reads the same check off its number: 100% is flagged, 85% is not
    segs = ["enterprise"]
    row = {"name": "Win enterprise", "what": "behavior", "behavior": "Run a discovery call with three stakeholders", "segment": "enterprise", "cycle_months": 6, "rank": 1}
    for att, flagged in ((100, True), (85, False)):
        lines = capstone_checks.priorities_feedback({"priorities": [row], "assumed_attainment": att}, segs)
        assert any("60-70% of reps reach quota" in t for _, t in lines) == flagged


def test_a_review_before_the_plan_starts_or_inside_its_first_cycle_is_rejected(tmp_path):
    # the capstone scenario's plan year starts 2028-01 (FY28); the top priority's cycle is 4 months:
    # the first day the review can read the metric is 2028-01-01 + 4 months = 2028-05-01
    inputs = capstone.capstone_inputs(full_answers(tmp_path / "me.json"), COURSE, scenario("capstone-fy28.yaml"), worked_examples())
    assert (inputs.plan_start, inputs.cycle_months) == (dt.date(2028, 1, 1), 4)
    w = ex.DecisionsForm(today=TODAY, min_months=inputs.cycle_months, plan_start=inputs.plan_start)
    asks = {k: {"who": "CFO", "ask": DISTINCT[k]} for k in ("strategy", "planning", "enablement", "comp")}
    w.set_answer({"asks": asks, "review_date": "2027-09-30", "calendar": "the CFO's"})
    assert "is not in the future" in "\n".join(warns(w.check()))  # TODAY is 2027-10-01
    w.set_answer({"asks": asks, "review_date": "2027-12-15", "calendar": "the CFO's"})  # in the future, before FY28 starts
    text = "\n".join(warns(w.check()))
    assert "before the plan starts (2028-01-01)" in text and "on or after 2028-05-01" in text and not w.done
    # 2028-04-15 is four months from today (2027-10-01 + 4 = 2028-02-01) but not one cycle into the plan year
    w.set_answer({"asks": asks, "review_date": "2028-04-15", "calendar": "the CFO's"})
    text = "\n".join(warns(w.check()))
    assert "before one full sales cycle (4 months) of the plan (it starts 2028-01-01) has run" in text and not w.done
    w.set_answer({"asks": asks, "review_date": "2028-05-01", "calendar": "the CFO's"})
    assert not warns(w.check()) and w.done


def test_decision_reason():
    assert decision_reason("Approve the annual cap at 2x target") == ""
    assert decision_reason("x") and decision_reason("") and decision_reason("We should think about pay")
    assert decision_reason(dt.date(2027, 1, 1))  # not text at all


def test_a_rate_fix_prices_the_preferred_option_without_crediting_quota():
    # module 3's model fix: a 1.3 rate on platform (pay only). Hand calculation, quarterly, BCR 10%:
    # one 180,000 platform deal a quarter = 80% of the 225,000 quarter -> 18,000; x 1.3 = 23,400 -> 93,600 a year,
    # attainment still 80% (a 1.3 credit would show 104% and pay 95,400).
    from coursekit.exercises.scenario_editor.kind import fix_words

    data = scenario("platform-vs-point.yaml")
    plan = capstone.worked_example_plan(data, {"rate": 1.3})
    assert plan["pay_multiplier"] == {"product": {"platform": 1.3}} and "credit" not in plan
    r = simulate(scenario_from_dict({**data, "plan": plan}, "rate fix"))
    platform = next(o for o in r.options if o.name == "platform")
    assert (platform.payout, r.rep_choice) == (93600, "platform")
    assert fix_words({"rate": 1.3}) == "a 1.3x rate on the strategy's option (pay only)"
