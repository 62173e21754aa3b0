"""Facilitator-only cells: timing per activity. Each kind renders its own model answer and prompts
(coursekit.kinds.base.Kind.facilitator_cells). Tagged `instructor`; the learner edition never calls this."""

from __future__ import annotations

from ..kinds.base import FACILITATOR_TAG as TAG
from ..kinds.cells import Cells, md_escape
from ..notes.model import Note
from ..workshop import module_timing


def timing_cell(c: Cells, note: Note) -> None:
    acts = module_timing(note)
    rows = "\n".join(f"| {md_escape(a.activity)} | {a.minutes}{' (optional)' if a.optional else ''} |" for a in acts)
    c.md(f"> **Facilitator notes: timing for a live session ({sum(a.minutes for a in acts)} min)**\n>\n"
         f"> | activity | minutes |\n> |---|---|\n" + "\n".join("> " + r for r in rows.splitlines()), TAG)
