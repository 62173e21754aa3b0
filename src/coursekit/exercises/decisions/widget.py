"""The capstone's closing decisions, a structured form: one ask per owner, the review date and its calendar.
The checks are pure functions in ``coursekit.capstone.checks``."""

from __future__ import annotations

import datetime as dt
from typing import Any

import ipywidgets as W

from coursekit.answers import OWNERS
from coursekit.capstone.checks import PLACEHOLDERS, decisions_feedback, parse_date
from coursekit.exercises.decisions.kind import KIND
from coursekit.exercises.widget import Exercise
from coursekit.feedback import WARN

_S = {"description_width": "9em"}


class DecisionsForm(Exercise):
    """The capstone's close: the decision wanted from each owner (who and what) and the hypothesis's
    review date and calendar. ``today`` fixes the date checks against (tests); ``min_months`` is the
    longest sales cycle the plan is meant to change: the review comes after at least one, counted from
    ``plan_start`` (the first day of the plan year) when given, else from today."""

    title = "Ask each owner for a decision"
    kind = KIND.name

    def __init__(self, today: dt.date | None = None, min_months: int | None = None, plan_start: dt.date | None = None, **kw: Any):
        self.today = today or dt.date.today()
        self.min_months = min_months
        self.plan_start = plan_start
        super().__init__(**kw)

    def build(self) -> None:
        lay = W.Layout(width="98%")
        self._asks = {}
        rows = []
        for key, label in OWNERS:
            who = W.Text(description=f"{label}: who", placeholder=PLACEHOLDERS["who"], style=_S, layout=W.Layout(width="22em"), continuous_update=False)
            ask = W.Text(description="decides to", placeholder=PLACEHOLDERS["ask"], style={"description_width": "6em"}, layout=lay, continuous_update=False)
            self._asks[key] = (who, ask)
            rows.append(W.HBox([who, ask], layout=W.Layout(width="100%")))
        self._date = W.DatePicker(description="Review date", style=_S)
        self._calendar = W.Text(description="Whose calendar", placeholder="e.g. the CRO's, with RevOps bringing the metric",
                                style=_S, layout=lay, continuous_update=False)
        self._watch(*(w for pair in self._asks.values() for w in pair), self._date, self._calendar)
        self.children = [self.header("One decision per owner, each answerable yes or no, and the day you will look at the hypothesis's metric."),
                         *rows, self._date, self._calendar, self._check_button, self._feedback]

    def read_inputs(self) -> dict:
        date = self._date.value
        return {"_kind": self.kind, "asks": {k: {"who": w.value.strip(), "ask": a.value.strip()} for k, (w, a) in self._asks.items()},
                "review_date": date.isoformat() if isinstance(date, dt.date) else "", "calendar": self._calendar.value.strip()}

    def show_answer(self, answer: dict) -> None:
        asks = answer.get("asks") if isinstance(answer, dict) and isinstance(answer.get("asks"), dict) else {}
        for k, (w, a) in self._asks.items():
            got = asks.get(k) if isinstance(asks.get(k), dict) else {}
            w.value, a.value = str(got.get("who") or ""), str(got.get("ask") or "")
        self._date.value = parse_date(answer.get("review_date")) if isinstance(answer, dict) else None
        self._calendar.value = str(answer.get("calendar") or "") if isinstance(answer, dict) else ""

    def evaluate(self, answer: dict) -> list[tuple[str, str]]:
        # the asks go through the one junk detector in decision_reason (noise, filler, the question pasted back)
        lines = decisions_feedback(answer, self.today, self.min_months, self.plan_start)
        return lines + same_ask_lines(answer)


def same_ask_lines(answer: dict) -> list[tuple[str, str]]:
    """The four owners run four different systems, so one ask put to several of them is no decision for any: each
    owner gets a decision of their own (compared as written, letters and digits only, so case and spacing do not hide it)."""
    asks = answer.get("asks") if isinstance(answer.get("asks"), dict) else {}
    seen: dict[str, list[str]] = {}
    for key, label in OWNERS:
        a = asks.get(key) if isinstance(asks.get(key), dict) else {}
        norm = "".join(ch for ch in str(a.get("ask") or "").lower() if ch.isalnum())
        if norm:
            seen.setdefault(norm, []).append(label)
    return [(WARN, f"{' and '.join(labels)} are asked the same thing: each owner runs a different system, so each needs a "
                   f"decision of their own (Strategy ranks priorities, Planning sets capacity, Enablement teaches, Comp "
                   f"approves pay and its cost).") for labels in seen.values() if len(labels) > 1]
