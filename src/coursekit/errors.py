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


MAX_INPUT_BYTES = 2_000_000


def read_text(path: str | Path, field: str = "file", limit: int = MAX_INPUT_BYTES) -> str:
    """Read a user's text file, turning every way it can be unreadable into a CourseError."""
    p = Path(path)
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise CourseError.at(p, field, f"cannot read: {exc.strerror or exc}", "check the path") from None
    if not p.is_file():
        raise CourseError.at(p, field, "is not a file", "give the path of a file")
    if size > limit:
        raise CourseError.at(
            p, field, f"file is {size:,} bytes, more than the {limit:,} allowed", "split or shorten it"
        )
    data = p.read_bytes()
    if b"\x00" in data:
        raise CourseError.at(p, field, "is a binary file, not text", "save it as UTF-8 text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CourseError.at(
            p, field, f"is not UTF-8 text (byte {exc.start})", "save it as UTF-8 text"
        ) from None
