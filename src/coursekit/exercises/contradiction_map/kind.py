"""Contradiction map: per priority, what strategy says, planning assumes, enablement teaches, comp rewards, and the picks
that carry a row's verdict (the two systems that disagree, the pay component, what pay does for the strategy's behavior)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from coursekit.answers import OWNERS, SYSTEMS
from coursekit.errors import closest
from coursekit.exercises.kind import Kind, PlanContext, Planned, md_escape, text

LABELS = {"strategy": "Strategy says", "planning": "Planning assumes", "enablement": "Enablement teaches",
          "comp": "Comp rewards", "contradiction": "The contradiction",
          "pulls": "Pulls one way", "against": "Against", "component": "Pay component", "pays": "Pay, for what strategy asks"}
# The picks that carry a row's verdict (issue 25): the free text beside them is kept and shown, never graded.
PICKS = ("pulls", "against", "component", "pays")
# What pay does for the behavior strategy asks for, as the learner picks it. "more" is the misconception the course
# refuses by name: a row where pay already does what strategy says is not a contradiction.
PAYS = {"less": "pays it less than the easier deal", "same": "pays it about the same, for more work",
        "nothing": "pays nothing for it", "later": "pays it later or capped", "more": "pays it more, as strategy asks"}
AGREE = "more"
# The pay components offered when the sidecar names none of its module's plan (`components:`).
DEFAULT_COMPONENTS = ("Rate", "Quota", "Cap", "Threshold", "Accelerator", "Measurement period", "Crediting", "SPIF")


@dataclass(frozen=True)
class Options:
    example: dict[str, str] | None = None  # the worked example row (keys of LABELS), over the action's `- **Strategy**: ...` lines
    rows: int = 3  # how many priorities the learner maps
    components: list[str] | None = None  # the pay components of this module's plan a row can name; default DEFAULT_COMPONENTS


WORKED = {"strategy": "Grow multi-year renewals in the installed base",
          "planning": "The capacity model credits a renewal at half the value of a new logo",
          "enablement": "Trains account managers to open renewal talks nine months before the end date",
          "comp": "Pays renewals at a quarter of the new-logo rate, in the month of signature",
          "contradiction": "Strategy asks for multi-year renewals, but comp pays a renewal a quarter of a new logo, "
                           "so account managers chase small new logos and renew late, for one year",
          "pulls": "strategy", "against": "comp", "component": "Rate", "pays": "less"}
WORKED_ALT = {"strategy": "Win mid-market accounts in the new region",
              "planning": "Territories in the new region carry the same quota as the mature ones",
              "enablement": "Trains reps to run a three-meeting discovery before any proposal",
              "comp": "Pays a monthly threshold of 60% that new-region reps rarely reach",
              "contradiction": "Strategy wants the new region opened, but comp's monthly threshold pays new-region reps "
                               "nothing in most months, so they ask to move back to mature territories",
              "pulls": "strategy", "against": "comp", "component": "Threshold", "pays": "less"}


def shown(key: str, value: str) -> str:
    """A row's value as a reader sees it: a picked system or pay verdict in words, any text as written."""
    if key in ("pulls", "against"):
        return dict(OWNERS).get(value, value)
    return PAYS.get(value, value) if key == "pays" else value


class ContradictionMap(Kind):
    name, widget, title = "contradiction_map", "ContradictionMap", "Contradiction map"
    Options = Options
    keywords = ("contradiction", "contradictions")
    minutes = 15
    prompts = ("Which contradiction would a rep notice first, and which one costs the company most?",
               "Who owns each system in your organization, and have they ever met about this priority?")

    def plan(self, ctx: PlanContext) -> dict[str, Any] | None:
        o: Options = ctx.options
        fields = ctx.action.fields if ctx.action else {}
        # the action's `- **Strategy**: ...` lines, with the sidecar's `example:` over them (e.g. only its picks)
        example = {**{k: fields[k] for k in LABELS if k in fields}, **(o.example or {})}
        unknown = [k for k in example if k not in LABELS]
        if unknown:
            ctx.bad(f"example key `{unknown[0]}` is not a column", closest(unknown[0], list(LABELS)))
        if not 1 <= o.rows <= 10:
            ctx.bad(f"rows {o.rows} is not from 1 to 10", "write e.g. `rows: 3`")
        comps = [str(c) for c in o.components] if o.components is not None else list(DEFAULT_COMPONENTS)
        if not 2 <= len(comps) <= 10 or len(set(comps)) < len(comps):
            ctx.bad(f"components has {len(comps)} entries or repeats one", "list 2 to 10 different components of the module's plan")
        for k, allowed in (("pulls", SYSTEMS), ("against", SYSTEMS), ("component", comps), ("pays", tuple(PAYS))):
            if k in example and example[k] not in allowed:
                ctx.bad(f"example {k} `{example[k]}` is not one of the choices", f"use one of {', '.join(allowed)}")
        if "pulls" in example and example.get("pulls") == example.get("against"):
            ctx.bad("example pulls and against name the same system", "name two systems that disagree")
        return {"example": example, **({"rows": o.rows} if o.rows != 3 else {}),
                **({"components": comps} if o.components is not None else {})}

    def worked_example(self, p: Planned) -> tuple[str, str] | None:
        mine = p.kwargs.get("example") or {}
        # a priority of its own, never the note's example: the learner maps theirs, not a copy of this one
        case = WORKED_ALT if text(mine.get("strategy")).lower() == WORKED["strategy"].lower() else WORKED
        return ("**Worked example, on a priority of its own:** one priority mapped across the four systems, checked by "
                "the same code that checks yours. Then map your own organization's priorities below.",
                f"demo = ex.ContradictionMap(rows=1)\ndemo.set_answer({{'rows': [{case!r}]}})\nprint(demo.report())\ndemo.to_frame()")

    def model_answer(self, p: Planned) -> str:
        ex = p.kwargs.get("example") or {}
        return "\n".join(f"- **{LABELS.get(k, k)}**: {md_escape(shown(k, v))}" for k, v in ex.items()) or super().model_answer(p)

    def brief_rows(self, answer: Any) -> list[tuple[str, str]]:
        rows = answer.get("rows") if isinstance(answer, dict) else None
        out = []
        for i, r in enumerate(rows if isinstance(rows, list) else [], 1):
            if isinstance(r, dict):
                out += [(f"Priority {i}: {LABELS.get(k, text(k, 40))}", shown(k, text(v))) for k, v in r.items() if text(v)]
        return out


KIND = ContradictionMap()
