"""The room's briefs at a glance: read a folder of handed-in briefs (``coursekit handin``) and aggregate them.

A brief is the JSON of ``decision_brief.to_json()`` (``schemas/brief.schema.json``, ``"schema":
"coursekit-brief/1"``). Reading is defensive: every field is checked for its type before use, a brief
from another version of the course contributes what it has, and a file that is not a brief is reported
in one line (file, field, fix) and left out. Learner names are left out unless asked for. All learner
text reaches the HTML through ``html.escape``.
"""

from __future__ import annotations

import html
import json
import re
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

SCHEMA_PREFIX = "coursekit-brief/"
SYSTEMS = ("strategy", "planning", "enablement", "comp")
OWNERS = ("Strategy", "Planning", "Enablement", "Comp")
MAX_BYTES = 2_000_000  # a real brief is a few kB
TOP = 5


@dataclass
class Room:
    briefs: int = 0
    problems: list[str] = field(default_factory=list)
    versions: Counter = field(default_factory=Counter)
    learners: list[str] = field(default_factory=list)
    named: dict[str, Counter] = field(default_factory=lambda: {s: Counter() for s in (*SYSTEMS, "contradiction")})
    changes: dict[str, dict[str, list]] = field(default_factory=lambda: defaultdict(lambda: {"passed": [], "cost": []}))
    hypotheses: list[str] = field(default_factory=list)
    asks: dict[str, list[str]] = field(default_factory=lambda: {o: [] for o in OWNERS})
    filled: Counter = field(default_factory=Counter)
    headings: dict[str, str] = field(default_factory=dict)


def _text(v: Any) -> str:
    return " ".join(v.split())[:500] if isinstance(v, str) else ""


def _key(v: str) -> str:
    """Sentences that differ only in case, spacing or a final full stop count as one."""
    return re.sub(r"[\s.!]+$", "", v.casefold())


def _pct(v: Any) -> Decimal | None:
    try:
        return Decimal(v.replace(",", "")) if isinstance(v, str) else None
    except InvalidOperation:
        return None


def read_brief(path: Path) -> dict[str, Any]:
    """One brief; raises ValueError naming the field and the fix."""
    if path.stat().st_size > MAX_BYTES:
        raise ValueError(f"size: {path.stat().st_size} bytes is not a brief (fix: hand in the file `coursekit export` wrote)")
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ValueError(f"json: not readable ({type(exc).__name__}) (fix: hand in again with `coursekit handin`)") from None
    if not isinstance(data, dict):
        raise ValueError("top level: not an object (fix: hand in the file `coursekit export` wrote)")
    schema = data.get("schema")
    if not isinstance(schema, str) or not schema.startswith(SCHEMA_PREFIX):
        raise ValueError(f"schema: {str(schema)[:40]!r} is not a coursekit brief (fix: export the brief again with this course)")
    if not isinstance(data.get("sections"), list):
        raise ValueError("sections: missing or not a list (fix: export the brief again)")
    return data


def _add(room: Room, data: dict[str, Any]) -> None:
    room.versions[data["schema"]] += 1
    room.learners.append(_text(data.get("learner")) or "?")
    for sec in data["sections"]:
        if not isinstance(sec, dict) or not isinstance(sec.get("id"), str):
            continue
        sid, d = sec["id"], sec.get("data") if isinstance(sec.get("data"), dict) else {}
        room.headings.setdefault(sid, _text(sec.get("heading")) or sid)
        room.filled[sid] += sec.get("filled") is True
        if sid == "contradictions":
            for row in d.get("contradictions") or []:
                for s in room.named:
                    if isinstance(row, dict) and _text(row.get(s)):
                        room.named[s][_key(_text(row.get(s)))] += 1
        elif sid == "plans":
            aligned = d.get("aligned") if isinstance(d.get("aligned"), dict) else {}
            pop = d.get("population") if isinstance(d.get("population"), dict) else {}
            cost = _pct((pop.get("proposed") or {}).get("cost_of_sales_pct")) if isinstance(pop.get("proposed"), dict) else None
            for change in d.get("changes") or []:
                if _text(change):
                    room.changes[_text(change)]["passed"].append(aligned.get("proposed") is True)
                    if cost is not None:
                        room.changes[_text(change)]["cost"].append(cost)
        elif sid == "hypothesis" and _text(d.get("sentence")):
            room.hypotheses.append(_text(d.get("sentence")))
        elif sid == "decisions":
            for a in d.get("asks") or []:
                if isinstance(a, dict) and a.get("owner") in room.asks and _text(a.get("ask")):
                    room.asks[a["owner"]].append(_text(a.get("ask")))


