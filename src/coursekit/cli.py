"""The command line: one parser built from each feature package's own commands, and exit codes mapped in one place.

Exit codes, every command: 0 success; 2 bad input (one line per problem naming file, field and fix);
1 when `audit` or `signals` find something (and `build --check` finds stale notebooks)."""

from __future__ import annotations

import argparse
import sys

from coursekit.assemble import cli as assemble_cli
from coursekit.brief import cli as brief_cli
from coursekit.engine import cli as engine_cli
from coursekit.errors import BAD_INPUT, CourseError
from coursekit.room import cli as room_cli
from coursekit.sanitize import plain_text
from coursekit.signals import cli as signals_cli
from coursekit.workshop import cli as workshop_cli

# each package adds its own subcommands, in the order `coursekit --help` lists them
COMMANDS = (assemble_cli, engine_cli, signals_cli, brief_cli, workshop_cli, room_cli)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="coursekit", description="Build and run the sales strategy and compensation course.")
    sub = p.add_subparsers(dest="command", required=True)
    for package in COMMANDS:
        package.add_parsers(sub)
    return p


class _Plain:
    """A text stream that takes terminal escape codes out of everything written to it (``sanitize.plain_text``): learners'
    text, file names and CSV fields reach the terminal as text, never as codes that recolour, retitle or rewrite it."""

    def __init__(self, stream):
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(plain_text(text))
        return len(text)

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


def main(argv: list[str] | None = None) -> int:
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _Plain(out), _Plain(err)  # every command's output (argparse's too), one helper
    try:
        return _run(parser().parse_args(argv))
    finally:
        sys.stdout, sys.stderr = out, err


def _run(args: argparse.Namespace) -> int:
    try:
        return args.func(args)
    except CourseError as exc:
        for p in exc.problems:
            print(str(p), file=sys.stderr)
        return BAD_INPUT
    except OSError as exc:  # a path the user gave that cannot be read or written
        where = exc.filename or args.command
        print(f"{where}: file: {exc.strerror or ' '.join(str(exc).split())} (check the path and its permissions)", file=sys.stderr)
        return BAD_INPUT
    except ValueError as exc:
        print(f"coursekit {args.command}: {' '.join(str(exc).split())}", file=sys.stderr)
        return BAD_INPUT
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
