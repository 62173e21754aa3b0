"""Review: the learner's saved answers from earlier modules, for the capstone, and what they take from them."""

from __future__ import annotations

import ipywidgets as W

from ..brief import sections
from ..progress import Answers
from .base import INFO, OK, WARN, Exercise, esc
from .text import answer_problem


class Review(Exercise):
    """Shows what the learner entered so far (read from the saved answers, refreshed on demand) and asks
    which contradiction their plan will fix first; saved and checked like any exercise."""

    title = "Your answers so far"
    kind = "review"

    def __init__(self, answers: Answers | None = None, modules: list[str] | None = None, **kw):
        self._modules = modules
        self._problem = ""
        super().__init__(answers=answers, **kw)
        self.refresh()

    def build(self) -> None:
        self._view = W.HTML()
        refresh = W.Button(description="Refresh", icon="refresh", tooltip="Read my saved answers again")
        refresh.on_click(lambda _b: self.refresh())
        self._notes = W.Textarea(description="Fix first", rows=3, continuous_update=False, style={"description_width": "7em"},
                                 layout=W.Layout(width="95%"),
                                 placeholder="Which contradiction will your plan fix first, and why that one?")
        self._watch(self._notes)
        self.children = [self.header("Read back what you wrote in the earlier modules, then say what your plan fixes first."),
                         refresh, self._view, self._notes, *self.footer()]

    def read_inputs(self) -> dict:
        return {"notes": self._notes.value.strip()}

    def show_answer(self, answer: dict) -> None:
        self._notes.value = str(answer.get("notes", "")) if isinstance(answer, dict) else ""

    def rows(self) -> list[tuple[str, str, list[list[str]]]]:
        if self._answers is None:
            return []
        try:
            fresh = type(self._answers)(self._answers.path)  # other notebooks may have written since
        except Exception:  # noqa: BLE001 - an unreadable file is reported by the store itself; show what we have
            fresh = self._answers
        try:
            found = sections(fresh)
        except Exception as exc:  # noqa: BLE001 - a hand-edited answers file must not break the capstone
            self._problem = f"Some saved answers could not be read ({type(exc).__name__}: {exc})."
            return []
        self._problem = ""
        return [s for s in found if (self._modules is None or s[0] in self._modules) and f"{s[0]}/{s[1]}" != self.key]

    def refresh(self) -> str:
        """Programmatic twin of the button; returns the plain-text summary."""
        rows = self.rows()
        if not rows:
            text = self._problem or "No saved answers yet."
            self._view.value = f"<p>{esc(text)} Work through the earlier modules, then refresh.</p>"
            return text
        html = []
        for module, ex, items in rows:
            body = "".join(f"<tr><td><b>{esc(k)}</b></td><td>{esc(v)}</td></tr>" for k, v in items)
            html.append(f"<details><summary>{esc(module)}: {esc(ex)}</summary><table>{body}</table></details>")
        self._view.value = "".join(html)
        return "\n".join(f"{m}: {e} ({len(i)} entries)" for m, e, i in rows)

    def evaluate(self, answer: dict) -> list[tuple[str, str]]:
        lines: list[tuple[str, str]] = []
        if bad := answer_problem(answer["notes"], 6, (self._notes.placeholder,)):
            lines.append((WARN, f"Say which contradiction your plan fixes first, and why that one: {bad}."))
        else:
            lines.append((OK, f"Your plan fixes first: {answer['notes']}"))
        if not self.rows():
            lines.append((INFO, "No earlier answers saved yet: the modules before this one fill this review."))
        return lines
