"""Traceability chain builder: each pay component traced, link by link, to a strategic choice (a cap: to a
financial constraint), or cut.

The links form a typed vocabulary: component -> mechanism(s) -> strategic choice or financial constraint. A chain is checked
link by link against the lines the course draws (the note's chains, and the known lines for caps,
SPIFs and credit multipliers), so a skipped middle link is named and a link from another component's
line is called out, not only the last word.
"""

from __future__ import annotations

import difflib
import textwrap
from collections import deque

import ipywidgets as W

from coursekit.exercises import theme
from coursekit.exercises.theme import MID
from coursekit.exercises.traceability.kind import DEFAULT_EXTRA, KIND
from coursekit.exercises.widget import Exercise, esc
from coursekit.feedback import INFO, OK, WARN

DEFAULT_CHAINS = {
    "Quota": ["Capacity model", "Revenue target", "Strategic plan"],
    "Accelerator": ["Capacity model", "Revenue target"],
    "Threshold": ["Minimum acceptable performance", "Quality gate"],
}
# Lines the course accepts besides the note's: a cap protects against windfalls within the cost of sales Finance
# will fund (modules 1 and 2 print "Cap → Windfall protection → Cost of sales budget"), or holds a cost budget.
KNOWN_LINES = {
    "Cap": [["Windfall protection", "Cost of sales budget"], ["Windfall protection", "Cost control"],
            ["Cost of sales budget", "Cost control"]],
    "SPIF": [["Short push on one behavior", "Strategic priority"]],
    "Credit multiplier": [["Segment we want more of", "Strategic priority"]],
    # an accelerator pays for volume of any kind: module 2's own answer traces it to the capacity model (D7)
    "Accelerator": [["Capacity model", "Revenue target"]],
}
# Lines a component cannot take, though they tempt: each with what the course teaches against it (module 3's third pitfall
# and the glossary: an accelerator pays more for volume of any kind, so it serves the revenue target, not the mix). A note
# that draws such a line itself (module 1's seed, the user's file, where "more of" means more volume) keeps it.
MISREAD_LINES = {
    "Accelerator": ([["Behavior we want more of", "Strategic priority"]],
                    "an accelerator pays more for every dollar above quota, whatever the deal, so it cannot steer the mix toward a "
                    "priority; it serves volume: trace it to the capacity model and the revenue target, or cut it"),
}
# Ends that are a financial constraint rather than a strategic choice: a cap serves the budget, not a behavior.
FINANCIAL_ENDS = frozenset({"Cost of sales budget", "Cost control"})
# Tempting links that are no strategic reason at all: each names the misconception it stands for.
NOT_REASONS = {
    "Last year's plan": "last year's plan is habit, not a choice: it encodes last year's priorities",
    "Market rate": "the market rate says what others pay, not what this plan should buy",
    "Board request": "a request is not a reason: ask which behavior it should change",
}
MECHANISM, CHOICE, FINANCIAL, NOT_REASON = "mechanism", "strategic choice", "financial constraint", "not a reason"
ENDS = (CHOICE, FINANCIAL)  # a line is finished at either
CUT = "✂ cut this component"  # a line of its own: a deliberate cut, which counts as an answer
# Components the model answer cuts when the note draws no line for them (it never both cuts and traces one).
MODEL_CUTS = {"SPIF": "a SPIF with no product, behavior or window has no line to draw"}


