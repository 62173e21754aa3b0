"""Priorities: each strategic priority written as a behavior, with its segment, sales cycle and rank, plus
planning's assumed attainment. The capstone builds its strategy from this answer (``capstone.PRIORITIES_KEY``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from coursekit.capstone.inputs import priority_rows
from coursekit.exercises.kind import Kind, PlanContext, Planned, md_escape, text


@dataclass(frozen=True)
class Options:
    segments: list[str] | None = None  # what a priority may apply to; default: the segments and products of the module's scenario
    rows: int = 4  # priority rows in the form (1-5)


def scenario_options(ctx: PlanContext) -> list[dict[str, Any]]:
    """The options of the module's first plan tester's scenario (plain mappings), or none."""
    for spec in ctx.specs_for():
        if spec.type == "plan_tester" and spec.options is not None:
            found = ctx.load_yaml(str(spec.options.scenario), "scenario")
            opts = found[0].get("options") if found else None
            return [o for o in opts if isinstance(o, dict)] if isinstance(opts, list) else []
    return []


def _months(v: Any) -> int | None:
    return int(v) if isinstance(v, (int, float)) and not isinstance(v, bool) and v == int(v) and v >= 1 else None


class Priorities(Kind):
    name, widget, title = "priorities", "PrioritiesForm", "Priorities"
    Options = Options
    minutes = 15
    prompts = ("Read one behavior aloud: could a rep do it on Tuesday, and could a manager see whether they did?",
               "Where did each cycle length come from, the CRM or a slide? What changes if it is twice as long?")

    def plan(self, ctx: PlanContext) -> dict[str, Any] | None:
        o: Options = ctx.options
        opts = scenario_options(ctx)
        found = [str(x.get("segment") or x.get("product")) for x in opts if x.get("segment") or x.get("product")]
        segments = list(dict.fromkeys(o.segments if o.segments is not None else found))
        if not segments:
            ctx.bad("has no segments to choose from", "list them: `segments: [enterprise, smb]`, or add a plan tester with a scenario")
        if not 1 <= o.rows <= 5:
            ctx.bad(f"rows {o.rows} is not between 1 and 5", "write e.g. `rows: 4`")
        cycles = {str(x.get("segment") or x.get("product")): m for x in opts if (m := _months(x.get("cycle_months")))}
        return {"segments": segments, "option_cycles": {s: c for s, c in cycles.items() if s in segments}, "rows": o.rows}

    def worked_example(self, p: Planned) -> tuple[str, str] | None:
        return ("**Worked example, for a different company** (a field-sales team selling to hospitals): one priority "
                "written as a behavior, with its segment and the cycle from the CRM.",
                "demo = ex.PrioritiesForm(segments=['hospital', 'clinic'], rows=1)\n"
                "demo.set_answer({'priorities': [{'name': 'win hospital groups', 'rank': 1, 'segment': 'hospital', 'cycle_months': 6, 'what': 'behavior',\n"
                "                                 'behavior': 'run a clinical pilot with the purchasing committee of a hospital group'}],\n"
                "                 'assumed_attainment': 85})\nprint(demo.report())")

    def model_answer(self, p: Planned) -> str:
        return ("Every row a behavior a rep does this quarter (not an outcome), its segment, the cycle from the CRM (created to "
                "closed-won), distinct ranks; planning's attainment about 85%, not 100%. Segments: "
                + md_escape(", ".join(p.kwargs.get("segments", []))) + ".")

    def brief_rows(self, answer: Any) -> list[tuple[str, str]]:
        rows = []
        for i, r in enumerate(priority_rows(answer), 1):
            where = ", ".join(x for x in (r["segment"], f"{r['cycle_months']}-month cycle" if r["cycle_months"] else "") if x)
            rows.append((f"Priority {i}: {text(r['name'], 80)}", text(r["behavior"]) + (f" ({where})" if where else "")))
        att = answer.get("assumed_attainment") if isinstance(answer, dict) else None
        if rows and isinstance(att, int) and not isinstance(att, bool):
            rows.append(("Planning assumes", f"{att}% of quota"))
        return rows


KIND = Priorities()
