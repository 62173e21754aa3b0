"""The decision brief rendered: Markdown (learner text backslash-escaped, no HTML entities), one
self-contained HTML page (everything escaped, chart embedded, light and dark: on a dark screen the chart's
white is inverted to the page's dark and its hues turned back, so bars keep their colours), the pay chart, export."""

from __future__ import annotations

import base64
import html
import json
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from coursekit.answers import home
from coursekit.brief.model import Brief, Section, to_json
from coursekit.capstone.checks import money
from coursekit.engine.audit import component_name
from coursekit.engine.plot import chart_label, png_bytes
from coursekit.exercises.rows import MD_SPECIAL
from coursekit.exercises.rows import _md as _md_all
from coursekit.io import atomic_write
from coursekit.sanitize import clean_html, plain_text

ROLES = (("current", "now"), ("proposed", "proposed"))
MAP_LABELS = (("strategy", "strategy"), ("planning", "planning"), ("enablement", "enablement"), ("comp", "comp"))


def _md(text: Any) -> str:
    """Text made inert in Markdown, parentheses left as written: with brackets and ``!`` escaped they cannot make a link."""
    return _md_all(text, MD_SPECIAL.replace("(", "").replace(")", ""))


def _pay(cell: dict[str, Any] | None) -> str:
    return money(Decimal(cell["pay_cents"]) / 100) if cell else "-"


def _rows(sec: Section) -> list[list[str]]:
    """Each section's content as (already plain) text lines or table rows, shared by both formats."""
    d = sec.data
    if sec.id == "priorities":
        return [[str(r["rank"]) if r["rank"] != 99 else "-", r["name"], r["behavior"], r.get("applies_to") or r["segment"] or "-",
                 f"{r['cycle_months']} month{'s' if r['cycle_months'] != 1 else ''}" if r["cycle_months"] else "-"] for r in d["priorities"]]
    if sec.id == "plans":
        roles = [r for r in ROLES if r[0] == "current"] if _unchanged(d) else ROLES  # the same plan twice: one set of columns
        return [[o.get("label", o["option"]) + _wanted_label(d, o), money(Decimal(o["current"]["revenue_cents"]) / 100),
                 *(x for role, _ in roles for x in (_pay(o.get(role)), o[role]["per_100_revenue"] if o.get(role) else "-"))] for o in d["options"]]
    if sec.id == "decisions":
        return [[a["owner"], a["who"] or "-", a["ask"] or "not asked yet"] for a in d["asks"]]
    return []


def _wanted_label(d: Mapping[str, Any], o: Mapping[str, Any]) -> str:
    """An option's mark: the strategy's choice, or (a strategy that wants a mix) each option's share of the wanted mix."""
    shares = (d.get("wanted_mix") or {}).get("shares")
    if shares:
        return f" ({shares[o['option']]}% of the wanted mix)" if shares.get(o["option"]) else ""
    return " (the strategy's choice)" if o["wanted"] else ""


def option_label(d: Mapping[str, Any], name: str) -> str:
    """An option as the brief shows it (its row's ``label``: a scenario's name capitalised); the name when it has no row."""
    return next((o.get("label") or o["option"] for o in d.get("options") or [] if o["option"] == name), name)


def _unchanged(d: dict[str, Any]) -> bool:
    """Both plans are there and the plan diff is empty: the proposed plan is the current plan."""
    return bool(d.get("current") and d.get("proposed")) and not d.get("changes")


def headers(sec: Section) -> list[str]:
    if sec.id == "plans" and _unchanged(sec.data):
        return ["Option", "Bookings a year", "Pay (both plans)", "Per 100 of bookings"]
    if sec.id == "plans" and sec.data.get("current_label", "now") != "now":  # the plan the design started from is not "now"
        return ["Option", "Bookings a year", "Pay, starting plan", "Per 100, starting plan", "Pay proposed", "Per 100 proposed"]
    return HEADERS[sec.id]


HEADERS = {"priorities": ["Rank", "Priority", "Behavior wanted", "Applies to", "Sales cycle"],
           "plans": ["Option", "Bookings a year", "Pay now", "Per 100 now", "Pay proposed", "Per 100 proposed"],
           "decisions": ["Owner", "Who decides", "Decision asked"]}


def _lower(name: str) -> str:
    """A component's name inside a sentence: "Cap" -> "cap", "Measurement period" -> "measurement period"; an acronym or
    a name with capitals inside ("SPIF", "Q4 SPIF") stays as it is."""
    first = name.split(" ")[0]
    return name if first[1:] != first[1:].lower() else name[:1].lower() + name[1:]


