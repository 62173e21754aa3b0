"""Issue 25: a correct answer in other words is accepted, and filler never reaches done. Each rule is tested with the
reviewer's answer and two other phrasings of the same right answer, and with the filler it must refuse."""

from __future__ import annotations

import datetime as dt

import pytest

from coursekit import notebook as ex
from coursekit.answers import Answers, status_of
from coursekit.capstone.checks import decision_reason, field_problem
from coursekit.feedback import junk_reason
from tests.unit.exercise_data import OWN_ROWS

TODAY = dt.date(2026, 11, 2)
FILLER = ("we did it all", "reps to do things", "month month cap cap enterprise pays more", "cap month cap month enterprise pays")


@pytest.mark.parametrize("text", FILLER)
def test_filler_and_keyword_lists_are_junk_with_a_reason(text):
    why = junk_reason(text, 3)
    assert why and ("filler" in why or "list of keywords" in why)


@pytest.mark.parametrize("text", ["The cap resets every month, so one enterprise deal pays less than three small ones",
                                  "enterprise reps close fewer larger deals", "second-product proposals sent",
                                  "the platform share of new bookings", "the cap limits the month a large deal lands in"])
def test_sentences_in_plain_words_are_not_junk(text):
    assert junk_reason(text, 3) is None


def test_the_question_pasted_back_is_junk_but_the_hint_filled_with_own_facts_is_not():
    q = "Which of the four decisions is the hardest to get, and what in your brief makes the case for it?"
    assert "copies the question" in junk_reason("which of the four decisions is the hardest to get", 3, asked=[q])
    assert "copies the question" in junk_reason(q, 3, asked=[q])
    assert junk_reason("Confirm the two ranked priorities by 15 November", 3, asked=["e.g. confirm the two ranked priorities by 15 January"]) is None


@pytest.mark.parametrize("who", ["Ann", "Lee", "VP", "HR", "Bo", "CFO", "Ann Lee"])
def test_a_name_or_role_of_two_letters_or_more_is_an_owner(who):
    assert field_problem(who, 1, "who decides") == ""


@pytest.mark.parametrize("who", ["", "x", "zz", "e.g. CRO", "--"])
def test_no_name_is_no_owner(who):
    assert field_problem(who, 1, "who decides")


@pytest.mark.parametrize("ask", [
    "Update the capacity model to 85% mean attainment",  # the reviewer's: an imperative with a verb no list held
    "Refresh the capacity model on 85% mean attainment and a five-month ramp",
    "Please rebuild capacity on 85% mean attainment",
    "Roll out the consultative method to the enterprise team in Q1",  # the reviewer's
    "Launch consultative-selling training for enterprise reps in Q1",
    "We ask you to run the consultative method course in Q1",
    "Will comp approve measuring the year, paid monthly, and its cost?",  # the reviewer's: a yes/no question
    "Can the comp committee sign off on annual measurement by 15 January?",
    "Is the committee willing to fund a 1.3 platform rate this year?",
])
def test_any_imperative_or_yes_no_question_is_an_ask(ask):
    assert decision_reason(ask) == ""


@pytest.mark.parametrize("ask", ["we did it all", "reps to do things", "The capacity model is wrong somehow",
                                 "One decision per owner, each answerable yes or no"])
def test_filler_statements_and_the_pasted_question_are_no_ask(ask):
    assert decision_reason(ask)


def test_decisions_form_done_with_short_names_and_asks_in_other_words():
    w = ex.DecisionsForm(today=TODAY, min_months=4)
    asks = {"strategy": {"who": "VP", "ask": "Will you confirm the two ranked priorities by 15 January?"},
            "planning": {"who": "Ann", "ask": "Update the capacity model to 85% mean attainment"},
            "enablement": {"who": "Lee", "ask": "Roll out the consultative method to the enterprise team in Q1"},
            "comp": {"who": "CFO", "ask": "Will comp approve measuring the year, paid monthly?"}}
    w.set_answer({"asks": asks, "review_date": "2027-06-01", "calendar": "the VP's"})
    lines = w.check()
    assert w.done, lines
    said = [t for lvl, t in lines if lvl == "ok"]  # each ask said back as a sentence, a question quoted as asked
    assert "Strategy: VP is asked: “Will you confirm the two ranked priorities by 15 January?”" in said, said
    assert "Planning: Ann is asked to update the capacity model to 85% mean attainment." in said, said
    w.set_answer({"asks": {**asks, "planning": {"who": "Ann", "ask": "we did it all"}}, "review_date": "2027-06-01", "calendar": "the VP's"})
    text = "\n".join(t for lvl, t in w.check() if lvl == "warn")
    assert not w.done and "Planning: the ask: it is filler" in text


