"""Plan audit: trace each component of a plan to a priority or planning assumption; see the audit's findings."""

from __future__ import annotations

import ipywidgets as W

from ..engine.audit import Strategy, audit, explain
from ..engine.plan import Plan
from .base import OK, WARN, Exercise, esc

NOTHING = "(nothing: cut it)"


class PlanAudit(Exercise):
    """For each component of ``plan`` the learner picks what it traces to; ``check()`` runs the audit."""

    title = "Audit the plan against the strategy"

    def __init__(self, plan: Plan, strategy: Strategy, **kw):
        self.plan, self.strategy = plan, strategy
        self.targets = [p.name for p in strategy.priorities] + list(strategy.assumptions)
        super().__init__(**kw)

    def build(self) -> None:
        # the designers' own traces stay selectable even when they name nothing in the strategy
        opts = [NOTHING] + self.targets + sorted(set(self.plan.traces_to.values()) - set(self.targets))
        self._picks = {c: W.Dropdown(options=opts, value=self.plan.traces_to.get(c, NOTHING),
                                     description=c, style={"description_width": "14em"}, layout=W.Layout(width="520px"))
                       for c in self.plan.components()}
        self._watch(*self._picks.values())
        pris = "".join(f"<li><b>{esc(p.name)}</b>: {esc(p.behavior)} (cycle {p.cycle_months} months)</li>" for p in self.strategy.priorities)
        self.children = [self.header("Each component must trace to a priority or a planning assumption. Pick its line, then check: "
                                     "the audit also tests pay period, payoff by option, curve shape and the 60-second explanation."),
                         W.HTML(f"<div><b>Plan:</b> {esc(explain(self.plan))}</div><div><b>Strategy:</b><ul>{pris}</ul></div>"),
                         *self._picks.values(), self._check_button, self._feedback]

    def read_inputs(self) -> dict:
        return {"traces": {c: w.value for c, w in self._picks.items()}}

    def show_answer(self, answer: dict) -> None:
        traces = answer.get("traces", {}) if isinstance(answer, dict) else {}
        for c, w in self._picks.items():
            v = traces.get(c, NOTHING)
            w.value = v if v in w.options else NOTHING

    def audited_plan(self, answer: dict) -> Plan:
        traces = {c: t for c, t in answer["traces"].items() if t != NOTHING}
        return self.plan.with_changes(traces_to=traces)

    def evaluate(self, answer: dict) -> list[tuple[str, str]]:
        found = audit(self.audited_plan(answer), self.strategy)
        if not found:
            return [(OK, "No findings: every component traces to the strategy and the plan pays for what it says it wants.")]
        return [(WARN, f"{f.component}: {f.evidence}. Fix: {f.fix}.") for f in found]
