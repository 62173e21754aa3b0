"""``coursekit check`` and ``coursekit build``: notes linted, notebooks written or compared."""

from __future__ import annotations

import argparse
import sys

from coursekit.assemble import build, check_course
from coursekit.errors import BAD_INPUT, CourseError
from coursekit.feedback import count


def cmd_check(a) -> int:
    """Every problem `build --no-execute` would report, all at once, one line each; exit 2 on errors."""
    course, _planned, problems = check_course(a.content)
    for p in problems:
        print(("warning: " if p.severity == "warning" else "") + str(p), file=sys.stderr)
    errors = [p for p in problems if p.severity == "error"]
    warnings = len(problems) - len(errors)
    if not errors:
        print(f"{count(len(course.notes), 'note')} OK" + (f", {count(warnings, 'warning')}" if warnings else ""))
    return BAD_INPUT if errors else 0


def cmd_build(a) -> int:
    progress = (lambda s: None) if a.quiet else (lambda s: print(s, file=sys.stderr))
    out = a.out or ("workspace/facilitator" if a.instructor else "notebooks")
    if a.outputs and not a.check:
        raise CourseError.at("build", "--outputs", "only compares with --check", "add --check, or leave --outputs out")
    report = build(a.content, out, check=a.check, run=not a.no_execute, instructor=a.instructor, outputs=a.outputs,
                   progress=progress)
    for w in report.warnings:
        print("warning: " + str(w), file=sys.stderr)
    if a.check:
        if report.stale:
            print("stale: notebooks/ is not what `coursekit build` writes; run it and commit:", file=sys.stderr)
            for s in report.stale:
                print(f"  {s}", file=sys.stderr)
            return 1
        print("notebooks are up to date")
        return 0
    print(f"notebooks in {out}: wrote {len(report.written)}, unchanged {len(report.unchanged)}, removed {len(report.removed)}")
    return 0


def add_parsers(sub: argparse._SubParsersAction) -> None:
    c = sub.add_parser("check", help="every problem `build --no-execute` would report, without writing (exit 2 on problems)")
    c.add_argument("--content", default="content")
    c.set_defaults(func=cmd_check)
    b = sub.add_parser("build", help="build notebooks from notes")
    b.add_argument("--content", default="content")
    b.add_argument("--out", default=None, help="default: notebooks/ (workspace/facilitator/ with --instructor, where `make lab` opens it)")
    b.add_argument("--instructor", action="store_true", help="facilitator edition: timing, model answers, discussion prompts")
    b.add_argument("--check", action="store_true", help="exit 1 naming stale notebooks (sources, cell types, tags, metadata; "
                   "no execution); write nothing")
    b.add_argument("--outputs", action="store_true", help="with --check: also execute every notebook and compare its "
                   "stored outputs, byte for byte (slow; make test leaves outputs to nbval)")
    b.add_argument("--no-execute", action="store_true", help="do not run notebooks for stored outputs")
    b.add_argument("--quiet", "-q", action="store_true")
    b.set_defaults(func=cmd_build)
