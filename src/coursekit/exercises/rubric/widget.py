"""Rubric self-check: per criterion, a tick and the brief section that shows it (buttons, so Tab + Space work)."""

from __future__ import annotations

import ipywidgets as W

from coursekit.exercises.rubric.kind import KIND
from coursekit.exercises.widget import Exercise, esc
from coursekit.feedback import OK, WARN


class Rubric(Exercise):
    """``criteria``: [[id, label, what meets it]]; ``sections``: [[id, heading]] of the brief."""

    title = "Check your brief against the rubric"
    kind = KIND.name

    def __init__(self, criteria: list, sections: list, **kw):
        self.criteria = [(str(c[0]), str(c[1]), str(c[2])) for c in criteria]
        self.sections = [(str(s[0]), str(s[1])) for s in sections]
        super().__init__(**kw)

    def build(self) -> None:
        self._ticks, self._where = {}, {}
        rows: list[W.Widget] = []
        for cid, label, meets in self.criteria:
            self._ticks[cid] = W.Checkbox(value=False, description=f"My brief {meets}", indent=False, layout=W.Layout(width="auto"))
            self._where[cid] = W.ToggleButtons(options=[(f"{i}", sid) for i, (sid, _h) in enumerate(self.sections, 1)], value=None,
                                               tooltips=[h for _s, h in self.sections], description="It is in section",
                                               style={"description_width": "8em", "button_width": "2.5em"})
            rows += [W.HTML(f"<b>{esc(label)}</b>"), self._ticks[cid], self._where[cid]]
        self._watch(*self._ticks.values(), *self._where.values())
        legend = " · ".join(f"{i} {esc(h)}" for i, (_s, h) in enumerate(self.sections, 1))
        self.children = [self.header("Before you export: tick each criterion your brief meets and pick the section that shows it. "
                                     "Nothing here reads your sentences; in a workshop the facilitator scores the same four."),
                         W.HTML(f"<small>Sections: {legend}</small>"), *rows, *self.footer()]

    def read_inputs(self) -> dict:
        return {"ticked": {c: w.value for c, w in self._ticks.items()},
                "where": {c: w.value for c, w in self._where.items() if w.value is not None}}

    def show_answer(self, answer: dict) -> None:
        ticked = answer.get("ticked") if isinstance(answer.get("ticked"), dict) else {}
        where = answer.get("where") if isinstance(answer.get("where"), dict) else {}
        ids = [s for s, _h in self.sections]
        for c in self._ticks:
            self._ticks[c].value = ticked.get(c) is True
            self._where[c].value = where.get(c) if where.get(c) in ids else None

    def evaluate(self, answer: dict) -> list[tuple[str, str]]:
        lines = []
        heads = dict(self.sections)
        for cid, label, meets in self.criteria:
            ticked, where = answer["ticked"].get(cid), answer["where"].get(cid)
            if not ticked:
                lines.append((WARN, f"{label}: not ticked. A brief that meets it {meets}; add it, or export knowing it is missing."))
            elif not where:
                lines.append((WARN, f"{label}: ticked; pick the section that shows it, so a reader can find it."))
            else:
                lines.append((OK, f"{label}: in “{heads[where]}”. Read it there once more as your CRO would."))
        return lines
