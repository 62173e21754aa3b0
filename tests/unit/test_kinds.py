"""The exercise-kind registry: typed options, did-you-mean, whole-word defaults, brief rows, a new kind in one file."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from coursekit.exercises import KINDS, action_minutes, get_kind, kind_for_action, register
from coursekit.exercises.kind import Kind
from coursekit.exercises.options import parse_options
from coursekit.notes.model import Action
from tests.helpers import note_text

FOLDERS = {p.parent.name for p in (Path(__file__).resolve().parents[2] / "src" / "coursekit" / "exercises").glob("*/kind.py")}


def action(title: str, duration: str = "") -> Action:
    return Action(1, title, duration, "", 1)


def test_registry_lists_every_kind_with_its_widget_and_options():
    assert set(KINDS) == FOLDERS  # every folder is registered, every registered kind is a folder
    for name, kind in KINDS.items():
        assert kind.name == name and kind.widget and kind.title and kind.minutes > 0
    from coursekit import notebook as exercises

    assert all(hasattr(exercises, k.widget) for k in KINDS.values())


def test_get_kind_suggests_the_closest_name():
    with pytest.raises(KeyError, match="did you mean `checklist`"):
        get_kind("checklst")


def test_importing_the_kinds_does_not_import_ipywidgets():
    code = "import sys, coursekit.exercises, coursekit.assemble; sys.exit('ipywidgets' in sys.modules)"
    src = Path(__file__).resolve().parents[2] / "src"
    assert subprocess.run([sys.executable, "-c", code], env={"PYTHONPATH": str(src)}).returncode == 0


@pytest.mark.parametrize("title, kind", [
    ("Repay the draw", "checklist"),            # "pay" is not a word of "Repay"
    ("Run a planning offsite", "checklist"),    # "plan" is not a word of "planning"
    ("Start with Compensation", "plan_tester"),
    ("Match the pay period to the cycle", "plan_tester"),
    ("Map Current Contradictions", "contradiction_map"),
    ("Build Traceability", "traceability"),
    ("Trace each component", "traceability"),
])
def test_default_kind_matches_whole_words(title, kind):
    assert kind_for_action(action(title)) == kind


def test_minutes_come_from_the_heading_else_the_kind():
    from coursekit.notes import parse_note
    from tests.helpers import SEED

    note, _ = parse_note(SEED)
    # seed: 1 "(15 min)"; 2 "(Next planning cycle)" -> plan_tester default 10; 3 "(Ongoing)" -> traceability default 10
    assert [action_minutes(note, a) for a in note.actions] == [15, KINDS["plan_tester"].minutes, KINDS["traceability"].minutes] == [15, 10, 10]


def opts(kind: str, raw: dict):
    return parse_options(KINDS[kind].Options, raw, "n.md", 9, f"entry 1 ({kind})")


def test_options_are_typed_and_defaulted():
    o, probs = opts("plan_tester", {"scenario": "s.yaml", "worked_example": {"changes": {"q": {"period": "quarterly"}}}})
    assert probs == [] and o.scenario == "s.yaml" and o.assumed_attainment == 1.0 and o.fix == {"period": "annual"}
    assert o.worked_example.changes == {"q": {"period": "quarterly"}} and o.worked_example.show == ["pay", "choice"]


@pytest.mark.parametrize("kind, raw, words", [
    ("checklist", {"itemz": ["a"]}, "unknown option `itemz` (did you mean `items`?)"),
    ("plan_tester", {"scenaro": "x.yaml"}, "unknown option `scenaro` (did you mean `scenario`?)"),
    ("plan_tester", {"worked_example": {"changes": {}, "shwo": ["pay"]}}, "unknown option `shwo` (did you mean `show`?)"),
    ("checklist", {"items": "one string"}, "`items` must be a list of text"),
    ("plan_tester", {"assumed_attainment": "high"}, "`assumed_attainment` must be a number"),
    ("plan_audit", {"plan": "p.yaml"}, "`strategy` is missing"),
    ("hypothesis", {"lever": "cap"}, "unknown option `lever`"),
])
def test_bad_options_name_file_line_field_and_fix(kind, raw, words):
    o, probs = opts(kind, raw)
    assert o is None and len(probs) == 1
    assert str(probs[0]).startswith("n.md:9: exercises: entry 1 (") and words in str(probs[0])


JUNK = [None, 0, "x", [], [1, 2], {}, {"rows": "x"}, {"rows": [1, None, {"strategy": None}]}, {"chains": [1]},
        {"chains": {"Cap": "x"}}, {"picks": "x"}, {"picks": [True, "a", None]}, {"marks": {}}, {"marks": [3, None]},
        {"lever": [], "level": {"a": 1}, "behavior": 5}, {"ticked": "yes", "notes": ["a"]}, {"_plan": {"ote": "lots"}},
        {"_feedback": "x", "accepted": [1]}, {"instead": 5, "marks": ["no"]}]


@pytest.mark.parametrize("name", list(KINDS))
def test_brief_rows_survive_any_answer(name):
    for junk in JUNK:
        rows = KINDS[name].brief_rows(junk)
        assert all(isinstance(k, str) and isinstance(v, str) for k, v in rows), (junk, rows)


PLAN = {"name": "Quarterly", "ote": 100000, "quota": 400000, "period": "quarterly", "cap": 2.0}
MODEL = {
    "contradiction_map": ({"rows": [{"strategy": "Sell to enterprise", "comp": "Pays monthly"}, {"strategy": ""}]},
                          [("Priority 1: Strategy says", "Sell to enterprise"), ("Priority 1: Comp rewards", "Pays monthly")]),
    "traceability": ({"chains": {"Quota": ["Capacity model", "Revenue target"], "Cap": []}},
                     [("Quota", "Capacity model → Revenue target"), ("Cap", "(no line drawn: cut)")]),
    "pitfall_check": ({"picks": [0, 2, -1]}, [("Scenario 1", "picked pitfall 1"), ("Scenario 2", "picked pitfall 3"), ("Scenario 3", "not answered")]),
    "assumption_check": ({"marks": ["yes", "no"], "instead": ["Measure cycles from the CRM first"]},
                         [("Assumption 1", "holds here"), ("Assumption 1: instead I will", "Measure cycles from the CRM first"),
                          ("Assumption 2", "does not hold here")]),
    "checklist": ({"ticked": [True, False, True], "notes": "Two contradictions"}, [("Steps done", "2 of 3"), ("What I found", "Two contradictions")]),
    "review": ({"notes": "Fix the period first"}, [("What I take forward", "Fix the period first")]),
    "signals_spotter": ({"reps": {"Chloe Ito": ["period_end_bunching"], "Nils Cruz": ["none"], "Sven Diaz": []}, "edge": "tier 2"},
                        [("Signals: Chloe Ito", "period end bunching"), ("Signals: Nils Cruz", "none"),
                         ("Team attainment piles up at", "the tier 2")]),
    # ranked by rank, not by row; a row without a behavior is left out; attainment in percent of quota
    "priorities": ({"assumed_attainment": 85, "priorities": [
        {"name": "expand", "behavior": "sell a second product to a customer", "segment": "expansion", "cycle_months": 2, "rank": 2},
        {"name": "win logos", "behavior": "take a named account from the competitor", "segment": None, "cycle_months": 4, "rank": 1},
        {"name": "half a row", "behavior": ""}]},
        [("Priority 1: win logos", "take a named account from the competitor (4-month cycle)"),
         ("Priority 2: expand", "sell a second product to a customer (expansion, 2-month cycle)"), ("Planning assumes", "85% of quota")]),
    "scenario_editor": ({"options": [{"name": "new logo", "deal_size": 120000, "cycle_months": 4, "win_rate": 0.3}, {"name": "odd", "win_rate": 7}]},
                        [("new logo", "120,000 a deal, 4-month cycle, 30% won"), ("odd", "-")]),
    "decisions": ({"asks": {"comp": {"who": "CFO", "ask": "Approve the annual cap"}, "planning": {"who": "RevOps", "ask": ""}},
                   "review_date": "2028-04-15", "calendar": ""},
                  [("Comp", "CFO: Approve the annual cap"), ("Review date", "2028-04-15")]),
}


@pytest.mark.parametrize("name", sorted(MODEL))
def test_brief_rows_read_a_model_answer_as_people_would(name):
    answer, rows = MODEL[name]
    assert KINDS[name].brief_rows(answer) == rows


def test_hypothesis_and_plan_rows_are_sentences():
    rows = KINDS["hypothesis"].brief_rows({"lever": "accelerator", "level": 150, "behavior": "more platform deals",
                                           "metric": "platform share", "when": "after 2 quarters"})
    assert rows == [("Hypothesis", "We believe an accelerator at 150% will drive more platform deals; we will know by platform share, after 2 quarters.")]
    (label, text), = KINDS["plan_tester"].brief_rows({"_plan": PLAN, "period": "quarterly"})
    assert label == "Plan" and "quarter" in text
    # the learner's own 60 seconds are shown back in the brief, as written (kept, never graded)
    assert KINDS["plan_tester"].brief_rows({"_plan": PLAN, "explanation": "Each quarter stands alone."})[1] == \
        ("Your 60 seconds", "Each quarter stands alone.")
    assert KINDS["plan_audit"].brief_rows({"_plan": PLAN, "accepted": {"period": "the cycle is one quarter"}})[1] == \
        ("Accepted: period", "the cycle is one quarter")


@dataclass(frozen=True)
class ReflectionOptions:
    question: str = "What surprised you?"  # the question asked


class Reflection(Kind):
    """A test-only kind: one file's worth of code, registered at run time."""

    name, widget, title = "reflection_test", "Checklist", "Reflection"
    Options = ReflectionOptions
    keywords = ("reflect",)
    minutes = 7

    def plan(self, ctx):
        return {"items": [ctx.options.question]}

    def brief_rows(self, answer):
        return [("Reflection", str(answer.get("notes", "")))] if isinstance(answer, dict) else []


