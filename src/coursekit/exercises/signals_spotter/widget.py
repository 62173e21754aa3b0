"""Signals spotter: look at a CRM export's charts, say which gaming signals each rep shows, and hear
what the detector found (``coursekit.signals.detect.detect``). The widget receives the report; it reads no file.

The key comes out one rep at a time: a rep answered wrong is told that it is wrong (and whether a tick is missing or
one too many), never which kinds are right; "Reveal one rep" opens the next rep's case file (the deals behind the
pattern, the effect with its interval, the money at stake), and the model answer is shown only once every rep is
answered right or revealed."""

from __future__ import annotations

import base64
import hashlib
import json
import re

import ipywidgets as W
import numpy as np

from coursekit.engine import precomputed as precompute
from coursekit.engine.plan import to_dict
from coursekit.exercises import theme
from coursekit.exercises.signals_spotter.kind import KIND
from coursekit.exercises.widget import Exercise, esc
from coursekit.feedback import OK, WARN
from coursekit.signals.detect import KINDS, Report, Signal
from coursekit.signals.plot import attainment_figure, discount_figure, label, timing_figure

SEED = 5  # module 4: which clean reps are shown, and the order of the reps, so a rebuild is byte-identical
CLEAN_SHOWN = 2
EDGE_SHOWN = 2  # of the reps found only for landing just above an edge (the team's pile-up is asked about apart)
NONE = "none"
TEAM = "the team"
CASE_DEALS = 5
LABELS = {"period_end_bunching": "bunching at period end", "period_end_discounting": "discounting at period end",
          "edge_bunching": "landing just above a plan edge", "post_cap_stall": "stall after the cap",
          "deal_splitting": "deal splitting"}
TRY_COMMAND = "coursekit signals my-export.csv --plan my-plan.yaml --from salesforce -o signals-report.html"


def _pick(rng, names: list[str], k: int) -> list[str]:
    return [names[i] for i in sorted(rng.choice(len(names), size=min(k, len(names)), replace=False))] if names else []


def shown_reps(report: Report, seed: int = SEED) -> list[str]:
    """The reps to ask about, in a seeded order: every rep the detector names for a kind other than landing at an edge,
    ``EDGE_SHOWN`` of those it names only for that, and ``CLEAN_SHOWN`` it clears."""
    rng = np.random.default_rng(seed)
    flagged = report.flagged()
    other = sorted({s.rep for s in report.findings if s.kind != "edge_bunching"})
    clean = sorted(r for r in report.reps if r not in flagged)
    pick = _pick(rng, clean, CLEAN_SHOWN)
    chosen = other + _pick(rng, sorted(r for r in flagged if r not in other), EDGE_SHOWN) + pick
    return [chosen[i] for i in rng.permutation(len(chosen))]


