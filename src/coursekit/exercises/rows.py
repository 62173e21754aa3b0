"""Every saved answer read through its kind, as human rows in course order: what the Review widget shows.
The Alignment brief itself is the decision document (``coursekit.brief.compose``)."""

from __future__ import annotations

from typing import Any

from coursekit.answers import Answers
from coursekit.exercises import KINDS
from coursekit.exercises.kind import Kind, feedback_rows

MD_SPECIAL = "\\`*_[]#|<>&!()"  # backslash-escaped in Markdown: learner text stays text, no HTML entities
Outline = list  # [{"slug", "title", "exercises": [{"id", "kind", "title"}]}] in course order


def _md(text: Any, special: str = MD_SPECIAL) -> str:
    """Learner text made inert in Markdown: control characters (``special``) backslash-escaped, one line."""
    t = " ".join(str(text).split())
    return "".join("\\" + ch if ch in special else ch for ch in t)


def _kind_of(key: str, a: dict, kinds_by_key: dict[str, str]):
    """The answer's kind: its `_kind`, else the course's key -> kind map, else the kind its id names."""
    name = a.get("_kind") if isinstance(a.get("_kind"), str) else None
    name = name if name in KINDS else kinds_by_key.get(key)
    if name is None:
        guess = key.partition("/")[2].replace("-", "_")
        name = guess if guess in KINDS else None
    return KINDS.get(name) if name else None


def _index(outline: Outline | None) -> tuple[dict[str, str], dict[str, str], dict[str, str], dict[str, int]]:
    """From an outline: module titles, exercise titles and kinds by key, and course order by key."""
    titles, ex_titles, kinds, order = {}, {}, {}, {}
    for m in outline or []:
        titles[m["slug"]] = m["title"]
        for e in m.get("exercises", []):
            key = f"{m['slug']}/{e['id']}"
            ex_titles[key], kinds[key], order[key] = e.get("title", e["id"]), e.get("kind"), len(order)
    return titles, ex_titles, kinds, order


def sections(answers: Answers, outline: Outline | None = None) -> list[tuple[str, str, list[list[str]]]]:
    """(module slug, exercise id, rows of [label, text]) for every saved answer, in course order when an
    outline is given (else key order). Each answer is read by its kind; junk is skipped, never raised on."""
    _titles, _ex, kinds_by_key, order = _index(outline)
    keys = sorted(answers.keys(), key=lambda k: (order.get(k, len(order)), answers.keys().index(k)))
    out = []
    for key in keys:
        module, _, ex = key.partition("/")
        a = answers.get(key)
        if not isinstance(a, dict):
            continue
        kind = _kind_of(key, a, kinds_by_key)
        rows = [[k, v] for k, v in (kind.brief_rows(a) if kind else Kind.brief_rows(Kind(), a))]
        rows += [[k, v] for k, v in feedback_rows(a)]
        if rows:
            out.append((module, ex, rows))
    return out
