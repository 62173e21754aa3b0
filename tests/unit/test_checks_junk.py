"""Checks that check: every exercise kind, driven through its API twin, refuses junk and says why,
and passes a model answer. Junk: "x" everywhere, random strings, the hints in the boxes, the worked example."""

from __future__ import annotations

import random
import re
import string
from types import SimpleNamespace

import ipywidgets
import pytest

from coursekit import notebook as ex
from coursekit.engine import plan_from_dict, strategy_from_dict
from coursekit.exercises.plan_audit.widget import CUT
from coursekit.exercises.traceability.widget import CUT as CUT_LINK
from tests.helpers import walk, warns

from .exercise_data import DRAFT, OWN_ROW, OWN_ROWS, STRATEGY, capped_tester

SEED_EXAMPLE = {"strategy": "Sell to enterprise accounts", "planning": "Territory model treats all accounts as equal revenue potential",
                "enablement": "Trains on enterprise sales cycles (6+ months)", "comp": "Pays monthly, rewarding any closed deal equally",
                "contradiction": "Reps avoid enterprise (long cycles, same commission)"}


def rand_text(rng: random.Random, words: int = 6) -> str:
    return " ".join("".join(rng.choices(string.ascii_lowercase, k=rng.randint(4, 9))) for _ in range(words))


# --- contradiction map ------------------------------------------------------------------------

@pytest.mark.parametrize("junk", ["x", "random", "hint", "worked example"])
def test_contradiction_map_refuses_junk_and_says_why(junk):
    w = ex.ContradictionMap(example=SEED_EXAMPLE)
    rng = random.Random(13)
    row = {"x": lambda f: "x", "random": lambda f: rand_text(rng), "hint": w.hint, "worked example": SEED_EXAMPLE.get}[junk]
    w.set_answer({"rows": [{f: row(f) for f in SEED_EXAMPLE}]})
    lines = w.check()
    why = {"x": "too short", "random": "random letters", "hint": "worked example", "worked example": "worked example"}[junk]
    # the hint is "e.g. <worked example>": copying it is copying the example
    assert not w.done and not w.overridable and any(why in t for t in warns(lines)), lines


def test_contradiction_map_hints_read_as_hints_and_generic_hints_are_refused():
    w = ex.ContradictionMap()  # no worked example: generic hints
    assert all(w.hint(f).startswith("e.g. ") for f in SEED_EXAMPLE)
    w.set_answer({"rows": [{f: w.hint(f) for f in SEED_EXAMPLE}]})
    assert not w.done and any("repeats the hint" in t for t in warns(w.check()))


def test_contradiction_map_names_the_row_that_falls_short():
    """Issue 25: the picks carry a row's verdict; a row with sound sentences and no picks is kept as written, not done."""
    w = ex.ContradictionMap(example=SEED_EXAMPLE)
    unpicked = {k: v for k, v in OWN_ROWS[1].items() if k in SEED_EXAMPLE}
    w.set_answer({"rows": [OWN_ROW, unpicked, {**OWN_ROWS[2], "component": ""}]})
    lines = w.check()
    assert lines[0][0] == "ok" and lines[0][1].endswith("(Strategy against Comp, on the rate: pays it about the same, for more work)")
    assert ("info", "Priority 2 kept as written: pick the two systems that disagree, the plan component and what pay does for it, "
                    "and the course can check the row.") in lines
    assert "Priority 3: pick the plan component." in warns(lines) and not w.done and not w.overridable
    w.set_answer({"rows": [OWN_ROW, unpicked, OWN_ROWS[2]]})
    w.check()
    assert w.status == "written" and not w.done  # sound sentences, unpicked: kept, never a pass
    w.set_answer({"rows": OWN_ROWS})
    w.check()
    assert w.status == "done" and w.done


def test_contradiction_map_counts_only_rows_that_pass():
    w = ex.ContradictionMap(example=SEED_EXAMPLE)
    # the learner's junk: "x" in priority 1, "asdf" in priority 2, every field flagged
    w.set_answer({"rows": [{f: "x" for f in SEED_EXAMPLE}, {f: "asdf" for f in SEED_EXAMPLE}]})
    lines = w.check()
    assert lines[-1] == ("info", "0 of 3 priorities mapped."), lines
    # one good row and one junk row: 1 mapped, not 2
    w.set_answer({"rows": [OWN_ROW, {f: "asdf" for f in SEED_EXAMPLE}]})
    assert w.check()[-1] == ("info", "1 of 3 priorities mapped.")


def test_contradiction_map_same_priority_twice_is_not_two_priorities():
    w = ex.ContradictionMap()
    w.set_answer({"rows": [OWN_ROW, dict(OWN_ROW)]})
    assert not w.done and any("repeats an earlier priority" in t for t in warns(w.check()))


def test_contradiction_map_model_answer_passes():
    w = ex.ContradictionMap(example=SEED_EXAMPLE)
    w.set_answer({"rows": OWN_ROWS})  # the course's model answer maps three priorities
    lines = w.check()  # no plan here: the money differences are checked for their sign only, and the map says so
    assert [lvl for lvl, _ in lines] == ["ok"] * 3 + ["info"] and lines[-1][1].startswith("No plan to run here") and w.done


