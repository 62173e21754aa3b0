"""One module notebook from one note: objectives, text, exercises at their anchors, key points, links onward.

Fenced code in a note is shown as code in markdown and never executed: worked examples are declared
options of a kind (see coursekit.exercises.plan_tester.kind), built by code."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from coursekit.assemble.instructor import timing_cell
from coursekit.assemble.plan import plan_note
from coursekit.errors import CourseError
from coursekit.exercises.cells import KERNEL, Cells, literal, md_escape
from coursekit.exercises.kind import Planned
from coursekit.exercises.scenario_editor.kind import course_modules
from coursekit.notes.course import Course
from coursekit.notes.glossary import Linker
from coursekit.notes.model import Note, Section
from coursekit.workshop.timing import course_minutes, minutes_range

if TYPE_CHECKING:
    import nbformat


def header(note: Note, course: Course) -> str:
    f = note.front
    pos, total = course.position(note.slug), len(course.notes)
    low, high = minutes_range(note)
    return (f"# {md_escape(f.title)}\n\n*{md_escape(f.oneLiner)}*\n\n"
            f"**Module {pos} of {total}** · difficulty **{f.difficulty}** · **{low}-{high} minutes** at your own pace "
            f"(about {course_minutes(note)} in a live session) · "
            f"time to apply at work: {f.timeToApplyMin} min · [course map](00-start-here.ipynb)\n\n"
            "Run the notebook from the top (**Run ▸ Run All Cells**). Your answers are saved as you type "
            "and come back when you run it again.")


def exercise(c: Cells, p: Planned, instructor: bool) -> None:
    p.kind.cells(c, p)
    if instructor:
        p.kind.facilitator_cells(c, p)


def module_notebook(note: Note, course: Course, content_dir: Path, instructor: bool = False,
                    planned: list[Planned] | None = None, brief: dict | None = None) -> nbformat.NotebookNode:
    """Raises CourseError when planning finds problems (``check`` reports the same ones). ``brief`` is the
    course's brief context (``run.brief_context``) the export button passes on."""
    import nbformat.v4 as v4

    if planned is None:
        planned, problems = plan_note(note, content_dir, course)
        if problems:
            raise CourseError(problems)
    c = Cells(note.slug)
    c.md(header(note, course), slide="slide")
    c.linker = Linker(course.glossary)  # from here on, the first use of each term in any Markdown links to the glossary
    m = note.material
    if m.objectives:
        c.md("**By the end you can**\n\n" + "\n".join(f"- {o}" for o in m.objectives))
    if instructor:
        timing_cell(c, note)
    # no pandas here: the course imports it when it first builds a table (answers.course_pandas), not before the
    # first exercise shows (issue 27)
    c.code("from coursekit import notebook as ex\n"
           "from coursekit.notebook import Answers, plan_from_dict, scenario_from_dict, strategy_from_dict\n\n"
           f"MODULE = {note.slug!r}\nanswers = Answers.open()", "setup")
    at: dict[tuple, list[Planned]] = {}
    for p in planned:
        at.setdefault(p.anchor, []).append(p)
    for s in note.sections:
        if s.kind == "actions":
            intro = s.body.split("\n### ")[0] if not s.body.startswith("### ") else ""
            c.md(f"## {s.title}\n\n{intro.strip()}", slide="slide")
            for a in note.actions:
                c.md(f"### {a.number}. {a.title}" + (f" ({a.duration})" if a.duration else "") + f"\n\n{a.body}",
                     slide="subslide")
                for p in at.pop(("action", a.number), []):
                    exercise(c, p, instructor)
        elif s.kind == "related":
            c.md(related(note, s, course), slide="slide", link=False)  # sources and next notes: titles, not prose
        else:
            c.md((f"## {s.title}\n\n" if s.title else "") + s.body, slide="slide")
            for p in at.pop(("after", s.kind), []):
                exercise(c, p, instructor)
    for rest in at.values():  # anchors whose section is missing go at the end
        for p in rest:
            exercise(c, p, instructor)
    if m.key_points:
        c.md("## Key points\n\n" + "\n".join(f"- {k}" for k in m.key_points), slide="slide")
    if brief is None:
        brief = {"course": course_modules(course.notes)}
    c.md("## Your Alignment brief\n\nYour answers so far as one decision document for the owners of strategy, planning, "
         "enablement and comp: your priorities, the contradictions you found, the current and the proposed plan with pay "
         "per option and its incentive cost per 100 of bookings, the audit findings still open, your hypothesis and its review date, and the decision "
         "asked of each owner. Written as Markdown, a self-contained HTML page and JSON to a folder of your own in `~/.coursekit/brief/`.", slide="slide")
    c.code(f"BRIEF = {literal(brief)}  # the course's modules and the capstone's scenario, for the brief's headings and pay", "setup")
    c.code("ex.BriefButton(answers, **BRIEF)", "nbval-ignore-output", "exercise")
    return v4.new_notebook(cells=c.cells, metadata={**KERNEL, "coursekit": {
        "slug": note.slug, "generated": True, "edition": "facilitator" if instructor else "learner",
        "exercises": [p.id for p in planned], "kinds": {p.id: p.spec.type for p in planned}}})


def related(note: Note, section: Section, course: Course) -> str:
    """The Related Content section from the parsed groups, with Next Counsel slugs turned into notebook links."""
    known = course.by_slug()
    intro = section.body.split("**", 1)[0].strip()
    out = [f"## {section.title}", ""] + ([intro, ""] if intro else [])
    for group, items in note.related.items():
        out += [f"**{group.title()}**:"]
        for item in items:
            s = item.strip("`* ")
            if group != "next counsel":
                out.append(f"- {item}")
            elif s in known:
                out.append(f"- [{md_escape(known[s].front.title)}]({course.notebook_name(s)}): {md_escape(known[s].front.oneLiner)}")
            else:
                out.append(f"- `{s}` (coming soon)")
        out.append("")
    return "\n".join(out).strip()