MODULE_2_CHAINS = {"Quota": ["Capacity model", "Revenue target", "Strategic plan"], "Accelerator": ["Capacity model", "Revenue target"],
                   "Credit multiplier": ["Segment we want more of", "Strategic priority"],
                   "Threshold": ["Minimum acceptable performance", "Quality gate"],
                   "SPIF": ["Short push on one behavior", "Strategic priority"], "Cap": ["Windfall protection", "Cost of sales budget"]}


def _note_chains(path: str) -> dict[str, list[str]]:
    """The `A → B → C` lines of a note, as the build reads them (the lines the traceability check is given)."""
    from pathlib import Path

    lines = [x[2:].split(" → ") for x in (Path(__file__).parents[2] / "content" / path).read_text().splitlines()
             if x.startswith("- ") and " → " in x]
    return {x[0]: x[1:] for x in lines}


@pytest.mark.parametrize("chains", [None, MODULE_2_CHAINS, "intelligent-sales-foundation.md", "strategy-to-comp-translation.md"])
@pytest.mark.parametrize("line", [["Capacity model", "Revenue target"],  # module 2's own model answer, the reviewer's
                                  ["capacity model", "revenue target", "strategic plan"], [" Capacity  model", "REVENUE TARGET"]])
def test_the_accelerator_traced_to_volume_is_accepted(chains, line):
    chains = _note_chains(chains) if isinstance(chains, str) else chains
    w = ex.TraceabilityChain(chains=chains)
    w.set_answer({"chains": {**w.model, "Accelerator": line}})
    assert w.verdicts(w.answer)["Accelerator"] == "traced", w.check()


def test_module_1_keeps_its_seed_line_where_more_of_means_more_volume():
    w = ex.TraceabilityChain(chains=_note_chains("intelligent-sales-foundation.md"))  # the user's seed note, unchanged
    w.set_answer({"chains": {**w.model, "Accelerator": ["Behavior we want more of", "Strategic priority"]}})
    assert w.verdicts(w.answer)["Accelerator"] == "traced"


@pytest.mark.parametrize("chains", [None, MODULE_2_CHAINS, "strategy-to-comp-translation.md"])
def test_the_accelerator_traced_to_a_priority_is_refused_as_module_3_and_the_glossary_teach(chains):
    chains = _note_chains(chains) if isinstance(chains, str) else chains
    w = ex.TraceabilityChain(chains=chains)
    for line in (["Behavior we want more of", "Strategic priority"], ["Strategic priority"]):
        w.set_answer({"chains": {**w.model, "Accelerator": line}})
        text = "\n".join(t for lvl, t in w.check() if lvl == "warn")
        assert not w.done and "cannot steer the mix toward a priority" in text and "revenue target" in text


def _module_2_pitfall_check():
    from pathlib import Path

    import yaml

    from coursekit.notes.parse import parse_note

    path = Path(__file__).parents[2] / "content" / "strategy-to-comp-translation.md"
    note, _ = parse_note(path)
    front = yaml.safe_load(path.read_text().split("---")[1])
    spec = next(e for e in front["exercises"] if e["type"] == "pitfall_check")
    pits = [{"claim": p.claim, "rebuttal": p.rebuttal} for p in note.pitfalls]
    return ex.PitfallCheck(pitfalls=pits, scenarios=spec["scenarios"]), pits


def test_module_2_kicker_scenario_accepts_the_facilitators_best_reading_and_the_second():
    w, pits = _module_2_pitfall_check()
    claims = [p["claim"] for p in pits]
    trace_later = claims.index("We can add it now and trace it later")  # the facilitator's best reading
    own_component = claims.index("Every priority needs its own component")  # the defensible second reading
    for first in (trace_later, own_component):
        w.set_answer({"picks": [first, claims.index("The quota is the strategy"), own_component]})
        lines = w.check()
        assert w.done, lines
    assert "also reads as “We can add it now and trace it later”" in lines[0][1]
    w.set_answer({"picks": [claims.index("The quota is the strategy"), claims.index("The quota is the strategy"), own_component]})
    lines = w.check()  # a reading that does not fit is still refused, with its misconception
    assert not w.done and "The misconception behind that pick" in lines[0][1]