def test_contradiction_map_one_row_of_three_needs_the_others_or_a_reason():
    w = ex.ContradictionMap(example=SEED_EXAMPLE)  # rows: 3, the default
    w.set_answer({"rows": [OWN_ROW]})
    lines = w.check()  # passed before: "Priority 1 mapped" and done with 1 of 3 rows
    assert lines[0][0] == "ok" and not w.done and w.overridable
    assert any(t.startswith("1 of 3 priorities mapped: the exercise asks for your top 3") for t in warns(lines))
    w.mark_done("Our strategy this year has only one priority: enterprise accounts")
    assert w.status == "written" and not w.done
    two = ex.ContradictionMap(rows=2)
    two.set_answer({"rows": OWN_ROWS[:2]})
    assert two.check() and two.done  # the exercise's own count is what it asks for


def test_contradiction_map_grades_picks_not_words():
    """Issue 25: no word list. An agreeing row is refused by its pick, with the misconception named; a right row in other
    words (no "cap", no "but", no system named in the sentence) is accepted; filler is refused by the junk detector."""
    w = ex.ContradictionMap(example=SEED_EXAMPLE)
    agree = {**OWN_ROWS[2], "pays": "more"}
    w.set_answer({"rows": [OWN_ROWS[0], OWN_ROWS[1], agree]})
    lines = warns(w.check())
    assert not w.done and not w.overridable
    assert any(t.startswith("Priority 3: a row where pay already does what strategy says is not a contradiction") for t in lines)
    # the same system on both sides is no contradiction either
    w.set_answer({"rows": [OWN_ROWS[0], OWN_ROWS[1], {**OWN_ROWS[2], "against": "strategy"}]})
    assert not w.done and any("Strategy is picked on both sides" in t for t in warns(w.check()))
    # agreeing pay between two other systems is not that misconception: planning against enablement can still disagree
    w.set_answer({"rows": [OWN_ROWS[0], OWN_ROWS[1], {**OWN_ROWS[2], "pulls": "planning", "against": "enablement", "pays": "more"}]})
    w.check()
    assert w.done
    # a paraphrase the old word lists refused ("a verdict, not a mechanic", "names neither side"): the picks say it
    paraphrase = {**OWN_ROWS[2], "comp": "Six months of work earn what one ordinary month earns",
                  "contradiction": "Those long deals earn the same as a single good month, so people stay away from them"}
    w.set_answer({"rows": [OWN_ROWS[0], OWN_ROWS[1], paraphrase]})
    assert w.check()[2][0] == "ok" and w.done
    # filler with the right words, and filler with the right picks: refused by the junk detector, not by a word list
    for filler in ("month month cap cap enterprise pays more", "reps to do things and we did it all"):
        w.set_answer({"rows": [OWN_ROWS[0], OWN_ROWS[1], {**OWN_ROWS[2], "contradiction": filler}]})
        assert not w.done and any(t.startswith("Priority 3: The contradiction is not an answer yet") for t in warns(w.check())), filler


# --- traceability -----------------------------------------------------------------------------

def test_traceability_junk_does_not_pass():
    w = ex.TraceabilityChain()
    w.set_answer({"chains": {c: ["x"] for c in w.components}})
    assert not w.done and all("nothing yet" in t for t in warns(w.check()))  # junk links are dropped: nothing is drawn
    rng = random.Random(5)
    for _ in range(20):  # random chains from the vocabulary itself
        w.set_answer({"chains": {c: rng.sample(w.vocabulary, rng.randint(1, 3)) for c in w.components}})
        w.check()
        assert not w.done


def test_traceability_checks_every_link_not_the_last_word():
    w = ex.TraceabilityChain()
    w.set_answer({"chains": {**w.model, "Quota": ["Quality gate"]}})  # passed before: it ends in a strategic choice
    assert not w.done and any("Quota jumps straight to “Quality gate”" in t for t in warns(w.check()))
    w.set_answer({"chains": {**w.model, "Quota": ["Capacity model", "Strategic plan"]}})
    assert any("skips Revenue target" in t for t in warns(w.check()))  # the skipped middle link is named
    w.set_answer({"chains": {**w.model, "Cap": ["Capacity model", "Revenue target"]}})  # the accelerator's line is volume now (issue 25)
    assert any("belongs to the Quota line, not to Cap" in t for t in warns(w.check()))
    w.set_answer({"chains": {**w.model, "Threshold": ["Minimum acceptable performance", "Market rate"]}})
    assert any("not a strategic reason" in t for t in warns(w.check()))


def test_traceability_caps_trace_to_a_financial_constraint_either_way():
    w = ex.TraceabilityChain()
    w.load_model_answer()
    # modules 1 and 2 print "Cap → Windfall protection → Cost of sales budget": it used to say "Windfall protection
    # does not lead to 'Cost of sales budget'"
    assert w.model["Cap"] == ["Windfall protection", "Cost of sales budget"]
    assert "Cap → Windfall protection → Cost of sales budget: traced to a financial constraint." in w.report() and w.done
    for line in (["Cost of sales budget", "Cost control"], ["Windfall protection", "Cost control"]):
        w.set_answer({"chains": {**w.model, "Cap": line}})
        assert w.check() and w.done
    assert "Cap → Windfall protection → Cost control" in w.show_solution()
    assert "financial constraints: Cost control, Cost of sales budget" in w.children[0].value  # not "strategic choices"
    w.set_answer({"chains": {**w.model, "Cap": ["Windfall protection"]}})
    assert any("finish the line to a financial constraint" in t for t in warns(w.check()))


