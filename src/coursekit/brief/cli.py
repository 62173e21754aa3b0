"""``coursekit export``: the learner's Alignment brief, written as Markdown, HTML and JSON."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from coursekit.answers import Answers
from coursekit.assemble import brief_context, check_course
from coursekit.brief.compose import export_answers


def _brief_context(content: str) -> dict | None:
    """Module titles and the capstone's scenario for the brief, when the course's notes are at hand."""
    if not Path(content).is_dir():
        return None
    course, planned, problems = check_course(content)
    return None if any(p.severity == "error" for p in problems) else brief_context(course, planned)


def cmd_export(a) -> int:
    answers = Answers.open(a.learner)
    if answers.problem:
        print("warning: " + answers.problem, file=sys.stderr)
    for path in export_answers(answers, _brief_context(a.content), a.out, answers.path.stem):
        print(f"wrote {path}")
    return 0


def add_parsers(sub: argparse._SubParsersAction) -> None:
    ex = sub.add_parser("export", help="write the learner's Alignment brief, a decision document (Markdown, HTML and JSON)")
    ex.add_argument("--learner", default=None)
    ex.add_argument("--out", default=None, help="folder for decision-brief.md, .html and .json (default ~/.coursekit/brief/LEARNER, where handin reads)")
    ex.add_argument("--content", default="content", help="notes folder, for module titles and the capstone's scenario in the brief")
    ex.set_defaults(func=cmd_export)
