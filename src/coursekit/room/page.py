"""The room's page: every brief's answers at a glance, as self-contained HTML (the command's page and the notebook's view)."""

from __future__ import annotations

import html
import statistics
from typing import Any

from coursekit.exercises.rubric.criteria import RUBRIC
from coursekit.room import charts
from coursekit.room.gather import RUBRIC_IDS, TOP, Room, room_gain
from coursekit.sanitize import clean_html


def _img(png: bytes | None, alt: str) -> str:
    import base64

    return f'<p><img alt="{html.escape(alt)}" src="data:image/png;base64,{base64.b64encode(png).decode()}" style="max-width:100%"></p>' if png else ""


def _table(head: tuple[str, ...], rows: list[tuple[Any, ...]]) -> str:
    """A table of text; every cell escaped."""
    e = html.escape
    return ("<table><tr>" + "".join(f"<th>{e(h)}</th>" for h in head) + "</tr>"
            + "".join("<tr>" + "".join(f"<td>{e(str(c))}</td>" for c in r) + "</tr>" for r in rows) + "</table>")


def gain_html(room: Room) -> list[str]:
    """The room's diagnostic before and after, and the gain of those who took both (a table, no chart)."""
    g = room_gain(room)
    if not (g["pre_n"] or g["post_n"]):
        return []
    def pct(v):
        return ("-" if v is None else f"{v}%")
    gain = "-" if g["gain_points"] is None else f"{g['gain_points']:+d} points"
    return ["<h3>What the room learned: the diagnostic before and after</h3>",
            _table(("round", "learners", "right on average"), [("before (start page)", g["pre_n"], pct(g["pre_pct"])),
                                                               ("after (capstone)", g["post_n"], pct(g["post_pct"]))]),
            f"<p>Gain of the {g['both_n']} learner(s) who took both rounds: {gain}.</p>"]


def rubric_html(room: Room) -> list[str]:
    """How many briefs their authors ticked against each rubric criterion (the facilitator scores in the room view)."""
    if not room.rubrics:
        return []
    n = len(room.rubrics)
    return ["<h3>The brief rubric: the learners' own ticks</h3>",
            _table(("criterion", "ticked by the author"), [(_CRITERIA.get(c, c), f"{sum(r[2].get(c, False) for r in room.rubrics)} of {n}")
                                                          for c in RUBRIC_IDS])]


_CRITERIA = {c[0]: c[1] for c in RUBRIC}  # a criterion's id -> its name as the brief and the learner's self-check say it


def body_html(room: Room, names: bool = False) -> str:
    """The room as an HTML fragment (charts as embedded PNGs, then the text tables): the page's body and the facilitator
    notebook's view. Anonymous unless ``names``; every learner string is escaped, in the page and in the charts, and
    the fragment is cleaned by nh3 (``coursekit.sanitize.clean_html``)."""
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
    if room.mixes:  # strategies that want reps to split their effort, as the briefs state them
        out.append("<h3>Strategies that want a mix of effort</h3>")
        out.append(_table(("the strategy wants", "briefs"), [(f"{w[:1].upper()}{w[1:]}", c) for w, c in room.mixes.most_common(TOP)]))
    cur = currency_html(room)
    if cur:
        out.append(cur)
    out += gain_html(room) + rubric_html(room)
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
    return clean_html("\n".join(out)) + "\n"  # escaped above; nh3 is the one path every page the course renders goes through


def currency_html(room: Room) -> str:
    """Briefs grouped by their company's currency (learners bring their own companies): how many, and the median
    proposed incentive cost per 100 of bookings within each; "" when the whole room is in one currency."""
    if len(room.currencies) < 2:
        return ""
    rows = []
    for cur, costs in sorted(room.currencies.items()):
        mid = sorted(costs)[len(costs) // 2] if costs else None
        rows.append(f"<tr><td>{html.escape(cur)}</td><td>{len(costs)}</td><td>{'-' if mid is None else f'{mid:.1f}'}</td></tr>")
    return ("<h3>Companies by currency</h3><table><tr><th>Currency</th><th>Briefs with a cost</th>"
            "<th>Median cost per 100 of bookings</th></tr>" + "".join(rows) + "</table>")


def to_html(room: Room, names: bool = False) -> str:
    """A self-contained page (charts embedded); anonymous unless ``names``. Every learner string is escaped."""
    return ("<!doctype html><meta charset='utf-8'><title>The room's briefs</title><style>"
            "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;line-height:1.4;background:#fff;color:#1f2328}"
            "table{border-collapse:collapse;margin:.5rem 0 1rem}td,th{text-align:left;padding:.2rem .6rem;vertical-align:top;"
            "border-bottom:1px solid #d0d7de}</style>\n" + body_html(room, names))
