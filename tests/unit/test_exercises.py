import json
import re
import shutil

import pytest

from coursekit import notebook as ex
from coursekit.answers import Answers
from coursekit.assemble import check_course
from coursekit.engine import scenario_from_dict
from coursekit.errors import CourseError
from tests.helpers import ROOT, walk
from tests.unit.exercise_data import OWN_ROWS

EXAMPLE = {"strategy": "Sell to enterprise", "planning": "All accounts equal", "enablement": "6+ month cycles",
           "comp": "Pays monthly", "contradiction": "Reps avoid enterprise"}
OWN = {"strategy": "Grow the platform business", "planning": "Quota assumes flat growth in every product",
       "enablement": "Teaches platform demos to every rep", "comp": "Same commission rate for every product",
       "contradiction": "Strategy wants platform deals but comp pays point deals the same",
       "pulls": "strategy", "against": "comp", "component": "Rate", "pays": "same"}


@pytest.fixture
def answers(tmp_path):
    return Answers(tmp_path / "me.json")


def levels(lines):
    return [lvl for lvl, _ in lines]


def test_contradiction_map_flags_blanks_and_missing_contradiction(answers):
    w = ex.ContradictionMap(example=EXAMPLE, answers=answers, key="m/action-1")
    assert levels(w.check()) == ["warn"]  # nothing mapped
    w.set_answer({"rows": [{"strategy": "Grow platform", "comp": "Any deal counts"}]})
    text = w.report()
    assert "Planning, Enablement left blank" in text and "no contradiction named" in text
    w.load_example()  # the worked example is a start, not an answer (it used to pass)
    assert w.check()[0] == ("warn", "Priority 1 is the worked example: map a priority of your own organization.") and not w.done
    w.set_answer({"rows": [OWN, *({k: v for k, v in r.items() if k != "money"} for r in OWN_ROWS[1:])], "money": "12k"})
    # the picks carry the verdict; the learner's sentence is shown back as written; the money difference is the map's, once
    lines = w.check()
    assert lines[0] == ("ok", f"Priority 1 mapped: {OWN['contradiction']} (Strategy against Comp, on the rate: "
                              "pays it about the same, for more work)") and w.done
    assert [t for _, t in lines if "12,000" in t] == [] and w.to_frame().attrs["money"] == "12k"  # no plan: no case to name
    assert list(w.to_frame().columns)[0] == "Strategy says" and w.to_frame().loc["Priority 1", "Against"] == "Comp"
    assert answers.get("m/action-1")["rows"][0]["comp"] == OWN["comp"]
    assert answers.get("m/action-1")["_kind"] == "contradiction_map"


def test_feedback_html_escapes_learner_text():
    w = ex.ContradictionMap(example=EXAMPLE)
    w.set_answer({"rows": [{**OWN, "contradiction": "Strategy wants platform deals but comp pays <script>alert(1)</script> the same"}]})
    w.check()
    assert "<script>" not in w._feedback.value and "&lt;script&gt;" in w._feedback.value


def test_traceability_a_deliberate_cut_counts_and_an_empty_line_does_not():
    from coursekit.exercises.traceability.widget import CUT

    w = ex.TraceabilityChain()
    # the model answer never both cuts and traces one component: the SPIF (no line in the note) is cut, the cap traced
    # to the financial constraint it holds (modules 1 and 2: "Cap → Windfall protection → Cost of sales budget")
    w.load_model_answer()
    assert w.answer["chains"]["SPIF"] == [CUT] and w.verdicts(w.answer)["SPIF"] == "cut"
    assert w.answer["chains"]["Cap"] == ["Windfall protection", "Cost of sales budget"]
    assert w.types["Cost of sales budget"] == w.types["Cost control"] == "financial constraint"
    assert w.types["Strategic priority"] == "strategic choice"
    solution = w.computed_solution()
    assert "SPIF: ✂ cut" in solution and "SPIF →" not in solution
    assert w.check() and w.done  # the model answer, with its cut, is done
    # leaving the SPIF empty is not an answer: it asks for a line or a cut
    w.remove_link("SPIF")
    assert w.answer["chains"]["SPIF"] == [] and w.verdicts(w.answer)["SPIF"] == "empty"
    w.check()
    assert not w.done and any("SPIF: nothing yet" in text and "✂ cut" in text for _, text in w.feedback)
    # the ✂ button's twin cuts it; a link added after a cut replaces the cut
    w.cut("SPIF")
    w.check()
    assert w.done and any("SPIF: cut on purpose" in text for _, text in w.feedback)
    w.add_link("SPIF", "Short push on one behavior")
    assert w.answer["chains"]["SPIF"] == ["Short push on one behavior"]
    # cutting everything is no plan
    for c in w.components:
        w.cut(c)
    w.check()
    assert not w.done and any("Every component is cut" in text for _, text in w.feedback)


