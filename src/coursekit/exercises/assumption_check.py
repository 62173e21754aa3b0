"""Assumption check: which of the note's assumptions hold in your org; each "no" shows what breaks."""

from __future__ import annotations

import ipywidgets as W

from .base import INFO, OK, WARN, Exercise, esc

CHOICES = ("not sure", "yes", "no")


class AssumptionCheck(Exercise):
    """``assumptions``: [{text, breaks}] where ``breaks`` says what fails if it does not hold."""

    title = "Do the assumptions hold for you?"

    def __init__(self, assumptions: list[dict], **kw):
        self.assumptions = [{"text": str(a["text"]), "breaks": str(a.get("breaks", ""))} for a in assumptions]
        super().__init__(**kw)

    def build(self) -> None:
        self._marks = [W.ToggleButtons(options=CHOICES, value="not sure", description=f"Holds? ({i + 1})",
                                       style={"button_width": "6em", "description_width": "6em"},
                                       tooltips=["Not sure yet", "Holds in my org", "Does not hold"])
                       for i in range(len(self.assumptions))]
        self._watch(*self._marks)
        rows = []
        for i, (a, m) in enumerate(zip(self.assumptions, self._marks), 1):
            rows.append(W.VBox([W.HTML(f"<div style='margin-top:6px'><b>{i}.</b> {esc(a['text'])}</div>"), m]))
        self.children = [self.header("Mark each assumption for your organization."), *rows, self._check_button, self._feedback]

    def read_inputs(self) -> dict:
        return {"marks": [m.value for m in self._marks]}

    def show_answer(self, answer: dict) -> None:
        marks = answer.get("marks", []) if isinstance(answer, dict) else []
        for i, m in enumerate(self._marks):
            m.value = marks[i] if i < len(marks) and marks[i] in CHOICES else "not sure"

    def evaluate(self, answer: dict) -> list[tuple[str, str]]:
        lines = []
        for a, mark in zip(self.assumptions, answer["marks"]):
            if mark == "no":
                lines.append((WARN, f"“{a['text']}” does not hold: {a['breaks'] or 'the advice that rests on it needs testing before you act on it.'}"))
            elif mark == "yes":
                lines.append((OK, f"“{a['text']}” holds."))
            else:
                lines.append((INFO, f"“{a['text']}”: not sure yet; find the evidence before the next planning cycle."))
        return lines
