"""Course minutes: each module's activities and their minutes, the one source of timing for agendas and pages."""

from __future__ import annotations

from dataclasses import dataclass

from coursekit.exercises import action_minutes
from coursekit.notes.model import Note

OPEN_MIN, PITFALLS_MIN, DEBRIEF_MIN, BREAK_EVERY, BREAK_MIN = 5, 5, 5, 75, 10
SETUP_MIN = 10  # a session's first row: everyone launches the course (Binder takes minutes) and runs it (Run All)
CLOSE_MIN = 5  # a session's last row: what each person takes away, and exporting the Alignment brief
SETUP, CLOSE = "Setup (launch and Run All)", "Close and brief"


@dataclass(frozen=True)
class Activity:
    module: str
    activity: str
    minutes: int
    optional: bool = False  # what the agenda cuts first when time is short


def module_timing(note: Note) -> list[Activity]:
    """A module in a live session: opening, each action (its heading's minutes, else its exercise kind's
    default), pitfalls, debrief. The one source of course minutes: module header, start page, facilitator
    tables and `coursekit agenda` all use it (``timeToApplyMin`` is time to apply at work, not course time)."""
    title = note.front.title
    acts = [Activity(title, "Open: the problem and why it happens", OPEN_MIN)]
    for a in note.actions:
        acts.append(Activity(title, f"Action {a.number}: {a.title}", action_minutes(note, a)))
    if note.pitfalls or note.assumptions:
        acts.append(Activity(title, "Pitfalls and assumptions", PITFALLS_MIN, optional=True))
    acts.append(Activity(title, "Debrief: what will you change?", DEBRIEF_MIN))
    return acts


def course_minutes(note: Note) -> int:
    """Minutes a module takes in the course (the sum of its timing)."""
    return sum(a.minutes for a in module_timing(note))
