"""One error type for everything a user writes: it names the file, the field and the fix."""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BAD_INPUT = 2  # the exit code of every command for bad input, as argparse exits for a bad option


def closest(word: str, options: list[str] | tuple[str, ...]) -> str:
    """`did you mean `x`?` for a misspelt name, else the list of allowed names."""
    hit = difflib.get_close_matches(str(word), list(options), n=1)
    return f"did you mean `{hit[0]}`?" if hit else "allowed: " + ", ".join(options)


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


class Checker:
    """Collects every problem of one input file, then raises them together as one CourseError.

    Each check reports through ``bad(field, problem, fix)`` and returns the clean value or None, so a
    validator reads top to bottom and reports all problems at once. ``field`` is a path such as
    ``tiers[2].from``; its line is looked up once, in ``line()``, from the line of the top-level key.

        chk = Checker("plan.yaml", lines)
        quota = chk.number(data.get("quota"), "quota", positive=True)
        mode = chk.choice(data.get("tier_mode", "marginal"), "tier_mode", ("marginal", "retroactive"))
        chk.raise_if_any()
    """

    def __init__(self, file: str | Path, lines: Mapping[str, int] | None = None, *, limit: float = 1e12):
        self.file, self.lines, self.limit = str(file), lines or {}, limit
        self.problems: list[Problem] = []

    def line(self, field_: str) -> int | None:
        """Line of the field, else of the top-level key its path starts with (``tiers[2].from`` -> line of ``tiers``)."""
        return self.lines.get(field_) or self.lines.get(field_.split(".")[0].split("[")[0])

    def bad(self, field_: str, problem: str, fix: str = "", severity: str = "error") -> None:
        self.problems.append(Problem(self.file, field_, problem, fix, self.line(field_), severity))

    def number(self, value: Any, field_: str, *, positive: bool = False, minimum: float | None = None,
               fix: str = "") -> int | float | None:
        """``value`` unchanged if it is a finite number within the range (more than 0 / at least ``minimum``)."""
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
            self.bad(field_, f"{value!r} is not a number", fix or "write a plain number, e.g. 0.5")
            return None
        if abs(value) > self.limit:
            self.bad(field_, f"{value} is out of range", "write a realistic amount")
            return None
        if positive and value <= 0:
            self.bad(field_, f"must be more than 0, got {value}", fix or "write a positive number")
            return None
        if minimum is not None and value < minimum:
            self.bad(field_, f"must be at least {minimum}, got {value}", fix or f"write {minimum} or more")
            return None
        return value

    def bounded(self, value: Any, field_: str, lo: float | None = None, hi: float | None = None, *, integer: bool = False,
                fix: str = "fix the value") -> int | float | None:
        """``value`` unchanged if it is a (whole) number from ``lo`` to ``hi``, else None and one problem."""
        ok = not isinstance(value, bool) and isinstance(value, int if integer else (int, float)) and value == value
        if ok and ((lo is not None and value < lo) or (hi is not None and value > hi)):
            ok = False
        if not ok:
            rng = f" from {lo} to {hi}" if hi is not None else f" of at least {lo}" if lo is not None else ""
            self.bad(field_, f"{value!r} is not a {'whole ' if integer else ''}number{rng}", fix)
            return None
        return value

    def choice(self, value: Any, field_: str, options: tuple[str, ...]) -> str | None:
        """``value`` if it is one of ``options``."""
        if value not in options:
            self.bad(field_, f"{value!r} is not allowed", "use " + ", ".join(options))
            return None
        return value

    def unknown(self, data: Mapping[str, Any], known: set[str], prefix: str = "") -> None:
        """Report each key of ``data`` not in ``known``, suggesting the closest known name."""
        for key in data:
            if key not in known:
                self.bad(f"{prefix}{key}", "unknown field", closest(str(key), sorted(known)))

    def entries(self, data: Mapping[str, Any], key: str, allowed: set[str], list_fix: str, item_fix: str,
                max_items: int = 1000) -> Iterator[tuple[str, dict[str, Any]]]:
        """(field path, mapping) of each item of a list-of-mappings field; reports non-lists, non-mappings, unknown keys."""
        raw = data.get(key) or []
        if not isinstance(raw, list):
            self.bad(key, "must be a list", list_fix)
            return
        if len(raw) > max_items:
            self.bad(key, f"has {len(raw):,} items, more than the {max_items:,} allowed", "shorten the list")
            return
        for i, item in enumerate(raw):
            f = f"{key}[{i}]"
            if not isinstance(item, dict):
                self.bad(f, "must be a mapping", item_fix)
                continue
            extra = set(item) - allowed
            if extra:
                self.bad(f, f"unknown key {sorted(map(str, extra))[0]!r}", "use " + ", ".join(sorted(allowed)))
            yield f, item

    def raise_if_any(self) -> None:
        """Raise one CourseError holding every error found (warnings alone do not raise)."""
        if any(p.severity == "error" for p in self.problems):
            raise CourseError([p for p in self.problems if p.severity == "error"])

