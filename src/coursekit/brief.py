"""The Alignment brief: everything a learner entered, as Markdown and one self-contained HTML page."""

from __future__ import annotations

import base64
import html
import re
from pathlib import Path
from typing import Any

from .io import atomic_write
from .progress import Answers, home

MD_SPECIAL = "\\`*_[]#|<>&!()"  # backslash-escaped in Markdown: learner text stays text, no HTML entities
Outline = list  # [{"slug", "title", "exercises": [{"id", "kind", "title"}]}] in course order


def _md(text: Any) -> str:
    """Learner text made inert in Markdown: control characters backslash-escaped, one line."""
    t = " ".join(str(text).split())
    return "".join("\\" + ch if ch in MD_SPECIAL else ch for ch in t)


def _kind_of(key: str, a: dict, kinds_by_key: dict[str, str]):
    """The answer's kind: its `_kind`, else the course's key -> kind map, else the kind its id names."""
    from .kinds import KINDS

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
    from .kinds.base import Kind, feedback_rows

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


def headings(module: str, ex: str, outline: Outline | None = None, answer: Any = None) -> tuple[str, str]:
    """Human headings: the module's title and the exercise's title (from the outline, else from the slug and kind)."""
    titles, ex_titles, kinds_by_key, _ = _index(outline)
    key = f"{module}/{ex}"
    if key in ex_titles:
        return titles.get(module, module), ex_titles[key]
    kind = _kind_of(key, answer if isinstance(answer, dict) else {}, kinds_by_key)
    m = re.fullmatch(r"action-(\d+)(?:-\d+)?", ex)
    title = (f"Action {m.group(1)}: " if m else "") + (kind.title if kind else ex.replace("-", " ").capitalize())
    return titles.get(module, module.replace("-", " ").capitalize()), title


def to_markdown(answers: Answers, learner: str = "me", outline: Outline | None = None) -> str:
    lines = [f"# Alignment brief: {_md(learner)}", ""]
    if not answers.keys():
        lines.append("No answers saved yet: work through a module first.")
    current = None
    for module, ex, rows in sections(answers, outline):
        mtitle, etitle = headings(module, ex, outline, answers.get(f"{module}/{ex}"))
        if module != current:
            lines += [f"## {_md(mtitle)}", ""]
            current = module
        lines += [f"### {_md(etitle)}", "", "| | |", "|---|---|"]
        lines += [f"| {_md(k)} | {_md(v)} |" for k, v in rows]
        lines.append("")
    return "\n".join(lines) + "\n"


def to_html(answers: Answers, learner: str = "me", images: dict[str, bytes] | None = None, outline: Outline | None = None) -> str:
    e = html.escape
    parts = [f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Alignment brief: {e(learner)}</title>",
             "<style>body{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#222}"
             "table{border-collapse:collapse;width:100%}td{border:1px solid #ccc;padding:.3rem .5rem;vertical-align:top}"
             "td:first-child{width:30%;font-weight:600}h2{margin-top:2rem}h3{margin-top:1.2rem}</style></head><body>",
             f"<h1>Alignment brief: {e(learner)}</h1>"]
    if not answers.keys():
        parts.append("<p>No answers saved yet: work through a module first.</p>")
    current = None
    for module, ex, rows in sections(answers, outline):
        mtitle, etitle = headings(module, ex, outline, answers.get(f"{module}/{ex}"))
        if module != current:
            parts.append(f"<h2>{e(mtitle)}</h2>")
            current = module
        parts.append(f"<h3>{e(etitle)}</h3><table>")
        parts += [f"<tr><td>{e(k)}</td><td>{e(v)}</td></tr>" for k, v in rows]
        parts.append("</table>")
        img = (images or {}).get(f"{module}/{ex}")
        if img:
            parts.append(f"<img alt='{e(ex)} chart' src='data:image/png;base64,{base64.b64encode(img).decode()}' style='max-width:100%'>")
    parts.append("</body></html>")
    return "\n".join(parts)


def plan_images(answers: Answers) -> dict[str, bytes]:
    """Payout curves of the plans the learner tested and checked (saved with the answer), against where they started."""
    from .engine.plan import plan_from_dict
    from .engine.plot import curve_figure, png_bytes
    from .errors import CourseError

    out = {}
    for key in answers.keys():
        a = answers.get(key)
        if isinstance(a, dict) and isinstance(a.get("_plan"), dict):
            try:
                plan = plan_from_dict(a["_plan"], key)
                base = plan_from_dict(a["_base_plan"], key) if isinstance(a.get("_base_plan"), dict) else None
            except CourseError:
                continue  # a hand-edited answer file: the brief keeps the text, leaves out the chart
            out[key] = png_bytes(curve_figure(plan, compare=base))
    return out


def export(answers: Answers, out_dir: str | Path | None = None, learner: str = "me", outline: Outline | None = None) -> tuple[Path, Path]:
    """Write ``alignment-brief.md`` and ``alignment-brief.html``; returns both paths. ``outline`` (see
    ``coursekit.assemble.outline``) gives human headings and course order."""
    out = Path(out_dir) if out_dir else home() / "brief"
    md_path, html_path = out / "alignment-brief.md", out / "alignment-brief.html"
    atomic_write(md_path, to_markdown(answers, learner, outline))
    atomic_write(html_path, to_html(answers, learner, plan_images(answers), outline))
    return md_path, html_path


# kept for the widgets that import them from here
from .kinds.contradiction_map import LABELS  # noqa: E402,F401
from .kinds.hypothesis import sentence as hypothesis_sentence  # noqa: E402,F401
