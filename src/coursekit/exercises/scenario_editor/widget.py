"""The capstone's options editor: each option's deal size, sales cycle, deals per cycle and win rate
in boxes, never in YAML. ``scenario()`` is the scenario mapping the capstone's plan tester takes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ipywidgets as W

from coursekit.capstone.checks import options_feedback
from coursekit.capstone.inputs import apply_options
from coursekit.engine.scenario import Option, scenario_from_dict
from coursekit.exercises.scenario_editor.kind import KIND
from coursekit.exercises.widget import Exercise, clamped, esc
from coursekit.feedback import WARN

_S = {"description_width": "11em"}


class ScenarioEditor(Exercise):
    """Edits the options of ``scenario`` (a scenario mapping with its plan inline). The answer keeps
    only the option fields (``{"options": [{name, deal_size, deals_per_cycle, cycle_months, win_rate}]}``)
    so the scenario's plan and strategy stay the course's."""

    title = "Your options: deal sizes, cycles and win rates"
    kind = KIND.name

    def __init__(self, scenario: Mapping[str, Any], renamed: Mapping[str, str] | None = None, **kw: Any):
        """``renamed``: scenario option name -> the learner's priority that claims it (``CapstoneInputs.renamed``); each
        option is then shown under both names ("new logo — win competitive logos"), as the tester and brief call it."""
        scenario_from_dict(dict(scenario))  # a course scenario must be valid before anyone edits it
        self.base_scenario = dict(scenario)
        self.option_names = [str(o["name"]) for o in scenario["options"]]
        self.renamed = {str(k): str(v) for k, v in (renamed or {}).items() if str(k) in self.option_names}
        super().__init__(**kw)

    def build(self) -> None:
        self._inputs: dict[str, dict[str, W.Widget]] = {}
        boxes = []
        for o in self.base_scenario["options"]:
            name = str(o["name"])
            w = {
                "deal_size": W.BoundedIntText(value=int(o["deal_size"]), min=1, max=100_000_000, step=1000,
                                              description="Deal size", style=_S, layout=W.Layout(width="22em")),
                "cycle_months": W.BoundedIntText(value=int(o.get("cycle_months", 1)), min=1, max=36,
                                                 description="Sales cycle (months)", style=_S, layout=W.Layout(width="22em")),
                "deals_per_cycle": W.BoundedFloatText(value=float(o.get("deals_per_cycle", 1)), min=0, max=1000, step=0.5,
                                                      description="Deals per cycle", style=_S, layout=W.Layout(width="22em")),
                "win_rate": W.BoundedIntText(value=round(float(o.get("win_rate", 1.0)) * 100), min=0, max=100,
                                             description="Win rate (%)", style=_S, layout=W.Layout(width="22em")),
            }
            self._inputs[name] = w
            seg = " ".join(x for x in (o.get("segment"), o.get("product")) if x)
            label = f"{name} — {self.renamed[name]}" if name in self.renamed else name
            boxes.append(W.VBox([W.HTML(f"<b>{esc(label)}</b>" + (f" <span style='color:var(--jp-ui-font-color2)'>({esc(seg)})</span>" if seg else "")),
                                 W.GridBox(list(w.values()), layout=W.Layout(grid_template_columns="repeat(2, 23em)"))],
                                layout=W.Layout(border="1px solid var(--jp-border-color2, #ccc)", padding="4px", margin="2px 0")))
            self._watch(*w.values())
        named = (" An option one of your priorities claims shows both names: the scenario's, then your priority's, which the "
                 "tester and the brief use." if self.renamed else "")
        self.children = [self.header("Put in your organization's numbers from the CRM. The plan tester below runs on these options."
                                     + named),
                         *boxes, self._check_button, self._feedback]

    def read_inputs(self) -> dict:
        rows = []
        for name, w in self._inputs.items():
            rows.append({"name": name, "deal_size": int(w["deal_size"].value), "cycle_months": int(w["cycle_months"].value),
                         "deals_per_cycle": float(w["deals_per_cycle"].value), "win_rate": round(w["win_rate"].value / 100, 4)})
        return {"_kind": self.kind, "options": rows}

    def show_answer(self, answer: dict) -> None:
        rows = answer.get("options") if isinstance(answer, dict) and isinstance(answer.get("options"), list) else []
        by_name = {str(r.get("name")): r for r in rows if isinstance(r, dict)}
        for o in self.base_scenario["options"]:
            got = by_name.get(str(o["name"]), {})
            w = self._inputs[str(o["name"])]
            for k, default in (("deal_size", o["deal_size"]), ("cycle_months", o.get("cycle_months", 1)),
                               ("deals_per_cycle", o.get("deals_per_cycle", 1))):
                w[k].value = clamped(w[k], got.get(k), default)
            w["win_rate"].value = round(clamped(w["win_rate"], _pct(got.get("win_rate")), float(o.get("win_rate", 1.0)) * 100))

    def evaluate(self, answer: dict) -> list[tuple[str, str]]:
        lines = options_feedback(answer, self.base_scenario)
        if not self._differs(answer):  # the scenario's own numbers are nobody's CRM: nothing of the learner's yet
            lines.append((WARN, "These are still the scenario's own numbers: change at least one to what your CRM says."))
        return lines

    def rests_on_reasons(self) -> bool:
        """The learner's CRM numbers are theirs: the course checks they can be used, not that they are true (written)."""
        return True

    def scenario(self) -> dict:
        """The scenario mapping with the options as edited (fields the engine refuses keep the scenario's values)."""
        return apply_options(self.base_scenario, self.answer)

    def options(self, renamed: Mapping[str, str] | None = None) -> tuple[Option, ...]:
        """The edited options; ``renamed`` (scenario name -> priority name) names them as the capstone's strategy does."""
        names = dict(self.renamed if renamed is None else renamed)
        sc = self.scenario()
        sc["options"] = [{**o, "name": names.get(str(o["name"]), o["name"])} for o in sc["options"]]
        if isinstance(sc.get("strategy"), dict) and "prefer" in sc["strategy"]:
            sc["strategy"] = {"prefer": names.get(str(sc["strategy"]["prefer"]), sc["strategy"]["prefer"])}
        return scenario_from_dict(sc).options

    def drive(self, tester: Any, renamed: Mapping[str, str] | None = None) -> None:
        """Make ``tester`` (a PlanTester) follow these options: every edit re-runs its simulator and redraws it."""
        def follow(_change: Any = None) -> None:
            tester.options = self.options(renamed)
            tester.refresh()

        self.observe(follow, names="answer")


def _pct(v: Any) -> float | None:
    return v * 100 if isinstance(v, (int, float)) and not isinstance(v, bool) else None
