"""The Alignment brief as a decision document: one page a CRO would read, composed from the learner's
answers in course order. Pure: no widgets; files are written only by ``export``.

Six sections, always in this order, each filled from the answers or saying what to do to fill it:
1) priorities, 2) contradictions found, 3) the plan now (the capstone company's as it stands) and the proposed plan
(``proposed_plan``) with pay per option and cost of sales, 4) audit findings still open on that proposed plan and why, 5) the hypothesis and its review date, 6) the
decision asked of each owner. ``to_markdown``, ``to_html`` (self-contained, chart embedded) and
``to_json`` (schema: ``schemas/brief.schema.json``) render the same ``Brief``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

from coursekit.answers import DONE, OWNERS, brief_dir, map_money, status_of
from coursekit.brief.model import HEADINGS, RUBRIC, RUBRIC_KEY, Brief, Section
from coursekit.brief.render import chart, export, option_label
from coursekit.capstone.checks import decision_reason, field_problem, money, parse_date, per_100, review_date_reason
from coursekit.capstone.committee import committee_lines, rate_changes
from coursekit.capstone.company import company_label
from coursekit.capstone.inputs import (
    CAPSTONE_SLUG,
    PRIORITIES_KEY,
    Module,
    capstone_inputs,
    capstone_slug,
    find_kind,
    modules,
    priority_rows,
    tested_plan,
)
from coursekit.capstone.inputs import get_answer as _get
from coursekit.capstone.inputs import keys_of as _keys
from coursekit.engine.audit import audit, cap_basis, cap_target, deal_kind, explain, finding_words, measure_label, strategy_from_dict
from coursekit.engine.frontier import near, wanted_words
from coursekit.engine.money import cents
from coursekit.engine.plan import plan_from_dict, to_dict
from coursekit.engine.scenario import Scenario, scenario_from_dict
from coursekit.engine.simulate import booking_mix, booking_shares, population, simulate, simulate_mix
from coursekit.errors import CourseError
from coursekit.exercises.contradiction_map.kind import parse_money
from coursekit.exercises.hypothesis.kind import sentence as hypothesis_sentence
from coursekit.exercises.quiz.kind import START_KEY as PRE_DIAGNOSTIC_KEY

MAP_FIELDS = (("strategy", "Strategy says"), ("planning", "planning assumes"), ("enablement", "enablement teaches"),
              ("comp", "comp rewards"))
# where the capstone's exercises sit (the capstone note's recommended actions)
DESIGN_ACTION, HYPOTHESIS_ACTION, DECISIONS_ACTION = 2, 4, 5


def title_name(learner: Any) -> str:
    """The learner's name as the title shows it: "" when none was given (blank, or the old default "me")."""
    name = " ".join(str(learner or "").split())
    return "" if name.lower() in ("", "me") else name


def compose(answers: Any, course: Any, scenario: Mapping[str, Any] | None = None,
            worked_examples: Mapping[str, Mapping[str, Any]] | None = None, learner: str = "") -> Brief:
    """The brief from an ``Answers`` object and the course in order (see ``capstone.modules``).
    ``scenario`` is the capstone scenario (pay per option needs it); ``worked_examples`` as in
    ``capstone.capstone_inputs``. Junk in the answers is skipped, never raised on."""
    mods = modules(course)
    cap_slug = capstone_slug(mods)
    cap = next((m for m in mods if m.slug == cap_slug), Module(len(mods) + 1, cap_slug, "Capstone"))
    _k, pri_answer, m2 = find_kind(answers, mods, "priorities")
    m2 = m2 or next((m for m in mods if "priorities" in m.exercises.values() or m.slug == PRIORITIES_KEY.split("/")[0]),
                    Module(2, "", "Strategy to Comp Translation"))
    keyed = _in_course_order(answers, mods)
    inputs = capstone_inputs(answers, mods, scenario, worked_examples) if scenario is not None else None

    secs = [Section(k, i, h) for i, (k, h) in enumerate(HEADINGS, 1)]
    pri, con, plans, fnd, hyp, dec = secs

    rows = priority_rows(pri_answer)
    att = pri_answer.get("assumed_attainment") if isinstance(pri_answer, Mapping) else None
    names = segment_names(inputs.scenario if inputs is not None and inputs.company else scenario)
    rows = [{**r, "applies_to": names.get(r["segment"], _words(r["segment"])) if r["segment"] else None} for r in rows]
    pri.data = {"priorities": rows, "assumed_attainment_pct": att if isinstance(att, int) and not isinstance(att, bool) else None}
    pri.todo = "" if rows else f"Run {m2.where(1)}: write each priority as a behavior, with its segment and sales cycle."

    con.data = {"contradictions": _contradictions(keyed), "maps": [x for m, a in keyed if (x := _map_money(m, a))]}
    first_map = next((m.where(n) for m in mods for n, t in sorted(m.actions.items()) if "contradiction" in t.lower()), "module 1, action 1")
    con.todo = "" if con.data["contradictions"] else f"Run {first_map}: map what each system says about your top priorities."

    proposed = proposed_plan(answers, cap.slug)
    stale = _designed_elsewhere(answers, cap.slug, inputs) if proposed is not None else ""
    if stale:
        proposed = None
    module_test = latest_tested(answers, mods, cap.slug) if proposed is None else None
    if module_test is not None:  # no capstone design yet: the last plan the learner checked in a module's tester
        m, key, a = module_test
        proposed, current = dict(a["_plan"]), dict(a["_base_plan"]) if _load(a.get("_base_plan")) is not None else None
        passed = "which passed every test" if a.get("_done") else "which still fails a test"
        source = (f"From your plan tester in {m.where(_action_of(key))}: the plan as the module gives it, and the plan you checked "
                  f"({_name(proposed)}), {passed}; the capstone's design, when you make it, replaces this")
        _plans_section(plans, current, proposed, source, "module's plan", None, names, cap)
        plans.data["from"] = {"module": m.title, "key": key, "passed": bool(a.get("_done"))}
        if a.get("_done"):  # every test passed, the strategy's among them: under the checked plan the rep does what it wants
            plans.data["aligned"] = {"proposed": True}
    else:
        current, source, label = current_plan(answers, inputs, proposed)
        _plans_section(plans, current, proposed, source, label, inputs, names, cap)
        _committee_section(plans, answers, inputs, proposed, att, cap.slug)
    plans.data["company"] = _company_data(inputs, module_test, current, proposed)
    _findings_section(fnd, answers, inputs, ("proposed", proposed) if plans.data.get("proposed") else ("current", current), m2, cap)
    _k, decisions, _m = find_kind(answers, mods, "decisions")
    decisions = decisions if isinstance(decisions, Mapping) else {}
    _hypothesis_section(hyp, keyed, decisions, cap)
    _decisions_section(dec, decisions, cap)
    brief = Brief(title_name(learner), secs, _summary(secs))
    co = plans.data["company"]
    if co.get("own"):
        parts = " and ".join(f"{c['name']} ({c['weight_pct']:g}%)" for c in co["components"])
        wants = f" The strategy wants {plans.data['wanted_mix']['words']}." if plans.data.get("wanted_mix") else ""
        brief.summary = (f"{co['name']}, in {co['currency']}" + (f", paid on {parts}" if parts else "") + "." + wants + " " + brief.summary)
    brief.warnings = _warnings(secs, _hypothesis_answer(keyed), proposed, inputs)
    if stale:
        brief.warnings.insert(0, stale)
    if not stale and (outdated := audit_outdated(answers, cap.slug)):
        brief.warnings.insert(0, outdated)
    brief.chart = chart_png(brief)
    brief.completion = completion_record(answers, course)
    brief.rubric = rubric_self_check(next((v for k in _keys(answers) if k.startswith(CAPSTONE_SLUG + "/") and isinstance(v := _get(answers, k), Mapping)
                                           and v.get("_kind") == "rubric"), None) or _get(answers, RUBRIC_KEY))
    return brief