@pytest.fixture
def reflection():
    kind = register(Reflection())
    yield kind
    del KINDS[kind.name]


def test_a_new_kind_is_one_class_and_one_registry_line(reflection, tmp_path):
    from coursekit.assemble import check_course, generate

    content = tmp_path / "content"
    content.mkdir()
    text = note_text(exercises='[{type: reflection_test, action: 1, question: "Which step was hardest?"}]')
    (content / "my-note.md").write_text(text.replace("### 1. Do a checklist (5 min)", "### 1. Reflect on it"))
    course, planned, problems = check_course(content)
    assert [p for p in problems if p.severity == "error"] == []
    assert planned["my-note"][0].kwargs == {"items": ["Which step was hardest?"]}
    assert action_minutes(course.notes[0], course.notes[0].actions[0]) == 7
    _, notebooks = generate(content)
    code = "\n".join(c.source for c in notebooks["01-my-note.ipynb"].cells if c.cell_type == "code")
    assert 'ex.Checklist(**action_1_args, answers=answers, key=MODULE + "/action-1")' in code
    # its options are checked like every other kind's
    (content / "my-note.md").write_text(note_text(exercises='[{type: reflection_test, action: 1, questoin: "x"}]'))
    _, _, problems = check_course(content)
    assert any("did you mean `question`?" in str(p) for p in problems)


