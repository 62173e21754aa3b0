"""One module notebook from one note: text, exercises, pitfalls, assumptions, links onward."""

from __future__ import annotations

from pathlib import Path

import nbformat
import nbformat.v4 as v4

from ..notes.course import Course
from ..notes.model import Note, Section
from ..notes.parse import LIST_RE, group_heading
from .cells import Cells, md_escape
from .exercise_cells import Planned, exercise_cells, planned_exercises

KERNEL = {"kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
          "language_info": {"name": "python"}}


def text_cells(c: Cells, markdown: str, slide: str | None = None) -> None:
    """Markdown, with fenced python blocks turned into code cells (through jupytext)."""
    if "```python" not in markdown:
        c.md(markdown, slide=slide)
        return
    import jupytext

    for i, cell in enumerate(jupytext.reads(markdown, fmt="md").cells):
        if cell.cell_type == "markdown":
            c.md(cell.source, slide=slide if i == 0 else None)
        else:
            c.code(cell.source)


def section_cells(c: Cells, section: Section) -> None:
    heading = f"## {section.title}\n\n" if section.title else ""
    text_cells(c, heading + section.body, slide="slide")


def header(note: Note, course: Course) -> str:
    f = note.front
    pos, total = course.position(note.slug), len(course.notes)
    return (f"# {md_escape(f.title)}\n\n*{md_escape(f.oneLiner)}*\n\n"
            f"**Module {pos} of {total}** · difficulty **{f.difficulty}** · about **{f.timeToApplyMin} minutes** · "
            f"[course map](00-start-here.ipynb)\n\n"
            "Run the notebook from the top (**Run ▸ Run All Cells**). Your answers are saved as you type "
            "and come back when you run it again.")


def module_notebook(note: Note, course: Course, content_dir: Path, instructor: bool = False) -> nbformat.NotebookNode:
    c = Cells(note.slug)
    c.md(header(note, course), slide="slide")
    if instructor:
        from .instructor import timing_cell

        timing_cell(c, note)
    c.code("import pandas as pd\n"
           "from coursekit import exercises as ex\n"
           "from coursekit.engine import plan_from_dict, scenario_from_dict, strategy_from_dict\n"
           "from coursekit.progress import Answers\n\n"
           f"MODULE = {note.slug!r}\nanswers = Answers.open()\n"
           "pd.set_option('display.max_colwidth', 120)  # show learners' sentences whole", "setup")
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
                text_cells(c, f"### {a.number}. {a.title}" + (f" ({a.duration})" if a.duration else "") + f"\n\n{a.body}", slide="subslide")
                for p in by_action.get(a.number, []):
                    exercise_cells(c, p, instructor)
        elif key.startswith("related content"):
            c.md(related(note, s, course), slide="slide")
        else:
            section_cells(c, s)
            bucket = "pitfalls" if key.startswith("common pitfalls") else "assumptions" if key.startswith("assumptions") else None
            for p in loose.get(bucket, []) if bucket else []:
                exercise_cells(c, p, instructor)
            if key.startswith("common pitfalls"):
                for p in loose["end"]:
                    exercise_cells(c, p, instructor)
                loose["end"] = []
    for p in loose["end"] + ([] if any(s.title.lower().startswith("common pitfalls") for s in note.sections) else loose["pitfalls"]):
        exercise_cells(c, p, instructor)
    c.md("## Your Alignment brief\n\nEverything you entered in this course, as one document to share: "
         "Markdown and a self-contained HTML page with your plots.", slide="slide")
    c.code("ex.BriefButton(answers)", "nbval-ignore-output", "exercise")
    nb = v4.new_notebook(cells=c.cells, metadata={**KERNEL, "coursekit": {"slug": note.slug, "generated": True, "edition": "facilitator" if instructor else "learner",
                                                                            "exercises": [p.id for p in planned]}})
    return nb


def related(note: Note, section: Section, course: Course) -> str:
    """The Related Content section as written, with Next Counsel slugs turned into notebook links."""
    known = course.by_slug()
    out, group = [f"## {section.title}", ""], ""
    for line in section.body.splitlines():
        group = group_heading(line) or group
        item = LIST_RE.match(line)
        if group == "next counsel" and item:
            s = item.group(1).strip("`* ")
            if s in known:
                line = f"- [{md_escape(known[s].front.title)}]({course.notebook_name(s)}): {md_escape(known[s].front.oneLiner)}"
            else:
                line = f"- `{s}` (coming soon)"
        out.append(line)
    return "\n".join(out)