def module_1_traceability(**kw):
    """Module 1's exercise as its sidecar plans it (content/intelligent-sales-foundation.course.yaml)."""
    from coursekit.assemble import check_course

    from ..helpers import ROOT

    _, planned, _ = check_course(ROOT / "content")
    p = next(p for p in planned["intelligent-sales-foundation"] if p.spec.type == "traceability")
    return ex.TraceabilityChain(**p.kwargs, **kw), p


def test_traceability_module_1_cuts_its_monthly_cap_and_says_why():
    """B8: tracing module 1's cap, which resets every month, passed as "traced"; its model answer cuts it."""
    w, p = module_1_traceability()
    assert "Cap" in p.kwargs["cut_because"] and "resets every month" in p.kwargs["describe"]["Cap"]  # data, from the sidecar
    labels = [c.value for c in walk(w) if isinstance(c, ipywidgets.HTML) and c.value.startswith("<b>Cap</b>")]
    assert labels == ["<b>Cap</b> <small>(2x the month&#x27;s target incentive, resets every month)</small> <b>→</b>"]
    for line in (["Windfall protection", "Cost of sales budget"], ["Windfall protection", "Cost control"]):
        w.set_answer({"chains": {**w.model, "Cap": line}})
        lines = w.check()
        assert not w.done and any(t.startswith("Cap: no line holds for this plan's cap") and
                                  "a cap that resets every month limits the month a large deal lands, not the year's pay" in t
                                  for t in warns(lines)), lines
    w.set_answer({"chains": {**w.model, "Cap": ["Strategic priority"]}})  # a line drawn wrong is named first (the browser test types it)
    assert any(t.startswith("Cap jumps straight to “Strategic priority”") and "Besides, no line holds for this plan's cap" in t
               for t in warns(w.check()))
    w.load_model_answer()  # the course's model answer: the quota traced, the monthly cap and the SPIF cut
    assert w.model["Cap"] == [CUT_LINK] and w.check() and w.done
    assert any(lvl == "ok" and t.startswith("Cap: cut, rightly: a cap that resets every month") for lvl, t in w.feedback)
    assert "- Cap: ✂ cut: a cap that resets every month" in w.show_solution()
    # the other modules keep the cap's line: module 2 traces it to the cost of sales budget
    d = ex.TraceabilityChain()
    d.set_answer({"chains": {**d.model, "Cap": ["Windfall protection", "Cost of sales budget"]}})
    assert d.check() and d.done


def test_traceability_worked_example_shows_only_components_the_exercise_does_not_ask_about():
    """S5: the demo "on components this exercise does not ask about" printed Cap and SPIF lines (the widget's default extras)."""
    w, p = module_1_traceability()
    intro, code = p.kind.worked_example(p)
    assert "does not ask about" in intro
    ns: dict = {"ex": ex}
    exec(code.replace("print(demo.report())", "report = demo.report()"), ns)  # noqa: S102 - the kind's own generated cell
    demo = ns["demo"]
    assert demo.components == ["Draw", "Clawback"] and not set(demo.components) & set(w.components)
    assert "Cap" not in ns["report"] and "SPIF" not in ns["report"] and demo.done


def test_traceability_cut_because_must_name_a_component_of_the_exercise(tmp_path):
    from coursekit.exercises import KINDS
    from coursekit.exercises.kind import PlanContext

    class Spec:
        type, action, line = "traceability", None, 3
        options = KINDS["traceability"].Options(chains={"Quota": ["Capacity model"]}, cut_because={"Capp": "why"})

    class Note:
        path = tmp_path / "n.md"

        def action(self, n):
            return None

    ctx = PlanContext(note=Note(), spec=Spec(), id="action-3", content_dir=tmp_path)
    KINDS["traceability"].plan(ctx)
    assert len(ctx.problems) == 1 and "cut_because names 'Capp'" in ctx.problems[0].problem


def test_traceability_rows_are_labelled_enter_adds_a_link_and_unknown_words_get_a_message():
    w = ex.TraceabilityChain()
    labels = [c.value for c in walk(w) if isinstance(c, ipywidgets.HTML) and c.value.startswith("<b>")]
    assert "<b>Quota →</b>" in labels
    picker = w._pickers["Quota"]
    picker.value = "capacity model"  # what Enter does with continuous_update=False: the value arrives once
    assert w.answer["chains"]["Quota"] == ["Capacity model"] and picker.value == ""
    assert "Capacity model" in w._shown_links["Quota"].value  # the row's links stay visible
    picker.value = "Revenue targt"
    assert w.answer["chains"]["Quota"] == ["Capacity model"] and "did you mean Revenue target" in w._messages["Quota"].value
    w.remove_link("Quota")
    assert w.answer["chains"]["Quota"] == []


