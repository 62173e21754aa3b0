"""The capstone's options editor: each option's deal size, sales cycle, deals per cycle and win rate
in boxes, never in YAML. ``scenario()`` is the scenario mapping the capstone's plan tester takes."""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import ipywidgets as W
import yaml

from coursekit.capstone.checks import options_feedback
from coursekit.capstone.company import company_problems, company_scenario, month_of
from coursekit.capstone.inputs import apply_options, own_company_inputs
from coursekit.engine.frontier import wanted_words
from coursekit.engine.scenario import Option, scenario_from_dict
from coursekit.exercises.scenario_editor.kind import KIND
from coursekit.exercises.widget import Exercise, clamped, esc
from coursekit.feedback import INFO, OK, WARN
from coursekit.io import read_text
from coursekit.yamlio import plain

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
        company = self._company_box()
        example = W.VBox([W.HTML("<b>The worked example's options</b>"), *boxes])
        self._own.observe(lambda ch: setattr(example.layout, "display", "none" if ch["new"] else None), names="value")
        named = (" An option one of your priorities claims shows both names: the scenario's, then your priority's, which the "
                 "tester and the brief use." if self.renamed else "")
        self.children = [self.header("Put in your organization's numbers from the CRM. The plan tester below runs on these options."
                                     + named), *company, example, self._check_button, self._feedback]

    def _company_box(self) -> list[W.Widget]:
        """Your own company: who, money, plan year, the plan in force (a plan file's YAML) and up to six options."""
        lay = W.Layout(width="30em")
        self._own = W.ToggleButtons(options=[("The worked example", False), ("My own company", True)], value=False,
                                    description="Design for", style={"description_width": "8em"})
        self._co = {
            "name": W.Text(description="Company", placeholder="e.g. Halvorsen Marine", style=_S, layout=lay),
            "currency": W.Text(value="USD", description="Currency (ISO)", style=_S, layout=W.Layout(width="18em")),
            "ote": W.BoundedFloatText(value=0, min=0, max=1e9, description="On-target earnings", style=_S, layout=lay),
            "variable_share": W.BoundedFloatText(value=50, min=0, max=100, step=0.5, description="Incentive share of OTE (%)", style=_S, layout=lay),
            "quota": W.BoundedFloatText(value=0, min=0, max=1e11, description="Quota (a year)", style=_S, layout=lay),
            "start": W.Text(description="Plan year starts", placeholder="YYYY-MM", style=_S, layout=W.Layout(width="18em")),
            "prefer": W.Text(description="Strategy wants", placeholder="an option's name (or let your top priority say)", style=_S, layout=lay),
            "plan_text": W.Textarea(description="Plan in force", placeholder="paste your plan file (the course's plan format): "
                                    "period, threshold, tiers, cap, measures with weights ...", style=_S,
                                    layout=W.Layout(width="46em", height="12em")),
        }
        short = W.Layout(width="20em")
        self._parts = {
            "period": W.ToggleButtons(options=[("each month", "monthly"), ("each quarter", "quarterly"), ("the year", "annual")],
                                      value="quarterly", description="Measured over", style={**_S, "button_width": "auto"}),
            "threshold": W.BoundedFloatText(value=0, min=0, max=90, step=5, description="Threshold (% of quota)", style=_S, layout=short),
            "accelerator": W.BoundedFloatText(value=1, min=1, max=4, step=0.25, description="Rate x above quota", style=_S, layout=short),
            "cap": W.BoundedFloatText(value=0, min=0, max=10, step=0.5, description="Cap (x target incentive)", style=_S, layout=short),
        }
        self._plan_file = W.FileUpload(accept=".yaml,.yml", multiple=False, description="Load a plan file", layout=W.Layout(width="auto"))
        self._plan_file.observe(self._plan_uploaded, names="value")
        self._opt_rows = []
        for i in range(1, 5):
            r = {"name": W.Text(description=f"Option {i}", placeholder="e.g. new fleet platform", style=_S, layout=W.Layout(width="24em")),
                 "segment": W.Text(description="Segment or product", placeholder="as the plan's measures name it", style=_S,
                                   layout=W.Layout(width="24em")),
                 "credited_by": W.ToggleButtons(options=[("a segment", "segment"), ("a product", "product")], value="segment",
                                                description="That is", style={**_S, "button_width": "auto"}),
                 "deal_size": W.BoundedFloatText(value=0, min=0, max=1e11, description="Deal size", style=_S, layout=W.Layout(width="20em")),
                 "cycle_months": W.BoundedIntText(value=1, min=1, max=36, description="Cycle (months)", style=_S, layout=W.Layout(width="20em")),
                 "win_rate": W.BoundedFloatText(value=100, min=0, max=100, description="Win rate (%)", style=_S, layout=W.Layout(width="20em")),
                 "deals_per_cycle": W.BoundedFloatText(value=1, min=0, max=1000, description="Deals per cycle", style=_S, layout=W.Layout(width="20em")),
                 # the share of a rep's effort the strategy wants here (steps of 10%); all zero: the strategy wants one option
                 "mix": W.BoundedIntText(value=0, min=0, max=100, step=10, description="Effort wanted (%)", style=_S,
                                         layout=W.Layout(width="20em"))}
            self._opt_rows.append(r)
        self._watch(self._own, *self._co.values(), *self._parts.values(), *(w for r in self._opt_rows for w in r.values()))
        grid = W.GridBox([w for r in self._opt_rows for w in r.values()], layout=W.Layout(grid_template_columns="repeat(2, 25em)"))
        return [self._own, W.HTML("<b>Your company</b>: its plan in force, in the course's plan format (the figures in the boxes "
                                  "override the plan's own on-target earnings, pay mix, quota and currency); each option with your "
                                  "names and your CRM's numbers, its segment or product as your plan credits it."),
                W.VBox(list(self._co.values()) + [self._plan_file, W.HTML("No plan file? Leave the plan box empty and build the plan "
                                                                        "in force here (zero means none). A strategy that "
                                                                        "wants reps to split their effort: give each option "
                                                                        "its share in Effort wanted, in steps of 10% adding up "
                                                                        "to 100% (all zero: the strategy wants one option)."),
                                                  W.GridBox(list(self._parts.values()), layout=W.Layout(grid_template_columns="repeat(2, 25em)")),
                                                  grid], layout=W.Layout(border="1px solid var(--jp-border-color2, #ccc)", padding="4px"))]

    def _plan_uploaded(self, change: dict) -> None:
        files = change["new"]
        if files:
            self._co["plan_text"].value = bytes(files[0]["content"]).decode("utf-8", errors="replace")

    def load_plan_file(self, path: str | Path) -> None:
        """Programmatic twin of Load a plan file: the file's text goes into the plan box (checked with the company)."""
        self._co["plan_text"].value = read_text(path, "plan")

    def company(self) -> dict[str, Any]:
        """The company as typed in the boxes (a mapping ``capstone.company`` checks)."""
        c = self._co
        opts = []
        for r in self._opt_rows:
            if not r["name"].value.strip():
                continue
            seg = r["segment"].value.strip()
            opts.append({"name": r["name"].value.strip(), r["credited_by"].value: seg or None,
                         "deal_size": float(r["deal_size"].value), "cycle_months": int(r["cycle_months"].value),
                         "win_rate": round(float(r["win_rate"].value) / 100, 4), "deals_per_cycle": float(r["deals_per_cycle"].value)})
        out = {"name": c["name"].value.strip(), "currency": c["currency"].value.strip().upper(), "ote": _whole(c["ote"].value),
               "variable_share": float(Decimal(str(c["variable_share"].value)) / 100), "quota": _whole(c["quota"].value),
               "start": c["start"].value.strip(), "plan_text": c["plan_text"].value, "options": opts}
        if c["prefer"].value.strip():
            out["prefer"] = c["prefer"].value.strip()
        mix = {r["name"].value.strip(): float(Decimal(int(r["mix"].value)) / 100) for r in self._opt_rows
               if r["name"].value.strip() and r["mix"].value}
        if mix:
            out["mix"] = mix
        if not out["plan_text"].strip():
            p = self._parts
            out["plan_parts"] = {"period": p["period"].value, "threshold": float(Decimal(str(p["threshold"].value)) / 100),
                                 "accelerator": float(p["accelerator"].value), "cap": float(p["cap"].value)}
        return out

    def set_company(self, company: Mapping[str, Any], check: bool = True) -> list:
        """Programmatic twin of typing a company into the boxes (and choosing "My own company"), then Check.
        ``company`` is a company mapping; a ``plan`` mapping is written into the plan box as YAML."""
        # a mix the boxes cannot hold (an option misspelt, whole percents) is refused, one line per problem with its fix
        # (did-you-mean), as a plan file's would be; never dropped silently by the boxes. A share the boxes hold but the
        # grid does not (65%) is kept as typed and Check says it.
        bad = [p for p in company_problems(company) if p.field.startswith("mix.")
               and p.problem.endswith(("is not one of the options", "is not a share from 0 to 1"))] \
            if isinstance(company, Mapping) and company.get("mix") not in (None, {}) else []  # (a share off the grid: kept, as typed)
        shares = list(company["mix"].values()) if bad and isinstance(company.get("mix"), Mapping) else []
        if shares and all(isinstance(v, (int, float)) and not isinstance(v, bool) and 1 < v <= 100 for v in shares) \
                and sum(shares) == 100:  # whole percents: one line for the lot
            said = " and ".join(f"{v:g}" for v in shares)
            return [(WARN, f"{bad[0].file}: mix: {said} look like percents (write each share as a fraction: "
                           f"{' and '.join(f'{v / 100:g}' for v in shares)})")]
        if bad:
            return [(WARN, str(p)) for p in bad]  # "your company: mix.NAME: problem (fix)", as Check says it
        answer = {**(self.answer or {}), "own": True, "company": dict(company)}
        self.set_answer(answer)
        return self.check() if check else []

    def read_inputs(self) -> dict:
        out = self._read_options()
        out["own"] = bool(self._own.value)
        co = self.company()
        if out["own"] or co["name"] or co["options"]:
            out["company"] = co
        return out

    def _read_options(self) -> dict:
        rows = []
        for name, w in self._inputs.items():
            rows.append({"name": name, "deal_size": int(w["deal_size"].value), "cycle_months": int(w["cycle_months"].value),
                         "deals_per_cycle": float(w["deals_per_cycle"].value), "win_rate": round(w["win_rate"].value / 100, 4)})
        return {"_kind": self.kind, "options": rows}

    def show_answer(self, answer: dict) -> None:
        self._show_options(answer)
        co = answer.get("company") if isinstance(answer, dict) and isinstance(answer.get("company"), Mapping) else {}
        self._own.value = bool(answer.get("own")) if isinstance(answer, dict) else False
        c = self._co
        for k in ("name", "currency", "start", "prefer"):
            v = co.get(k)
            c[k].value = (month_of(v) or str(v)) if k == "start" and v is not None else str(v) if v is not None else ("USD" if k == "currency" else "")
        c["ote"].value = clamped(c["ote"], co.get("ote"), 0)
        c["quota"].value = clamped(c["quota"], co.get("quota"), 0)
        vs = co.get("variable_share")
        c["variable_share"].value = float(clamped(c["variable_share"], vs * 100 if isinstance(vs, (int, float)) and not isinstance(vs, bool) else None, 50))
        text = co.get("plan_text")
        if not isinstance(text, str) and isinstance(co.get("plan"), Mapping):
            text = yaml.safe_dump(plain(dict(co["plan"])), sort_keys=False, allow_unicode=True)
        c["plan_text"].value = text if isinstance(text, str) else ""
        parts = co.get("plan_parts") if isinstance(co.get("plan_parts"), Mapping) else {}
        if parts.get("period") in ("monthly", "quarterly", "annual"):
            self._parts["period"].value = parts["period"]
        th = parts.get("threshold")
        self._parts["threshold"].value = float(clamped(self._parts["threshold"], th * 100 if isinstance(th, (int, float)) and not isinstance(th, bool) else None, 0))
        for k, default in (("accelerator", 1), ("cap", 0)):
            self._parts[k].value = float(clamped(self._parts[k], parts.get(k), default))
        opts = co.get("options") if isinstance(co.get("options"), list) else []
        for i, r in enumerate(self._opt_rows):
            o = opts[i] if i < len(opts) and isinstance(opts[i], Mapping) else {}
            r["name"].value = str(o.get("name") or "")
            r["segment"].value = str(o.get("segment") or o.get("product") or "")
            r["credited_by"].value = "product" if o.get("product") and not o.get("segment") else "segment"
            for k, default in (("deal_size", 0), ("cycle_months", 1), ("deals_per_cycle", 1)):
                r[k].value = clamped(r[k], o.get(k), default)
            w = o.get("win_rate")
            r["win_rate"].value = clamped(r["win_rate"], w * 100 if isinstance(w, (int, float)) and not isinstance(w, bool) else None, 100)
            mix = co.get("mix") if isinstance(co.get("mix"), Mapping) else {}
            share = mix.get(str(o.get("name"))) if o else None
            r["mix"].value = clamped(r["mix"], round(share * 100) if isinstance(share, (int, float)) and not isinstance(share, bool) else None, 0)

    def _show_options(self, answer: dict) -> None:
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
        if not answer.get("own"):
            lines = options_feedback(answer, self.base_scenario)
            if not self._differs(answer):  # the scenario's own numbers are nobody's CRM: nothing of the learner's yet
                lines.append((WARN, "These are still the scenario's own numbers: change at least one to what your CRM says."))
            return lines
        probs = company_problems(answer.get("company"))
        if probs:
            return [(WARN, _in_boxes(p)) for p in probs]
        sc = company_scenario(answer["company"])
        co = answer["company"]
        return [(OK, f"{co['name']}: on-target earnings {co['ote']:,.0f} {co['currency'] or 'USD'} at "
                     f"{_mix(co['variable_share'])}, quota {co['quota']:,.0f}, "
                     f"plan year from {month_of(co['start'])}." + (f" The strategy wants {wanted_words(co['mix'])}." if co.get("mix") else "")
                     + " The plan tester below, its committee box and the brief now run on it.")] + \
            [line for line in options_feedback({"options": sc["options"]}, sc) if line[0] != INFO]

    def rests_on_reasons(self) -> bool:
        """The learner's CRM numbers are theirs: the course checks they can be used, not that they are true (written)."""
        return True

    def scenario(self) -> dict:
        """The scenario mapping with the options as edited (fields the engine refuses keep the scenario's values); the
        learner's own company's scenario when they chose it and it is valid."""
        if self.answer.get("own") and (own := company_scenario(self.answer.get("company"))) is not None:
            return own
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
            sc = self.scenario()
            if self.answer.get("own") and scenario_from_dict(sc).plan != tester.base_plan:
                # another company's plan in force: the tester starts over on it (its committee box and the brief follow)
                inputs = own_company_inputs(self._answers, self.answer.get("company"))
                if inputs is not None:
                    own = scenario_from_dict(inputs.scenario)
                    tester.start_over(own.plan, own.options, inputs.prefer or own.prefer, population=own.population, mix=inputs.mix)
                return
            tester.options = self.options({} if self.answer.get("own") else renamed)
            if self.answer.get("own"):  # the same plan in force: the strategy (the option, the wanted mix) may have changed
                inputs = own_company_inputs(self._answers, self.answer.get("company"))
                if inputs is not None and inputs.prefer != tester.prefer:  # the credit and rate controls price another option
                    own = scenario_from_dict(inputs.scenario)
                    tester.start_over(own.plan, own.options, inputs.prefer, population=own.population, mix=inputs.mix)
                    return
                if inputs is not None:
                    tester.mix = inputs.mix
            tester.refresh()

        self.observe(follow, names="answer")


