"""The notebook API: everything a generated notebook may call, and nothing else (a test holds it).

Generated cells import this one module (``from coursekit import notebook as ex``, or names from it): the exercise
widgets by their names, the answers store, and the helpers that worked examples, the start page, the capstone and
the room call. Each name is imported when a notebook first asks for it, so a kernel loads only what its module
shows (module 1 never loads the signals detector's pandas, no kernel loads nbformat)."""

from __future__ import annotations

import importlib
from typing import Any

from coursekit.exercises import KINDS, widget_class

# name -> the module that owns it (widgets come from the exercise registry)
HELPERS = {
    "Answers": "coursekit.answers",
    "start_page_progress": "coursekit.answers",
    "plan_from_dict": "coursekit.engine.plan",
    "scenario_from_dict": "coursekit.engine.scenario",
    "strategy_from_dict": "coursekit.engine.audit",
    "compare_changes": "coursekit.exercises.plan_tester.kind",
    "demo_summary": "coursekit.exercises.signals_spotter.kind",
    "one_planted_rep": "coursekit.exercises.signals_spotter.kind",
    "themed_png": "coursekit.exercises.theme",
    "capstone_inputs": "coursekit.capstone.inputs",
    "course_report": "coursekit.signals.detect",
    "COURSE_APPROVAL_LIMIT": "coursekit.signals.detect",
    "timing_figure": "coursekit.signals.plot",
    "BriefButton": "coursekit.brief.button",
    "AnswersTransfer": "coursekit.brief.transfer",
    "answers_transfer": "coursekit.brief.transfer",
    "company_tester": "coursekit.exercises.plan_tester.widget",
    "RoomView": "coursekit.room.view",
    "start_diagnostic": "coursekit.exercises.quiz.widget",
}
WIDGETS = tuple(sorted({k.widget for k in KINDS.values()}))

__all__ = sorted([*WIDGETS, *HELPERS])


def __getattr__(name: str) -> Any:
    if name in HELPERS:
        value = getattr(importlib.import_module(HELPERS[name]), name)
    elif any(k.widget == name for k in KINDS.values()):  # a kind registered since, too
        value = widget_class(name)
    else:
        raise AttributeError(f"coursekit.notebook has no {name!r}: a notebook may call {', '.join(__all__)}")
    globals()[name] = value  # looked up once
    return value


def __dir__() -> list[str]:
    return __all__