def _designed_elsewhere(answers: Any, cap_slug: str, inputs: Any) -> str:
    """Why the capstone's saved design is not shown ("" when it is): it was checked on another company's plan (the worked
    example's) than the learner's own company the capstone now runs on. The design stays saved; checking it again on the
    company replaces it."""
    if inputs is None or not inputs.company:
        return ""
    own = _load(inputs.scenario.get("plan"))
    for k in _keys(answers):
        a = _get(answers, k)
        if k.startswith(cap_slug + "/") and tested_plan(a) is not None and _load(a.get("_base_plan")) not in (None, own):
            return (f"The plan you checked in the capstone was designed on {_name(a['_base_plan'])}, not on {inputs.company.get('name')}'s "
                    "plan in force: check your design again in the capstone's plan tester, which runs on your company once it is entered.")
    return ""


def latest_tested(answers: Any, mods: list[Module], cap_slug: str) -> tuple[Module, str, Mapping[str, Any]] | None:
    """(module, key, answer) of the last plan a module's tester saved when the learner checked it (in course order, before
    the capstone), with both its plans loading; None when there is none."""
    found = None
    for m in mods:
        if m.slug == cap_slug:
            break
        for k in sorted(k for k in _keys(answers) if k.startswith(m.slug + "/")):
            a = _get(answers, k)
            if tested_plan(a) is not None and a.get("checked", True) is not False:
                found = (m, k, a)
    return found


def _action_of(key: str) -> int | None:
    tail = key.split("/", 1)[-1]
    parts = tail.split("-")
    return int(parts[1]) if len(parts) > 1 and parts[0] == "action" and parts[1].isdigit() else None


def _company_data(inputs: Any, module_test: Any, current: Any, proposed: Any) -> dict[str, Any]:
    """Whose plan the brief is about: the learner's own company, the course's worked example, or a module's case; its
    currency (the room groups money by it) and the weighted components of the plan shown."""
    shown = _load(proposed) or _load(current)
    comps = [{"name": m.name, "weight_pct": float(Decimal(str(m.weight)) * 100)} for m in (shown.measures if shown else ())]
    if inputs is not None and inputs.company and module_test is None:
        lab = company_label(inputs.company)
        return {"name": lab["name"], "currency": lab["currency"], "own": True, "components": comps,
                "options": [str(o.get("name")) for o in inputs.scenario.get("options") or []]}
    plan = (inputs.scenario.get("plan") if inputs is not None and module_test is None else None) or (proposed or current or {})
    return {"name": "" if module_test is not None else _name(plan), "currency": (shown.currency if shown else "USD"), "own": False,
            "components": comps, "options": [str(o.get("name")) for o in (inputs.scenario.get("options") or [])] if inputs is not None and module_test is None else []}


def _score(rec: Any) -> dict[str, Any] | None:
    """A saved diagnostic round as the record shows it: score, out of, date."""
    if not isinstance(rec, Mapping):
        return None
    n, of = rec.get("score"), rec.get("of")
    if not (isinstance(n, int) and isinstance(of, int)) or isinstance(n, bool) or isinstance(of, bool) or not 0 <= n <= of:
        return None
    date = rec.get("date") if isinstance(rec.get("date"), str) else None
    return {"score": n, "of": of, "date": date}


def completion_record(answers: Any, course: Any, today: dt.date | None = None) -> dict[str, Any]:
    """The dated completion record: per module the exercises saved and those whose check passed (``_done``), a module
    done when every exercise it lists (or, without a list, every one saved) passed; the pre and post diagnostic scores."""
    keys = _keys(answers)
    rows, passed = [], 0
    for m, raw in zip(modules(course), getattr(course, "notes", course) or []):
        listed = raw.get("exercises") if isinstance(raw, Mapping) and isinstance(raw.get("exercises"), list) else None
        if listed is not None:  # the course outline lists exercises by id and kind; older contexts by id alone
            listed = [e.get("id") if isinstance(e, Mapping) else e for e in listed]
        saved = {k.split("/", 1)[1]: _get(answers, k) for k in keys if k.startswith(m.slug + "/")}
        saved = {k: v for k, v in saved.items() if isinstance(v, Mapping)}
        ok = sorted(k for k, v in saved.items() if status_of(dict(v)) == DONE)  # written (kept with a reason) is not passed
        need = listed if listed is not None else sorted(saved)
        passed += len(ok)
        rows.append({"slug": m.slug, "title": m.title, "saved": len(saved), "passed": len(ok),
                     "done": bool(need) and all(e in ok for e in need)})
    post = next((v for k in keys if k.startswith(CAPSTONE_SLUG + "/") and isinstance(v := _get(answers, k), Mapping)
                 and v.get("phase") == "post" and v.get("_kind") == "quiz"), None)
    pre, post = _score(_get(answers, PRE_DIAGNOSTIC_KEY)), _score(post)
    gain = post["score"] - pre["score"] if pre and post and pre["of"] == post["of"] else None
    return {"date": (today or dt.date.today()).isoformat(), "modules": rows, "modules_done": sum(r["done"] for r in rows),
            "checks_passed": passed, "diagnostic": {"pre": pre, "post": post, "gain": gain}}


