"""Which exercises a note gets, and the cells each one becomes.

A note can list ``exercises:`` in its front matter; without it, defaults follow from its sections:
each recommended action gets the widget its title calls for (a checklist if none fits), pitfalls a
pitfall check, assumptions an assumption check, and a note that speaks of a hypothesis gets the
hypothesis builder.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import CourseError
from ..notes.model import Action, ExerciseSpec, Note
from ..notes.parse import LIST_RE
from ..yamlio import parse_mapping
from .cells import IGNORE, Cells, literal

KEYWORDS = (("contradiction", "contradiction_map"), ("trace", "traceability"), ("compensation", "plan_tester"),
            ("pay", "plan_tester"), ("plan", "plan_tester"))
CLASSES = {"contradiction_map": "ContradictionMap", "plan_tester": "PlanTester", "plan_audit": "PlanAudit", "traceability": "TraceabilityChain",
           "pitfall_check": "PitfallCheck", "hypothesis": "HypothesisBuilder", "assumption_check": "AssumptionCheck",
           "checklist": "Checklist", "review": "Review"}
DEFAULT_SCENARIO = "enterprise-vs-smb.yaml"


@dataclass
class Planned:
    """An exercise placed in a notebook: its spec, its id (the answer key) and its widget kwargs."""

    spec: ExerciseSpec
    id: str
    kwargs: dict[str, Any] = field(default_factory=dict)
    demo: dict[str, Any] = field(default_factory=dict)


def default_specs(note: Note) -> list[ExerciseSpec]:
    specs = []
    for a in note.actions:
        kind = next((k for word, k in KEYWORDS if word in a.title.lower()), "checklist")
        specs.append(ExerciseSpec(kind, a.number))
    if note.pitfalls:
        specs.append(ExerciseSpec("pitfall_check"))
    text = " ".join(s.body for s in note.sections).lower()
    if "hypothesis" in text:
        specs.append(ExerciseSpec("hypothesis"))
    if note.assumptions:
        specs.append(ExerciseSpec("assumption_check"))
    return specs


def planned_exercises(note: Note, content_dir: Path) -> list[Planned]:
    specs = list(note.front.exercises) or default_specs(note)
    out, seen = [], {}
    for spec in specs:
        base = f"action-{spec.action}" if spec.action else spec.type.replace("_", "-")
        seen[base] = seen.get(base, 0) + 1
        ex_id = base if seen[base] == 1 else f"{base}-{seen[base]}"
        action = next((a for a in note.actions if a.number == spec.action), None)
        out.append(_plan(spec, ex_id, note, action, content_dir))
    return out


def _bold_fields(body: str) -> dict[str, str]:
    """`- **Strategy**: "text"` lines of an action's example, keyed by lowercase label."""
    out = {}
    for m in re.finditer(r"^\s*[-*]\s+\*\*(.+?)\*\*\s*:\s*(.+?)\s*$", body, re.M):
        out[m.group(1).strip().lower()] = m.group(2).strip().strip('"“”')
    return out


def _chains(body: str) -> dict[str, list[str]]:
    chains = {}
    for m in map(LIST_RE.match, body.splitlines()):
        if m and re.search(r"→|->", m.group(1)):
            parts = [p.strip() for p in re.split(r"→|->", m.group(1)) if p.strip()]
            if len(parts) >= 2:
                chains[parts[0]] = parts[1:]
    return chains


_YAML_CACHE: dict[tuple[str, float], tuple[dict[str, Any], Path]] = {}


def load_content_yaml(name: str, note: Note, content_dir: Path, kind: str) -> tuple[dict[str, Any], Path]:
    """A YAML file named by an exercise: inside the content folder, else a package default of that kind.
    Parsed once per build however many notes name it (cached by path and modification time)."""
    import copy

    key_path = (content_dir / name).resolve()
    key = (f"{kind}:{key_path}", key_path.stat().st_mtime if key_path.is_file() else 0.0)
    if key not in _YAML_CACHE:
        _YAML_CACHE[key] = _load_content_yaml(name, note, content_dir, kind)
    data, where = _YAML_CACHE[key]
    return copy.deepcopy(data), where


