"""Hypothesis builder: every plan is a behavior experiment; write it down so it can be checked."""

from __future__ import annotations

import re

import ipywidgets as W

from coursekit.answers import DONE, WRITTEN, status_of
from coursekit.exercises.hypothesis.kind import KIND, LEVERS, OLD_LEVERS, WHEN, WHEN_MONTHS
from coursekit.exercises.hypothesis.kind import sentence as hypothesis_sentence
from coursekit.exercises.widget import UNSURE, Exercise, esc
from coursekit.feedback import NAMES_KINDS, OK, WARN, answer_problem, measurable, names_lines

# lever -> (unit, lowest, highest, the input's label, an example): each lever's level in its own unit
UNITS = {
    "accelerator": ("x", 1.05, 5, "At (x the base rate)", "an accelerator pays a multiple of the base rate, e.g. 1.5x"),
    "threshold": ("%", 1, 99, "At (% of quota)", "a threshold is a share of quota below which nothing is paid, e.g. 70%"),
    "cap": ("%", 100, 500, "At (% of target)", "a cap is the most the plan pays, as a share of target incentive, e.g. 300%"),
    "credit multiplier": ("x", 0.1, 5, "At (x credit)", "a credit multiplier counts a deal that many times toward quota and pay, e.g. 1.5x"),
    "rate differential": ("x", 0.1, 5, "At (x the rate)",
                          "a rate differential pays a deal a multiple of the rate and credits it once toward quota, e.g. 1.3x"),
    "SPIF": ("currency", 1, 1_000_000, "Amount per deal", "a SPIF is an amount of money per deal, e.g. 5,000"),
    "measurement period": ("months", 1, 24, "Months", "a measurement period is a number of months, e.g. 3"),
}
# what a cap applies to: a cap that resets each period limits the period a large deal lands in, a cap on the year does not
CAP_SCOPES = {"period": "on each period's pay", "year": "on the year's pay"}
_TIMES_TI = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*(?:x|×|times)\s*(?:the\s+)?(?:ti|target(?:\s+incentive)?)?\s*$", re.I)
REMOVED = "removed"  # the cap taken away: a removal has no level (module 1's first fix, "remove the cap")
# a cap's level box read as a removal: "none", "no cap", "uncapped", "remove it" ...
_NO_CAP = re.compile(r"^\s*(?:none|no(?:\s+cap)?|nil|n/?a|0+(?:\.0*)?\s*%?|uncapped|unlimited|no\s+limit|remove(?:d)?(?:\s+(?:it|the\s+cap))?|"
                     r"take\s+it\s+away|drop(?:ped)?(?:\s+it)?|∞)\s*[.!]?\s*$", re.I)
# who a behavior names: "reps to work enterprise accounts" reads after "will drive"; "reps work ..." does not
_WHO = re.compile(r"^\s*((?:[\w-]+\s+){0,2}?(?:reps|sellers|salespeople|aes|account executives|account managers|sdrs|bdrs|csms))"
                  r"\s+([a-z]+)\b(.*)$", re.I | re.S)
_AFTER_WHO = frozenset("to who that in on at of with from across and or".split())
# words before "reps" that make the text a question or a command ("Will reps work ...?", "Get reps to ..."): no rewrite fits
_NOT_WHO = frozenset("will would can could should shall do does did is are was were may might must make makes get gets let lets have has "
                     "help helps want wants need needs".split())


def level_text(lever: str, level: float, scope: str = "") -> str:
    """The lever's level in its unit, with its preposition: "at 1.5x", "at 70%", "of 5,000 per deal", "of 3 months",
    a cap's with its scope ("on the year's pay at 200% of target incentive"); "at …" when no level is set yet (never "at 0x")."""
    if lever == "cap" and scope == REMOVED:
        return "removed (no cap at all)"
    if not level or level <= 0:
        return "at …"
    unit = UNITS.get(lever, ("%",))[0]
    if lever == "cap":
        return " ".join(x for x in (CAP_SCOPES.get(scope, ""), f"at {level:g}% of target incentive") if x)
    if unit == "x":
        return f"at {level:g}x"
    if unit == "%":
        return f"at {level:g}%"
    if unit == "currency":
        return f"of {level:,.0f} per deal"
    return f"of {level:g} month{'s' if level != 1 else ''}"