def rubric_self_check(saved: Any) -> list[dict[str, Any]]:
    """The brief's four rubric criteria with the learner's self-check (ticked, and where the brief shows it)."""
    saved = saved if isinstance(saved, Mapping) else {}
    ticked = saved.get("ticked") if isinstance(saved.get("ticked"), Mapping) else {}
    where = saved.get("where") if isinstance(saved.get("where"), Mapping) else {}
    return [{"id": cid, "criterion": label, "meets": meets, "self_ticked": ticked.get(cid) is True,
             "where": _clean(where.get(cid))[:300]} for cid, label, meets in RUBRIC]


def _hypothesis_answer(keyed: list[tuple[Module, Mapping[str, Any]]]) -> Mapping[str, Any] | None:
    """The latest hypothesis in course order (the capstone's when written)."""
    return next((a for _m, a in reversed(keyed) if isinstance(a.get("lever"), str) and a.get("_kind") in (None, "hypothesis")), None)


def _hypothesis_section(sec: Section, keyed: list[tuple[Module, Mapping[str, Any]]], decisions: Mapping[str, Any], cap: Module) -> None:
    hyps = [(m, a) for m, a in keyed if isinstance(a.get("lever"), str) and a.get("_kind") in (None, "hypothesis")]
    if not hyps:
        sec.todo = f"Run {cap.where(HYPOTHESIS_ACTION)}: one sentence with the lever, the behavior, the metric and when you will look."
        return
    m, a = hyps[-1]  # the latest in course order: the capstone's when written (as _hypothesis_answer)
    date = parse_date(decisions.get("review_date"))
    sec.data = {"sentence": hypothesis_sentence(a), "module": m.title, "review_date": date.isoformat() if date else None,
                "calendar": _clean(decisions.get("calendar"))}


def _decisions_section(sec: Section, decisions: Mapping[str, Any], cap: Module) -> None:
    asks = decisions.get("asks") if isinstance(decisions.get("asks"), Mapping) else {}
    out = []
    for k, label in OWNERS:
        a = asks.get(k) if isinstance(asks.get(k), Mapping) else {}
        who, ask = _clean(a.get("who")), _clean(a.get("ask"))
        out.append({"owner": label, "who": who, "ask": ask, "is_decision": not decision_reason(ask) and not field_problem(who)})
    sec.data = {"asks": out}
    if not any(a["ask"] for a in out):
        sec.todo = f"Run {cap.where(DECISIONS_ACTION)}: ask the strategy, planning, enablement and comp owners for one decision each."


def proposed_plan(answers: Any, cap_slug: str = CAPSTONE_SLUG) -> dict[str, Any] | None:
    """The one plan the brief proposes, read by the pay table (section 3), the audit (section 4) and every warning:
    the capstone audit's plan (the tester's plan as the audit changed it) when it was saved and loads, else the plan
    the capstone's plan tester saved when checked; None when neither."""
    mine = [_get(answers, k) for k in _keys(answers) if k.startswith(cap_slug + "/")]
    audited = [a["_plan"] for a in mine if isinstance(a, Mapping) and "traces" in a and isinstance(a.get("_plan"), Mapping)]
    tested = [t for a in mine if (t := tested_plan(a)) is not None]
    if audit_outdated(answers, cap_slug):
        audited = []
    return next((dict(raw) for raw in (*audited[:1], *tested[:1]) if _load(raw) is not None), None)


def audit_outdated(answers: Any, cap_slug: str = CAPSTONE_SLUG) -> str:
    """Why the capstone audit's plan is not the one proposed ("" when it is): the audit started from a plan the tester
    no longer holds (the learner checked another plan in the tester after auditing), so its plan is an earlier design.
    The brief then proposes the tester's last checked plan and says so; the audit's answers stay saved."""
    mine = [_get(answers, k) for k in _keys(answers) if k.startswith(cap_slug + "/")]
    audits = [a for a in mine if isinstance(a, Mapping) and "traces" in a and isinstance(a.get("_plan"), Mapping)]
    tested = [t for a in mine if (t := tested_plan(a)) is not None]
    if not audits or not tested or _load(audits[0].get("_base_plan")) is None or _load(tested[0]) is None:
        return ""
    if _load(audits[0]["_base_plan"]) == _load(tested[0]):
        return ""
    return (f"Your audit in the capstone was made on an earlier plan than the one you last checked in the tester "
            f"({_name(tested[0])}): the brief proposes the tester's plan; run the audit cell again to audit it.")


def current_plan(answers: Any, inputs: Any, proposed: Any = None) -> tuple[dict[str, Any] | None, str, str]:
    """(the plan the proposal is compared with, where both plans come from in words, that plan's column label).

    The capstone company's plan as it stands (its scenario's plan: what its reps are paid today) when it loads,
    labelled "now"; else the plan the learner's design started from, labelled "starting plan", never "now"."""
    start = inputs.plan if inputs is not None else None
    for k in _keys(answers):  # the plan the capstone's tester started from, as it saved it (an audit's base is the tester's plan)
        a = _get(answers, k)
        if k.startswith(CAPSTONE_SLUG + "/") and tested_plan(a) is not None and _load(a.get("_base_plan")) is not None:
            start = dict(a["_base_plan"])
            break
    design = f"{inputs.design}), applied to the company's on-target earnings, pay mix and quota" if inputs is not None and inputs.design else ""
    started = (f"; the proposed plan is your design, started from {inputs.source} ({design or _name(start) + ')'}"
               if inputs is not None and proposed else "")
    company = inputs.scenario.get("plan") if inputs is not None else None
    if _load(company) is not None:
        return dict(company), f"Now is {_name(company)}, the company's plan as it stands{started}", "now"
    if _load(start) is None:
        return None, "", "starting plan"
    where = f"{inputs.source} ({_name(start)})" if inputs is not None else f"your capstone design's first plan ({_name(start)})"
    return dict(start), f"Starting plan: {where}", "starting plan"


def _load(raw: Any) -> Any:
    """The plan a saved mapping describes, or None when it is not one the engine loads."""
    try:
        return plan_from_dict(dict(raw)) if isinstance(raw, Mapping) else None
    except (CourseError, TypeError, ValueError, AttributeError, KeyError, ArithmeticError):
        return None


