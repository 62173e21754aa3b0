"""Build the course: every note -> notebook, executed for stored outputs, written all-or-nothing."""

from __future__ import annotations

import copy
import os
import sys
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from coursekit import keys
from coursekit.assemble.instructor import ROOM_NOTEBOOK, diagnostic_cells, room_notebook
from coursekit.assemble.keystore import bank_store
from coursekit.assemble.module import module_notebook
from coursekit.assemble.plan import plan_course
from coursekit.assemble.precompute import precomputed_store
from coursekit.assemble.start import glossary_notebook, start_notebook
from coursekit.capstone.inputs import NEEDED_KINDS, missing_kinds, modules
from coursekit.engine import precomputed as precompute
from coursekit.errors import CourseError, Problem
from coursekit.exercises import specs_for
from coursekit.exercises.cells import Cells
from coursekit.exercises.kind import Planned
from coursekit.exercises.quiz.kind import load_bank
from coursekit.exercises.scenario_editor.kind import course_modules
from coursekit.io import atomic_write_all
from coursekit.keys import render_keys
from coursekit.notes.course import Course, load_course
from coursekit.notes.glossary import GLOSSARY_NOTEBOOK

if TYPE_CHECKING:
    import nbformat

STRIP_TAG = "exercise"  # live widget cells: no stored output, so nothing stale shows before a run


@dataclass
class BuildReport:
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    keys: list[Path] = field(default_factory=list)  # answer-key files written (coursekit/data/keys/<note>.json)
    precomputed: list[Path] = field(default_factory=list)  # result files written (coursekit/data/precomputed/<note>.json)
    warnings: list[Problem] = field(default_factory=list)


def check_course(content: str | Path) -> tuple[Course, dict[str, list[Planned]], list[Problem]]:
    """Everything `build --no-execute` would report, without assembling: notes, sidecars, every exercise
    planned through its kind. Returns (course, planned exercises by slug, problems incl. warnings)."""
    content = Path(content)
    course = load_course(content)
    planned, problems = plan_course(course, content)
    problems += outline_problems(course, content)
    problems += bank_store(content)[1]  # the diagnostic bank is checked with the rest
    unique = {str(p) + p.severity: p for p in course.problems + problems}  # a file many exercises name is reported once
    return course, planned, list(unique.values())


def course_outline(course: Course) -> list[dict]:
    """The modules in order with their exercises by id and kind (``course_modules``): what the capstone and the brief
    search by kind."""
    return course_modules(course.notes, specs_for)


def outline_problems(course: Course, content: Path) -> list[Problem]:
    """One line when the course has some of the exercises the capstone and the brief read (priorities, options editor,
    decisions) but not all: their sections would stay empty whatever the learner does."""
    mods = modules(course_outline(course))
    missing = missing_kinds(mods)
    if not missing or len(missing) == len(NEEDED_KINDS):
        return []
    return [Problem(str(content), "exercises", "the course has no " + " and no ".join(missing) + " exercise, which the capstone and "
                    "the brief read by kind", "add `{type: " + missing[0] + "}` to the note that should ask for it", severity="warning")]


def outline(course: Course, planned: dict[str, list[Planned]]) -> list[dict]:
    """The course as the brief reads it: modules in order, each exercise's id, kind and human title."""
    out = []
    for note in course.notes:
        exs = []
        for p in planned.get(note.slug, []):
            a = note.action(p.spec.action)
            exs.append({"id": p.id, "kind": p.spec.type, "title": (f"Action {a.number}: {a.title}" if a else p.kind.title)
                        + (f" ({p.kind.title.lower()})" if a and p.id.count("-") > 1 else "")})
        out.append({"slug": note.slug, "title": note.front.title, "exercises": exs})
    return out


def brief_context(course: Course, planned: dict[str, list[Planned]]) -> dict:
    """What the decision brief needs from the course, as plain data: the modules in order (human headings) and,
    from the capstone's options editor, its scenario and the earlier modules' worked-example plans (pay per option)."""
    editor = next((p for ps in planned.values() for p in ps if p.spec.type == "scenario_editor"), None)
    if editor is not None:
        ctx = {"course": editor.kwargs["course"], "scenario": editor.kwargs["scenario"], "worked": editor.kwargs["worked"]}
    else:
        ctx = {"course": course_outline(course), "scenario": None, "worked": {}}
    return ctx


