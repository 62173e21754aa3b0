"""What ``coursekit build`` precomputes for the notebooks (``coursekit.engine.precomputed``): the results that depend only on
the course's own files, which every learner's Run All would otherwise compute again.

Profiled with nbclient's cell timings (docs/performance.md, "Run All per module"), the computations themselves
(simulations, tests, searches) cost a module 0.1 to 0.4 s; drawing the charts costs it 0.5 to 2 s. So what is stored is
what a widget shows first, computed by the widget's own code on the inputs the notebook gives it:

- each plan tester that starts from a course scenario: the curve, the month bars and their table for the plan as
  given; the capstone's, for the plan it starts from when the learner has saved no answer yet (a learner with answers
  starts from their own plan, which draws live);
- module 4's signals spotter: its four charts and their table, for the course export's report and the first rep.

Each value is computed by constructing the widget as the notebook does, with no saved answer, and asking it for the
key and the live drawing; so a stored value equals what the widget would draw, and is found only for those inputs.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from coursekit.answers import Answers
from coursekit.capstone.inputs import capstone_inputs
from coursekit.engine import precomputed
from coursekit.engine.plan import plan_from_dict
from coursekit.engine.scenario import scenario_from_dict
from coursekit.exercises import widget_class
from coursekit.exercises.kind import Planned
from coursekit.exercises.plan_tester.checks import recording
from coursekit.notes.course import Course
from coursekit.signals.detect import COURSE_APPROVAL_LIMIT, course_report


def plan_tester(note: str, p: Planned, others: list[Planned]) -> dict[str, Any]:
    """The charts of the plan as given, for a plan tester on a course scenario; for the capstone's, the charts of the
    plan it starts from for a learner with no answers yet (``capstone_tester``)."""
    if p.kwargs.get("capstone"):
        return capstone_tester(note, p, others)
    if not isinstance(p.kwargs.get("scenario"), dict):
        return {}
    sc = scenario_from_dict(p.kwargs["scenario"])
    with precomputed.live(), recording() as runs:
        w = widget_class("PlanTester")(plan=sc.plan, options=sc.options, prefer=sc.prefer, assumed_attainment=p.kwargs["assumed_attainment"],
                                       population=sc.population, spif_control=bool(p.kwargs.get("spif_control")),
                                       keyed=[{"question": c["question"], "options": c["options"]} for c in p.kwargs.get("keyed") or []],
                                       key=f"{note}/{p.id}", solution="")  # as the notebook's cell makes it (Kind.widget_kwargs)
    return {w.charts_key(): w.draw_charts(), w.runs_key(): runs}


def capstone_tester(note: str, p: Planned, others: list[Planned]) -> dict[str, Any]:
    """The capstone tester as module 5's cells make it for a learner with no saved answer (``capstone_inputs`` on an
    empty answers file, the options editor's scenario): a learner with answers starts from their own plan, drawn live."""
    editor = next((e for e in others if e.spec.type == "scenario_editor"), None)
    if editor is None:
        return {}
    with tempfile.TemporaryDirectory(prefix="coursekit-precompute-") as d:
        cap = capstone_inputs(Answers(Path(d) / "answers.json"), editor.kwargs["course"], editor.kwargs["scenario"],
                              editor.kwargs["worked"])
    sc = scenario_from_dict(cap.scenario)
    with precomputed.live(), recording() as runs:
        w = widget_class("PlanTester")(plan=plan_from_dict(cap.plan), options=sc.options, prefer=cap.prefer or sc.prefer,
                                       assumed_attainment=p.kwargs["assumed_attainment"], baseline=sc.plan, committee_tests=True,
                                       key=f"{note}/{p.id}", solution="")  # as the notebook's cell makes it (PlanTester.setup_source)
    return {w.charts_key(): w.draw_charts(), w.runs_key(): runs}


def signals_spotter(note: str, p: Planned, others: list[Planned]) -> dict[str, Any]:
    """The charts the spotter opens with on the course export (``course_report``), as module 4's cells make it."""
    w = widget_class("SignalsSpotter")(_course_report(), approval_limit=COURSE_APPROVAL_LIMIT, key=f"{note}/{p.id}", solution="")
    rep = w._chart_rep.value
    return {w.charts_key(rep): w.draw_charts(rep)}


_REPORT: list = []


def _course_report():
    if not _REPORT:
        _REPORT.append(course_report())
    return _REPORT[0]


PRODUCERS: dict[str, Callable[[str, Planned, list[Planned]], dict[str, Any]]] = {"plan_tester": plan_tester, "signals_spotter": signals_spotter}


def precomputed_store(course: Course, planned: dict[str, list[Planned]]) -> dict[str, dict[str, Any]]:
    """``store[note][entry key]``: every note's precomputed results (a note with none: an empty dict). An exercise
    whose inputs another already had is computed once."""
    done: dict[tuple[str, str], dict[str, Any]] = {}
    store: dict[str, dict[str, Any]] = {}
    for note in course.notes:
        entries: dict[str, Any] = {}
        for p in planned.get(note.slug, []):
            make = PRODUCERS.get(p.spec.type)
            if make is None:
                continue
            sig = (p.spec.type, repr(sorted(p.kwargs.items(), key=lambda kv: kv[0])))
            if sig not in done:
                done[sig] = make(note.slug, p, planned.get(note.slug, []))
            entries.update(done[sig])
        store[note.slug] = entries
    return store
