"""The capstone's kinds wired into the course: module 2's priorities form, the options editor the capstone's plan
tester follows, the audit of that plan, the decisions form; the capstone's cells run on the learner's answers."""

from __future__ import annotations

from pathlib import Path

import pytest

from coursekit.answers import Answers
from coursekit.assemble import check_course, generate
from coursekit.capstone import inputs as capstone
from tests.capstone_answers import full_answers
from tests.helpers import note_text

ROOT = Path(__file__).resolve().parents[2]
CAPSTONE_NB = "05-alignment-capstone.ipynb"


@pytest.fixture(scope="module")
def course():
    course, planned, problems = check_course(ROOT / "content")
    assert [p for p in problems if p.severity == "error"] == []
    return course, planned


@pytest.fixture(scope="module")
def notebooks():
    return generate(ROOT / "content")[1]


def test_module_2_action_1_is_the_priorities_form_over_its_scenarios_segments(course):
    _, planned = course
    p = next(p for p in planned["strategy-to-comp-translation"] if p.id == "action-1")
    assert f"strategy-to-comp-translation/{p.id}" == capstone.PRIORITIES_KEY and p.spec.type == "priorities"
    # scenarios/translation-draft.yaml: renewal 1 month, expansion 2, new-logo 4
    assert p.kwargs == {"segments": ["renewal", "expansion", "new-logo"], "option_cycles": {"renewal": 1, "expansion": 2, "new-logo": 4}, "rows": 4}


def test_the_capstone_review_gets_the_course_outline_with_the_answer_keys_the_build_gives(course):
    _, planned = course
    review = next(p for p in planned["alignment-capstone"] if p.spec.type == "review")
    outline = review.kwargs["outline"]
    assert [m["slug"] for m in outline] == list(planned)  # course order, not alphabetical
    assert outline[0]["title"].startswith("Module 1 · ")
    for m in outline:  # every exercise id is the answer key the build planned, with a human title
        assert [e["id"] for e in m["exercises"]] == [p.id for p in planned[m["slug"]]]
        assert all(e["title"] and "action-" not in e["title"] for e in m["exercises"])


def test_the_capstones_exercises_and_their_answer_keys(course):
    _, planned = course
    got = [(p.id, p.spec.type) for p in planned["alignment-capstone"]]
    assert got == [("action-1", "review"), ("action-2", "scenario_editor"), ("action-2-2", "plan_tester"), ("action-3", "plan_audit"),
                   ("action-4", "hypothesis"), ("action-5", "decisions"), ("action-5-2", "checklist"), ("action-5-3", "rubric"), ("quiz", "quiz"), ("quiz-2", "quiz")]
    assert capstone.OPTIONS_KEY == "alignment-capstone/action-2" and capstone.DECISIONS_KEY == "alignment-capstone/action-5"
    editor = planned["alignment-capstone"][1]
    assert editor.kwargs["scenario"]["plan"]["name"] == "Northwind mid-market AE FY28"
    # module 4's worked example is its scenario's plan after its tester's fix (period: quarterly)
    assert editor.kwargs["worked"]["enablement-to-payout-alignment"]["period"] == "quarterly"
    assert editor.facilitator is not None and planned["alignment-capstone"][2].facilitator is not None  # sidecar ids match


def test_capstone_cells_start_from_the_answers_and_the_tester_follows_the_editor(notebooks):
    code = [c.source for c in notebooks[CAPSTONE_NB].cells if c.cell_type == "code"]
    # the learner's widgets (worked examples build their own "demo" from another company's case)
    where = {name: next(i for i, s in enumerate(code) if name in s and not s.lstrip().startswith(("demo", "import datetime"))) for name in
             ("print(capstone.describe())", "ex.ScenarioEditor(", "ex.PlanTester(", "ex.PlanAudit(", "ex.DecisionsForm(")}
    assert list(where) == sorted(where, key=where.get)  # in this order in the notebook
    assert "capstone_editor.drive(action_2_2, capstone.renamed)" in code[where["ex.PlanTester("]]
    assert "baseline=scenario.plan" in "\n".join(code)  # "Can we afford it?" against Northwind's own plan
    assert "plan=capstone_tester.plan" in "\n".join(code) and "min_months=capstone.cycle_months" in code[where["ex.DecisionsForm("]]
    assert "compare_changes" not in "\n".join(code)  # no worked example of another plan: the learner's own plan is the case
    assert not any("capstone.yaml" in s for s in code)


