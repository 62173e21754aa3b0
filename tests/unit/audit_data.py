"""The audit rules' shared cases: a strategy with options, traces for every component, a plan aligned with it."""

from __future__ import annotations

from coursekit.engine import audit, plan_from_dict, strategy_from_dict

OPTIONS = [{"name": "smb", "deal_size": 20000, "deals_per_cycle": 3, "cycle_months": 1, "segment": "smb", "product": "point"},
           {"name": "enterprise", "deal_size": 480000, "deals_per_cycle": 1, "cycle_months": 6, "segment": "enterprise",
            "product": "platform"}]
PRIORITY = {"name": "enterprise", "behavior": "land platform deals", "segment": "enterprise", "product": "platform", "cycle_months": 6}
STRATEGY = {"priorities": [PRIORITY], "options": OPTIONS}
NO_OPTIONS = {"priorities": [PRIORITY]}
TRACES = {"quota": "capacity model", "threshold": "quality gate", "tier 1": "enterprise", "tier 2": "enterprise", "cap": "enterprise",
          "credit.segment.enterprise": "enterprise", "credit.segment.smb": "enterprise", "spif.Launch": "enterprise",
          "spif.Point push": "enterprise"}
# annual, TI 100,000, quota 800,000 (BCR 12.5%): a year on enterprise books 960,000 = 120% and pays
# 100,000 + 160,000 x 25% = 140,000 (x 1.25 credit: 1,200,000 = 150% -> 200,000); smb 720,000 = 90% -> 90,000
ALIGNED = {"name": "Aligned", "ote": 200000, "quota": 800000, "period": "annual", "threshold": 0.5,
           "tiers": [{"from": 0, "multiplier": 1}, {"from": 1.0, "multiplier": 2}], "cap": 3.0,
           "credit": {"segment": {"enterprise": 1.25}}, "spifs": [{"name": "Launch", "amount": 5000, "product": "platform"}]}


def found(plan: dict, strategy: dict = STRATEGY) -> dict[tuple[str, str], str]:
    """(code, component) -> evidence for the plan with every component traced to what it says it serves."""
    bare = plan_from_dict(plan)  # a trace must name a component the plan has (a plan error otherwise)
    p = plan_from_dict({**plan, "traces_to": {c: TRACES[c] for c in bare.components() if c in TRACES}})
    return {(f.code, f.component): f.evidence for f in audit(p, strategy_from_dict(strategy))
            if f.code != "untraced"}
