"""A button that writes the Alignment brief (the decision document) and says where it went."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import ipywidgets as W

from ..decision_brief import export_answers
from ..progress import Answers
from .base import esc


class BriefButton(W.VBox):
    """``course``, ``scenario`` and ``worked`` are the build's brief context (``coursekit.assemble.brief_context``):
    the course in order gives the brief human headings; the capstone's scenario gives it pay per option."""

    def __init__(self, answers: Answers, out_dir: str | None = None, course: list | None = None,
                 scenario: Mapping[str, Any] | None = None, worked: Mapping[str, Any] | None = None, **kw: Any):
        super().__init__(**kw)
        self._answers, self._out = answers, out_dir
        self._context = {"course": course or [], "scenario": scenario, "worked": worked or {}}
        self._button = W.Button(description="Export my Alignment brief", icon="download", button_style="success", layout=W.Layout(width="max-content"),
                                tooltip="Write your decision brief as Markdown, a self-contained HTML page and JSON")
        self._status = W.HTML()
        self._button.on_click(lambda _b: self.click())
        self.children = [self._button, self._status]

    def click(self) -> tuple[Path, Path, Path]:
        """Programmatic twin of the button: writes decision-brief.md, .html and .json; returns their paths."""
        import base64

        md, page, data = export_answers(self._answers, self._context, self._out, self._answers.path.stem)
        # the files sit outside the notebook folder (hidden on Binder and hubs): offer the page itself too
        b64 = base64.b64encode(page.read_bytes()).decode()
        self._status.value = (f'<a download="decision-brief.html" href="data:text/html;base64,{b64}">Download the brief (HTML)</a>'
                              f" · also written to <code>{esc(md)}</code>, <code>{esc(page)}</code> and <code>{esc(data)}</code>"
                              " (<code>coursekit handin</code> hands in the JSON)")
        return md, page, data