def _load_content_yaml(name: str, note: Note, content_dir: Path, kind: str) -> tuple[dict[str, Any], Path]:
    path = (content_dir / name).resolve()
    if not path.is_relative_to(content_dir.resolve()):
        raise CourseError.at(note.path, "exercises", f"{kind} {name!r} points outside the content folder", "use a path inside content/")
    if path.is_file():
        from ..errors import read_text

        text, where = read_text(path, kind), path
    else:
        res = resources.files("coursekit.data").joinpath(kind + "s", Path(name).name)
        if not res.is_file():
            raise CourseError.at(note.path, "exercises", f"{kind} {name!r} not found", f"put it under {content_dir}/")
        text, where = res.read_text(encoding="utf-8"), Path(str(res))
    data, _ = parse_mapping(text, where)
    return data, where


def load_scenario_data(name: str, note: Note, content_dir: Path) -> dict[str, Any]:
    """A scenario as plain data, validated now so the notebook cannot fail later; its plan must be inline."""
    from ..engine.simulate import scenario_from_dict

    data, where = load_content_yaml(name, note, content_dir, "scenario")
    if isinstance(data.get("plan"), str):
        raise CourseError.at(where, "plan", "must be inline for an exercise scenario", "paste the plan mapping under `plan:`")
    scenario_from_dict(data, where)
    return data


def load_audit_data(spec_opts: dict[str, Any], note: Note, content_dir: Path) -> dict[str, Any]:
    from ..engine.audit import strategy_from_dict
    from ..engine.plan import plan_from_dict

    if "plan" not in spec_opts or "strategy" not in spec_opts:
        raise CourseError.at(note.path, "exercises", "plan_audit needs `plan:` and `strategy:` files", "add both paths, relative to content/")
    plan, pwhere = load_content_yaml(str(spec_opts["plan"]), note, content_dir, "plan")
    strategy, swhere = load_content_yaml(str(spec_opts["strategy"]), note, content_dir, "strategy")
    plan_from_dict(plan, pwhere)
    strategy_from_dict(strategy, swhere)
    return {"plan": plan, "strategy": strategy}


def _plan(spec: ExerciseSpec, ex_id: str, note: Note, action: Action | None, content_dir: Path) -> Planned:
    o = spec.options
    body = action.body if action else ""
    if spec.type == "contradiction_map":
        f = _bold_fields(body)
        example = {k: f[k] for k in ("strategy", "planning", "enablement", "comp", "contradiction") if k in f}
        return Planned(spec, ex_id, {"example": o.get("example", example)})
    if spec.type == "traceability":
        return Planned(spec, ex_id, {"chains": o.get("chains") or _chains(body) or None})
    if spec.type == "plan_tester":
        data = load_scenario_data(str(o.get("scenario", DEFAULT_SCENARIO)), note, content_dir)
        return Planned(spec, ex_id, {"scenario": data, "assumed_attainment": float(o.get("assumed_attainment", 1.0))},
                       {"fix": o.get("fix", {"period": "annual"})})
    if spec.type == "plan_audit":
        return Planned(spec, ex_id, load_audit_data(o, note, content_dir))
    if spec.type == "pitfall_check":
        pits = [{"claim": p.claim, "rebuttal": p.rebuttal} for p in note.pitfalls]
        kw: dict[str, Any] = {"pitfalls": pits}
        if o.get("scenarios"):
            bad = [i for i, sc in enumerate(o["scenarios"]) if not isinstance(sc, dict) or not isinstance(sc.get("text"), str)
                   or not isinstance(sc.get("pitfall"), int) or not 0 <= sc["pitfall"] < len(pits)]
            if bad:
                raise CourseError.at(note.path, "exercises", f"pitfall_check scenario {bad[0] + 1} needs `text` and a `pitfall` from 0 to {len(pits) - 1}",
                                     "number pitfalls from 0 in the order of Common Pitfalls")
            kw["scenarios"] = o["scenarios"]
        return Planned(spec, ex_id, kw)
    if spec.type == "assumption_check":
        breaks = o.get("breaks", {})
        return Planned(spec, ex_id, {"assumptions": [{"text": a, "breaks": str(breaks.get(i + 1, breaks.get(a, "")) or _default_break(a))}
                                                     for i, a in enumerate(note.assumptions)]})
    if spec.type == "hypothesis":
        return Planned(spec, ex_id, {})
    if spec.type == "review":
        return Planned(spec, ex_id, {})
    items = [m.group(1) for m in map(LIST_RE.match, body.splitlines()) if m] or ([action.title] if action else [])
    return Planned(spec, ex_id, {"items": o.get("items", items)})


