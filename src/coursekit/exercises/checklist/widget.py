"""Checklist: an action's steps to tick off, with a note of what the learner found."""

from __future__ import annotations

import ipywidgets as W

from coursekit.exercises.checklist.kind import KIND
from coursekit.exercises.widget import Exercise
from coursekit.feedback import INFO, OK, WARN, junk_reason


class Checklist(Exercise):
    title = "Do it"
    kind = KIND.name

    def __init__(self, items: list[str], prompt: str = "What did you find?", **kw):
        self.items = [str(x) for x in items] or ["Do the action in your own organization"]
        self.prompt = prompt
        super().__init__(**kw)

    def build(self) -> None:
        self._boxes = [W.Checkbox(value=False, description=item, indent=False, layout=W.Layout(width="95%")) for item in self.items]
        self._notes = W.Textarea(description=self.prompt, rows=3, continuous_update=False, style={"description_width": "initial"}, layout=W.Layout(width="95%"))
        self._watch(*self._boxes, self._notes)
        self.children = [self.header("Work through the steps for your organization."), *self._boxes, self._notes, *self.footer()]

    def read_inputs(self) -> dict:
        return {"ticked": [b.value for b in self._boxes], "notes": self._notes.value.strip()}

    def show_answer(self, answer: dict) -> None:
        ticked = answer.get("ticked", []) if isinstance(answer, dict) else []
        ticked = ticked if isinstance(ticked, list) else []
        for i, b in enumerate(self._boxes):
            b.value = bool(ticked[i]) if i < len(ticked) else False
        self._notes.value = str(answer.get("notes", ""))

    def evaluate(self, answer: dict) -> list[tuple[str, str]]:
        left = [item for item, t in zip(self.items, answer["ticked"]) if not t]
        lines = [(WARN, f"Still to do: {item}") for item in left]
        if bad := junk_reason(answer["notes"], 3):
            lines.append((WARN, f"Write down what you found (it goes into your Alignment brief): {bad}."))
        if not lines:
            lines.append((OK, f"All {len(self.items)} steps done."))
        elif len(left) < len(self.items):
            lines.append((INFO, f"{len(self.items) - len(left)} of {len(self.items)} steps done."))
        return lines