RANKING_KIND = '''"""A test-only kind with a widget of its own: rank the options."""
from dataclasses import dataclass
from coursekit.exercises.kind import Kind


@dataclass(frozen=True)
class Options:
    choices: tuple = ("new logos", "renewals")  # what the learner ranks


class Ranking(Kind):
    name, widget, title = "ranking_test", "RankingForm", "Ranking"
    Options = Options
    keywords = ("rank",)

    def plan(self, ctx):
        return {"choices": list(ctx.options.choices)}


KIND = Ranking()
'''
RANKING_WIDGET = '''"""The ranking widget: takes its name from its kind."""
import ipywidgets as W
from coursekit.exercises.ranking_test.kind import KIND
from coursekit.exercises.widget import Exercise
from coursekit.feedback import OK, WARN


class RankingForm(Exercise):
    title = "Rank the options"
    kind = KIND.name

    def __init__(self, choices=(), **kw):
        self.choices = list(choices)
        super().__init__(**kw)

    def build(self):
        self._order = W.Text(description="Order")
        self._watch(self._order)
        self.children = [self.header("Rank the options, first to last."), self._order, *self.footer()]

    def read_inputs(self):
        return {"order": [c.strip() for c in self._order.value.split(",") if c.strip()]}

    def show_answer(self, answer):
        self._order.value = ", ".join(answer.get("order", []))

    def evaluate(self, answer):
        ok = sorted(answer["order"]) == sorted(self.choices)
        return [(OK, "Every option ranked.")] if ok else [(WARN, "Rank each option once.")]
'''


