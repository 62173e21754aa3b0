"""A planned exercise's widget, built outside a notebook from the planned kwargs (keys included), as the notebook's
cells build it: what tests drive through the API twins."""

from __future__ import annotations

import warnings

from coursekit import notebook as ex
from coursekit.engine.scenario import scenario_from_dict
from coursekit.signals.detect import COURSE_APPROVAL_LIMIT, course_report


def widget(p, answers, key, editor=None):
    """``editor``: the capstone options editor's planned exercise, for a capstone tester (it starts from capstone_inputs)."""
    kw = dict(p.kwargs)
    kind = p.spec.type
    if kind == "plan_tester" and kw.get("capstone") and editor is not None:
        e = editor.kwargs
        cap = ex.capstone_inputs(answers, e["course"], e["scenario"], e["worked"])
        sc = scenario_from_dict(cap.scenario)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ex.PlanTester(plan=ex.plan_from_dict(cap.plan), options=sc.options, prefer=cap.prefer or sc.prefer,
                                 assumed_attainment=kw["assumed_attainment"], baseline=sc.plan, keyed=kw.get("keyed"),
                                 answers=answers, key=key)
    if kind == "plan_tester":
        sc = scenario_from_dict(kw["scenario"])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ex.PlanTester(plan=sc.plan, options=sc.options, prefer=sc.prefer, keyed=kw.get("keyed"),
                                 spif_control=kw.get("spif_control", False), answers=answers, key=key)
    if kind == "plan_audit":
        return ex.PlanAudit(plan=ex.plan_from_dict(kw["plan"]), strategy=ex.strategy_from_dict(kw["strategy"]), answers=answers, key=key)
    if kind == "signals_spotter":
        return ex.SignalsSpotter(course_report(), approval_limit=COURSE_APPROVAL_LIMIT, answers=answers, key=key)
    if kind == "decisions":
        return ex.DecisionsForm(min_months=kw.get("min_months"), answers=answers, key=key)
    if kind == "hypothesis":
        return ex.HypothesisBuilder(cycle_months=kw.get("cycle_months"), wrong_levers=kw.get("wrong_levers"), tester=kw.get("tester"),
                                    answers=answers, key=key)
    if kind == "scenario_editor":
        return ex.ScenarioEditor(kw["scenario"], answers=answers, key=key)
    for drop in ("capstone",):
        kw.pop(drop, None)
    return getattr(ex, p.kind.widget)(**kw, answers=answers, key=key)
