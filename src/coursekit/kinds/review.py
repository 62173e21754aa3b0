"""Review: the learner's earlier answers, read back before designing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .base import Kind, PlanContext, text


@dataclass(frozen=True)
class Options:
    modules: list[str] | None = None  # module slugs to show; default: every module with answers


class Review(Kind):
    name, widget, title = "review", "Review", "Review of your answers"
    Options = Options
    minutes = 5
    prompts = ("Read your contradiction map aloud to a partner: does the plan you design next fix it?",)

    def plan(self, ctx: PlanContext) -> dict[str, Any] | None:
        return {"modules": ctx.options.modules} if ctx.options.modules else {}

    def brief_rows(self, answer: Any) -> list[tuple[str, str]]:
        if isinstance(answer, dict) and text(answer.get("notes")):
            return [("What I take forward", text(answer.get("notes")))]
        return []


KIND = Review()
