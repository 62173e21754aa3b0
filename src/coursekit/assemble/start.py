"""00-start-here (the course map and the learner's progress) and the glossary page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from coursekit.exercises.cells import KERNEL, Cells, literal, md_escape
from coursekit.notes.course import Course
from coursekit.notes.glossary import GLOSSARY_NOTEBOOK, Term
from coursekit.workshop.timing import course_minutes

if TYPE_CHECKING:
    import nbformat


def start_notebook(course: Course, exercises: dict[str, list[str]]) -> nbformat.NotebookNode:
    import nbformat.v4 as v4

    c = Cells("start-here")
    minutes = {n.slug: course_minutes(n) for n in course.notes}
    total = sum(minutes.values())
    c.md("# Sales strategy and compensation: start here\n\n"
         "Sales organizations contradict themselves: strategy says one thing, planning assumes another, "
         "enablement teaches a third, and pay rewards a fourth. Reps follow pay. In this course you map those "
         "contradictions, trace every pay component to a strategic choice, test plans against a rational rep, "
         f"and leave with an Alignment brief for your own organization.\n\n"
         f"**{len(course.notes)} module{'' if len(course.notes) == 1 else 's'}, about {total} minutes.** Open a module, run it from the top "
         "(**Run ▸ Run All Cells**), and work through the exercises. Your answers are saved as you go.", slide="slide")
    rows = ["| # | Module | What it is about | Difficulty | Minutes | Time to apply at work |", "|---|---|---|---|---|---|"]
    for i, n in enumerate(course.notes, 1):
        rows.append(f"| {i} | [{md_escape(n.front.title)}]({course.notebook_name(n.slug)}) | {md_escape(n.front.oneLiner)} "
                    f"| {n.front.difficulty} | {minutes[n.slug]} | {n.front.timeToApplyMin} min |")
    glossary = (f"\n\nThe comp terms the course uses are defined in the [glossary]({GLOSSARY_NOTEBOOK}); each module links "
                "the first use of each term to it.") if course.glossary else ""
    c.md("## Course map\n\n" + "\n".join(rows) + glossary, slide="slide")
    modules = [{"slug": n.slug, "title": n.front.title, "notebook": course.notebook_name(n.slug), "exercises": exercises[n.slug]}
               for n in course.notes]
    c.md("## Take your answers with you\n\nA hosted session (Binder, a workshop hub) does not keep your files. Export your "
         "answers, your company included, to one file before it ends, and import that file on the next machine; the answers "
         "already there are kept aside first. From a terminal: `coursekit answers export` and `coursekit answers import FILE`.")
    c.code("from coursekit.notebook import answers_transfer\n\nanswers_transfer()", "nbval-ignore-output", "exercise")
    c.md("## Your progress\n\nRun the cell below to see which exercises you have done (from your saved answers).")
    c.code(f"from coursekit.notebook import start_page_progress\n\nCOURSE = {literal(modules)}", "setup")
    c.code("start_page_progress(COURSE)")
    return v4.new_notebook(cells=c.cells, metadata={**KERNEL, "coursekit": {"slug": "00-start-here", "generated": True}})


def glossary_notebook(terms: list[Term]) -> nbformat.NotebookNode:
    """The glossary page: Markdown only, one cell per term in alphabetical order, each opening with an explicit
    ``<a id="...">`` anchor (JupyterLab's sanitizer keeps it as ``data-jupyter-id``, which its fragment links find)."""
    import nbformat.v4 as v4

    c = Cells("glossary")
    c.md("# Glossary\n\nThe comp terms the course uses, in the sense the course uses them. Each module links the first "
         "use of a term here. [Back to the course map](00-start-here.ipynb)", slide="slide")
    for t in sorted(terms, key=lambda t: t.term.lower()):
        source = f"\n\n*Source:* {t.source}" if t.source else ""  # a URL at the end of a source stays a clean link
        c.md(f'<a id="{t.anchor}"></a>\n\n### {t.term}\n\n{t.definition}{source}')
    return v4.new_notebook(cells=c.cells, metadata={**KERNEL, "coursekit": {"slug": "glossary", "generated": True}})