def test_a_new_kind_with_its_own_widget_is_one_folder_and_one_registry_line(tmp_path):
    """As the README says: copy a folder, edit kind.py and widget.py, give the kind its place in the registry."""
    import coursekit.exercises as registry
    from coursekit import notebook
    from coursekit.assemble import check_course, generate

    folder = tmp_path / "kinds" / "ranking_test"
    folder.mkdir(parents=True)
    (folder / "__init__.py").write_text("")
    (folder / "kind.py").write_text(RANKING_KIND)
    (folder / "widget.py").write_text(RANKING_WIDGET)
    registry.__path__.append(str(tmp_path / "kinds"))  # as if the folder were in src/coursekit/exercises/
    try:
        from coursekit.exercises.ranking_test.kind import KIND

        register(KIND)  # the registry line
        content = tmp_path / "content"
        content.mkdir()
        (content / "my-note.md").write_text(note_text(exercises="[{type: ranking_test, action: 1}]"))
        _course, planned, problems = check_course(content)
        assert [p for p in problems if p.severity == "error"] == []
        code = "\n".join(c.source for c in generate(content)[1]["01-my-note.ipynb"].cells if c.cell_type == "code")
        assert "ex.RankingForm(" in code
        w = notebook.RankingForm(**planned["my-note"][0].kwargs)  # the facade finds it through the registry
        assert w.kind == "ranking_test" and "ipywidgets" in sys.modules
        w.set_answer({"order": ["renewals", "new logos"]})
        w.check()
        assert w.done
    finally:
        KINDS.pop("ranking_test", None)
        registry.__path__.remove(str(tmp_path / "kinds"))
        for m in [m for m in sys.modules if m.startswith("coursekit.exercises.ranking_test")]:
            del sys.modules[m]


def test_a_checklist_declares_its_own_worked_example_and_bad_ones_are_one_line_errors(tmp_path):
    from coursekit.assemble import generate
    from coursekit.assemble.run import check_course

    content = tmp_path / "content"
    content.mkdir()
    good = ('[{type: checklist, action: 1, example: {case: "a reseller", items: ["Price a credit", "Price a SPIF"], '
            'ticked: [true, false], notes: "The SPIF is not priced yet: no data on contract starts."}}]')
    (content / "my-note.md").write_text(note_text(exercises=good))
    nb = generate(content)[1]["01-my-note.ipynb"]
    i = next(n for n, c in enumerate(nb.cells) if "different checklist" in c.source)
    assert "(a reseller)" in nb.cells[i].source and "left open with a reason" in nb.cells[i].source
    assert "'Price a SPIF'" in nb.cells[i + 1].source and "[True, False]" in nb.cells[i + 1].source
    for bad, says in (('{items: ["a"], ticked: [true, true], case: "c", notes: "n"}', "one true or false per item"),
                      ('{items: ["a"], ticked: [true], case: "c", notes: "n", code: "x"}', "unknown option `code`"),
                      ('{items: [], ticked: [], case: "c", notes: "n"}', "example.items has no steps"),
                      ('{items: ["a"], ticked: [true], notes: "n"}', "`case` is missing"),
                      ('{items: ["a"], ticked: ["yes"], case: "c", notes: "n"}', "`ticked` must be a list of true or false")):
        (content / "my-note.md").write_text(note_text(exercises=f"[{{type: checklist, action: 1, example: {bad}}}]"))
        *_, problems = check_course(content)
        assert any(says in str(p) and "example" in str(p) for p in problems), (bad, [str(p) for p in problems])


