"""Traceability chain builder: each pay component traced, link by link, to a strategic choice."""

from __future__ import annotations

import ipywidgets as W

from .base import OK, WARN, Exercise

DEFAULT_CHAINS = {
    "Quota": ["Capacity model", "Revenue target", "Strategic plan"],
    "Accelerator": ["Behavior we want more of", "Strategic priority"],
    "Threshold": ["Minimum acceptable performance", "Quality gate"],
}


class TraceabilityChain(Exercise):
    """For each component the learner picks its chain's links; a chain that ends short is flagged cut."""

    title = "Trace every pay component"

    def __init__(self, chains: dict[str, list[str]] | None = None, extra_components: list[str] | None = None, **kw):
        self.model = {str(k): [str(x) for x in v] for k, v in (chains or DEFAULT_CHAINS).items()}
        self.strategic = sorted({v[-1] for v in self.model.values() if v})
        self.components = list(self.model) + [c for c in (extra_components or ["Cap", "SPIF"]) if c not in self.model]
        links = {x for v in self.model.values() for x in v}
        self.vocabulary = sorted(links)
        super().__init__(**kw)

    def build(self) -> None:
        style = {"description_width": "9em"}
        self._inputs = {c: W.TagsInput(value=[], allowed_tags=self.vocabulary, allow_duplicates=False, description=f"{c} →",
                                       tooltip=f"Links from {c} to a strategic choice", style=style,
                                       layout=W.Layout(width="90%")) for c in self.components}
        self._watch(*self._inputs.values())
        rows = list(self._inputs.values())
        self._diagram = W.Image(format="png", layout=W.Layout(max_width="640px"))
        self.children = [self.header("Type or pick the links from each component to the strategic choice it serves "
                                     f"(chains end at: {', '.join(self.strategic)}). Leave a component empty if you cannot draw the line."),
                         *rows, self._check_button, self._feedback, self._diagram]

    def read_inputs(self) -> dict:
        return {"chains": {c: list(b.value) for c, b in self._inputs.items()}}

    def show_answer(self, answer: dict) -> None:
        chains = answer.get("chains", {}) if isinstance(answer, dict) else {}
        for c, box in self._inputs.items():
            box.value = [x for x in chains.get(c, []) if x in self.vocabulary]

    def load_model_answer(self) -> None:
        self.set_answer({"chains": self.model})

    def verdicts(self, answer: dict) -> dict[str, str]:
        """'traced', 'cut' (no line to a strategic choice) per component."""
        return {c: "traced" if chain and chain[-1] in self.strategic else "cut" for c, chain in answer["chains"].items()}

    def evaluate(self, answer: dict) -> list[tuple[str, str]]:
        lines = []
        for c, verdict in self.verdicts(answer).items():
            chain = answer["chains"][c]
            if verdict == "traced":
                lines.append((OK, f"{c} → {' → '.join(chain)}: traced to a strategic choice."))
            elif chain:
                lines.append((WARN, f"{c} → {' → '.join(chain)} stops short of a strategic choice: cut it or finish the line."))
            else:
                lines.append((WARN, f"{c}: no line drawn. If you cannot draw the line, cut the component."))
        self._drawn_answer = answer
        self.redraw()
        return lines

    def draw(self) -> None:
        self._diagram.value = self.diagram_png(getattr(self, "_drawn_answer", self.answer))

    def diagram_png(self, answer: dict) -> bytes:
        from matplotlib.figure import Figure

        from ..engine.plot import png_bytes

        chains = answer["chains"]
        verdicts = self.verdicts(answer)
        width = max([len(v) for v in chains.values()] + [1]) + 1
        fig = Figure(figsize=(2.2 * width, 0.55 * len(chains) + 0.4), dpi=80, layout="constrained")
        ax = fig.add_subplot()
        ax.set_axis_off()
        for row, (c, chain) in enumerate(chains.items()):
            y = len(chains) - row
            nodes = [c] + chain
            colour = "#c8e6c9" if verdicts[c] == "traced" else "#ffcdd2"
            for j, text in enumerate(nodes):
                ax.text(j, y, text, ha="center", va="center", fontsize=8, wrap=True,
                        bbox={"boxstyle": "round", "fc": colour if j == 0 else "#eeeeee", "ec": "0.5"})
                if j:
                    ax.annotate("", (j - 0.38, y), (j - 0.62, y), arrowprops={"arrowstyle": "->"})
            if verdicts[c] == "cut":
                ax.text(len(nodes) - 0.4, y, "✂ cut", color="#c62828", fontsize=9, va="center")
        ax.set_xlim(-0.6, width - 0.2)
        ax.set_ylim(0.4, len(chains) + 0.6)
        return png_bytes(fig)
