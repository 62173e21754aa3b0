"""Plain-Python oracles, written independently of the vectorized engine: the tests compare against
them (tests/unit/test_engine_schedule.py) and the benchmarks use them as floors (benchmarks/run.py)."""

from __future__ import annotations

from coursekit.engine.payout import payout_loop
from coursekit.engine.plan import Plan


def population_loop(plan: Plan, attainments, months: int = 12) -> float:
    """The simulator's population, one rep and month at a time: total paid over the months."""
    total = 0.0
    mpp = plan.months_per_period
    for a in attainments:
        paid_before = 0.0
        for t in range(months):
            into = t % mpp + 1
            ptd_att = a * plan.quota / 12 * into / plan.period_quota
            earned = payout_loop(plan, [ptd_att])[0]
            if into == 1:
                paid_before = 0.0
            total += earned - paid_before
            paid_before = earned
    return total
