"""Module 2's priorities, a structured form: they become the strategy the capstone audits.
The checks are pure functions in ``coursekit.capstone.checks``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ipywidgets as W

from coursekit.capstone.checks import PLACEHOLDERS, priorities_feedback
from coursekit.capstone.inputs import strategy_from_priorities
from coursekit.exercises.priorities.kind import KIND
from coursekit.exercises.widget import Exercise, clamped
from coursekit.feedback import random_letters, refuse_noise

_S = {"description_width": "9em"}


class PrioritiesForm(Exercise):
    """One row per strategic priority: its name, the behavior wanted (what a rep does), the segment or
    product it applies to (from the module scenario's ``segments``), its sales cycle in months and its
    rank; plus planning's assumed attainment. ``strategy()`` is the mapping ``strategy_from_dict`` takes."""

    title = "Write each priority as a behavior"
    kind = KIND.name

    def __init__(self, segments: list[str] | tuple[str, ...], option_cycles: Mapping[str, int] | None = None,
                 rows: int = 4, **kw: Any):
        if not segments:
            raise ValueError("PrioritiesForm needs the segments or products of the module's scenario to choose from")
        self.segments = [str(s) for s in segments]
        self.option_cycles = dict(option_cycles or {})
        self.n_rows = max(1, min(5, rows))
        super().__init__(**kw)

    def build(self) -> None:
        lay = W.Layout(width="98%")
        self._rows = []
        boxes = []
        for i in range(1, self.n_rows + 1):
            r = {
                "name": W.Text(description=f"Priority {i}", placeholder=PLACEHOLDERS["name"], style=_S, layout=lay, continuous_update=False),
                "behavior": W.Text(description="Behavior wanted", placeholder=PLACEHOLDERS["behavior"], style=_S, layout=lay,
                                   continuous_update=False, tooltip="What a rep does this quarter, not a number the business wants"),
                "segment": W.ToggleButtons(options=[("choose...", "")] + [(s, s) for s in self.segments], value="", description="Applies to", style=_S),
                "cycle_months": W.BoundedIntText(value=1, min=1, max=36, description="Cycle (months)", style=_S, layout=W.Layout(width="16em")),
                "rank": W.BoundedIntText(value=i, min=1, max=self.n_rows, description="Rank", style={"description_width": "4em"}, layout=W.Layout(width="9em")),
            }
            self._rows.append(r)
            boxes.append(W.VBox([r["name"], r["behavior"], W.HBox([r["segment"], r["cycle_months"], r["rank"]])],
                                layout=W.Layout(border="1px solid var(--jp-border-color2, #ccc)", padding="4px", margin="2px 0")))
        self._attainment = W.BoundedIntText(value=100, min=10, max=300, description="Planning assumes (% of quota)",
                                            style={"description_width": "16em"}, layout=W.Layout(width="24em"))
        self._watch(*(w for r in self._rows for w in r.values()), self._attainment)
        self.children = [self.header("One row per priority, most important first (leave the rows you do not need empty). "
                                     "A behavior is what a rep does on Tuesday; take the cycle from your CRM, created to closed-won."),
                         *boxes, self._attainment, self._check_button, self._feedback]

    def read_inputs(self) -> dict:
        rows = [{"name": r["name"].value.strip(), "behavior": r["behavior"].value.strip(), "segment": r["segment"].value,
                 "cycle_months": int(r["cycle_months"].value), "rank": int(r["rank"].value)} for r in self._rows]
        return {"_kind": self.kind, "priorities": rows, "assumed_attainment": int(self._attainment.value)}

    def show_answer(self, answer: dict) -> None:
        rows = answer.get("priorities") if isinstance(answer, dict) and isinstance(answer.get("priorities"), list) else []
        for i, r in enumerate(self._rows):
            got = rows[i] if i < len(rows) and isinstance(rows[i], dict) else {}
            r["name"].value = str(got.get("name") or "")
            r["behavior"].value = str(got.get("behavior") or "")
            r["segment"].value = got.get("segment") if got.get("segment") in self.segments else ""
            for f in ("cycle_months", "rank"):
                r[f].value = clamped(r[f], got.get(f), i + 1 if f == "rank" else 1)
        self._attainment.value = clamped(self._attainment, answer.get("assumed_attainment") if isinstance(answer, dict) else None, 100)

    def evaluate(self, answer: dict) -> list[tuple[str, str]]:
        rows = answer.get("priorities") if isinstance(answer.get("priorities"), list) else []
        noisy = [(f"Row {i}:", what) for i, r in enumerate(rows, 1) if isinstance(r, Mapping)
                 if random_letters(r.get("behavior")) for what in ("the behavior",)]
        return refuse_noise(priorities_feedback(answer, self.segments, self.option_cycles), noisy)

    def strategy(self, options: list[dict] | None = None) -> dict | None:
        """The strategy mapping these priorities make (None while no row is usable)."""
        return strategy_from_priorities(self.answer, options)
