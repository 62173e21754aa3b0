"""The patterns-to-review report as one self-contained HTML file: escaped text, PNG charts embedded.

Patterns naming a rep come first (neutral words: a pattern is a reason to look, not a verdict), then the plan-design
observations about the whole team, what could not be tested, and how the export was cleaned.

Every value that came from the export (rep and account names in the evidence, the file name) goes
through ``html.escape``; the page loads nothing (its Content-Security-Policy allows only inline
images and styles), so a cell such as ``<script>`` or ``=cmd|...`` is shown as text and never run.
"""

from __future__ import annotations

import base64
import html
from importlib import resources
from pathlib import Path
from string import Template

from coursekit.engine.plot import png_bytes
from coursekit.feedback import count
from coursekit.io import atomic_write
from coursekit.signals.detect import BAND, Report
from coursekit.signals.plot import case_figure, figures

KIND_NAMES = {"period_end_bunching": "period-end bunching", "period_end_discounting": "period-end discounting",
              "edge_bunching": "bunching at a plan edge", "post_cap_stall": "stall after the cap", "deal_splitting": "deal splitting"}


def _e(v: object) -> str:
    return html.escape(str(v), quote=True)


def _table(report: Report) -> str:
    if not report.findings:
        return ""
    rows = "\n".join(
        f"<tr><td>{_e(KIND_NAMES.get(s.kind, s.kind))}</td><td>{_e(s.rep) or '<em>whole team</em>'}</td>"
        f"<td>{_e(s.period) or '<em>all periods</em>'}</td><td>{_e(s.evidence)}</td><td class=\"num\">{s.strength:.1f}x</td>"
        f"<td>{_e(s.component)}</td><td class=\"num\">{s.q_value:.2g}</td></tr>"
        for s in report.findings)
    return ("<details><summary>Every pattern, period by period</summary>"
            "<table><thead><tr><th>signal</th><th>rep</th><th>period</th><th>evidence</th><th>strength</th>"
            "<th>plan component that rewards it</th><th>q</th></tr></thead>\n<tbody>\n" + rows + "\n</tbody></table></details>")


def _summary(report: Report) -> str:
    """One row per kind and rep: the periods it was found in and its strongest evidence."""
    if not report.findings:
        return ""
    groups: dict[tuple[str, str], list] = {}
    for sig in report.findings:
        groups.setdefault((sig.kind, sig.rep), []).append(sig)
    rows = []
    for (kind, rep), sigs in groups.items():
        best = max(sigs, key=lambda x: x.strength)
        periods = ", ".join(x.period for x in sigs if x.period) or "all periods"
        rows.append(f"<tr><td>{_e(KIND_NAMES.get(kind, kind))}</td><td>{_e(rep) or '<em>whole team</em>'}</td>"
                    f"<td>{_e(periods)}</td><td>{_e(best.evidence)}</td><td>{_e(best.component)}</td></tr>")
    return ("<table><thead><tr><th>signal</th><th>rep</th><th>periods</th><th>strongest evidence</th>"
            "<th>plan component that rewards it</th></tr></thead>\n<tbody>\n" + "\n".join(rows) + "\n</tbody></table>")


CASE_ROWS = 20
CASE_CHARTS = 12  # case files with a chart (stalls and splitting), in order


def _chart(report: Report, s) -> str:
    """The case's chart as an inline PNG with its alt text (stalls: bookings against the cap; splitting: the accounts'
    deals against the approval limit)."""
    made = case_figure(report, s)
    if made is None:
        return ""
    fig, alt = made
    data = base64.b64encode(png_bytes(fig)).decode("ascii")
    return f'<div class="charts"><img alt="{_e(alt)}" src="data:image/png;base64,{data}"></div>'


def _cases(report: Report) -> str:
    """One case file per finding: effect with its interval, money at stake, what was checked, the deals behind it."""
    if not report.findings:
        return ""
    cur = _e(report.plan.currency)
    parts = ["<h2>Case files: patterns to review</h2>"]
    charted = 0
    for s in report.findings:
        head = f"{_e(KIND_NAMES.get(s.kind, s.kind))}: {_e(s.rep)}, {_e(s.period) or 'over the year'}"
        money = f"<p><b>At stake:</b> {s.at_stake:,.0f} {cur} ({_e(s.at_stake_what)})</p>" if s.at_stake_what else ""
        effect = f"<p><b>Effect:</b> {_e(s.effect)}</p>" if s.effect else ""
        checked = ("<p><b>Alternatives checked:</b> " + _e("; ".join(s.checked)) + "</p>") if s.checked else ""
        cols = [c for c in ("deal_id", "date", "account", "amount", "discount") if any(c in d for d in s.deals)]
        rows = "".join("<tr>" + "".join(f"<td>{_e(_cell(d.get(c)))}</td>" for c in cols) + "</tr>" for d in s.deals[:CASE_ROWS])
        more = f"<p>{s.deals_total - min(CASE_ROWS, len(s.deals)):,} more deals in the JSON.</p>" if s.deals_total > CASE_ROWS else ""
        table = (f"<table><thead><tr>{''.join(f'<th>{c}</th>' for c in cols)}</tr></thead><tbody>{rows}</tbody></table>{more}"
                 if rows else "")
        chart = _chart(report, s) if charted < CASE_CHARTS and s.kind in ("post_cap_stall", "deal_splitting") else ""
        charted += bool(chart)
        parts.append(f"<details><summary>{head} (q = {s.q_value:.2g})</summary><p>{_e(s.evidence)}</p>{effect}{money}{checked}"
                     f"{chart}{table}</details>")
    return "\n".join(parts)


