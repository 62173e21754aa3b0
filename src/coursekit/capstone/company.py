"""The learner's own company, as the capstone takes it: name, currency, on-target earnings, pay mix, quota, plan
year, the plan in force (in the course's plan format, weighted ``measures`` included) and the options a rep can
spend the year on, with the learner's own names and numbers. Pure: no widgets, no files.

A company is a plain mapping (what the options editor saves under ``company`` and what ``coursekit answers export``
carries)::

    name: Fjordline Software         # the company, as the brief names it
    currency: NOK                    # ISO 4217
    ote: 1200000                     # on-target earnings a year
    variable_share: 0.4              # pay mix: the incentive's share of OTE
    quota: 7200000                   # a year
    start: 2027-04                   # the first month of the plan year
    plan: {...}                      # the plan in force (course plan format); or plan_text: the YAML of a plan file
    options: [{name, segment or product, deal_size, cycle_months, win_rate, deals_per_cycle}]
    prefer: new platform             # the option the strategy wants (optional: the top priority names it)
    mix: {new platform: 0.6, renewal desk: 0.4}  # or the share of effort it wants on each option (optional; steps of
                                     # 10%, adding up to 100%; it sets ``prefer`` to its largest share)

``company_problems`` checks it the way a plan file is checked: every problem one line naming the field and the fix,
a did-you-mean on every misspelt key; ``company_scenario`` turns a valid one into the scenario mapping the plan
tester, the audit, the simulator and the brief take (the company's OTE, pay mix, quota, currency and plan year
override the plan's, so the one figure the learner typed is the one used everywhere).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from coursekit.engine.plan import plan_from_dict
from coursekit.engine.scenario import mix_from, options_from_list, scenario_from_dict
from coursekit.errors import Checker, CourseError, Problem, closest
from coursekit.yamlio import parse_mapping

FILE = "your company"
FIELDS = ("name", "currency", "ote", "variable_share", "quota", "start", "plan", "plan_text", "plan_parts", "options", "prefer",
          "mix", "population")
# a plan in force built in boxes, when the learner has no plan file: how it is measured, its threshold, one accelerator
# above quota and a cap (the plan tester shapes the rest)
PLAN_PARTS = ("period", "threshold", "accelerator", "cap")
OPTION_KEYS = ("name", "segment", "product", "deal_size", "cycle_months", "win_rate", "deals_per_cycle")
# what the company sets on its plan: the figures typed in the company's boxes win over a plan file's
PLAN_ECONOMICS = {"currency": "currency", "ote": "ote", "variable_share": "variable_share", "quota": "quota"}
DEFAULT_POPULATION = {"reps": 1000, "attainment_mean": 0.85, "attainment_sd": 0.25, "seed": 7}
MAX_OPTIONS = 6


def plan_of(company: Mapping[str, Any]) -> tuple[dict[str, Any] | None, list[Problem]]:
    """The company's plan mapping (``plan``, else the YAML in ``plan_text``) with the company's economics applied;
    (None, problems) when there is none or it does not parse."""
    raw = company.get("plan")
    if raw is None and isinstance(company.get("plan_text"), str) and company["plan_text"].strip():
        try:
            raw, _lines = parse_mapping(company["plan_text"], f"{FILE}: plan_text")
        except CourseError as exc:
            return None, list(exc.problems)
    if raw is None and isinstance(company.get("plan_parts"), Mapping):
        raw, probs = built_plan(company)
        if probs:
            return None, probs
    if raw is None:
        return None, [Problem(FILE, "plan", "is missing", "build the plan in the boxes, or paste your plan file (course plan format) into the plan box")]
    if not isinstance(raw, Mapping):
        return None, [Problem(FILE, "plan", "must be a mapping of plan fields", "write `name:`, `period:`, `tiers:` ... as in a plan file")]
    plan = copy.deepcopy(dict(raw))
    for k, key in PLAN_ECONOMICS.items():
        if company.get(k) is not None:
            plan[key] = company[k]
    if month_of(company.get("start")) and "year_start" not in plan:
        plan["year_start"] = month_of(company["start"])
    if not plan.get("name") and company.get("name"):
        plan["name"] = f"{company['name']} plan in force"
    return plan, []


def built_plan(company: Mapping[str, Any]) -> tuple[dict[str, Any] | None, list[Problem]]:
    """The plan in force from ``plan_parts`` (period, threshold, accelerator, cap, as the boxes give them: a threshold
    of 0, an accelerator of 1 and a cap of 0 mean none); the company's economics are added by ``plan_of``."""
    parts = company["plan_parts"]
    chk = Checker(FILE)
    chk.unknown(parts, set(PLAN_PARTS), "plan_parts.")
    if chk.problems:
        return None, chk.problems
    plan: dict[str, Any] = {"name": f"{' '.join(str(company.get('name') or 'Your company').split())} plan in force",
                            "period": parts.get("period", "quarterly")}
    if parts.get("threshold"):
        plan["threshold"] = parts["threshold"]
    if parts.get("accelerator") not in (None, 1, 1.0):
        plan["tiers"] = [{"from": 0.0, "multiplier": 1.0}, {"from": 1.0, "multiplier": parts["accelerator"]}]
    if parts.get("cap"):
        plan["cap"] = parts["cap"]
    return plan, []


def month_of(value: Any) -> str | None:
    """"2027-04" from "2027-04", "2027-4" or a date; None when it is not a month."""
    text = f"{value.year}-{value.month:02d}" if hasattr(value, "year") else str(value).strip()
    try:
        y, m = (int(x) for x in text.split("-")[:2])
    except ValueError:
        return None
    return f"{y}-{m:02d}" if 1900 <= y <= 2200 and 1 <= m <= 12 else None


