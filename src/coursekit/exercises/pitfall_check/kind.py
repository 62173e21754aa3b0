"""Pitfall check: a scenario per pitfall; the learner names the pitfall each one falls into."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from coursekit.exercises.kind import Kind, PlanContext, Planned, literal, md_escape


@dataclass(frozen=True)
class Options:
    # [{text, pitfall}] with pitfall numbered from 0, or a list of the readings that fit, best first ([2, 0]); default: one per pitfall
    scenarios: list[dict[str, Any]] | None = None


def keys(scenario: dict[str, Any]) -> list[int]:
    """The pitfalls a scenario's pick may name, best reading first (``pitfall`` is one index or a list of them)."""
    pit = scenario["pitfall"]
    return [int(k) for k in pit] if isinstance(pit, list) else [int(pit)]


class PitfallCheck(Kind):
    name, widget, title = "pitfall_check", "PitfallCheck", "Pitfall check"
    Options = Options
    minutes = 5
    prompts = ("Which of these have you heard in your own planning meetings this year?",
               "What would you say, in one sentence, the next time you hear it?")

    def plan(self, ctx: PlanContext) -> dict[str, Any] | None:
        note = ctx.note
        mis = note.material.pitfalls
        pits = [{"claim": p.claim, "rebuttal": p.rebuttal, "misconception": mis[i] if i < len(mis) else ""}
                for i, p in enumerate(note.pitfalls)]
        if not pits:
            ctx.bad("the note has no pitfalls", "add `**\"claim\"**` lines under `## Common Pitfalls`")
            return None
        kw: dict[str, Any] = {"pitfalls": pits}
        scenarios = ctx.options.scenarios
        if scenarios is not None:
            for i, sc in enumerate(scenarios, 1):
                if not isinstance(sc.get("text"), str) or not sc["text"].strip():
                    ctx.bad(f"pitfall_check scenario {i} has no `text`", "write the situation as `text: \"...\"`")
                pit = sc.get("pitfall")
                keys = pit if isinstance(pit, list) and pit else [pit]
                if any(isinstance(k, bool) or not isinstance(k, int) or not 0 <= k < len(pits) for k in keys) or len(set(keys)) < len(keys):
                    ctx.bad(f"pitfall_check scenario {i}: pitfall {pit!r} is not from 0 to {len(pits) - 1}",
                            "number pitfalls from 0 in the order of Common Pitfalls (a list, best reading first, where two fit)")
                extra = [k for k in sc if k not in ("text", "pitfall")]
                if extra:
                    ctx.bad(f"pitfall_check scenario {i}: unknown key `{extra[0]}`", "a scenario has `text` and `pitfall`")
            kw["scenarios"] = scenarios
        return kw

    def setup_source(self, p: Planned) -> str | None:
        """The pitfalls and the scenarios' text; which pitfall each scenario commits is the key (``key_of``)."""
        kw = {k: v for k, v in p.kwargs.items() if v is not None}
        if kw.get("scenarios"):
            kw["scenarios"] = [{"text": s["text"]} for s in kw["scenarios"]]
        return f"{p.var}_args = {literal(kw)}"

    def key_of(self, p: Planned) -> dict[str, Any]:
        scen = p.kwargs.get("scenarios")
        fits = {"fits": [keys(s) for s in scen]} if scen else {}
        return {**super().key_of(p), **fits}

    def worked_example(self, p: Planned) -> tuple[str, str] | None:
        return ("**Worked example, on a case of its own:** the first pitfall said out loud in a meeting, and the pick that names it.",
                f"demo = ex.PitfallCheck(pitfalls={p.var}_args['pitfalls'],\n"
                f"                       scenarios=[{{'text': 'In the planning meeting someone says: ' + {p.var}_args['pitfalls'][0]['claim'], 'pitfall': 0}}])\n"
                "demo.set_answer({'picks': [0]})\nprint(demo.report())")

    def model_answer(self, p: Planned) -> str:
        pits = p.kwargs["pitfalls"]
        scen = p.kwargs.get("scenarios") or [{"pitfall": i} for i in range(len(pits))]
        return "\n".join(f"{n}. “{md_escape(pits[keys(s)[0]]['claim'])}”" + (f" (also fair: “{md_escape(pits[keys(s)[1]]['claim'])}”)" if len(keys(s)) > 1 else "")
                         for n, s in enumerate(scen, 1))

    def brief_rows(self, answer: Any) -> list[tuple[str, str]]:
        picks = answer.get("picks") if isinstance(answer, dict) else None
        rows = []
        for i, pick in enumerate(picks if isinstance(picks, list) else [], 1):
            ok = isinstance(pick, int) and not isinstance(pick, bool) and pick >= 0
            rows.append((f"Scenario {i}", f"picked pitfall {pick + 1}" if ok else "not answered"))
        return rows


KIND = PitfallCheck()
