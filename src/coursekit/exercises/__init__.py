"""The exercise kinds: one folder per kind, listed here (as jupytext's ``formats.py`` lists formats).

Each kind is ``exercises/<name>/``: ``kind.py`` (its typed options, cells, facilitator material and brief rows; no
ipywidgets) and, for a kind with a widget of its own, ``widget.py`` (the class its kind names in ``widget``, with
``kind = KIND.name``). Add a kind: copy a folder, edit both files, and give the kind its place in ``KINDS`` below
(the place decides which kind wins a keyword). Importing this registry loads no ipywidgets, so ``check`` and
``build`` stay light; a widget class is imported when first asked for (``widget_class``)."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from coursekit import compat
from coursekit.errors import closest
from coursekit.exercises import kind
from coursekit.exercises.assumption_check import kind as assumption_check
from coursekit.exercises.checklist import kind as checklist
from coursekit.exercises.contradiction_map import kind as contradiction_map
from coursekit.exercises.decisions import kind as decisions
from coursekit.exercises.hypothesis import kind as hypothesis
from coursekit.exercises.kind import DEFAULT_KIND, Kind, PlanContext, Planned
from coursekit.exercises.pitfall_check import kind as pitfall_check
from coursekit.exercises.plan_audit import kind as plan_audit
from coursekit.exercises.plan_tester import kind as plan_tester
from coursekit.exercises.priorities import kind as priorities
from coursekit.exercises.quiz import kind as quiz
from coursekit.exercises.review import kind as review
from coursekit.exercises.rubric import kind as rubric
from coursekit.exercises.scenario_editor import kind as scenario_editor
from coursekit.exercises.signals_spotter import kind as signals_spotter
from coursekit.exercises.traceability import kind as traceability

if TYPE_CHECKING:
    from coursekit.notes.model import Action, ExerciseSpec, Note

KINDS: dict[str, Kind] = {k.name: k for k in (
    contradiction_map.KIND,
    plan_tester.KIND,
    plan_audit.KIND,
    traceability.KIND,
    pitfall_check.KIND,
    hypothesis.KIND,
    assumption_check.KIND,
    checklist.KIND,
    review.KIND,
    priorities.KIND,
    decisions.KIND,
    scenario_editor.KIND,
    signals_spotter.KIND,
    quiz.KIND,
    rubric.KIND,
)}


def get_kind(name: str) -> Kind:
    """The kind called ``name``; KeyError with a did-you-mean otherwise."""
    try:
        return KINDS[name]
    except (KeyError, TypeError):
        raise KeyError(f"unknown exercise kind {name!r}: {closest(str(name), list(KINDS))}") from None


def widget_class(name: str) -> type:
    """The widget class a kind names (``Kind.widget``), imported from its folder when first asked for."""
    for k in KINDS.values():
        if k.widget == name:
            return getattr(importlib.import_module(f"{__name__}.{k.name}.widget"), name)
    raise AttributeError(f"no exercise widget {name!r}: {closest(name, sorted({k.widget for k in KINDS.values()}))}")


def register(kind: Kind) -> Kind:
    """Add a kind at run time (tests, plugins). Returns it."""
    if not kind.name or kind.name in KINDS:
        raise ValueError(f"kind name {kind.name!r} is empty or taken")
    KINDS[kind.name] = kind
    return kind


def kind_for_action(action: Action) -> str:
    """The default kind for an action: the first kind with a keyword that is a whole word of the title."""
    return kind.kind_for_action(action, KINDS)


def default_specs(note: Note) -> list[ExerciseSpec]:
    return kind.default_specs(note, KINDS)


def specs_for(note: Note) -> list[ExerciseSpec]:
    return kind.specs_for(note, KINDS)


def action_minutes(note: Note, action: Action) -> int:
    """Course minutes of an action: its heading's "(15 min)", else its exercise kind's default minutes."""
    if action.minutes:
        return action.minutes
    kind = next((s.type for s in specs_for(note) if s.action == action.number), kind_for_action(action))
    return get_kind(kind).minutes


__all__ = ["DEFAULT_KIND", "KINDS", "Kind", "PlanContext", "Planned", "action_minutes", "default_specs", "get_kind",
           "kind_for_action", "register", "specs_for", "widget_class"]


def __getattr__(name: str):
    """coursekit 0.1's widgets by name (``from coursekit import exercises as ex; ex.PlanTester``), with a warning naming
    ``coursekit.notebook`` (until 0.3.0)."""
    return compat.old_name(__name__, name)
