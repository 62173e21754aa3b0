"""00-start-here (the course map and the learner's progress) and the glossary page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from coursekit.exercises.cells import IGNORE, KERNEL, Cells, literal, md_escape
from coursekit.exercises.quiz.kind import START_KEY, diagnostic_intro
from coursekit.notes.course import Course
from coursekit.notes.glossary import GLOSSARY_NOTEBOOK, Term
from coursekit.workshop.timing import course_range, minutes_range

if TYPE_CHECKING:
    import nbformat


ABOUT = """## Who this course is for

Sales leaders, RevOps and sales-operations analysts, comp designers and enablement leads who set or live with a variable
pay plan, and finance partners who budget it. You need no programming: every exercise is a form.

**When you finish you can**
- find the plan component that punishes the deal your strategy wants, and the smallest change that fixes it, priced per
  100 of bookings;
- tell the measurement period from payment frequency, a credit multiplier from a rate differential, and a cap on the
  period from a cap on the year;
- write each priority as a behavior and trace every component to a strategic choice or a financial constraint;
- write a plan change as a hypothesis with a metric, a review date and an owner, in a brief your CRO can act on.

**Prerequisites:** you have read a sales compensation plan (on-target earnings, quota, commission rate); the glossary
defines the rest. Knowing your own company's plan helps in the capstone.

**How the widgets work:** each exercise is a form under its text. Fill it in, press **Check**: the feedback says what is
right (✔), what to look at again (⚠) and notes (•). Choices are buttons: **Tab** moves between them, **Space** or
**Enter** picks one. Every chart has a table or a sentence beside it. A model answer opens after you have tried. Your
answers are saved as you type, in `~/.coursekit/answers/`, and come back when you run the notebook again."""


def start_notebook(course: Course, exercises: dict[str, list[str]]) -> nbformat.NotebookNode:
    import nbformat.v4 as v4

    c = Cells("start-here")
    minutes = {n.slug: minutes_range(n) for n in course.notes}
    low, high = course_range(course.notes)
    c.md("# Sales strategy and compensation: start here\n\n"
         "Sales organizations contradict themselves: strategy says one thing, planning assumes another, "
         "enablement teaches a third, and pay rewards a fourth. Reps follow pay. In this course you map those "
         "contradictions, trace every pay component to a strategic choice, test plans against a rational rep, "
         f"and leave with an Alignment brief for your own organization.\n\n"
         f"**{len(course.notes)} module{'' if len(course.notes) == 1 else 's'}, {low}-{high} minutes at a careful pace** "
         f"({low / 60:.1f} to {high / 60:.1f} hours: reading at about 150 words a minute and doing every exercise). Open a module, "
         "run it from the top (**Run ▸ Run All Cells**), and work through the exercises. Your answers are saved as you go.", slide="slide")
    c.md(ABOUT, slide="slide")
    rows = ["| # | Module | What it is about | Difficulty | Minutes | Time to apply at work |", "|---|---|---|---|---|---|"]
    for i, n in enumerate(course.notes, 1):
        rows.append(f"| {i} | [{md_escape(n.front.title)}]({course.notebook_name(n.slug)}) | {md_escape(n.front.oneLiner)} "
                    f"| {n.front.difficulty} | {minutes[n.slug][0]}-{minutes[n.slug][1]} | {n.front.timeToApplyMin} min |")
    glossary = (f"\n\nThe comp terms the course uses are defined in the [glossary]({GLOSSARY_NOTEBOOK}); each module links "
                "the first use of each term to it.") if course.glossary else ""
    c.md("## Course map\n\n" + "\n".join(rows) + glossary, slide="slide")
    modules = [{"slug": n.slug, "title": n.front.title, "notebook": course.notebook_name(n.slug), "exercises": exercises[n.slug]}
               for n in course.notes]
    c.md(diagnostic_intro("pre"))
    c.code("from coursekit.notebook import start_diagnostic\n\ndiagnostic = start_diagnostic()  # saved as "
           f"{START_KEY!r}\ndiagnostic", IGNORE, "exercise")
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