def test_traceability_cuts_components_that_stop_short():
    w = ex.TraceabilityChain()
    w.load_model_answer()
    v = w.verdicts(w.answer)
    assert v["Quota"] == "traced" and v["Cap"] == "traced"  # the model answer traces the cap to cost control, it does not cut it
    w.set_answer({"chains": {"Cap": ["Behavior we want more of", "Strategic priority"]}})  # used to pass on its last word
    assert w.verdicts(w.answer)["Cap"] == "broken" and w.verdicts(w.answer)["Quota"] == "empty"  # empty is not a cut
    w.check()
    assert bytes(w._diagram.value) == b""  # not displayed yet: nothing drawn
    w._repr_mimebundle_()
    assert bytes(w._diagram.value).startswith(b"\x89PNG")


def test_traceability_ignores_links_outside_the_vocabulary():
    w = ex.TraceabilityChain()
    w.set_answer({"chains": {"Quota": ["made up", "Strategic plan"]}})
    assert w.answer["chains"]["Quota"] == ["Strategic plan"]


def test_plan_tester_flips_aligned_when_pay_period_changes():
    sc = scenario_from_dict({"plan": {"name": "Monthly flat", "ote": 200000, "quota": 800000, "period": "monthly", "cap": 2.0},
                             "options": [{"name": "smb", "deal_size": 20000, "deals_per_cycle": 3, "segment": "smb"},
                                         {"name": "enterprise", "deal_size": 480000, "cycle_months": 6, "segment": "enterprise"}],
                             "strategy": {"prefer": "enterprise"}})
    w = ex.PlanTester(sc.plan, sc.options, sc.prefer)
    assert w.result.aligned is False and levels(w.check())[:2] == ["warn", "warn"]
    w.set_answer({**w.answer, "period": "annual"})
    assert w.result.aligned is True and w.plan.period == "annual"
    w.set_answer({**w.answer, "period": "monthly", "credit": 3.0, "cap": 0})
    assert w.plan.credit == {"segment": {"enterprise": 3.0}} and w.plan.cap is None
    w._repr_mimebundle_()  # what display() does
    assert bytes(w._image.value).startswith(b"\x89PNG")
    before = bytes(w._image.value)
    w.set_answer({**w.answer, "cap": 1.0})
    assert bytes(w._image.value) != before  # once shown, every change redraws
    assert "write your own 60 seconds in the box" in w.report()  # the learner's words, not a count of generated ones
    w.set_answer({**w.answer, "explanation": "Each month is measured on its own and you are paid on it. Enterprise deals count "
                                             "three times toward quota, and pay stops at the cap of one times the monthly target."})
    assert "60 seconds? Not yet: pick how the plan reads for how attainment is measured, the cap, the enterprise credit" in w.report()
    w.set_answer({**w.answer, "explain": {"measure": "month", "cap": "period", "credit": "credit"}})  # the plan read right
    assert "60 seconds? Yes" in w.report()