# --- hypothesis -------------------------------------------------------------------------------

def test_hypothesis_starts_with_no_level_and_a_new_lever_clears_the_old_number():
    h = ex.HypothesisBuilder()
    assert h._level.value == "" and h.answer["level"] == 0 and "0x" not in h.sentence(h.answer)
    assert "an accelerator at … will drive" in h.sentence(h.answer) and h._level.placeholder == "e.g. 1.5x"
    h._level.value = "1.5"
    assert "an accelerator at 1.5x" in h.sentence(h.answer)
    h._lever.value = "cap"  # the learner's path: 1.5 would have become "a cap at 1.5%"
    assert h._level.value == "" and h.answer["level"] == 0 and "1.5" not in h.sentence(h.answer)
    assert h._level.description == "At (% of target)" and h._level.placeholder == "e.g. 300%"
    h._level.value = "200%"
    assert h.answer["level"] == 200 and "a cap at 200%" in h.sentence(h.answer)
    # junk still fails: text that is no number is no level
    h._level.value = "lots"
    assert h.answer["level"] == 0 and any("Give the lever a level" in t for t in warns(h.check()))
    # a saved level comes back as its number
    h.set_answer({**h.answer, "lever": "SPIF", "level": 5000})
    assert h._level.value == "5000" and "a SPIF of 5,000 per deal" in h.sentence(h.answer)


@pytest.mark.parametrize("answer, why", [
    ({"lever": "accelerator", "level": "x", "what": "behavior", "behavior": "x", "metric": "x", "when": "x"}, "too short"),
    ({"lever": "cap", "level": 1000, "what": "behavior", "behavior": "asdf", "metric": "qwer", "when": "after 1 month"}, "not a level a plan uses"),
    ({"lever": "measurement period", "level": 150, "what": "behavior", "behavior": "more platform deals", "metric": "platform share", "when": "at year end"}, "not a level"),
    ({"lever": "credit multiplier", "level": 1.5, "what": "behavior", "behavior": "e.g. which deals reps will pursue, or how",
      "metric": "e.g. a share, count or rate you can pull from the CRM", "when": "at year end"}, "repeats the hint"),
    # the worked example printed in the modules: an accelerator "at 150" is 150x the base rate
    ({"lever": "accelerator", "level": 150, "what": "behavior", "behavior": "more multi-year platform deals", "metric": "platform share of new bookings",
      "when": "after 2 quarters"}, "not a level a plan uses"),
])
def test_hypothesis_refuses_junk(answer, why):
    h = ex.HypothesisBuilder(cycle_months=3)
    h.set_answer(answer)
    assert not h.done and any(why in t for t in warns(h.check()))


def test_hypothesis_random_strings_do_not_pass():
    rng = random.Random(2)
    h = ex.HypothesisBuilder()
    h.set_answer({"lever": "SPIF", "level": 5000, "what": "behavior", "behavior": rand_text(rng), "metric": rand_text(rng), "when": "at year end"})
    assert not h.done and len([t for t in warns(h.check()) if "random letters" in t]) == 2


def test_hypothesis_window_is_at_least_one_sales_cycle_and_units_follow_the_lever():
    h = ex.HypothesisBuilder(cycle_months=6)
    good = {"lever": "credit multiplier", "level": 1.5, "what": "behavior", "behavior": "more multi-year platform deals",
            "metric": "platform share of new bookings", "when": "after 1 quarter"}
    h.set_answer(good)
    assert any("shorter than one sales cycle (6 months)" in t for t in warns(h.check()))
    h.set_answer({**good, "when": "after 2 quarters"})
    assert h.check()[0][0] == "ok" and h.done
    assert "a credit multiplier at 1.5x" in h.sentence(h.answer)
    h.set_answer({**good, "lever": "measurement period", "level": 3, "when": "after 2 quarters"})
    assert "a measurement period of 3 months" in h.sentence(h.answer) and h._level.description == "Months"


def test_hypothesis_says_measurement_period_not_pay_period():
    """B10: "We believe a pay period of 12 months will drive…": the period is measured, payment stays monthly."""
    h = ex.HypothesisBuilder()
    assert "measurement period" in h._lever.options and "pay period" not in h._lever.options
    old = {"lever": "pay period", "level": 12, "what": "behavior", "behavior": "reps to work enterprise accounts", "metric": "enterprise share of bookings",
           "when": "at year end", "level_text": "of 12 months"}  # an answer saved before the rename
    assert "pay period" not in h.sentence(old) and "a measurement period of 12 months will drive" in h.sentence(old)
    h.set_answer(old)
    assert h.answer["lever"] == "measurement period" and h.check()[0][0] == "ok"


def test_hypothesis_rate_differential_is_a_lever_beside_the_credit_multiplier():
    h = ex.HypothesisBuilder()
    levers = list(h._lever.options)
    assert levers.index("rate differential") == levers.index("credit multiplier") + 1
    h._lever.value = "rate differential"
    assert h._level.placeholder == "e.g. 1.3x" and "credits it once toward quota" in h.check()[0][1]
    h.set_answer({"lever": "rate differential", "level": 1.3, "what": "behavior", "behavior": "reps to spend most of their time on platform deals",
                  "metric": "platform share of new bookings", "when": "after 2 quarters"})
    assert h.check()[0][0] == "ok" and "a rate differential at 1.3x will drive reps to spend" in h.sentence(h.answer)
    h.set_answer({**h.answer, "level": 1})
    assert any("A rate differential of 1x pays every deal as it stands" in t for t in warns(h.check()))


