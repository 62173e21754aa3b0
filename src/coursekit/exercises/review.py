"""Review: the learner's saved answers from earlier modules, for the capstone."""

from __future__ import annotations

import ipywidgets as W

from ..brief import sections
from ..progress import Answers
from .base import esc


class Review(W.VBox):
    """Shows what the learner entered so far (read from the saved answers), with a refresh button."""

    def __init__(self, answers: Answers, modules: list[str] | None = None, **kw):
        super().__init__(**kw)
        self._answers, self._modules = answers, modules
        self._view = W.HTML()
        refresh = W.Button(description="Refresh", icon="refresh", tooltip="Read my saved answers again")
        refresh.on_click(lambda _b: self.refresh())
        self.children = [W.HTML("<h4 style='margin:4px 0'>Your answers so far</h4>"), refresh, self._view]
        self.refresh()

    def rows(self) -> list[tuple[str, str, list[list[str]]]]:
        self._answers = Answers(self._answers.path)  # other notebooks may have written since
        return [s for s in sections(self._answers) if self._modules is None or s[0] in self._modules]

    def refresh(self) -> str:
        """Programmatic twin of the button; returns the plain-text summary."""
        rows = self.rows()
        if not rows:
            self._view.value = "<p>No saved answers yet: work through the earlier modules first, then refresh.</p>"
            return "No saved answers yet."
        html = []
        for module, ex, items in rows:
            body = "".join(f"<tr><td><b>{esc(k)}</b></td><td>{esc(v)}</td></tr>" for k, v in items)
            html.append(f"<details><summary>{esc(module)}: {esc(ex)}</summary><table>{body}</table></details>")
        self._view.value = "".join(html)
        return "\n".join(f"{m}: {e} ({len(i)} entries)" for m, e, i in rows)
