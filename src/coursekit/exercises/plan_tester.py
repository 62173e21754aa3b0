"""Plan tester: change the plan, watch the payout curve and the note's three tests answered with numbers."""

from __future__ import annotations

import ipywidgets as W

from ..engine.audit import explain, explain_seconds
from ..engine.plan import PERIODS, Plan, Tier
from ..engine.plot import curve_figure, png_bytes
from ..engine.simulate import Option, Result, Scenario, simulate
from .base import OK, WARN, Exercise


class PlanTester(Exercise):
    """Edits a tiered plan: pay period, threshold, accelerator (from, multiplier), cap, credit multiplier
    for the strategy's segment. Every change redraws the curve and re-runs the simulator."""

    title = "Test the plan: would you pay for what you say you want?"

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
        super().__init__(**kw)  # records the restored answer (or the base plan's settings), which runs refresh()

    def build(self) -> None:
        p = self.base_plan
        tiers = p.effective_tiers()
        acc = tiers[1] if len(tiers) > 1 else None
        s = {"description_width": "12em"}
        lay = W.Layout(width="400px")
        self._period = W.Dropdown(options=list(PERIODS), value=p.period, description="Pay period", style=s, layout=lay)
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
        self._watch(*self._controls)
        self.observe(lambda _c: self.refresh(), names="answer")
        self._image = W.Image(format="png", layout=W.Layout(max_width="640px"))
        self._tests = W.HTML()
        self.children = [self.header("Move the sliders (a threshold or cap of 0 means none). The curve and the three tests update from the engine and the rational-rep simulator."),
                         W.GridBox(self._controls, layout=W.Layout(grid_template_columns="repeat(2, 410px)", grid_gap="2px 12px")),
                         self._image, self._tests, self._check_button, self._feedback]

    def read_inputs(self) -> dict:
        return {"period": self._period.value, "threshold": round(self._threshold.value, 4), "accelerator_from": round(self._acc_from.value, 4),
                "accelerator": round(self._acc_mult.value, 4), "cap": round(self._cap.value, 4), "credit": round(self._credit.value, 4)}

    def show_answer(self, answer: dict) -> None:
        for w, k in zip(self._controls, ("period", "threshold", "accelerator_from", "accelerator", "cap", "credit")):
            if k in answer:
                try:
                    w.value = answer[k] if k == "period" else max(w.min, min(w.max, float(answer[k])))
                except (TypeError, ValueError, W.TraitError):
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
        self.redraw()
        self._tests.value = "<b>The note's three tests</b>" + _html_lines(self.tests())

    def draw(self) -> None:
        fig = curve_figure(self.plan, assumed=self.assumed, compare=self.base_plan if self.plan != self.base_plan else None)
        self._image.value = png_bytes(fig)

    def tests(self) -> list[tuple[str, str]]:
        r = self.result
        pay = {o.name: o for o in r.options}
        want = pay[self.prefer]
        other = max((o for o in r.options if o.name != self.prefer), key=lambda o: o.payout)
        share = r.best_mix.get(self.prefer, 0.0)
        secs = explain_seconds(self.plan)
        return [
            (OK if r.aligned else WARN,
             f"Would a rep following this plan execute our strategy? {'Yes' if r.aligned else 'No'}: the payout-maximizing rep "
             f"picks {r.rep_choice} and puts {share:.0%} of effort on {self.prefer}" +
             ("." if r.aligned else f"; the company gives up {r.revenue_gap:,.0f} of revenue.")),
            (OK if want.payout >= other.payout else WARN,
             f"Would they make more money doing what we want than gaming the system? {'Yes' if want.payout >= other.payout else 'No'}: "
             f"a year on {self.prefer} pays {want.payout:,.0f}, a year on {other.name} pays {other.payout:,.0f}."),
            (OK if secs <= 60 else WARN,
             f"Can we explain the plan's logic in under 60 seconds? {'Yes' if secs <= 60 else 'No'}: "
             f"{len(explain(self.plan).split())} words, {secs:.0f} seconds read aloud."),
        ]

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


def _html_lines(lines) -> str:
    from .base import feedback_html

    return feedback_html(lines)

