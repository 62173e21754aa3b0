"""Shared test helpers: the command line (in-process and as a subprocess), a free port, a widget-tree
walker, and notes and plans built in code."""

from __future__ import annotations

import contextlib
import io
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, proc: subprocess.Popen, seconds: float = 90) -> None:
    """Poll ``url`` until it answers; fail at once if the server process exits."""
    end = time.time() + seconds
    while time.time() < end:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited early with code {proc.returncode}")
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(url)


def walk(widget) -> Iterator:
    """A widget and every widget under it, depth first."""
    yield widget
    for child in getattr(widget, "children", ()):
        yield from walk(child)

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


def sample_brief(learner: str, contradiction: str = "Reps avoid enterprise", change: str = "measured over the year against the annual quota, paid monthly as earned, instead of each quarter on its own",
                 aligned: bool = True, cost: str = "9.5", hypothesis: str = "We believe an annual plan will drive enterprise deals",
                 schema: str = "coursekit-brief/1") -> dict:
    """A brief as model.to_json() writes it (schemas/brief.schema.json)."""
    owners = ["Strategy", "Planning", "Enablement", "Comp"]

    def sec(n, sid, data, filled=True):
        return {"id": sid, "number": n, "heading": sid.capitalize(), "filled": filled, "todo": None if filled else "do it", "data": data}
    row = {"module": "m1", "strategy": "Sell to enterprise", "planning": "All accounts equal", "enablement": "Long cycles",
           "comp": "Pays monthly", "contradiction": contradiction}
    return {"schema": schema, "learner": learner, "summary": "s", "sections": [
        sec(1, "priorities", {"priorities": [], "assumed_attainment_pct": 100}),
        sec(2, "contradictions", {"contradictions": [row]}),
        sec(3, "plans", {"source": "x", "options": [], "changes": [change], "current": None, "proposed": None,
                         "aligned": {"current": False, "proposed": aligned},
                         "population": {"current": {"reps": 100, "cost_of_sales_pct": "12.0"}, "proposed": {"reps": 100, "cost_of_sales_pct": cost}}}),
        sec(4, "findings", {"findings": []}, filled=False),
        sec(5, "hypothesis", {"sentence": hypothesis}),
        sec(6, "decisions", {"asks": [{"owner": o, "who": "VP", "ask": f"{o}: decide by Friday", "is_decision": True} for o in owners]}),
    ]}