def test_a_scenario_key_is_one_pitfall_or_a_list_best_first():
    from coursekit.exercises.pitfall_check.kind import keys

    assert keys({"pitfall": [2, 0]}) == [2, 0] and keys({"pitfall": 1}) == [1]


BEHAVIOR = "enterprise reps to keep working large deals through the month they close"


@pytest.mark.parametrize("answer", [
    {"lever": "cap", "level": 0, "cap_scope": "removed"},  # the reviewer's: remove the cap, which has no level
    {"lever": "cap", "level": "none"},  # typed in the level box
    {"lever": "cap", "level": "remove the cap"},
    {"lever": "cap", "level": "uncapped"},
])
def test_removing_the_cap_is_a_hypothesis_without_a_level(answer):
    w = ex.HypothesisBuilder(cycle_months=6)
    w.set_answer({**answer, "what": "behavior", "behavior": BEHAVIOR, "metric": "the share of bookings from deals over 500,000", "when": "at year end"})
    lines = w.check()
    assert w.done, lines
    assert w.answer["cap_scope"] == "removed" and w.sentence(w.answer).startswith("We believe removing the cap will drive enterprise reps")


def test_a_cap_still_needs_a_level_and_a_scope_unless_it_is_removed():
    w = ex.HypothesisBuilder(cycle_months=6)
    w.set_answer({"lever": "cap", "level": "", "what": "behavior", "behavior": BEHAVIOR, "metric": "the share of bookings from large deals", "when": "at year end"})
    text = "\n".join(t for lvl, t in w.check() if lvl == "warn")
    assert not w.done and "Give the lever a level" in text and "remove the cap" in text


@pytest.mark.parametrize("metric", ["second-product proposals sent",  # the reviewer's: an activity, a leading indicator
                                    "discovery calls held with enterprise buyers", "second-product demos booked each month"])
def test_an_activity_is_a_leading_metric(metric):
    w = ex.HypothesisBuilder(cycle_months=3)
    w.set_answer({"lever": "rate differential", "level": 1.3, "what": "behavior", "behavior": "account managers to propose a second product at renewal",
                  "metric": metric, "when": "after 1 quarter"})
    lines = w.check()
    assert w.done and not w.overridable, lines


@pytest.mark.parametrize("behavior", FILLER[:2])
def test_hypothesis_refuses_filler_behavior(behavior):
    w = ex.HypothesisBuilder(cycle_months=3)
    w.set_answer({"lever": "rate differential", "level": 1.3, "what": "behavior", "behavior": behavior, "metric": "the platform share of new bookings",
                  "when": "after 1 quarter"})
    text = "\n".join(t for lvl, t in w.check() if lvl == "warn")
    assert not w.done and "filler" in text


ROW = {"name": "Sell the second product", "segment": "expansion", "cycle_months": 3, "rank": 1}


@pytest.mark.parametrize("behavior", ["raise the number of second-product proposals sent",  # an activity, not an outcome
                                      "increase the number of second-product proposals sent to renewal accounts",
                                      "send a second-product proposal to every account at renewal"])
def test_an_activity_counted_is_a_behavior_not_an_outcome(behavior):
    from coursekit.capstone.checks import priorities_feedback

    lines = priorities_feedback({"priorities": [{**ROW, "what": "behavior", "behavior": behavior}]}, ["expansion"])
    assert not [t for lvl, t in lines if lvl == "warn"], lines


@pytest.mark.parametrize("behavior", ["grow expansion revenue this year", "hit the number every quarter", "reps to do things",
                                      "we did it all well"])
def test_outcomes_filler_and_the_hint_are_no_behavior(behavior):
    from coursekit.capstone.checks import priorities_feedback

    lines = priorities_feedback({"priorities": [{**ROW, "what": "behavior", "behavior": behavior}]}, ["expansion"])
    assert [t for lvl, t in lines if lvl in ("warn", "unsure")], behavior  # an outcome called a behavior: a doubt, never done


