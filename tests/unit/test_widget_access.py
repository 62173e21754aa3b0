"""Every image a widget draws has alt text and a table alternative, and the choices a keyboard-only learner makes are
buttons (Tab + Space), not dropdowns whose arrow keys JupyterLab takes for cell navigation."""

from __future__ import annotations

from pathlib import Path

import ipywidgets as W
import pytest

from coursekit import notebook as ex
from coursekit.assemble.run import assemble
from coursekit.exercises.plan_audit.widget import BASES
from coursekit.signals.detect import COURSE_APPROVAL_LIMIT, course_report

from .exercise_data import DRAFT, STRATEGY

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def module1():
    nb = assemble(ROOT / "content")[1]["01-intelligent-sales-foundation.ipynb"]
    ns: dict = {"ex": ex, **{k: getattr(ex, k) for k in ("plan_from_dict", "scenario_from_dict", "strategy_from_dict")}}
    for c in nb.cells:
        if c.cell_type == "code" and "setup" in c.metadata.get("tags", []) and "_args = " in c.source:
            exec(c.source, ns)  # plain data: the exercises' kwargs
    return ns


def test_the_plan_testers_curve_and_month_bars_have_alt_text_and_tables(module1):
    w = ex.PlanTester(**module1["action_2_args"])
    w.draw()
    text = w._chart_text.value
    assert text.count("<summary>Chart: ") == 2 and not w._image.tooltip  # a tooltip on an Image breaks its view in JupyterLab
    assert text.count("<table>") == 2 and "<td>100%</td>" in text and "<td>Jan</td>" in text and "<td>Dec</td>" in text


def test_the_traceability_diagram_reads_as_text(module1):
    w = ex.TraceabilityChain(**module1["action_3_args"])
    w.draw()
    assert "<summary>Diagram: your traceability lines" in w._diagram_text.value and not w._diagram.tooltip
    assert all(f"<td>{c}</td>" in w._diagram_text.value for c in w.components)


def test_short_choices_are_buttons_not_dropdowns(module1):
    pit = ex.PitfallCheck(**module1["pitfall_check_args"])
    assert all(isinstance(p, W.ToggleButtons) and p.value is None for p in pit._picks)
    assert pit.read_inputs()["picks"] == [-1] * len(pit._picks)  # nothing picked, as the dropdown's "pick one" said
    pit._picks[0].value = 1
    assert pit.read_inputs()["picks"][0] == 1
    hyp = ex.HypothesisBuilder()
    assert all(isinstance(x, W.ToggleButtons) for x in (hyp._lever, hyp._scope, hyp._when))


def test_the_testers_measurement_the_audits_pickers_and_the_spotters_rep_are_buttons(module1):
    """Issue 25: the last dropdowns a keyboard learner could not use; a pick by value (what Space on a button sends) moves
    the answer as the dropdown did."""
    w = ex.PlanTester(**module1["action_2_args"])
    assert isinstance(w._measure, W.ToggleButtons) and all(isinstance(p, W.ToggleButtons) for p in w._explain_picks.values())
    w._measure.value = ("annual", "standalone")
    assert (w.answer["period"], w.answer["measurement"]) == ("annual", "standalone") == (w.plan.period, w.plan.measurement)
    audit = ex.PlanAudit(ex.plan_from_dict(DRAFT), ex.strategy_from_dict(STRATEGY))
    assert isinstance(audit._period, W.ToggleButtons) and all(isinstance(p, W.ToggleButtons) for p in audit._picks.values())
    audit._period.value = "annual"
    audit._picks["threshold"].value = "quality gate"
    assert audit.answer["period"] == "annual" and audit.answer["traces"]["threshold"] == "quality gate"
    audit.check()
    rests = [x for row in audit._findings_box.children for x in row.children if isinstance(x, W.ToggleButtons)]
    assert rests and rests[0].value is None and rests[0].options == tuple(BASES)  # nothing picked until the learner picks
    spot = ex.SignalsSpotter(course_report(), approval_limit=COURSE_APPROVAL_LIMIT)
    assert isinstance(spot._chart_rep, W.ToggleButtons)
    spot._chart_rep.value = spot.reps[-1]
    assert spot._chart_rep.value == spot.reps[-1]


def test_keyed_choices_are_lettered_buttons_under_their_options(module1):
    """Any exercise's keyed choices (``choices:``): lettered buttons, nothing picked until the learner picks (saved as -1,
    as the radio buttons' "pick one" was), a pick by letter saved as the option's own index."""
    keyed = [{"question": "What resets?", "options": ["the month", "the year", "nothing"], "right": 1,
              "misconceptions": ["payment read as measurement", "", "no reset"]}]
    w = ex.PlanTester(**module1["action_2_args"], keyed=keyed)
    pick = w._choice_picks[0]
    assert isinstance(pick, W.ToggleButtons) and pick.value is None and [label for label, _ in pick.options] == ["A", "B", "C"]
    assert w.answer["keyed"] == [-1] and "<b>A.</b>" in w._choice_box.children[0].value
    letter = next(label for label, i in pick.options if i == 1)
    pick.value = 1  # what Space on that letter sends
    assert w.answer["keyed"] == [1] and w.answer["keyed_text"] == ["the year"]
    assert any(t == "What resets? the year: yes." for _, t in w.check()) and letter in "ABC"
    assert "What resets? the year: yes." in w._feedback.value  # shown under Check (the four tests above do not draw it)
    w.set_answer({**w.answer, "keyed": [True]})  # a hand-edited file: not a pick
    assert pick.value is None and w.answer["keyed"] == [-1]