def test_hypothesis_refuses_the_lever_the_module_names_wrong():
    """B10: "an accelerator at 1.5x will drive reps to sell more enterprise deals" passed; modules 1 and 3 say an accelerator
    pays for more total bookings above quota and cannot steer the mix. The wrong levers come from the module's options."""
    from coursekit.assemble import check_course

    from ..helpers import ROOT

    _, planned, _ = check_course(ROOT / "content")
    accel = {"lever": "accelerator", "level": 1.5, "what": "behavior", "behavior": "reps to sell more enterprise deals",
             "metric": "enterprise share of new bookings", "when": "at year end"}
    for slug in ("intelligent-sales-foundation", "priority-encoding-via-pay"):
        p = next(p for p in planned[slug] if p.spec.type == "hypothesis")
        h = ex.HypothesisBuilder(**p.kwargs)
        h.set_answer(accel)
        lines = warns(h.check())
        assert not h.done and not h.overridable, (slug, lines)
        assert any(t.startswith("Not an accelerator: an accelerator pays more for every dollar above quota") and "cannot" in t
                   for t in lines), (slug, lines)
    h = ex.HypothesisBuilder(cycle_months=6)  # no wrong levers given: an accelerator hypothesis is a sentence like any other
    h.set_answer(accel)
    assert h.check()[0][0] == "ok"


def test_hypothesis_wrong_levers_must_be_levers(tmp_path):
    from coursekit.exercises import KINDS
    from coursekit.exercises.kind import PlanContext

    class Spec:
        type, action, line = "hypothesis", None, 7
        options = KINDS["hypothesis"].Options(wrong_levers={"accelerater": "why"})

    class Note:
        path = tmp_path / "n.md"
        front = SimpleNamespace(exercises=[Spec()])  # this exercise only: no plan tester, so no sales cycle

    ctx = PlanContext(note=Note(), spec=Spec(), id="hypothesis", content_dir=tmp_path)
    KINDS["hypothesis"].plan(ctx)
    assert len(ctx.problems) == 1 and "wrong_levers names 'accelerater'" in ctx.problems[0].problem
    assert "did you mean `accelerator`?" in ctx.problems[0].fix


def test_hypothesis_cap_says_what_it_applies_to():
    """S1: "a cap at 200%" had no scope; a cap on each period's pay and one on the year's pay change different things."""
    h = ex.HypothesisBuilder(cycle_months=6)
    assert h._scope.layout.display == "none"
    h._lever.value = "cap"
    assert h._scope.layout.display is None  # shown for the cap only
    cap = {"lever": "cap", "level": 200, "what": "behavior", "behavior": "reps to work enterprise accounts", "metric": "enterprise share of qualified pipeline",
           "when": "after 2 quarters"}
    h.set_answer(cap)
    assert not h.done and any(t.startswith("Say what the cap applies to: each period's pay") for t in warns(h.check()))
    h.set_answer({**cap, "cap_scope": "year"})
    assert h.check()[0][0] == "ok" and h.done
    assert "a cap on the year's pay at 200% of target incentive will drive reps to work enterprise accounts" in h.sentence(h.answer)
    h.set_answer({**cap, "cap_scope": "period"})
    assert "a cap on each period's pay at 200% of target incentive" in h.sentence(h.answer)


def test_hypothesis_behavior_reads_after_will_drive():
    """N7: "will drive reps work the long deals" passed; the box asks for "reps to …"."""
    h = ex.HypothesisBuilder()
    assert h._behavior.placeholder.startswith("reps to …")
    good = {"lever": "threshold", "level": 60, "metric": "share of reps with a qualified opportunity each month", "when": "at year end"}
    h.set_answer({**good, "what": "behavior", "behavior": "reps work the long deals"})
    assert not h.done and any("“reps work the long deals” does not read after “will drive”: write what they will do as “reps to work "
                              "the long deals”" in t for t in warns(h.check()))
    for fine in ("reps to work the long deals", "new-region reps to keep working their territory", "more multi-year platform deals",
                 "account managers to open renewal talks earlier"):
        h.set_answer({**good, "what": "behavior", "behavior": fine})
        assert h.check()[0][0] == "ok", fine


def test_hypothesis_unmeasurable_metric_is_a_doubt_a_reason_can_settle():
    h = ex.HypothesisBuilder()
    h.set_answer({"lever": "threshold", "level": 70, "what": "behavior", "behavior": "fewer tiny deals at quarter end", "metric": "happier managers overall",
                  "when": "at year end"})
    assert any("may not be measurable" in t for t in warns(h.check())) and h.overridable and not h.done
    h.mark_done("Managers answer a quarterly pulse survey scored one to five")
    assert h.status == "written" and not h.done


# --- assumption check -------------------------------------------------------------------------

