"""Plan tester: change the plan, watch the payout curve and the note's three tests answered with numbers."""

from __future__ import annotations

import ipywidgets as W
import traitlets as T

from ..engine.audit import explain, explain_seconds
from ..engine.plan import PERIODS, Plan, Tier
from ..engine.plot import curve_figure
from ..engine.simulate import Option, Result, Scenario, simulate
from .base import INFO, OK, WARN, Exercise, feedback_html

CONTROL_NAMES = {"period": "measurement period", "threshold": "threshold", "accelerator_from": "accelerator's start",
                 "accelerator": "accelerator", "cap": "cap", "credit": "credit multiplier"}
PER = {"annual": "year", "quarterly": "quarter", "monthly": "month"}


class PlanTester(Exercise):
    """Edits a tiered plan: pay period, threshold, accelerator (from, multiplier), cap, credit multiplier
    for the strategy's segment. Every change redraws the curve and re-runs the simulator."""

    title = "Test the plan: would you pay for what you say you want?"
    kind = "plan_tester"

    def __init__(self, plan: Plan, options: list[Option] | tuple[Option, ...], prefer: str, assumed_attainment: float = 1.0, **kw):
        self.base_plan = plan
        self.options = tuple(options)
        self.prefer = prefer
        self.assumed = assumed_attainment
        preferred = next((o for o in self.options if o.name == prefer), None)
        # the credit slider boosts the preferred option's segment, or its product when it has no segment
        self.credit_kind = "segment" if preferred and preferred.segment else "product"
        self.segment = (preferred.segment or preferred.product) if preferred else None
        self.plan = plan
        self.result: Result | None = None
        self.binding = ""  # what holds pay still when a change changes nothing
        self._last: tuple[dict, list[float]] | None = None
        super().__init__(**kw)  # records the restored answer (or the base plan's settings), which runs refresh()

    def build(self) -> None:
        p = self.base_plan
        tiers = p.effective_tiers()
        acc = tiers[1] if len(tiers) > 1 else None
        s = {"description_width": "12em"}
        lay = W.Layout(width="400px")
        self._period = W.Dropdown(options=list(PERIODS), value=p.period, description="Measurement period", style=s, layout=lay)
        self._threshold = W.FloatSlider(value=p.threshold or 0.0, min=0, max=0.9, step=0.05, description="Threshold",
                                        readout_format=".0%", style=s, layout=lay, continuous_update=False)
        self._acc_from = W.FloatSlider(value=acc.start if acc else 1.0, min=0.5, max=2.0, step=0.05, description="Accelerator from",
                                       readout_format=".0%", style=s, layout=lay, continuous_update=False)
        self._acc_mult = W.FloatSlider(value=(acc.multiplier or 1.0) if acc else 1.0, min=1.0, max=4.0, step=0.25,
                                       description="Accelerator x rate", style=s, layout=lay, continuous_update=False)
        self._cap = W.FloatSlider(value=p.cap or 0.0, min=0, max=5, step=0.25, description="Cap x target",
                                  style=s, layout=lay, continuous_update=False)
        credit = p.credit.get(self.credit_kind, {}).get(self.segment, 1.0) if self.segment else 1.0
        self._credit = W.FloatSlider(value=credit, min=0.5, max=3.0, step=0.25, description=f"{(self.segment or 'priority').capitalize()} credit x",
                                     style=s, layout=lay, continuous_update=False, disabled=self.segment is None)
        self._controls = [self._period, self._threshold, self._acc_from, self._acc_mult, self._cap, self._credit]
        self._base_answer = self.read_inputs()  # the plan as given: "before your changes" is drawn only after a change
        self._watch(*self._controls)
        self.observe(lambda _c: self.refresh(), names="answer")
        self._image = W.Image(format="png", layout=W.Layout(max_width="640px"))
        self._tests = W.HTML()
        self.children = [self.header("Move the sliders (a threshold or cap of 0 means none). The curve and the three tests update from the engine and the rational-rep simulator."),
                         W.GridBox(self._controls, layout=W.Layout(grid_template_columns="repeat(2, 410px)", grid_gap="2px 12px")),
                         self._image, self._tests, *self.footer()]

    def read_inputs(self) -> dict:
        return {"period": self._period.value, "threshold": round(self._threshold.value, 4), "accelerator_from": round(self._acc_from.value, 4),
                "accelerator": round(self._acc_mult.value, 4), "cap": round(self._cap.value, 4), "credit": round(self._credit.value, 4)}

    def show_answer(self, answer: dict) -> None:
        for w, k in zip(self._controls, ("period", "threshold", "accelerator_from", "accelerator", "cap", "credit")):
            if k in answer:
                try:
                    w.value = answer[k] if k == "period" else max(w.min, min(w.max, float(answer[k])))
                except (TypeError, ValueError, T.TraitError):
                    pass

    def plan_for(self, a: dict) -> Plan:
        """The plan the sliders describe (the base plan with these fields changed)."""
        tiers = [{"from": 0.0, "multiplier": 1.0}]
        if a["accelerator"] != 1.0:
            tiers.append({"from": a["accelerator_from"], "multiplier": a["accelerator"]})
        credit = {k: dict(v) for k, v in self.base_plan.credit.items()}
        if self.segment:
            kind = self.credit_kind
            credit.setdefault(kind, {})[self.segment] = a["credit"]
            if a["credit"] == 1.0:
                credit[kind].pop(self.segment)
                if not credit[kind]:
                    credit.pop(kind)
        return self.base_plan.with_changes(
            period=a["period"], threshold=a["threshold"] or None, cap=a["cap"] or None, curve=(),
            tiers=tuple(Tier(t["from"], t["multiplier"]) for t in tiers), credit=credit,
        )

    def refresh(self) -> None:
        """Recompute plan, simulation and curve from the current answer (what a slider move triggers)."""
        self.plan = self.plan_for(self.answer)
        self.result = _simulate(self.plan, self.options, self.prefer)
        pays = [o.payout for o in self.result.options]
        changed = [k for k in CONTROL_NAMES if self._last is not None and self._last[0].get(k) != self.answer.get(k)]
        self.binding = self.what_binds(changed) if changed and self._last is not None and pays == self._last[1] else ""
        self._last = (dict(self.answer), pays)
        self.redraw()
        self._tests.value = "<b>The note's three tests</b>" + feedback_html(self.tests())

    def changed(self) -> bool:
        """True once the learner has moved a control away from the plan as given."""
        return self.answer != self._base_answer

    def draw(self) -> None:
        from .theme import themed_png

        fig = curve_figure(self.plan, assumed=self.assumed, compare=self.base_plan if self.changed() else None)
        ax = fig.axes[0]
        # the base plan's name may say "Monthly" when the learner has made it quarterly
        name = self.base_plan.name if self.plan.period == self.base_plan.period else "Your plan"
        ax.set_title(f"{name}: incentive per {PER[self.plan.period]} ({self.plan.period} measurement)")
        caps = [t for t in ax.texts if t.get_text().startswith("cap ")]
        if len(caps) == 2 and abs(caps[0].xy[1] - caps[1].xy[1]) < 0.12 * ax.get_ylim()[1]:
            caps[0].xyann = (-4, -12)  # the earlier plan's cap label goes under its line, clear of the new one
        self._image.value = themed_png(fig)

    def period_attainments(self, name: str) -> list[float]:
        """Each measurement period's attainment for a rep spending the year on option ``name`` (expected deals)."""
        opt = next(o for o in self.options if o.name == name)
        per = self.plan.months_per_period
        credited = [0.0] * (12 // per)
        mult = self.plan.credit_multiplier(opt.segment, opt.product)
        for k in range(12 // opt.cycle_months):
            month = (k + 1) * opt.cycle_months - 1
            credited[month // per] += opt.deals_per_cycle * opt.win_rate * opt.deal_size * mult
        return [c / self.plan.period_quota for c in credited]

    def what_binds(self, changed: list[str]) -> str:
        """Why a change left every option's pay where it was: the cap, the threshold, or attainment out of reach."""
        from ..engine.payout import period_payout

        p, per = self.plan, PER[self.plan.period]
        adj = {"year": "annual", "quarter": "quarterly", "month": "monthly"}[per]
        what = " or ".join(CONTROL_NAMES[k] for k in changed)
        names = [self.prefer] + [o.name for o in self.options if o.name != self.prefer]
        for name in names:
            att = self.period_attainments(name)
            if p.cap is not None:
                capped = period_payout(p, att, cents=False)
                free = period_payout(p.with_changes(cap=None), att, cents=False)
                if any(f > c + 0.5 for f, c in zip(free, capped)):
                    return f"the {adj} cap of {p.cap:g}x pays the {name} {per} {max(capped):,.0f} whatever the {what}."
        for name in names:
            att = self.period_attainments(name)
            if p.threshold and any(0 < a < p.threshold for a in att):
                return f"below the {p.threshold:.0%} threshold a {name} {per} pays nothing whatever the {what}."
        reach = ", ".join(f"{n} {per}s reach {max(self.period_attainments(n)):.0%}" for n in names)
        return f"no option reaches the part of the curve the {what} changes: {reach} of {per} quota."

    def tests(self) -> list[tuple[str, str]]:
        r = self.result
        pay = {o.name: o for o in r.options}
        want = pay[self.prefer]
        other = max((o for o in r.options if o.name != self.prefer), key=lambda o: o.payout)
        secs = explain_seconds(self.plan)
        spread = [(k, v) for k, v in r.best_mix.items() if v > 0]
        how = (f"puts all effort on {spread[0][0]}" if len(spread) == 1 else
               "splits effort: " + ", ".join(f"{v:.0%} on {k}" for k, v in spread))
        if abs(want.payout - other.payout) < 0.5:
            first = (OK, f"Would a rep following this plan execute our strategy? Only just: a year on {self.prefer} pays the same as a year "
                         f"on {other.name} ({want.payout:,.0f}), so a rep gains nothing by choosing {self.prefer}.")
        else:
            # the verdict follows what the rep does: most of the effort on the priority, not just its full-time pay
            share = r.best_mix.get(self.prefer, 0.0)
            yes = bool(r.aligned) and share >= max(r.best_mix.values()) and share >= 0.5
            gap = f"; the company gives up {r.revenue_gap:,.0f} of revenue." if r.revenue_gap > 0 and not r.aligned else "."
            first = (OK if yes else WARN, f"Would a rep following this plan execute our strategy? {'Yes' if yes else 'No'}: "
                                          f"the payout-maximizing rep {how}{gap}")
        lines = [
            first,
            (OK if want.payout >= other.payout else WARN,
             f"Would they make more money doing what we want than gaming the system? {'Yes' if want.payout >= other.payout else 'No'}: "
             f"a year on {self.prefer} pays {want.payout:,.0f}, a year on {other.name} pays {other.payout:,.0f}."),
            (OK if secs <= 60 else WARN,
             f"Can we explain the plan's logic in under 60 seconds? {'Yes' if secs <= 60 else 'No'}: "
             f"{len(explain(self.plan).split())} words, {secs:.0f} seconds read aloud."),
        ]
        if self.binding:
            lines.append((INFO, f"A year on each option pays what it did before this change: {self.binding}"))
        return lines

    @T.observe("feedback")
    def _render_feedback(self, change) -> None:
        """Under Check, a summary: the tests themselves are shown once, above it."""
        tests = {text for _, text in self.tests()} if self.result else set()
        mine = [tuple(x) for x in change["new"] if x[1] in tests]
        rest = [tuple(x) for x in change["new"] if x[1] not in tests]
        fails = sum(1 for level, _ in mine if level == WARN)
        summary = ([(OK, "Checked and saved: all three tests pass.")] if mine and not fails else
                   [(WARN, f"Checked and saved: {fails} of 3 tests fail (see above).")] if mine else [])
        self._feedback.value = feedback_html(summary + rest)

    def evaluate(self, answer: dict) -> list[tuple[str, str]]:
        return self.tests()

    def saved_extras(self) -> dict:
        from ..engine.plan import to_dict
        from ..yamlio import plain

        return {"_plan": plain(to_dict(self.plan)), "_base_plan": plain(to_dict(self.base_plan))}

    def results_frame(self):
        """What a year on each option earns a rep and brings the company, from the simulator."""
        import pandas as pd

        rows = [{"option": o.name, "revenue": f"{o.revenue:,.0f}", "rep payout": f"{o.payout:,.0f}",
                 "pay per 100 of revenue": f"{o.payout / o.revenue * 100:.1f}" if o.revenue else "-",
                 "strategy wants it": "yes" if o.name == self.prefer else ""} for o in self.result.options]
        return pd.DataFrame(rows).set_index("option")


_SIMULATIONS: dict[str, Result] = {}


def _simulate(plan: Plan, options: tuple[Option, ...], prefer: str) -> Result:
    """Simulations are pure functions of plan and options: the live widget, its worked example and
    a learner moving a slider back and forth ask for the same ones again."""
    import copy
    import json

    from ..engine.plan import to_dict

    key = json.dumps([to_dict(plan), [o.__dict__ for o in options], prefer], sort_keys=True, default=str)
    if key not in _SIMULATIONS:
        if len(_SIMULATIONS) > 512:
            _SIMULATIONS.clear()
        _SIMULATIONS[key] = simulate(Scenario(plan, options, prefer=prefer))
    return copy.deepcopy(_SIMULATIONS[key])
