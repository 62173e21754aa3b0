"""``coursekit export``: the learner's Alignment brief, written as Markdown, HTML and JSON; ``coursekit answers export`` and
``coursekit answers import``: the learner's company and answers as one file, taken to another machine."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from coursekit.answers import Answers
from coursekit.assemble import brief_context, check_course
from coursekit.brief.compose import export_answers
from coursekit.io import atomic_write, read_text


def _brief_context(content: str) -> dict | None:
    """Module titles and the capstone's scenario for the brief, when the course's notes are at hand."""
    if not Path(content).is_dir():
        return None
    course, planned, problems = check_course(content)
    return None if any(p.severity == "error" for p in problems) else brief_context(course, planned)


def cmd_export(a) -> int:
    answers = Answers.open(a.learner, migrate=False)  # a read: the file stays as it is
    if answers.problem:
        print("warning: " + answers.problem, file=sys.stderr)
    for path in export_answers(answers, _brief_context(a.content), a.out, answers.path.stem):
        print(f"wrote {path}")
    return 0


def cmd_answers_export(a) -> int:
    answers = Answers.open(a.learner, migrate=False)  # a read: the file stays as it is
    if answers.problem:
        print("warning: " + answers.problem, file=sys.stderr)
    out = Path(a.out or f"{answers.path.stem}-answers.json")
    atomic_write(out, json.dumps(answers.export(answers.path.stem), indent=1, sort_keys=True, ensure_ascii=False), mode=0o600)
    print(f"wrote {out} ({len(answers.keys())} answers): import it with `coursekit answers import {out.name}`")
    return 0


def cmd_answers_import(a) -> int:
    data = Answers.parse_export(read_text(a.file, "answers"), a.file)
    answers = Answers.open(a.learner)
    n, aside = answers.import_answers(data, a.file)
    print(f"imported {n} answers into {answers.path}" + (f"; the file as it was is kept as {aside.name}" if aside else ""))
    return 0


def add_parsers(sub: argparse._SubParsersAction) -> None:
    an = sub.add_parser("answers", help="take the learner's company and answers to another machine: export to one file, import it")
    asub = an.add_subparsers(dest="answers_cmd", required=True)
    e = asub.add_parser("export", help="write every saved answer (your company included) to one file")
    e.add_argument("--learner", default=None)
    e.add_argument("--out", default=None, help="the file to write (default LEARNER-answers.json here)")
    e.set_defaults(func=cmd_answers_export)
    i = asub.add_parser("import", help="merge an exported answers file into yours (yours is kept aside first)")
    i.add_argument("file")
    i.add_argument("--learner", default=None)
    i.set_defaults(func=cmd_answers_import)

    ex = sub.add_parser("export", help="write the learner's Alignment brief, a decision document (Markdown, HTML and JSON)")
    ex.add_argument("--learner", default=None)
    ex.add_argument("--out", default=None, help="folder for decision-brief.md, .html and .json (default ~/.coursekit/brief/LEARNER, where handin reads)")
    ex.add_argument("--content", default="content", help="notes folder, for module titles and the capstone's scenario in the brief")
    ex.set_defaults(func=cmd_export)
