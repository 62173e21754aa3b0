"""Exercise widgets, one a module. Each keeps its state in traitlets and has a programmatic twin
for every handler (``check()``, ``set_answer()``) so tests and notebooks drive it without a browser."""

from .assumption_check import AssumptionCheck
from .base import Exercise
from .brief_button import BriefButton
from .checklist import Checklist
from .contradiction_map import ContradictionMap
from .hypothesis import HypothesisBuilder
from .pitfall_check import PitfallCheck
from .plan_audit import PlanAudit
from .plan_tester import PlanTester
from .priorities import DecisionsForm, PrioritiesForm
from .review import Review
from .scenario_editor import ScenarioEditor
from .signals_spotter import SignalsSpotter
from .traceability import TraceabilityChain

__all__ = ["AssumptionCheck", "BriefButton", "Checklist", "ContradictionMap", "DecisionsForm", "Exercise", "HypothesisBuilder",
           "PitfallCheck", "PlanAudit", "PlanTester", "PrioritiesForm", "Review", "ScenarioEditor", "SignalsSpotter", "TraceabilityChain"]
