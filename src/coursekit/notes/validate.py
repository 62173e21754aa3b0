"""Front-matter validation: every field typed, every bad value named with its fix."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import fields
from pathlib import Path
from typing import Any

from coursekit.errors import Checker, Problem
from coursekit.errors import closest as _closest
from coursekit.notes.material import MATERIAL_KEYS
from coursekit.notes.model import CHANNELS, DIFFICULTIES, TYPES, ExerciseSpec, FrontMatter

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
KNOWN = [f.name for f in fields(FrontMatter)] + list(MATERIAL_KEYS)  # material: see material.py


def _choice(value: Any, allowed: tuple[str, ...]) -> bool:
    return isinstance(value, str) and value in allowed


def exercise_specs(raw: Any, file: str, line: int | None) -> tuple[list[ExerciseSpec], list[Problem]]:
    """`exercises:` entries -> specs, their options as declared (the planning pass types them against the kinds)."""
    probs: list[Problem] = []
    if not isinstance(raw, list):
        return [], [Problem(file, "exercises", "must be a list of `{type: ...}` entries", "write `exercises: [{type: checklist, action: 1}]`", line)]
    specs: list[ExerciseSpec] = []
    for i, item in enumerate(raw, 1):
        if not isinstance(item, dict) or "type" not in item:
            probs.append(Problem(file, "exercises", f"entry {i} has no `type`", "write `- {type: checklist, action: 1}`", line))
            continue
        etype, action = item.get("type"), item.get("action")
        if not isinstance(etype, str) or not etype:
            probs.append(Problem(file, "exercises", f"entry {i}: type {etype!r} is not a kind's name", "write e.g. `type: checklist`", line))
            continue
        if action is not None and (isinstance(action, bool) or not isinstance(action, int) or action < 1):
            probs.append(Problem(file, "exercises", f"entry {i}: action {action!r} is not an action number", "use e.g. `action: 2`", line))
            continue
        raw_opts = {k: v for k, v in item.items() if k not in ("type", "action")}
        specs.append(ExerciseSpec(etype, action, raw_opts, line, i, file))
    return specs, probs


def front_matter(data: dict[str, Any], lines: Mapping[str, int], path: Path) -> tuple[FrontMatter | None, list[Problem]]:
    """Check a parsed front-matter mapping. Returns the model (None on errors outside `exercises:`) and problems."""
    file = str(path)
    chk = Checker(file, lines)  # the one validation kit: every problem with its file, line, field and fix
    probs, bad = chk.problems, chk.bad

    for key in data:
        if key not in KNOWN:
            bad(key, "unknown field", _closest(key, KNOWN))

    for key in ("slug", "title"):
        if key not in data or data[key] in (None, ""):
            bad(key, "is missing", f"add `{key}:` to the front matter")
        elif not isinstance(data[key], str):
            bad(key, f"must be text, got {type(data[key]).__name__}", "quote the value")

    slug = data.get("slug")
    if isinstance(slug, str) and slug:
        if not SLUG_RE.match(slug):
            bad("slug", f"{slug!r} is not lowercase words joined by hyphens", "use e.g. `my-note-name`")
        elif slug != path.stem:
            bad("slug", f"{slug!r} differs from the file name {path.name!r}", f"rename the file to {slug}.md or fix the slug")

    if "oneLiner" in data and not isinstance(data["oneLiner"], str):
        bad("oneLiner", f"must be text, got {type(data['oneLiner']).__name__}", "write one sentence")

    for key, allowed in (("type", TYPES), ("channel", CHANNELS), ("difficulty", DIFFICULTIES)):
        if key in data and not _choice(data[key], allowed):
            bad(key, f"{data[key]!r} is not allowed", "use one of " + ", ".join(allowed))

    tags = data.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        bad("tags", "must be a list of text", 'write e.g. `tags: ["strategy", "comp"]`')
        tags = []

    minutes = data.get("timeToApplyMin", 10)
    if isinstance(minutes, bool) or not isinstance(minutes, int) or minutes <= 0:
        bad("timeToApplyMin", f"{minutes!r} is not a positive whole number of minutes", "write e.g. `timeToApplyMin: 15`")

    exercises, eprobs = exercise_specs(data.get("exercises", []), file, lines.get("exercises"))

    if any(p.severity == "error" for p in probs):
        return None, probs + eprobs
    probs += eprobs  # bad exercise entries: the note keeps its good ones, so planning can report theirs too
    fm = FrontMatter(
        slug=slug,
        title=data["title"],
        oneLiner=data.get("oneLiner", "") or "",
        type=data.get("type", "NOTE"),
        channel=data.get("channel", "PLAN_DESIGN"),
        tags=tuple(tags),
        difficulty=data.get("difficulty", "INTRO"),
        timeToApplyMin=minutes,
        exercises=tuple(exercises),
    )
    return fm, probs
