"""One error type for everything a user writes: it names the file, the field and the fix."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass
class Problem:
    """One problem in one input file, printed as ``FILE:LINE: field: problem (fix)``."""

    file: str
    field: str
    problem: str
    fix: str = ""
    line: int | None = None
    severity: str = "error"  # "error" or "warning"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        fix = f" ({self.fix})" if self.fix else ""
        text = f"{where}: {self.field}: {self.problem}{fix}"
        # keep it one line whatever the input held
        return " ".join(text.split())


class CourseError(Exception):
    """Bad input. Holds one or more problems; ``str()`` is one line per problem."""

    def __init__(self, problems: Problem | list[Problem]):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def at(cls, file: str | Path, field: str, problem: str, fix: str = "", line: int | None = None):
        return cls(Problem(str(file), field, problem, fix, line))


def __getattr__(name: str):
    """``read_text`` and ``MAX_INPUT_BYTES`` moved to ``coursekit.io``; still importable from here."""
    if name in ("read_text", "MAX_INPUT_BYTES"):
        from . import io

        return getattr(io, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
