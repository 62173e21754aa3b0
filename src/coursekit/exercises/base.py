"""The base of every exercise widget: state in traitlets, a programmatic twin for each handler,
feedback in widget state, answers saved as the learner goes."""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as W
import traitlets as T

from ..progress import Answers

OK, WARN, INFO = "ok", "warn", "info"
_COLOURS = {OK: "var(--jp-success-color1, #388e3c)", WARN: "var(--jp-warn-color1, #f57c00)", INFO: "var(--jp-info-color1, #0288d1)"}


def esc(text: Any) -> str:
    return html.escape(str(text), quote=True)


def feedback_html(lines: list[tuple[str, str]]) -> str:
    """Feedback lines (level, text) as HTML using JupyterLab theme colours; text is escaped."""
    items = "".join(
        f'<li style="color:{_COLOURS[level]}">{"✔" if level == OK else "⚠" if level == WARN else "•"} '
        f'<span style="color:var(--jp-ui-font-color1)">{esc(text)}</span></li>'
        for level, text in lines
    )
    return f'<ul style="list-style:none;padding-left:0;margin:4px 0">{items}</ul>'


class Exercise(W.VBox):
    """Base class. Subclasses implement ``build()``, ``read_inputs()``, ``show_answer()`` and ``evaluate()``."""

    answer = T.Dict(help="The learner's answer as plain JSON-able data (kernel side only)")
    feedback = T.List(help="Feedback lines as [level, text] pairs, from the last check()")
    done = T.Bool(False, help="True when the last check found nothing to fix")
    key = T.Unicode("", help="Where the answer is saved: '<module>/<exercise>'")

    title = "Exercise"

    def __init__(self, *, answers: Answers | None = None, key: str = "", **kw):
        super().__init__(**kw)
        self.key = key
        self._answers = answers
        self._updating = False
        self._feedback = W.HTML(layout=W.Layout(min_height="1.5em"))
        self._check_button = W.Button(description="Check", button_style="primary", tooltip="Check my answer")
        self._check_button.on_click(lambda _b: self.check())
        self.build()
        self.add_class("coursekit-exercise")
        saved = answers.get(key) if answers is not None and key else None
        # the saved answer, or what the inputs show: recorded, never written back on opening
        self.set_answer(saved if isinstance(saved, dict) else self.read_inputs(), save=False)
        if answers is not None and answers.problem:
            self.feedback = [[WARN, answers.problem]]

    # --- to implement ---
    def build(self) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def read_inputs(self) -> dict:  # pragma: no cover - abstract
        """The answer as currently shown in the inputs."""
        raise NotImplementedError

    def show_answer(self, answer: dict) -> None:  # pragma: no cover - abstract
        """Put an answer into the inputs."""
        raise NotImplementedError

    def evaluate(self, answer: dict) -> list[tuple[str, str]]:  # pragma: no cover - abstract
        raise NotImplementedError

    # --- shared behaviour ---
    def _input_changed(self, _change=None) -> None:
        if not self._updating:
            self.answer = self.read_inputs()

    def _watch(self, *widgets: W.Widget) -> None:
        for w in widgets:
            w.observe(self._input_changed, names="value")

    @T.observe("answer")
    def _save(self, change) -> None:
        if self._answers is not None and self.key and not self._updating:
            self._answers.set(self.key, {**change["new"], "_done": False})

    @T.observe("feedback")
    def _render_feedback(self, change) -> None:
        self._feedback.value = feedback_html([tuple(x) for x in change["new"]])

    def set_answer(self, answer: dict, *, save: bool = True) -> None:
        """Programmatic twin of typing: fill the inputs and record the answer (saved unless ``save=False``)."""
        self._updating = True
        try:
            self.show_answer(answer)
        finally:
            self._updating = False
        if save:
            self.answer = self.read_inputs()
        else:
            self._updating = True  # a restored answer is not written back
            try:
                self.answer = self.read_inputs()
            finally:
                self._updating = False

    def saved_extras(self) -> dict:
        """Extra data saved with a checked answer for the brief (e.g. the plan a tester built)."""
        return {}

    def check(self) -> list[tuple[str, str]]:
        """Programmatic twin of the Check button: evaluate, show and return feedback."""
        self.answer = self.read_inputs()
        lines = self.evaluate(self.answer)
        self.done = bool(lines) and all(level != WARN for level, _ in lines)
        self.feedback = [list(x) for x in lines]
        if self._answers is not None and self.key:
            self._answers.set(self.key, {**self.answer, **self.saved_extras(), "_done": self.done, "_feedback": [list(x) for x in lines]})
        return lines

    def report(self) -> str:
        """Check, then return the feedback as plain text, one line each: what notebooks print for nbval."""
        lines = self.check()
        return "\n".join(("OK   " if lvl == OK else "FIX  " if lvl == WARN else "NOTE ") + text for lvl, text in lines)

    # --- drawing only what someone can see ---
    _shown = False
    _stale = False

    def draw(self) -> None:
        """Render images (curves, diagrams). Subclasses with images override it."""

    def redraw(self) -> None:
        """Redraw now if displayed, else when first displayed: unseen widgets (worked examples) skip the PNG work."""
        if self._shown:
            self.draw()
        else:
            self._stale = True

    def _repr_mimebundle_(self, **kwargs):
        self._shown = True
        if self._stale:
            self._stale = False
            self.draw()
        return super()._repr_mimebundle_(**kwargs)

    def header(self, text: str) -> W.HTML:
        return W.HTML(f"<h4 style='margin:4px 0'>{esc(self.title)}</h4><div>{esc(text)}</div>")
