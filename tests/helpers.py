"""Shared test helpers: notes and plans built in code."""

from __future__ import annotations

from pathlib import Path

SEED = Path(__file__).resolve().parents[1] / "content" / "intelligent-sales-foundation.md"

WORKED_PLAN = {"name": "Worked example", "ote": 200000, "variable_share": 0.5, "quota": 800000,
               "tiers": [{"from": 0.0, "multiplier": 1.0}, {"from": 1.0, "multiplier": 2.0}, {"from": 1.5, "multiplier": 3.0}]}


def note_text(slug: str = "my-note", **front) -> str:
    fields = {"slug": slug, "title": "My note", "oneLiner": "One line", "type": "NOTE", "channel": "PLAN_DESIGN",
              "tags": '["a"]', "difficulty": "INTRO", "timeToApplyMin": 10, **front}
    fm = "\n".join(f"{k}: {v}" for k, v in fields.items() if v is not None)
    return f"""---
{fm}
---

## Problem Statement

A problem.

## Mechanism (Why This Happens)

A mechanism.

## Recommended Actions

### 1. Do a checklist (5 min)
- Step one
- Step two

## Common Pitfalls

**"A claim"**
A rebuttal.

## Assumptions

- One assumption

## Related Content

**Next Counsel**:
- {slug}
"""


def sample_brief(learner: str, contradiction: str = "Reps avoid enterprise", change: str = "measured every year instead of every quarter",
                 aligned: bool = True, cost: str = "9.5", hypothesis: str = "We believe an annual plan will drive enterprise deals",
                 schema: str = "coursekit-brief/1") -> dict:
    """A brief as decision_brief.to_json() writes it (schemas/brief.schema.json)."""
    owners = ["Strategy", "Planning", "Enablement", "Comp"]

    def sec(n, sid, data, filled=True):
        return {"id": sid, "number": n, "heading": sid.capitalize(), "filled": filled, "todo": None if filled else "do it", "data": data}
    row = {"module": "m1", "strategy": "Sell to enterprise", "planning": "All accounts equal", "enablement": "Long cycles",
           "comp": "Pays monthly", "contradiction": contradiction}
    return {"schema": schema, "learner": learner, "summary": "s", "sections": [
        sec(1, "priorities", {"priorities": [], "assumed_attainment_pct": 100}),
        sec(2, "contradictions", {"contradictions": [row]}),
        sec(3, "plans", {"source": "x", "options": [], "changes": [change], "current": None, "proposed": None,
                         "aligned": {"current": False, "proposed": aligned},
                         "population": {"current": {"reps": 100, "cost_of_sales_pct": "12.0"}, "proposed": {"reps": 100, "cost_of_sales_pct": cost}}}),
        sec(4, "findings", {"findings": []}, filled=False),
        sec(5, "hypothesis", {"sentence": hypothesis}),
        sec(6, "decisions", {"asks": [{"owner": o, "who": "VP", "ask": f"{o}: decide by Friday", "is_decision": True} for o in owners]}),
    ]}
