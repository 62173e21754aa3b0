"""Answers and scenarios shared by the exercise-check tests."""

from __future__ import annotations

from coursekit import notebook as ex
from coursekit.engine import scenario_from_dict

OWN_ROW = {"strategy": "Grow multi-year platform deals in mid-market", "planning": "Capacity model assumes every product closes in one month",
           "enablement": "Trains reps to run platform business cases over a quarter",
           "comp": "Pays the same commission rate on point and platform deals, monthly",
           "contradiction": "Strategy wants platform deals while comp pays a quick point deal the same, so reps chase point deals",
           # the picks that carry the row's verdict (issue 25): the sentences beside them are kept, never graded
           "pulls": "strategy", "against": "comp", "component": "Rate", "pays": "same",
           # the money difference per row: this branch's earlier shape (issue 25), read as the map's one figure, the first
           # row's (a year selling what strategy asks pays this much less; no plan here: only its sign is checked)
           "money": "56,667"}
# three priorities of the learner's own (the exercise asks for the top three), each naming a mechanic of the plan in Comp
OWN_ROWS = [OWN_ROW,
            {"strategy": "Grow the installed base with expansion deals", "planning": "The capacity model counts new-logo bookings only",
             "enablement": "Teaches account planning and expansion plays to account managers",
             "comp": "Pays commission on new logos only; an expansion deal earns no credit toward quota",
             "contradiction": "Strategy wants expansion while comp gives it no credit, so reps hunt new logos and leave expansion to chance",
             "pulls": "strategy", "against": "comp", "component": "Crediting", "pays": "nothing", "money": "12k"},
            {"strategy": "Win enterprise accounts in financial services", "planning": "The territory model gives every territory equal revenue potential",
             "enablement": "Trains reps on six-month enterprise sales cycles",
             "comp": "Measured monthly with a cap of 2x the month's target incentive",
             "contradiction": "Strategy wants enterprise deals but the monthly cap pays one capped month for six months of work, so reps avoid them",
             "pulls": "strategy", "against": "comp", "component": "Cap", "pays": "later", "money": "56,667"}]
# the seed note's scenario: a monthly cap of 2x target; a 480,000 enterprise deal every six months against 3 x 20,000 smb deals a month
CAPPED = {"plan": {"name": "Monthly flat", "ote": 200000, "quota": 800000, "period": "monthly", "cap": 2.0},
          "options": [{"name": "smb", "deal_size": 20000, "deals_per_cycle": 3, "segment": "smb"},
                      {"name": "enterprise", "deal_size": 480000, "cycle_months": 6, "segment": "enterprise"}],
          "strategy": {"prefer": "enterprise"}}

# module 3's product-neutral plan: quarterly, threshold 50%, 1.5x above quota; point closes 3 x 25,000 a month,
# platform one 180,000 deal a quarter
NEUTRAL = {"plan": {"name": "Product-neutral", "ote": 180000, "quota": 900000, "period": "quarterly", "threshold": 0.5,
                    "tiers": [{"from": 0.0, "multiplier": 1.0}, {"from": 1.0, "multiplier": 1.5}]},
           "options": [{"name": "point", "deal_size": 25000, "deals_per_cycle": 3, "product": "point"},
                       {"name": "platform", "deal_size": 180000, "cycle_months": 3, "product": "platform"}],
           "strategy": {"prefer": "platform"}}

# a plan whose renewal credit and renewal SPIF say they trace to the enterprise priority, and the strategy it is audited
# against (the brief's findings section and the plan audit's check both read them)
AGAINST_PLAN = {"name": "p", "ote": 100000, "quota": 400000, "period": "annual", "tiers": [{"from": 0, "multiplier": 1}],
                "credit": {"segment": {"renewal": 1.5}}, "spifs": [{"name": "q4push", "amount": 1000, "segment": "renewal"}],
                "traces_to": {"quota": "capacity model", "tier 1": "enterprise", "credit.segment.renewal": "enterprise",
                              "spif.q4push": "enterprise"}}
AGAINST_STRATEGY = {"priorities": [{"name": "enterprise", "behavior": "b", "segment": "ent", "cycle_months": 6}],
                    "options": [{"name": "renewals", "segment": "renewal", "deal_size": 1000, "deals_per_cycle": 1, "cycle_months": 1},
                                {"name": "ent", "segment": "ent", "deal_size": 50000, "deals_per_cycle": 1, "cycle_months": 6}]}


def capped_tester(**kw) -> ex.PlanTester:
    sc = scenario_from_dict(CAPPED)
    return ex.PlanTester(sc.plan, sc.options, sc.prefer, **kw)


def record_figures(monkeypatch) -> list:
    """Every figure a widget renders (through theme.themed_png), in order, still rendered as usual."""
    from coursekit.exercises import theme

    figures: list = []
    real = theme.themed_png
    monkeypatch.setattr(theme, "themed_png", lambda fig: figures.append(fig) or real(fig))
    return figures

# module 2's draft plan and strategy, as the plan audit checks are tried on them (test_checks_junk, test_widget_access)
DRAFT = {"name": "Draft", "ote": 160000, "variable_share": 0.5, "quota": 960000, "period": "monthly", "threshold": 0.6,
         "tiers": [{"from": 0.0, "multiplier": 1.0}, {"from": 1.0, "multiplier": 1.8}], "cap": 2.5,
         "credit": {"segment": {"expansion": 1.2}}, "traces_to": {"quota": "capacity model", "tier 2": "growth"}}
STRATEGY = {"priorities": [{"name": "expand installed base", "behavior": "grow accounts", "segment": "expansion", "cycle_months": 2},
                           {"name": "win competitive logos", "behavior": "take logos", "segment": "new-logo", "cycle_months": 4}],
            "options": [{"name": "renewals", "deal_size": 40000, "deals_per_cycle": 2, "cycle_months": 1, "segment": "renewal"},
                        {"name": "expand installed base", "deal_size": 90000, "deals_per_cycle": 2, "cycle_months": 2, "segment": "expansion"},
                        {"name": "win competitive logos", "deal_size": 240000, "deals_per_cycle": 1, "cycle_months": 4, "segment": "new-logo"}]}
