"""Plan tester: the learner changes a plan and watches the payout curve and a rational rep's choice.

Its worked example is declared, never code in a note: a scenario, named plan changes, and what to show,
computed here by the engine (``compare_changes``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from coursekit.answers import course_pandas
from coursekit.engine.audit import explain
from coursekit.engine.frontier import LEVERS
from coursekit.engine.money import money
from coursekit.engine.plan import plan_from_dict
from coursekit.engine.scenario import scenario_from_dict
from coursekit.engine.simulate import simulate
from coursekit.errors import CourseError
from coursekit.exercises.kind import Cells, Choice, Kind, PlanContext, Planned, literal, md_escape, plan_choices, text

DEFAULT_SCENARIO = "enterprise-vs-smb.yaml"
COST_COLUMN = "incentive cost per 100 of bookings"  # incentive pay only, over bookings (not revenue, not base pay)
SHOW = ("pay", "choice", "cost")  # pay per option, the rep's choice, incentive cost per 100 of bookings


@dataclass(frozen=True)
class WorkedExample:
    changes: dict[str, dict[str, Any]]  # named plan changes (plan-file keys), e.g. {"quarterly": {period: quarterly}}; {} is the plan as it stands
    scenario: str | None = None  # scenario file, relative to content/; default: the exercise's own
    show: list[str] = field(default_factory=lambda: ["pay", "choice"])  # any of pay, choice, cost


@dataclass(frozen=True)
class Budget:
    per_100: float  # the incentive cost per 100 of bookings the company will pay for this plan ("Can we afford it?"'s limit)
    basis: str  # where the figure comes from, in one phrase, shown with it (e.g. "Finance's budget for the team's incentive pay")


@dataclass(frozen=True)
class Search:
    exclude: dict[str, str] = field(default_factory=dict)  # lever (engine.frontier.LEVERS) -> why the module names it a misconception


@dataclass(frozen=True)
class Options:
    scenario: str = DEFAULT_SCENARIO  # scenario file (plan inline, options, strategy), relative to content/
    assumed_attainment: float = 1.0  # planning's assumed attainment, marked on the curve
    fix: dict[str, Any] = field(default_factory=lambda: {"period": "annual"})  # the model fix, in the tester's terms (facilitator edition)
    worked_example: WorkedExample | None = None  # a different case shown before the exercise; default: the plan as it stands
    capstone: bool = False  # start from the learner's capstone inputs and follow the options editor (a scenario_editor before it)
    choices: list[Choice] | None = None  # keyed choices on what the tester shows (each wrong option a named misconception)
    spif_control: bool = False  # a "SPIF per deal" control on the priority's deals, all year, priced beside the credit and the rate
    budget: Budget | None = None  # a stated budget for "Can we afford it?"; default: the plan as given plus COST_TOLERANCE per 100
    frontier: Search | None = None  # the cheapest-plan search: levers the module leaves out (its misconceptions), each with why



def compare_changes(scenario: dict[str, Any], changes: dict[str, dict[str, Any]], show: list[str] | tuple[str, ...] = ("pay", "choice")):
    """One row per named change: what each option pays a rep over the scenario's months (whole currency units,
    half-up), the rational rep's choice, and its incentive cost per 100 of bookings (the chosen option's pay over the
    bookings it is paid on; base pay is not in it)."""
    pd = course_pandas()

    rows = []
    for label, change in changes.items():
        r = simulate(scenario_from_dict({**scenario, "plan": {**scenario["plan"], **change}}, label))
        row: dict[str, Any] = {"plan": label}
        if "pay" in show:
            row.update({f"pay on {o.name}": money(o.payout) for o in r.options})
        if "choice" in show:
            row["rep picks"] = r.rep_choice
        if "cost" in show:
            chosen = next(o for o in r.options if o.name == r.rep_choice)
            row[COST_COLUMN] = f"{(Decimal(str(chosen.payout)) / Decimal(str(chosen.revenue)) * 100).quantize(Decimal('0.1'), ROUND_HALF_UP)}" \
                if chosen.revenue else "n/a"
        rows.append(row)
    return pd.DataFrame(rows).set_index("plan")


def plan_text(data: Any) -> str | None:
    """A saved plan in plain words, or None when it cannot be read (a hand-edited answers file)."""
    if not isinstance(data, dict):
        return None
    try:
        return explain(plan_from_dict(data, "answers"))
    except (CourseError, TypeError, ValueError, KeyError):
        return None


def capstone_needs_editor(ctx: PlanContext) -> None:
    """A ``capstone: true`` exercise reads what the options editor's cells define: one must come before it."""
    specs = ctx.specs_for()
    before = specs[:next((i for i, s in enumerate(specs) if s is ctx.spec), len(specs))]
    if not any(s.type == "scenario_editor" for s in before):
        ctx.bad("capstone: true needs the options editor before it", "list `{type: scenario_editor}` before this exercise")


