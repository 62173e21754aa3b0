"""``coursekit agenda``, ``links``, ``present`` and ``workspace``: running the course for a room or for oneself."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from coursekit.errors import CourseError
from coursekit.notes.course import load_course_strict
from coursekit.workshop.agenda import agenda, agenda_markdown
from coursekit.workshop.links import binder_link, nbgitpuller_link
from coursekit.workshop.present import (
    PRESENT_TEMPLATE,
    PRESENT_TEMPLATES,
    Stopped,
    present_copy,
    present_environment,
    serve,
    stopped_by_signals,
)
from coursekit.workshop.workspace import sync


def cmd_agenda(a) -> int:
    course = load_course_strict(a.content)
    notes = course.notes
    if a.modules:
        known = course.by_slug()
        missing = [m for m in a.modules if m not in known]
        if missing:
            raise CourseError.at(a.content, "--modules", f"no module {missing[0]!r}", "use slugs from: " + ", ".join(known))
        notes = [known[m] for m in a.modules]
    if a.minutes <= 0:
        raise CourseError.at("agenda", "--minutes", f"{a.minutes} is not a length", "give the session length in minutes")
    rows, cut = agenda(notes, a.minutes, a.start)
    print(agenda_markdown(rows, cut, a.minutes, notes), end="")
    return 0


def cmd_links(a) -> int:
    course = load_course_strict(a.content)
    names = ["00-start-here.ipynb"] + [course.notebook_name(n.slug) for n in course.notes]
    rows = [f"| {name} | {nbgitpuller_link(a.hub, a.repo, a.branch, name)} |" for name in names]  # all checked before printing
    binder = f"\nBinder: {binder_link(a.repo, a.branch)}" if "github.com" in a.repo else ""
    print("| notebook | JupyterHub (nbgitpuller) |\n|---|---|", *rows, sep="\n")
    if binder:
        print(binder)
    return 0


def cmd_present(a) -> int:
    import shutil
    import tempfile

    course = load_course_strict(a.content)
    if a.slug not in course.by_slug() and a.slug != "00-start-here":
        raise CourseError.at(a.content, "SLUG", f"no module {a.slug!r}", "use one of: " + ", ".join(course.by_slug()))
    name = "00-start-here.ipynb" if a.slug == "00-start-here" else course.notebook_name(a.slug)
    if not (Path(a.notebooks) / name).is_file():
        raise CourseError.at(Path(a.notebooks) / name, "--notebooks", "is missing", "run `coursekit build` first")
    voila = shutil.which("voila", path=str(Path(sys.executable).parent)) or shutil.which("voila")
    if not voila:
        raise CourseError.at("present", "voila", "is not installed", "pip install -e '.[present]'")
    try:
        with stopped_by_signals(), tempfile.TemporaryDirectory(prefix="coursekit-present-") as tmp:
            return _present(a, name, voila, tmp)
    except Stopped as exc:  # while the course was copied: the folder is gone, no server was started
        return 128 + exc.args[0]


def _present(a, name: str, voila: str, tmp: str) -> int:
    # the whole course in a throwaway folder: links between modules work, answers go to `presenter` here
    present_copy(a.notebooks, Path(tmp) / "course")
    cmd = [voila, str(Path(tmp) / "course"), "--no-browser", f"--port={a.port}", "--Voila.ip=127.0.0.1",
           "--strip_sources=True", "--VoilaConfiguration.extension_denylist=jupyterlab-jupytext", f"--template={PRESENT_TEMPLATE}"]
    env = present_environment(Path(tmp) / "home", os.environ)
    env["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(PRESENT_TEMPLATES), env.get("JUPYTER_PATH")]))
    print(f"presenting {name} at http://127.0.0.1:{a.port}/voila/render/{name} (Ctrl-C to stop)", flush=True)
    return serve(cmd, env, tmp)  # stopped by Ctrl-C or SIGTERM alike: Voila first, then this folder


def cmd_workspace(a) -> int:
    report = sync(a.notebooks, a.dir)
    for line in report.lines():
        print(line)
    print(f"workspace {a.dir}: {len(report.added) + len(report.updated) + len(report.unchanged) + len(report.kept)} notebooks ready"
          + (f", {len(report.kept)} kept as you changed them" if report.kept else ""))
    return 0


def add_parsers(sub: argparse._SubParsersAction) -> None:
    ag = sub.add_parser("agenda", help="a session plan that fits the time")
    ag.add_argument("--minutes", type=int, default=90)
    ag.add_argument("--modules", nargs="*", help="module slugs, in order (default: all)")
    ag.add_argument("--start", default="09:00", help="start time HH:MM")
    ag.add_argument("--content", default="content")
    ag.set_defaults(func=cmd_agenda)
    li = sub.add_parser("links", help="JupyterHub (nbgitpuller) and Binder links for the course and each module")
    li.add_argument("--hub", required=True, help="e.g. https://hub.example.org")
    li.add_argument("--repo", required=True, help="e.g. https://github.com/OWNER/REPO")
    li.add_argument("--branch", default="main")
    li.add_argument("--content", default="content")
    li.set_defaults(func=cmd_links)
    pr = sub.add_parser("present", help="serve one module with Voila on loopback: code hidden, widgets live")
    pr.add_argument("slug")
    pr.add_argument("--port", type=int, default=8866)
    pr.add_argument("--content", default="content")
    pr.add_argument("--notebooks", default="notebooks")
    pr.set_defaults(func=cmd_present)
    ws = sub.add_parser("workspace", help="create or update your own copy of the notebooks (what `make lab` opens)")
    ws.add_argument("--dir", default="workspace", help="the workspace folder (default: workspace, ignored by git)")
    ws.add_argument("--notebooks", default="notebooks", help="the course's built notebooks")
    ws.set_defaults(func=cmd_workspace)
