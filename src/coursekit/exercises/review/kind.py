"""Review: the learner's earlier answers, read back before designing."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from coursekit.exercises.kind import Kind, PlanContext, specs_for, text


@dataclass(frozen=True)
class Options:
    modules: list[str] | None = None  # module slugs to show; default: every module with answers


def course_outline(notes: Any, kinds: Mapping[str, Kind]) -> list[dict[str, Any]]:
    """The course as ``brief.sections`` reads it (the shape of ``assemble.outline``), from the notes alone: modules in
    order as "Module N · title", each exercise's answer key id, kind and human title."""
    out = []
    for n, note in enumerate(notes, 1):
        seen: dict[str, int] = {}
        exs = []
        for spec in specs_for(note, kinds):  # the ids plan_note gives: action-N, then action-N-2 for a second exercise on it
            base = f"action-{spec.action}" if spec.action else spec.type.replace("_", "-")
            seen[base] = seen.get(base, 0) + 1
            action, kind_title = note.action(spec.action), kinds[spec.type].title
            title = f"{action.title} ({kind_title.lower()})" if action and seen[base] > 1 else action.title if action else kind_title
            exs.append({"id": base if seen[base] == 1 else f"{base}-{seen[base]}", "kind": spec.type, "title": title})
        out.append({"slug": note.slug, "title": f"Module {n} · {note.front.title}", "exercises": exs})
    return out


class Review(Kind):
    name, widget, title = "review", "Review", "Review of your answers"
    Options = Options
    minutes = 5
    prompts = ("Read your contradiction map aloud to a partner: does the plan you design next fix it?",)

    def plan(self, ctx: PlanContext) -> dict[str, Any] | None:
        out: dict[str, Any] = {"modules": ctx.options.modules} if ctx.options.modules else {}
        if ctx.course is not None:  # titles and course order for the answers read back (else they show by key)
            out["outline"] = course_outline(ctx.course.notes, ctx.kinds)
        return out

    def brief_rows(self, answer: Any) -> list[tuple[str, str]]:
        if not isinstance(answer, dict):
            return []
        rows = [("My plan fixes first", text(answer.get("fix_first")))] if text(answer.get("fix_first")) else []
        return rows + ([("What I take forward", text(answer.get("notes")))] if text(answer.get("notes")) else [])


KIND = Review()
