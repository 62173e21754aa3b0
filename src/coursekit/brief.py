"""The Alignment brief: everything a learner entered, as Markdown and one self-contained HTML page."""

from __future__ import annotations

import base64
import html
from pathlib import Path
from typing import Any

from .io import atomic_write
from .progress import Answers, home

LABELS = {"strategy": "Strategy says", "planning": "Planning assumes", "enablement": "Enablement teaches",
          "comp": "Comp rewards", "contradiction": "Contradiction"}


def _md(text: Any) -> str:
    """Learner text made inert in Markdown: HTML escaped, markdown control characters escaped."""
    t = html.escape(str(text))
    for ch in "\\`*_[]#|":
        t = t.replace(ch, "\\" + ch)
    return " ".join(t.split())


def hypothesis_sentence(a: dict) -> str:
    """"We believe a(n) <lever> at X% will drive <behavior>; we will know by <metric>, <when>."."""
    lever = str(a.get("lever", ""))
    article = "an" if lever[:1].lower() in "aeiou" and lever else "a"
    level = a.get("level", 0)
    level = f"{level:g}" if isinstance(level, (int, float)) else str(level)
    return (f"We believe {article} {lever} at {level}% will drive {a.get('behavior') or '…'}; "
            f"we will know by {a.get('metric') or '…'}, {a.get('when')}.")


def _plan_text(key: str, a: dict) -> str | None:
    """A tested plan in plain words, or None when the saved plan cannot be read (a hand-edited file)."""
    from .engine.audit import explain
    from .engine.plan import plan_from_dict
    from .errors import CourseError

    try:
        return explain(plan_from_dict(a["_plan"], key))
    except CourseError:
        return None


def sections(answers: Answers) -> list[tuple[str, str, list[list[str]]]]:
    """(module, exercise, rows of [label, text]) for every saved answer, in key order."""
    out = []
    for key in answers.keys():
        module, _, ex = key.partition("/")
        a = answers.get(key)
        if not isinstance(a, dict):
            continue
        rows: list[list[str]] = []
        if "rows" in a:
            for i, r in enumerate(a["rows"], 1):
                if isinstance(r, dict) and any(r.values()):
                    rows += [[f"Priority {i}: {LABELS.get(k, k)}", str(v)] for k, v in r.items() if v]
        elif "chains" in a:
            rows += [[c, " → ".join(map(str, chain)) if chain else "(no line drawn: cut)"] for c, chain in a["chains"].items()]
        elif "lever" in a:
            rows.append(["Hypothesis", hypothesis_sentence(a)])
        elif isinstance(a.get("_plan"), dict) and (text := _plan_text(key, a)):
            rows.append(["Plan", text])
        else:
            rows += [[k, str(v)] for k, v in a.items() if not k.startswith("_")]
        for level, text in a.get("_feedback", []):
            rows.append(["Check" if level == "ok" else "To fix" if level == "warn" else "Note", str(text)])
        if rows:
            out.append((module, ex, rows))
    return out


def to_markdown(answers: Answers, learner: str = "me") -> str:
    lines = [f"# Alignment brief: {_md(learner)}", ""]
    if not answers.keys():
        lines.append("No answers saved yet: work through a module first.")
    for module, ex, rows in sections(answers):
        lines += [f"## {_md(module)}: {_md(ex)}", "", "| | |", "|---|---|"]
        lines += [f"| {_md(k)} | {_md(v)} |" for k, v in rows]
        lines.append("")
    return "\n".join(lines) + "\n"




def to_html(answers: Answers, learner: str = "me", images: dict[str, bytes] | None = None) -> str:
    e = html.escape
    parts = [f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Alignment brief: {e(learner)}</title>",
             "<style>body{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#222}"
             "table{border-collapse:collapse;width:100%}td{border:1px solid #ccc;padding:.3rem .5rem;vertical-align:top}"
             "td:first-child{width:30%;font-weight:600}h2{margin-top:2rem}</style></head><body>",
             f"<h1>Alignment brief: {e(learner)}</h1>"]
    if not answers.keys():
        parts.append("<p>No answers saved yet: work through a module first.</p>")
    for module, ex, rows in sections(answers):
        parts.append(f"<h2>{e(module)}: {e(ex)}</h2><table>")
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


def export(answers: Answers, out_dir: str | Path | None = None, learner: str = "me") -> tuple[Path, Path]:
    """Write ``alignment-brief.md`` and ``alignment-brief.html``; returns both paths."""
    out = Path(out_dir) if out_dir else home() / "brief"
    md_path, html_path = out / "alignment-brief.md", out / "alignment-brief.html"
    atomic_write(md_path, to_markdown(answers, learner))
    atomic_write(html_path, to_html(answers, learner, plan_images(answers)))
    return md_path, html_path