def gather(folder: str | Path) -> Room:
    """Every ``*.json`` in ``folder`` (not below it); a file that is not a brief becomes one line in ``problems``."""
    room = Room()
    for path in sorted(Path(folder).glob("*.json")):
        try:
            if not path.is_file() or path.is_symlink():
                raise ValueError("file: not a regular file (fix: hand in with `coursekit handin`)")
            data = read_brief(path)
            _add(room, data)
            room.briefs += 1
        except (ValueError, OSError, TypeError, AttributeError) as exc:
            room.problems.append(f"{path}: {' '.join(str(exc).split())}")
    return room


def _img(png: bytes | None, alt: str) -> str:
    import base64

    return f'<p><img alt="{html.escape(alt)}" src="data:image/png;base64,{base64.b64encode(png).decode()}" style="max-width:100%"></p>' if png else ""


def _table(head: tuple[str, ...], rows: list[tuple[Any, ...]]) -> str:
    """A table of text; every cell escaped."""
    e = html.escape
    return ("<table><tr>" + "".join(f"<th>{e(h)}</th>" for h in head) + "</tr>"
            + "".join("<tr>" + "".join(f"<td>{e(str(c))}</td>" for c in r) + "</tr>" for r in rows) + "</table>")


def body_html(room: Room, names: bool = False) -> str:
    """The room as an HTML fragment (charts as embedded PNGs, then the text tables): the page's body and the facilitator
    notebook's view. Anonymous unless ``names``; every learner string is escaped, in the page and in the charts."""
    from coursekit.room import charts

    e, n = html.escape, room.briefs
    out = [f"<h2>The room's briefs: {n}</h2>"]
    if room.versions:
        out.append("<p>Versions: " + ", ".join(f"{e(v)} ({c})" for v, c in sorted(room.versions.items())) + "</p>")
    out.append("<h3>How far the room got</h3>")
    out.append(_img(charts.progress_png(room), "How far the room got: the share of briefs with each section filled in"))
    out.append(_table(("section of the brief", "filled in"), [(room.headings[s], f"{room.filled[s]} of {n}") for s in room.headings]))
    if any(room.named.values()):
        out.append("<h3>Contradictions named most often</h3>")
        out.append(_img(charts.contradictions_png(room, TOP), "The contradictions named most often, per system"))
        for s, counts in room.named.items():
            if counts:
                out.append(_table((s.capitalize(), "named by"), [(text, f"{c} of {n}") for text, c in counts.most_common(TOP)]))
    if room.changes:
        out.append("<h3>Plan changes: passed the tests, and at what cost</h3>")
        out.append(_img(charts.changes_png(room), "Plan changes: how many passed the tests, and their incentive cost per 100 of bookings"))
        rows = sorted(room.changes.items(), key=lambda kv: (-len(kv[1]["passed"]), kv[0]))
        out.append(_table(("change", "proposed by", "passed the tests", "median cost per 100 of bookings"),
                          [(c, len(v["passed"]), sum(v["passed"]), f"{statistics.median(v['cost']):.1f}" if v["cost"] else "-") for c, v in rows]))
    if room.hypotheses:
        out.append("<h3>Hypotheses</h3><ul>" + "".join(f"<li>{e(h)}</li>" for h in room.hypotheses) + "</ul>")
    out.append("<h3>Decisions asked of each owner</h3>")
    for owner, asks in room.asks.items():
        if asks:
            out.append(f"<h4>{e(owner)} ({len(asks)})</h4><ul>" + "".join(f"<li>{e(a)}</li>" for a in asks) + "</ul>")
    if names:
        out.append("<h3>Learners</h3><p>" + ", ".join(e(x) for x in sorted(room.learners)) + "</p>")
    if room.problems and names:
        out.append("<h3>Left out</h3><ul>" + "".join(f"<li>{e(p)}</li>" for p in room.problems) + "</ul>")
    elif room.problems:  # file names carry learner names: the command line lists them
        out.append(f"<h3>Left out</h3><p>{len(room.problems)} file(s) that are not briefs, listed by <code>coursekit room</code>.</p>")
    return "\n".join(out) + "\n"


def to_html(room: Room, names: bool = False) -> str:
    """A self-contained page (charts embedded); anonymous unless ``names``. Every learner string is escaped."""
    return ("<!doctype html><meta charset='utf-8'><title>The room's briefs</title><style>"
            "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;line-height:1.4;background:#fff;color:#1f2328}"
            "table{border-collapse:collapse;margin:.5rem 0 1rem}td,th{text-align:left;padding:.2rem .6rem;vertical-align:top;"
            "border-bottom:1px solid #d0d7de}</style>\n" + body_html(room, names))
