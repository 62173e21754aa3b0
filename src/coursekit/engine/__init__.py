"""The comp engine: plans, payouts, schedules, the rational-rep simulator and the strategy audit.
Imports nothing from widgets or notebooks."""

from .audit import Finding, Strategy, audit, explain, load_strategy, strategy_from_dict
from .payout import exact_payout, payout, period_payout
from .plan import Plan, load_plan, plan_from_dict, to_dict
from .schedule import Booking, Schedule, parse_bookings, read_bookings, schedule
from .simulate import Option, Scenario, load_scenario, population, scenario_from_dict, simulate

__all__ = ["Booking", "Finding", "Option", "Plan", "Scenario", "Schedule", "Strategy", "audit", "exact_payout", "explain", "load_plan", "load_scenario",
           "load_strategy", "parse_bookings", "payout", "period_payout", "plan_from_dict", "population", "read_bookings", "scenario_from_dict",
           "schedule", "simulate", "strategy_from_dict", "to_dict"]
