"""The notebook API: everything a generated notebook may call, and nothing else (a test holds it).

Generated cells import this one module (``from coursekit import notebook as ex``): the exercise widgets by
their names, the answers store, and the helpers that worked examples, the start page and the room call."""

from __future__ import annotations

from coursekit.answers import Answers, start_page_progress
from coursekit.brief.button import BriefButton
from coursekit.exercises.assumption_check.widget import AssumptionCheck
from coursekit.exercises.checklist.widget import Checklist
from coursekit.exercises.contradiction_map.widget import ContradictionMap
from coursekit.exercises.hypothesis.widget import HypothesisBuilder
from coursekit.exercises.pitfall_check.widget import PitfallCheck
from coursekit.exercises.plan_audit.widget import PlanAudit
from coursekit.exercises.plan_tester.widget import PlanTester
from coursekit.exercises.priorities.widget import DecisionsForm, PrioritiesForm
from coursekit.exercises.review.widget import Review
from coursekit.exercises.scenario_editor.widget import ScenarioEditor
from coursekit.exercises.signals_spotter.widget import SignalsSpotter
from coursekit.exercises.traceability.widget import TraceabilityChain

__all__ = ["Answers", "AssumptionCheck", "BriefButton", "Checklist", "ContradictionMap", "DecisionsForm", "HypothesisBuilder",
           "PitfallCheck", "PlanAudit", "PlanTester", "PrioritiesForm", "Review", "ScenarioEditor", "SignalsSpotter",
           "TraceabilityChain", "start_page_progress"]
