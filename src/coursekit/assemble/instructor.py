"""Facilitator-only cells: timing per activity. Each kind renders its own model answer and prompts
(coursekit.exercises.kind.Kind.facilitator_cells). Tagged `instructor`; the learner edition never calls this."""

from __future__ import annotations

from typing import TYPE_CHECKING

from coursekit.exercises.cells import KERNEL, Cells, md_escape
from coursekit.exercises.kind import FACILITATOR_TAG as TAG
from coursekit.notes.model import Note
from coursekit.workshop.timing import module_timing

if TYPE_CHECKING:
    import nbformat


def timing_cell(c: Cells, note: Note) -> None:
    acts = module_timing(note)
    rows = "\n".join(f"| {md_escape(a.activity)} | {a.minutes}{' (optional)' if a.optional else ''} |" for a in acts)
    c.md(f"> **Facilitator notes: timing for a live session ({sum(a.minutes for a in acts)} min)**\n>\n"
         f"> | activity | minutes |\n> |---|---|\n" + "\n".join("> " + r for r in rows.splitlines()), TAG, link=False)


ROOM_NOTEBOOK = "room.ipynb"


def room_notebook() -> nbformat.NotebookNode:
    """The facilitator's view of the room's handed-in briefs, live: the same charts and tables as ``coursekit room``."""
    import nbformat

    c = Cells("room")
    c.md("# The room's briefs at a glance\n\nWhat the room handed in (`coursekit handin`, or the *Hand in to the room* "
         "button at the end of each module): how far the room got, the contradictions named most often per system, which "
         "plan changes passed the tests and at what cost, the hypotheses, and the decision asked of each owner. Anonymous "
         "unless you tick the names box. Run the cell below; it reads `COURSEKIT_EXCHANGE` or the folder you type, and "
         "**Refresh** reads it again as more briefs come in. `coursekit room EXCHANGE -o room.html` writes the same as a page.")
    c.code("from coursekit.notebook import RoomView\n\nRoomView()", "nbval-ignore-output", "exercise")
    return nbformat.v4.new_notebook(cells=c.cells, metadata={**KERNEL, "coursekit": {"slug": "room", "generated": True, "edition": "facilitator"}})
