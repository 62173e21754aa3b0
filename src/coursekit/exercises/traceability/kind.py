"""Traceability: each pay component traced, link by link, to the strategic choice it serves (or cut)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from coursekit.exercises.kind import Kind, PlanContext, Planned, md_escape, text

DEFAULT_EXTRA = ("Cap", "SPIF")  # the widget's default extra components (exercises.traceability.DEFAULT_EXTRA)

# the worked example traces a component the note's own chains do not use
DEMO_CHAINS = {"Draw": ["Steady income while a new rep ramps", "Hiring plan"],
               "Clawback": ["Deals that stick", "Retention target"]}


@dataclass(frozen=True)
class Options:
    chains: dict[str, list[str]] | None = None  # component -> links to the strategic choice; default: the action's `A → B → C` lines
    extra_components: list[str] | None = None  # components with no line of the note's, offered to be cut; default Cap and SPIF
    cut_because: dict[str, str] | None = None  # components this exercise's plan must cut -> why no line holds (tracing one is refused with it)
    describe: dict[str, str] | None = None  # component -> what it is in this exercise's plan, shown beside its name ("resets every month")


class Traceability(Kind):
    name, widget, title = "traceability", "TraceabilityChain", "Traceability"
    Options = Options
    keywords = ("trace", "traceability", "traced")
    minutes = 10
    prompts = ("Which component in your plan has no line? Who would defend keeping it?",
               "Is any component traced to a priority that is no longer on the strategy deck?")

    def plan(self, ctx: PlanContext) -> dict[str, Any] | None:
        o: Options = ctx.options
        chains = o.chains if o.chains is not None else {k: list(v) for k, v in (ctx.action.chains if ctx.action else {}).items()}
        short = [c for c, links in chains.items() if not links]
        if short:
            ctx.bad(f"chain {short[0]!r} has no links", "write at least one link: `Component: [Mechanism, Choice]`")
        asked = set(chains) | set(o.extra_components if o.extra_components is not None else DEFAULT_EXTRA)
        for name, given in (("cut_because", o.cut_because), ("describe", o.describe)):
            stray = [c for c in (given or {}) if c not in asked]
            if stray:
                ctx.bad(f"{name} names {stray[0]!r}, which is not a component of this exercise",
                        f"use one of {', '.join(sorted(asked))}, or add it to `extra_components`")
        kw = {"extra_components": o.extra_components, "cut_because": o.cut_because, "describe": o.describe}
        return {"chains": chains or None, **{k: v for k, v in kw.items() if v is not None}}

    def worked_example(self, p: Planned) -> tuple[str, str] | None:
        extra = p.kwargs.get("extra_components")
        asked = set(p.kwargs.get("chains") or {}) | set(DEFAULT_EXTRA if extra is None else extra)
        demo = {k: v for k, v in DEMO_CHAINS.items() if k not in asked}
        return ("**Worked example, on components this exercise does not ask about:**",
                f"demo = ex.TraceabilityChain(chains={demo!r}, extra_components=[])\ndemo.load_model_answer()\nprint(demo.report())")

    def model_answer(self, p: Planned) -> str:
        chains = p.kwargs.get("chains") or {}
        cuts = p.kwargs.get("cut_because") or {}
        return "\n".join([f"- {md_escape(c)} → {' → '.join(md_escape(x) for x in chain)}" for c, chain in chains.items() if c not in cuts]
                         + [f"- {md_escape(c)}: cut, because {md_escape(why)}" for c, why in cuts.items()]) + \
            "\n- Any component without such a line (a cap or SPIF nobody can trace) is cut."

    def brief_rows(self, answer: Any) -> list[tuple[str, str]]:
        chains = answer.get("chains") if isinstance(answer, dict) else None
        rows = []
        for c, chain in (chains.items() if isinstance(chains, dict) else []):
            links = [text(x, 200) for x in chain] if isinstance(chain, list) else []
            rows.append((text(c, 80), " → ".join(x for x in links if x) or "(no line drawn: cut)"))
        return rows


KIND = Traceability()