def _cell(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:,.2f}" if v >= 1 else f"{v:.1%}"
    return str(v)


def _lines(title: str, lines: list[str]) -> str:
    if not lines:
        return ""
    return f"<h2>{_e(title)}</h2><ul>" + "".join(f"<li>{_e(x)}</li>" for x in lines) + "</ul>"


def _design(report: Report) -> str:
    """The whole team's patterns: about the plan's design (or the customers' calendar), never about a person."""
    rows = [f"{KIND_NAMES.get(s.kind, s.kind)} ({s.period or 'all periods'}, {s.component}): {s.evidence}" for s in report.design]
    if not rows:
        return ""
    return _lines("Plan design: the whole team", rows).replace(
        "</h2>", "</h2><p>These describe the team, not a rep: customers' buying cycles look the same. They do not count "
                 "as patterns to review; ask whether the plan's design invites them.</p>", 1)


def render(report: Report, export_name: str = "export") -> str:
    """The report page as a string."""
    plan = report.plan
    n = len(report.findings)
    reps = sorted({s.rep for s in report.findings})
    if n:
        verdict = (f"{n} pattern{'s' if n != 1 else ''} to review for {len(reps)} rep{'s' if len(reps) != 1 else ''}: "
                   "reasons to look, not verdicts.")
    else:
        verdict = "No patterns to review: nothing stands out once the many tests are accounted for."
    if report.untested:
        verdict += f" Some tests could not be run on this data: {count(len(report.untested), 'line')} below say which and why."
    images = {k: base64.b64encode(png_bytes(f)).decode("ascii") for k, f in figures(report).items()}
    method = (
        f"<p>Each test compares what a rep did with what the same plan predicts without any push: deals in the last "
        f"{report.window} business days of a period against even timing and against peers in the same periods (each rep "
        f"period, and each rep over the year); period-end discounts against the rep's earlier ones, beyond the peers' "
        f"period-end uplift; how often a rep's attainment lands within {BAND:.0%} above a threshold, tier edge or cap "
        f"against how often it lands there when pay does not bend (the team's attainment density fitted away from the "
        f"edge, Kleven's bunching estimator) and against where the rep stood before the period's last days; the same rep's period end when an edge was within reach "
        f"against when it was not; deals after the cap or quota against the rep's pace in other periods and the peers' "
        f"timing; the next period's opening after a period-end spike; "
        f"same-account deals a few days apart, alike in size and straddling the stated approval limit, against the rest of "
        f"the team. The lines of one order count once. {report.tests:,} tests were run (tests too small to ever stand out "
        f"are dropped before looking, and listed below). Reps are selected first, one family per rep and kind, by the "
        f"Benjamini-Hochberg procedure at a {report.fdr:.0%} false discovery rate (its <code>q</code>); periods are then "
        f"drilled into within the selected reps only; a pattern is shown when it is also large enough to matter. Each case file gives the deals behind it, the money at stake and the effect with its 95% "
        f"interval.</p>"
        f"<p>A pattern is a reason to look, not a verdict: a quarter-end push a customer asked for looks the same in the "
        f"data. Talk to the rep, then fix the plan component that rewards the behaviour. Patterns of the whole team are "
        f"about the plan's design and are listed apart.</p>")
    subtitle = (f"Export {_e(export_name)}: {len(report.reps)} reps, {len(report.periods)} {_e(plan.period)} periods "
                f"({_e(report.periods[0])} to {_e(report.periods[-1])}), checked against plan {_e(plan.name)}.")
    page = Template(resources.files("coursekit").joinpath("data/templates/signals-report.html").read_text(encoding="utf-8"))
    return page.substitute(title=_e(plan.name), subtitle=subtitle, verdict=_e(verdict), verdict_class="" if n else " clean",
                           summary=_summary(report) + _cases(report), table=_table(report), method=method, design=_design(report),
                           coverage=_lines("Could not be tested", report.untested)
                           + _lines("Watch list: near misses, not patterns to review",
                                    [f"{KIND_NAMES.get(w.kind, w.kind)}: {w.rep}, {w.period or 'over the year'}: {w.evidence} "
                                     f"(q = {w.q_value:.2g})" for w in report.watch]),
                           notes=_lines("How the export was read", report.notes), **images)


def write(report: Report, path: str | Path, export_name: str = "export") -> Path:
    """Write the page atomically (``coursekit.io.atomic_write``: staged, synced, renamed into place)."""
    path = Path(path)
    atomic_write(path, render(report, export_name))
    return path