def test_assumption_check_not_sure_everywhere_is_not_done_and_no_asks_what_instead():
    a = ex.AssumptionCheck(assumptions=[{"text": "Reps are rational", "breaks": "the simulator misleads"}, {"text": "Pay is the loudest signal"}])
    a.set_answer({"marks": ["x", "x"], "instead": ["x", "x"]})
    assert not a.done and len([t for t in warns(a.check()) if "not sure yet" in t]) == 2
    a.set_answer({"marks": ["no", "yes"], "instead": [a._instead[0].placeholder, ""]})
    assert not a.done and any("the simulator misleads. What will you do instead?" in t for t in warns(a.check()))
    assert a._instead[0].layout.display is None and a._instead[1].layout.display == "none"  # the box shows for "no" only
    a.set_answer({"marks": ["no", "yes"], "instead": ["Interview five reps about how they choose deals", ""]})
    assert a.check()[0] == ("info", "“Reps are rational” does not hold where you work; instead you will: Interview five reps about how they choose deals")
    assert not a.done  # the "yes" says nothing of how the learner knows
    a.set_answer({"marks": ["no", "yes"], "instead": ["Interview five reps about how they choose deals", ""],
                  "evidence": ["", "I have not checked"]})
    assert not a.done and any("taken on faith" in t for t in warns(a.check()))  # the named misconception
    a.set_answer({"marks": ["no", "yes"], "instead": ["Interview five reps about how they choose deals", ""],
                  "evidence": ["", "I asked the owner"]})
    assert a.check()[1] == ("info", "“Pay is the loudest signal” holds where you work (I asked the owner): kept as you wrote it.")
    # an honest "no" with a plan, and a "yes" with where it was seen, are kept: written, never done (the course cannot check the org)
    assert not a.done and a.status == "written"
    a.set_answer({"marks": ["no", "no"], "instead": ["If it does not hold: the simulator misleads", "Pay is the loudest signal"]})
    assert not a.done and len([t for t in warns(a.check()) if "copies the question or the hint" in t or "hint in the box" in t]) == 2


# --- pitfall check ----------------------------------------------------------------------------

PITFALLS = [{"claim": "We'll fix it with training", "rebuttal": "Enablement can't override incentives.",
             "misconception": "training can override what pay rewards"},
            {"claim": "Reps should just do the right thing", "rebuttal": "They do, for their paychecks."},
            {"claim": "We need to keep it simple", "rebuttal": "Simple means clear cause and effect."}]


def test_pitfall_check_every_wrong_choice_names_its_misconception():
    p = ex.PitfallCheck(pitfalls=PITFALLS, scenarios=[{"text": "s1", "pitfall": 0}, {"text": "s2", "pitfall": 1}, {"text": "s3", "pitfall": 2}])
    p.set_answer({"picks": [1, 2, 0]})
    lines = p.check()
    assert not p.done and len(warns(lines)) == 3
    assert "The misconception behind that pick: the belief that “reps should just do the right thing”" in lines[0][1]  # derived from the claim
    assert "The misconception behind that pick: training can override what pay rewards" in lines[2][1]  # given by the course
    p.set_answer({"picks": ["x", -1, 99]})
    assert not p.done and len(warns(p.check())) == 3
    p.set_answer({"picks": [0, 1, 2]})
    assert p.check()[0][1].startswith("Scenario 1: yes, “We'll fix it with training”. Enablement") and p.done
    assert "s2 → “Reps should just do the right thing”" in p.show_solution()


# --- checklist, review ------------------------------------------------------------------------

def test_checklist_and_review_refuse_junk_notes(tmp_path):
    from coursekit.answers import Answers

    c = ex.Checklist(items=["one", "two"])
    c.set_answer({"ticked": [True, True], "notes": "x"})
    assert not c.done and any("too short" in t for t in warns(c.check()))
    c.set_answer({"ticked": [True, True], "notes": "Found two contradictions in the enterprise segment plan"})
    lines = c.check()  # steps the course cannot check: the learner's word, kept as written, never done
    assert lines[-1][0] == "info" and "kept as written" in lines[-1][1] and not c.done and c.status == "written"
    answers = Answers(tmp_path / "me.json")
    r = ex.Review(answers, key="cap/action-1")
    r.set_answer({"notes": r._notes.placeholder})
    assert not r.done and any("repeats the hint" in t for t in warns(r.check()))
    r.set_answer({"notes": "The monthly cap on enterprise deals, because it makes reps avoid the priority"})
    assert not r.done and "Map your contradictions first" in warns(r.check())[0]  # the pick comes from the learner's own maps
    answers.set("cap/map", {"_kind": "contradiction_map", "rows": [{"contradiction": "The monthly cap pays less for enterprise"}]})
    r.set_answer({"notes": "The monthly cap on enterprise deals, because it makes reps avoid the priority", "fix_first": "nothing I mapped"})
    assert not r.done and "from your own maps" in warns(r.check())[0]
    r.set_answer({"notes": "The monthly cap on enterprise deals, because it makes reps avoid the priority",
                  "fix_first": "The monthly cap pays less for enterprise"})
    assert r.check()[0] == ("ok", "Your plan fixes first: The monthly cap pays less for enterprise") and r.done
    assert Answers(tmp_path / "me.json").get("cap/action-1")["_done"] is True  # Review saves an answer and counts