def _name(raw: Any) -> str:
    return _clean(raw.get("name")) if isinstance(raw, Mapping) and _clean(raw.get("name")) else "unnamed"


def segment_names(scenario: Mapping[str, Any] | None) -> dict[str, str]:
    """Segment or product value -> the capstone scenario's name for its option ("new-logo" -> "new logo"), as people say it."""
    opts = (scenario or {}).get("options") if isinstance(scenario, Mapping) else None
    out: dict[str, str] = {}
    for o in opts if isinstance(opts, list) else []:
        for k in ("segment", "product"):
            if isinstance(o, Mapping) and _clean(o.get(k)) and _clean(o.get("name")):
                out.setdefault(_clean(o.get(k)), deal_kind(_clean(o.get("name"))))
    return out


def _words(slug: Any) -> str:
    return _clean(slug).replace("-", " ").replace("_", " ")


def _plans_section(sec: Section, current: Any, proposed: Any, source: str, label: str, inputs: Any, names: Mapping[str, str], cap: Module) -> None:
    plans = {"current": _load(current), "proposed": _load(proposed)}
    sec.data = {"source": source, "current_label": label, "options": [], "population": {},
                "changes": plan_changes(plans["current"], plans["proposed"], names) if plans["current"] and plans["proposed"] else [],
                "planning": planning_notes(plans["proposed"], names) if plans["proposed"] else [],
                **{role: ({"name": p.name, "explained": explain(p, names)} if p else None) for role, p in plans.items()}}
    if plans["proposed"] is None:
        sec.todo = f"Run {cap.where(DESIGN_ACTION)}: change the plan until it passes the tests, then press Check."
    if inputs is None or plans["current"] is None:
        return
    try:
        sc = scenario_from_dict(inputs.scenario)
        results = {role: simulate(Scenario(p, sc.options, sc.start, sc.months, inputs.prefer, sc.population, sc.mix)) for role, p in plans.items() if p}
        # each plan's reps book the mix a rep's best year books under it, with its credit and pay multipliers
        pop = {role: population(p, sc.population, sc.months, sc.start, booking_mix(sc, results[role].best_mix))["cost_of_sales_pct"]
               for role, p in plans.items() if p and sc.population}
        mixes = {role: _percents(booking_shares(sc, results[role].best_mix)) for role in pop}
    except (CourseError, ValueError, TypeError, KeyError, ArithmeticError) as exc:  # a saved plan the simulator cannot run
        sec.data["problem"] = f"the plans could not be simulated ({type(exc).__name__}); check the plan again in the capstone"
        return
    mine = set(getattr(inputs, "renamed", {}).values())  # option names the learner's priorities gave: shown as written
    for i, o in enumerate(sc.options):
        row: dict[str, Any] = {"option": o.name, "label": o.name if o.name in mine else o.name[:1].upper() + o.name[1:],
                               "wanted": o.name == inputs.prefer}
        for role, r in results.items():
            res = r.options[i]
            row[role] = {"revenue_cents": cents(res.revenue), "pay_cents": cents(res.payout), "per_100_revenue": per_100(res.payout, res.revenue)}
        sec.data["options"].append(row)
    sec.data["rep_choice"] = {role: r.rep_choice for role, r in results.items()}
    sec.data["aligned"] = {role: bool(r.aligned) for role, r in results.items()}
    if sc.wanted:  # a strategy that wants a mix of effort: the rep follows it within one 10% step of each share
        sec.data["aligned"] = {role: near(r.best_mix, sc.wanted) for role, r in results.items()}
        sec.data["wanted_mix"] = {"words": wanted_words(sc.wanted), "shares": {n: round(v * 100) for n, v in sc.wanted.items()},
                                  "best": {role: {n: round(v * 100) for n, v in r.best_mix.items()} for role, r in results.items()}}
        years = {role: simulate_mix(sc, r.best_mix, plans[role]) for role, r in results.items()}  # the committee's one rep's year
        sec.data["wanted_mix"]["best_year"] = {role: {"revenue_cents": cents(y.revenue), "pay_cents": cents(y.payout),
                                                      "per_100_revenue": per_100(y.payout, y.revenue)} for role, y in years.items()}
    sec.data["population"] = {role: {"reps": sc.population.reps, "cost_of_sales_pct": money(pct, 1), "mix": mixes[role]}
                              for role, pct in pop.items()}


def _committee_section(sec: Section, answers: Any, inputs: Any, proposed: Any, attainment: Any,
                       cap_slug: str = CAPSTONE_SLUG) -> None:
    """The comp committee's tests on the proposal (``capstone.committee``) into the plans section: the budget against
    the plan in force and the starting design, pays target at planned attainment, who earns less and the transition,
    who covers what reps stop doing, the risk; and the changes named, the learner's apart from the inherited. The
    learner's structured answers (transition, coverage, risk) are read from the capstone tester's ``committee``."""
    plan = _load(proposed)
    if inputs is None or plan is None or not inputs.prefer:
        return
    try:
        sc = scenario_from_dict(inputs.scenario)
        starting = _load(inputs.plan) or sc.plan
        mine = [_get(answers, k) for k in _keys(answers) if k.startswith(cap_slug + "/")]
        answer = next((a.get("committee") for a in mine if isinstance(a, Mapping) and isinstance(a.get("committee"), Mapping)), None)
        att = attainment / 100 if isinstance(attainment, int) and not isinstance(attainment, bool) and 0 < attainment <= 300 else 1.0
        scn = Scenario(sc.plan, sc.options, sc.start, sc.months, inputs.prefer, sc.population, sc.mix)
        lines = committee_lines(scn, sc.plan, starting, plan, inputs.prefer, att, answer)
        named = named_changes(sc.plan, starting, plan, segment_names(inputs.scenario))
    except (CourseError, ValueError, TypeError, KeyError, ArithmeticError) as exc:
        sec.data["committee_problem"] = f"the committee's tests could not be run ({type(exc).__name__})"
        return
    sec.data["committee"] = [{"label": label, "level": level, "text": text} for label, level, text in lines]
    sec.data["named_changes"] = named


def _percents(shares: Mapping[str, Fraction]) -> dict[str, int]:
    """Exact shares as whole percents that add up to 100 (largest remainder), largest first; {} for none."""
    floors = {k: int(v * 100) for k, v in shares.items()}
    short = 100 - sum(floors.values()) if shares else 0
    for k in sorted(shares, key=lambda k: (-(shares[k] * 100 - floors[k]), k))[:short]:
        floors[k] += 1
    return dict(sorted(floors.items(), key=lambda kv: (-kv[1], kv[0])))


