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
