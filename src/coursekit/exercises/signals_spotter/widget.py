"""Signals spotter: look at a CRM export's charts, say which gaming signals each rep shows, and hear
what the detector found (``coursekit.signals.detect.detect``). The widget receives the report; it reads no file."""

from __future__ import annotations

import re

import ipywidgets as W
import numpy as np

from coursekit.exercises import theme
from coursekit.exercises.signals_spotter.kind import KIND
from coursekit.exercises.widget import Exercise, esc
from coursekit.feedback import OK, WARN
from coursekit.signals.detect import KINDS, Report, Signal
from coursekit.signals.plot import attainment_figure, discount_figure, label, timing_figure

SEED = 4  # module 4: which clean reps are shown, and the order of the reps, so a rebuild is byte-identical
CLEAN_SHOWN = 2
NONE = "none"
LABELS = {"period_end_bunching": "bunching at period end", "period_end_discounting": "discounting at period end",
          "edge_bunching": "attainment piling up at a plan edge", "post_cap_stall": "stall after the cap",
          "deal_splitting": "deal splitting"}
TRY_COMMAND = "coursekit signals my-export.csv --plan my-plan.yaml --from salesforce -o signals-report.html"


def shown_reps(report: Report, seed: int = SEED) -> list[str]:
    """The reps to ask about: every rep the detector names plus ``CLEAN_SHOWN`` it clears, in a seeded order."""
    rng = np.random.default_rng(seed)
    flagged = report.flagged()
    clean = sorted(r for r in report.reps if r not in flagged)
    pick = [clean[i] for i in sorted(rng.choice(len(clean), size=min(CLEAN_SHOWN, len(clean)), replace=False))]
    chosen = sorted(flagged) + pick
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

    The answer is ``{"reps": {rep: [kinds] or ["none"]}, "edge": edge name, "none" or ""}``. Each rep is right
    when its ticks are exactly the kinds the detector reports for it (``["none"]`` when it reports nothing);
    the team is right when the edge named is where the detector finds attainment piling up (or "none").
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
        self._edge = W.Dropdown(options=edge_options, value="", description="Team", style={"description_width": "4em"},
                                layout=W.Layout(width="95%"))
        self._watch(self._edge)
        self._chart_rep = W.Dropdown(options=[(r, r) for r in self.reps], value=self.reps[0] if self.reps else None,
                                     description="Chart rep", style={"description_width": "6em"})
        self._chart_rep.observe(lambda _c: self.redraw(), names="value")
        self._images = {k: W.Image(format="png", layout=W.Layout(max_width="640px"))
                        for k in ("timing", "discount", "size", "attainment")}
        periods = f"{len(self.detected.periods)} {self.detected.plan.period} periods"
        self.children = [
            self.header(f"{len(self.detected.reps)} reps over {periods}. Pick a rep to chart against the team, then tick, for each "
                        "rep below, every signal you see (or none). Last, say whether the team's attainment piles up just "
                        "above one of the plan's edges."),
            self._chart_rep, *self._images.values(),
            *rows,
            W.HTML("<p style='margin:8px 0 2px'><b>The team:</b> does attainment pile up just above a plan edge, and which?</p>"),
            self._edge,
            *self.footer(),
            W.HTML(f"<p>Try it on your own export:</p><pre>{esc(TRY_COMMAND)}</pre>"),
        ]
        self._stale = True

    def draw(self) -> None:
        rep = self._chart_rep.value
        reps = [rep] if rep is not None else []
        timing = timing_figure(self.detected, reps)
        timing.axes[0].set_title(f"When {label(rep)}'s deals close, against the team" if rep is not None else "When deals close")
        self._images["timing"].value = theme.themed_png(timing)
        self._images["discount"].value = theme.themed_png(discount_figure(self.detected, reps))
        self._images["size"].value = theme.themed_png(size_figure(self.detected, rep, self.approval_limit))
        if not self._images["attainment"].value:
            self._images["attainment"].value = theme.themed_png(attainment_figure(self.detected))

    # --- answer ---
    def read_inputs(self) -> dict:
        ticks = {rep: [k for k, b in zip((*KINDS, NONE), boxes) if b.value] for rep, boxes in self._boxes.items()}
        return {"reps": ticks, "edge": self._edge.value}

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
            if not self.truth[rep]:
                out.append(f"- **{_md(rep)}**: none; {_md(self._nothing(rep))}.")
                continue
            for k in self.truth[rep]:
                out.append(f"- **{_md(rep)}**: {_md(self._found(rep, k))}. Rewarded by {_md(self._rewards(self._strongest(rep, k)))}.")
        if self.edge_truth:
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