def run_cells(nb, home: Path, monkeypatch) -> dict:
    """Run a notebook's code cells in this process, as a kernel would, with the answers under ``home``."""
    monkeypatch.setenv("COURSEKIT_HOME", str(home))
    monkeypatch.setenv("COURSEKIT_LEARNER", "me")
    ns: dict = {}
    for cell in nb.cells:
        if cell.cell_type == "code":
            exec(compile(cell.source, "<cell>", "exec"), ns)  # noqa: S102 - the course's own generated cells
    return ns


def test_with_no_answers_the_capstone_says_it_starts_from_a_skipped_testers_model_answer(notebooks, tmp_path, monkeypatch):
    ns = run_cells(notebooks[CAPSTONE_NB], tmp_path / "home", monkeypatch)
    said = ns["capstone"].describe()
    # what the code starts from: module 4's tester scenario with the tester's model fix, not the note's worked example
    assert ("Starting plan: the model answer of module 4's plan tester, which you skipped (Consultative team plan FY27, measured quarterly)."
            in said)
    assert "you have no priorities yet: write them in module 2, action 1" in said
    assert ns["action_2_2"].base_plan.period == "quarterly"  # module 4's worked example, not the capstone scenario's plan
    assert [o.name for o in ns["action_2_2"].options] == ["multi-year renewal", "expansion", "new logo"]
    assert ns["action_3"].plan is ns["action_2_2"].plan  # the audit reads the plan the tester holds


def test_the_capstone_tester_prices_against_todays_plan_and_a_sliver_moves_nobody(notebooks, tmp_path, monkeypatch):
    from coursekit.engine import scenario_from_dict, simulate, simulate_mix
    from coursekit.exercises.plan_tester.checks import per_100, tenths

    ns = run_cells(notebooks[CAPSTONE_NB], tmp_path / "home", monkeypatch)
    t = ns["action_2_2"]
    today = scenario_from_dict(ns["capstone"].scenario)  # Northwind's own plan: what the brief compares with
    assert t.baseline == today.plan and t.base_plan != today.plan
    r = simulate(today)
    chosen = simulate_mix(today, r.best_mix)
    cost = tenths(per_100(chosen.payout, chosen.revenue))  # 13.9, from the engine
    assert f"against {cost} under the plan the company runs today" in t._afford_against(t.baseline, "the plan the company runs today", False)[0][1]
    # the committee's budget answers against both plans, the stricter one: the untouched design against itself here
    # (one figure, the committee's budget: the box's own line, issue 24)
    assert "the plan in force 13.7" in t.afford()[0][1] and "your starting design 8.3" in t.afford()[0][1] and t.afford()[1] == 0
    # the capstone's sidecar: a new-logo rate of 1.25 pays 76,310 against 76,119 for renewals (191, 0.25%): it moves nobody
    t.set_answer({**t.answer, "rate": 1.25})
    assert t.tests()[0][0] == "warn" and t.tests()[1][0] == "warn" and "(<1%)" in t.tests()[1][1]
    # and the rep's best year at 1.25 is a mix: the money test says so, not that nobody moves
    assert "a rep does better still with a mix" in t.tests()[1][1] and "moves nobody" not in t.tests()[1][1]
    # 1.3 wins by 2,180 (2.9%) full time, but the rep's best year splits 50/50 with renewals: only partly; 1.35 (a logo
    # year 80,289, 5.5% more) is the smallest rate on the scenario's own options with the rep (90% or more) on logos
    t.set_answer({**t.answer, "rate": 1.3})
    assert t.tests()[0][1].startswith("Would a rep following this plan execute our strategy? Partly")
    assert "the new-logo rate differential at 1.35x with your other settings" in t.tests()[0][1]
    t.set_answer({**t.answer, "rate": 1.35})
    # the rep follows on average, but a bad year (P10 40,500) pays less than an average renewals year: the committee
    # asks for a floor, a draw or a written reason instead of Yes (issue 24), and a floor answers it
    assert t.tests()[0][0] == "unsure" and "bad year (P10)" in t.tests()[0][1]
    assert any(s.startswith("The smallest change that works, in steps of 0.05: the new-logo rate "
                            "differential at 1.35x, the value you chose") for _, s in t.tests())
    t.set_committee({"risk": {"risk": "floor"}})
    assert t.tests()[0][0] == "ok"