def _money_line(m: dict) -> str:
    """A map's one money difference, said as the module's case, never as the gap of the learner's priorities: "On module 1's
    case (enterprise vs smb, the module's plan tester), a full-time year on enterprise pays 56,667 less than a full-time year
    on smb." A figure the check did not accept (no case saved with it) is said as entered, not checked."""
    cents = m["money_cents"]
    amount = money(Decimal(abs(cents)) / 100)
    if not (m.get("want") and m.get("other")):
        return (f"{money(Decimal(cents) / 100)} entered for module {m['number']}'s case (its plan tester's options), not accepted "
                "by the course's check yet; it is not the gap of the priorities above.")
    return (f"On module {m['number']}'s case ({m['want']} vs {m['other']}, the module's plan tester), a full-time year on "
            f"{m['want']} pays {amount} {'less' if cents >= 0 else 'more'} than a full-time year on {m['other']}.")


def _lines(sec: Section) -> list[tuple[str, str]]:
    """(style, text) paragraphs around the table: style is "", "b:<label>" (bold label) or "q" (quote)."""
    d, out = sec.data, []
    if sec.id == "priorities" and d.get("assumed_attainment_pct"):
        out.append(("", f"Planning assumes {d['assumed_attainment_pct']}% attainment of quota."))
    elif sec.id == "contradictions":
        for c in d["contradictions"]:  # labelled by the priority mapped, whose words the label already holds
            said = "; ".join(f"{label}: {c[k].rstrip('.')}" for k, label in MAP_LABELS if c[k] and (k != "strategy" or not c.get("priority")))
            text = f"{c['contradiction'].rstrip('.')}." if c["contradiction"] else "No contradiction written."
            if c.get("component"):  # the row's checked part: the pay component at issue (the money difference is the map's)
                text += f" Plan component at issue: the {_lower(c['component'])}."
            out.append((f"b:{c.get('priority') or c['module']}", text + (f" ({said}.)" if said else "")))
        out += [(f"b:Money difference, module {m['number']}", _money_line(m)) for m in d.get("maps") or []]
    elif sec.id == "plans":
        if d.get("source"):
            out.append(("", f"{d['source'].rstrip('.')}."))
        if d.get("problem"):
            out.append(("", f"Pay per option is missing: {d['problem']}."))
        if d.get("current") and d.get("proposed"):  # the same plan diff as the summary and the comp check
            out.append(("b:What changes", "; ".join(d["changes"]) + "." if d["changes"] else "None: the proposed plan is the current plan."))
        out += [("b:For planning", line) for line in d.get("planning") or []]  # what the change means for capacity plans
        choice, aligned = d.get("rep_choice") or {}, d.get("aligned") or {}
        if d.get("wanted_mix"):  # a strategy that wants a mix of effort: the rep's best mix under each plan, against it
            w = d["wanted_mix"]
            plan_of = {"current": "the plan now" if d.get("current_label", "now") == "now" else "the starting plan", "proposed": "the proposed plan"}
            out.append(("", f"The strategy wants {w['words']}. A rep's best year: " + "; ".join(
                ", ".join(f"{v}% on {option_label(d, n)}" for n, v in w["best"][role].items() if v) + f" under {plan_of[role]}"
                + (" (within one 10% step of each share: what the strategy wants)" if aligned.get(role) else " (not what the strategy wants)")
                for role in ("current", "proposed") if role in w["best"]) + "."))
            choice = {}
        if len(set(choice.values())) == 1 and len(choice) == 2:
            name = option_label(d, next(iter(choice.values())))
            out.append(("", f"A rep's best year is {name} under both plans" + (", what the strategy wants." if aligned["proposed"] else ", not what the strategy wants.")))
        elif choice:
            plan_of = {"current": "the plan now" if d.get("current_label", "now") == "now" else "the starting plan", "proposed": "the proposed plan"}
            out.append(("", "A rep's best year: " + "; ".join(
                f"{option_label(d, choice[role])} under {plan_of[role]}" + (" (what the strategy wants)" if aligned[role] else " (not what the strategy wants)")
                for role in ("current", "proposed") if role in choice) + "."))
        pop = d.get("population") or {}
        if pop:
            reps = next(iter(pop.values()))["reps"]
            out.append(("", f"Incentive cost for {reps:,} reps with a spread of attainment, each booking the mix of deals a rep's best "
                            "year books under that plan, with its credit and pay multipliers: "
                            + ", ".join(f"{pop[role]['cost_of_sales_pct']} per 100 of bookings {label}{_mix_words(pop[role].get('mix'), d)}"
                                        for role, label in ROLES if role in pop) + "."))
        named = d.get("named_changes") or {}  # the comp committee's tests (capstone.committee), when the brief computed them
        out += [(f"b:{label}", "; ".join(named[k]) + ".") for k, label in (("inherited", "Inherited from the starting design"),
                                                                        ("yours", "Your changes")) if named.get(k)]
        out += [(f"b:{c['label']}", c["text"]) for c in d.get("committee") or []]
        shown = d.get("proposed") if d.get("changes") or not d.get("current") else None  # the plan as reps will hear it, once
        if shown:
            same = d.get("current") and d["current"]["name"] == shown["name"]
            out.append((f"m:Proposed plan{'' if same else ' (' + shown['name'] + ')'}, as a rep hears it", shown["explained"]))
        elif d.get("current"):
            out.append((f"m:The plan ({d['current']['name']}), as a rep hears it", d["current"]["explained"]))
    elif sec.id == "findings":
        untraced = [f["component"] for f in d["findings"] if f["code"] == "untraced" and not f["accepted_reason"]]
        if not d["findings"]:
            out.append(("", f"The audit of the {d['plan']} plan against your priorities finds nothing open."))
        if untraced:
            base = "tier 1" in untraced  # the base rate is target incentive over quota: it is traced, never cut
            out.append(("b:Not traced yet", f"{', '.join(component_name(c) for c in untraced)}. Trace each to a priority or a "
                                             "planning assumption in the capstone's audit"
                                             + (" (the base rate to the capacity model that set the quota); cut any other you cannot trace."
                                                if base else ", or cut it.")))
        for f in d["findings"]:
            if f["code"] == "untraced" and not f["accepted_reason"]:
                continue
            why = f"Accepted: {f['accepted_reason'].rstrip('.')}." if f["accepted_reason"] else f"Open, no reason given yet. Fix: {f['fix']}."
            out.append((f"b:{component_name(f['component'])}", f"{f['evidence']}. {why}"))
    elif sec.id == "hypothesis":
        out.append(("q", d["sentence"]))
        when = f"Review on {_day(d['review_date'])}" if d.get("review_date") else "No review date set yet (set it with the decisions in the capstone)"
        out.append(("", when + (f" (calendar: {d['calendar'].rstrip('.')})." if d.get("calendar") and d.get("review_date") else ".")))
    return _capital(out)