def plan_changes(current: Any, proposed: Any, names: Mapping[str, str] | None = None) -> list[str]:
    """What the proposed plan changes, in words: "measured over the year against the annual quota, paid monthly as earned,
    instead of each quarter on its own"; ``[]`` when
    nothing. The one plan diff behind "What changes", the summary and the check of the comp owner's ask. ``names``: a segment
    or product value -> what people call its deals (``segment_names``); else the value, hyphens read as spaces."""
    a, b = to_dict(current), to_dict(proposed)
    names = {k: deal_kind(v) for k, v in (names or {}).items()}
    out = []
    measured = {k: (d["period"], d.get("measurement", "standalone")) for k, d in (("a", a), ("b", b))}
    if measured["a"] != measured["b"]:  # in the plan tester's words for the measurement period
        now = _measured(*measured["b"])
        out.append(f"measured {now}{',' if ',' in now else ''} instead of {_measured(*measured['a'])}")
    if a.get("threshold") != b.get("threshold"):
        out.append(f"threshold {_pct(b['threshold'])} of quota instead of {_pct(a.get('threshold'))}" if b.get("threshold") else
                   f"no threshold instead of {_pct(a['threshold'])} of quota")
    def cap(p: Any) -> str:  # "a cap at 2 times the quarter's target incentive", "no cap"
        return f"a cap at {p.cap:g} times {cap_target(p)}" if p.cap else "no cap"

    if cap(current) != cap(proposed):
        out.append(f"{cap(proposed)} instead of {cap(current)}")
    out += rate_changes(current, proposed)  # "removes the 1.5x accelerator above 100%", never "a different rate curve"
    out += measure_changes(current, proposed)  # a weighted component's own threshold, cap, rate curve, weight, quota
    for k, x, y in _multipliers_changed(a.get("credit", {}), b.get("credit", {})):
        out.append(f"{(names or {}).get(k) or _words(k)} deals count {_times(y)} toward quota and pay instead of {_times(x)}")
    for k, x, y in _multipliers_changed(a.get("pay_multiplier", {}), b.get("pay_multiplier", {})):
        out.append(f"pays {_times(y)} the rate on {(names or {}).get(k) or _words(k)} bookings instead of {_times(x)}; credits no extra quota")
    # (a change of the cap's scope alone shows in the cap's words: what it multiplies)
    for k, words in (("ote", "on-target earnings"), ("quota", "quota")):
        if a.get(k) != b.get(k):
            out.append(f"{words} {money(b[k]) if b.get(k) is not None else 'none'} instead of {money(a[k]) if a.get(k) is not None else 'none'}")
    if a.get("variable_share") != b.get("variable_share"):
        out.append(f"pay mix {_mix(b.get('variable_share'))} instead of {_mix(a.get('variable_share'))} (base/incentive)")
    before, after = {x.name: x for x in current.spifs}, {x.name: x for x in proposed.spifs}
    out += [f"removes the {n} SPIF" for n in before if n not in after]
    out += [f"adds the {n} SPIF ({money(after[n].amount)} a deal)" for n in after if n not in before]
    out += [f"changes the {n} SPIF" for n in before if n in after and before[n] != after[n]]
    if a.get("draw") != b.get("draw"):
        out.append("removes the draw" if proposed.draw is None else "adds a draw" if current.draw is None else "changes the draw")
    return out  # empty: the proposed plan is the current plan


def measure_changes(current: Any, proposed: Any) -> list[str]:
    """What the proposed plan changes on each weighted component, from the component's own keys: "caps hardware at 1x
    its target (its share of the quarter's target incentive) instead of no cap", "removes the 1.5x accelerator above 100%
    on subscriptions"; a component added or removed is named. A plan-level change is ``plan_changes``'s, not repeated."""
    before, after = {m.name: m for m in current.measures}, {m.name: m for m in proposed.measures}
    out = [f"removes the {n} component" for n in before if n not in after]
    out += [f"adds the {n} component ({_pct(after[n].weight)} of the target incentive)" for n in after if n not in before]
    for n in (n for n in after if n in before):
        a, b, pa, pb = before[n].plain(), after[n].plain(), before[n].plan, after[n].plan
        if a.get("weight") != b.get("weight"):
            out.append(f"{n} weighs {_pct(b.get('weight'))} of the target incentive instead of {_pct(a.get('weight'))}")
        if a.get("quota") != b.get("quota"):
            out.append(f"{n}'s quota {money(pb.quota)} instead of {money(pa.quota)}")
        if a.get("threshold") != b.get("threshold"):  # the component's own keys: a plan-level change is said once
            out.append(f"{n} pays nothing below {_pct(pb.threshold)} of its quota instead of "
                       f"{f'below {_pct(pa.threshold)}' if pa.threshold else 'from the first sale'}" if pb.threshold else
                       f"no threshold on {n} instead of {_pct(pa.threshold)} of its quota")
        if a.get("cap") != b.get("cap"):
            its = f"its share of {cap_target(pb)}"
            out.append(f"caps {n} at {pb.cap:g}x its target ({its}) instead of "
                       f"{f'{pa.cap:g}x' if pa.cap else 'no cap'}" if pb.cap else f"no cap on {n} instead of {pa.cap:g}x its target")
        if any(k in a or k in b for k in ("tiers", "curve", "tier_mode")):
            out += [f"{c} on {n}" for c in rate_changes(pa, pb)]
    return out


def named_changes(in_force: Any, starting: Any, proposed: Any, names: Mapping[str, str] | None = None) -> dict[str, list[str]]:
    """The changes from the plan in force to the proposal, told apart: those the learner's starting design already
    made ("inherited": in force -> starting design) and those the learner made ("yours": starting design -> proposal)."""
    return {"inherited": plan_changes(in_force, starting, names), "yours": plan_changes(starting, proposed, names)}


def _measured(period: str, measurement: str) -> str:
    """What follows "measured": the plan tester's label (``engine.audit.measure_label``) made a phrase:
    "each quarter on its own", "over the year against the annual quota, paid monthly as earned"."""
    label = measure_label(period, measurement)
    if label.endswith("on its own"):
        return f"each {label}"
    return f"over {label}" if label.startswith("the ") else label