def test_with_answers_the_capstone_starts_from_the_learners_work_and_follows_their_options(notebooks, tmp_path, monkeypatch):
    full_answers(tmp_path / "home" / "answers" / "me.json")
    ns = run_cells(notebooks[CAPSTONE_NB], tmp_path / "home", monkeypatch)
    said = ns["capstone"].describe()
    assert "Starting plan: your plan tester in module 3" in said and "Strategy: from your priorities in module 2, action 1" in said
    tester, editor = ns["action_2_2"], ns["action_2"]
    # the priorities name the options they claim, and the strategy's choice is the top priority
    assert tester.prefer == "Win competitive logos" and "Win competitive logos" in [o.name for o in tester.options]
    # the saved edit (new logo: 110,000 a deal, 35% won) is what the tester runs on
    logo = next(o for o in tester.options if o.name == "Win competitive logos")
    assert (logo.deal_size, logo.win_rate) == (110000, 0.35)
    before = [o.payout for o in tester.result.options]
    editor.set_answer({"options": [{"name": "new logo", "deal_size": 220000, "win_rate": 0.35}]})  # typing in the editor
    logo = next(o for o in tester.options if o.name == "Win competitive logos")
    assert logo.deal_size == 220000 and [o.payout for o in tester.result.options] != before  # the simulator re-ran
    # the audit runs against the learner's priorities
    assert [p.name for p in ns["action_3"].strategy.priorities] == ["Win competitive logos", "Expand installed base"]
    assert Answers(tmp_path / "home" / "answers" / "me.json").get(capstone.OPTIONS_KEY)["options"][2]["deal_size"] == 220000


def test_a_capstone_tester_without_the_options_editor_is_named(tmp_path):
    content = tmp_path / "content"
    (content / "scenarios").mkdir(parents=True)
    (content / "scenarios" / "s.yaml").write_text((ROOT / "content" / "scenarios" / "capstone-fy28.yaml").read_text())
    (content / "my-note.md").write_text(note_text(exercises="[{type: plan_tester, action: 1, scenario: scenarios/s.yaml, capstone: true}]"))
    _, _, problems = check_course(content)
    assert any("capstone: true needs the options editor before it" in str(p) and "scenario_editor" in str(p) for p in problems)


def test_priorities_without_a_scenario_need_their_segments(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    (content / "my-note.md").write_text(note_text(exercises="[{type: priorities, action: 1}]"))
    _, _, problems = check_course(content)
    assert any("has no segments to choose from" in str(p) for p in problems)
    (content / "my-note.md").write_text(note_text(exercises="[{type: priorities, action: 1, segments: [smb, enterprise], rows: 2}]"))
    _, planned, problems = check_course(content)
    assert [p for p in problems if p.severity == "error"] == []
    assert planned["my-note"][0].kwargs == {"segments": ["smb", "enterprise"], "option_cycles": {}, "rows": 2}
