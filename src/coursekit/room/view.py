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
from coursekit.room.gather import RUBRIC_IDS, Room, gather, load_scores, save_score
from coursekit.room.page import body_html, currency_html  # noqa: F401  (the view's name for the currency table)
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
        self._scoring = W.VBox()  # the facilitator scores each brief against the rubric (``score``)
        self._boxes: dict[tuple[str, str], W.Checkbox] = {}
        self._button.on_click(lambda _b: self.refresh())
        self._names.observe(lambda _change: self.refresh() if self.room is not None else None, "value")
        self.children = [W.HBox([self._folder, self._button]), self._names, self._view, self._scoring]
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
        self._view.value = body_html(room, names=self._names.value)
        self._scoring.children = self._score_rows(room, folder)
        return room

    # --- the brief rubric, scored by the facilitator (kept in the facilitator's home, never in the exchange) ---
    def score(self, brief: str, criterion: str, met: bool) -> dict[str, dict[str, bool]]:
        """Programmatic twin of ticking a criterion for one brief (its file stem in the exchange)."""
        folder = Path(self._folder.value.strip()).expanduser()
        scores = save_score(folder, brief, criterion, met)
        box = self._boxes.get((brief, criterion))
        if box is not None and box.value != bool(met):
            box.value = bool(met)
        return scores

    def _score_rows(self, room: Room, folder: Path) -> list[W.Widget]:
        if not room.rubrics:
            return []
        saved = load_scores(folder)
        self._boxes = {}
        rows: list[W.Widget] = [W.HTML("<h3>Score the briefs against the rubric</h3><p>Tick what each brief meets: a specific "
                                       "mechanic, the money difference, an owner, a date. The learner's own tick is shown in "
                                       "brackets. Your scores stay in your coursekit folder, never in the exchange.</p>")]
        labels = {"mechanic": "Mechanic", "money": "Money", "owner": "Owner", "date": "Date"}
        for n, (stem, learner, own) in enumerate(room.rubrics, 1):
            who = learner if self._names.value else f"Brief {n}"
            boxes = []
            for c in RUBRIC_IDS:
                box = W.Checkbox(value=saved.get(stem, {}).get(c, False), indent=False, layout=W.Layout(width="9em"),
                                 description=f"{labels[c]} ({'✔' if own.get(c) else '–'})")
                box.observe(lambda ch, stem=stem, c=c: save_score(folder, stem, c, ch["new"]), names="value")
                self._boxes[(stem, c)] = box
                boxes.append(box)
            rows.append(W.HBox([W.HTML(f"<b>{html.escape(who)}</b>", layout=W.Layout(width="10em")), *boxes]))
        return rows
