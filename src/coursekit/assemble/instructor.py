"""Facilitator-only cells: timing per activity. Each kind renders its own model answer and prompts
(coursekit.exercises.kind.Kind.facilitator_cells). Tagged `instructor`; the learner edition never calls this."""

from __future__ import annotations

from typing import TYPE_CHECKING

from coursekit.exercises.cells import KERNEL, Cells, md_escape
from coursekit.exercises.kind import FACILITATOR_TAG as TAG
from coursekit.exercises.quiz.kind import answer_key
from coursekit.notes.model import Note
from coursekit.workshop.timing import module_timing

if TYPE_CHECKING:
    import nbformat


def timing_cell(c: Cells, note: Note) -> None:
    acts = module_timing(note)
    rows = "\n".join(f"| {md_escape(a.activity)} | {a.minutes}{' (optional)' if a.optional else ''} |" for a in acts)
    c.md(f"> **Facilitator notes: timing for a live session ({sum(a.minutes for a in acts)} min)**\n>\n"
         f"> | activity | minutes |\n> |---|---|\n" + "\n".join("> " + r for r in rows.splitlines()), TAG, link=False)


RUN_PRE_POST = """**Running the pre/post diagnostic in a session**

- **Before the first module** (10 minutes): everyone opens this start page, runs it and answers the twelve scenarios
  without help. Say it is not graded and that guessing is fine: the point is a baseline. No keys are shown.
- **After the capstone** (10 minutes): the same items come back at the end of the capstone in another order. Learners
  answer without looking back, then read the feedback on each pick: it names the belief behind every wrong answer.
- **Hand in** (`coursekit handin`, or the button): each brief carries the completion record with both scores.
  `coursekit room EXCHANGE` prints the room's share right before and after and the gain of those who took both; the
  room page and notebook show the same table. Discuss the two items the room still missed most, not individuals' scores.
- Learners never see each other's files; only the facilitator reads the exchange."""


def diagnostic_cells(c: Cells, items: list[dict]) -> None:
    """The facilitator's start page: how to run the pre/post, and the bank's keys with the misconception behind each distractor."""
    c.md("\n".join("> " + line if line else ">" for line in (RUN_PRE_POST + "\n\n**The diagnostic's keys**\n\n"
                                                           + answer_key(items, with_context=True)).splitlines()), TAG, link=False)


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