def key_store(course: Course, planned: dict[str, list[Planned]], content: Path | None = None) -> dict[str, dict[str, dict]]:
    """``store[note][exercise id]``: what each exercise keeps out of the learner's notebook (its model answer, keyed
    choices, quiz keys; ``Kind.key_of``), every note with a file, and the diagnostic bank from ``content``."""
    store = {note.slug: {p.id: k for p in planned.get(note.slug, []) if (k := p.kind.key_of(p))} for note in course.notes}
    if content is not None:
        store.update(bank_store(content)[0])
    return store


def course_keys(course: Course, planned: dict[str, list[Planned]], content: Path | None = None) -> dict[str, str]:
    """Each note's answer keys as the JSON text the build writes (note slug -> text): ``coursekit.keys`` reads them at
    run time."""
    return {slug: render_keys(k) for slug, k in key_store(course, planned, content).items()}


def generate(content: Path, instructor: bool = False,
             keys: dict[str, str] | None = None) -> tuple[Course, dict[str, nbformat.NotebookNode]]:
    """Parse the course and assemble every notebook in memory (and, into ``keys``, each note's answer-key text).
    Raises CourseError listing every problem."""
    course, notebooks, store = assemble(content, instructor)
    if keys is not None:
        keys.update({slug: render_keys(k) for slug, k in store.items()})
    return course, notebooks


def assemble(content: Path, instructor: bool = False) -> tuple[Course, dict[str, nbformat.NotebookNode], dict]:
    """``generate``, and the answer-key store (``coursekit.keys``) the notebooks load at run time."""
    return _assemble(content, instructor)[:3]


def _assemble(content: Path, instructor: bool = False) -> tuple[Course, dict[str, nbformat.NotebookNode], dict, dict[str, list[Planned]]]:
    """``assemble``, and the planned exercises by note (what ``precomputed_store`` computes from)."""
    course, planned, problems = check_course(content)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise CourseError(errors)
    notebooks: dict[str, nbformat.NotebookNode] = {}
    exercises: dict[str, list[str]] = {}
    brief = brief_context(course, planned)
    for note in course.notes:
        nb = module_notebook(note, course, Path(content), instructor, planned[note.slug], brief)
        exercises[note.slug] = nb.metadata["coursekit"]["exercises"]
        notebooks[course.notebook_name(note.slug)] = nb
    start = start_notebook(course, exercises)
    bank = load_bank(Path(content))[0]
    if instructor and bank:  # the diagnostic's keys and how to run it, on the facilitator's start page
        c = Cells("start-here-facilitator")
        diagnostic_cells(c, bank)
        start.cells += c.cells
    notebooks = {"00-start-here.ipynb": start, **notebooks}
    if course.glossary:
        notebooks[GLOSSARY_NOTEBOOK] = glossary_notebook(course.glossary)
    if instructor:  # the facilitator's live view of the room's handed-in briefs

        notebooks[ROOM_NOTEBOOK] = room_notebook()
    return course, notebooks, key_store(course, planned, Path(content)), planned


