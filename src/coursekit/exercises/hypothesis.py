"""Hypothesis builder: every plan is a behavior experiment; write it down so it can be checked."""

from __future__ import annotations

import ipywidgets as W

from ..brief import hypothesis_sentence
from .base import OK, WARN, Exercise

LEVERS = ("accelerator", "threshold", "cap", "credit multiplier", "SPIF", "pay period")
WHEN = ("after 1 month", "after 1 quarter", "after 2 quarters", "at year end")


class HypothesisBuilder(Exercise):
    """"We believe <lever> at X% will drive <behavior>; we will know by <metric>, <when>."."""

    title = "Write the plan's hypothesis"

    def build(self) -> None:
        s = {"description_width": "10em"}
        self._lever = W.Dropdown(options=LEVERS, value="accelerator", description="Lever", style=s)
        self._level = W.BoundedFloatText(value=0, min=0, max=1000, description="At (%)", style=s, continuous_update=False)
        self._behavior = W.Text(description="Will drive", continuous_update=False, placeholder="e.g. more multi-year platform deals", style=s, layout=W.Layout(width="95%"))
        self._metric = W.Text(description="Metric that shows it", continuous_update=False, placeholder="e.g. share of bookings that are platform", style=s, layout=W.Layout(width="95%"))
        self._when = W.Dropdown(options=WHEN, value="after 1 quarter", description="Look", style=s)
        self._watch(self._lever, self._level, self._behavior, self._metric, self._when)
        self._sentence = W.HTML()
        self.children = [self.header("A plan without a hypothesis is a guess. Fill in the sentence."),
                         self._lever, self._level, self._behavior, self._metric, self._when,
                         self._check_button, self._feedback]

    def read_inputs(self) -> dict:
        return {"lever": self._lever.value, "level": self._level.value, "behavior": self._behavior.value.strip(),
                "metric": self._metric.value.strip(), "when": self._when.value}

    def show_answer(self, answer: dict) -> None:
        if answer.get("lever") in LEVERS:
            self._lever.value = answer["lever"]
        try:
            self._level.value = float(answer.get("level", 0))
        except (TypeError, ValueError):
            self._level.value = 0
        self._behavior.value = str(answer.get("behavior", ""))
        self._metric.value = str(answer.get("metric", ""))
        if answer.get("when") in WHEN:
            self._when.value = answer["when"]

    @staticmethod
    def sentence(a: dict) -> str:
        return hypothesis_sentence(a)

    def evaluate(self, answer: dict) -> list[tuple[str, str]]:
        lines = []
        if not answer["behavior"]:
            lines.append((WARN, "Name the behavior you expect: what will reps do differently?"))
        if not answer["metric"]:
            lines.append((WARN, "Name the metric that will show it; without one the experiment cannot fail."))
        if answer["level"] <= 0:
            lines.append((WARN, "Give the lever a level (X%): a hypothesis needs a number to test."))
        if not lines:
            lines.append((OK, self.sentence(answer)))
        return lines
