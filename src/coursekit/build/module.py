"""One module notebook from one note: text, exercises, pitfalls, assumptions, links onward."""

from __future__ import annotations

from pathlib import Path

import nbformat
import nbformat.v4 as v4

from ..notes.course import Course
from ..notes.model import Note, Section
from .cells import Cells
from .exercise_cells import Planned, exercise_cells, planned_exercises

KERNEL = {"kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
          "language_info": {"name": "python"}}


def section_cells(c: Cells, section: Section, level: int = 2) -> None:
    """A section's markdown, with fenced python blocks turned into code cells (through jupytext)."""
    import jupytext

    heading = f"{'#' * level} {section.title}\n\n" if section.title else ""
    if "```python" not in section.body:
        c.md(heading + section.body, slide="slide" if level == 2 else None)
        return
    nb = jupytext.reads(heading + section.body, fmt="md")
    for cell in nb.cells:
        (c.md if cell.cell_type == "markdown" else c.code)(cell.source)


def header(note: Note, course: Course) -> str:
    f = note.front
    pos, total = course.position(note.slug), len(course.notes)
    return (f"# {f.title}\n\n*{f.oneLiner}*\n\n"
            f"**Module {pos} of {total}** · difficulty **{f.difficulty}** · about **{f.timeToApplyMin} minutes** · "
            f"[course map](00-start-here.ipynb)\n\n"
            "Run the notebook from the top (**Run ▸ Run All Cells**). Your answers are saved as you type "
            "and come back when you run it again.")


def module_notebook(note: Note, course: Course, content_dir: Path) -> nbformat.NotebookNode:
    c = Cells(note.slug)
    c.md(header(note, course), slide="slide")
    c.code("from coursekit import exercises as ex\n"
           "from coursekit.engine import scenario_from_dict\n"
           "from coursekit.progress import Answers\n\n"
           f"MODULE = {note.slug!r}\nanswers = Answers.open()", "setup")
    planned = planned_exercises(note, content_dir)
    by_action: dict[int, list[Planned]] = {}
    loose: dict[str, list[Planned]] = {"pitfalls": [], "assumptions": [], "end": []}
    for p in planned:
        if p.spec.action:
            by_action.setdefault(p.spec.action, []).append(p)
        elif p.spec.type == "pitfall_check":
            loose["pitfalls"].append(p)
        elif p.spec.type == "assumption_check":
            loose["assumptions"].append(p)
        else:
            loose["end"].append(p)
    for s in note.sections:
        key = s.title.lower()
        if key.startswith("recommended actions"):
            intro = s.body.split("\n### ")[0] if not s.body.startswith("### ") else ""
            c.md(f"## {s.title}\n\n{intro.strip()}", slide="slide")
            for a in note.actions:
                c.md(f"### {a.number}. {a.title}" + (f" ({a.duration})" if a.duration else "") + f"\n\n{a.body}", slide="subslide")
                for p in by_action.get(a.number, []):
                    exercise_cells(c, note.slug, p)
        elif key.startswith("related content"):
            c.md(related(note, course), slide="slide")
        else:
            section_cells(c, s)
            bucket = "pitfalls" if key.startswith("common pitfalls") else "assumptions" if key.startswith("assumptions") else None
            for p in loose.get(bucket, []) if bucket else []:
                exercise_cells(c, note.slug, p)
            if key.startswith("common pitfalls"):
                for p in loose["end"]:
                    exercise_cells(c, note.slug, p)
                loose["end"] = []
    for p in loose["end"] + ([] if any(s.title.lower().startswith("common pitfalls") for s in note.sections) else loose["pitfalls"]):
        exercise_cells(c, note.slug, p)
    c.md("## Your Alignment brief\n\nEverything you entered in this course, as one document to share: "
         "Markdown and a self-contained HTML page with your plots.", slide="slide")
    c.code("ex.BriefButton(answers)", "nbval-ignore-output", "exercise")
    nb = v4.new_notebook(cells=c.cells, metadata={**KERNEL, "coursekit": {"slug": note.slug, "generated": True,
                                                                            "exercises": [p.id for p in planned]}})
    return nb


def related(note: Note, course: Course) -> str:
    lines = ["## Related Content", ""]
    if note.videos:
        lines += ["**Videos**:", *[f"- {v}" for v in note.videos], ""]
    if note.next_counsel:
        lines.append("**Next Counsel**:")
        known = course.by_slug()
        for s in note.next_counsel:
            if s in known:
                lines.append(f"- [{known[s].front.title}]({course.notebook_name(s)}): {known[s].front.oneLiner}")
            else:
                lines.append(f"- `{s}` (coming soon)")
    return "\n".join(lines)
