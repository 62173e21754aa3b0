"""A brief as a learner hands it in, built in code: the room's tests, the hub's hand-in test and the room benchmark."""

from __future__ import annotations


def sample_brief(learner: str, contradiction: str = "Reps avoid enterprise", change: str = "measured over the year against the annual quota, paid monthly as earned, instead of each quarter on its own",
                 aligned: bool = True, cost: str = "9.5", hypothesis: str = "We believe an annual plan will drive enterprise deals",
                 schema: str = "coursekit-brief/1") -> dict:
    """A brief as model.to_json() writes it (schemas/brief.schema.json)."""
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
