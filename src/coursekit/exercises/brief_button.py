"""A button that writes the Alignment brief and says where it went."""

from __future__ import annotations

import ipywidgets as W

from ..brief import export
from ..progress import Answers
from .base import esc


class BriefButton(W.VBox):
    def __init__(self, answers: Answers, out_dir: str | None = None, **kw):
        super().__init__(**kw)
        self._answers, self._out = answers, out_dir
        self._button = W.Button(description="Export my Alignment brief", icon="download", button_style="success", layout=W.Layout(width="max-content"),
                                tooltip="Write Markdown and HTML versions of everything you entered")
        self._status = W.HTML()
        self._button.on_click(lambda _b: self.click())
        self.children = [self._button, self._status]

    def click(self):
        """Programmatic twin of the button."""
        import base64

        md, page = export(self._answers, self._out, self._answers.path.stem)
        # the files sit outside the notebook folder (hidden on Binder and hubs): offer the page itself too
        data = base64.b64encode(page.read_bytes()).decode()
        self._status.value = (f'<a download="alignment-brief.html" href="data:text/html;base64,{data}">Download the brief (HTML)</a>'
                              f" · also written to <code>{esc(md)}</code> and <code>{esc(page)}</code>")
        return md, page
