"""The capstone's inputs, built from the learner's own answers: pure functions, no widgets, no files.

- the strategy comes from module 2's priorities form (``strategy_from_priorities``);
- the starting plan is the last plan the learner checked in an earlier plan tester, in course order, else the
  model answer of the last plan tester they skipped (its exercise's plan with the tester's model fix, as
  ``worked_example_plan`` makes it); ``source`` says which;
- the options are the capstone scenario's, as the learner edited them in the options editor.

Anything in an answers file may be junk (hand-edited, older formats): every reader here skips what it
cannot use and never raises on it.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from coursekit.capstone.company import company_scenario
from coursekit.engine.plan import plan_from_dict
from coursekit.engine.scenario import options_from_list, scenario_from_dict
from coursekit.errors import CourseError

# Where the course's own notes put these exercises: the fallback for a course outline that does not list its exercises
# (an older build's context). The capstone and the brief find them by exercise kind through the outline
# (``find_kind``), so a renamed note or a moved exercise still reaches the brief.
PRIORITIES_KEY = "strategy-to-comp-translation/action-1"
CAPSTONE_SLUG = "alignment-capstone"
OPTIONS_KEY = f"{CAPSTONE_SLUG}/action-2"
DECISIONS_KEY = f"{CAPSTONE_SLUG}/action-5"
# the exercise kinds the capstone and the brief read, and the legacy key of each
NEEDED_KINDS = {"priorities": PRIORITIES_KEY, "scenario_editor": OPTIONS_KEY, "decisions": DECISIONS_KEY}
OPTION_FIELDS = ("deal_size", "deals_per_cycle", "cycle_months", "win_rate")


@dataclass(frozen=True)
class Module:
    """One module of the course as the capstone and the brief need it."""

    number: int  # 1-based position in course order
    slug: str
    title: str
    actions: Mapping[int, str] = field(default_factory=dict)  # action number -> its title
    exercises: Mapping[str, str] = field(default_factory=dict)  # exercise id (the answer key's tail) -> its kind

    def where(self, action: int | None = None) -> str:
        """"module 2, action 1 (Write each priority as a behavior)": how a learner finds an exercise."""
        if action is None:
            return f"module {self.number} ({self.title})"
        title = self.actions.get(action)
        return f"module {self.number}, action {action}" + (f" ({title})" if title else "")


def modules(course: Any) -> list[Module]:
    """The course in order, from a ``Course`` (``.notes``), a list of notes, or a list of mappings
    ``{"slug", "title", "actions": {number: title}}`` (the form ``progress_frame`` takes)."""
    items = getattr(course, "notes", course) or []
    out = []
    for i, m in enumerate(items, 1):
        if isinstance(m, Module):
            out.append(Module(i, m.slug, m.title, m.actions, m.exercises))
            continue
        exercises: dict[str, str] = {}
        if isinstance(m, Mapping):
            slug, title = str(m.get("slug", "")), str(m.get("title") or m.get("slug", ""))
            acts = m.get("actions") if isinstance(m.get("actions"), Mapping) else {}
            actions = {int(k): str(v) for k, v in acts.items() if str(k).isdigit()}
            exs = m.get("exercises") if isinstance(m.get("exercises"), Mapping) else {}
            exercises = {str(k): str(v) for k, v in exs.items()}
        else:  # a Note
            slug, title = m.slug, m.front.title
            actions = {a.number: a.title for a in getattr(m, "actions", ())}
        out.append(Module(i, slug, title, actions, exercises))
    return out


def exercise_ids(specs: Iterable[Any]) -> list[str]:
    """The id (answer key tail) of each exercise spec (``.action``, ``.type``), as the planning pass gives them:
    ``action-N``, then ``action-N-2`` for a second exercise on the same action; ``type-name`` without an action."""
    seen: dict[str, int] = {}
    out = []
    for spec in specs:
        base = f"action-{spec.action}" if spec.action else spec.type.replace("_", "-")
        seen[base] = seen.get(base, 0) + 1
        out.append(base if seen[base] == 1 else f"{base}-{seen[base]}")
    return out


def find_kind(answers: Any, mods: list[Module], kind: str, before: str | None = None) -> tuple[str, Any, Module | None]:
    """(key, answer, module) of the learner's last answer to an exercise of ``kind``, found through the course outline
    (each module's exercises by kind), in course order and before module ``before`` when given; else the last saved
    answer that says it is of that kind (one saved under a note's old slug, before it was renamed); else the course's
    legacy key. ("", None, None) when there is none."""
    found: tuple[str, Any, Module | None] = ("", None, None)
    for m in mods:
        if before is not None and m.slug == before:
            break
        for ex_id, k in m.exercises.items():
            if k == kind and (a := get_answer(answers, f"{m.slug}/{ex_id}")) is not None:
                found = (f"{m.slug}/{ex_id}", a, m)
    if found[0]:
        return found
    by_slug = {m.slug: m for m in mods}
    for key in keys_of(answers):
        a = get_answer(answers, key)
        if isinstance(a, Mapping) and a.get("_kind") == kind:
            found = (key, a, by_slug.get(key.split("/")[0]))
    legacy = NEEDED_KINDS.get(kind)
    if not found[0] and legacy and (a := get_answer(answers, legacy)) is not None:
        found = (legacy, a, by_slug.get(legacy.split("/")[0]))
    return found


def missing_kinds(mods: list[Module]) -> list[str]:
    """The kinds the capstone and the brief read that no module of the outline has (a course outline that lists
    exercises only)."""
    have = {k for m in mods for k in m.exercises.values()}
    return [k for k in NEEDED_KINDS if have and k not in have]


def _module_of(mods: list[Module], slug: str) -> Module | None:
    return next((m for m in mods if m.slug == slug), None)


# --- the strategy from the priorities form ------------------------------------------------------

def _text(v: Any) -> str:
    return " ".join(str(v).split()) if isinstance(v, (str, int, float)) and not isinstance(v, bool) else ""


def _months(v: Any) -> int | None:
    try:
        n = int(v)
    except (TypeError, ValueError, OverflowError):
        return None
    return n if 1 <= n <= 120 and n == v else None


def priority_rows(answer: Any) -> list[dict[str, Any]]:
    """The usable rows of a priorities answer, highest rank first: each has a name and a behavior;
    ``segment`` and ``cycle_months`` are kept when they are valid. Junk yields ``[]``."""
    rows = answer.get("priorities") if isinstance(answer, Mapping) else None
    out = []
    for i, r in enumerate(rows if isinstance(rows, list) else []):
        if not isinstance(r, Mapping):
            continue
        name, behavior = _text(r.get("name")), _text(r.get("behavior"))
        if not name or not behavior:
            continue
        rank = r.get("rank")
        rank = rank if isinstance(rank, int) and not isinstance(rank, bool) else 99
        out.append({"name": name, "behavior": behavior, "segment": _text(r.get("segment")) or None,
                    "cycle_months": _months(r.get("cycle_months")), "rank": rank, "_row": i})
    seen, unique = set(), []
    for r in sorted(out, key=lambda r: (r["rank"], r["_row"])):
        if r["name"].lower() not in seen:
            seen.add(r["name"].lower())
            unique.append({k: v for k, v in r.items() if k != "_row"})
    return unique


def _norm(v: Any) -> str:
    return " ".join(str(v or "").lower().replace("-", " ").replace("_", " ").split())


def resolve_option(options: Iterable[Mapping[str, Any]], said: Any) -> dict[str, Any] | None:
    """The option a priority's free-text "applies to" names: by its segment, its product or its own name, ignoring
    case, dashes and spaces; None when it names none."""
    want = _norm(said)
    if not want:
        return None
    return next((dict(o) for o in options if want in (_norm(o.get("segment")), _norm(o.get("product")), _norm(o.get("name")))), None)


def strategy_from_priorities(answer: Any, options: Iterable[Mapping[str, Any]] | None = None, rename: bool = True) -> dict[str, Any] | None:
    """A strategy mapping for ``coursekit.engine.strategy_from_dict`` from a priorities answer, or None
    when it holds no usable priority.

    With ``options`` (a scenario's option mappings), an option whose segment or product a priority
    names takes that priority's name, so the audit prices the priority against the other options; the
    first priority to claim an option keeps it, and a name another option already has is not taken.
    With ``rename=False`` (the learner's own company) the options keep their names and each priority takes the segment
    or product of the option its free text names (``resolve_option``), which is how the audit tells priority deals apart.
    """
    rows = priority_rows(answer)
    if not rows:
        return None
    opts = [dict(o) for o in options or []]
    pris = []
    for r in rows:
        p = {"name": r["name"], "behavior": r["behavior"], "cycle_months": r["cycle_months"] or 1}
        hit = None if rename else resolve_option(opts, r["segment"])
        if hit is not None:
            p.update({"segment": hit["segment"]} if hit.get("segment") else {"product": hit["product"]} if hit.get("product") else {})
        elif r["segment"]:
            p["segment"] = r["segment"]
        pris.append(p)
    out: dict[str, Any] = {"priorities": pris}
    att = answer.get("assumed_attainment") if isinstance(answer, Mapping) else None
    if isinstance(att, (int, float)) and not isinstance(att, bool) and 0 < att <= 300:
        out["planning"] = {"assumed_attainment": round(att / 100, 4), "assumptions": ["capacity model", "quality gate"]}
    if options is not None:
        out["options"] = named_for_priorities(opts, rows) if rename else opts
    return out


def named_for_priorities(options: Iterable[Mapping[str, Any]], rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The options, each one a priority claims (by segment or product) renamed after that priority."""
    opts = [dict(o) for o in options]
    taken = {str(o.get("name")) for o in opts}
    claimed: set[int] = set()
    for r in rows:
        seg = r.get("segment")
        i = next((i for i, o in enumerate(opts) if i not in claimed and seg and seg in (o.get("segment"), o.get("product"))), None)
        if i is None or (r["name"] in taken and opts[i].get("name") != r["name"]):
            continue
        claimed.add(i)
        taken.discard(str(opts[i].get("name")))
        opts[i]["name"] = r["name"]
        taken.add(r["name"])
    return opts


# --- the options editor's answer -----------------------------------------------------------------

def apply_options(scenario: Mapping[str, Any], edited: Any) -> dict[str, Any]:
    """The scenario with the options as the learner edited them (matched by name). Each edited field
    replaces the scenario's only when the engine accepts the option with it; junk is ignored."""
    out = copy.deepcopy(dict(scenario))
    rows = edited.get("options") if isinstance(edited, Mapping) else None
    by_name = {str(r.get("name")): r for r in (rows if isinstance(rows, list) else []) if isinstance(r, Mapping)}
    opts = []
    for o in out.get("options") or []:
        new = dict(o)
        for k in OPTION_FIELDS:
            v = by_name.get(str(o.get("name")), {}).get(k)
            if v is not None:
                trial = {**new, k: v}
                if not options_from_list([trial], "<options>")[1]:
                    new = trial
        opts.append(new)
    out["options"] = opts
    return out


# --- the starting plan -------------------------------------------------------------------------

def tested_plan(answer: Any) -> dict[str, Any] | None:
    """The plan a plan tester saved when the learner checked it, if it is a valid plan; else None.
    Plan-audit answers (which also save a plan) are not plan-tester answers."""
    if not isinstance(answer, Mapping) or not isinstance(answer.get("_plan"), Mapping):
        return None
    kind = answer.get("_kind")
    if kind not in (None, "plan_tester") or (kind is None and ("traces" in answer or "accelerator" not in answer)):
        return None
    try:
        plan_from_dict(dict(answer["_plan"]))
    except (CourseError, TypeError, ValueError, AttributeError, KeyError, ArithmeticError):
        return None
    return copy.deepcopy(dict(answer["_plan"]))


# what a company's plan sets for its reps' money (taken from the capstone company), against the design a learner brings
ECONOMICS = ("ote", "variable_share", "quota", "currency", "year_start", "start", "ramp", "draw")


def rebase(design: Mapping[str, Any], company: Mapping[str, Any], options: Iterable[Mapping[str, Any]]) -> tuple[dict[str, Any], list[str]]:
    """A plan designed in an earlier module for another company, applied to this company: its on-target earnings,
    pay mix, quota (and currency, plan year, draw) are the company's; its design (measurement, threshold, tiers or
    curve, cap, multipliers, SPIFs) is the learner's. A multiplier or SPIF on a segment or product no option here has
    pays nothing here: it is left out and said so. Component traces are the company's, where the component exists.
    Returns (plan, notes)."""
    plan = {k: copy.deepcopy(v) for k, v in design.items() if k not in ECONOMICS and k not in ("name", "traces_to")}
    plan.update({k: copy.deepcopy(company[k]) for k in ECONOMICS if k in company})
    plan["name"] = f"{company.get('name', 'This company')} with your design"
    opts = list(options)
    here = {"segment": {o.get("segment") for o in opts} - {None}, "product": {o.get("product") for o in opts} - {None}}
    notes = []
    for key, what in (("credit", "credit"), ("pay_multiplier", "rate")):
        kept: dict[str, dict[str, Any]] = {}
        for kind, m in (plan.get(key) or {}).items():
            for name, v in (m or {}).items():
                if name in here.get(kind, set()):
                    kept.setdefault(kind, {})[name] = v
                elif v != 1:
                    notes.append(f"your {name} {what} of {v:g}x names no {kind} of this company: left out")
        plan[key] = kept
    spifs = []
    for sp in plan.get("spifs") or []:
        misses = [k for k in ("segment", "product") if sp.get(k) is not None and sp[k] not in here[k]]
        if misses:
            notes.append(f"your SPIF {sp.get('name', '')!s} is on a {misses[0]} this company does not sell: left out")
        else:
            spifs.append(sp)
    plan["spifs"] = spifs
    try:
        components = set(plan_from_dict(plan).components())
        plan["traces_to"] = {k: v for k, v in (company.get("traces_to") or {}).items() if k in components}
    except (CourseError, TypeError, ValueError, AttributeError, KeyError, ArithmeticError):
        return copy.deepcopy(dict(design)), []  # cannot be combined: the design as it was saved
    return plan, notes


def worked_example_plan(scenario: Mapping[str, Any], fix: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The plan of a module's worked example: its scenario's plan after the change the example makes
    (``period``, ``threshold``, ``cap``, or for the option the strategy prefers ``credit`` (quota credit) or ``rate``
    (a pay multiplier: pay only, attainment unchanged))."""
    plan = copy.deepcopy(dict(scenario.get("plan") or {}))
    for k, v in (fix or {}).items():
        if k in ("period", "threshold", "cap"):
            if v:
                plan[k] = v
            else:
                plan.pop(k, None)
        elif k in ("credit", "rate"):
            prefer = (scenario.get("strategy") or {}).get("prefer")
            opt = next((o for o in scenario.get("options") or [] if o.get("name") == prefer), None)
            if opt and (opt.get("segment") or opt.get("product")):
                kind = "segment" if opt.get("segment") else "product"
                field_ = "credit" if k == "credit" else "pay_multiplier"
                plan.setdefault(field_, {}).setdefault(kind, {})[opt.get(kind)] = v
    return plan


@dataclass
class CapstoneInputs:
    """What the capstone starts from, and where each part came from, in words the widget prints."""

    scenario: dict[str, Any]  # the capstone scenario, options as edited and named after the priorities
    plan: dict[str, Any]  # the starting plan (a plan mapping)
    source: str  # "your plan tester in module 3" / "the model answer of module 3's plan tester, which you skipped"
    strategy: dict[str, Any] | None  # for strategy_from_dict, or None without priorities
    strategy_source: str
    prefer: str | None  # the option the strategy wants chosen
    notes: list[str] = field(default_factory=list)  # anything skipped in the answers file
    options_edited: bool = False  # True when the learner's options editor changed a number
    renamed: dict[str, str] = field(default_factory=dict)  # scenario option name -> the priority that claims it
    design: str = ""  # the name of the plan whose design the starting plan carries, when it came from another module
    company: dict[str, Any] | None = None  # the learner's own company (``capstone.company``), when the capstone runs on it
    mix: dict[str, float] | None = None  # the wanted share of effort per option (the company's ``mix``), or None: one option

    @property
    def cycle_months(self) -> int | None:
        """The sales cycle of what the strategy wants (the top priority's, else the preferred option's):
        the hypothesis is reviewed after at least one (``DecisionsForm(min_months=...)``)."""
        if self.strategy:
            return self.strategy["priorities"][0]["cycle_months"]
        opt = next((o for o in self.scenario.get("options") or [] if o.get("name") == self.prefer), None)
        return int(opt.get("cycle_months", 1)) if opt else None

    @property
    def plan_start(self) -> dt.date | None:
        """The first day of the capstone scenario's plan year (its ``start`` month): the hypothesis is
        reviewed after it (``DecisionsForm(plan_start=...)``); None when the scenario cannot say."""
        try:
            year, month = scenario_from_dict(self.scenario).start
            return dt.date(year, month, 1)
        except (CourseError, TypeError, ValueError, KeyError, AttributeError):
            return None

    def describe(self) -> str:
        """What the capstone starts from, one line each, for the learner to read before designing."""
        pris = "; ".join(f"{i}. {p['name']} ({p.get('segment') or p.get('product') or 'any segment'}, {p['cycle_months']}-month cycle)"
                         for i, p in enumerate((self.strategy or {}).get("priorities", []), 1))
        lines = [f"Strategy: {self.strategy_source}" + (f": {pris}." if pris else "."),
                 f"Starting plan: {self.source} ({self.design or self.plan.get('name', 'unnamed')}).",
                 "Options: " + ("as you set them in the options editor." if self.options_edited else
                               "the scenario's own numbers; set yours in the options editor.")]
        if self.renamed:
            lines.append("Your priorities price these options: " + "; ".join(f"{old} as {new}" for old, new in self.renamed.items()) + ".")
        return "\n".join(lines + [f"Note: {n}." for n in self.notes])


def capstone_inputs(answers: Any, course: Any, scenario: Mapping[str, Any],
                    worked_examples: Mapping[str, Mapping[str, Any]] | None = None) -> CapstoneInputs:
    """The capstone's starting point from an ``Answers`` object.

    ``course``: the course in order (see ``modules``). ``scenario``: the capstone scenario mapping
    (its plan inline). ``worked_examples``: module slug -> the plan mapping of that module's plan-tester
    worked example (see ``worked_example_plan``), for the modules that have a plan tester.
    """
    mods = modules(course)
    worked = dict(worked_examples or {})
    notes: list[str] = []
    keys = keys_of(answers)
    cap_slug = capstone_slug(mods)
    _k, editor, _m = find_kind(answers, mods, "scenario_editor")
    company = own_company(editor)
    if company is not None:
        return _own_inputs(answers, mods, company, editor)

    # the plan: the last checked tester plan before the capstone, in course order
    plan, source = None, ""
    for m in mods:
        if m.slug == cap_slug:
            break
        for key in (k for k in keys if k.startswith(m.slug + "/")):
            a = get_answer(answers, key)
            found = tested_plan(a)
            if found is not None:
                plan, source = found, f"your plan tester in module {m.number}"
            elif isinstance(a, Mapping) and "_plan" in a and "accelerator" in a:
                notes.append(f"the plan saved in module {m.number} could not be read; it was skipped")
    if plan is None:
        skipped = [m for m in mods if m.slug in worked and m.slug != cap_slug]
        if skipped:
            m = skipped[-1]
            # the exercise's plan with the tester's model fix (``worked_example_plan``), not the note's worked example
            plan, source = copy.deepcopy(dict(worked[m.slug])), f"the model answer of module {m.number}'s plan tester, which you skipped"
        else:
            plan, source = copy.deepcopy(dict(scenario.get("plan") or {})), "the capstone scenario's own plan"

    sc = apply_options(scenario, editor)
    edited = any(o != e for o, e in zip(scenario.get("options") or [], sc["options"]))
    company_plan = scenario.get("plan")
    if isinstance(company_plan, Mapping) and source != "the capstone scenario's own plan":
        design = str(plan.get("name", "the plan"))
        plan, dropped = rebase(plan, company_plan, sc.get("options") or [])
        notes += [f"its design is applied to {company_plan.get('name', 'this company')}'s on-target earnings, pay mix and quota",
                  *dropped]
    else:
        design = ""
    _k, pri_answer, m2 = find_kind(answers, mods, "priorities")
    m2 = m2 or _module_of(mods, PRIORITIES_KEY.split("/")[0])
    strategy = strategy_from_priorities(pri_answer, sc.get("options") or [])
    where = m2.where(1) if m2 else "module 2, action 1"
    prefer = (sc.get("strategy") or {}).get("prefer")
    renamed: dict[str, str] = {}
    if strategy is None:
        strategy_source = f"you have no priorities yet: write them in {where}"
        if pri_answer is not None:
            notes.append(f"the priorities saved in {where} have no usable row")
    else:
        strategy_source = f"from your priorities in {where}"
        renamed = {str(o.get("name")): str(n.get("name")) for o, n in zip(sc["options"], strategy["options"]) if o.get("name") != n.get("name")}
        sc["options"] = strategy["options"]
        top = strategy["priorities"][0]["name"]
        if any(o.get("name") == top for o in sc["options"]):
            prefer = top
            sc["strategy"] = {"prefer": top}
        else:
            prefer = renamed.get(str(prefer), prefer)  # the scenario's preferred option, under the name a priority gave it
            sc["strategy"] = {"prefer": prefer}
            notes.append(f"your top priority, {top}, names no option of this scenario: the scenario's preferred option stands in for it")
    return CapstoneInputs(sc, plan, source, strategy, strategy_source, prefer, notes, edited, renamed, design)


def capstone_slug(mods: list[Module]) -> str:
    """The capstone's module: the one with the options editor (by kind), else the course's own slug."""
    return next((m.slug for m in mods if "scenario_editor" in m.exercises.values()), CAPSTONE_SLUG)


def own_company(editor: Any) -> dict[str, Any] | None:
    """The learner's own company from the options editor's answer, when they chose it and it is valid; else None."""
    if not isinstance(editor, Mapping) or not editor.get("own") or not isinstance(editor.get("company"), Mapping):
        return None
    return dict(editor["company"]) if company_scenario(editor["company"]) is not None else None


def company_inputs(answers: Any, course: Any = None) -> CapstoneInputs | None:
    """What a plan tester needs to run on the learner's own company (as the capstone would), from any module; None until
    the company is entered and checks clean in the capstone's options editor."""
    mods = modules(course or [])
    _k, editor, _m = find_kind(answers, mods, "scenario_editor")
    company = own_company(editor)
    return None if company is None else _own_inputs(answers, mods, company, editor)


def own_company_inputs(answers: Any, company: Any, course: Any = None) -> CapstoneInputs | None:
    """The capstone's inputs on ``company`` as the options editor holds it now (before or after its answer is saved),
    the strategy's option from the learner's priorities in ``answers``; None while the company has a problem."""
    if company_scenario(company) is None:
        return None
    return _own_inputs(answers, modules(course or []), dict(company), {})


def _own_inputs(answers: Any, mods: list[Module], company: Mapping[str, Any], editor: Mapping[str, Any]) -> CapstoneInputs:
    """The capstone on the learner's own company: its plan in force is the starting plan, its options keep the learner's
    names, and the top priority picks the option the strategy wants by the segment, product or option it names."""
    sc = company_scenario(company)
    plan = copy.deepcopy(sc["plan"])
    _k, pri_answer, m2 = find_kind(answers, mods, "priorities")
    where = m2.where(1) if m2 else "module 2, action 1"
    strategy = strategy_from_priorities(pri_answer, sc["options"], rename=False)
    notes: list[str] = []
    prefer = (sc.get("strategy") or {}).get("prefer")
    mix = (sc.get("strategy") or {}).get("mix")
    if mix:
        prefer = scenario_from_dict(sc).prefer  # the company's ``prefer``, else the mix's largest share
    if strategy is None:
        strategy_source = f"you have no priorities yet: write them in {where}"
    if mix:  # the company states the mix it wants: it sets the option the strategy prefers (its largest share)
        if strategy is not None:
            strategy_source = f"from your priorities in {where}, with the mix of effort your company wants"
            top = strategy["priorities"][0]
            opt = resolve_option(sc["options"], top.get("segment") or top.get("product"))
            if opt is not None and opt["name"] != prefer:
                notes.append(f"your top priority, {top['name']}, names {opt['name']}, but the mix you want puts most effort on "
                             f"{prefer}: the mix decides")
    elif strategy is not None:
        strategy_source = f"from your priorities in {where}"
        top = strategy["priorities"][0]
        opt = resolve_option(sc["options"], top.get("segment") or top.get("product"))
        if opt is not None:
            prefer = opt["name"]
        elif prefer is None:
            notes.append(f"your top priority, {top['name']}, names no option of {company['name']}: say which option it is in its "
                         "'Applies to' box, or set the option the strategy wants")
    if prefer is None:
        prefer = sc["options"][0]["name"]
        notes.append(f"the strategy's option is not set: {prefer} stands in for it")
    sc["strategy"] = {"prefer": prefer, **({"mix": dict(mix)} if mix else {})}
    if strategy is not None and mix:
        strategy["mix"] = dict(mix)  # the audit reads a cap that holds the mix as the mix's price, not "lift the cap"
    return CapstoneInputs(sc, plan, f"your company's plan in force ({company['name']})", strategy, strategy_source, prefer,
                          notes, True, {}, "", company=dict(company), mix=dict(mix) if mix else None)


def keys_of(answers: Any) -> list[str]:
    """The keys of an answers object; none when it cannot list them."""
    try:
        return [k for k in answers.keys() if isinstance(k, str)]
    except Exception:  # noqa: BLE001 - any answers object that cannot list its keys has none to offer
        return []


def get_answer(answers: Any, key: str) -> Any:
    """One saved answer, or None when the answers object cannot give it."""
    try:
        return answers.get(key)
    except Exception:  # noqa: BLE001
        return None