class TraceabilityChain(Exercise):
    """For each component the learner adds links (Enter adds one); each chain is checked link by link."""

    title = "Trace every pay component"
    kind = KIND.name

    def __init__(self, chains: dict[str, list[str]] | None = None, extra_components: list[str] | None = None,
                 cut_because: dict[str, str] | None = None, describe: dict[str, str] | None = None, **kw):
        """``chains``: the lines the course draws (component -> links); ``extra_components``: components with no
        line of the note's (default Cap and SPIF; ``[]`` for none); ``cut_because``: components this exercise's
        plan must cut, with why (tracing one is refused with that reason); ``describe``: what the plan's
        component is, shown beside its name (e.g. ``{"Cap": "resets every month"}``)."""
        model = {str(k): [str(x) for x in v] for k, v in (chains or DEFAULT_CHAINS).items()}
        extra = DEFAULT_EXTRA if extra_components is None else extra_components
        self.components = list(model) + [c for c in extra if c not in model]
        self.cuts = {**{c: why for c, why in MODEL_CUTS.items() if c not in model},
                     **{str(c): " ".join(str(why).split()).rstrip(".") for c, why in (cut_because or {}).items()}}
        self.must_cut = frozenset(str(c) for c in (cut_because or {}))
        self.describe = {str(c): str(d) for c, d in (describe or {}).items()}
        # every line a component may take: its model chain first, then the known alternatives
        self.lines: dict[str, list[list[str]]] = {}
        for c in self.components:
            known = [x for x in KNOWN_LINES.get(c, []) if x != model.get(c)]
            self.lines[c] = ([model[c]] if model.get(c) else []) + known
        self.model = {c: ([CUT] if c in self.cuts else ls[0]) for c, ls in self.lines.items() if ls or c in self.cuts}
        self.types: dict[str, str] = {}
        for ls in self.lines.values():
            for line in ls:
                for i, link in enumerate(line):
                    if self.types.get(link) not in ENDS:
                        self.types[link] = (FINANCIAL if link in FINANCIAL_ENDS else CHOICE) if i == len(line) - 1 else MECHANISM
        for c in self.components:  # the tempting lines' links are offered too, so picking one is answered with its reason
            for line in MISREAD_LINES.get(c, ([], ""))[0]:
                for i, link in enumerate(line):
                    self.types.setdefault(link, CHOICE if i == len(line) - 1 else MECHANISM)
        self.types.update({k: NOT_REASON for k in NOT_REASONS})
        self.strategic = sorted(k for k, t in self.types.items() if t == CHOICE)
        self.financial = sorted(k for k, t in self.types.items() if t == FINANCIAL)
        self.vocabulary = sorted(self.types)
        self._edges = {(a, b) for ls in self.lines.values() for line in ls for a, b in zip(line, line[1:])}
        super().__init__(**kw)

    # --- inputs ---
    def build(self) -> None:
        self._chains: dict[str, list[str]] = {c: [] for c in self.components}
        self._shown_links: dict[str, W.HTML] = {}
        self._pickers: dict[str, W.Combobox] = {}
        self._messages: dict[str, W.HTML] = {}
        rows = []
        for c in self.components:
            label = W.HTML(f"<b>{esc(c)}</b> <small>({esc(self.describe[c])})</small> <b>→</b>" if c in self.describe else f"<b>{esc(c)} →</b>",
                           layout=W.Layout(width="14em" if c in self.describe else "9em"))
            self._shown_links[c] = W.HTML(layout=W.Layout(min_width="6em"))
            picker = W.Combobox(options=self.vocabulary, ensure_option=False, continuous_update=False,
                                placeholder="next link (type or pick, Enter adds it)", description=f"{c}: next link",
                                style={"description_width": "0px"}, layout=W.Layout(width="20em"))
            picker.observe(lambda ch, c=c: self._picked(c, ch), names="value")
            self._pickers[c] = picker
            undo = W.Button(description="⌫", tooltip=f"Remove the last link from {c}", layout=W.Layout(width="3em"))
            undo.on_click(lambda _b, c=c: self.remove_link(c))
            cut = W.Button(description="✂ cut", tooltip=f"Cut {c}: it serves no strategic choice (a cap: no financial constraint)", layout=W.Layout(width="5em"))
            cut.on_click(lambda _b, c=c: self.cut(c))
            self._messages[c] = W.HTML()
            rows.append(W.VBox([W.HBox([label, self._shown_links[c], picker, undo, cut]), self._messages[c]]))
        self._diagram = W.Image(format="png", layout=W.Layout(max_width="100%"))
        self._diagram_text = W.HTML()  # the diagram as text (it is an image): one line per component
        kinds = (f"mechanisms: {', '.join(k for k in self.vocabulary if self.types[k] == MECHANISM)}; "
                 f"strategic choices: {', '.join(self.strategic)}"
                 + (f"; financial constraints: {', '.join(self.financial)}" if self.financial else ""))
        self.children = [self.header("Draw each component's line: add links one at a time, from what the component does (a mechanism) "
                                     "to the strategic choice it serves (or, for a cap, the financial constraint it holds). "
                                     f"If you can't draw the line, press ✂ cut to cut the component. Links: {kinds}."),
                         *rows, *self.footer(), self._diagram, self._diagram_text]

    def _picked(self, c: str, change) -> None:
        if self._updating or not change["new"]:
            return
        self.add_link(c, change["new"])
        self._updating = True
        try:
            self._pickers[c].value = ""
        finally:
            self._updating = False

    def _canonical(self, text: str) -> str | None:
        t = " ".join(str(text).split()).lower()
        return next((k for k in self.vocabulary if k.lower() == t), None)

    def add_link(self, component: str, text: str) -> str:
        """Programmatic twin of typing a link and pressing Enter: returns the message shown ("" when added)."""
        link = self._canonical(text)
        if " ".join(str(text).split()).lower() in (CUT.lower(), "cut", "✂ cut"):
            self.cut(component)
            msg = ""
        elif link is None:
            near = difflib.get_close_matches(str(text), self.vocabulary, n=2, cutoff=0.5)
            msg = (f"“{text}” is not in the vocabulary" + (f": did you mean {' or '.join(near)}?" if near else
                   ": pick a suggestion from the list (a mechanism, then a strategic choice or a financial constraint)."))
        elif link in self._chains[component]:
            msg = f"“{link}” is already on the {component} line."
        else:
            msg = ""
            self._chains[component] = [x for x in self._chains[component] if x != CUT] + [link]
            self._show_links(component)
            self._input_changed()
        self._messages[component].value = f"<span style='color:var(--jp-warn-color1, #f57c00)'>{esc(msg)}</span>" if msg else ""
        return msg

    def cut(self, component: str) -> None:
        """Programmatic twin of ✂ cut: the component is cut on purpose (its line, if any, is dropped)."""
        if self._chains[component] != [CUT]:
            self._chains[component] = [CUT]
            self._show_links(component)
            self._input_changed()

    def remove_link(self, component: str) -> None:
        """Programmatic twin of ⌫: drop the last link of a component's line."""
        if self._chains[component]:
            self._chains[component].pop()
            self._show_links(component)
            self._input_changed()

    def _show_links(self, c: str) -> None:
        links = self._chains[c]
        self._shown_links[c].value = ("<b>✂ cut</b>" if links == [CUT] else esc(" → ".join(links)) if links
                                      else "<i style='opacity:.7'>(no line yet)</i>")

    def read_inputs(self) -> dict:
        return {"chains": {c: list(v) for c, v in self._chains.items()}}

    def show_answer(self, answer: dict) -> None:
        chains = answer.get("chains", {}) if isinstance(answer, dict) else {}
        chains = chains if isinstance(chains, dict) else {}
        for c in self.components:
            raw = chains.get(c, [])
            raw = raw if isinstance(raw, list) else []
            links = [self._canonical(x) for x in raw]
            self._chains[c] = [CUT] if CUT in raw else list(dict.fromkeys(x for x in links if x))
            self._show_links(c)

    def load_model_answer(self) -> None:
        self.set_answer({"chains": self.model})

    # --- checking ---
    def _next(self, node: str, component: str) -> set[str]:
        if node == component:
            return {line[0] for line in self.lines.get(component, []) if line}
        return {b for a, b in self._edges if a == node}

    def _path(self, start: str, goal: str, component: str) -> list[str] | None:
        """The shortest run of links from ``start`` to ``goal`` along the course's lines (None if there is none)."""
        seen, todo = {start}, deque([[start]])
        while todo:
            path = todo.popleft()
            for n in sorted(self._next(path[-1], component)):
                if n == goal:
                    return path + [n]
                if n not in seen:
                    seen.add(n)
                    todo.append(path + [n])
        return None

    def _owner(self, link: str) -> str | None:
        return next((c for c, ls in self.lines.items() for line in ls if link in line), None)

    def chain_problem(self, c: str, chain: list[str]) -> str | None:
        """What is wrong with one component's line, link by link (None when it is sound)."""
        prev = c
        own = {x for line in self.lines.get(c, []) for x in line}
        misread, why = MISREAD_LINES.get(c, ([], ""))
        if any(x in line and x not in own for line in misread for x in chain):
            return f"{c} → {' → '.join(chain)}: {why}."
        for link in chain:
            if self.types.get(link) == NOT_REASON:
                return f"{c}: “{link}” is not a strategic reason: {NOT_REASONS[link]}."
            if link in self._next(prev, c):
                prev = link
                continue
            path = self._path(prev, link, c)
            if path:
                missing = path[1:-1]
                return (f"{c}: between {prev} and {link} the line skips {' → '.join(missing)}; "
                        f"add the missing link{'s' if len(missing) > 1 else ''}.")
            owner = self._owner(link)
            what = f"“{link}” belongs to the {owner} line, not to {c}" if owner and owner != c else f"{prev} does not lead to “{link}”"
            if prev == c and self.types.get(link) in ENDS:
                what = f"{c} jumps straight to “{link}” with no mechanism in between, and {c} does not serve it"
            ahead = sorted(self._next(prev, c))
            return f"{what}; from {prev} the line goes to {' or '.join(ahead) if ahead else 'no further link'}."
        if self.types.get(prev) not in ENDS:
            ends = sorted({line[-1] for line in self.lines.get(c, [])}) or self.strategic
            kinds = " or ".join(dict.fromkeys(f"a {self.types.get(e, CHOICE)}" for e in ends))
            return f"{c} → {' → '.join(chain)} stops at a mechanism; finish the line to {kinds} ({' or '.join(ends)})."
        return None

    def verdicts(self, answer: dict) -> dict[str, str]:
        """'traced', 'broken' (a line drawn wrong, or any line for a component this plan must cut), 'cut' (cut on
        purpose with ✂) or 'empty' (nothing yet) per component."""
        out = {}
        for c in self.components:
            chain = answer["chains"].get(c, [])
            out[c] = ("empty" if not chain else "cut" if chain == [CUT] else "broken" if c in self.must_cut else
                      "broken" if self.chain_problem(c, [x for x in chain if x != CUT]) else "traced")
        return out

    def evaluate(self, answer: dict) -> list[tuple[str, str]]:
        lines = []
        for c, verdict in self.verdicts(answer).items():
            chain = answer["chains"].get(c, [])
            if verdict == "traced":
                lines.append((OK, f"{c} → {' → '.join(chain)}: traced to a {self.types.get(chain[-1], CHOICE)}."))
            elif verdict == "broken" and c in self.must_cut:
                what = f"this plan's {c.lower()} ({self.describe[c]})" if c in self.describe else f"this plan's {c.lower()}"
                drawn = self.chain_problem(c, [x for x in chain if x != CUT])  # a line drawn wrong is named first
                lines.append((WARN, (f"{drawn} Besides, no" if drawn else f"{c}: no") + f" line holds for {what}: {self.cuts[c]} (press ✂ cut)."))
            elif verdict == "broken":
                lines.append((WARN, self.chain_problem(c, [x for x in chain if x != CUT]) or ""))
            elif verdict == "cut" and c in self.must_cut:
                lines.append((OK, f"{c}: cut, rightly: {self.cuts[c]}."))
            elif verdict == "cut" and self.model.get(c) and self.model[c] != [CUT]:
                # this exercise's plan needs it: the line exists, so cutting it is cutting what you could not trace yet
                line = self.lines.get(c, [])
                shown = f"{c} → {' → '.join(line[0])}" if line else c
                lines.append((WARN, f"{c}: cut, but this plan's {c.lower()} serves a choice the course can name ({shown}). "
                                    "Cutting what you cannot trace yet leaves the plan without it: draw its line instead."))
            elif verdict == "cut":
                lines.append((INFO, f"{c}: cut on purpose, since you could not draw its line."))
            else:
                why = " A cap can trace to a financial constraint: what does it protect?" if c == "Cap" and c not in self.must_cut else ""
                lines.append((WARN, f"{c}: nothing yet. Draw its line to the strategic choice it serves, or press ✂ cut if "
                                    f"you can't draw the line.{why}"))
        if lines and all(v == "cut" for v in self.verdicts(answer).values()):
            lines.append((WARN, "Every component is cut, which leaves no plan: trace the ones that serve a strategic choice."))
        self.redraw()
        return lines

    def computed_solution(self) -> str | None:
        items = "\n".join(f"- {c}: ✂ cut: {self.cuts[c]}" if chain == [CUT] else f"- {c} → {' → '.join(chain)}"
                           for c, chain in self.model.items())
        alts = [f"{c} → {' → '.join(line)}" for c, ls in self.lines.items() if self.model.get(c) != [CUT] for line in ls[1:]]
        return f"{items}\n\nAlso sound: {'; '.join(alts)}." if alts else items

    # --- diagram ---
    def draw(self) -> None:
        png = self.diagram_png(self.answer)
        self._diagram.value = png
        lines = self.diagram_lines(self.answer)
        self._diagram_text.value = theme.table_alternative("Diagram: your traceability lines", ("component", "line", "state"), lines)
        self._diagram.layout.width = f"{int.from_bytes(png[16:20], 'big')}px"  # its own size (a VBox would stretch it blurry)

    def diagram_lines(self, answer: dict) -> list[tuple[str, str, str]]:
        """The diagram in words, (component, its line, its state) per component: its alt text and table."""
        verdicts = self.verdicts(answer)
        out = []
        for c in self.components:
            chain = [x for x in answer["chains"].get(c, []) if x != CUT]
            state = {"traced": "traced", "cut": "cut", "empty": "no line yet"}.get(verdicts[c], "broken")
            out.append((c, " → ".join([c, *chain]), state))
        return out

    def diagram_png(self, answer: dict) -> bytes:
        from matplotlib.figure import Figure

        chains = {c: [x for x in answer["chains"].get(c, []) if x != CUT] for c in self.components}
        verdicts = self.verdicts(answer)
        fill = {"traced": "#c8e6c9", "broken": "#ffe0b2", "cut": "#ffcdd2", "empty": "#eeeeee"}
        width = max([len(v) for v in chains.values()] + [3]) + 1  # at least four slots: drawn at its own size, never stretched
        fig = Figure(figsize=(2.0 * width, 0.6 * len(chains) + 0.4), dpi=100, layout="constrained")
        ax = fig.add_subplot()
        ax.set_axis_off()
        ax.set_xlim(-0.6, width - 0.4)
        ax.set_ylim(0.4, len(chains) + 0.6)
        for row, (c, chain) in enumerate(chains.items()):
            y = len(chains) - row
            boxes = []
            for j, text in enumerate([c] + chain):
                boxes.append(ax.text(j, y, textwrap.fill(text, 16), ha="center", va="center", fontsize=9, color="#222222",
                                     bbox={"boxstyle": "round", "fc": fill[verdicts[c]] if j == 0 else "#eeeeee", "ec": "0.5"}))
            for a, b in zip(boxes, boxes[1:]):
                # arrows join the label boxes' edges, so they never cross a label
                ax.annotate("", xy=(0, 0.5), xycoords=b, xytext=(1, 0.5), textcoords=a,
                            arrowprops={"arrowstyle": "->", "shrinkA": 2, "shrinkB": 2, "color": MID})
            if verdicts[c] != "traced":
                ax.annotate({"cut": "✂ cut", "empty": "… no line yet"}.get(verdicts[c], "✗ broken"), xy=(1, 0.5), xycoords=boxes[-1], xytext=(6, 0),
                            textcoords="offset points", va="center", fontsize=9, color="#d9534f")
        return theme.themed_png(fig)