def test_a_hypothesis_declares_its_own_worked_example_which_passes_and_bad_ones_are_one_line_errors(tmp_path):
    import ast
    import re as _re

    from coursekit import notebook as ex
    from coursekit.assemble import generate
    from coursekit.assemble.run import check_course

    content = tmp_path / "content"
    content.mkdir()
    good = ('{case: "a reseller", lever: rate differential, level: 1.3, behavior: "reps to sell services first", '
            'metric: "the services share of new bookings", when: "after 2 quarters", cycle_months: 3}')
    (content / "my-note.md").write_text(note_text(exercises=f"[{{type: hypothesis, example: {good}}}]"))
    nb = generate(content)[1]["01-my-note.ipynb"]
    i = next(n for n, c in enumerate(nb.cells) if "HypothesisBuilder(cycle_months=3)" in c.source)
    assert "(a reseller)" in nb.cells[i - 1].source
    # the demo's own check passes: a worked example shows a hypothesis the learner's check accepts
    demo = ex.HypothesisBuilder(cycle_months=3)
    demo.set_answer(ast.literal_eval(_re.search(r"demo.set_answer\((\{.*?\})\)", nb.cells[i].source, _re.S)[1]))
    assert demo.check()[0][0] == "ok"
    for bad, says in ((good.replace("rate differential", "bonus"), "is not a lever"),
                      (good.replace('"after 2 quarters"', '"in Q3"'), "example.when"),
                      (good.replace("level: 1.3", "level: -1"), "must be above 0"),
                      (good.replace("level: 1.3", 'level: "high"'), "`level` must be a number"),
                      (good.replace(", cycle_months: 3", ""), "`cycle_months` is missing")):
        (content / "my-note.md").write_text(note_text(exercises=f"[{{type: hypothesis, example: {bad}}}]"))
        *_, problems = check_course(content)
        assert any(says in str(p) and "example" in str(p) for p in problems), (bad, [str(p) for p in problems])


def test_a_plan_audit_declares_another_companys_worked_example_and_bad_ones_are_one_line_errors(tmp_path):
    import shutil

    from coursekit.assemble import generate
    from coursekit.assemble.run import check_course

    root = Path(__file__).resolve().parents[2] / "content"
    content = tmp_path / "content"
    for sub in ("scenarios", "strategies", "plans"):
        shutil.copytree(root / sub, content / sub)
    spec = ("{type: plan_audit, action: 1, plan: plans/translation-draft.yaml, strategy: strategies/translation-strategy.yaml, "
            "example: {case: \"the hospital field team\", plan: scenarios/hospital-devices.yaml, strategy: strategies/hospital-strategy.yaml}}")
    (content / "my-note.md").write_text(note_text(exercises=f"[{spec}]"))
    nb = generate(content)[1]["01-my-note.ipynb"]
    i = next(n for n, c in enumerate(nb.cells) if "demo = ex.PlanAudit" in c.source)
    assert "(the hospital field team)" in nb.cells[i - 1].source and "Hospital team draft FY27" in nb.cells[i].source
    assert "hospital group contract" in nb.cells[i].source  # its own strategy, not the exercise's
    for bad, says in ((spec.replace("strategies/hospital-strategy.yaml", "strategies/none.yaml"), "none.yaml"),
                      (spec.replace('case: "the hospital field team", ', ""), "`case` is missing"),
                      (spec.replace("strategy: strategies/hospital-strategy.yaml}", "strategy: strategies/hospital-strategy.yaml, plans: x}"),
                       "did you mean `plan`?")):
        (content / "my-note.md").write_text(note_text(exercises=f"[{bad}]"))
        *_, problems = check_course(content)
        assert any(says in str(p) for p in problems), (bad, [str(p) for p in problems])