def changed_levers(base: object, plan: object) -> dict[str, tuple[float, str]]:
    """What a plan tester changed, as hypothesis levers: lever -> (its level in the hypothesis's unit, a cap's scope). Plans
    are the tester's saved ``_base_plan`` and ``_plan`` (plain dicts); {} when either is missing."""
    if not isinstance(base, dict) or not isinstance(plan, dict):
        return {}
    out: dict[str, tuple[float, str]] = {}
    months = {"monthly": 1, "quarterly": 3, "annual": 12}
    yearly = plan.get("period") == "annual" or plan.get("measurement") == "cumulative" or plan.get("cap_scope") == "year"
    measured = (plan.get("period"), plan.get("measurement")) != (base.get("period"), base.get("measurement"))
    if measured:
        out["measurement period"] = (12.0 if plan.get("measurement") == "cumulative" else float(months.get(plan.get("period"), 0)), "")
    if plan.get("cap") != base.get("cap") or plan.get("cap_scope") != base.get("cap_scope") or (plan.get("cap") is not None and yearly and measured):
        cap = plan.get("cap")  # a cap that now applies to the year (the year measured, or to date) is a cap on the year
        out["cap"] = (float(cap) * 100, "year" if yearly else "period") if cap is not None else (0.0, REMOVED)
    if plan.get("threshold") != base.get("threshold"):
        out["threshold"] = (float(plan.get("threshold") or 0) * 100, "")
    if plan.get("tiers") != base.get("tiers"):
        mults = [t.get("multiplier", 1) for t in plan.get("tiers") or [] if isinstance(t, dict)]
        out["accelerator"] = (float(max(mults)) if mults else 0.0, "")
    for field, lever in (("credit", "credit multiplier"), ("pay_multiplier", "rate differential")):
        if plan.get(field) != base.get(field):
            vals = [v for m in (plan.get(field) or {}).values() if isinstance(m, dict) for v in m.values() if v != 1]
            out[lever] = (float(max(vals)) if vals else 0.0, "")
    if plan.get("spifs") != base.get("spifs"):
        amounts = [s.get("amount", 0) for s in plan.get("spifs") or [] if isinstance(s, dict)]
        out["SPIF"] = (float(max(amounts)) if amounts else 0.0, "")
    return out


def behavior_problem(behavior: str) -> str | None:
    """Why a behavior does not read after "will drive" ("reps work the long deals"), or None."""
    m = _WHO.match(str(behavior))
    if not m or m.group(2).lower() in _AFTER_WHO:
        return None
    said = " ".join(str(behavior).split())
    if said.endswith("?") or set(m.group(1).lower().split()[:-1]) & _NOT_WHO:  # a question or a command: a rewrite would garble it
        return f"“{said}” does not read after “will drive”: write what reps will do, as “reps to …”"
    return (f"“{said}” does not read after “will drive”: write what they will do as "
            f"“{m.group(1)} to {m.group(2)}{' '.join(m.group(3).split()) and ' ' + ' '.join(m.group(3).split())}”")