def _mix_words(mix: dict[str, int] | None, d: Mapping[str, Any] | None = None) -> str:
    """" (bookings 60% new logo, 40% expansion)": the options' shares of the bookings, each option as section 3's
    data ``d`` shows it; "" when the brief does not say."""
    if mix is None:
        return ""
    if not mix:
        return " (a rep's best year books nothing, so no multiplier applies)"
    shown = {name: option_label(d or {}, name) for name in mix}
    return " (bookings " + ", ".join(f"{pct}% {shown[name]}" if pct else f"under 1% {shown[name]}" for name, pct in mix.items()) + ")"


def _capital(lines: list[tuple[str, str]]) -> list[tuple[str, str]]:
    cap = lambda t: t[:1].upper() + t[1:]  # noqa: E731
    return [(style[:2] + cap(style[2:]) if style[1:2] == ":" else style, cap(text)) for style, text in lines]


def to_markdown(brief: Brief) -> str:
    """The brief as Markdown: human headings, every dynamic text escaped, no raw data, no entities."""
    out = [f"# {_md(brief.title)}", "", _md(brief.summary), ""]
    if brief.warnings:
        out += ["**Check before sending:**", "", *(f"- {_md(w)}" for w in brief.warnings), ""]
    for sec in brief.sections:
        out += [f"## {sec.number}. {sec.heading}", ""]
        if sec.todo:
            out += [f"*Not filled yet.* {_md(sec.todo)}", ""]
        rows = _rows(sec)
        lines = _lines(sec) if not sec.todo or sec.id == "plans" else []
        for style, text in [x for x in lines if not x[0].startswith("m:")]:
            out += [("> " if style == "q" else f"**{_md(style[2:])}.** " if style.startswith("b:") else "") + _md(text), ""]
        if rows:
            out += ["| " + " | ".join(headers(sec)) + " |", "|" + "---|" * len(headers(sec))]
            out += ["| " + " | ".join(_md(c) for c in r) + " |" for r in rows]
            out.append("")
        for style, text in [x for x in lines if x[0].startswith("m:")]:
            out += [f"**{_md(style[2:])}.** {_md(text)}", ""]
    rubric = rubric_rows(brief)
    if rubric:
        out += ["### Rubric: checked by the author before sending", "", "| criterion | met | where |", "|---|---|---|"]
        out += ["| " + " | ".join(_md(c) for c in r) + " |" for r in rubric]
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def rubric_rows(brief: Brief) -> list[tuple[str, str, str]]:
    """The brief's rubric as the author ticked it: (criterion, ticked or not, the section that shows it)."""
    heads = {s.id: f"{s.number}. {s.heading}" for s in brief.sections}
    return [(r["criterion"], "yes" if r["self_ticked"] else "not yet", heads.get(r["where"], "")) for r in brief.rubric]


