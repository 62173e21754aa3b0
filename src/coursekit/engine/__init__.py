"""The comp engine: plans, payouts, schedules, the rational-rep simulator and the strategy audit.
Imports nothing from widgets or notebooks."""

from coursekit.engine.audit import Finding, Strategy, audit, explain, load_strategy, strategy_from_dict
from coursekit.engine.bookings import Booking, parse_bookings, read_bookings
from coursekit.engine.lint import check_file, lint_plan
from coursekit.engine.payout import exact_payout, payout, period_payout
from coursekit.engine.plan import Plan, load_plan, plan_from_dict, to_dict
from coursekit.engine.scenario import Option, Scenario, load_scenario, scenario_from_dict
from coursekit.engine.schedule import Schedule, schedule
from coursekit.engine.simulate import booking_mix, population, simulate, simulate_mix

__all__ = ["Booking", "Finding", "Option", "Plan", "Scenario", "Schedule", "Strategy", "audit", "booking_mix", "check_file", "exact_payout", "explain",
           "lint_plan", "load_plan", "load_scenario", "load_strategy", "parse_bookings", "payout", "period_payout", "plan_from_dict",
           "population", "read_bookings", "scenario_from_dict", "schedule", "simulate", "simulate_mix", "strategy_from_dict", "to_dict"]