def _multipliers_changed(a: Mapping[str, Any], b: Mapping[str, Any]) -> list[tuple[str, float, float]]:
    """(value, before, after) for each multiplier ``{kind: {value: multiplier}}`` that differs (1 when absent)."""
    return [(k, x, y) for kind in sorted(set(a) | set(b)) for k in sorted(set(a.get(kind, {})) | set(b.get(kind, {})))
            if (x := a.get(kind, {}).get(k, 1.0)) != (y := b.get(kind, {}).get(k, 1.0))]


def _times(v: float) -> str:
    return "once" if v == 1 else f"{v:g} times"


def _mix(share: Any) -> str:
    """A variable share as the base/incentive pay mix: 0.4 -> "60/40"."""
    v = Decimal(str(share if share is not None else 0)) * 100
    return f"{(100 - v).normalize():f}/{v.normalize():f}"


def planning_notes(plan: Any, names: Mapping[str, str] | None = None) -> list[str]:
    """What planning must know of the proposed plan: a credit multiplier inflates reported attainment (capacity plans
    built on attainment read high), and the rate differential that pays without it; one line per multiplier."""
    names = {k: deal_kind(v) for k, v in (names or {}).items()}
    credit = [(names.get(k, _words(k)), v) for m in plan.credit.values() for k, v in sorted(m.items()) if v != 1]
    rate = [(names.get(k, _words(k)), v) for m in plan.pay_multiplier.values() for k, v in sorted(m.items()) if v != 1]
    out = []
    if credit:
        what, v = max(credit, key=lambda c: c[1])
        counted = " and ".join(f"{w} deals {x:g} times" for w, x in credit)
        out.append(f"The plan counts {counted} toward quota, so reported attainment reads above what was booked (a {_period(plan)} "
                   f"booked at 100% of quota on {what} deals reports {float(v) * 100:g}%): capacity plans and attainment reports must "
                   f"use booked numbers. A rate differential instead (pay {v:g} times the rate on {what} bookings, crediting no extra "
                   "quota) rewards the same deals without inflating attainment.")
    if rate:
        out.append("The plan " + " and ".join(f"pays {x:g} times the rate on {w} bookings" for w, x in rate) +
                   "; credits no extra quota: attainment is what was booked, so capacity plans can use it as reported.")
    return out


def _period(plan: Any) -> str:
    return {"annual": "year", "quarterly": "quarter", "monthly": "month"}.get(plan.period, "period")


def _pct(x: Any) -> str:
    return f"{(Decimal(str(x)) * 100).normalize():f}%" if x else "none"


def _findings_section(sec: Section, answers: Any, inputs: Any, shown: tuple[str, Any], m2: Module, cap: Module) -> None:
    """The audit of the plan section 3 shows (``shown``: ("proposed" or "current", its mapping)), never another."""
    if inputs is None or inputs.strategy is None:
        sec.todo = f"Run {m2.where(1)}: the audit checks the plan against your priorities."
        return
    which, plan = shown[0], _load(shown[1])
    try:
        found = audit(plan, strategy_from_dict(inputs.strategy)) if plan is not None else None
    except (CourseError, TypeError, ValueError, AttributeError, KeyError, ArithmeticError):
        found = None
    if found is None:
        sec.todo = f"Run {cap.where(DESIGN_ACTION)}: the saved plan could not be read; check a plan again."
        return
    accepted: dict[str, str] = {}
    for k in _keys(answers):
        a = _get(answers, k)
        if k.startswith(CAPSTONE_SLUG + "/") and isinstance(a, Mapping) and isinstance(a.get("accepted"), Mapping):
            basis = a.get("accepted_basis") if isinstance(a.get("accepted_basis"), Mapping) else {}
            for x, y in a["accepted"].items():  # a reason, never a pass: what it rests on and its owner, then the learner's words
                b = basis.get(x) if isinstance(basis.get(x), Mapping) else {}
                rests = f"rests on {_clean(b.get('rests_on'))}, owner {_clean(b.get('owner'))}: " if b.get("rests_on") and b.get("owner") else ""
                accepted[str(x)] = rests + _clean(y) if _clean(y) else ""
    items = []
    for f in found:
        code = getattr(f, "code", None) or getattr(f, "kind", "")
        reason = next((accepted[k] for k in (f"{code}:{f.component}", f"{f.component}: {getattr(f, 'message', None) or f.evidence}") if accepted.get(k)), "")
        evidence, fix = finding_words(f)  # components as people say them: the brief never shows a plan-file key
        items.append({"code": code, "component": f.component, "evidence": evidence, "fix": fix, "accepted_reason": reason})
    sec.data = {"plan": which, "findings": items}


def _summary(secs: list[Section]) -> str:
    """The top of the page: the proposed change, what it costs, and how many owners are asked to decide."""
    plans, dec = secs[2], secs[5]
    parts = []
    d = plans.data
    if d.get("current") and d.get("proposed"):
        parts.append(("Proposed change: " + "; ".join(d["changes"]) + ".") if d["changes"] else
                     "No change proposed: the proposed plan is the current plan.")
    wanted = next((o for o in d.get("options", []) if o["wanted"]), None)
    if d.get("changes") and (cost := _cost_words(d)):
        parts.append(cost)
    if wanted and "proposed" in wanted:
        parts.append(f"Under the proposed plan a rep's best year {'is' if d['aligned'].get('proposed') else 'is still not'} what the strategy wants.")
    n = sum(1 for a in dec.data.get("asks", []) if a["ask"])
    parts.append(f"{n} of 4 owners {'is' if n == 1 else 'are'} asked for a decision." if n else "No owner has been asked for a decision yet.")
    return " ".join(parts)


