"""A button that writes the Alignment brief (the decision document) and says where it went, and, when the room
has an exchange folder (``$COURSEKIT_EXCHANGE``), a second one that hands it in to the facilitator, with a box beside
it (off by default) to also send a change of the company's on-target earnings or quota."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import ipywidgets as W
import traitlets as T

from coursekit.answers import Answers
from coursekit.brief.compose import export_answers
from coursekit.errors import CourseError
from coursekit.exercises.widget import esc
from coursekit.room.exchange import EXCHANGE_ENV, handin_file
from coursekit.sanitize import clean_html

HANDIN_OFF = ("Handing in to the room is off: a facilitator turns it on by setting <code>COURSEKIT_EXCHANGE</code> to a shared "
              "folder in every learner's server (the README's <em>For facilitators</em>, step 5).")


class BriefButton(W.VBox):
    """``course``, ``scenario`` and ``worked`` are the build's brief context (``coursekit.assemble.brief_context``):
    the course in order gives the brief human headings; the capstone's scenario gives it pay per option.
    ``exchange`` is the room's exchange folder (default ``$COURSEKIT_EXCHANGE``; none: hand-in is off)."""

    handed_in = T.Unicode("", help="Where the last hand-in went ('' until one succeeds)")
    error = T.Unicode("", help="Why the last hand-in failed, in one line ('' when it did not)")

    def __init__(self, answers: Answers, out_dir: str | None = None, course: list | None = None,
                 scenario: Mapping[str, Any] | None = None, worked: Mapping[str, Any] | None = None,
                 exchange: str | None = None, **kw: Any):
        super().__init__(**kw)
        self._answers, self._out = answers, out_dir
        self._exchange = exchange or os.environ.get(EXCHANGE_ENV) or None
        self._context = {"course": course or [], "scenario": scenario, "worked": worked or {}}
        self._button = W.Button(description="Export my Alignment brief", icon="download", button_style="success",
                                style=W.ButtonStyle(button_color="#2e7d32", text_color="white"),  # 5.1:1 (the theme's green: 4.1:1)
                                layout=W.Layout(width="max-content"),
                                tooltip="Write your decision brief as Markdown, a self-contained HTML page and JSON")
        self._handin = W.Button(description="Hand in to the room", icon="upload", layout=W.Layout(width="max-content"),
                                tooltip="Export your brief and hand its JSON in to the facilitator's exchange folder")
        self._with_pay = W.Checkbox(value=False, indent=False, layout=W.Layout(width="max-content"),
                                    description="also send the company's on-target earnings and quota")
        self._status = W.HTML()
        self._handin_status = W.HTML() if self._exchange else W.HTML(f'<span style="color:var(--jp-ui-font-color2)">{HANDIN_OFF}</span>')
        self._button.on_click(lambda _b: self.click())
        self._handin.on_click(lambda _b: self.hand_in())
        buttons = [self._button, self._handin, self._with_pay] if self._exchange else [self._button]
        self.children = [W.HBox(buttons), self._status, self._handin_status]

    def click(self) -> tuple[Path, Path, Path]:
        """Programmatic twin of the button: writes decision-brief.md, .html and .json; returns their paths."""
        import base64

        md, page, data = export_answers(self._answers, self._context, self._out, self._answers.path.stem)
        # the files sit outside the notebook folder (hidden on Binder and hubs): offer the page itself too
        b64 = base64.b64encode(page.read_bytes()).decode()
        # the link's page is render.to_html's, its body already through clean_html (which keeps no data: link itself)
        self._status.value = (f'<a download="decision-brief.html" href="data:text/html;base64,{b64}">Download the brief (HTML)</a>'
                              + clean_html(f" · also written to <code>{esc(md)}</code>, <code>{esc(page)}</code> and <code>{esc(data)}</code>"
                                           " (<code>coursekit handin</code> hands in the JSON)"))
        return md, page, data

    def hand_in(self, with_pay: bool | None = None) -> Path | None:
        """Programmatic twin of the hand-in button: exports the brief and hands its JSON in to the exchange, with a
        change of the company's on-target earnings or quota only when the box beside the button is ticked (``with_pay``
        ticks or clears it). Returns where it went, or None with the reason in one line in ``error`` and in the widget."""
        if with_pay is not None:
            self._with_pay.value = bool(with_pay)
        self.handed_in = self.error = ""
        try:
            if not self._exchange:
                raise ValueError(f"hand-in is off: no exchange folder (the facilitator sets {EXCHANGE_ENV})")
            _md, _page, data = self.click()
            where = handin_file(data, self._answers.path.stem, self._exchange, with_pay=self._with_pay.value)
        except (CourseError, ValueError, OSError) as exc:
            self.error = " ".join(str(exc).split()) or type(exc).__name__
            self._handin_status.value = clean_html(f'<span style="color:var(--jp-error-color1, #d32f2f)">Not handed in: {esc(self.error)}</span>')
            return None
        self.handed_in = str(where)
        self._handin_status.value = clean_html(f'<span style="color:var(--jp-success-color1, #388e3c)">✔ Handed in to the room:</span> '
                                               f"<code>{esc(where)}</code> (handing in again replaces it)")
        return where