@pytest.mark.parametrize("filler", [*FILLER, "We like it this way"])
def test_filler_notes_never_reach_done_in_the_checklist_review_and_mark_done(filler, tmp_path):
    from coursekit.answers import Answers

    c = ex.Checklist(items=["one", "two"])
    c.set_answer({"ticked": [True, True], "notes": filler})
    assert not c.done and c.check() and not c.done
    r = ex.Review(Answers(tmp_path / "me.json"), key="cap/action-1")  # the review wants six words: the filler, padded with filler
    r.set_answer({"notes": filler + (" and we did all of it" if len(filler.split()) < 6 else "")})
    text = "\n".join(t for lvl, t in r.check() if lvl == "warn")
    assert not r.done and ("filler" in text or "keywords" in text or "too short" in text)
    h = ex.HypothesisBuilder()  # an unsure metric may be marked done with a reason, but not with filler
    h.set_answer({"lever": "threshold", "level": 70, "what": "behavior", "behavior": "reps to log fewer tiny deals at quarter end",
                  "metric": "happier managers overall", "when": "at year end"})
    h.check()
    assert h.overridable and not h.mark_done(filler + " really")[-1][0] == "info" and not h.done


def test_filler_contradiction_is_not_a_mapped_row():
    """Filler beside the right picks: the picks are right, the sentence is junk, the row is not mapped."""
    w = ex.ContradictionMap(rows=1)
    row = {"strategy": "Sell to enterprise accounts", "planning": "Capacity model assumes 6-month cycles",
           "enablement": "Trains multi-threading over a quarter", "comp": "Measured each month, capped at twice the month's target",
           "pulls": "strategy", "against": "comp", "component": "Cap", "pays": "later", "money": "57k"}
    w.set_answer({"rows": [{**row, "contradiction": "reps to do things and we did it all"}]})
    assert not w.done and any("filler" in t for lvl, t in w.check() if lvl == "warn")
    w.set_answer({"rows": [{**row, "contradiction": "month month cap cap enterprise pays more"}]})
    assert not w.done and any("keywords" in t for lvl, t in w.check() if lvl == "warn")
    # the learner's own sentence, in words no list foresaw, with the same picks: mapped
    w.set_answer({"rows": [{**row, "contradiction": "Half a year on one account earns what a single ordinary month brings in"}]})
    assert w.check()[0][0] == "ok" and w.done


def test_a_contradiction_map_saved_before_the_picks_loads_as_written(tmp_path):
    """An answer saved with the old word-graded rows (no picks) loads whole, shows as written, and is done once picked."""
    old_rows = [{k: v for k, v in r.items() if k in ("strategy", "planning", "enablement", "comp", "contradiction")} for r in OWN_ROWS]
    answers = Answers(tmp_path / "me.json")
    answers.set("m/action-1", {"rows": old_rows, "_kind": "contradiction_map", "_done": True, "_status": "done",
                               "_feedback": [["ok", f"Priority 1 mapped: {old_rows[0]['contradiction']}"]]})
    w = ex.ContradictionMap(answers=answers, key="m/action-1")
    assert [r["contradiction"] for r in w.answer["rows"]] == [r["contradiction"] for r in old_rows]  # nothing lost
    assert w._boxes[2]["comp"].value == old_rows[2]["comp"] and w._picks[0]["pulls"].value == ""
    assert w.status == "written" and not w.done  # shown, not a pass, until the learner picks
    lines = w.check()
    assert w.status == "written" and sum(t.startswith("Priority") and "kept as written" in t for _l, t in lines) == 3
    w.set_answer({"rows": OWN_ROWS})  # the learner picks
    w.check()
    assert w.done and status_of(answers.get("m/action-1")) == "done"
    assert answers.get("m/action-1")["rows"][0]["comp"] == old_rows[0]["comp"]


@pytest.mark.parametrize("typed", ["2x", "2x TI", "2 x target incentive", "200%", "200"])
def test_a_cap_level_written_as_the_course_writes_caps_is_200_percent(typed):
    """The glossary, the model answers and the plan files write caps as multiples of target incentive ("2x TI")."""
    from coursekit import notebook as ex

    w = ex.HypothesisBuilder(cycle_months=3)
    w._lever.value = "cap"
    w._scope.value = "year"
    w._level.value = typed
    a = w.read_inputs()
    assert a["level"] == 200.0 and "200% of target incentive" in a["level_text"], a
