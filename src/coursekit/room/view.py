"""The facilitator notebook's live view of the room (``room.ipynb`` in the facilitator edition): the exchange folder
in a text box (``$COURSEKIT_EXCHANGE`` by default), a button that reads it again, and the same charts and tables as
``coursekit room``. Anonymous unless the names box is ticked; a problem is one line in the widget, never a traceback."""

from __future__ import annotations

import html
import os
from pathlib import Path
from typing import Any

import ipywidgets as W
import traitlets as T

from coursekit.errors import CourseError
from coursekit.room.exchange import EXCHANGE_ENV, check_room
from coursekit.room.gather import Room, gather
from coursekit.room.page import body_html
from coursekit.sanitize import clean_html

ERROR = "var(--jp-error-color1, #d32f2f)"


class RoomView(W.VBox):
    briefs = T.Int(0, help="Briefs read at the last refresh")
    left_out = T.Int(0, help="Files in the folder that are not briefs, at the last refresh")
    error = T.Unicode("", help="Why the last refresh read nothing, in one line ('' when it read the folder)")

    def __init__(self, exchange: str | None = None, **kw: Any):
        super().__init__(**kw)
        self.room: Room | None = None
        self._folder = W.Text(value=exchange or os.environ.get(EXCHANGE_ENV, ""), description="Exchange folder",
                              placeholder="the folder learners hand in to, e.g. /srv/exchange",
                              style={"description_width": "initial"}, layout=W.Layout(width="36rem"))
        self._names = W.Checkbox(value=False, description="show learner names and the files left out", indent=False)
        self._button = W.Button(description="Refresh", icon="refresh", button_style="primary", tooltip="Read the exchange folder again")
        self._view = W.HTML()
        self._button.on_click(lambda _b: self.refresh())
        self._names.observe(lambda _change: self.refresh() if self.room is not None else None, "value")
        self.children = [W.HBox([self._folder, self._button]), self._names, self._view]
        if self._folder.value:
            self.refresh()
        else:
            self._view.value = f"<p>Type the exchange folder (the one in <code>{EXCHANGE_ENV}</code> on the learners' servers) and press Refresh.</p>"

    def refresh(self) -> Room | None:
        """Programmatic twin of the Refresh button: reads the folder in the text box; returns the room, or None with the reason in ``error``."""
        folder = Path(self._folder.value.strip()).expanduser()
        self.error = ""
        try:
            if not self._folder.value.strip():
                raise CourseError.at(EXCHANGE_ENV, "exchange", "no folder given", f"type the exchange folder, or set {EXCHANGE_ENV}")
            check_room(folder)  # unsafe or unlistable: one line, never an empty room
            room = gather(folder)
        except (CourseError, OSError) as exc:
            self.error = " ".join(str(exc).split()) or type(exc).__name__
            self._view.value = clean_html(f'<p style="color:{ERROR}">{html.escape(self.error)}</p>')
            return None
        self.room, self.briefs, self.left_out = room, room.briefs, len(room.problems)
        self._view.value = body_html(room, names=self._names.value) + currency_html(room)
        return room


def currency_html(room: Room) -> str:
    """Briefs grouped by their company's currency (learners bring their own companies): how many, and the median
    proposed incentive cost per 100 of bookings within each; "" when the whole room is in one currency."""
    if len(room.currencies) < 2:
        return ""
    rows = []
    for cur, costs in sorted(room.currencies.items()):
        mid = sorted(costs)[len(costs) // 2] if costs else None
        rows.append(f"<tr><td>{html.escape(cur)}</td><td>{len(costs)}</td><td>{'-' if mid is None else f'{mid:.1f}'}</td></tr>")
    return ("<h3>Companies by currency</h3><table><tr><th>Currency</th><th>Briefs with a cost</th>"
            "<th>Median cost per 100 of bookings</th></tr>" + "".join(rows) + "</table>")