def company_problems(company: Any) -> list[Problem]:
    """Every problem of a company mapping, one line each (field and fix); [] when the capstone can run on it."""
    if not isinstance(company, Mapping):
        return [Problem(FILE, "company", "must be a mapping of fields", "fill in the company's boxes, or import an answers file")]
    chk = Checker(FILE)
    chk.unknown(company, set(FIELDS))
    name = company.get("name")
    if not isinstance(name, str) or not name.strip():
        chk.bad("name", "is missing", "write the company's name, as the brief should name it")
    for k, fix in (("ote", "on-target earnings a year, e.g. 180000"), ("quota", "a rep's quota for the year, e.g. 1080000")):
        v = company.get(k)
        if v is None:
            chk.bad(k, "is missing", f"write {fix}")
        else:
            chk.number(v, k, positive=True, fix=f"write {fix}")
    vs = company.get("variable_share")
    if vs is None:
        chk.bad("variable_share", "is missing", "write the pay mix as the incentive's share of OTE, e.g. 0.5 for 50/50")
    elif chk.number(vs, "variable_share", fix="write e.g. 0.4 for a 60/40 mix") is not None and not 0 < vs <= 1:
        chk.bad("variable_share", f"{vs} is outside (0, 1]", "write the incentive's share of OTE, e.g. 0.4 for a 60/40 mix")
    if company.get("start") is None or month_of(company["start"]) is None:
        chk.bad("start", f"{company.get('start')!r} is not a month", "write the plan year's first month as YYYY-MM, e.g. 2027-01")
    opts = company.get("options")
    if not isinstance(opts, list) or not opts:
        chk.bad("options", "is missing", "add at least two options a rep can spend the year on (name, deal size, cycle, win rate)")
        opts = []
    elif len(opts) > MAX_OPTIONS:
        chk.bad("options", f"has {len(opts)} options", f"keep the {MAX_OPTIONS} a rep really chooses between")
    for i, o in enumerate(opts):
        if isinstance(o, Mapping):
            chk.unknown(o, set(OPTION_KEYS), f"options[{i}].")
            if not (o.get("segment") or o.get("product")):
                chk.bad(f"options[{i}].segment", "is missing", "name the segment or product the option sells, as your plan's credit and measures name it")
    if opts and all(isinstance(o, Mapping) for o in opts):
        chk.problems += [p for p in options_from_list([{k: v for k, v in o.items() if k in OPTION_KEYS} for o in opts], FILE)[1]
                         if "unknown field" not in p.problem]
    prefer = company.get("prefer")
    names = [str(o.get("name")) for o in opts if isinstance(o, Mapping)]
    if prefer not in (None, "") and prefer not in names:
        chk.bad("prefer", f"{prefer!r} is not one of the options", closest(str(prefer), names) if names else "add the option first")
    if company.get("mix") not in (None, {}) and names:
        mix_from(company["mix"], names, prefer if prefer in names else None, chk, "mix", "prefer")
    plan, probs = plan_of(company) if not chk.problems or company.get("plan") is not None or company.get("plan_text") else (None, [])
    chk.problems += probs
    if plan is not None and not probs:
        try:
            loaded = plan_from_dict(plan, f"{FILE}: plan")
        except CourseError as exc:
            chk.problems += exc.problems
        else:
            for i, o in enumerate(opts):
                if loaded.measures and isinstance(o, Mapping) and not any(
                        m.matches(o.get("segment"), o.get("product"), None) for m in loaded.measures):
                    chk.bad(f"options[{i}].product" if o.get("product") else f"options[{i}].segment",
                            f"{o.get('product') or o.get('segment')!r} is paid by no measure of the plan",
                            closest(str(o.get("product") or o.get("segment")),
                                    [str(x) for m in loaded.measures for x in (m.product, m.segment) if x]) or "name it as a measure does")
    if not chk.problems:
        try:
            scenario_from_dict(_scenario(company, plan), FILE)
        except CourseError as exc:  # e.g. a measure that takes no option's deals
            chk.problems += exc.problems
    return chk.problems


def _scenario(company: Mapping[str, Any], plan: Mapping[str, Any]) -> dict[str, Any]:
    opts = [{k: v for k, v in o.items() if k in OPTION_KEYS and v not in (None, "")} for o in company["options"]]
    prefer = company.get("prefer") or None
    mix = company.get("mix") or None
    out = {"plan": dict(plan), "start": month_of(company["start"]), "months": 12, "options": opts,
           "population": dict(company.get("population") or DEFAULT_POPULATION)}
    if prefer or mix:
        out["strategy"] = {**({"prefer": prefer} if prefer else {}), **({"mix": dict(mix)} if mix else {})}
    return out


def company_scenario(company: Any) -> dict[str, Any] | None:
    """The scenario mapping of a valid company (its plan inline, named after the company); None when it has problems."""
    if company_problems(company):
        return None
    plan, _ = plan_of(company)
    return _scenario(company, plan)


def company_label(company: Any) -> dict[str, str]:
    """{"name", "currency"} of a company mapping, as the brief and the room show them ("" where missing)."""
    if not isinstance(company, Mapping):
        return {"name": "", "currency": ""}
    cur = company.get("currency")
    return {"name": " ".join(str(company.get("name") or "").split()),
            "currency": cur.upper() if isinstance(cur, str) and len(cur) == 3 and cur.isalpha() else "USD"}


def first_problem(company: Any) -> str:
    """The first problem as one line ("" when none): what a form shows above the rest."""
    probs = company_problems(company)
    return str(probs[0]) if probs else ""
