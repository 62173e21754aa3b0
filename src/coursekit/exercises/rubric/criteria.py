"""The brief's sections and its rubric's criteria as plain data: the rubric exercise (in a learner's kernel) and the
brief (``coursekit.brief.model``, at export) read the same tuples, and the kernel need not load the brief to show
the exercise (issue 27)."""

from __future__ import annotations

HEADINGS = (("priorities", "Priorities"), ("contradictions", "Contradictions found"),
            ("plans", "Current and proposed plan"), ("findings", "Audit findings still open"),
            ("hypothesis", "Hypothesis and review date"), ("decisions", "Decisions asked of each owner"))
# The brief's rubric: four criteria a learner ticks before export (saying where the brief shows each) and a facilitator
# scores in the room view. (id, criterion, what meets it)
RUBRIC = (("mechanic", "A specific mechanic", "names the plan component that changes and how, e.g. the cap moves from the month to the year"),
          ("money", "The money difference", "gives the pay or cost difference as a number: pay per 100 of bookings, or a year's pay"),
          ("owner", "An owner", "names who decides or acts, per change"),
          ("date", "A date", "gives the date the hypothesis is reviewed or the decision is due"))
RUBRIC_KEY = "alignment-capstone/rubric"  # where the self-check is saved: {"ticked": {id: bool}, "where": {id: text}}