def _scenario(ctx: PlanContext, name: str) -> dict[str, Any] | None:
    """A scenario as plain data, validated now so the notebook cannot fail later; its plan must be inline."""
    def check(data: dict[str, Any], where: Path) -> None:
        if isinstance(data.get("plan"), str):
            raise CourseError.at(where, "plan", "must be inline for an exercise scenario", "paste the plan mapping under `plan:`")
        scenario_from_dict(data, where)

    return ctx.load_checked(name, "scenario", check)


def afford_options(ctx: PlanContext, o: Options) -> dict[str, Any]:
    """The budget and the search's left-out levers as widget kwargs, checked: a budget above 0 with its basis; each
    left-out lever one the search moves, with its reason."""
    out: dict[str, Any] = {}
    if o.budget is not None:
        if not 0 < o.budget.per_100 < 100 or not o.budget.basis.strip():
            ctx.bad(f"budget {o.budget.per_100!r} is not a cost per 100 of bookings above 0 with its basis",
                    'write e.g. `budget: {per_100: 16.0, basis: "Finance\'s budget for the team\'s incentive pay"}`')
        else:
            out["budget"] = {"per_100": float(o.budget.per_100), "basis": o.budget.basis.strip()}
    if o.frontier is not None and o.frontier.exclude:
        bad = [k for k in o.frontier.exclude if k not in LEVERS]
        empty = [k for k, why in o.frontier.exclude.items() if not str(why).strip()]
        if bad:
            ctx.bad(f"frontier exclude {bad[0]!r} is not a lever the search moves", "use any of " + ", ".join(LEVERS))
        elif empty:
            ctx.bad(f"frontier exclude {empty[0]!r} has no reason", f'write `{empty[0]}: "why this module names it a misconception"`')
        else:
            out["frontier_exclude"] = {k: str(v).strip() for k, v in o.frontier.exclude.items()}
    return out