BREAKS = (
    ("rational", "reps will not respond to pay as the simulator predicts; weigh culture, manager attention and career paths alongside the plan."),
    ("strongest", "other signals (managers, recognition, promotion) steer behavior more than pay; align those first, then the plan."),
    ("system design", "if people really are the problem, redesigning the plan will not fix it; coach or hire before you redesign."),
    ("drive comp", "if comp is set before strategy, the plan encodes last year's priorities; put the strategy review first on the calendar."),
)


def _default_break(text: str) -> str:
    low = text.lower()
    return next((b for k, b in BREAKS if k in low), "the advice that rests on it needs testing in your organization before you act on it.")


def exercise_cells(c: Cells, p: Planned, instructor: bool = False) -> None:
    """The live widget (outputs ignored) and, for nbval, a worked check whose printed feedback is compared.
    The facilitator edition adds a model answer and discussion prompts."""
    _exercise_cells(c, p)
    if instructor:
        from .instructor import exercise_notes

        exercise_notes(c, p)


def _exercise_cells(c: Cells, p: Planned) -> None:
    cls = CLASSES[p.spec.type]
    var = p.id.replace("-", "_")
    if p.spec.type == "plan_tester":
        c.code(f"scenario = scenario_from_dict({literal(p.kwargs['scenario'])})\n"
               f"tester_args = dict(plan=scenario.plan, options=scenario.options, prefer=scenario.prefer,\n"
               f"                   assumed_attainment={p.kwargs['assumed_attainment']!r})", "setup")
        c.code(f'{var} = ex.PlanTester(**tester_args, answers=answers, key=MODULE + "/{p.id}")\n{var}', IGNORE, "exercise")
        c.md("**Worked example, computed by the engine.** The plan as it stands, what each option earns a rep "
             "over the year, and the same three tests after one change:")
        c.code("demo = ex.PlanTester(**tester_args)\nprint(demo.report())\ndemo.results_frame()")
        c.code(f"demo.set_answer({{**demo.answer, **{literal(p.demo['fix'])}}})\n"
               f"print('After the change:', {literal(p.demo['fix'])})\nprint(demo.report())\ndemo.results_frame()")
        return
    if p.spec.type == "review":
        c.code("ex.Review(answers)", IGNORE, "exercise")
        return
    if p.spec.type == "plan_audit":
        c.code(f"{var}_args = dict(plan=plan_from_dict({literal(p.kwargs['plan'])}),\n"
               f"    strategy=strategy_from_dict({literal(p.kwargs['strategy'])}))", "setup")
        c.code(f'{var} = ex.PlanAudit(**{var}_args, answers=answers, key=MODULE + "/{p.id}")\n{var}', IGNORE, "exercise")
        c.md("**Worked example: the plan as its designers traced it, audited by the engine:**")
        c.code(f"demo = ex.PlanAudit(**{var}_args)\nprint(demo.report())")
        return
    kwargs = {k: v for k, v in p.kwargs.items() if v is not None}
    if kwargs:
        c.code(f"{var}_args = {literal(kwargs)}", "setup")
    args = f"**{var}_args" if kwargs else ""
    c.code(f'{var} = ex.{cls}({args + ", " if args else ""}answers=answers, key=MODULE + "/{p.id}")\n{var}', IGNORE, "exercise")
    demo = DEMOS.get(p.spec.type)
    if demo:
        c.md("**Worked example, checked by the same code that checks yours:**")
        c.code(f"demo = ex.{cls}({args})\n{demo}")


DEMOS = {
    "contradiction_map": "demo.load_example()\nprint(demo.report())\ndemo.to_frame()",
    "traceability": ("demo.load_model_answer()\nprint(demo.report())\n"
                     "demo.set_answer({'chains': {**demo.answer['chains'], 'Cap': ['Behavior we want more of']}})\n"
                     "print('With a cap traced only halfway:')\nprint(demo.report())"),
    "pitfall_check": "demo.set_answer({'picks': [s['pitfall'] for s in demo.scenarios]})\nprint(demo.report())",
    "hypothesis": ("demo.set_answer({'lever': 'accelerator', 'level': 150, 'behavior': 'more multi-year platform deals',\n"
                   "                 'metric': 'platform share of new bookings', 'when': 'after 2 quarters'})\nprint(demo.report())"),
    "assumption_check": "demo.set_answer({'marks': ['yes'] + ['no'] * (len(demo.assumptions) - 1)})\nprint(demo.report())",
    "checklist": "demo.set_answer({'ticked': [True] * len(demo.items), 'notes': 'Found two contradictions.'})\nprint(demo.report())",
}