# --- plan audit -------------------------------------------------------------------------------

# module 2's draft plan and strategy (DRAFT, STRATEGY) come from exercise_data: the audit checks below are tried on them


def audit_widget(**kw):
    return ex.PlanAudit(plan_from_dict(DRAFT), strategy_from_dict(STRATEGY), **kw)


def test_plan_audit_junk_does_not_pass():
    w = audit_widget()
    w.set_answer({"period": "x", "credit": {"segment.expansion": "x"}, "traces": {c: "x" for c in w._picks}, "accepted": {"x": "x"}})
    assert not w.done and any("traces to nothing" in t for t in warns(w.check()))
    rng = random.Random(3)
    for _ in range(5):
        w.set_answer({"traces": {c: rng.choice(w._picks[c].options) for c in w._picks}})
        w.check()
        assert not w.done


def test_plan_audit_can_be_completed_by_changing_the_plan():
    w = audit_widget()
    w.check()
    assert not w.done
    # measured annually (4-month cycles fit), the cap and the untraced credit cut, each remaining component traced
    w.set_answer({"period": "annual", "credit": {"segment.expansion": 1.2, "segment.new-logo": 1.5},
                  "traces": {"quota": "capacity model", "threshold": "quality gate", "tier 1": "capacity model",
                             "tier 2": "expand installed base", "cap": CUT, "credit.segment.expansion": "expand installed base",
                             "credit.segment.new-logo": "win competitive logos"}})
    assert w.check() == [("ok", "No findings: every component traces to the strategy and the plan pays for what it says it wants.")]
    assert w.done and w.audited_plan(w.answer).cap is None and w.audited_plan(w.answer).period == "annual"


def test_plan_audit_controls_show_one_per_component_and_findings_speak_of_the_widget():
    w = audit_widget()
    controls = [w._period, *w._credits.values(), *w._picks.values()]
    assert len({id(c.layout) for c in controls}) == len(controls)  # a shared Layout hid every control with the first hidden one
    shown = [c for c, pick in w._picks.items() if pick.layout.display != "none"]
    assert shown == w.plan.components()  # every component of the plan as written shows its dropdown, in order
    assert w._period.layout.display != "none" and all(s.layout.display != "none" for s in w._credits.values())
    w.set_answer({"credit": {"segment.new-logo": 1.5}})  # a credit the draft lacks: its line to trace appears
    assert w._picks["credit.segment.new-logo"].layout.display != "none" and w._picks["quota"].layout.display != "none"
    w.set_answer({"traces": {"cap": CUT}})
    assert w._picks["cap"].layout.display != "none" and w._picks["quota"].layout.display != "none"
    lines = w.check()
    untraced = [t for lvl, t in lines if "traces to nothing" in t]
    # the quota and the base rate are in every plan: their fix never offers the cut, every other one does
    assert untraced and all("traces_to" not in t and "“What each component traces to”" in t
                            and ((CUT in t) != t.startswith(("The quota ", "The base rate (tier 1) "))) for t in untraced), lines
    assert not any("traces_to" in t for _, t in lines), lines
    # completable through the controls themselves: measurement, credit, a cut and a line per component
    w._period.value = "annual"
    w._credits["segment.new-logo"].value = 1.5
    picks = {"quota": "capacity model", "threshold": "quality gate", "tier 1": "capacity model", "tier 2": "expand installed base",
             "cap": CUT, "credit.segment.expansion": "expand installed base", "credit.segment.new-logo": "win competitive logos"}
    for c, v in picks.items():
        assert w._picks[c].layout.display != "none", c
        w._picks[c].value = v
    assert w.check() == [("ok", "No findings: every component traces to the strategy and the plan pays for what it says it wants.")]
    assert w.done


def test_plan_audit_findings_can_be_accepted_with_a_written_reason(tmp_path):
    from coursekit.answers import Answers

    answers = Answers(tmp_path / "me.json")
    w = audit_widget(answers=answers, key="m/audit")
    w.set_answer({"period": "annual", "credit": {"segment.new-logo": 1.5},
                  "traces": {"quota": "capacity model", "threshold": "quality gate", "tier 1": "capacity model",
                             "tier 2": "expand installed base", "cap": "(nothing yet)", "credit.segment.expansion": "expand installed base",
                             "credit.segment.new-logo": "win competitive logos"}})
    lines = w.check()
    assert [f.component for f in w.findings] == ["cap"] and not w.done, lines
    w.accept(0, "x")
    assert not w.done and any("Your reason to accept it" in t for t in warns(w.feedback))
    lines = w.accept(0, "Finance caps every role at 2.5x target this year; we revisit it in Q3")
    assert not w.done and any("pick what keeping it rests on" in t for t in warns(lines))  # a sentence alone keeps nothing
    lines = w.accept(0, "Finance caps every role at 2.5x target this year; we revisit it in Q3", "a cost limit Finance sets", "")
    assert not w.done and any("name who owns that decision" in t for t in warns(lines))
    lines = w.accept(0, "Finance caps every role at 2.5x target this year; we revisit it in Q3", "a cost limit Finance sets", "CFO")
    assert not w.done and w.status == "written" and lines[-1][0] == "info" and "written, not done" in lines[-1][1]
    assert "resting on a cost limit Finance sets (owner: CFO), because: Finance caps" in lines[0][1]
    saved = Answers(tmp_path / "me.json").get("m/audit")
    assert saved["_done"] is False and saved["_status"] == "written"
    assert saved["accepted_basis"] == {"cap": {"rests_on": "a cost limit Finance sets", "owner": "CFO"}} or \
        list(saved["accepted_basis"].values()) == [{"rests_on": "a cost limit Finance sets", "owner": "CFO"}]