def test_pitfall_hypothesis_assumption_and_checklist():
    p = ex.PitfallCheck(pitfalls=[{"claim": "A", "rebuttal": "Because a."}, {"claim": "B", "rebuttal": "Because b."}])
    p.set_answer({"picks": [1, 1]})
    assert levels(p.check()) == ["warn", "ok"]
    h = ex.HypothesisBuilder()
    assert len(h.check()) == 3
    h.set_answer({"lever": "accelerator", "level": 1.2, "what": "behavior", "behavior": "more platform deals", "metric": "platform share", "when": "at year end"})
    assert levels(h.check()) == ["ok"]  # an accelerator's level is a multiple of the base rate: 1.2x, not 120%
    assert h.sentence(h.answer) == "We believe an accelerator at 1.2x will drive more platform deals; we will know by platform share, at year end."
    a = ex.AssumptionCheck(assumptions=[{"text": "Reps are rational", "breaks": "the simulator misleads"}])
    a.set_answer({"marks": ["no"]})
    assert "the simulator misleads" in a.report()
    c = ex.Checklist(items=["one", "two"])
    c.set_answer({"ticked": [True, False], "notes": ""})
    assert levels(c.check()) == ["warn", "warn", "info"]


def test_answers_survive_a_restart_and_done_is_recorded(tmp_path):
    path = tmp_path / "me.json"
    w = ex.ContradictionMap(example=EXAMPLE, answers=Answers(path), key="m/action-1")
    w.set_answer({"rows": [OWN, *OWN_ROWS[1:]]})
    w.check()
    again = ex.ContradictionMap(example=EXAMPLE, answers=Answers(path), key="m/action-1")  # a new process reads the file
    assert again.read_inputs()["rows"][0]["strategy"] == OWN["strategy"]
    assert json.loads(path.read_text())["answers"]["m/action-1"]["_done"] is True


def test_corrupt_answers_file_is_kept_aside_and_reported(tmp_path):
    path = tmp_path / "me.json"
    path.write_text("{not json")
    a = Answers(path)
    assert "kept aside" in a.problem and path.read_text() == "{not json"  # a read moves nothing
    w = ex.HypothesisBuilder(answers=a, key="m/h")
    assert "kept aside" in w._feedback.value
    a.set("m/x", {"x": 1})  # the first save sets the file aside
    (aside,) = tmp_path.glob("me.corrupt-*.json")
    assert aside.read_text() == "{not json"


def test_learner_name_cannot_escape_the_answers_folder():
    from coursekit.answers import answers_path

    with pytest.raises(CourseError):
        answers_path("../../etc/x")


def test_brief_escapes_everything_the_learner_typed(tmp_path):
    from coursekit.brief.compose import export_answers

    a = Answers(tmp_path / "me.json")
    w = ex.ContradictionMap(example=EXAMPLE, answers=a, key="mod/action-1")
    w.set_answer({"rows": [{**EXAMPLE, "contradiction": "<img src=x onerror=alert(1)> | **bold**"}]})
    w.check()
    course = [{"slug": "mod", "title": "Module", "actions": {1: "Map it"}}]
    md, page, _data = export_answers(a, {"course": course}, tmp_path / "out")
    html = page.read_text()
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    text = md.read_text()
    # Markdown: every control character backslash-escaped (inert), and no HTML entities
    assert re.search(r"(?<!\\)[<>]", text) is None and "&lt;" not in text and "\\*\\*bold\\*\\*" in text
    assert "Sell to enterprise" in html


def test_opening_a_bound_widget_saves_nothing(tmp_path):
    sc = scenario_from_dict({"plan": {"name": "p", "ote": 100, "quota": 100},
                             "options": [{"name": "a", "deal_size": 1}, {"name": "b", "deal_size": 2}], "strategy": {"prefer": "b"}})
    a = Answers(tmp_path / "me.json")
    ex.PlanTester(sc.plan, sc.options, sc.prefer, answers=a, key="m/action-2")
    ex.ContradictionMap(example=EXAMPLE, answers=a, key="m/action-1")
    assert a.keys() == [] and not (tmp_path / "me.json").exists()


