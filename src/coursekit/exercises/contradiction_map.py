"""Contradiction map: for each top priority, what strategy, planning, enablement and comp say."""

from __future__ import annotations

import ipywidgets as W
from ipywidgets.widgets.widget_string import TextStyle

from .base import OK, WARN, Exercise

SYSTEMS = ("strategy", "planning", "enablement", "comp")
FIELDS = SYSTEMS + ("contradiction",)
LABELS = {"strategy": "Strategy says", "planning": "Planning assumes", "enablement": "Enablement teaches",
          "comp": "Comp rewards", "contradiction": "The contradiction"}


class ContradictionMap(Exercise):
    """Up to three priorities x four systems, and the contradiction per priority."""

    title = "Map your contradictions"

    def __init__(self, example: dict | None = None, rows: int = 3, **kw):
        self.example = {k: str(v) for k, v in (example or {}).items() if k in FIELDS}
        self.n_rows = max(1, min(int(rows), 3))
        super().__init__(**kw)

    def build(self) -> None:
        self._boxes: list[dict[str, W.Textarea]] = []
        tabs = []
        # one layout and one style model shared by all fifteen text areas: fewer models for the browser to build
        layout, style = W.Layout(width="98%"), TextStyle(description_width="11.5em")
        for _ in range(self.n_rows):
            boxes = {f: W.Textarea(description=LABELS[f], placeholder=self.example.get(f, ""), rows=2, style=style, layout=layout,
                                   continuous_update=False)  # synced (and saved) on leaving the box, not per keystroke
                     for f in FIELDS}
            self._watch(*boxes.values())
            self._boxes.append(boxes)
            tabs.append(W.VBox(list(boxes.values())))
        self._tabs = W.Tab(children=tabs, titles=[f"Priority {i + 1}" for i in range(self.n_rows)])
        reset = W.Button(description="Load the worked example", layout=W.Layout(width="auto"), tooltip="Fill priority 1 with the note's example")
        reset.on_click(lambda _b: self.load_example())
        self.children = [self.header("For each of your top priorities, write what each system says, then name the contradiction."),
                         self._tabs, W.HBox([self._check_button, reset]), self._feedback]

    def read_inputs(self) -> dict:
        return {"rows": [{f: b[f].value.strip() for f in FIELDS} for b in self._boxes]}

    def show_answer(self, answer: dict) -> None:
        rows = answer.get("rows", []) if isinstance(answer, dict) else []
        for i, boxes in enumerate(self._boxes):
            row = rows[i] if i < len(rows) and isinstance(rows[i], dict) else {}
            for f in FIELDS:
                boxes[f].value = str(row.get(f, ""))

    def load_example(self) -> None:
        """Programmatic twin of the reset button: priority 1 becomes the note's worked example."""
        rows = self.read_inputs()["rows"]
        rows[0] = {f: self.example.get(f, "") for f in FIELDS}
        self.set_answer({"rows": rows})

    def evaluate(self, answer: dict) -> list[tuple[str, str]]:
        lines: list[tuple[str, str]] = []
        filled = [(i, r) for i, r in enumerate(answer["rows"], 1) if any(r.values())]
        if not filled:
            return [(WARN, "Nothing mapped yet: start with your most important priority (or load the worked example).")]
        for i, r in filled:
            blank = [LABELS[s].split()[0] for s in SYSTEMS if not r[s]]
            if blank:
                lines.append((WARN, f"Priority {i}: {', '.join(blank)} left blank; every system sends a signal, write down what it says."))
            if not r["contradiction"]:
                lines.append((WARN, f"Priority {i}: no contradiction named; where does comp pull away from strategy?"))
            if not blank and r["contradiction"]:
                lines.append((OK, f"Priority {i} mapped: {r['contradiction']}"))
        if len(filled) < self.n_rows:
            lines.append(("info", f"{len(filled)} of {self.n_rows} priorities mapped."))
        return lines

    def to_frame(self):
        """The map as a pandas table: one row per priority, one column per system."""
        import pandas as pd

        rows = [r for r in self.read_inputs()["rows"] if any(r.values())]
        df = pd.DataFrame(rows, columns=list(FIELDS)).rename(columns=LABELS)
        df.index = [f"Priority {i + 1}" for i in range(len(df))]
        return df