def test_plan_audit_keys_acceptance_by_the_findings_code_when_the_engine_gives_one(monkeypatch):
    from dataclasses import dataclass

    from coursekit.exercises.plan_audit import widget as plan_audit

    @dataclass(frozen=True)
    class Coded:
        kind: str
        component: str
        evidence: str
        fix: str
        code: str = "CAP001"

    monkeypatch.setattr(plan_audit, "audit", lambda plan, strategy: [Coded("x", "cap", f"cap {plan.period}", "cut it")])
    w = audit_widget()
    w.check()
    w.accept(0, "Finance caps every role at 2.5x target this year", "a cost limit Finance sets", "Ann")
    assert w.answer["accepted"] == {"CAP001:cap": "Finance caps every role at 2.5x target this year"} and w.status == "written"
    w.set_answer({**w.answer, "period": "quarterly"})  # the evidence changes, the code does not: still accepted
    w.check()
    assert w.status == "written"


# --- plan tester ------------------------------------------------------------------------------

def test_plan_tester_junk_does_not_pass_and_the_fix_does():
    w = capped_tester()
    w.set_answer({k: "x" for k in w.answer})
    # strategy and money fail on the plan as given; "x" everywhere picks no part of the 60-second test
    assert not w.done and len(warns(w.check())) == 3 and "Not yet: pick how the plan reads" in warns(w.check())[2]
    w.set_answer({**w.answer, "period": "annual", "explain": {"measure": "year", "cap": "year"},
                  "explanation": "asdf qwer zxcv tyui ghjk bnml poiu lkjh mnbv"})
    assert not w.done and len(warns(w.check())) == 1 and "random letters" in warns(w.check())[0]
    w.set_answer({**w.answer, "explanation": "Your attainment is measured over the whole year and you are paid each month "
                                             "on what you have sold so far; pay stops at a cap of twice the annual target."})
    w.check()
    assert w.done



def test_plan_audit_speaks_of_components_by_the_names_the_brief_uses_never_plan_file_keys():
    from coursekit.engine.audit import component_name

    w = audit_widget()
    w.set_answer({"credit": {"segment.new-logo": 1.5}})  # a new-logo credit the draft lacks, traced to nothing yet
    lines = [t for _, t in w.check()]
    new_logo = next(t for t in lines if "new-logo" in t)
    assert new_logo.startswith("The new-logo credit multiplier traces to nothing yet."), new_logo
    assert "pick the priority or planning assumption the new-logo credit multiplier serves" in new_logo
    # the answer traces nothing, so the cap and tier 1 are untraced findings too
    assert any(t.startswith("The cap traces to nothing yet.") and "assumption the cap serves" in t for t in lines), lines
    assert any(t.startswith("The base rate (tier 1) traces to nothing yet.") for t in lines), lines
    assert not any(re.search(r"credit\.segment\.|spif\.|(?<!the )\b(tier 1|cap) serves", t) for t in lines), lines
    # the dropdowns the fix points at carry the same names, and the brief's renderer uses the one function
    assert w._picks["credit.segment.new-logo"].description == "New-logo credit multiplier"
    assert w._picks["tier 1"].description == "Base rate (tier 1)" and w._picks["cap"].description == "Cap"
    from coursekit.brief import render as decision_brief_render

    assert decision_brief_render.component_name is component_name


def test_plan_audit_names_components_in_every_finding_not_only_untraced_ones():
    from .exercise_data import AGAINST_PLAN, AGAINST_STRATEGY

    # a renewal credit and SPIF traced to the enterprise priority: they pay against it, whatever the trace says
    w = ex.PlanAudit(plan_from_dict(AGAINST_PLAN), strategy_from_dict(AGAINST_STRATEGY))
    w.set_answer({"traces": dict(AGAINST_PLAN["traces_to"])})
    lines = [t for _, t in w.check()]
    assert any(t.startswith("The renewal credit multiplier counts renewals deals 1.5 times") and "even though you traced it to" in t
               and "Fix: set the renewal credit multiplier to 1 or below" in t for t in lines), lines
    assert any(t.startswith("The q4push SPIF pays 1,000 per deal on renewals") for t in lines), lines
    assert not any(re.search(r"credit\.segment\.|spif\.|traces_to", t) for t in lines), lines


def test_a_sentence_that_says_a_word_twice_with_a_one_letter_word_between_is_not_a_keyword_list():
    from coursekit.feedback import junk_reason

    assert junk_reason("Pays monthly with a monthly cap", 3) is None  # "a" is glue, as "the" is
    assert junk_reason("cap month cap month enterprise", 3) is not None  # the same terms, nothing between them