def test_plan_audit_keeps_the_designers_traces_and_clears_findings_when_traced():
    from coursekit.engine import plan_from_dict, strategy_from_dict

    plan = plan_from_dict({"name": "p", "ote": 100000, "quota": 400000, "period": "annual",
                           "tiers": [{"from": 0, "multiplier": 1}, {"from": 1, "multiplier": 2}],
                           "traces_to": {"quota": "capacity model", "tier 2": "growth"}})
    strategy = strategy_from_dict({"priorities": [{"name": "enterprise", "behavior": "b", "cycle_months": 6}]})
    w = ex.PlanAudit(plan, strategy)
    first = w.report()
    assert "The accelerator (tier 2) traces to 'growth'" in first and "The base rate (tier 1) traces to nothing" in first
    w.set_answer({"traces": {"quota": "capacity model", "tier 1": "enterprise", "tier 2": "enterprise"}})
    assert w.check() == [("ok", "No findings: every component traces to the strategy and the plan pays for what it says it wants.")]


def test_review_shows_saved_answers_from_other_modules(tmp_path):
    a = Answers(tmp_path / "me.json")
    r = ex.Review(a)
    assert r.refresh() == "No saved answers yet."
    b = Answers(tmp_path / "me.json")
    ex.ContradictionMap(example=EXAMPLE, answers=b, key="mod-1/action-1").load_example()
    b.set("mod-1/action-1", {**b.get("mod-1/action-1"), "_kind": "contradiction_map"})  # the widget contract: answers carry their kind
    assert r.refresh().startswith("mod-1 · action-1") and "Reps avoid enterprise" in r._view.value  # no outline: the keys


def test_review_shows_titles_in_course_order_and_says_what_each_feedback_row_is(tmp_path):
    outline = [{"slug": "zeta", "title": "Module 1 · Foundation", "exercises": [{"id": "action-1", "kind": "contradiction_map",
                                                                                 "title": "Map your contradictions"}]},
               {"slug": "alpha", "title": "Module 2 · Translation", "exercises": [{"id": "action-1", "kind": "hypothesis",
                                                                                  "title": "State the hypothesis"}]}]
    b = Answers(tmp_path / "me.json")
    # saved in the opposite of course order, and alphabetical order ("alpha" < "zeta") is the wrong order too
    h = ex.HypothesisBuilder(answers=b, key="alpha/action-1")
    h.set_answer({"lever": "cap", "level": 300, "cap_scope": "year", "what": "behavior", "behavior": "reps to keep selling after a big quarter",
                  "metric": "bookings per rep", "when": "at year end"})
    h.check()
    ex.ContradictionMap(example=EXAMPLE, answers=b, key="zeta/action-1").load_example()
    r = ex.Review(Answers(tmp_path / "me.json"), outline=outline)
    lines = r.refresh().splitlines()
    assert [x.split(" (")[0] for x in lines] == ["Module 1 · Foundation · Map your contradictions",
                                                 "Module 2 · Translation · State the hypothesis"]
    assert "zeta" not in r._view.value and "action-1" not in r._view.value
    # the hypothesis' check is one row per feedback line, each saying whether it passed
    assert "✔ passed" in r._view.value and "<b>Check</b>" not in r._view.value


def test_checked_plan_is_saved_for_the_brief(tmp_path):
    from coursekit.exercises import get_kind

    sc = scenario_from_dict({"plan": {"name": "Quarterly", "ote": 100000, "quota": 400000, "period": "quarterly"},
                             "options": [{"name": "a", "deal_size": 1000}, {"name": "b", "deal_size": 2000}], "strategy": {"prefer": "b"}})
    a = Answers(tmp_path / "me.json")
    w = ex.PlanTester(sc.plan, sc.options, sc.prefer, answers=a, key="m/action-2")
    w.set_answer({**w.answer, "cap": 2.0})
    w.check()
    saved = Answers(tmp_path / "me.json").get("m/action-2")
    assert saved["_plan"]["cap"] == 2.0 and saved["_plan"]["period"] == "quarterly" and saved["_base_plan"]["name"] == "Quarterly"
    (label, words), = get_kind("plan_tester").brief_rows(saved)
    assert label == "Plan" and "stops at 2 times the quarter" in words