def _cost_words(d: Mapping[str, Any]) -> str:
    """What the change costs, as a CRO reads it: a rep's best year under each plan (the year a rep picks, never the
    strategy's option under a plan where nobody picks it), then the population's incentive cost, now -> proposed."""
    choice, base = d.get("rep_choice") or {}, "now" if d.get("current_label", "now") == "now" else "under the starting plan"
    best = {role: next((o for o in d.get("options") or [] if o["option"] == choice.get(role) and o.get(role)), None)
            for role in ("current", "proposed")}
    out = []
    mix = d.get("wanted_mix") or {}
    if mix.get("best_year", {}).get("current") and mix["best_year"].get("proposed"):
        # a strategy that wants a mix: a rep's best year is a mix (the committee's "one rep's year"), not one option's
        now, new = mix["best_year"]["current"], mix["best_year"]["proposed"]
        out.append(f"Cost of a rep's best year (the mix that pays a rep most): {money(Decimal(now['pay_cents']) / 100)} at "
                   f"{_mix_words(mix['best']['current'])} {base} ({now['per_100_revenue']} per 100 of bookings) → "
                   f"{money(Decimal(new['pay_cents']) / 100)} at {_mix_words(mix['best']['proposed'])} proposed "
                   f"({new['per_100_revenue']} per 100).")
    elif best["current"] and best["proposed"]:
        now, new = best["current"]["current"], best["proposed"]["proposed"]
        out.append(f"Cost of a rep's best year: {money(Decimal(now['pay_cents']) / 100)} on {option_label(d, choice['current'])} {base} "
                   f"({now['per_100_revenue']} per 100 of bookings) → {money(Decimal(new['pay_cents']) / 100)} on "
                   f"{option_label(d, choice['proposed'])} proposed ({new['per_100_revenue']} per 100).")
    pop = d.get("population") or {}
    if pop.get("current") and pop.get("proposed"):
        out.append(f"Incentive cost for {pop['current']['reps']:,} reps: {pop['current']['cost_of_sales_pct']} per 100 of bookings "
                   f"{base} → {pop['proposed']['cost_of_sales_pct']} proposed.")
    return " ".join(out)


def _mix_words(shares: Mapping[str, int]) -> str:
    """A rep's mix in whole percents, as the brief says it: "60% vineyard retrofit, 40% co-op analytics"."""
    return ", ".join(f"{v}% {n}" for n, v in sorted(shares.items(), key=lambda kv: -kv[1]) if v)


# the hypothesis's lever -> how to read it off a plan: its levels there (in the hypothesis's unit) and its name
_LEVER_LEVELS = {
    "accelerator": lambda p: [t.multiplier for t in p.effective_tiers()[1:] if t.multiplier and t.multiplier > 1],
    "threshold": lambda p: [p.threshold * 100] if p.threshold else [],
    "cap": lambda p: [p.cap * 100] if p.cap is not None else [],
    "credit multiplier": lambda p: [v for m in p.credit.values() for v in m.values() if v != 1],  # a rate is its own lever
    "SPIF": lambda p: [sp.amount for sp in p.spifs],
    "rate differential": lambda p: [v for m in p.pay_multiplier.values() for v in m.values() if v != 1],
    "pay period": lambda p: [p.months_per_period],  # saved by older hypothesis forms: the measurement period
    "measurement period": lambda p: [p.months_per_period],
}
_LEVER_WORDS = {"pay period": "measurement period"}  # a saved lever -> how the brief says it


def lever_reason(hypothesis: Mapping[str, Any], plan: Any) -> str:
    """Why the plan cannot test the hypothesis ("" when it can): it lacks the lever, or has it at another level."""
    lever, level = hypothesis.get("lever"), hypothesis.get("level")
    read = _LEVER_LEVELS.get(lever) if isinstance(lever, str) else None
    if read is None or plan is None:
        return ""
    have = read(plan)
    lever = _LEVER_WORDS.get(lever, lever)
    said = _clean(hypothesis.get("level_text")) or (f"at {level:g}" if isinstance(level, (int, float)) and not isinstance(level, bool) else "")
    if not have:
        return (f"The hypothesis tests {'an' if lever[0] in 'aeiou' else 'a'} {lever} {said}, but the proposed plan has no {lever}: "
                "add it in the capstone's plan tester, or restate the hypothesis with a lever the plan has.")
    if isinstance(level, (int, float)) and not isinstance(level, bool) and not any(abs(float(h) - level) < 1e-9 for h in have):
        unit = {"accelerator": "{:g}x", "credit multiplier": "{:g}x", "threshold": "{:g}%", "cap": "{:g}%", "SPIF": "{:,.0f}",
                "rate differential": "{:g}x", "measurement period": "{:g} months"}[lever]
        shown = " and ".join(dict.fromkeys(unit.format(float(h)) for h in have))  # each level once
        return (f"The hypothesis tests {'an' if lever[0] in 'aeiou' else 'a'} {lever} {said}, but the proposed plan has it at {shown}: "
                "make them agree before the review.")
    scope = hypothesis.get("cap_scope")
    if lever == "cap" and scope in ("period", "year"):
        yearly = cap_basis(plan) != "period"  # to date: at the year's end it is the year's cap
        if (scope == "year") != yearly:
            per = {"monthly": "month", "quarterly": "quarter"}.get(plan.period, "period")
            return ("The hypothesis caps " + ("the year's pay" if scope == "year" else "each measurement period") +
                    ", but the proposed plan's cap " + (f"resets every {per}" if not yearly else "applies to the year") +
                    ": make them agree before the review.")
    return ""


def buys_nothing(d: Mapping[str, Any]) -> str:
    """Why a change that buys no behavior is flagged ("" when it is not): a rep's best year is the same option under
    both plans, and the proposed plan pays more for that year."""
    choice = d.get("rep_choice") or {}
    if len(choice) != 2 or choice.get("current") != choice.get("proposed") or not d.get("changes"):
        return ""
    row = next((o for o in d.get("options") or [] if o["option"] == choice["proposed"] and o.get("current") and o.get("proposed")), None)
    if row is None or row["proposed"]["pay_cents"] <= row["current"]["pay_cents"]:
        return ""
    now, new = row["current"], row["proposed"]
    diff = new["pay_cents"] - now["pay_cents"]
    places = 2 if diff < 10_000 else 0  # a small difference in cents, so the three figures add up as printed
    more = money(Decimal(diff) / 100, places)
    base = "now" if d.get("current_label") == "now" else "on the starting plan"
    return (f"A rep's best year is {option_label(d, row['option'])} under both plans, so the change buys no new behavior, yet that year pays {more} more a rep "
            f"({money(Decimal(now['pay_cents']) / 100, places)} {base}, {money(Decimal(new['pay_cents']) / 100, places)} proposed; "
            f"{now['per_100_revenue']} and {new['per_100_revenue']} per 100 of bookings): propose the smallest change that moves a rep's "
            "choice, or keep the plan and say what the extra pay buys.")


_CHANGE_WORDS = frozenset("approve adopt change move replace raise lower cap uncap measure pay add remove cut drop set fund switch".split())


def asks_for_change(ask: str) -> bool:
    """Whether an owner's ask is for a change to the plan ("Approve annual measurement ..."), not to keep it."""
    words = [w.lower() for w in re.findall(r"[A-Za-z]+", ask)]
    return bool(words) and words[0] not in ("keep", "confirm", "reject", "hold") and bool(_CHANGE_WORDS & set(words[:3]))


