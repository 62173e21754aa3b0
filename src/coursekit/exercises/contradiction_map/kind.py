"""Contradiction map: per priority, what strategy says, planning assumes, enablement teaches, comp rewards."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from coursekit.errors import closest
from coursekit.exercises.kind import Kind, PlanContext, Planned, md_escape, text

LABELS = {"strategy": "Strategy says", "planning": "Planning assumes", "enablement": "Enablement teaches",
          "comp": "Comp rewards", "contradiction": "The contradiction"}


@dataclass(frozen=True)
class Options:
    example: dict[str, str] | None = None  # the worked example row (keys of LABELS); default: the action's `- **Strategy**: ...` lines
    rows: int = 3  # how many priorities the learner maps


WORKED = {"strategy": "Grow multi-year renewals in the installed base",
          "planning": "The capacity model credits a renewal at half the value of a new logo",
          "enablement": "Trains account managers to open renewal talks nine months before the end date",
          "comp": "Pays renewals at a quarter of the new-logo rate, in the month of signature",
          "contradiction": "Strategy asks for multi-year renewals, but comp pays a renewal a quarter of a new logo, "
                           "so account managers chase small new logos and renew late, for one year"}
WORKED_ALT = {"strategy": "Win mid-market accounts in the new region",
              "planning": "Territories in the new region carry the same quota as the mature ones",
              "enablement": "Trains reps to run a three-meeting discovery before any proposal",
              "comp": "Pays a monthly threshold of 60% that new-region reps rarely reach",
              "contradiction": "Strategy wants the new region opened, but comp's monthly threshold pays new-region reps "
                               "nothing in most months, so they ask to move back to mature territories"}


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
        example = o.example if o.example is not None else {k: fields[k] for k in LABELS if k in fields}
        unknown = [k for k in example if k not in LABELS]
        if unknown:
            ctx.bad(f"example key `{unknown[0]}` is not a column", closest(unknown[0], list(LABELS)))
        if not 1 <= o.rows <= 10:
            ctx.bad(f"rows {o.rows} is not from 1 to 10", "write e.g. `rows: 3`")
        return {"example": example, **({"rows": o.rows} if o.rows != 3 else {})}

    def worked_example(self, p: Planned) -> tuple[str, str] | None:
        mine = p.kwargs.get("example") or {}
        # a priority of its own, never the note's example: the learner maps theirs, not a copy of this one
        case = WORKED_ALT if text(mine.get("strategy")).lower() == WORKED["strategy"].lower() else WORKED
        return ("**Worked example, on a priority of its own:** one priority mapped across the four systems, checked by "
                "the same code that checks yours. Then map your own organization's priorities below.",
                f"demo = ex.ContradictionMap(rows=1)\ndemo.set_answer({{'rows': [{case!r}]}})\nprint(demo.report())\ndemo.to_frame()")

    def model_answer(self, p: Planned) -> str:
        ex = p.kwargs.get("example") or {}
        return "\n".join(f"- **{LABELS.get(k, k)}**: {md_escape(v)}" for k, v in ex.items()) or super().model_answer(p)

    def brief_rows(self, answer: Any) -> list[tuple[str, str]]:
        rows = answer.get("rows") if isinstance(answer, dict) else None
        out = []
        for i, r in enumerate(rows if isinstance(rows, list) else [], 1):
            if isinstance(r, dict):
                out += [(f"Priority {i}: {LABELS.get(k, text(k, 40))}", text(v)) for k, v in r.items() if text(v)]
        return out


KIND = ContradictionMap()
