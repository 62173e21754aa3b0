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
from coursekit.feedback import NAMES_KINDS, random_letters, refuse_noise

_S = {"description_width": "9em"}
HEADER = ("One row per priority, most important first (leave the rows you do not need empty). "
          "A behavior is what a rep does on Tuesday; take the cycle from your CRM, created to closed-won.")
BEHAVIOR_TIP = "What a rep does this quarter, not a number the business wants"
UNPICKED_NAMES = ("choose...", "")  # what the behavior names: not picked yet (answers saved before the pick load so)


class PrioritiesForm(Exercise):
    """One row per strategic priority: its name, the behavior wanted (what a rep does), the segment or
    product it applies to (one of the module scenario's ``segments``, or the learner's own in free text), its sales cycle in months and its
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
                                   continuous_update=False, tooltip=BEHAVIOR_TIP),
                # the pick carries the verdict on behavior against outcome (the same structure as the hypothesis's)
                "what": W.ToggleButtons(options=[UNPICKED_NAMES, *NAMES_KINDS], value="", description="It names", style=_S,
                                        tooltips=["Not picked yet", *(label for label, _ in NAMES_KINDS)]),
                "segment": W.Combobox(options=self.segments, value="", ensure_option=False, placeholder="a segment, product or option",
                                      description="Applies to", style=_S, continuous_update=False,
                                      tooltip="One of the module's segments, or your own company's segment, product or option, in your words"),
                "cycle_months": W.BoundedIntText(value=1, min=1, max=36, description="Cycle (months)", style=_S, layout=W.Layout(width="16em")),
                "rank": W.BoundedIntText(value=i, min=1, max=self.n_rows, description="Rank", style={"description_width": "4em"}, layout=W.Layout(width="9em")),
            }
            self._rows.append(r)
            boxes.append(W.VBox([r["name"], r["behavior"], r["what"], W.HBox([r["segment"], r["cycle_months"], r["rank"]])],
                                layout=W.Layout(border="1px solid var(--jp-border-color2, #ccc)", padding="4px", margin="2px 0")))
        self._attainment = W.BoundedIntText(value=100, min=10, max=300, description="Planning assumes (% of quota)",
                                            style={"description_width": "16em"}, layout=W.Layout(width="24em"))
        self._watch(*(w for r in self._rows for w in r.values()), self._attainment)
        self.children = [self.header(HEADER),
                         *boxes, self._attainment, self._check_button, self._feedback]

    def read_inputs(self) -> dict:
        rows = [{"name": r["name"].value.strip(), "behavior": r["behavior"].value.strip(), "what": r["what"].value,
                 "segment": " ".join(r["segment"].value.split()), "cycle_months": int(r["cycle_months"].value), "rank": int(r["rank"].value)}
                for r in self._rows]
        return {"_kind": self.kind, "priorities": rows, "assumed_attainment": int(self._attainment.value)}

    def show_answer(self, answer: dict) -> None:
        rows = answer.get("priorities") if isinstance(answer, dict) and isinstance(answer.get("priorities"), list) else []
        for i, r in enumerate(self._rows):
            got = rows[i] if i < len(rows) and isinstance(rows[i], dict) else {}
            r["name"].value = str(got.get("name") or "")
            r["behavior"].value = str(got.get("behavior") or "")
            r["what"].value = got.get("what") if got.get("what") in [v for _, v in NAMES_KINDS] else ""
            r["segment"].value = " ".join(str(got.get("segment") or "").split())[:80]
            for f in ("cycle_months", "rank"):
                r[f].value = clamped(r[f], got.get(f), i + 1 if f == "rank" else 1)
        self._attainment.value = clamped(self._attainment, answer.get("assumed_attainment") if isinstance(answer, dict) else None, 100)

    def evaluate(self, answer: dict) -> list[tuple[str, str]]:
        rows = answer.get("priorities") if isinstance(answer.get("priorities"), list) else []
        noisy = [(f"Row {i}:", what) for i, r in enumerate(rows, 1) if isinstance(r, Mapping)
                 if random_letters(r.get("behavior")) for what in ("the behavior",)]
        asked = (self.title, "Behavior wanted", BEHAVIOR_TIP, HEADER, *(label for label, _ in NAMES_KINDS))
        return refuse_noise(priorities_feedback(answer, self.segments, self.option_cycles, asked=asked), noisy)

    def strategy(self, options: list[dict] | None = None) -> dict | None:
        """The strategy mapping these priorities make (None while no row is usable)."""
        return strategy_from_priorities(self.answer, options)