def _warnings(secs: list[Section], hypothesis: Mapping[str, Any] | None, proposed: Any, inputs: Any) -> list[str]:
    """Where the brief contradicts itself: a change asked of comp that the plan does not make (the same plan
    diff as "What changes"), a hypothesis on a lever the proposed plan lacks, a review before the plan can show it."""
    plans, hyp, dec = secs[2], secs[4], secs[5]
    out = []
    comp = next((a for a in dec.data.get("asks", []) if a["owner"] == "Comp"), None)
    if comp and comp["is_decision"] and asks_for_change(comp["ask"]):
        if plans.data.get("current") and plans.data.get("proposed") and not plans.data.get("changes"):
            out.append(f"Comp is asked to “{comp['ask'].rstrip('.')}”, but the proposed plan is the current plan: make the change in the "
                       "capstone's plan tester and press Check, or ask comp to keep the plan.")
        elif not plans.data.get("proposed"):
            out.append(f"Comp is asked to “{comp['ask'].rstrip('.')}”, but no proposed plan is saved: check a plan in the capstone's plan tester.")
    if why := buys_nothing(plans.data):
        out.append(why)
    plan = _load(proposed)
    if hypothesis is not None and (why := lever_reason(hypothesis, plan)):
        out.append(why)
    date = parse_date(hyp.data.get("review_date"))
    start = inputs.plan_start if inputs is not None else None
    if date is not None and start is not None:
        why = review_date_reason(date, dt.date.min, inputs.cycle_months, start)
        if why:
            out.append(why)
    return out


def _map_rows(a: Mapping[str, Any]) -> list[tuple[int, dict[str, str]]]:
    """(the map's priority number, the row's text and the plan component it names) for each row with something written.
    The money difference is the map's (``_map_money``), never a row's."""
    if a.get("_kind") not in (None, "contradiction_map") or not isinstance(a.get("rows"), list):
        return []
    out = []
    for i, r in enumerate(a["rows"], 1):
        if isinstance(r, Mapping):
            row = {k: _clean(r.get(k)) for k, _ in (*MAP_FIELDS, ("contradiction", ""))}
            if any(row.values()):
                out.append((i, {**row, **({"component": _clean(r["component"])} if _clean(r.get("component")) else {})}))
    return out


def _map_money(m: Module, a: Mapping[str, Any]) -> dict[str, Any] | None:
    """A map's one money difference for the brief, in integer cents, with the module's case it was checked on (the two option
    names saved at the check, ``_money_case``: absent when the check did not accept the figure); None without a number."""
    if a.get("_kind") not in (None, "contradiction_map") or not _map_rows(a):
        return None
    raw = map_money(dict(a))
    try:
        gap = parse_money(raw) if raw else None
    except ValueError:
        gap = None
    if gap is None:
        return None
    case = a.get("_money_case")
    names = {k: _clean(case.get(k)) for k in ("want", "other")} if isinstance(case, Mapping) else {}
    return {"module": m.title, "number": m.number, "money_cents": int(cents(gap)),
            **({"want": names["want"], "other": names["other"]} if all(names.values()) and names else {})}


def _contradictions(keyed: list[tuple[Module, Mapping[str, Any]]]) -> list[dict[str, str]]:
    """Every map's rows in course order, each labelled by its module and the priority it maps, in the strategy's words
    ("Module 1, priority 1: Sell to enterprise accounts"); a row written the same in two maps is shown once, labelled
    with both ("Modules 1 and 4, priority 1: ...")."""
    seen: dict[tuple[str, ...], dict[str, Any]] = {}
    for m, a in keyed:
        for i, row in _map_rows(a):
            found = seen.setdefault(tuple(str(v).lower() for v in row.values()), {"module": m.title, "where": [], **row})
            if (m.number, i) not in found["where"]:
                found["where"].append((m.number, i))
    out = []
    for row in seen.values():
        where = row.pop("where")
        mods = sorted({n for n, _ in where})
        if len({i for _, i in where}) == 1:
            label = f"Module {mods[0]}" if len(mods) == 1 else f"Modules {', '.join(map(str, mods[:-1]))} and {mods[-1]}"
            label += f", priority {where[0][1]}"
        else:
            label = "; ".join(f"{'M' if k == 0 else 'm'}odule {n}, priority {i}" for k, (n, i) in enumerate(where))
        out.append({"priority": label + (f": {row['strategy'].rstrip('.')}" if row["strategy"] else ""), **row})
    return out


def _in_course_order(answers: Any, mods: list[Module]) -> list[tuple[Module, Mapping[str, Any]]]:
    keys = _keys(answers)
    return [(m, a) for m in mods for k in keys if k.startswith(m.slug + "/") and isinstance(a := _get(answers, k), Mapping)]


def _clean(v: Any) -> str:
    return " ".join(str(v).split()) if isinstance(v, (str, int, float)) and not isinstance(v, bool) else ""


def export_answers(answers: Any, context: Mapping[str, Any] | None = None, out_dir: Any = None, learner: str = "") -> tuple[Any, Any, Any]:
    """Compose the brief from ``answers`` and write ``decision-brief.md``, ``.html`` and ``.json`` (default:
    ``~/.coursekit/brief/<learner>/``, where ``coursekit handin`` reads the JSON). ``context`` is what the build knows of
    the course (``coursekit.assemble.brief_context``): ``course`` (modules in order, for human headings),
    ``scenario`` and ``worked`` (the capstone's scenario and the earlier worked-example plans, for pay per option)."""
    ctx = dict(context or {})
    brief = compose(answers, ctx.get("course") or [], ctx.get("scenario"), ctx.get("worked"), learner=learner)
    return export(brief, out_dir or brief_dir(learner or None))


def chart_png(brief: Brief) -> bytes | None:
    """Pay for a year on each option, current against proposed, each bar labelled with pay per 100 of bookings: a PNG."""
    d = brief.sections[2].data
    rows = d.get("options") or []
    if not rows:
        return None
    if d.get("current") and d.get("proposed") and not d.get("changes"):  # one plan: one bar per option
        rows = [{k: v for k, v in o.items() if k != "proposed"} for o in rows]
    return chart(rows, {"current": "plan now" if d.get("current_label", "now") == "now" else "starting plan"}, d.get("wanted_mix"))