CSS = """
:root{--bg:#ffffff;--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--card:#f6f8fa;--accent:#0b5cad;--todo:#9a6700;--warn:#9a3412}
@media (prefers-color-scheme: dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--line:#3d444d;--card:#151b23;--accent:#6cb6ff;--todo:#e3b341;--warn:#f0883e}}
html{background:var(--bg);color:var(--fg)}
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem}
h1{font-size:1.4rem;margin:0 0 .3rem}h2{font-size:1rem;margin:.8rem 0 .25rem;padding-bottom:.1rem;border-bottom:1px solid var(--line)}
.summary{background:var(--card);border-left:4px solid var(--accent);padding:.4rem .7rem;margin:.4rem 0}
.warn{border:1px solid var(--warn);border-left:4px solid var(--warn);padding:.3rem .7rem;margin:.4rem 0}
.warn b{color:var(--warn)}.warn ul{margin:.1rem 0;padding-left:1.2rem}
table{border-collapse:collapse;width:100%;margin:.25rem 0;font-size:.9rem}
th,td{border:1px solid var(--line);padding:.15rem .4rem;text-align:left;vertical-align:top}
th{background:var(--card)}td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
blockquote{margin:.25rem 0;padding:.2rem .7rem;border-left:4px solid var(--accent);background:var(--card)}
.todo{color:var(--todo);font-weight:600}.muted{color:var(--muted)}.small{font-size:.82rem}p{margin:.2rem 0}
.row{display:flex;gap:.8rem;align-items:flex-start}.row>div{flex:1 1 60%;min-width:0}
figure{flex:0 0 36%;margin:.25rem 0;background:#fff;border:1px solid var(--line);border-radius:6px;padding:.25rem}
figure img{width:100%;display:block}figcaption{color:#444;font-size:.75rem;text-align:center}
@media screen and (prefers-color-scheme: dark){figure{background:#121212}figcaption{color:var(--muted)}
figure img{filter:invert(.93) hue-rotate(180deg)}}
@media print{body{margin:0;max-width:none;font-size:12px}h2{break-after:avoid}@page{margin:12mm}}
"""


