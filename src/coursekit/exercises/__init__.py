"""The exercise kinds: one module per kind, listed here (as jupytext's ``formats.py`` lists formats).

Add a kind: write ``kinds/<name>.py`` with a ``Kind`` subclass and ``KIND = ...``, add it to ``KINDS``
below, and test it. Kinds import no ipywidgets, so ``check`` and ``build`` stay light."""

from __future__ import annotations

from typing import TYPE_CHECKING

from coursekit.exercises.assumption_check import kind as assumption_check
from coursekit.exercises.checklist import kind as checklist
from coursekit.exercises.contradiction_map import kind as contradiction_map
from coursekit.exercises.decisions import kind as decisions
from coursekit.exercises.hypothesis import kind as hypothesis
from coursekit.exercises.kind import Kind, PlanContext, Planned, whole_word
from coursekit.exercises.options import closest
from coursekit.exercises.pitfall_check import kind as pitfall_check
from coursekit.exercises.plan_audit import kind as plan_audit
from coursekit.exercises.plan_tester import kind as plan_tester
from coursekit.exercises.priorities import kind as priorities
from coursekit.exercises.review import kind as review
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
)}
DEFAULT_KIND = "checklist"  # an action no keyword matches


def get_kind(name: str) -> Kind:
    """The kind called ``name``; KeyError with a did-you-mean otherwise."""
    try:
        return KINDS[name]
    except (KeyError, TypeError):
        raise KeyError(f"unknown exercise kind {name!r}: {closest(str(name), list(KINDS))}") from None


def register(kind: Kind) -> Kind:
    """Add a kind at run time (tests, plugins). Returns it."""
    if not kind.name or kind.name in KINDS:
        raise ValueError(f"kind name {kind.name!r} is empty or taken")
    KINDS[kind.name] = kind
    return kind


def kind_for_action(action: Action) -> str:
    """The default kind for an action: the first kind with a keyword that is a whole word of the title."""
    return next((k.name for k in KINDS.values() for w in k.keywords if whole_word(w, action.title)), DEFAULT_KIND)


def default_specs(note: Note) -> list[ExerciseSpec]:
    """Exercises for a note that lists none: one per action, then pitfalls, a hypothesis when the note
    speaks of one, and assumptions."""
    from coursekit.notes.model import ExerciseSpec

    def spec(kind: str, action: int | None = None) -> ExerciseSpec:
        return ExerciseSpec(kind, action, KINDS[kind].Options())

    specs = [spec(kind_for_action(a), a.number) for a in note.actions]
    if note.pitfalls:
        specs.append(spec("pitfall_check"))
    if any(whole_word("hypothesis", s.body) for s in note.sections):
        specs.append(spec("hypothesis"))
    if note.assumptions:
        specs.append(spec("assumption_check"))
    return specs


def specs_for(note: Note) -> list[ExerciseSpec]:
    return list(note.front.exercises) or default_specs(note)


def action_minutes(note: Note, action: Action) -> int:
    """Course minutes of an action: its heading's "(15 min)", else its exercise kind's default minutes."""
    if action.minutes:
        return action.minutes
    kind = next((s.type for s in specs_for(note) if s.action == action.number), kind_for_action(action))
    return get_kind(kind).minutes


__all__ = ["DEFAULT_KIND", "KINDS", "Kind", "PlanContext", "Planned", "action_minutes", "default_specs", "get_kind",
           "kind_for_action", "register", "specs_for"]
