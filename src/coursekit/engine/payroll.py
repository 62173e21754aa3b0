"""A schedule's payroll: each month's incentive line, draw line and the balances they carry, in minor units."""

from __future__ import annotations

from typing import TYPE_CHECKING

from coursekit.engine.periods import DrawState, draw_guarantee
from coursekit.engine.plan import Plan

if TYPE_CHECKING:
    from coursekit.engine.pay_calendar import PayCalendar


class Payroll:
    """A month's incentive line, draw line and the balances they carry, in minor units.

    A clawback (a negative change from prior-period processing) is paid as the plan says: a negative
    line (``clawback_negative: true``, and standalone's rule when the plan says nothing); onto a
    recoverable draw's balance; or else carried and recovered from later incentive, never from a draw's
    advance, so the check is never negative (cumulative's rule when the plan says nothing)."""

    def __init__(self, plan: Plan, cal: PayCalendar):
        self.plan, self.cal = plan, cal
        self.draws = DrawState.zeros()
        self.owed = 0  # clawbacks carried, to recover from later incentive
        draw = plan.draw
        self.term_last = None if draw is None or draw.term_months is None else cal.draw_from + draw.term_months - 1

    def month(self, t: int, gross: int, claw: int) -> tuple[int, int, int, int]:
        """(incentive line, draw line, draw balance, clawbacks carried) for month ``t``."""
        plan = self.cal.plans[t // self.plan.months_per_period]  # the version in force: its draw
        has_draw = plan.draw is not None and (self.cal.end is None or t <= self.cal.end)  # no draw after the rep left
        to_draw = has_draw and plan.draw.recoverable and plan.clawback_negative is not True
        negative = plan.clawback_negative if plan.clawback_negative is not None else plan.measurement == "standalone"
        earned = gross + claw
        back = max(0, -claw) if to_draw or not negative else 0  # clawback paid other than as a negative line
        if back:
            earned = gross + max(0, claw)
        draw_line = balance = 0
        if has_draw:
            draw_line, balance = self.draws.month(plan, gross, draw_guarantee(plan, self.cal.draw_owed(t)),
                                                  back if to_draw else 0)
            if to_draw:
                earned -= back
        if back and not to_draw:
            self.owed += back
        if self.owed:  # recovered from the month's incentive net of any draw true-up, never from an advance
            r = min(self.owed, max(0, earned + min(int(draw_line), 0)))
            self.owed, earned = self.owed - r, earned - r
        if has_draw and self.cal.closes(t):
            draw_line, balance = self._close(plan, t, int(draw_line), int(balance))
        return earned, int(draw_line), int(balance), self.owed

    def _close(self, plan: Plan, t: int, draw_line: int, balance: int) -> tuple[int, int]:
        """A pay period's end for the draw: the shortfall joins the balance; the term's end and the rep's last day
        forgive the balance or settle it (owed: repaid from this month's pay)."""
        draw, cal = plan.draw, self.cal
        self.draws.close(plan)
        ending = []
        if self.term_last is not None and t - t % plan.months_per_period <= self.term_last <= t:
            ending.append(draw.at_term_end)
        if t == cal.end:
            ending.append(draw.at_end)
            if draw.at_end == "owed":
                draw_line -= int(self.draws.balance)  # repaid from the last pay: the check may be negative
        if ending and ("forgiven" in ending or t == cal.end):
            self.draws.forgive()
            balance = 0
        return draw_line, balance