class PlanTester(Kind):
    name, widget, title = "plan_tester", "PlanTester", "Plan tester"
    Options = Options
    keywords = ("compensation", "pay", "plan")
    minutes = 10
    prompts = ("What is the smallest change that flips the first test? Why that one?",
               "What would your CFO object to in the fixed plan, and what evidence answers them?")

    def plan(self, ctx: PlanContext) -> dict[str, Any] | None:
        o: Options = ctx.options
        data = _scenario(ctx, o.scenario)
        if not 0 < o.assumed_attainment <= 5:
            ctx.bad(f"assumed_attainment {o.assumed_attainment} is not above 0 and at most 5", "write e.g. `assumed_attainment: 1.0`")
        if o.capstone:
            capstone_needs_editor(ctx)
        choices = plan_choices(ctx, o.choices)
        extra = afford_options(ctx, o)
        return None if data is None else {**extra, "scenario": data, "assumed_attainment": float(o.assumed_attainment),
                                         **({"capstone": True} if o.capstone else {}), **({"keyed": choices} if choices else {}),
                                         **({"spif_control": True} if o.spif_control else {})}

    def demo(self, ctx: PlanContext, kwargs: dict[str, Any]) -> dict[str, Any]:
        w: WorkedExample | None = ctx.options.worked_example
        if w is None and ctx.options.capstone:  # the learner's own plan is the case: no other example
            return {"scenario": kwargs["scenario"], "changes": {}, "show": [], "fix": ctx.options.fix}
        if w is None:
            return {"scenario": kwargs["scenario"], "changes": {"the plan as it stands": {}}, "show": ["pay", "choice"], "fix": ctx.options.fix}
        data = _scenario(ctx, w.scenario) if w.scenario else kwargs["scenario"]
        bad_show = [s for s in w.show if s not in SHOW]
        if bad_show:
            ctx.bad(f"worked_example show {bad_show[0]!r} is unknown", "use any of " + ", ".join(SHOW))
        if not w.changes:
            ctx.bad("worked_example has no changes", "name at least one: `changes: {as it stands: {}}`")
        for label, change in w.changes.items():
            if data is not None:
                try:
                    plan_from_dict({**data["plan"], **change}, f"{ctx.note.path} worked_example {label!r}")
                except CourseError as exc:
                    ctx.problems += exc.problems
        return {"scenario": data, "changes": w.changes, "show": w.show, "fix": ctx.options.fix}

    def setup_source(self, p: Planned) -> str | None:
        if p.kwargs.get("capstone"):  # ``capstone`` and ``capstone_editor`` come from the options editor's cells
            return ("scenario = scenario_from_dict(capstone.scenario)\n"
                    f"{p.var}_args = dict(plan=plan_from_dict(capstone.plan), options=scenario.options, prefer=capstone.prefer or scenario.prefer,\n"
                    f"              mix=capstone.mix,  # the share of effort the company wants on each option, when it states one\n"
                    f"              assumed_attainment={p.kwargs['assumed_attainment']!r},\n"
                    f"              baseline=scenario.plan,  # \"Can we afford it?\" against the plan the company runs today\n"
                    f"              committee_tests=True)  # the committee's tests: a dearer change refused, the bad-year risk asked")
        return (f"scenario = scenario_from_dict({literal(p.kwargs['scenario'])})\n"
                f"{p.var}_args = dict(plan=scenario.plan, options=scenario.options, prefer=scenario.prefer, mix=scenario.wanted,\n"
                f"              assumed_attainment={p.kwargs['assumed_attainment']!r}, population=scenario.population"
                + "".join(f",\n              {k}={literal(p.kwargs[k])}" for k in ("budget", "frontier_exclude") if k in p.kwargs) + ")\n"
                f"{p.var}_example = {literal(p.demo['scenario'])}  # the worked example's case")

    def widget_kwargs(self, p: Planned) -> str:
        return ("spif_control=True, " if p.kwargs.get("spif_control") else "") + super().widget_kwargs(p)

    def cells(self, c: Cells, p: Planned) -> None:
        super().cells(c, p)
        if p.kwargs.get("capstone"):  # the tester follows the options editor; the audit after it reads its plan
            widget = c.cells[-1]
            head, _, last = widget.source.rpartition("\n")
            widget.source = f"{head}\ncapstone_editor.drive({p.var}, capstone.renamed)\ncapstone_tester = {p.var}\n{last}"

    def worked_example(self, p: Planned) -> tuple[str, str] | None:
        d = p.demo
        if not d.get("changes"):
            return None
        own = d["scenario"] is not p.kwargs.get("scenario") and d["scenario"] != p.kwargs.get("scenario")
        case = (f"on a case of its own (“{md_escape(text(d['scenario']['plan'].get('name'), 80))}”, options "
                f"{md_escape(', '.join(text(o.get('name'), 40) for o in d['scenario'].get('options', [])))})" if own and d["scenario"]
                else "on the plan this exercise starts from")
        several = len(d["changes"]) > 1
        return (f"**Worked example, computed by the engine, {case}:** what each option pays a rep over the year and what a "
                f"rational rep picks{', with the incentive cost per 100 of bookings' if 'cost' in d['show'] else ''}"
                + (", for each change. Which of these would your CFO accept, and why? " if several else ". ")
                + "Then test your own change below.",
                f"from coursekit.notebook import compare_changes\n\n"
                f"compare_changes({p.var}_example, {literal(d['changes'])},\n                show={d['show']!r})")

    def model_answer(self, p: Planned) -> str:
        fix = p.demo.get("fix") or {}
        change = ", ".join(f"{k} to {v}" for k, v in fix.items()) if isinstance(fix, dict) else str(fix)
        return (f"Change {md_escape(change)}, then read all four tests (the strategy, the money, the 60 seconds and "
                "\"Can we afford it?\"), with the simulator's payouts before and after. The 60 seconds pass when each part "
                "of the changed plan is picked as it reads (how attainment is measured, and its threshold, accelerator, cap, "
                "credit or rate) and the learner's own words, at most 150, are there: the words are kept for the brief, "
                "never graded. A change that passes the first three but costs more per 100 of bookings than it needs is not "
                "the answer: ask the room for a smaller one.")

    def brief_rows(self, answer: Any) -> list[tuple[str, str]]:
        if not isinstance(answer, dict):
            return []
        words = [("Your 60 seconds", text(answer["explanation"]))] if text(answer.get("explanation")) else []  # kept, never graded
        t = plan_text(answer.get("_plan"))
        if t:
            return [("Plan", t), *words]
        keys = ("period", "threshold", "accelerator_from", "accelerator", "cap", "credit", "rate")
        return [(k.replace("_", " ").capitalize(), text(answer[k])) for k in keys if k in answer and text(answer[k])] + words


KIND = PlanTester()
