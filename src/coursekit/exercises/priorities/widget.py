"""Structured forms of the capstone's thread: module 2's priorities (which become the strategy the
capstone audits) and the capstone's closing decisions (the review date and one ask per owner).
The checks are pure functions in ``coursekit.capstone.checks``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import ipywidgets as W

from coursekit.capstone.checks import OWNERS, PLACEHOLDERS, decisions_feedback, parse_date, priorities_feedback
from coursekit.capstone.inputs import strategy_from_priorities
from coursekit.exercises.scenario_editor.widget import clamped
from coursekit.exercises.text import junk_reason as text_problem
from coursekit.exercises.widget import INFO, OK, WARN, Exercise

_S = {"description_width": "9em"}


def random_letters(text: Any) -> bool:
    """True when a sentence (a behavior, an ask) is keyboard noise ("fjdkslq wpeoriu zmxncb qpwoeir"): the forms' own
    checks only look for words of letters. Names (a priority's, a person's) are not judged: "Krzysztof" is no noise."""
    return "random letters" in (text_problem(str(text or ""), 1) or "")


def refuse_noise(lines: list[tuple[str, str]], noisy: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """``lines`` with each noisy box (line prefix, what it is) turned into a warning in place of that prefix's OK line;
    the closing advice (INFO) goes too when anything is left to fix."""
    if not noisy:
        return lines
    prefixes = tuple(p for p, _ in noisy)
    kept = [(lvl, t) for lvl, t in lines if not (lvl == OK and t.startswith(prefixes)) and lvl != INFO]
    return kept + [(WARN, f"{p} {what} reads as random letters, not words: write it as you would say it.") for p, what in noisy]


class PrioritiesForm(Exercise):
    """One row per strategic priority: its name, the behavior wanted (what a rep does), the segment or
    product it applies to (from the module scenario's ``segments``), its sales cycle in months and its
    rank; plus planning's assumed attainment. ``strategy()`` is the mapping ``strategy_from_dict`` takes."""

    title = "Write each priority as a behavior"
    kind = "priorities"

    def __init__(self, segments: list[str] | tuple[str, ...], option_cycles: Mapping[str, int] | None = None,
                 rows: int = 4, **kw: Any):
        if not segments:
            raise ValueError("PrioritiesForm needs the segments or products of the module's scenario to choose from")
        self.segments = [str(s) for s in segments]
        self.option_cycles = dict(option_cycles or {})
        self.n_rows = max(1, min(5, rows))
        super().__init__(**kw)

    def build(self) -> None:
        lay = W.Layout(width="98%")
        self._rows = []
        boxes = []
        for i in range(1, self.n_rows + 1):
            r = {
                "name": W.Text(description=f"Priority {i}", placeholder=PLACEHOLDERS["name"], style=_S, layout=lay, continuous_update=False),
                "behavior": W.Text(description="Behavior wanted", placeholder=PLACEHOLDERS["behavior"], style=_S, layout=lay,
                                   continuous_update=False, tooltip="What a rep does this quarter, not a number the business wants"),
                "segment": W.Dropdown(options=[("choose...", "")] + [(s, s) for s in self.segments], value="", description="Applies to", style=_S),
                "cycle_months": W.BoundedIntText(value=1, min=1, max=36, description="Cycle (months)", style=_S, layout=W.Layout(width="16em")),
                "rank": W.BoundedIntText(value=i, min=1, max=self.n_rows, description="Rank", style={"description_width": "4em"}, layout=W.Layout(width="9em")),
            }
            self._rows.append(r)
            boxes.append(W.VBox([r["name"], r["behavior"], W.HBox([r["segment"], r["cycle_months"], r["rank"]])],
                                layout=W.Layout(border="1px solid var(--jp-border-color2, #ccc)", padding="4px", margin="2px 0")))
        self._attainment = W.BoundedIntText(value=100, min=10, max=300, description="Planning assumes (% of quota)",
                                            style={"description_width": "16em"}, layout=W.Layout(width="24em"))
        self._watch(*(w for r in self._rows for w in r.values()), self._attainment)
        self.children = [self.header("One row per priority, most important first (leave the rows you do not need empty). "
                                     "A behavior is what a rep does on Tuesday; take the cycle from your CRM, created to closed-won."),
                         *boxes, self._attainment, self._check_button, self._feedback]

    def read_inputs(self) -> dict:
        rows = [{"name": r["name"].value.strip(), "behavior": r["behavior"].value.strip(), "segment": r["segment"].value,
                 "cycle_months": int(r["cycle_months"].value), "rank": int(r["rank"].value)} for r in self._rows]
        return {"_kind": self.kind, "priorities": rows, "assumed_attainment": int(self._attainment.value)}

    def show_answer(self, answer: dict) -> None:
        rows = answer.get("priorities") if isinstance(answer, dict) and isinstance(answer.get("priorities"), list) else []
        for i, r in enumerate(self._rows):
            got = rows[i] if i < len(rows) and isinstance(rows[i], dict) else {}
            r["name"].value = str(got.get("name") or "")
            r["behavior"].value = str(got.get("behavior") or "")
            r["segment"].value = got.get("segment") if got.get("segment") in self.segments else ""
            for f in ("cycle_months", "rank"):
                r[f].value = clamped(r[f], got.get(f), i + 1 if f == "rank" else 1)
        self._attainment.value = clamped(self._attainment, answer.get("assumed_attainment") if isinstance(answer, dict) else None, 100)

    def evaluate(self, answer: dict) -> list[tuple[str, str]]:
        rows = answer.get("priorities") if isinstance(answer.get("priorities"), list) else []
        noisy = [(f"Row {i}:", what) for i, r in enumerate(rows, 1) if isinstance(r, Mapping)
                 if random_letters(r.get("behavior")) for what in ("the behavior",)]
        return refuse_noise(priorities_feedback(answer, self.segments, self.option_cycles), noisy)

    def strategy(self, options: list[dict] | None = None) -> dict | None:
        """The strategy mapping these priorities make (None while no row is usable)."""
        return strategy_from_priorities(self.answer, options)


class DecisionsForm(Exercise):
    """The capstone's close: the decision wanted from each owner (who and what) and the hypothesis's
    review date and calendar. ``today`` fixes the date checks against (tests); ``min_months`` is the
    longest sales cycle the plan is meant to change: the review comes after at least one, counted from
    ``plan_start`` (the first day of the plan year) when given, else from today."""

    title = "Ask each owner for a decision"
    kind = "decisions"

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
        asks = answer.get("asks") if isinstance(answer.get("asks"), Mapping) else {}
        noisy = [(f"{label}:", "the ask") for key, label in OWNERS
                 if isinstance(asks.get(key), Mapping) and random_letters(asks[key].get("ask"))]
        return refuse_noise(decisions_feedback(answer, self.today, self.min_months, self.plan_start), noisy)