def test_text_inputs_sync_on_leaving_the_box_not_per_keystroke():
    import ipywidgets as W

    for w in (ex.ContradictionMap(example=EXAMPLE), ex.HypothesisBuilder(), ex.Checklist(items=["a"]), ex.TraceabilityChain(),
              ex.AssumptionCheck(assumptions=[{"text": "a"}]), ex.Review()):
        boxes = [c for c in walk(w) if isinstance(c, (W.Text, W.Textarea, W.BoundedFloatText))]
        assert boxes and all(b.continuous_update is False for b in boxes)


def test_brief_states_the_hypothesis_as_the_widget_does(tmp_path):
    from coursekit.brief.compose import compose
    from coursekit.brief.render import to_markdown

    course = [{"slug": "m", "title": "M", "actions": {}}]
    a = Answers(tmp_path / "me.json")
    h = ex.HypothesisBuilder(answers=a, key="m/hypothesis")
    h.set_answer({"lever": "threshold", "level": 70, "what": "behavior", "behavior": "more platform deals", "metric": "platform share", "when": "at year end"})
    assert h.sentence(h.answer) in to_markdown(compose(Answers(tmp_path / "me.json"), course)).replace("\\", "")
    assert "We believe a threshold at 70%" in h.sentence(h.answer)
    h.set_answer({**h.answer, "lever": "SPIF", "level": 5000})
    assert "We believe a SPIF of 5,000 per deal will drive" in to_markdown(compose(Answers(tmp_path / "me.json"), course))


def test_brief_button_offers_the_page_for_download(tmp_path):
    import base64
    import re

    a = Answers(tmp_path / "me.json")
    ex.ContradictionMap(example=EXAMPLE, answers=a, key="m/action-1").load_example()
    b = ex.BriefButton(a, out_dir=str(tmp_path / "brief"))
    md, page, data = b.click()
    link = re.search(r'href="data:text/html;base64,([^"]+)"', b._status.value)
    assert link and base64.b64decode(link.group(1)) == page.read_bytes() and md.exists() and data.exists()
    assert 'download="decision-brief.html"' in b._status.value and str(data) in b._status.value


def test_a_revealed_model_answer_renders_its_table_and_no_raw_html():
    """Model answers hold tables (a fix against the enterprise year): shown as a table, as the facilitator edition
    shows it, never as `| fix | ... |` text; raw HTML and script links in them stay inert."""
    from coursekit import notebook as ex

    w = ex.Checklist(items=["Price it"], solution="| fix | enterprise year |\n|---|---|\n| annual | 120,000 |\n\n"
                                                  "<script>alert(1)</script> [x](javascript:alert(1))")
    w.set_answer({"ticked": [True], "notes": "We priced the annual measurement against the monthly cap"})
    w.check()
    w.show_solution()
    shown = w._solution_view.value
    assert "<table>" in shown and "<td>120,000</td>" in shown and "| fix |" not in shown
    assert "<script" not in shown and 'href="javascript' not in shown


@pytest.mark.parametrize("old, new, problem", [("component: Cap", "component: Bonus", "example component `Bonus` is not one of the choices"),
                                               ("pulls: strategy", "pulls: comp", "example pulls and against name the same system")])
def test_contradiction_map_example_picks_are_checked_at_build(tmp_path, old, new, problem):
    """A sidecar's example row names picks the widget offers: a wrong one is one line naming the file and the fix."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    side = content / "intelligent-sales-foundation.course.yaml"
    good = "example: {pulls: strategy, against: comp, component: Cap, pays: same}"
    assert good in side.read_text()
    side.write_text(side.read_text().replace(good, good.replace(old, new)))
    _course, _planned, problems = check_course(content)
    assert any(problem in str(p) and "intelligent-sales-foundation" in str(p) for p in problems), problems
    assert not any("contradiction_map" in str(p) for p in check_course(ROOT / "content")[2])
