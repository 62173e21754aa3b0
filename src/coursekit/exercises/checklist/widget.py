"""Checklist: an action's steps to tick off, with a note of what the learner found. A step the course can check names the
earlier exercises that show it (a tick without them is refused); a keyed choice, whose every wrong option is a named
misconception, carries the verdict where the steps are self-report; a checklist with neither is only ever "written"."""

from __future__ import annotations

import ipywidgets as W

from coursekit.answers import DONE, WRITTEN, status_of
from coursekit.exercises.checklist.kind import KIND
from coursekit.exercises.widget import Exercise
from coursekit.feedback import INFO, OK, WARN, junk_reason


class Checklist(Exercise):
    title = "Do it"
    kind = KIND.name

    def __init__(self, items: list[str], prompt: str = "What did you find?", evidence: list | None = None, **kw):
        self.items = [str(x) for x in items] or ["Do the action in your own organization"]
        self.prompt = prompt
        ev = evidence if isinstance(evidence, list) else []
        self.evidence = [[str(k) for k in e] if isinstance(e, list) else [] for e in ev] + [[] for _ in self.items[len(ev):]]
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

    def _shown_by(self, keys: list[str]) -> str:
        """'' when one of the exercises ``keys`` has passed (or was kept with a reason), else the first key."""
        if self._answers is None:
            return keys[0]
        try:
            fresh = type(self._answers)(self._answers.path)  # other notebooks may have saved since
        except Exception:  # noqa: BLE001 - an unreadable file is reported by the store itself
            fresh = self._answers
        return "" if any(status_of(fresh.get(k)) in (DONE, WRITTEN) for k in keys) else keys[0]

    def evaluate(self, answer: dict) -> list[tuple[str, str]]:
        lines = []
        left = 0
        for item, t, keys in zip(self.items, answer["ticked"], self.evidence):
            if not t:
                left += 1
                lines.append((WARN, f"Still to do: {item}"))
            elif keys and (missing := self._shown_by(keys)):
                left += 1
                lines.append((WARN, f"Ticked, but nothing shows it yet: “{item}” rests on {missing.replace('/', ', ')}, "
                                    "which has not passed its check. Finish that exercise first (a tick is not evidence)."))
        if bad := junk_reason(answer["notes"], 3):
            lines.append((WARN, f"Write down what you found (it goes into your Alignment brief): {bad}."))
        if not any(level == WARN for level, _ in lines) and self.rests_on_reasons():  # keyed choices are checked after this
            lines.append((INFO, f"All {len(self.items)} steps ticked. The course cannot check these steps: your checklist and "
                                "what you found are kept as written (your own mark), not as done."))
        elif not any(level == WARN for level, _ in lines):
            lines.append((OK, f"All {len(self.items)} steps done."))
        elif left < len(self.items):
            lines.append((INFO, f"{len(self.items) - left} of {len(self.items)} steps done."))
        return lines

    def rests_on_reasons(self) -> bool:
        """No step the course can check and no keyed choice: the ticks are the learner's word, kept as written."""
        return not self.keyed_choices and not any(self.evidence)