def to_html(brief: Brief) -> str:
    """One self-contained page: every dynamic text escaped, the chart embedded as a small PNG beside the
    pay table it draws (both from the same rows), the warnings under the summary; the body cleaned by
    ``coursekit.sanitize.clean_html`` like every piece of HTML the course renders."""
    e = html.escape
    head = ("<!doctype html><html lang='en'><head><meta charset='utf-8'><meta name='color-scheme' content='light dark'>"
            f"<meta name='viewport' content='width=device-width'><title>{e(brief.title)}</title><style>{CSS}</style></head><body>\n")
    parts = [f"<h1>{e(brief.title)}</h1>", f"<p class='summary'>{e(brief.summary)}</p>"]
    if brief.warnings:
        parts.append("<div class='warn'><b>Check before sending:</b><ul>" + "".join(f"<li>{e(w)}</li>" for w in brief.warnings) + "</ul></div>")
    for sec in brief.sections:
        parts.append(f"<h2>{sec.number}. {e(sec.heading)}</h2>")
        if sec.todo:
            parts.append(f"<p><span class='todo'>Not filled yet.</span> {e(sec.todo)}</p>")
        lines = _lines(sec) if not sec.todo or sec.id == "plans" else []
        body = []
        for style, text in [x for x in lines if not x[0].startswith("m:")]:
            if style == "q":
                body.append(f"<blockquote>{e(text)}</blockquote>")
            else:
                body.append("<p>" + (f"<b>{e(style[2:])}.</b> " if style.startswith("b:") else "") + f"{e(text)}</p>")
        rows = _rows(sec)
        if rows:
            num = {"plans": {1, 2, 3, 4, 5}, "priorities": {0}}.get(sec.id, set())
            body.append("<table><tr>" + "".join(f"<th>{e(h)}</th>" for h in headers(sec)) + "</tr>")
            body += ["<tr>" + "".join(f"<td{' class=num' if i in num else ''}>{e(c)}</td>" for i, c in enumerate(r)) + "</tr>" for r in rows]
            body.append("</table>")
        if sec.id == "plans" and brief.chart:
            parts.append("<div class='row'><div>" + "\n".join(body) + "</div>"
                         f"<figure><img alt='Pay for a year on each option, current and proposed plan' src='data:image/png;base64,"
                         f"{base64.b64encode(brief.chart).decode()}'><figcaption>Pay for a year on each option, and per 100 of bookings (simulated)</figcaption></figure></div>")
        else:
            parts += body
        parts += [f"<p class='muted small'><b>{e(style[2:])}.</b> {e(text)}</p>" for style, text in lines if style.startswith("m:")]
    if brief.rubric:
        parts.append("<h3>Rubric: checked by the author before sending</h3><table><tr><th>criterion</th><th>met</th><th>where</th></tr>"
                     + "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in r) + "</tr>" for r in rubric_rows(brief)) + "</table>")
    # escaped above; the body then goes through the course's one HTML path (nh3), the head is the course's own
    return head + clean_html("\n".join(parts)) + "\n</body></html>"


def chart(rows: list[dict[str, Any]], legend: dict[str, str] | None = None, wanted_mix: Mapping[str, Any] | None = None) -> bytes:
    """Grouped bars: pay for a year on each option, now and proposed, each bar labelled with its pay and its pay per
    100 of bookings. ``legend``: role -> its name in the legend (default "plan now", "proposed plan"); ``wanted_mix``: the
    plans section's, when the strategy wants a mix (each option marked with its share)."""
    d = {"wanted_mix": wanted_mix} if wanted_mix else {}
    legend = {"current": "plan now", "proposed": "proposed plan", **(legend or {})}
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    fig = Figure(figsize=(4.4, 0.5 * len(rows) + 1.0), dpi=120, layout="constrained", facecolor="white")
    ax = fig.add_subplot()
    ax.set_facecolor("white")
    colours = {"current": "#8c959f", "proposed": "#0b5cad"}
    height = 0.38
    top = max(Decimal(o[r]["pay_cents"]) for o in rows for r, _ in ROLES if o.get(r)) / 100 or Decimal(1)
    shown = [role for role, _ in ROLES if any(o.get(role) for o in rows)]
    for k, role in enumerate(shown):
        for i, o in enumerate(rows):
            if not o.get(role):
                continue
            pay = Decimal(o[role]["pay_cents"]) / 100
            y = i + (k - (len(shown) - 1) / 2) * height
            ax.barh(y, float(pay), height=height * 0.92, color=colours[role], label=legend[role] if i == 0 else None)
            ax.text(float(pay) + float(top) * 0.02, y, f"{money(pay)} ({o[role]['per_100_revenue']} per 100)", va="center", fontsize=7,
                    color="#1f2328")
    ax.set_yticks(range(len(rows)), [chart_label(o.get("label", o["option"]), 22) + ("\n" + _wanted_label(d, o).strip() if _wanted_label(d, o) else "") for o in rows], fontsize=7.5, color="#1f2328")
    ax.invert_yaxis()
    ax.set_xlim(0, float(top) * 1.6)  # room for "128,588 (14.0 per 100)" beside the longest bar
    ax.tick_params(axis="x", labelsize=7)
    ax.xaxis.set_major_locator(MaxNLocator(3))
    ax.xaxis.set_major_formatter(lambda v, _p: f"{v:,.0f}")
    for s in ("top", "right"):
        ax.spines[s].set_visible(False)
    fig.legend(loc="outside upper center", ncols=2, fontsize=7.5, frameon=False)
    return png_bytes(fig)


def _day(iso: str) -> str:
    """"2028-04-15" -> "15 April 2028"."""
    import datetime as dt

    d = dt.date.fromisoformat(iso)
    return f"{d.day} {d:%B %Y}"


def export(brief: Brief, out_dir: str | Path) -> tuple[Path, Path, Path]:
    """Write ``decision-brief.md``, ``.html`` and ``.json`` to ``out_dir`` atomically; returns the paths. A folder under
    the course's home (``~/.coursekit/brief/LEARNER``) is made private and must be the learner's own (never a link)."""
    out = Path(out_dir)
    paths = out / "decision-brief.md", out / "decision-brief.html", out / "decision-brief.json"
    private = out.absolute().is_relative_to(home().absolute())  # the learner's own brief folder: theirs alone, never a link
    # a learner's text may carry terminal escape codes: the files a terminal may `cat` carry none (JSON escapes its own)
    atomic_write(paths[0], plain_text(to_markdown(brief)), private=private)
    atomic_write(paths[1], plain_text(to_html(brief)), private=private)
    atomic_write(paths[2], json.dumps(to_json(brief), indent=1, ensure_ascii=False), private=private)
    return paths
