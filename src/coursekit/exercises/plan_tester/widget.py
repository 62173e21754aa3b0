"""Plan tester: change the plan, watch the payout curve, each month's pay and four tests answered with numbers:
the note's three (strategy, money, 60 seconds: each part of the plan read right, and the learner's own words) and
"Can we afford it?"."""

from __future__ import annotations

import base64
import calendar
import html
import json
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import ipywidgets as W
import numpy as np
import traitlets as T

from coursekit.answers import course_pandas, status_of
from coursekit.capstone.checks import money  # half-up, from the exact number: the figures the brief and the audit print
from coursekit.capstone.committee import ANSWER_FIELDS as COMMITTEE_FIELDS
from coursekit.capstone.committee import RISK_HINT, TRANSITION_HINT, committee_lines, risk, risk_line
from coursekit.capstone.committee import afford as committee_afford
from coursekit.capstone.committee import budget as committee_budget
from coursekit.capstone.inputs import company_inputs
from coursekit.engine import precomputed as precompute
from coursekit.engine.audit import cap_target, measure_label
from coursekit.engine.frontier import Frontier, misses, mix_edge, near, passes, wanted_words
from coursekit.engine.frontier import search as frontier_search
from coursekit.engine.payout import period_payout
from coursekit.engine.plan import Plan, Spif, Tier, plan_from_dict, to_dict
from coursekit.engine.plot import curve_figure
from coursekit.engine.scenario import Option, Scenario, scenario_from_dict
from coursekit.engine.simulate import Population, Result, booking_mix, booking_shares, measure_of, measure_plans, population
from coursekit.errors import CourseError
from coursekit.exercises import theme
from coursekit.exercises.plan_tester.charts import frontier_figure, month_bars
from coursekit.exercises.plan_tester.checks import (
    CAPS,
    CLEAR_MARGIN,
    COST_TOLERANCE,
    FOLLOWS_SHARE,
    ONLY_JUST,
    TOP_CAP,
    article,
    budget_line,
    cap_line,
    cap_value,
    clearly_wins,
    cost_line,
    credit_note,
    edges_crossed,
    first_that_works,
    follows_strategy,
    frontier_lines,
    left_out_line,
    levers_moved,
    margin,
    measure_options,
    mix_cached,
    mix_words,
    months_cached,
    pay_chart_title,
    pct,
    per_100,
    plan_name,
    rate_note,
    simulate_cached,
    smallest_change,
    splits_toward,
    tenths,
)
from coursekit.exercises.plan_tester.checks import seed as seed_runs
from coursekit.exercises.plan_tester.explain import LETTERS, MAX_WORDS, VALUES, Part, explanation_line, shown
from coursekit.exercises.plan_tester.explain import parts as explain_parts
from coursekit.exercises.plan_tester.kind import KIND
from coursekit.exercises.widget import UNSURE, Exercise, esc, feedback_html
from coursekit.feedback import INFO, OK, WARN
from coursekit.sanitize import clean_html
from coursekit.yamlio import plain

CONTROL_NAMES = {"period": "measurement period", "measurement": "measurement period", "threshold": "threshold",
                 "accelerator_from": "accelerator's start", "accelerator": "accelerator", "cap": "cap",
                 "cap_scope": "cap's scope", "credit": "credit multiplier", "rate": "rate differential", "spif": "SPIF per deal"}
SPIF_NAME = "Tester SPIF"  # the SPIF the tester's control prices (one per priority deal, all year); the plan's own SPIFs stay
PER = {"annual": "year", "quarterly": "quarter", "monthly": "month"}
# Pay per 100 of revenue above the plan as given that a written reason may accept when the rep clearly follows the
# strategy and no smaller step of any control the learner moved would do. Not where the exercise states a budget (``budget``):
# modules 2 and 3 hold a change to theirs, and over it is a No. Module 2's logo years that win, measured over
# the year: a new-logo credit of 1.85 costs 9.6 more (18.9 against 9.3), a rate of 2.2 9.0 more, and
# with the untraced accelerator cut too a credit of 1.85 6.2 more (15.4); module 3's smallest credit that flips the
# choice 3.25 more. Beyond it, or with a cheaper step left, the change is not a judgement call but overpaying.
MIX_IS_HARD = ("Why a mix is hard to get: when every option pays at a constant rate (no cap, no threshold, no accelerator), a "
               "rep maximizing pay puts all effort on the option that pays most for a month of work, so a split needs something "
               "that stops more effort on one option paying more: a cap on its component, a threshold on the other, or "
               "components linked (one pays only with the other). A component's weight is its share of the target incentive, "
               "not a share of the rep's time.")
REASONED_EXTRA = 10
EXPLAINING = ("explanation", "explain")  # the learner's own words and the keyed parts: no change to the plan
# each keyed part's row label (what a screen reader says before its letters): none is another control's label
EXPLAIN_LABELS = {"measure": "How it is measured", "threshold": "The threshold", "accelerator": "The accelerator", "cap": "The cap",
                  "credit": "The credit", "rate": "The rate"}