def _mix(share: Any) -> str:
    """The pay mix as base/incentive, exactly: 0.375 -> "62.5/37.5"."""
    v = Decimal(str(share)) * 100
    return f"{(100 - v).normalize():f}/{v.normalize():f}"


def _whole(v: float) -> int | float:
    return int(v) if float(v).is_integer() else float(v)


def _pct(v: Any) -> float | None:
    return v * 100 if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def _in_boxes(p: Any) -> str:
    """A company problem as the options editor says it: a wanted mix's in the boxes' own words, percents of the
    **Effort wanted (%)** boxes ("fleet repaint: 65% is not a step of 10%: type 60 or 70"); any other as a plan file's."""
    step = re.fullmatch(r"([\d.]+) is not in steps of 10%", p.problem)
    if p.field.startswith("mix.") and step:
        pct = Decimal(step.group(1)) * 100
        low = int(pct // 10 * 10)
        return (f"{p.file}: Effort wanted (%) for {p.field[len('mix.'):]}: {pct.normalize():f}% is not a step of 10%: "
                f"type {low} or {low + 10}")
    total = re.fullmatch(r"the shares add up to (\d+%)", p.problem)
    if p.field == "mix" and total:
        return f"{p.file}: Effort wanted (%): the boxes add up to {total.group(1)}: make them add up to 100"
    return str(p)