def _md(text: str) -> str:
    """Text as literal markdown: punctuation that would format is escaped (HTML is escaped by the renderer)."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~])", r"\\\1", str(text))


def size_figure(report: Report, rep: str | None, limit: float | None = None):
    """Deal sizes of one rep against the team, as shares of deals in 1,000 bands; the approval limit drawn when known."""
    from matplotlib.figure import Figure

    d = report.deals
    fig = Figure(figsize=(7.2, 3.2), dpi=100, layout="constrained")
    ax = fig.add_subplot()
    amounts = d["cents"].to_numpy() / 100_000  # thousands
    top = max(float(np.percentile(amounts, 99.5)) if len(amounts) else 1.0, (limit or 0) / 1000 * 1.2, 1.0)
    bins = np.arange(0, np.ceil(top) + 1)
    team = np.histogram(np.clip(amounts, 0, bins[-1]), bins)[0] / max(len(amounts), 1)
    ax.stairs(team * 100, bins, fill=True, color="0.82", label="whole team")
    if rep is not None:
        mine = amounts[d["rep"].to_numpy() == report.reps.index(rep)]
        h = np.histogram(np.clip(mine, 0, bins[-1]), bins)[0] / max(len(mine), 1)
        ax.stairs(h * 100, bins, lw=2, color="C0", label=label(rep))
    if limit is not None:
        ax.axvline(limit / 1000, color="C3", ls="--", lw=1.2)
        ax.annotate(f"approval limit {limit:,.0f}", (limit / 1000, 1), xycoords=("data", "axes fraction"), xytext=(-3, -12),
                    textcoords="offset points", ha="right", fontsize=8, color="C3")
    ax.set_xlabel(f"deal size ({report.plan.currency} thousands)")
    ax.set_ylabel("share of deals (%)")
    ax.set_title("Deal sizes against the team")
    ax.legend(fontsize=8, loc="upper right")
    ax.grid(alpha=0.3)
    return fig


class SignalsSpotter(Exercise):
    """``report``: a ``Report`` from ``detect``; ``reps``: the reps to ask about (default ``shown_reps(report)``);
    ``approval_limit``: drawn on the deal-size chart when known.

    The answer is ``{"reps": {rep: [kinds] or ["none"]}, "edge": edge name, "none" or "", "revealed": [reps]}``.
    Each rep is right when its ticks are exactly the kinds the detector reports for it (``["none"]`` when it reports
    nothing); the team is right when the edge named is where the detector finds attainment piling up (or "none").
    ``revealed`` lists the reps (and ``TEAM``) whose key the learner asked for, one at a time.
    """

    title = "Spot the gaming signals"
    kind = KIND.name

    def __init__(self, report: Report, reps: list[str] | None = None, approval_limit: float | None = None, **kw):
        self.approval_limit = approval_limit
        self.detected = report  # not `self.report`: that is the base class's check-and-print
        names = shown_reps(report) if reps is None else [str(r) for r in reps]
        unknown = [r for r in names if r not in report.reps]
        if unknown:
            raise ValueError(f"SignalsSpotter: reps: {unknown[0]!r} is not in the report (use names from report.reps)")
        self.reps = names
        self.truth: dict[str, list[str]] = {r: [k for k in KINDS if any(s.rep == r and s.kind == k for s in report.signals)]
                                            for r in names}
        self.edge_truth = [name for name, _ in report.edges
                           if any(s.kind == "edge_bunching" and not s.rep and s.component == name for s in report.signals)]
        self._revealed: list[str] = []
        super().__init__(**kw)

    # --- layout ---
    def build(self) -> None:
        self._boxes: dict[str, list[W.Checkbox]] = {}
        rows: list[W.Widget] = []
        for n, rep in enumerate(self.reps, 1):
            # the tooltip names the rep too, so a screen reader does not hear "deal splitting" six times over
            boxes = [W.Checkbox(value=False, description=text, tooltip=f"{rep}: {text}", indent=False, layout=W.Layout(width="auto"))
                     for text in [*(LABELS[k] for k in KINDS), NONE]]
            self._watch(*boxes)
            self._boxes[rep] = boxes
            rows += [W.HTML(f"<p style='margin:6px 0 0'><b>{n}. {esc(rep)}</b></p>"),
                     W.HBox(boxes, layout=W.Layout(flex_flow="row wrap"))]
        edge_options = [("— pick one —", ""), ("no pile-up at any edge", NONE)] + [(f"the {name} ({at:.0%})", name)
                                                                                  for name, at in self.detected.edges]
        self._edge = W.ToggleButtons(options=edge_options, value="", description="Team",
                                     style={"description_width": "4em", "button_width": "auto"}, layout=W.Layout(width="95%"))
        self._watch(self._edge)
        # buttons, not a dropdown: Tab and Space pick a rep (a focused dropdown lost its arrow keys to JupyterLab's cells)
        self._chart_rep = W.ToggleButtons(options=[(r, r) for r in self.reps], value=self.reps[0] if self.reps else None,
                                          description="Chart rep", style={"description_width": "6em", "button_width": "auto"},
                                          tooltips=[f"Draw the charts for {r}" for r in self.reps])
        self._chart_rep.observe(lambda _c: self.redraw(), names="value")
        self._chart_text = W.HTML()  # the charts' figures as a table: the exercise can be done without sight
        self._images = {k: W.Image(format="png", layout=W.Layout(max_width="640px"))
                        for k in ("timing", "discount", "size", "attainment")}
        periods = f"{len(self.detected.periods)} {self.detected.plan.period} periods"
        self._reveal_button = W.Button(description="Reveal one rep", layout=W.Layout(width="auto"),
                                       tooltip="Open the next rep's case file: what the detector found and the deals behind it")
        self._reveal_button.on_click(lambda _b: self.reveal_next())
        self._reveal_view = W.HTML()
        self.children = [
            self.header(f"{len(self.detected.reps)} reps over {periods}. Pick a rep to chart against the team, then tick, for each "
                        "rep below, every signal you see (or none). Last, say whether the team's attainment piles up just "
                        "above one of the plan's edges. Stuck on a rep? \"Reveal one rep\" opens the next rep's case "
                        "file: the deals behind what the detector found."),
            self._chart_rep, *self._images.values(), self._chart_text,
            *rows,
            W.HTML("<p style='margin:8px 0 2px'><b>The team:</b> does attainment pile up just above a plan edge, and which?</p>"),
            self._edge,
            *self.footer(),
            self._reveal_button, self._reveal_view,
            W.HTML(f"<p>Try it on your own export:</p><pre>{esc(TRY_COMMAND)}</pre>"),
        ]
        self._stale = True

    # the code that draws the charts, for the key of their precomputed copy (coursekit.engine.precomputed)
    CHARTS_CODE = ("engine", "signals", "exercises/signals_spotter", "exercises/theme.py")

    def draw(self) -> None:
        """The chart rep's timing, discount and size charts, the team's attainment and their table: the copy
        ``coursekit build`` stored for exactly this report, rep and limit (module 4's course export), else drawn now."""
        rep = self._chart_rep.value
        charts = precompute.lookup(precompute.note_of(self.key), self.charts_key(rep))
        if not (isinstance(charts, dict) and all(isinstance(charts.get(k), str) for k in (*self._images, "text"))):
            charts = self.draw_charts(rep, attainment=not self._images["attainment"].value)
        for k, image in self._images.items():
            if charts.get(k):
                image.value = base64.b64decode(charts[k])
        self._chart_text.value = charts["text"]

    def charts_key(self, rep: str | None) -> str:
        """The precompute key of the charts for ``rep``: a hash of the report's data (its deals, attainment, quotas and
        every other field), the rep, the approval limit, and the drawing code (``CHARTS_CODE``, matplotlib's release)."""
        if not hasattr(self, "_report_hash"):
            self._report_hash = report_hash(self.detected)
        return precompute.entry_key("signals_spotter.charts", {"report": self._report_hash, "rep": rep, "limit": self.approval_limit},
                                    precompute.code_hash(self.CHARTS_CODE, ("matplotlib", "pandas", "numpy")))

    def draw_charts(self, rep: str | None, attainment: bool = True) -> dict[str, str]:
        """Draw the charts live (PNG, base64) and their table (``"text"``); the team's attainment only with ``attainment``."""
        reps = [rep] if rep is not None else []
        timing = timing_figure(self.detected, reps)
        timing.axes[0].set_title(f"When {label(rep)}'s deals close, against the team" if rep is not None else "When deals close")
        figs = {"timing": timing, "discount": discount_figure(self.detected, reps),
                "size": size_figure(self.detected, rep, self.approval_limit)}
        if attainment:
            figs["attainment"] = attainment_figure(self.detected)
        out = {k: base64.b64encode(theme.themed_png(f)).decode() for k, f in figs.items()}
        return {**out, "text": chart_table(self.detected, rep, self.approval_limit)}

    # --- answer ---
    def read_inputs(self) -> dict:
        ticks = {rep: [k for k, b in zip((*KINDS, NONE), boxes) if b.value] for rep, boxes in self._boxes.items()}
        return {"reps": ticks, "edge": self._edge.value, "revealed": list(self._revealed)}

    def show_answer(self, answer: dict) -> None:
        reps = answer.get("reps") if isinstance(answer, dict) else None
        reps = reps if isinstance(reps, dict) else {}
        for rep, boxes in self._boxes.items():
            mine = reps.get(rep)
            mine = mine if isinstance(mine, list) else []
            for k, b in zip((*KINDS, NONE), boxes):
                b.value = k in mine
        edge = answer.get("edge") if isinstance(answer, dict) else ""
        self._edge.value = edge if edge in [v for _, v in self._edge.options] else ""
        revealed = answer.get("revealed") if isinstance(answer, dict) else None
        self._revealed = [r for r in self.reps + [TEAM] if isinstance(revealed, list) and r in revealed]
        self._show_revealed()

    # --- one rep at a time ---
    def _right(self, rep: str) -> bool:
        answer = self.answer if isinstance(self.answer, dict) else {}
        if rep == TEAM:
            edge = answer.get("edge", "")
            return bool(edge) and (edge in self.edge_truth if self.edge_truth else edge == NONE)
        mine = (answer.get("reps") or {}).get(rep) or []
        return sorted(mine, key=(*KINDS, NONE).index) == (self.truth[rep] or [NONE])

    def _open(self, rep: str) -> bool:
        """Whether the key for this rep (or the team) may be shown: answered right, or revealed."""
        return rep in self._revealed or self._right(rep)

    def reveal_next(self) -> str:
        """Reveal the next rep not yet answered right (the team last): its case file; returns that rep ('' if none)."""
        nxt = next((r for r in [*self.reps, TEAM] if not self._open(r)), "")
        if nxt:
            self._revealed.append(nxt)
            self.answer = {**(self.answer if isinstance(self.answer, dict) else {}), "revealed": list(self._revealed)}
            self._store(self._record())
        self._show_revealed()
        return nxt

    def case_file(self, rep: str) -> str:
        """A rep's case file as markdown-free text lines: each finding with its effect, money at stake and first deals."""
        if rep == TEAM:
            if not self.edge_truth:
                return "The team: no pile-up at any edge."
            return f"The team: piles up at the {self.edge_truth[0]}: {self._team_signal(self.edge_truth[0]).evidence}."
        if not self.truth[rep]:
            return f"{rep}: none; {self._nothing(rep)}."
        out = []
        for k in self.truth[rep]:
            s = self._strongest(rep, k)
            out.append(f"{rep}: {self._found(rep, k)}. Rewarded by {self._rewards(s)}.")
            if s.effect:
                out.append(f"  Effect: {s.effect}.")
            if s.at_stake_what:
                out.append(f"  At stake: {s.at_stake:,.0f} {self.detected.plan.currency} ({s.at_stake_what}).")
            for d in s.deals[:CASE_DEALS]:
                out.append("  Deal " + ", ".join(str(d[c]) for c in ("deal_id", "date", "account") if d.get(c))
                           + f", {d['amount']:,.2f}" + (f", discount {d['discount']:.0%}" if d.get("discount") is not None else ""))
            if s.deals_total > CASE_DEALS:
                out.append(f"  ... {s.deals_total - CASE_DEALS} more deals")
        return "\n".join(out)

    def _show_revealed(self) -> None:
        if not hasattr(self, "_reveal_view"):
            return
        self._reveal_view.value = "".join(f"<pre style='white-space:pre-wrap'>{esc(self.case_file(r))}</pre>"
                                          for r in self._revealed)
        left = [r for r in [*self.reps, TEAM] if not self._open(r)]
        self._reveal_button.disabled = not left
        self._reveal_button.description = "Reveal one rep" if left else "Every rep is open"

    def solution_text(self) -> str:
        """The model answer only once every rep (and the team) is answered right or revealed: never the whole key after
        one wrong attempt; until then, the reps open so far."""
        if all(self._open(r) for r in [*self.reps, TEAM]):
            return super().solution_text()
        return self.computed_solution() or ""

    # --- feedback ---
    def _of(self, rep: str, kind: str) -> list[Signal]:
        return [s for s in self.detected.signals if s.rep == rep and s.kind == kind]

    def _strongest(self, rep: str, kind: str) -> Signal:
        return max(self._of(rep, kind), key=lambda s: s.strength)

    def _where(self, s: Signal) -> str:
        return s.period or "across periods"

    def _rewards(self, s: Signal) -> str:
        if s.component == "period":
            return f"the {self.detected.plan.period} measurement period itself (each period end is a deadline)"
        if s.component == "approval limit":
            return "the approval limit (deals under it skip review)"
        if s.component == "deal count":
            return "paying per deal (more, smaller deals)"
        return f"the plan's {s.component}"

    def _found(self, rep: str, kind: str) -> str:
        s, n = self._strongest(rep, kind), len(self._of(rep, kind))
        span = f"in {n} of {len(self.detected.periods)} periods" if s.period else "across periods"
        return f"{LABELS[kind]} {span}; strongest in {self._where(s)}: {s.evidence}"

    def _nothing(self, rep: str) -> str:
        return (f"the detector finds nothing for {rep} after accounting for {self.detected.tests} tests "
                f"(false discovery rate {self.detected.fdr:.0%})")

    def _junk(self, ticks: dict[str, list[str]]) -> str:
        """Why an answer that does not look at the data fails, or ''."""
        if not self.reps:
            return ""
        marked = [t for t in ticks.values() if t]
        if all(set(KINDS) <= set(t) for t in ticks.values()):
            return ("Ticking every signal for every rep is not spotting: a signal is a claim about one rep, and a claim "
                    "against every rep is a false alarm for most of them. Tick only what the charts show.")
        if not marked:
            return "Nothing is ticked yet: for each rep tick the signals you see in the charts, or none."
        if all(t == [NONE] for t in ticks.values()) and any(self.truth.values()):
            gaming = sum(1 for v in self.truth.values() if v)
            return (f"Calling every rep clean is not spotting either: {gaming} of these {len(self.reps)} reps show signals "
                    "strong enough to survive the correction for many tests. Look at each rep's chart.")
        return ""

    def evaluate(self, answer: dict) -> list[tuple[str, str]]:
        ticks = {rep: list(answer.get("reps", {}).get(rep, [])) for rep in self.reps}
        lines: list[tuple[str, str]] = []
        if why := self._junk(ticks):
            lines.append((WARN, why))
            if not any(ticks.values()):  # nothing ticked: one line says so, not one per rep
                return [*lines, self._team(answer.get("edge", ""))]
        for rep in self.reps:
            mine, truth = ticks[rep], self.truth[rep]
            kinds = [k for k in mine if k != NONE]
            if not mine:
                lines.append((WARN, f"{rep}: not answered yet: tick the signals you see, or none."))
                continue
            if NONE in mine and kinds:
                lines.append((WARN, f"{rep}: you ticked none and a signal: choose one or the other."))
                continue
            if not self._open(rep) and sorted(mine, key=(*KINDS, NONE).index) != (truth or [NONE]):
                missing, extra = set(truth) - set(kinds), set(kinds) - set(truth)
                hint = ("a signal is missing" if missing and not extra else "at least one tick is too many"
                        if extra and not missing else "your ticks and the detector's differ")
                lines.append((WARN, f"{rep}: not yet: {hint}. Look at {rep}'s charts again, or reveal this rep."))
                continue
            if not truth:
                if kinds:
                    lines += [(WARN, f"{rep}: {LABELS[k]} is a false alarm: {self._nothing(rep)}.") for k in kinds]
                else:
                    lines.append((OK, f"{rep}: right, no signal: {self._nothing(rep)}."))
                continue
            if not kinds:
                lines += [(WARN, f"{rep}: not clean. Missed {self._found(rep, k)}. What rewards it: "
                                 f"{self._rewards(self._strongest(rep, k))}.") for k in truth]
                continue
            for k in KINDS:
                if k in kinds and k in truth:
                    lines.append((OK, f"{rep}: yes, {self._found(rep, k)}."))
                elif k in truth:
                    lines.append((WARN, f"{rep}: missed {self._found(rep, k)}. What rewards it: "
                                        f"{self._rewards(self._strongest(rep, k))}."))
                elif k in kinds:
                    lines.append((WARN, f"{rep}: {LABELS[k]} is a false alarm: the detector finds no {LABELS[k]} for {rep} "
                                        f"after accounting for {self.detected.tests} tests."))
        lines.append(self._team(answer.get("edge", "")))
        return lines

    def _team_signal(self, name: str) -> Signal:
        return max((s for s in self.detected.signals if s.kind == "edge_bunching" and not s.rep and s.component == name),
                   key=lambda s: s.strength)

    def _team(self, edge: str) -> tuple[str, str]:
        if not edge:
            return WARN, "The team: not answered yet: pick the edge where attainment piles up, or no pile-up."
        right = edge in self.edge_truth if self.edge_truth else edge == NONE
        if not right and TEAM not in self._revealed:
            return WARN, "The team: not yet: look at the attainment chart again (where do rep-periods pile up?), or reveal it."
        if not self.edge_truth:
            if edge == NONE:
                return OK, f"The team: right, no pile-up at any edge after accounting for {self.detected.tests} tests."
            return WARN, f"The team: a false alarm at the {edge}: the detector finds no pile-up there after {self.detected.tests} tests."
        right = self.edge_truth[0]
        s = self._team_signal(right)
        if edge in self.edge_truth:
            return OK, f"The team: yes, at the {edge}: {self._team_signal(edge).evidence}."
        if edge == NONE:
            return WARN, f"The team: missed a pile-up at the {right}: {s.evidence}. What rewards it: {self._rewards(s)}."
        return WARN, f"The team: not at the {edge}; look just above the {right}: {s.evidence}."

    def computed_solution(self) -> str | None:
        out = [f"What the detector finds ({len(self.detected.signals)} signals in {self.detected.tests} tests, "
               f"false discovery rate {self.detected.fdr:.0%}):", ""]
        for rep in self.reps:
            if not self._open(rep):
                out.append(f"- **{_md(rep)}**: not open yet: answer this rep right, or reveal it.")
                continue
            if not self.truth[rep]:
                out.append(f"- **{_md(rep)}**: none; {_md(self._nothing(rep))}.")
                continue
            for k in self.truth[rep]:
                out.append(f"- **{_md(rep)}**: {_md(self._found(rep, k))}. Rewarded by {_md(self._rewards(self._strongest(rep, k)))}.")
        if not self._open(TEAM):
            out.append("- **The team**: not open yet: answer it right, or reveal it.")
        elif self.edge_truth:
            for name in self.edge_truth:
                s = self._team_signal(name)
                out.append(f"- **The team**: piles up at the {_md(name)}: {_md(s.evidence)}.")
        else:
            out.append("- **The team**: no pile-up at any edge.")
        for s in self.detected.signals:  # team-wide signals the exercise does not ask about
            if not s.rep and s.kind != "edge_bunching":
                out.append(f"- **The team**, {_md(s.period or 'across periods')}: {_md(LABELS[s.kind])}: {_md(s.evidence)}.")
        out += ["", "Try it on your own export:", "", f"    {TRY_COMMAND}"]
        return "\n".join(out)


def report_hash(report: Report) -> str:
    """SHA-256 of everything a report holds: its deals (pandas' row hashes), the attainment and quota arrays, the plan
    (as its file would write it) and the other fields as JSON."""
    import pandas as pd

    h = hashlib.sha256(pd.util.hash_pandas_object(report.deals, index=True).to_numpy().tobytes())
    h.update(list(report.deals.columns).__repr__().encode())
    for a in (report.attainment, report.period_quota):
        h.update(b"-" if a is None else np.ascontiguousarray(a, dtype=float).tobytes())
    rest = {f: getattr(report, f) for f in ("reps", "periods", "tests", "window", "fdr", "edges", "measurement", "notes", "untested",
                                            "approval_limit")}
    rest.update(plan=to_dict(report.plan), signals=[s.to_dict() for s in report.signals], watch=[s.to_dict() for s in report.watch])
    h.update(json.dumps(rest, sort_keys=True, default=str).encode())
    return h.hexdigest()


def chart_table(report: Report, rep: str | None, approval_limit: float | None = None) -> str:
    """What the charts show for ``rep`` against the whole team, as a table (the charts' text alternative): deals, the
    share closed in the period's last business days, the median discount there and before, deals just under the
    approval limit; and, for the team, the share of rep-periods landing just above 100% of quota."""
    d = report.deals
    rows: list[tuple[str, str, str]] = []

    def share(mask, of) -> str:
        n = int(of.sum())
        if not n:
            return "-"
        pct = 100 * int((mask & of).sum()) / n
        return f"{pct:.0f}% of {n:,}" if pct >= 1 or pct == 0 else f"{pct:.1f}% of {n:,}"

    everyone = np.ones(len(d), dtype=bool)
    mine = (d["rep"] == report.reps.index(rep)).to_numpy() if rep in report.reps else np.zeros(len(d), dtype=bool)
    late = (d["to_end"] <= report.window).to_numpy()
    rows.append((f"deals closed in the period's last {report.window} business days", share(late, mine), share(late, everyone)))
    if "discount" in d and not d["discount"].isna().all():
        disc = d["discount"].to_numpy(dtype=float)

        def med(sel) -> str:
            v = disc[sel & ~np.isnan(disc)]
            return f"{np.median(v):.1%}" if len(v) else "-"
        rows.append((f"median discount, last {report.window} business days", med(mine & late), med(everyone & late)))
        rows.append(("median discount, earlier in the period", med(mine & ~late), med(everyone & ~late)))
    limit = approval_limit if approval_limit is not None else report.approval_limit
    if limit:
        amount = d["cents"].to_numpy(dtype=float) / 100
        under = (amount < limit) & (amount >= 0.9 * limit)
        rows.append((f"deals within 10% under the {limit:,.0f} approval limit", share(under, mine), share(under, everyone)))
    who = esc(label(rep)) if rep is not None else "the rep"
    body = "".join(f"<tr><td>{esc(m)}</td><td>{esc(a)}</td><td>{esc(b)}</td></tr>" for m, a, b in rows)
    return (f"<details><summary>The charts as a table: {who} against the whole team (when deals close, discounts, deal "
            f"sizes; the attainment chart's pile-up and a capped rep's stall are in each rep's case file)</summary><table><tr>"
            f"<th>measure</th><th>{who}</th><th>whole team</th></tr>{body}</table></details>")
