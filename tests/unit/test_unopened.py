"""An exercise's widgets open their comms when the exercise is first shown, not when it is built (issue 27,
``coursekit.exercises.unopened``): a worked example built only for its report opens none; a shown exercise opens
every widget it built, each after the widgets its state names, under the model ids its parents already name; widgets
that look alike share one style; a widget made after the exercise is shown opens at once."""

from __future__ import annotations

import ipywidgets as W
import pytest

from coursekit.engine.audit import strategy_from_dict
from coursekit.engine.plan import plan_from_dict
from coursekit.exercises.checklist.widget import Checklist
from coursekit.exercises.plan_audit.widget import PlanAudit
from coursekit.exercises.unopened import _widgets_in, is_open, open_all, unopened

PLAN = {"name": "Draft", "ote": 140000, "variable_share": 0.4, "quota": 1120000, "period": "monthly", "threshold": 0.5,
        "tiers": [{"from": 0.0, "multiplier": 1.0}, {"from": 1.0, "multiplier": 2.0}], "cap": 2.0}
STRATEGY = {"priorities": [{"name": "hospital", "behavior": "Close hospital group contracts", "segment": "hospital", "cycle_months": 6}],
            "planning": {"assumed_attainment": 0.85, "assumptions": ["capacity model"]},
            "options": [{"name": "clinic", "deal_size": 18000, "deals_per_cycle": 4, "cycle_months": 1, "segment": "clinic"},
                        {"name": "hospital", "deal_size": 650000, "deals_per_cycle": 1, "cycle_months": 6, "segment": "hospital"}]}


@pytest.fixture
def opened(monkeypatch) -> list[str]:
    """The comm ids opened for real, in order."""
    import comm

    order: list[str] = []
    real = comm.create_comm

    def create(**kw):
        c = real(**kw)
        order.append(c.comm_id)
        return c

    monkeypatch.setattr(comm, "create_comm", create)
    return order


def _tree(w: W.Widget) -> list[W.Widget]:
    out, todo, seen = [], [w], set()
    while todo:
        x = todo.pop()
        if id(x) in seen:
            continue
        seen.add(id(x))
        out.append(x)
        for k in x.keys:  # the values set (a default not made yet is made when the widget opens)
            todo.extend(_widgets_in(x._trait_values.get(k)))
    return out


def test_a_worked_example_built_and_checked_for_its_report_opens_no_comm(opened):
    demo = PlanAudit(plan=plan_from_dict(PLAN), strategy=strategy_from_dict(STRATEGY))
    report = demo.report()  # what a worked example's cell prints: the check builds the findings' widgets too
    assert "FIX" in report
    assert opened == []
    assert not any(is_open(w) for w in _tree(demo))


def test_shown_every_widget_opens_after_those_it_names_under_the_id_its_parents_name(opened):
    w = Checklist(items=["The cap applies to the year", "Every component traces"])
    w.set_answer({"ticked": [True, False], "notes": "found it"})
    ids_before = {id(x): x.model_id for x in _tree(w)}  # the placeholder ids the parents' state names
    assert opened == []
    bundle = w._repr_mimebundle_()
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == w.model_id
    tree = _tree(w)
    assert all(is_open(x) for x in tree)
    assert {id(x): x.model_id for x in tree if id(x) in ids_before} == {k: v for k, v in ids_before.items() if k in {id(x) for x in tree}}
    position = {cid: i for i, cid in enumerate(opened)}
    for x in tree:  # the frontend finds every model a state names: it was opened before
        for k in x.keys:
            for inner in _widgets_in(getattr(x, k, None)):
                assert position[inner.model_id] < position[x.model_id], (type(x).__name__, k)
    assert w.answer["ticked"] == [True, False] and w.report()  # the API twins work as before


def test_after_showing_a_new_widget_opens_at_once_and_changes_are_sent():
    w = Checklist(items=["One"])
    w._repr_mimebundle_()
    later = W.HTML("later")
    assert is_open(later)
    w.check()
    assert is_open(w._feedback) and w._feedback.value  # a change after showing goes to the frontend as before


def test_alike_styles_are_one_model_and_a_different_one_stays_its_own():
    with unopened() as made:
        a = W.ToggleButtons(options=["x", "y"], style={"description_width": "12em"})
        b = W.ToggleButtons(options=["x", "z"], style={"description_width": "12em"})
        c = W.ToggleButtons(options=["x"], style={"description_width": "6em"})
        box = W.VBox([a, b, c])
    assert not any(is_open(x) for x in made)
    open_all(made)
    assert a.style is b.style and c.style is not a.style
    assert all(is_open(x) for x in _tree(box))
    assert a.style.description_width == "12em" and c.style.description_width == "6em"


def test_the_reason_box_is_built_when_first_needed():
    w = Checklist(items=["One"])
    assert w._override_box.children == ()  # not built: most checks are sure
    box = w._reason_box  # the API twin's path builds it on first need
    assert w._override_box.children[0] is box and w._reason_box is box
