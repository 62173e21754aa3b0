"""Hypothesis builder: every plan is a behavior experiment; write it down so it can be checked."""

from __future__ import annotations

import ipywidgets as W

from ..brief import hypothesis_sentence
from .base import OK, UNSURE, WARN, Exercise, esc
from .text import answer_problem, measurable

LEVERS = ("accelerator", "threshold", "cap", "credit multiplier", "SPIF", "pay period")
WHEN = ("after 1 month", "after 1 quarter", "after 2 quarters", "at year end", "after 2 years")
WHEN_MONTHS = dict(zip(WHEN, (1, 3, 6, 12, 24)))
# lever -> (unit, lowest, highest, the input's label, an example): each lever's level in its own unit
UNITS = {
    "accelerator": ("x", 1.05, 5, "At (x the base rate)", "an accelerator pays a multiple of the base rate, e.g. 1.5x"),
    "threshold": ("%", 1, 99, "At (% of quota)", "a threshold is a share of quota below which nothing is paid, e.g. 70%"),
    "cap": ("%", 100, 500, "At (% of target)", "a cap is the most a period pays as a share of target incentive, e.g. 300%"),
    "credit multiplier": ("x", 0.1, 5, "At (x credit)", "a credit multiplier counts a deal that many times, e.g. 1.5x"),
    "SPIF": ("currency", 1, 1_000_000, "Amount per deal", "a SPIF is an amount of money per deal, e.g. 5,000"),
    "pay period": ("months", 1, 24, "Months", "a measurement period is a number of months, e.g. 3"),
}


def level_text(lever: str, level: float) -> str:
    """The lever's level in its unit, with its preposition: "at 1.5x", "at 70%", "of 5,000 per deal", "of 3 months";
    "at …" when no level is set yet (never "at 0x")."""
    if not level or level <= 0:
        return "at …"
    unit = UNITS.get(lever, ("%",))[0]
    if unit == "x":
        return f"at {level:g}x"
    if unit == "%":
        return f"at {level:g}%"
    if unit == "currency":
        return f"of {level:,.0f} per deal"
    return f"of {level:g} month{'s' if level != 1 else ''}"


