"""Checklist: an action's steps to tick off, with a note of what the learner found. A step the course can check names the
earlier exercises that show it (a tick without them is refused); a keyed choice, whose every wrong option is a named
misconception, carries the verdict where the steps are self-report; a checklist with neither is only ever "written"."""

from __future__ import annotations

import ipywidgets as W

from coursekit.answers import DONE, WRITTEN, status_of
from coursekit.exercises.checklist.kind import KIND
from coursekit.exercises.widget import Exercise, esc, stored_key
from coursekit.feedback import INFO, OK, WARN, junk_reason

UNPICKED = -1


class Checklist(Exercise):
    title = "Do it"
    kind = KIND.name

    def __init__(self, items: list[str], prompt: str = "What did you find?", evidence: list | None = None,
                 choice: dict | None = None, **kw):
        self.items = [str(x) for x in items] or ["Do the action in your own organization"]
        self.prompt = prompt
        ev = evidence if isinstance(evidence, list) else []
        self.evidence = [[str(k) for k in e] if isinstance(e, list) else [] for e in ev] + [[] for _ in self.items[len(ev):]]
        self.choice = dict(choice) if isinstance(choice, dict) else None
        if self.choice is not None and "right" not in self.choice:  # the notebook's: the key comes from the key store
            self._stored, self._key_problem = stored_key(kw.get("key", ""))
            self.choice.update({k: self._stored[k] for k in ("right", "misconceptions") if k in self._stored})
        super().__init__(**kw)

    def build(self) -> None:
        self._boxes = [W.Checkbox(value=False, description=item, indent=False, layout=W.Layout(width="95%")) for item in self.items]
        self._notes = W.Textarea(description=self.prompt, rows=3, continuous_update=False, style={"description_width": "initial"}, layout=W.Layout(width="95%"))
        parts: list[W.Widget] = []
        self._pick = None
        if self.choice is not None:
            opts = [("— pick one —", UNPICKED)] + [(str(o), i) for i, o in enumerate(self.choice.get("options", []))]
            self._pick = W.RadioButtons(options=opts, value=UNPICKED, layout=W.Layout(width="95%"))
            parts = [W.HTML(f"<b>{esc(self.choice.get('question', ''))}</b>"), self._pick]
        self._watch(*self._boxes, self._notes, *([self._pick] if self._pick is not None else []))
        self.children = [self.header("Work through the steps for your organization."), *self._boxes, *parts, self._notes, *self.footer()]

    def read_inputs(self) -> dict:
        out = {"ticked": [b.value for b in self._boxes], "notes": self._notes.value.strip()}
        if self._pick is not None:
            out["choice"] = self._pick.value
            out["choice_text"] = str(self.choice["options"][self._pick.value]) if self._pick.value != UNPICKED else ""
        return out

    def show_answer(self, answer: dict) -> None:
        ticked = answer.get("ticked", []) if isinstance(answer, dict) else []
        ticked = ticked if isinstance(ticked, list) else []
        for i, b in enumerate(self._boxes):
            b.value = bool(ticked[i]) if i < len(ticked) else False
        self._notes.value = str(answer.get("notes", ""))
        if self._pick is not None:
            v = answer.get("choice", UNPICKED) if isinstance(answer, dict) else UNPICKED
            self._pick.value = v if v in [o[1] for o in self._pick.options] else UNPICKED

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
        if self.choice is not None:
            lines += self._choice_lines(answer.get("choice", UNPICKED))
        if bad := junk_reason(answer["notes"], 3):
            lines.append((WARN, f"Write down what you found (it goes into your Alignment brief): {bad}."))
        if not any(level == WARN for level, _ in lines) and self.rests_on_reasons():
            lines.append((INFO, f"All {len(self.items)} steps ticked. The course cannot check these steps: your checklist and "
                                "what you found are kept as written (your own mark), not as done."))
        elif not any(level == WARN for level, _ in lines):
            lines.append((OK, f"All {len(self.items)} steps done."))
        elif left < len(self.items):
            lines.append((INFO, f"{len(self.items) - left} of {len(self.items)} steps done."))
        return lines

    def _choice_lines(self, pick) -> list[tuple[str, str]]:
        right = self.choice.get("right")
        opts = self.choice.get("options", [])
        mis = self.choice.get("misconceptions") or [""] * len(opts)
        if not isinstance(right, int):
            return [(WARN, f"{self.choice.get('question', 'The choice')}: cannot be checked: "
                           f"{getattr(self, '_key_problem', '') or 'no answer key'}.")]
        if pick == UNPICKED or not isinstance(pick, int) or not 0 <= pick < len(opts):
            return [(WARN, f"{self.choice.get('question', 'The choice')}: pick one.")]
        if pick == right:
            return [(OK, f"{opts[pick]}: yes.")]
        return [(WARN, f"Not “{opts[pick]}”. The misconception behind that pick: {str(mis[pick]).rstrip('.')}. Look again.")]

    def rests_on_reasons(self) -> bool:
        """No step the course can check and no keyed choice: the ticks are the learner's word, kept as written."""
        return self.choice is None and not any(self.evidence)