class PlanTester(Exercise):
    """Edits a tiered plan: measurement period (and payment), threshold, accelerator (from, multiplier), cap and
    its scope, credit multiplier (quota and pay) and rate differential (a pay multiplier: pay only, no quota credit)
    for the strategy's segment; the learner reads each part of the plan in a keyed choice and says it in 60 seconds
    of their own words (kept, counted, never graded). Every
    change redraws the curve and the month-by-month pay and re-runs the simulator. A change the engine refuses
    is shown as feedback, never raised.

    ``population`` (a scenario's ``population:``) adds the population view to "Can we afford it?";
    ``cost_tolerance`` is how much more incentive pay per 100 of bookings than the plan as given still counts as affordable;
    ``committee_tests`` (the capstone): a design that works but costs more than the cheapest plan that works
    (``engine.frontier.search`` around the plan as given), by more than the cost tolerance, fails "Is it the cheapest
    change that works?" (otherwise that line is a note); and where the strategy's option's bad year (P10) pays less
    than the other option's average, the strategy test asks for a floor, a draw (``set_committee``) or a written
    reason instead of Yes.
    ``baseline`` (the plan the company runs today, when it is not the plan the tester starts from, as in the capstone) is
    what "Can we afford it?" compares with instead of the plan as given.
    ``budget`` (``{per_100, basis}``, the exercise's stated budget) is, when given, the limit "Can we afford it?" holds a
    change to, exactly; ``frontier_exclude`` (lever -> why) names the levers the module leaves out of the cheapest-plan
    search, and a design that moves one is refused by name.
    """

    title = "Test the plan: would you pay for what you say you want?"
    kind = KIND.name
    NUMERIC = ("threshold", "accelerator_from", "accelerator", "cap", "credit", "rate")

    def __init__(self, plan: Plan, options: list[Option] | tuple[Option, ...], prefer: str, assumed_attainment: float = 1.0,
                 population: Population | None = None, cost_tolerance: float = COST_TOLERANCE, baseline: Plan | None = None,
                 spif_control: bool = False, committee_tests: bool = False, budget: dict | None = None,
                 frontier_exclude: dict[str, str] | None = None, mix: Mapping[str, float] | None = None, **kw):
        # a stated budget ({per_100, basis}): "Can we afford it?" against it instead of the plan as given plus the tolerance
        self.budget = (float(budget["per_100"]), str(budget["basis"])) if budget else None
        self.frontier_exclude = dict(frontier_exclude or {})  # levers the module leaves out of the search, with why
        self.spif_control = bool(spif_control)  # a SPIF per priority deal, priced beside the credit and the rate (module 3)
        self.base_plan = plan
        self.options = tuple(options)
        self.prefer = prefer
        self.mix = dict(mix) if mix else None  # the wanted share of effort per option (``strategy.mix``), or None: one option
        self.assumed = assumed_attainment
        self.population = population
        self.cost_tolerance = cost_tolerance
        self.baseline = baseline
        self.committee_tests = committee_tests  # the capstone: a dearer working design fails; the bad-year risk is asked
        self.committee: dict = {}  # the learner's answers to the comp committee (capstone.committee.ANSWER_FIELDS)
        preferred = next((o for o in self.options if o.name == prefer), None)
        # the credit and rate sliders price the preferred option's segment, or its product when it has no segment
        self.credit_kind = "segment" if preferred and preferred.segment else "product"
        self.segment = (preferred.segment or preferred.product) if preferred else None
        self.plan = plan
        self.result: Result | None = None
        self.error = ""  # a change the engine refuses, shown as feedback
        self.binding = ""  # what holds pay still when a change changes nothing
        self.binding_change = ""  # that change, from what to what
        self._last: tuple[dict, list[float], dict[str, float], Fraction | None] | None = None  # answer, pays, mix, cost
        self.mix_moved = ""  # when full-time pay held but the rep's best mix or its cost moved: what moved
        self._tests_drawn: set[str] = set()  # the test lines last drawn above Check
        # the simulator's runs for the plan as given, stored by ``coursekit build`` for a course scenario: the first
        # refresh's tests read them (a learner's change, saved answer or own company asks for other runs: computed live)
        seed_runs(precompute.lookup(precompute.note_of(str(kw.get("key", ""))), self.runs_key()))
        super().__init__(**kw)  # records the restored answer (or the base plan's settings), which runs refresh()

    def build(self) -> None:
        p = self.base_plan
        own = self.priority_measure()
        shape = own.plan if own is not None else p  # threshold, accelerator and cap: the strategy's measure's, on a weighted plan
        tiers = shape.effective_tiers()
        acc = tiers[1] if len(tiers) > 1 else None
        s = {"description_width": "12em"}
        lay = W.Layout(width="400px")
        # buttons, not a dropdown: Tab and Space pick one (a focused dropdown lost its arrow keys to JupyterLab's cells)
        self._measure = W.ToggleButtons(options=measure_options(p), value=(p.period, p.measurement), description="Measurement period",
                                        style={**s, "button_width": "auto"}, layout=W.Layout(width="820px"))
        self._threshold = W.FloatSlider(value=shape.threshold or 0.0, min=0, max=0.9, step=0.05, description="Threshold",
                                        readout_format=".0%", style=s, layout=lay, continuous_update=False)
        self._acc_from = W.FloatSlider(value=acc.start if acc else 1.0, min=0.5, max=2.0, step=0.05, description="Accelerator from",
                                       readout_format=".0%", style=s, layout=lay, continuous_update=False)
        self._acc_mult = W.FloatSlider(value=(acc.multiplier or 1.0) if acc else 1.0, min=1.0, max=4.0, step=0.25,
                                       description="Accelerator x rate", style=s, layout=lay, continuous_update=False)
        self._cap = W.SelectionSlider(options=CAPS, value=cap_value(shape.cap or 0.0), description="Cap x target incentive",
                                      style=s, layout=lay, continuous_update=False)
        self._cap_scope = W.ToggleButtons(options=[("per measurement period", "period"), ("per year", "year")], value=p.cap_scope,
                                     description="Cap applies", style={**s, "button_width": "auto"}, layout=lay)
        credit = p.credit.get(self.credit_kind, {}).get(self.segment, 1.0) if self.segment else 1.0
        who = (self.segment or "priority").capitalize()
        # steps of 0.05, like the rate: module 3's 1.3 and module 2's 1.85 are reachable, so "the smallest change" is true
        self._credit = W.FloatSlider(value=credit, min=0.5, max=3.0, step=0.05, description=f"{who} credit x", readout_format=".2f",
                                     style=s, layout=lay, continuous_update=False, disabled=self.segment is None)
        # a rate differential (the engine's pay multiplier): pays more per unit of the priority's bookings, credits no quota;
        # steps of 0.05 reach module 3's 1.3; the plan's own value widens the range rather than being clamped away
        rate = p.pay_multiplier.get(self.credit_kind, {}).get(self.segment, 1.0) if self.segment else 1.0
        self._rate = W.FloatSlider(value=rate, min=min(1.0, rate), max=max(3.0, rate), step=0.05, description=f"{who} rate x",
                                   readout_format=".2f", style=s, layout=lay, continuous_update=False, disabled=self.segment is None)
        self._explanation = W.Textarea(description="Your 60 seconds", rows=4, continuous_update=False, layout=W.Layout(width="820px"),
                                       style=s, placeholder=f"Explain this plan to a rep in your own words (at most {MAX_WORDS} words): "
                                                            "kept for your brief, not graded")
        # "Can we explain it in 60 seconds?": a keyed choice per component the plan has (lettered buttons: Tab and Space,
        # no arrow key), rebuilt from the plan as it stands at each change (``explain_parts``)
        self._explain_picks = {pid: W.ToggleButtons(options=[(LETTERS[i], v) for i, v in enumerate(shown(pid))], value=None,
                                                    description=EXPLAIN_LABELS[pid], style={"description_width": "12em", "button_width": "3em"})
                               for pid in VALUES}
        self._explain_text = {pid: W.HTML() for pid in VALUES}
        self._explain_rows = {pid: W.VBox([self._explain_text[pid], self._explain_picks[pid]]) for pid in VALUES}
        self._explain_box = W.VBox([W.HTML("<b>Can we explain it in 60 seconds?</b> For each part of the plan as it stands, pick "
                                           "what a rep should hear (Tab to a letter, Space picks it); then say the plan in your own "
                                           f"words, at most {MAX_WORDS} words: they are kept for your brief, counted, never graded."),
                                    *self._explain_rows.values(), self._explanation])
        self._spif = W.BoundedIntText(value=0, min=0, max=1_000_000, step=500, description=f"{who} SPIF per deal",
                                      style=s, layout=lay, continuous_update=False, disabled=self.segment is None)
        self._controls = [self._measure, self._threshold, self._acc_from, self._acc_mult, self._cap, self._cap_scope, self._credit,
                          self._rate] + ([self._spif] if self.spif_control else [])
        self._base_answer = self.read_inputs()  # the plan as given: "before your changes" is drawn only after a change
        self._watch(*self._controls, self._explanation, *self._explain_picks.values())
        if not getattr(self, "_refreshes", False):  # once: ``start_over`` builds the controls again
            self.observe(lambda _c: self.refresh(), names="answer")
            self._refreshes = True
        self._image = W.Image(format="png", layout=W.Layout(max_width="640px"))
        self._bars = W.Image(format="png", layout=W.Layout(max_width="640px"))
        self._chart_text = W.HTML()  # the two charts as text and tables (alt text: they are images)
        self._tests = W.HTML()
        self._frontier = W.HTML()  # where the design sits on the cost-against-margin frontier, once it works
        self.children = [self.header("Move the controls (a threshold of 0 means none; a credit counts the priority's deals more toward "
                                     "quota and pay, a rate pays more for them and counts them as booked). The curve, each month's pay and the four tests "
                                     "update from the engine and the rational-rep simulator."),
                         self._measure,  # its choices are sentences: a row of its own above the grid
                         W.GridBox(self._controls[1:], layout=W.Layout(grid_template_columns="repeat(2, 410px)", grid_gap="2px 12px")),
                         W.HBox([self._image, self._bars], layout=W.Layout(flex_flow="row wrap")), self._chart_text, self._explain_box,
                         self._tests, self._frontier, *self._committee_box(), *self.footer()]

    def _committee_box(self) -> list[W.Widget]:
        """The capstone's questions from the comp committee, answered in controls (``set_committee`` is their twin): the
        answer to the bad-year risk, the transition for reps paid less, and who covers each option the reps move off.
        Saved with the plan; the brief's committee section reads them."""
        self._cw: dict[str, Any] = {}
        if not self.committee_tests:
            return []
        s, wide = {"description_width": "12em"}, W.Layout(width="820px")
        cw = self._cw
        cw["risk"] = W.ToggleButtons(options=[("not answered", ""), ("a floor", "floor"), ("a draw", "draw"), ("a reason", "reason")],
                                     value="", description="Bad-year risk", style=s)
        cw["risk_reason"] = W.Text(description="Why accept it", style=s, layout=wide, continuous_update=False,
                                   placeholder=RISK_HINT)
        cw["transition"] = W.ToggleButtons(options=[("not chosen", ""), ("a guarantee", "guarantee"), ("a phase-down", "phase-down"),
                                                    ("none", "none")], value="", description="Reps paid less", style=s)
        cw["periods"] = W.BoundedIntText(value=3, min=1, max=12, description="Phase-down periods", style=s)
        cw["reason"] = W.Text(description="Why no transition", style=s, layout=wide, continuous_update=False,
                              placeholder=TRANSITION_HINT)
        rows: list[W.Widget] = [W.HTML("<b>The comp committee asks</b> (the brief shows its tests with your answers: who earns "
                                       "less and by how much, the transition, who covers the work reps stop doing, the risk)"),
                                cw["risk"], cw["risk_reason"], cw["transition"], cw["periods"], cw["reason"]]
        for o in self.options:
            if o.name == self.prefer:
                continue
            who = W.ToggleButtons(options=[("not named", ""), ("another role", "another role"), ("a team", "a team"),
                                           ("nobody", "nobody")], value="", description=f"Covers {o.name}"[:40], style=s)
            name = W.Text(description="Who exactly", style=s, layout=wide, continuous_update=False,
                          placeholder=f"if reps move off {o.name}: the role or team that takes it over")
            cw[f"cover:{o.name}"], cw[f"name:{o.name}"] = who, name
            rows += [who, name]
        for w in cw.values():
            w.observe(lambda _c: self._committee_changed(), names="value")
        self._committee_out = W.HTML()  # the committee's tests with these answers, drawn at Check and on each answer
        rows.append(self._committee_out)
        return [W.VBox(rows, layout=W.Layout(border="1px solid var(--jp-border-color2)", padding="6px", margin="6px 0"))]

    def committee_report(self) -> list[tuple[str, str, str]]:
        """The comp committee's tests on the plan as it stands, with the learner's answers (``capstone.committee``):
        the budget against the plan in force and the starting design, pays target at planned attainment, who earns less
        and the transition, who covers the work moved off each option, the risk; [] outside the capstone or on error."""
        if not self.committee_tests or self.error:
            return []
        in_force = self.baseline or self.base_plan
        sc = self.scenario_of(in_force)
        try:
            return committee_lines(sc, in_force, self.base_plan, self.plan, self.prefer, float(self.assumed or 1.0), self.committee)
        except (CourseError, ValueError, ArithmeticError):
            return []

    def _show_committee_lines(self) -> None:
        out = getattr(self, "_committee_out", None)
        if out is None:
            return
        lines = self.committee_report()
        mark = {OK: "✔", WARN: "⚠", INFO: "•", UNSURE: "⚠"}
        out.value = clean_html("".join(f"<div>{mark.get(level, '•')} <b>{html.escape(label)}</b>: {html.escape(text)}</div>"
                                       for label, level, text in lines))

    def check(self) -> list[tuple[str, str]]:
        lines = super().check()
        self._show_committee_lines()
        return lines

    def _committee_changed(self) -> None:
        if getattr(self, "_showing_committee", False):
            return
        cw = self._cw
        answer: dict[str, Any] = {}
        if cw["risk"].value:
            answer["risk"] = {"risk": cw["risk"].value, **({"reason": cw["risk_reason"].value} if cw["risk"].value == "reason" else {})}
        if cw["transition"].value:
            answer["transition"] = cw["transition"].value
            if cw["transition"].value == "phase-down":
                answer["periods"] = int(cw["periods"].value)
            if cw["transition"].value == "none":
                answer["reason"] = cw["reason"].value
        cover = {k.split(":", 1)[1]: {"who": w.value, **({"name": cw["name:" + k.split(":", 1)[1]].value}
                                                          if w.value in ("another role", "a team") else {})}
                 for k, w in cw.items() if k.startswith("cover:") and w.value}
        if cover:
            answer["coverage"] = cover
        self.committee = {k: v for k, v in self.committee.items() if k == "target_reason"}  # the controls say the rest
        self.set_committee(answer)
        self.refresh()
        self._show_committee_lines()

    def _show_committee(self) -> None:
        """The saved committee answers back into the controls (a restart, a second notebook)."""
        cw, c = getattr(self, "_cw", {}), self.committee
        if not cw:
            return
        self._showing_committee = True
        try:
            r = c.get("risk") if isinstance(c.get("risk"), dict) else {}
            cw["risk"].value = r.get("risk") if r.get("risk") in ("floor", "draw", "reason") else ""
            cw["risk_reason"].value = str(r.get("reason") or "")
            cw["transition"].value = c.get("transition") if c.get("transition") in ("guarantee", "phase-down", "none") else ""
            if isinstance(c.get("periods"), int) and not isinstance(c.get("periods"), bool) and 1 <= c["periods"] <= 12:
                cw["periods"].value = c["periods"]
            cw["reason"].value = str(c.get("reason") or "")
            cover = c.get("coverage") if isinstance(c.get("coverage"), dict) else {}
            for k, w in cw.items():
                if k.startswith("cover:"):
                    a = cover.get(k.split(":", 1)[1]) if isinstance(cover.get(k.split(":", 1)[1]), dict) else {}
                    w.value = a.get("who") if a.get("who") in ("another role", "a team", "nobody") else ""
                    cw["name:" + k.split(":", 1)[1]].value = str(a.get("name") or "")
        finally:
            self._showing_committee = False

    def read_inputs(self) -> dict:
        period, measurement = self._measure.value
        return {"period": period, "measurement": measurement, "threshold": round(self._threshold.value, 4),
                "accelerator_from": round(self._acc_from.value, 4), "accelerator": round(self._acc_mult.value, 4),
                "cap": round(self._cap.value, 4), "cap_scope": self._cap_scope.value, "credit": round(self._credit.value, 4),
                "rate": round(self._rate.value, 4), "explanation": self._explanation.value,
                "explain": {pid: w.value for pid, w in self._explain_picks.items() if w.value is not None},
                **({"spif": int(self._spif.value)} if self.spif_control else {})}

    def show_answer(self, answer: dict) -> None:
        if isinstance(answer.get("committee"), dict):  # a saved answer's transition, coverage and risk answers
            self.committee = dict(answer["committee"])
            self._show_committee()
        # an answer saved before measurement was a choice measured each period on its own
        pair = (answer.get("period", self._measure.value[0]), answer.get("measurement", "standalone"))
        if pair in [v for _, v in self._measure.options]:
            self._measure.value = pair
        if answer.get("cap_scope") in ("period", "year"):
            self._cap_scope.value = answer["cap_scope"]
        if "cap" in answer:
            try:
                self._cap.value = cap_value(answer["cap"])  # an old 0.5 becomes 1x: the engine refuses a cap below target
            except (TypeError, ValueError):
                pass
        if isinstance(answer.get("explanation"), str):
            self._explanation.value = answer["explanation"]
        if "explain" in answer:  # the keyed parts; an answer saved before them has none: not picked yet, nothing lost
            picks = answer["explain"] if isinstance(answer["explain"], dict) else {}
            for pid, w in self._explain_picks.items():
                w.value = picks.get(pid) if picks.get(pid) in VALUES[pid] else None
        if self.spif_control and isinstance(answer.get("spif"), (int, float)) and not isinstance(answer.get("spif"), bool):
            self._spif.value = max(0, min(self._spif.max, int(answer["spif"])))
        for w, k in ((self._threshold, "threshold"), (self._acc_from, "accelerator_from"), (self._acc_mult, "accelerator"),
                     (self._credit, "credit"), (self._rate, "rate")):
            if k in answer:  # an answer saved before the rate slider has no "rate": the plan's own stays
                try:
                    w.value = max(w.min, min(w.max, float(answer[k])))
                except (TypeError, ValueError, T.TraitError):
                    pass

    def plan_for(self, a: dict) -> Plan:
        """The plan the controls describe (the base plan with these fields changed); may raise CourseError."""
        tiers = [{"from": 0.0, "multiplier": 1.0}]
        if a["accelerator"] != 1.0:
            tiers.append({"from": a["accelerator_from"], "multiplier": a["accelerator"]})
        credit = self._multipliers(self.base_plan.credit, a["credit"])
        pay_multiplier = self._multipliers(self.base_plan.pay_multiplier, a.get("rate", 1.0))
        period = a["period"]
        if self.base_plan.measures:
            return self._weighted_plan_for(a, tiers, credit, pay_multiplier)
        # per-period quotas belong to the plan's own periods: another period uses the annual total
        quotas = self.base_plan.quotas if period == self.base_plan.period else ()
        if self.base_plan.measures:  # weighted components carry their own threshold, rate curve and cap
            return self.base_plan.with_changes(
                name=plan_name(self.base_plan.name, period, a.get("measurement", "standalone")), period=period,
                measurement=a.get("measurement", "standalone"), quotas=quotas, credit=credit, pay_multiplier=pay_multiplier)
        return self.base_plan.with_changes(
            name=plan_name(self.base_plan.name, period, a.get("measurement", "standalone")),  # "Monthly flat" measured yearly is not monthly
            period=period, measurement=a.get("measurement", "standalone"), cap_scope=a.get("cap_scope", "period"),
            threshold=a["threshold"] or None, cap=a["cap"] or None, curve=(), quotas=quotas,
            tiers=tuple(Tier(t["from"], t["multiplier"]) for t in tiers), credit=credit, pay_multiplier=pay_multiplier,
            spifs=self._spifs(a.get("spif", 0)),
        )

    def priority_measure(self):
        """On a plan with weighted measures, the measure that pays the strategy's option (else the first): the threshold,
        accelerator and cap controls are its own. None for a plan with one measure."""
        ms = self.base_plan.measures
        if not ms:
            return None
        opt = next((o for o in self.options if o.name == self.prefer), None)
        return next((m for m in ms if opt is not None and m.matches(opt.segment, opt.product, None)), ms[0])

    def _weighted_plan_for(self, a: dict, tiers: list[dict], credit: dict, pay_multiplier: dict) -> Plan:
        """``plan_for`` on a plan with weighted measures: the period, measurement, cap scope and multipliers are the plan's;
        the threshold, accelerator and cap go to the measure that pays the strategy's option; the other measures stay."""
        d = to_dict(self.base_plan)
        period = a["period"]
        if period != self.base_plan.period and isinstance(d.get("quota"), list):
            d["quota"] = self.base_plan.quota
        own = self.priority_measure()
        measures = []
        for m in d["measures"]:
            m = dict(m)
            if m.get("name") == own.name:
                for k in ("threshold", "tiers", "tier_mode", "curve", "cap"):
                    m.pop(k, None)
                m.update({"threshold": a["threshold"]} if a["threshold"] else {})
                m.update({"tiers": tiers} if len(tiers) > 1 else {})
                m.update({"cap": a["cap"]} if a["cap"] else {})
            measures.append(m)
        d.update(name=plan_name(self.base_plan.name, period, a.get("measurement", "standalone")), period=period,
                 measurement=a.get("measurement", "standalone"), cap_scope=a.get("cap_scope", "period"), measures=measures,
                 credit=credit, pay_multiplier=pay_multiplier)
        traces = d.pop("traces_to", {}) or {}
        keep = set(plan_from_dict(dict(d), "<plan>").components())  # traces of a component the change removed are dropped
        return plan_from_dict({**d, "traces_to": {k: v for k, v in traces.items() if k in keep}}, "<plan>")

    def _spifs(self, amount) -> tuple:
        """The plan's SPIFs, with the control's SPIF on every priority deal, all year, when the control is on and set."""
        own = tuple(x for x in self.base_plan.spifs if x.name != SPIF_NAME)
        if not self.spif_control or not self.segment or not isinstance(amount, (int, float)) or amount <= 0:
            return own
        return own + (Spif(SPIF_NAME, float(amount), **{self.credit_kind: self.segment}),)

    def _multipliers(self, given, value: float) -> dict[str, dict[str, float]]:
        """The plan's ``credit`` or ``pay_multiplier`` with the preferred option's segment (or product) at ``value``
        (1.0 removes it); the plan's other multipliers are kept."""
        out = {k: dict(v) for k, v in given.items()}
        if self.segment:
            kind = self.credit_kind
            out.setdefault(kind, {})[self.segment] = value
            if value == 1.0:
                out[kind].pop(self.segment)
                if not out[kind]:
                    out.pop(kind)
        return out

    def refresh(self) -> None:
        """Recompute plan, simulation and charts from the current answer (what a control move triggers)."""
        try:
            self.plan = self.plan_for(self.answer)
            self.result = simulate_cached(self.plan, self.options, self.prefer)
            self.error = ""
        except CourseError as exc:  # a plan the engine refuses: say why, keep the last good charts
            self.error, self.result = str(exc), None
            self._tests.value = "<b>The four tests</b>" + feedback_html(self.tests())
            return
        pays = [o.payout for o in self.result.options]
        changed = [k for k in CONTROL_NAMES if self._last is not None and self._last[0].get(k) != self.answer.get(k)]
        if changed or self._last is None:  # typing the explanation changes no chart
            # "before" is the plan just before this change (the last one computed), and only when no option's pay moved
            same = self._last is not None and all(abs(a - b) < 0.005 for a, b in zip(pays, self._last[1], strict=True))
            mix, cost = dict(self.result.best_mix), self._cost(self.answer)
            self.mix_moved = self.what_mix_moved(changed, mix, cost) if changed and same else ""
            self.binding = self.what_binds(changed) if changed and same and not self.mix_moved else ""
            self.binding_change = self._describe_change(self._last[0], changed) if self.binding or self.mix_moved else ""
            self.redraw()
        self._last = (dict(self.answer), pays, dict(self.result.best_mix), self._cost(self.answer))
        shown = [(WARN if level == UNSURE else level, text) for level, text in self.tests()]
        self._tests_drawn = {text for _, text in shown}
        self._tests.value = "<b>The four tests</b>" + feedback_html(shown)
        self._draw_explain()
        self._frontier.value = self.frontier_html()

    def explain_parts(self) -> list[Part]:
        """The keyed parts of "Can we explain it in 60 seconds?" for the plan as it stands (``explain.parts``): on a plan
        with weighted measures, the threshold, accelerator and cap of the measure that pays the strategy's option."""
        shape = None
        if self.plan.measures:
            own = self.priority_measure()
            shape = next((sub for m, sub in zip(self.plan.measures, measure_plans(self.plan)) if m.name == own.name), None)
        return explain_parts(self.plan, self.segment, shape)

    def explain_key(self) -> dict[str, str]:
        """The right pick of each keyed part for the plan as it stands (what a learner who reads it right picks)."""
        return {p.id: p.right for p in self.explain_parts()}

    def _draw_explain(self) -> None:
        """Each part the plan has, its question and lettered options drawn from the plan; the parts it lacks hidden."""
        asked = {p.id: p for p in self.explain_parts()}
        for pid, row in self._explain_rows.items():
            p = asked.get(pid)
            row.layout.display = None if p else "none"
            if p:
                opts = "".join(f"<li><b>{LETTERS[i]}.</b> {esc(t)}</li>" for i, (_v, t) in enumerate(p.options))
                self._explain_text[pid].value = (f"<div style='margin:6px 0 2px'>{esc(p.question)}<ul style='list-style:none;"
                                                 f"padding-left:1em;margin:2px 0'>{opts}</ul></div>")
                self._explain_picks[pid].tooltips = [f"{LETTERS[i]}. {t}" for i, (_v, t) in enumerate(p.options)]

    def _restore(self, saved: dict) -> None:
        """An answer checked before the explanation had keyed parts comes back as changed since its check (check again):
        its controls and words load, nothing is lost, and it is not done until the parts are picked."""
        if "explain" not in saved and saved.get("_feedback") and status_of(saved):
            saved = {**saved, "_stale": True}
        super()._restore(saved)

    def _describe_change(self, before: dict, changed: list[str]) -> str:
        """'measurement period from X to Y' for the controls that changed between ``before`` and the answer now."""
        out = []
        if {"period", "measurement"} & set(changed):
            out.append(f"measurement period from “{measure_label(before['period'], before.get('measurement', 'standalone'))}” to "
                       f"“{measure_label(self.answer['period'], self.answer.get('measurement', 'standalone'))}”")
        out += [f"{CONTROL_NAMES[k]} from {_show(k, before[k])} to {_show(k, self.answer[k])}"
                for k in changed if k not in ("period", "measurement")]
        return ", ".join(out)

    def changed(self) -> bool:
        """True once the learner has moved a control away from the plan as given (the explanation, its keyed parts and a
        pick of a keyed choice are no change)."""
        ignore = (*EXPLAINING, "keyed", "keyed_text")
        return {k: v for k, v in self.answer.items() if k not in ignore} != {
            k: v for k, v in self._base_answer.items() if k not in ignore}

    # the code that draws the charts, for the key of their precomputed copy (coursekit.engine.precomputed)
    CHARTS_CODE = ("engine", "exercises/plan_tester", "exercises/theme.py")

    def draw(self) -> None:
        """The curve, the month bars and their table alternative: the copy ``coursekit build`` stored for exactly these
        inputs (the course's own scenario, the plan as given: ``charts_key``), else drawn now."""
        charts = precompute.lookup(precompute.note_of(self.key), self.charts_key())
        if not (isinstance(charts, dict) and all(isinstance(charts.get(k), str) for k in ("curve", "bars", "text"))):
            charts = self.draw_charts()
        self._image.value = base64.b64decode(charts["curve"])
        self._bars.value = base64.b64decode(charts["bars"])
        self._chart_text.value = charts["text"]

    def charts_key(self) -> str:
        """The precompute key of the charts now: the plan, the plan as given when it is drawn beside it, the assumed
        attainment, the options and the strategy's option, and the drawing code (``CHARTS_CODE``, matplotlib's release, and
        numpy's: the month bars are the simulator's seeded draws)."""
        inputs = {"plan": to_dict(self.plan), "compare": to_dict(self.base_plan) if self.changed() else None,
                  "assumed": self.assumed, "options": [o.__dict__ for o in self.options], "prefer": self.prefer}
        return precompute.entry_key("plan_tester.charts", inputs, precompute.code_hash(self.CHARTS_CODE, ("matplotlib", "numpy")))

    # the code that computes the simulator's runs (and their cache keys), for the key of their precomputed copy
    RUNS_CODE = ("engine", "exercises/plan_tester")

    def runs_key(self) -> str:
        """The precompute key of the runs the first refresh asks for: the plan as given, the plan in force it is costed
        against, the options and the strategy's option, and the code (``RUNS_CODE``, numpy's release: its seeded draws).
        Each stored run also carries its own cache key, so it serves only a run with exactly its inputs."""
        inputs = {"plan": to_dict(self.base_plan), "baseline": to_dict(self.baseline) if self.baseline is not None else None,
                  "options": [o.__dict__ for o in self.options], "prefer": self.prefer}
        return precompute.entry_key("plan_tester.runs", inputs, precompute.code_hash(self.RUNS_CODE, ("numpy",)))

    def draw_charts(self) -> dict[str, str]:
        """Draw the charts live: ``{"curve": PNG, "bars": PNG (base64), "text": their table alternative (HTML)}``."""
        fig = curve_figure(self.plan, assumed=self.assumed, compare=self.base_plan if self.changed() else None)
        ax = fig.axes[0]
        name = self.plan.name  # says how the plan is measured now (plan_name): never "Monthly flat" measured over the year
        said = ", measured " in name  # the name already says how it is measured
        if self.plan.measurement == "standalone":
            ax.set_title(_wrap(f"{name}: incentive per {PER[self.plan.period]}" + ("" if said else f" ({self.plan.period} measurement)")))
        else:  # the curve is read at each true-up, on attainment of the quota to date
            ax.set_title(_wrap(f"{name}: incentive to date" + ("" if said else f" (year to date, paid {self.plan.period})")))
            ax.set_xlabel("attainment of quota to date (%)")
            ax.set_ylabel("payout (x target incentive to date)")
        caps = [t for t in ax.texts if t.get_text().startswith("cap ")]
        if len(caps) == 2 and abs(caps[0].xy[1] - caps[1].xy[1]) < 0.12 * ax.get_ylim()[1]:
            caps[0].xyann = (-4, -12)  # the earlier plan's cap label goes under its line, clear of the new one
        curve = theme.themed_png(fig)
        months = months_cached(self.plan, self.options, self.prefer)
        labels = [calendar.month_abbr[m % 12 + 1] for m in range(len(next(iter(months.values()), [])))]  # the scenario starts in January
        bars = theme.themed_png(month_bars(months, labels, pay_chart_title(self.plan), self.prefer))
        return {"curve": base64.b64encode(curve).decode(), "bars": base64.b64encode(bars).decode(),
                "text": self._describe_charts(months, labels, ax.get_title())}

    def _describe_charts(self, months: dict[str, list[float]], labels: list[str], title: str) -> str:
        """Alt text and table alternatives for the curve and the month bars (the images carry no text of their own)."""
        title = " ".join(title.split())
        points = [0.0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0]
        shares = period_payout(self.plan, np.array(points), cents=False) / self.plan.period_ti
        # (no ``tooltip`` on a W.Image: JupyterLab's ImageView then fails to render; the text goes beside the image)
        return (
            theme.table_alternative(f"Chart: {title}, payout against attainment", ("attainment", "payout (x target incentive)"),
                                    [(f"{p:.0%}", f"{v:.2f}") for p, v in zip(points, shares)])
            + theme.table_alternative(f"Chart: {pay_chart_title(self.plan)}, each month's pay per option", ("month", *months),
                                      [(m, *(f"{pays[i]:,.0f}" for pays in months.values())) for i, m in enumerate(labels)]))

    def period_attainments(self, name: str, plan: Plan | None = None) -> list[float]:
        """Each measurement period's attainment for a rep spending the year on option ``name`` (expected deals).
        Quota credit only: a rate differential (pay multiplier) pays more and credits no quota."""
        plan = plan or self.plan
        opt = next(o for o in self.options if o.name == name)
        per = plan.months_per_period
        credited = [0.0] * (12 // per)
        mult = plan.credit_multiplier(opt.segment, opt.product)
        for k in range(12 // opt.cycle_months):
            month = (k + 1) * opt.cycle_months - 1
            credited[month // per] += opt.deals_per_cycle * opt.win_rate * opt.deal_size * mult
        # a plan of weighted components: attainment of the quota of the component the option's deals credit
        quota = plan.measures[measure_of(plan, opt.segment, opt.product)].plan.period_quota if plan.measures else plan.period_quota
        return [c / quota for c in credited]

    def read_attainments(self, name: str, plan: Plan) -> list[float]:
        """The attainments that set a year's pay on option ``name``: each period's on its own, or (cumulative) the year
        to date at the last true-up, which the earlier ones are trued up to."""
        att = self.period_attainments(name, plan)
        return att if plan.measurement != "cumulative" else [sum(att) / len(att)]

    def what_mix_moved(self, changed: list[str], mix: dict[str, float], cost: Fraction | None) -> str:
        """When a change left every full-time year's pay where it was but moved the rep's best mix or what it costs: say
        so, and why (a mix stacks deals into one period, and the changed control pays the period a deal lands in)."""
        _, _, before_mix, before_cost = self._last
        mix_same = set(mix) == set(before_mix) and all(abs(mix[k] - before_mix[k]) < 1e-9 for k in mix)
        if mix_same and cost == before_cost:
            return ""
        controls = list(dict.fromkeys(CONTROL_NAMES[k] for k in changed))
        what = f"the {controls[0]}" if len(controls) == 1 else "what you changed"
        per = PER[self.plan.period]
        parts = []
        if not mix_same:
            parts.append(f"the payout-maximizing rep now {_how(mix)} (before: {_how(before_mix)})")
        if cost is not None and before_cost is not None and cost != before_cost:
            parts.append(f"the rep's choice costs {tenths(cost)} per 100 of bookings (before {tenths(before_cost)})")
        return (" and ".join(parts) + f". A mix reaches what a full-time year does not: it stacks deals into a {per}, and "
                f"{what} pays on the {per} a deal is stacked into (timing), so the rep's best year moved while no "
                f"full-time year did.")

    def what_binds(self, changed: list[str]) -> str:
        """Why a change left every option's pay where it was: the cap, the threshold, or attainment out of reach."""
        p, per = self.plan, PER[self.plan.period]
        adj = {"year": "annual", "quarter": "quarterly", "month": "monthly"}[per]
        what = " or ".join(dict.fromkeys(CONTROL_NAMES[k] for k in changed))
        before = self._last[0] if self._last else {}
        if set(changed) == {"credit", "rate"} and before.get("credit", 1.0) * before.get("rate", 1.0) == \
                self.answer["credit"] * self.answer["rate"]:  # one traded for the other, the same size
            return (f"on this plan {article(self.segment)} credit and {article(self.segment)} rate of the same size pay alike; "
                    f"only the attainment they report differs.")
        controls = list(dict.fromkeys(CONTROL_NAMES[k] for k in changed))
        if len(controls) > 1:  # each may have moved pay and the other moved it back: no one cause to name
            return (f"your changes to the {' and the '.join(controls)} offset each other (or none of them reaches pay here); "
                    f"change one at a time to see what each does.")
        names = [self.prefer] + [o.name for o in self.options if o.name != self.prefer]
        per_period = p.measurement == "standalone" and p.cap_scope == "period"
        for name in names:
            att = self.period_attainments(name)
            if p.cap is not None and per_period:
                opt = next(o for o in self.options if o.name == name)
                # a rate differential multiplies the period's earnings before the cap, as the engine pays them
                free = period_payout(p.with_changes(cap=None), att, cents=False) * p.pay_multiplier_for(opt.segment, opt.product)
                ceiling = p.cap * p.period_ti
                if any(f > ceiling + 0.5 for f in free):
                    paid = max(min(f, ceiling) for f in free)
                    return f"the {adj} cap of {p.cap:g}x pays the {name} {per} {money(paid)} whatever the {what}."
        for name in names:
            att = self.period_attainments(name)
            if p.threshold and p.measurement == "standalone" and any(0 < a < p.threshold for a in att):
                return f"below the {p.threshold:.0%} threshold a {name} {per} pays nothing whatever the {what}."
        reach = ", ".join(f"{n} {per}s reach {max(self.period_attainments(n)):.0%}" for n in names)
        return f"no option reaches the part of the curve the {what} changes: {reach} of {per} quota."

    # --- the four tests ---

    def tests(self) -> list[tuple[str, str]]:
        if self.result is None:
            return [(WARN, f"This plan cannot be tested: {self.error or 'it has not been computed'}")]
        r = self.result
        if self.wanted():
            first, money_test, wins, how = self._mix_tests(r)
        else:
            first, money_test, wins, how = self._option_tests(r)
        return self._rest_of_tests(r, first, money_test, wins, how)

    def _option_tests(self, r: Result) -> tuple[tuple[str, str], str, bool, str]:
        """The first two tests for a strategy that wants one option: (the strategy line, the money line, wins, how)."""
        pay = {o.name: o for o in r.options}
        want = pay[self.prefer]
        other = max((o for o in r.options if o.name != self.prefer), key=lambda o: o.payout)
        how = _how(r.best_mix)
        tie = abs(want.payout - other.payout) < 0.5  # the same to the currency unit shown
        clear = clearly_wins(want.payout, other.payout)  # a tie or a sliver moves nobody
        sliver = not tie and want.payout > other.payout and not clear
        split = splits_toward(r, self.prefer)  # the rep's best year is a mix, not the priority full-time
        lead = (f"a full-time year on {self.prefer} pays {money(want.payout)}, only {money(want.payout - other.payout)} "
                f"({pct(margin(want.payout, other.payout), '0.1', down=True)}) more than a full-time year on {other.name} "
                f"({money(other.payout)})" + (f", and a rep does better still with a mix (the payout-maximizing rep {how})" if split else
                                              ", and a sliver moves nobody")
                + f": a clear win pays at least {pct(CLEAR_MARGIN)} more") if sliver else ""
        yes = follows_strategy(r, self.prefer)
        q1 = "Would a rep following this plan execute our strategy?"
        if tie:
            # a tie moves nobody: whatever the simulator's tie-break, a rep gains nothing by doing what we want
            first = (WARN, f"{q1} No: a year on {self.prefer} pays the same as a "
                           f"year on {other.name} ({money(want.payout)}), and a tie moves nobody"
                           + ("" if yes else f"; the payout-maximizing rep {how}") + f". {self.tie_fix(want)}")
        elif yes and sliver:
            first = (WARN, f"{q1} Not clearly: the payout-maximizing rep {how}, but {lead}. {self.tie_fix(want)}")
        elif split:
            # the verdict follows what the rep does: a split does only part of what the strategy wants
            first = (WARN, f"{q1} Partly: the payout-maximizing rep {how}; the rep follows the strategy only with all effort "
                           f"(or all but {1 - FOLLOWS_SHARE:.0%}) on {self.prefer}. {self.tie_fix(want)}")
        else:
            gap = f"; the company gives up {money(r.revenue_gap)} of revenue." if r.revenue_gap > 0 and not r.aligned else "."
            first = (OK if yes else WARN, f"{q1} {'Yes' if yes else 'No'}: the payout-maximizing rep {how}{gap}")
        wins = clear
        q2 = "Would they make more money doing what we want than gaming the system?"
        if tie:
            money_test = (f"{q2} No: a year on {self.prefer} pays {money(want.payout)}, the same as a year on {other.name}; a tie "
                          f"moves nobody.")
        elif sliver:
            money_test = f"{q2} Not clearly: {lead}."
        else:
            money_test = (f"{q2} {'Yes' if wins else 'No'}: a year on {self.prefer} pays {money(want.payout)}, a year on "
                          f"{other.name} pays {money(other.payout)}.")
            money_test += self.only_just(want, other)
        return first, money_test, wins, how

    def _mix_tests(self, r: Result) -> tuple[tuple[str, str], str, bool, str]:
        """The first two tests for a strategy that wants a mix of effort (``mix``): the rep's best mix within one 10% step
        of the wanted share on every option, and the year at the wanted mix at least 2% above the best year with effort
        moved more than one step away from it (``engine.frontier.passes``)."""
        sc = self.scenario_of(self.plan)
        e = mix_edge(sc, self.plan)
        how, words = _how(r.best_mix), wanted_words(sc.wanted)
        q1 = "Would a rep following this plan execute our strategy?"
        if near(r.best_mix, sc.wanted):
            first = (OK, f"{q1} Yes: the payout-maximizing rep {how}, within one 10% step of the mix the strategy wants ({words}).")
        else:
            first = (WARN, f"{q1} No: {misses(r, sc)}. A rep follows the strategy's mix when their best year is within one "
                           f"10% step of the wanted share on every option ({words}).")
        q2 = "Would they make more money doing what we want than gaming the system?"
        away = _how(dict(e.away_mix)).replace("puts all effort on", "all effort on").replace("splits effort: ", "")
        m = e.margin
        by = pct(m, "0.1", down=True) if m is not None else "all of it"
        if e.wins:
            money_test = (f"{q2} Yes: a year at the mix you want pays {money(e.wanted.payout)}, {by} more than the best year with "
                          f"effort moved more than one step away from it ({away}: {money(e.away.payout)}). A rep who moves effort "
                          f"more than one 10% step away from the mix you want earns less: the mix pays at least the "
                          f"{pct(CLEAR_MARGIN)} more a clear win needs. A mix within one step of it counts as the mix you "
                          f"want, and may pay a little more than it.")
        else:
            gap = (f"only {by} less: a clear win needs the mix you want to pay at least {pct(CLEAR_MARGIN)} more"
                   if e.wanted.payout > e.away.payout else "as much or more: a rep gains by moving effort away from the mix you want")
            money_test = (f"{q2} No: a year at the mix you want pays {money(e.wanted.payout)}; the best year with effort moved "
                          f"more than one step away from it ({away}) pays {money(e.away.payout)}, {gap}.")
        return first, money_test, e.wins, how

    def _rest_of_tests(self, r: Result, first: tuple[str, str], money_test: str, wins: bool, how: str) -> list[tuple[str, str]]:
        q1 = "Would a rep following this plan execute our strategy?"
        smallest = self._smallest() if first[0] == OK and wins and self.changed() else []
        cheaper = any(c for _, c in smallest)  # a smaller step of a control the learner moved would do
        afford, extra = self.afford(moved_onto=first[0] == OK)
        if afford[0] == WARN and first[0] == OK and wins and not cheaper and extra is not None and extra <= REASONED_EXTRA \
                and self.budget is None:  # over a stated budget is a No, not a judgement call
            # the rep now clearly does what the strategy wants at the smallest step that does it: whether the strategy's
            # dollar is worth the extra cost is the company's judgement, so a written reason can accept it (not any price)
            afford = (UNSURE, afford[1])
        follows = first[0] == OK  # the rep clearly follows the strategy (before the committee asks about the risk)
        on = (self.scenario_of(self.plan), self.plan) if self.wanted() else (None, None)  # a wanted mix: its bad year
        if self.committee_tests and follows and risk(r, self.prefer, *on)["risky"]:
            level, said = risk_line(r, self.prefer, self.committee.get("risk") if isinstance(self.committee.get("risk"), dict) else None, *on)
            if level == WARN:  # the committee asks for a floor, a draw or a written reason instead of Yes
                first = (UNSURE, f"{q1} Yes on average, but not for every year: the payout-maximizing rep {how}; {said[:1].lower()}"
                                 f"{said[1:]} If you accept the risk, mark it done with your reason below.")
        lines = [first, (OK if wins else WARN, money_test),
                 explanation_line(self.answer.get("explanation", ""), self.answer.get("explain"), self.explain_parts()), afford]
        lines += self.cap_lines()
        left = left_out_line(levers_moved(self.base_plan, self.plan), self.frontier_exclude)
        if left:
            lines.append(left)
        if self.wanted() and not follows:
            lines.append((INFO, MIX_IS_HARD))
        if (self.plan.period, self.plan.measurement) == ("annual", "standalone"):
            # module 1's misconception "pay annually": the tests area names no payment, so say it (the control's label does)
            lines.append((INFO, "Measured over the year: still paid monthly (or quarterly) on year-to-date results, not once a year."))
        if follows and wins and self.changed():  # the cheapest plan that works, before the notes on the last change
            lines += frontier_lines(self.frontier(), self._budget(self.answer), True, refuse=self.committee_tests,
                                    exclude=self.frontier_exclude)
        held = "; ".join(f"{o.name} {money(o.payout)}" for o in self.result.options)
        if self.binding:
            lines.append((INFO, f"Your last change ({self.binding_change}) left a year on each option paying what it did just before "
                                f"it ({held}): {self.binding}"))
        elif self.mix_moved:
            lines.append((INFO, f"Your last change ({self.binding_change}) left a full-time year on each option paying what it did "
                                f"just before it ({held}), but not the rep's best year: {self.mix_moved}"))
        lines += [(INFO, s) for s in self.multiplier_notes()]
        lines += [(INFO, s) for s, _ in smallest]
        return lines

    def cap_lines(self) -> list[tuple[str, str]]:
        """A cap below 2x target incentive, on the plan (``cap_line``) and on each weighted component (its own cap, at a
        multiple of its share of the target incentive), with how many simulated reps it caps in the year."""
        out = [line] if (line := cap_line(self.plan.cap)) else []
        for m in self.plan.measures:
            c = m.plain().get("cap")
            if not c or c >= TOP_CAP:
                continue
            n, free = self._capped_on(m)
            count = f" {n} of the {self.population.reps:,} simulated reps are capped on it in a year." if n is not None else ""
            at = f"{m.name} stops paying at {c:g}x its target (its share of {cap_target(m.plan)})"
            held = self._holds_mix(free)
            if held:  # the cap is what makes the wanted mix pay: its cost said, not "lift it"
                out.append((INFO, f"Does the cap on {m.name} leave top performers their upside? Not all of it, by design: {at}, "
                                  f"and this cap holds the mix you want: without it the rep's best year {held}.{count} That "
                                  f"is the price of the mix: say so in your reason, and watch those reps' pay."))
                continue
            best = self.result.best_mix if self.result is not None else {}
            binds = n > 0 if n is not None else (mix_cached(free, self.options, self.prefer, best).payout
                                                  > mix_cached(self.plan, self.options, self.prefer, best).payout)
            if not binds:  # no simulated rep (else: not the rep's best year) reaches it: a caution, not a failed test
                who = (f"None of the {self.population.reps:,} simulated reps reaches it in a year" if n is not None else
                       "The rep's best year does not reach it")
                out.append((INFO, f"Does the cap on {m.name} leave top performers their upside? Not above {c:g}x: {at}, below "
                                  f"the {TOP_CAP:g}x a healthy plan leaves top performers. {who}; a top performer who would "
                                  f"stops there. Raise it to at least {TOP_CAP:g}x, or remove it."))
                continue
            out.append((WARN, f"Does the cap on {m.name} leave top performers their upside? No: {at}, below the {TOP_CAP:g}x "
                              f"a healthy plan leaves top performers.{count} Raise it to at least {TOP_CAP:g}x, or remove it."))
        return out

    def _holds_mix(self, free: Plan) -> str:
        """With a wanted mix that the plan passes, what the rep's best year does once the plan ``free`` lifts one cap, when
        it then fails the mix rule ("puts all effort on ..."); "" when the cap does not hold the mix (or no mix)."""
        if not self.wanted() or not passes(self.scenario_of(self.plan), self.plan, self.result):
            return ""
        sc = self.scenario_of(free)
        r = simulate_cached(free, self.options, self.prefer)
        if passes(sc, free, r):
            return ""
        return _how(r.best_mix) if not near(r.best_mix, sc.wanted) else "stays on the mix, but no longer clearly pays more than moving off it"

    def _cap_warned(self) -> bool:
        """A cap line is among the tests (``cap_lines``): a cap below 2x on the plan or on a weighted component."""
        return cap_line(self.plan.cap) is not None or any(0 < (m.plain().get("cap") or 0) < TOP_CAP for m in self.plan.measures)

    def _capped_on(self, m: Any) -> tuple[int | None, Plan]:
        """How many of the simulated population's reps (each booking the rational rep's mix) the cap on measure ``m``
        cuts: their year pays more with that one cap lifted (None without a population); and that plan."""
        d = to_dict(self.plan)  # from the plan's own keys (the tester's caches key a plan by them)
        d["measures"] = [{k: v for k, v in x.items() if k != "cap"} if x.get("name") == m.name else x for x in d["measures"]]
        free = plan_from_dict(d)
        if self.population is None:
            return None, free
        effort = simulate_cached(self.plan, self.options, self.prefer).best_mix
        paid = _population(self.plan, self.population, self.options, effort)["payout"]
        more = _population(free, self.population, self.options, effort)["payout"]
        return int((more > paid + 0.005).sum()), free

    def frontier(self) -> Frontier:
        """The search of the plan space around the plan as given (engine.frontier), once per tester: the cheapest plan
        that works and each single change, to set the learner's design against."""
        key = json.dumps([to_dict(self.base_plan), [o.__dict__ for o in self.options], self.prefer, str(self.population),
                          sorted(self.frontier_exclude), self.wanted()], sort_keys=True, default=str)
        if key not in _FRONTIERS:
            sc = self.scenario_of(self.base_plan)
            _FRONTIERS[key] = frontier_search(sc, exclude=self.frontier_exclude)
        return _FRONTIERS[key]

    def _budget(self, answer: dict) -> Fraction | None:
        """The budget under the plan ``answer`` describes, as the frontier prices it: the population's incentive per
        100 of bookings (each rep booking the rational rep's mix), else the rep's own year's."""
        if self.population is None:
            return self._cost(answer)
        try:
            plan = self.plan_for(answer)
        except CourseError:
            return None
        r = simulate_cached(plan, self.options, self.prefer)
        pop = _population(plan, self.population, self.options, r.best_mix)
        return Fraction(str(pop["total_payout"])) * 100 / Fraction(str(pop["total_revenue"])) if pop["total_revenue"] else None

    def frontier_html(self) -> str:
        """The frontier chart as an image with its alt text, once the learner's change makes the rep clearly follow the
        strategy (as the tests add the cheapest plan's lines); "" before."""
        r = self.result
        if r is None or not self.changed():
            return ""
        if self.wanted():
            if not passes(self.scenario_of(self.plan), self.plan, r):
                return ""
        elif not follows_strategy(r, self.prefer):
            return ""
        elif not clearly_wins(next(o.payout for o in r.options if o.name == self.prefer),
                              max(o.payout for o in r.options if o.name != self.prefer)):
            return ""
        key = (id(self.frontier()), self._mine())
        if key not in _CHARTS:
            if len(_CHARTS) > 64:
                _CHARTS.clear()
            fig = self.frontier_chart()
            data = base64.b64encode(theme.themed_png(fig)).decode()
            _CHARTS[key] = (f'<img src="data:image/png;base64,{data}" alt="{html.escape(fig.alt, quote=True)}" '
                            f'style="max-width:520px">')
        return _CHARTS[key]

    def _mine(self) -> tuple[float, float] | None:
        """The learner's design on the frontier chart: (the budget, the strategy's option's margin)."""
        r = self.result
        if r is None:
            return None
        if self.wanted():
            cost, m = self._budget(self.answer), mix_edge(self.scenario_of(self.plan), self.plan).margin
            return (float(cost), float(m)) if cost is not None and m is not None else None
        want = next(o.payout for o in r.options if o.name == self.prefer)
        cost, m = self._budget(self.answer), margin(want, max(o.payout for o in r.options if o.name != self.prefer))
        return (float(cost), float(m)) if cost is not None and m is not None else None

    def frontier_chart(self):
        """Cost against margin of the plans that work, the learner's design marked (alt text in ``fig.alt``)."""
        return frontier_figure(self.frontier(), self._mine())

    def works(self, answer: dict) -> bool:
        """The first two tests pass on the plan ``answer`` describes: the rep puts all effort on the strategy's option
        and a year on it clearly wins (``CLEAR_MARGIN`` more than any other: a tie or a sliver moves nobody)."""
        try:
            plan = self.plan_for(answer)
        except CourseError:
            return False
        r = simulate_cached(plan, self.options, self.prefer)
        if self.wanted():
            return passes(self.scenario_of(plan), plan, r)
        want = next(o for o in r.options if o.name == self.prefer)
        best_other = max((o.payout for o in r.options if o.name != self.prefer), default=0.0)
        return follows_strategy(r, self.prefer) and clearly_wins(want.payout, best_other)

    def wanted(self) -> dict[str, float] | None:
        """The wanted mix over the tester's options ({option: share}), or None: no mix, or one naming an option the
        tester no longer has (the options were edited since)."""
        if not self.mix:
            return None
        names = [o.name for o in self.options]
        if set(self.mix) - set(names):
            return None
        return {n: float(self.mix.get(n, 0.0)) for n in names}

    def scenario_of(self, plan: Plan) -> Scenario:
        """The scenario the tests run on: ``plan`` with the tester's options, strategy (and wanted mix) and population."""
        mix = self.wanted()
        return Scenario(plan, self.options, prefer=self.prefer, population=self.population,
                        mix=tuple((n, v) for n, v in mix.items() if v) if mix else None)

    def tie_fix(self, want) -> str:
        """What clearly flips a tie: the smallest step up of the priority's rate (pay only) or credit that works, or
        why none does."""
        p = self.plan
        if p.cap is not None and want.payout >= p.cap * p.target_incentive - 0.5:
            return (f"The cap holds a year on {self.prefer} at {money(want.payout)}: no credit or rate flips it until the cap "
                    f"is raised or removed.")
        if not self.segment:  # no credit or rate slider for the strategy's option
            return "Change what pays both the same: the measurement period, the threshold, the accelerator or the cap."
        moved = [k for k in ("credit", "rate") if self.answer[k] != self._base_answer[k]]
        for key in moved + [k for k in ("rate", "credit") if k not in moved]:
            now = self.answer[key]
            w = self._credit if key == "credit" else self._rate
            grid = [v for v in self._grid(key, now, w.max) if v > now]
            best = first_that_works(grid, lambda v, key=key: self.works({**self.answer, key: v}))
            if best is not None:
                what = {"credit": f"the {self.segment} credit multiplier", "rate": f"the {self.segment} rate differential"}[key]
                return (f"The smallest step that clearly flips the choice, in steps of {w.step:g}: {what} at {_show(key, best)} "
                        f"with your other settings.")
        return "Change what pays both the same: no step of the credit or the rate flips it with your other settings."

    def multiplier_notes(self) -> list[str]:
        """A credit multiplier above 1: how it inflates attainment, and what a rate differential of the same size pays
        instead (simulated, with the reason when they differ). A rate differential alone: that attainment reads as booked."""
        credit, rate = self.answer.get("credit", 1.0), self.answer.get("rate", 1.0)
        want = next(o for o in self.result.options if o.name == self.prefer)
        if not self.segment or not want.revenue or (credit <= 1 and rate <= 1):
            return []
        if credit == 1:
            return [rate_note(self.segment, self.prefer, rate, want.revenue, self.plan.quota)]
        if credit < 1:  # a credit below 1 deflates attainment: not this note's case
            return []
        alt_rate = round(credit * rate, 4)  # the same size: credit x any rate already set
        try:  # both plans from the answer itself (the plan shown may still be the last one the engine accepted)
            alt = self.plan_for({**self.answer, "credit": 1.0, "rate": alt_rate})
            mine = self.plan_for(self.answer)
        except CourseError:
            return []
        r = simulate_cached(alt, self.options, self.prefer)
        other = next(o for o in r.options if o.name == self.prefer)
        rate_answer = {**self.answer, "credit": 1.0, "rate": alt_rate}
        opt = next(o for o in self.options if o.name == self.prefer)
        per = "year" if mine.measurement == "cumulative" else PER[mine.period]  # what the curve is read on
        edges = edges_crossed(mine, self.read_attainments(self.prefer, alt), self.read_attainments(self.prefer, mine),
                              per, varies=opt.win_rate < 1)
        return [credit_note(self.segment, self.prefer, credit, alt_rate, want.revenue, mine.quota, per,
                            (want.payout, other.payout), (self.works(self.answer), self.works(rate_answer)),  # a tie follows nothing
                            edges)]

    @staticmethod
    def only_just(want, other) -> str:
        """A win a risk-averse rep may not take: within ``ONLY_JUST`` (5%) of the other option ("Only just"), or a bad
        year (P10) below the other option's average (the risk named, the win not doubted)."""
        if want.payout <= other.payout:
            return ""
        m = margin(want.payout, other.payout)
        risky = want.p10 < other.payout
        close = m is not None and m < ONLY_JUST
        if not close and not risky:
            return ""
        by = f"{money(want.payout - other.payout)} ({pct(m, '0.1', down=True) if m is not None else 'all of it'})"  # 4.96% never reads 5%
        bad = f"in a bad year (P10) it pays {money(want.p10)}, less than the {money(other.payout)} of an average year on {other.name}"
        if not close:
            return f" It wins on average by {by}, but {bad}; a rep who dislikes risk may not take it."
        return " Only just: it wins by " + by + (f" and {bad}" if risky else "") + ", so a rep who dislikes risk may not take it."

    def afford(self, moved_onto: bool = False) -> tuple[tuple[str, str], Fraction | None]:
        """"Can we afford it?": the rep's chosen mix, pay per 100 of bookings, against the plan as given (or the
        ``baseline``, the plan the company runs today); and how much
        more per 100 it pays than before (None without revenue). ``moved_onto``: the rep now follows the strategy (the
        first test passes), so a "No" states the break-even value of the priority's dollar when the plan as given did not
        move the rep there."""
        if self.committee_tests and self.baseline is not None:
            # the committee's budget (issue 24): ONE figure, the committee box's (the population's incentive per 100 of
            # bookings), against the plan in force AND the learner's starting design; one rep's year labelled as such.
            # The tester and the committee box cannot disagree: this is the committee's own line.
            sc = self.scenario_of(self.plan)
            line = committee_afford(sc, self.baseline, self.base_plan, self.plan, self.cost_tolerance)
            mine = committee_budget(sc, self.plan, "the proposal").budget
            rows = [committee_budget(sc, p, "").budget for p in (self.baseline, self.base_plan)]
            worst = min((b for b in rows if b is not None), default=None)  # the stricter of the two
            return line, (mine - worst if mine is not None and worst is not None else None)
        return self._afford_against(self.baseline or self.base_plan,
                                    "the plan the company runs today" if self.baseline is not None else "", moved_onto)

    def _afford_against(self, base_plan: Plan, baseline: str, moved_onto: bool) -> tuple[tuple[str, str], Fraction | None]:
        r = self.result
        before = simulate_cached(base_plan, self.options, self.prefer)
        now_mix = mix_cached(self.plan, self.options, self.prefer, r.best_mix)
        before_mix = mix_cached(base_plan, self.options, self.prefer, before.best_mix)
        pop = mixes = None
        if self.population is not None:  # each plan's reps book the mix its rational rep books
            pop = tuple(_population(p, self.population, self.options, res.best_mix) for p, res in ((self.plan, r), (base_plan, before)))
            mixes = tuple(mix_words(booking_shares(self.options, res.best_mix)) for res in (r, before))
        priority = self.segment if moved_onto and not follows_strategy(before, self.prefer) else None
        now, before = per_100(now_mix.payout, now_mix.revenue), per_100(before_mix.payout, before_mix.revenue)
        extra = now - before if now is not None and before is not None else None
        if self.budget is not None and not baseline:  # a stated budget: the limit is the sidecar's figure
            return budget_line(now_mix, before_mix, self.budget, pop, mixes), extra
        return cost_line(now_mix, before_mix, self.cost_tolerance, pop, priority, mixes, follows=moved_onto, baseline=baseline), extra

    def smallest_changes(self) -> list[str]:
        """For each control the learner moved from the plan as given: the smallest move that still makes the rep
        clearly follow the strategy, found by bisection on the simulator over the control's allowed values."""
        return [text for text, _ in self._smallest()]

    def _smallest(self) -> list[tuple[str, bool]]:
        """``smallest_changes`` with, for each line, whether a cheaper step than the learner's would do."""
        out = []
        for key in self.NUMERIC:
            old, new = self._base_answer[key], self.answer[key]
            if old == new:
                continue
            what = {"credit": f"the {self.segment} credit multiplier", "rate": f"the {self.segment} rate differential",
                    "cap": "the cap", "threshold": "the threshold",
                    "accelerator": "the accelerator", "accelerator_from": "the accelerator's start"}[key]

            def at(v: float, key: str = key, what: str = what) -> str:  # "no cap", never "the cap at none"
                return "no cap" if key == "cap" and v == 0 else f"{what} at {_show(key, v)}"

            def chosen(v: float, key: str = key) -> str:
                return "no cap" if key == "cap" and v == 0 else _show(key, v)

            mine = self._cost(self.answer)
            if self.works({**self.answer, key: old}):
                given = self._cost({**self.answer, key: old})
                if mine is not None and given is not None and mine < given:  # a move that saves money (a lower accelerator)
                    out.append((f"Your change to {what} is not needed for the rep to follow the strategy, but it costs less: "
                                f"{tenths(mine)} per 100 of bookings against {tenths(given)} with {what} as given "
                                f"({chosen(old)}).", False))
                else:
                    same = mine is not None and mine == given  # compared exactly: equal cents, equal cost
                    out.append((f"Your change to {what} is not needed: with your other changes the rep follows the strategy "
                                f"with {what} as given ({chosen(old)}), which costs {'the same here' if same else 'less'}.", not same))
                continue
            best = smallest_change(self._grid(key, old, new), lambda v, key=key: self.works({**self.answer, key: v}))
            if best is None:
                continue
            shown, steps = _show(key, best), self._steps(key)
            least = self._cost({**self.answer, key: best})
            if best != new and mine is not None and least is not None and mine < least:
                out.append((f"The smallest move of {what} that works, in steps of {steps}, is {chosen(best)}; yours ({chosen(new)}) "
                            f"goes further and costs less: {tenths(mine)} per 100 of bookings against {tenths(least)}.", False))
            elif key == "cap" and 0 < new < TOP_CAP and best == new:
                # never proposed: a cap below 2x target incentive takes away what top performers earn
                out.append((f"Your cap of {shown} is not offered as the smallest change that works: below {TOP_CAP:g}x target "
                            f"incentive it takes away what top performers earn{' (see above)' if self._cap_warned() else ''}, and no cap of {TOP_CAP:g}x or more "
                            f"between the plan's and yours makes the rep follow the strategy with your other changes.", False))
            elif best == new and key == "cap" and new == 0:
                out.append((f"The smallest change that works: no cap, as you chose; with any cap of {CAPS[-1][1]:g}x target "
                            f"incentive or less the rep no longer clearly follows the strategy.", False))
            elif best == new:
                out.append((f"The smallest change that works, in steps of {steps}: {what} at {shown}, the value you chose; "
                            f"one step less and the rep no longer clearly follows the strategy.", False))
            else:
                same = mine is not None and mine == least  # compared exactly: "costs less" only when it does
                why = (f"here it costs the same ({tenths(mine)} per 100 of bookings), but it is the smaller change" if same else
                       "a smaller change costs less")
                out.append((f"The smallest change that works, in steps of {steps}: {at(best)} (you chose {chosen(new)}); {why}.",
                            not same))
        return out

    def _cost(self, answer: dict) -> Fraction | None:
        """Pay per 100 of bookings of the rep's chosen mix on the plan ``answer`` describes (None when it cannot be had)."""
        try:
            plan = self.plan_for(answer)
        except CourseError:
            return None
        r = simulate_cached(plan, self.options, self.prefer)
        chosen = mix_cached(plan, self.options, self.prefer, r.best_mix)
        return per_100(chosen.payout, chosen.revenue)

    def _steps(self, key: str) -> str:
        if key == "cap":
            return "0.25x target incentive"
        w = {"threshold": self._threshold, "accelerator_from": self._acc_from, "accelerator": self._acc_mult,
             "credit": self._credit, "rate": self._rate}[key]
        return f"{w.step:.0%}" if key in ("threshold", "accelerator_from") else f"{w.step:g}"

    def _grid(self, key: str, old: float, new: float) -> list[float]:
        """The control's allowed values from just past ``old`` to ``new`` (the cap's "none" is the highest)."""
        if key == "cap":
            order = [c for _, c in CAPS[1:]] + [0.0]  # none is beyond every cap
            i, j = order.index(cap_value(old)), order.index(cap_value(new))
            grid = order[i + 1: j + 1] if j > i else order[j: i][::-1]
            # a cap below 2x target incentive is never proposed, only the learner's own value (the last) is tried
            return [c for c in grid[:-1] if c == 0 or c >= TOP_CAP] + grid[-1:]
        w = {"threshold": self._threshold, "accelerator_from": self._acc_from, "accelerator": self._acc_mult,
             "credit": self._credit, "rate": self._rate}[key]
        n = round((w.max - w.min) / w.step)
        values = [round(w.min + k * w.step, 4) for k in range(n + 1)]
        if new > old:
            return [v for v in values if old < v < new] + [new]
        return [v for v in values if new < v < old][::-1] + [new]

    @T.observe("feedback")
    def _render_feedback(self, change) -> None:
        """Under Check, a summary: the tests themselves are shown once, above it."""
        # the feedback of a check is the tests as they were then (OK/WARN lines) and notes (INFO): the summary
        # counts the check's own lines, not today's tests, so a later change cannot make it contradict itself
        mine = [tuple(x) for x in change["new"] if x[0] != INFO]
        # notes the tests above already show are not repeated (what refresh last drew: no engine call from here, as
        # this runs while an answer is still being taken in)
        # and the keyed choices' lines (right, or the misconception behind a wrong pick), which the tests above do not draw
        asked = tuple(str(c.get("question", "The choice")) for c in self.keyed_choices)
        rest = [tuple(x) for x in change["new"] if (x[0] == INFO and x[1] not in self._tests_drawn) or (asked and x[1].startswith(asked))]
        fails = sum(1 for level, _ in mine if level == WARN)
        summary = ([(OK, f"Checked and saved: all {len(mine)} tests pass.")] if mine and not fails else
                   [(WARN, f"Checked and saved: {fails} of {len(mine)} tests fail (see above).")] if mine else [])
        self._feedback.value = feedback_html(summary + rest)

    def evaluate(self, answer: dict) -> list[tuple[str, str]]:
        return self.tests()

    def saved_extras(self) -> dict:
        extras = {"_plan": plain(to_dict(self.plan)), "_base_plan": plain(to_dict(self.base_plan))}
        return {**extras, "committee": dict(self.committee)} if self.committee else extras

    def start_over(self, plan: Plan, options: list[Option] | tuple[Option, ...], prefer: str, *, baseline: Plan | None = None,
                   population: Population | None = None, mix: Mapping[str, float] | None = None) -> None:
        """The tester built again, in place, on another plan and options (the learner's own company entered in the
        capstone's options editor, ``ScenarioEditor.drive``): the controls start from ``plan``, the tests, the committee's
        box and what Check saves for the brief follow. The saved answer is written again only when the learner changes
        or checks this one (a design for the worked example is not lost by opening the company)."""
        self.base_plan = self.plan = plan
        self.options, self.prefer, self.baseline, self.population = tuple(options), prefer, baseline, population
        self.mix = dict(mix) if mix else None
        preferred = next((o for o in self.options if o.name == prefer), None)
        self.credit_kind = "segment" if preferred and preferred.segment else "product"
        self.segment = (preferred.segment or preferred.product) if preferred else None
        self.result, self.error, self._last, self._tests_drawn = None, "", None, set()
        self.committee = {}  # answers about another company's options and risk: asked again on this one
        self.checked = self.attempted = False
        self.feedback = []
        self.build()
        self._untouched = self._shown_answer()
        self.set_answer(self._base_answer, save=False)

    def set_committee(self, answer: dict) -> None:
        """The learner's answers to the comp committee (the transition for those paid less, who covers the work moved
        off an option, the answer to the bad-year risk, why a rep at plan does not earn target), saved with the plan
        for the brief; a key the committee does not ask is refused in one line."""
        unknown = sorted(set(answer) - set(COMMITTEE_FIELDS))
        if unknown:
            raise CourseError.at("committee", unknown[0], "is not asked by the committee", "use " + ", ".join(COMMITTEE_FIELDS))
        self.committee = {**self.committee, **answer}
        self._show_committee()
        self._store(self._record())

    def results_frame(self):
        """What a year on each option earns a rep (mean and spread) and brings the company, from the simulator."""
        pd = course_pandas()

        rows = [{"option": o.name, "revenue": f"{money(o.revenue)}", "rep payout": f"{money(o.payout)}",
                 "bad year (P10)": f"{money(o.p10)}", "good year (P90)": f"{money(o.p90)}",
                 "pay per 100 of bookings": f"{o.payout / o.revenue * 100:.1f}" if o.revenue else "-",
                 "strategy wants it": (f"{self.wanted()[o.name]:.0%} of effort" if self.wanted() else
                                       "yes" if o.name == self.prefer else "")} for o in self.result.options]
        return pd.DataFrame(rows).set_index("option")


def _how(mix: dict[str, float]) -> str:
    """What the payout-maximizing rep does with a year's effort, in words."""
    spread = [(k, v) for k, v in mix.items() if v > 0]
    if len(spread) == 1:
        return f"puts all effort on {spread[0][0]}"
    return "splits effort: " + ", ".join(f"{v:.0%} on {k}" for k, v in spread)


def _wrap(title: str, width: int = 58) -> str:
    """A chart title on as many lines as it needs: a long plan name is never cut at the figure's edge."""
    import textwrap

    return "\n".join(textwrap.wrap(title, width)) or title


def _show(key: str, value: float | str) -> str:
    if isinstance(value, str):  # the cap's scope
        return {"period": "per measurement period", "year": "per year"}.get(value, value)
    if key == "cap":
        return "none" if value == 0 else f"{value:g}x target incentive"
    if key in ("threshold", "accelerator_from"):
        return f"{value:.0%}"
    if key == "spif":
        return f"{value:,.0f}"
    return f"{value:g}x"


_POPULATIONS: dict[tuple, dict] = {}
_FRONTIERS: dict[str, Frontier] = {}
_CHARTS: dict[tuple, str] = {}  # the frontier chart drawn, by frontier and the learner's point (its alt text)


def _population(plan: Plan, pop: Population, options: tuple[Option, ...], effort: dict[str, float]) -> dict:
    """The population under ``plan``, each rep's bookings in the mix the ``effort`` split books (the rational rep's)."""
    mix = booking_mix(options, effort)
    key = (plan, pop, mix)
    if key not in _POPULATIONS:
        if len(_POPULATIONS) > 256:
            _POPULATIONS.clear()
        _POPULATIONS[key] = population(plan, pop, mix=mix)
    return _POPULATIONS[key]


def company_tester(answers: Any, *, key: str, course: Any = None, assumed_attainment: float = 1.0, **kw: Any) -> PlanTester:
    """A plan tester on the learner's own company (its plan in force, its options, the option the strategy wants), for
    any module: ``company_tester(answers, key=MODULE + "/my-company")`` (from ``coursekit.notebook``). Raises CourseError (one line) until the company
    is entered in the capstone's options editor and checks clean."""
    inputs = company_inputs(answers, course)
    if inputs is None:
        raise CourseError.at("your company", "company", "is not entered yet, or has a problem",
                             "enter it in the capstone's options editor (Design for: My own company) and press Check")
    sc = scenario_from_dict(inputs.scenario)
    return PlanTester(plan=sc.plan, options=sc.options, prefer=inputs.prefer, assumed_attainment=assumed_attainment,
                      population=sc.population, mix=inputs.mix, answers=answers, key=key, **kw)