class HypothesisBuilder(Exercise):
    """"We believe <lever> <level in its unit> will drive <behavior>; we will know by <metric>, <when>."

    ``cycle_months``: the module scenario's sales cycle; the look must come after at least one cycle.
    """

    title = "Write the plan's hypothesis"
    kind = "hypothesis"

    def __init__(self, cycle_months: float | None = None, **kw):
        self.cycle_months = float(cycle_months) if cycle_months else None
        super().__init__(**kw)

    def build(self) -> None:
        s = {"description_width": "10em"}
        self._lever = W.Dropdown(options=[("measurement period" if x == "pay period" else x, x) for x in LEVERS], value="accelerator",
                                 description="Lever", style=s)
        # empty until the learner types a level: no default number (0x is no level), and a lever change clears it
        self._level = W.Text(value="", description=UNITS["accelerator"][3], placeholder=self.level_hint("accelerator"), style=s,
                             continuous_update=False)
        self._behavior = W.Text(description="Will drive", continuous_update=False, placeholder="e.g. which deals reps will pursue, or how", style=s, layout=W.Layout(width="95%"))
        self._metric = W.Text(description="Metric that shows it", continuous_update=False, placeholder="e.g. a share, count or rate you can pull from the CRM", style=s, layout=W.Layout(width="95%"))
        self._when = W.Dropdown(options=WHEN, value="after 1 quarter", description="Look", style=s)
        self._watch(self._lever, self._level, self._behavior, self._metric, self._when)
        self._lever.observe(self._lever_changed, names="value")
        self.observe(lambda _c: self._show_sentence(), names="answer")
        self._sentence = W.HTML()
        cycle = f" Deals here take about {self.cycle_months:g} months to close." if self.cycle_months else ""
        self.children = [self.header(f"A plan without a hypothesis is a guess. Fill in the sentence.{cycle}"),
                         self._lever, self._level, self._behavior, self._metric, self._when, self._sentence, *self.footer()]

    @staticmethod
    def level_hint(lever: str) -> str:
        return "e.g. " + UNITS[lever][4].split("e.g. ")[-1]

    def _lever_changed(self, change) -> None:
        """A new lever has its own unit: the old number would read as "a cap at 1.5%", so the level starts empty again."""
        self._level.description, self._level.placeholder = UNITS[change["new"]][3], self.level_hint(change["new"])
        self._level.value = ""

    @staticmethod
    def parse_level(raw: str) -> float:
        """The number typed ("1.5", "1.5x", "70%", "5,000"); 0.0 (no level) for empty or anything that is not a number."""
        t = str(raw).strip().lower().replace(",", "").rstrip("x%").strip()
        try:
            v = float(t)
        except ValueError:
            return 0.0
        return v if 0 < v <= 1_000_000 else 0.0 if v <= 0 or v != v else 1_000_001.0

    def read_inputs(self) -> dict:
        a = {"lever": self._lever.value, "level": self.parse_level(self._level.value), "behavior": self._behavior.value.strip(),
             "metric": self._metric.value.strip(), "when": self._when.value}
        return {**a, "level_text": level_text(a["lever"], a["level"])}

    def show_answer(self, answer: dict) -> None:
        if answer.get("lever") in LEVERS:
            self._lever.value = answer["lever"]
        try:
            level = max(0.0, min(1_000_001.0, float(answer.get("level", 0))))
        except (TypeError, ValueError, OverflowError):
            level = 0.0
        self._level.value = f"{level:.15g}" if level > 0 else ""
        self._behavior.value = str(answer.get("behavior", ""))
        self._metric.value = str(answer.get("metric", ""))
        if answer.get("when") in WHEN:
            self._when.value = answer["when"]

    def _show_sentence(self) -> None:
        self._sentence.value = f"<p><i>{esc(self.sentence(self.answer))}</i></p>"

    @staticmethod
    def sentence(a: dict) -> str:
        return hypothesis_sentence(a)

    def evaluate(self, answer: dict) -> list[tuple[str, str]]:
        lines = []
        lever, level = answer["lever"], answer["level"]
        unit, lo, hi, _label, example = UNITS[lever]
        if level <= 0:
            lines.append((WARN, f"Give the lever a level: {example}. A hypothesis needs a number to test."))
        elif not lo <= level <= hi:
            shown = level_text(lever, level).split(" ", 1)[1]
            article = "An" if lever[0] in "aeiou" else "A"
            lines.append((WARN, f"{article} {lever} {shown} is not a level a plan uses: {example} (from {lo:g} to {hi:,g} {unit})."))
        elif lever == "credit multiplier" and level == 1:
            lines.append((WARN, "A credit multiplier of 1x counts every deal once: it changes nothing to test."))
        if bad := answer_problem(answer["behavior"], 3, (self._behavior.placeholder,)):
            lines.append((WARN, f"Name the behavior you expect (what will reps do differently?): {bad}."))
        if bad := answer_problem(answer["metric"], 2, (self._metric.placeholder,)):
            lines.append((WARN, f"Name the metric that will show it; without one the experiment cannot fail: {bad}."))
        elif not measurable(answer["metric"]):
            lines.append((UNSURE, f"“{answer['metric']}” may not be measurable: name a share, count, rate, amount or time you can pull from the CRM."))
        months = WHEN_MONTHS.get(answer["when"], 0)
        if self.cycle_months and months < self.cycle_months:
            lines.append((WARN, f"Looking {answer['when']} is shorter than one sales cycle ({self.cycle_months:g} months): deals worked under the "
                                "new plan will not have closed yet; look after at least one cycle."))
        if not lines:
            lines.append((OK, "A testable hypothesis: the lever has a level in its unit, the metric can be measured and you look "
                              + ("after at least one sales cycle." if self.cycle_months else "at a set time.")))
        return lines