def execute(name: str, nb: nbformat.NotebookNode, workdir: Path) -> nbformat.NotebookNode:
    """Run a notebook in a fresh kernel; widget cells keep no outputs. Raises CourseError on a failing cell."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    client = NotebookClient(nb, timeout=300, extra_arguments=["--IPKernelApp.log_level=ERROR"], kernel_name="python3", resources={"metadata": {"path": str(workdir)}},
                            record_timing=False, store_widget_state=False)
    try:
        client.execute()
    except CellExecutionError as exc:
        import re

        last = [re.sub(r"\x1b\[[0-9;]*m", "", ln) for ln in str(exc).splitlines() if ln.strip()][-1:]
        raise CourseError.at(name, "cell", f"failed while building: {' '.join(last)}", "fix the note's code block or report a coursekit bug") from None
    for cell in nb.cells:
        if cell.cell_type == "code" and STRIP_TAG in cell.metadata.get("tags", []):
            cell.outputs, cell.execution_count = [], None
    nb.metadata.pop("widgets", None)
    return nb


def render(nb: nbformat.NotebookNode) -> str:
    import nbformat

    nbformat.validate(nb)
    return nbformat.writes(nb) + "\n"


def _execute_all(notebooks: dict[str, nbformat.NotebookNode], workdir: Path, progress: Callable[[str], None]) -> None:
    """Execute in parallel (two kernels) with a private, empty answers home so no learner data leaks in."""
    with tempfile.TemporaryDirectory(prefix="coursekit-build-") as home:
        old = os.environ.get("COURSEKIT_HOME")
        os.environ["COURSEKIT_HOME"] = home
        try:
            def run(item):
                name, nb = item
                out = execute(name, nb, workdir)
                progress(f"executed {name}")
                return name, out
            with ThreadPoolExecutor(max_workers=2) as pool:
                for name, nb in pool.map(run, list(notebooks.items())):
                    notebooks[name] = nb
        finally:
            if old is None:
                os.environ.pop("COURSEKIT_HOME", None)
            else:
                os.environ["COURSEKIT_HOME"] = old


def build(content: str | Path, out: str | Path, *, check: bool = False, run: bool = True, instructor: bool = False,
          outputs: bool = False, progress: Callable[[str], None] = lambda s: print(s, file=sys.stderr)) -> BuildReport:
    """Build (or with ``check``, compare) every notebook. Nothing in ``out`` changes unless all succeed.

    ``check`` alone compares what a build writes without executing: sources, cell types, tags and metadata
    (stored outputs are nbval's to check, which executes each notebook once). ``check`` with ``outputs``
    executes every notebook and compares the files byte for byte."""
    content, out = Path(content), Path(out)
    course, notebooks, store, planned = _assemble(content, instructor)
    new_keys = [] if check else keys.write_store(store)  # first: the notebooks executed below load them
    results = precomputed_store(course, planned)  # what a widget shows first, computed once here (coursekit.engine.precomputed)
    new_results = [] if check else precompute.write_store(results)
    if run and (outputs or not check):
        _execute_all(notebooks, out if out.is_dir() else Path.cwd(), progress)
    texts = {name: render(nb) for name, nb in notebooks.items()}
    report = BuildReport(warnings=course.warnings, keys=list(new_keys), precomputed=list(new_results))
    existing = {p.name: p for p in out.glob("*.ipynb")} if out.is_dir() else {}
    extra = [p for name, p in existing.items() if name not in texts and _generated(p)]
    if check:
        same = _same_bytes if outputs else _same_unexecuted
        report.stale = [str(out / name) + (" (missing)" if not (out / name).exists() else "")
                        for name, text in texts.items() if not same(out / name, text)]
        report.stale += [f"{p} (no longer built)" for p in extra]
        report.stale += [f"{p} (answer keys)" for p in keys.stale_store(store)]
        report.stale += [f"{p} (precomputed results)" for p in precompute.stale_store(results)]
        return report
    report.unchanged = [out / name for name, text in texts.items() if _same_bytes(out / name, text)]
    changed = {out / name: text for name, text in texts.items() if out / name not in report.unchanged}
    atomic_write_all(changed, mode=0o644)  # all staged first: if one cannot be written, none is replaced
    report.written = list(changed)
    for p in extra:
        p.unlink()
        report.removed.append(p)
    return report


def _same_bytes(path: Path, text: str) -> bool:
    return path.is_file() and path.read_text(encoding="utf-8") == text


def _unexecuted(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of ``nb`` as a build assembles it before execution: no outputs, no execution counts, and
    none of the metadata a kernel adds (``language_info``)."""
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    nb.metadata.pop("language_info", None)
    return nb


def _same_unexecuted(path: Path, text: str) -> bool:
    """Whether the notebook at ``path`` has the sources, cell types, tags and metadata of ``text``."""
    import nbformat

    if not path.is_file():
        return False
    try:
        stored = nbformat.reads(path.read_text(encoding="utf-8"), as_version=4)
    except Exception:  # noqa: BLE001 - a file that is not a notebook is stale, whatever the reason
        return False
    return nbformat.writes(_unexecuted(stored)) == nbformat.writes(_unexecuted(nbformat.reads(text, as_version=4)))


def _generated(path: Path) -> bool:
    import nbformat

    try:
        return bool(nbformat.read(path, as_version=4).metadata.get("coursekit", {}).get("generated"))
    except Exception:  # noqa: BLE001 - an unreadable file is not ours to delete
        return False
