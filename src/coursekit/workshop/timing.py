"""Course minutes: each module's activities and their minutes, the one source of timing for agendas and pages."""

from __future__ import annotations

from dataclasses import dataclass

from coursekit.exercises import action_minutes, get_kind, specs_for
from coursekit.notes.model import Note

OPEN_MIN, PITFALLS_MIN, DEBRIEF_MIN, BREAK_EVERY, BREAK_MIN = 5, 5, 5, 75, 10
SETUP_MIN = 10  # a session's first row: everyone launches the course (Binder takes minutes) and runs it (Run All)
CLOSE_MIN = 5  # a session's last row: what each person takes away, and exporting the Alignment brief
SETUP, CLOSE = "Setup (launch and Run All)", "Close and brief"


# Self-paced minutes, as a range: reading at a careful pace plus every exercise done. The per-kind ranges are from a
# run-through at a learner's pace (the pedagogy review of 5d4b742, section 5); a kind not listed takes its default
# minutes to 1.5 times that.
READING_WPM = 150
KIND_RANGES = {"contradiction_map": (15, 25), "plan_tester": (15, 30), "traceability": (8, 10), "pitfall_check": (4, 5),
               "hypothesis": (5, 8), "assumption_check": (5, 6), "priorities": (10, 15), "plan_audit": (15, 20),
               "checklist": (5, 15), "review": (5, 10), "scenario_editor": (5, 10), "decisions": (8, 10),
               "signals_spotter": (20, 25), "quiz": (4, 6)}
DIAGNOSTIC_RANGE = (8, 12)  # twelve scenario items, on the start page and again after the capstone


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
    specs = specs_for(note)
    acts = [Activity(title, "Open: the problem and why it happens", OPEN_MIN)]
    for a in note.actions:
        kinds = [s.type for s in specs if s.action == a.number]
        # a heading's "(15 min)" stands; otherwise every exercise of the action at a learner's pace (the low end)
        mins = a.minutes or (sum(KIND_RANGES.get(k, (get_kind(k).minutes,))[0] for k in kinds) if kinds else action_minutes(note, a))
        acts.append(Activity(title, f"Action {a.number}: {a.title}", mins))
    for s in specs:  # exercises of no action get rows of their own: the hypothesis, the quiz, the diagnostic
        if s.action is None and s.type in ("hypothesis", "quiz"):
            post = getattr(s.options, "diagnostic", None)
            label = "Diagnostic again (post)" if post else get_kind(s.type).title
            acts.append(Activity(title, label, DIAGNOSTIC_RANGE[0] if post else KIND_RANGES[s.type][0], optional=s.type == "quiz" and not post))
    if note.pitfalls or note.assumptions:
        acts.append(Activity(title, "Pitfalls and assumptions", PITFALLS_MIN, optional=True))
    acts.append(Activity(title, "Debrief: what will you change?", DEBRIEF_MIN))
    return acts


def course_minutes(note: Note) -> int:
    """Minutes a module takes in the course (the sum of its timing)."""
    return sum(a.minutes for a in module_timing(note))


def reading_minutes(note: Note) -> int:
    """Minutes to read a module's text at ``READING_WPM`` (sections, objectives, key points), rounded up."""
    m = note.material
    words = sum(len(s.body.split()) + len(s.title.split()) for s in note.sections)
    words += sum(len(str(x).split()) for x in (*m.objectives, *m.key_points))
    return -(-words // READING_WPM)


def exercise_rows(note: Note) -> list[tuple[str, int, int]]:
    """(activity, low, high) for every exercise of a module, action or not (module 1's tester and hypothesis included)."""
    rows = []
    for spec in specs_for(note):
        kind = get_kind(spec.type)
        a = note.action(spec.action) if spec.action else None
        if getattr(spec.options, "diagnostic", None):
            low, high = DIAGNOSTIC_RANGE
            label = "Diagnostic (after the capstone)"
        else:
            low, high = KIND_RANGES.get(kind.name, (kind.minutes, -(-kind.minutes * 3 // 2)))
            label = f"Action {a.number}: {a.title} ({kind.title.lower()})" if a else kind.title
        rows.append((label, low, high))
    return rows


def minutes_range(note: Note) -> tuple[int, int]:
    """A module's self-paced minutes as (low, high), rounded to 5: reading plus every exercise."""
    read = reading_minutes(note)
    rows = exercise_rows(note)
    low, high = read + sum(r[1] for r in rows), read + sum(r[2] for r in rows)
    return 5 * (low // 5), 5 * -(-high // 5)


def course_range(notes) -> tuple[int, int]:
    """The whole course's self-paced minutes (low, high), the pre diagnostic on the start page included."""
    lows, highs = zip(*(minutes_range(n) for n in notes)) if notes else ((0,), (0,))
    return sum(lows) + DIAGNOSTIC_RANGE[0], sum(highs) + DIAGNOSTIC_RANGE[1]
