"""The planning pass: every exercise of a note resolved through its kind (files read, indices checked),
all problems collected. `coursekit check` and `build` both run it, so they report the same problems."""

from __future__ import annotations

from pathlib import Path

from coursekit.capstone.inputs import exercise_ids
from coursekit.errors import Problem, closest
from coursekit.exercises import KINDS, get_kind, specs_for
from coursekit.exercises.kind import PlanContext, Planned, declared_specs
from coursekit.notes.course import Course
from coursekit.notes.model import Note


def plan_note(note: Note, content_dir: Path, course: Course | None = None) -> tuple[list[Planned], list[Problem]]:
    """Each exercise with its id (the answer key), widget kwargs, worked-example data, anchor and material."""
    planned: list[Planned] = []
    problems: list[Problem] = []
    problems += declared_specs(note, KINDS)[1]
    specs = specs_for(note)
    ids = exercise_ids(specs)
    for spec, ex_id in zip(specs, ids):
        kind = get_kind(spec.type)
        ctx = PlanContext(note, spec, ex_id, content_dir, course=course, kinds=KINDS)
        kwargs = kind.plan(ctx)
        demo = kind.demo(ctx, kwargs) if kwargs is not None else {}
        problems += ctx.problems
        if kwargs is None or ctx.problems:
            continue
        anchor = ("action", spec.action) if spec.action else ("after", kind.after) if note.section_of(kind.after) else ("end", None)
        fac = note.material.facilitator.get(ex_id)
        planned.append(Planned(spec, ex_id, kwargs, demo, anchor, (fac.model_answer or None) if fac else None, fac, kind))
    where = str(note.material_file or note.path)
    for key in note.material.facilitator:
        if key not in ids:
            problems.append(Problem(where, "facilitator", f"{key!r} is not an exercise of this note",
                                    closest(key, ids) if ids else "remove it"))
    return planned, problems


def plan_course(course: Course, content_dir: Path) -> tuple[dict[str, list[Planned]], list[Problem]]:
    out: dict[str, list[Planned]] = {}
    problems: list[Problem] = []
    for note in course.notes:
        out[note.slug], probs = plan_note(note, Path(content_dir), course)
        problems += probs
    return out, problems