class HypothesisBuilder(Exercise):
    """"We believe <lever> <level in its unit> will drive <behavior>; we will know by <metric>, <when>."

    ``cycle_months``: the module scenario's sales cycle; the look must come after at least one cycle.
    """

    title = "Write the plan's hypothesis"
    kind = KIND.name

    def __init__(self, cycle_months: float | None = None, wrong_levers: dict[str, str] | None = None, tester: str | None = None, **kw):
        """``wrong_levers``: lever -> why it cannot drive the behavior this module wants (from the module's options);
        ``tester``: the id of this module's plan tester, whose passing plan the lever must be part of."""
        self.tester = str(tester) if tester else None
        self.cycle_months = float(cycle_months) if cycle_months else None
        self.wrong_levers = {str(k): " ".join(str(v).split()).rstrip(".") for k, v in (wrong_levers or {}).items()}
        super().__init__(**kw)

    def build(self) -> None:
        s = {"description_width": "10em"}
        self._lever = W.ToggleButtons(options=list(LEVERS), value="accelerator", description="Lever", style=s)  # buttons: Tab + Space, no arrow key
        self._scope = W.ToggleButtons(options=[("choose...", ""), ("each period's pay (resets every period)", "period"), ("the year's pay", "year"),
                                          ("nothing: remove the cap (no level)", REMOVED)],
                                 value="", description="Cap applies to", style=s, layout=W.Layout(display="none"))
        # empty until the learner types a level: no default number (0x is no level), and a lever change clears it
        self._level = W.Text(value="", description=UNITS["accelerator"][3], placeholder=self.level_hint("accelerator"), style=s,
                             continuous_update=False)
        self._behavior = W.Text(description="Will drive", continuous_update=False, placeholder="reps to … (what reps will do differently)",
                                style=s, layout=W.Layout(width="95%"))
        # what the behavior names: the same pick as module 2's priorities, so an outcome is refused the same way in both
        self._what = W.ToggleButtons(options=[("choose...", ""), *NAMES_KINDS], value="", description="It names", style=s,
                                     tooltips=["Not picked yet", *(label for label, _ in NAMES_KINDS)])
        self._metric = W.Text(description="Metric that shows it", continuous_update=False, placeholder="e.g. a share, count or rate you can pull from the CRM", style=s, layout=W.Layout(width="95%"))
        self._when = W.ToggleButtons(options=WHEN, value="after 1 quarter", description="Look", style=s)
        self._watch(self._lever, self._level, self._scope, self._behavior, self._what, self._metric, self._when)
        self._lever.observe(self._lever_changed, names="value")
        self.observe(lambda _c: self._show_sentence(), names="answer")
        self._sentence = W.HTML()
        cycle = f" Deals here take about {self.cycle_months:g} months to close." if self.cycle_months else ""
        self.children = [self.header(f"A plan without a hypothesis is a guess. Fill in the sentence.{cycle}"),
                         self._lever, self._level, self._scope, self._behavior, self._what, self._metric, self._when, self._sentence,
                         *self.footer()]

    @staticmethod
    def level_hint(lever: str) -> str:
        return "e.g. " + UNITS[lever][4].split("e.g. ")[-1]

    def _lever_changed(self, change) -> None:
        """A new lever has its own unit: the old number would read as "a cap at 1.5%", so the level starts empty again."""
        self._level.description, self._level.placeholder = UNITS[change["new"]][3], self.level_hint(change["new"])
        self._scope.layout.display = None if change["new"] == "cap" else "none"
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

    @classmethod
    def parse_cap_level(cls, raw: str) -> float:
        """A cap's level in % of target incentive, as the course writes caps too: "200%", "200", "2x", "2x TI",
        "3x target incentive" (a multiple of target incentive is 100 times that in %)."""
        m = _TIMES_TI.match(str(raw))
        return cls.parse_level(m[1]) * 100 if m else cls.parse_level(raw)

    def read_inputs(self) -> dict:
        cap = self._lever.value == "cap"
        scope = REMOVED if cap and _NO_CAP.match(self._level.value) else self._scope.value if cap else ""
        parse = self.parse_cap_level if cap else self.parse_level
        a = {"lever": self._lever.value, "level": 0.0 if scope == REMOVED else parse(self._level.value),
             "cap_scope": scope, "behavior": self._behavior.value.strip(), "what": self._what.value,
             "metric": self._metric.value.strip(), "when": self._when.value}
        return {**a, "level_text": level_text(a["lever"], a["level"], a["cap_scope"])}

    def show_answer(self, answer: dict) -> None:
        lever = OLD_LEVERS.get(answer.get("lever"), answer.get("lever")) if isinstance(answer.get("lever"), str) else None
        if lever in LEVERS:
            self._lever.value = lever
        self._scope.value = answer.get("cap_scope") if answer.get("cap_scope") in (*CAP_SCOPES, REMOVED) else ""
        try:
            level = max(0.0, min(1_000_001.0, float(answer.get("level", 0))))
        except (TypeError, ValueError, OverflowError):
            level = 0.0
        said = answer.get("level")
        if lever == "cap" and isinstance(said, str) and _NO_CAP.match(said):  # "none", "remove it": the removal, as typed
            self._level.value, self._scope.value = said, REMOVED
            return self._show_rest(answer)
        self._level.value = f"{level:.15g}" if level > 0 else ""
        self._show_rest(answer)

    def _show_rest(self, answer: dict) -> None:
        self._behavior.value = str(answer.get("behavior", ""))
        self._what.value = answer.get("what") if answer.get("what") in [v for _, v in NAMES_KINDS] else ""  # older answers: not picked
        self._metric.value = str(answer.get("metric", ""))
        if answer.get("when") in WHEN:
            self._when.value = answer["when"]

    def _show_sentence(self) -> None:
        self._sentence.value = f"<p><i>{esc(self.sentence(self.answer))}</i></p>"

    @staticmethod
    def sentence(a: dict) -> str:
        return hypothesis_sentence(a)

    def tester_problem(self, answer: dict) -> str:
        """Why the lever is not the one the learner's own plan tester showed working ('' when it is, or when there is no
        tester result to compare with): consistency with their earlier work, read from the saved tester answer."""
        if not self.tester or self._answers is None or "/" not in self.key:
            return ""
        tkey = f"{self.key.partition('/')[0]}/{self.tester}"
        try:
            saved = type(self._answers)(self._answers.path).get(tkey)  # the tester may have saved from another kernel
        except Exception:  # noqa: BLE001 - an unreadable file is reported by the store itself
            saved = self._answers.get(tkey)
        if status_of(saved) not in (DONE, WRITTEN):
            return ("Test your change in this module's plan tester first: the hypothesis tests the lever the tester showed "
                    "flipping the rep's choice, at that level.")
        tried = changed_levers(saved.get("_base_plan"), saved.get("_plan"))
        if not tried:
            return ""
        lever, level = answer["lever"], answer["level"]
        shown = "; ".join(f"{k} {level_text(k, v, s)}" for k, (v, s) in tried.items())
        if lever not in tried:
            return (f"Your plan tester flipped the rep's choice with {shown}, not with {'an' if lever[0] in 'aeiou' else 'a'} {lever}: "
                    "a hypothesis about a lever the tester did not show working tests nothing you know works. Use the lever you tested, "
                    "at its level (or test this one in the tester first).")
        want, scope = tried[lever]
        if lever == "cap" and answer.get("cap_scope") in (*CAP_SCOPES, REMOVED) and answer.get("cap_scope") != scope:
            return f"Your plan tester passed with the cap {level_text('cap', want, scope)}: say the same of the cap here."
        if (lever != "cap" or scope != REMOVED) and want and level and abs(float(level) - float(want)) > 1e-6:
            return (f"Your plan tester passed with the {lever} {level_text(lever, want, scope)}, not {level_text(lever, level, scope)}: "
                    "state the level you tested.")
        return ""

    def evaluate(self, answer: dict) -> list[tuple[str, str]]:
        lines = []
        lever, level = answer["lever"], answer["level"]
        unit, lo, hi, _label, example = UNITS[lever]
        if lever == "cap" and answer.get("cap_scope") == REMOVED:
            pass  # a removal has no level: the hypothesis tests the plan without a cap
        elif level <= 0:
            lines.append((WARN, f"Give the lever a level: {example}. A hypothesis needs a number to test."))
        elif not lo <= level <= hi:
            shown = level_text(lever, level).split(" ", 1)[1]
            article = "An" if lever[0] in "aeiou" else "A"
            lines.append((WARN, f"{article} {lever} {shown} is not a level a plan uses: {example} (from {lo:g} to {hi:,g} {unit})."))
        elif lever in ("credit multiplier", "rate differential") and level == 1:
            lines.append((WARN, f"A {lever} of 1x pays every deal as it stands: it changes nothing to test."))
        if lever == "cap" and answer.get("cap_scope") not in (*CAP_SCOPES, REMOVED):
            lines.append((WARN, "Say what the cap applies to: each period's pay (it resets every month or quarter, and limits the "
                                "period a large deal lands in) or the year's pay; or choose to remove the cap (no level)."))
        if lever in self.wrong_levers:
            lines.append((WARN, f"Not {'an' if lever[0] in 'aeiou' else 'a'} {lever}: {self.wrong_levers[lever]}. "
                                "Choose the lever the plan tester showed works."))
        if lever not in self.wrong_levers and (why := self.tester_problem(answer)):
            lines.append((WARN, why))
        if bad := answer_problem(answer["behavior"], 3, (self._behavior.placeholder,)):
            lines.append((WARN, f"Name the behavior you expect (what will reps do differently?): {bad}."))
        elif bad := behavior_problem(answer["behavior"]):
            lines.append((WARN, f"{bad}."))
        else:
            lines += names_lines(answer.get("what"), answer["behavior"])
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
