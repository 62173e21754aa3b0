"""Facilitator-only cells: timing, model answers and discussion prompts. Tagged `instructor`;
the learner edition never calls this module."""

from __future__ import annotations

from ..notes.model import Note
from ..workshop import module_timing
from .cells import Cells, md_escape
from .exercise_cells import Planned

TAG = "instructor"

PROMPTS = {
    "contradiction_map": ["Which contradiction would a rep notice first, and which one costs the company most?",
                          "Who owns each system in your organization, and have they ever met about this priority?"],
    "plan_tester": ["What is the smallest change that flips the first test? Why that one?",
                    "What would your CFO object to in the fixed plan, and what evidence answers them?"],
    "traceability": ["Which component in your plan has no line? Who would defend keeping it?",
                     "Is any component traced to a priority that is no longer on the strategy deck?"],
    "pitfall_check": ["Which of these have you heard in your own planning meetings this year?",
                      "What would you say, in one sentence, the next time you hear it?"],
    "hypothesis": ["What result after one quarter would make you change the plan mid-year?",
                   "Who reads the metric, and when is it on their calendar?"],
    "assumption_check": ["Which assumption is weakest in your organization, and what would you measure to find out?"],
    "checklist": ["Which step was hardest to do with the data you have today?"],
    "plan_audit": ["Which findings does tracing alone not fix? What would?",
                   "Which component would you cut first, and who must agree?"],
    "review": ["Read your contradiction map aloud to a partner: does the plan you design next fix it?"],
}


def timing_cell(c: Cells, note: Note) -> None:
    acts = module_timing(note)
    rows = "\n".join(f"| {md_escape(a.activity)} | {a.minutes}{' (optional)' if a.optional else ''} |" for a in acts)
    c.md(f"> **Facilitator notes: timing for a live session ({sum(a.minutes for a in acts)} min)**\n>\n"
         f"> | activity | minutes |\n> |---|---|\n" + "\n".join("> " + r for r in rows.splitlines()), TAG)


def model_answer(p: Planned) -> str:
    k, kw = p.spec.type, p.kwargs
    if k == "contradiction_map" and kw.get("example"):
        return "\n".join(f"- **{f}**: {md_escape(v)}" for f, v in kw["example"].items())
    if k == "traceability" and kw.get("chains"):
        return "\n".join(f"- {md_escape(c)} → {' → '.join(md_escape(x) for x in chain)}" for c, chain in kw["chains"].items()) + \
            "\n- Any component without such a line (a cap or SPIF nobody can trace) is cut."
    if k == "plan_tester":
        return (f"Change {md_escape(p.demo['fix'])}: the worked example below shows the three tests turning to Yes, with the "
                "simulator's payouts before and after. Ask the room to find a second fix that also works.")
    if k == "pitfall_check":
        pits = kw["pitfalls"]
        scen = kw.get("scenarios") or [{"pitfall": i} for i in range(len(pits))]
        return "\n".join(f"{n}. “{md_escape(pits[s['pitfall']]['claim'])}”" for n, s in enumerate(scen, 1))
    if k == "hypothesis":
        return "We believe a platform credit multiplier of 150% will drive reps to spend most of their time on platform deals; " \
               "we will know by the platform share of new bookings, after 2 quarters."
    if k == "assumption_check":
        return "\n".join(f"- {md_escape(a['text'])}: if not, {md_escape(a['breaks'])}" for a in kw["assumptions"])
    if k == "checklist":
        return "\n".join(f"- {md_escape(x)}" for x in kw.get("items", []))
    if k == "plan_audit":
        return ("Trace quota to the capacity model, the threshold to the quality gate, and each tier, credit multiplier and SPIF to the "
                "priority it serves. The period and payoff findings remain: they need a plan change, not a trace.")
    return "Learners' own answers; no single model answer."


def exercise_notes(c: Cells, p: Planned) -> None:
    prompts = "\n".join(f"> - {q}" for q in PROMPTS.get(p.spec.type, []))
    answer = "\n".join("> " + line for line in model_answer(p).splitlines())
    c.md(f"> **Facilitator notes: model answer**\n>\n{answer}\n>\n> **Discussion prompts**\n>\n{prompts}", TAG)
