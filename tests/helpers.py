"""Shared test helpers: the command line (in-process and as a subprocess), a widget-tree walker, a check's
warnings, a plan tester's verdict line, colour contrast, skip-or-fail under CI, and notes and plans built in code.

A free port, an HTTP wait, the Chromium constants, the hub kit, the oracles and a sample brief are in
``benchmarks/kit`` (the benchmarks use them too and import nothing from ``tests/``)."""

from __future__ import annotations

import contextlib
import io
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from coursekit.exercises.plan_tester.widget import PlanTester

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "content" / "intelligent-sales-foundation.md"


def ck(*args, cwd: str | Path = ROOT, env: dict | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
    """``coursekit ARGS`` in a fresh interpreter: for what only a real process shows (exit status, no traceback)."""
    return subprocess.run([sys.executable, "-m", "coursekit.cli", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=timeout)


def cli(*args, cwd: str | Path | None = ROOT) -> subprocess.CompletedProcess:
    """``coursekit ARGS`` in this process (``cli.main``): same exit code and output as ``ck``, without the start-up cost.

    An exception escaping ``main`` fails the test, as a traceback would."""
    from coursekit import cli as _cli

    out, err = io.StringIO(), io.StringIO()
    old = Path.cwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = _cli.main([str(a) for a in args])
            except SystemExit as exc:  # argparse: a bad option
                code = exc.code if isinstance(exc.code, int) else 2
    finally:
        os.chdir(old)
    return subprocess.CompletedProcess(["coursekit", *map(str, args)], code, out.getvalue(), err.getvalue())


def walk(widget) -> Iterator:
    """A widget and every widget under it, depth first."""
    yield widget
    for child in getattr(widget, "children", ()):
        yield from walk(child)


def warns(lines) -> list[str]:
    """The warnings among a check's feedback lines ``(level, text)``."""
    return [text for level, text in lines if level == "warn"]


def line(w: PlanTester, start: str) -> tuple[str, str]:
    """The plan tester's verdict line that starts with ``start``, as ``(level, text)``."""
    return next((lvl, text) for lvl, text in w.tests() if text.startswith(start))


def luminance(colour: str) -> float:
    """WCAG relative luminance of a CSS colour written ``#rrggbb`` or ``rgb(r, g, b)`` / ``rgba(r, g, b, a)``."""
    if colour.startswith("#"):
        vals = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    else:
        vals = [int(v) / 255 for v in colour[colour.index("(") + 1 : colour.index(")")].split(",")[:3]]
    lin = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in vals]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two CSS colours (1 to 21)."""
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def skip_or_fail(why: str | None, tier: str) -> None:
    """Skip with one reason when ``why`` says what is missing for the ``tier``'s tests; under CI (CI=true) that is a failure."""
    if why:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{tier} tests are required in CI: {why}")
        pytest.skip(why)


WORKED_PLAN = {"name": "Worked example", "ote": 200000, "variable_share": 0.5, "quota": 800000,
               "tiers": [{"from": 0.0, "multiplier": 1.0}, {"from": 1.0, "multiplier": 2.0}, {"from": 1.5, "multiplier": 3.0}]}


def note_text(slug: str = "my-note", **front) -> str:
    fields = {"slug": slug, "title": "My note", "oneLiner": "One line", "type": "NOTE", "channel": "PLAN_DESIGN",
              "tags": '["a"]', "difficulty": "INTRO", "timeToApplyMin": 10, **front}
    fm = "\n".join(f"{k}: {v}" for k, v in fields.items() if v is not None)
    return f"""---
{fm}
---

## Problem Statement

A problem.

## Mechanism (Why This Happens)

A mechanism.

## Recommended Actions

### 1. Do a checklist (5 min)
- Step one
- Step two

## Common Pitfalls

**"A claim"**
A rebuttal.

## Assumptions

- One assumption

## Related Content

**Next Counsel**:
- {slug}
"""


# --- reading rendered HTML for what could run or load (the sanitizer tests) -------------------------------------------

class Built(HTMLParser):
    """The start tags of an HTML page with their attributes, as a browser would build them."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: v or "" for k, v in attrs}))


def scheme(url: str) -> str:
    """A URL's scheme as a browser reads it (control characters and spaces dropped); "remote" for //host."""
    v = "".join(c for c in url if c > " ").lower()
    m = re.match(r"([a-z][a-z0-9+.-]*):", v)
    return m.group(1) if m else ("remote" if v.startswith("//") else "")
