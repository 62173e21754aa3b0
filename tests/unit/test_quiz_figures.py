"""Every figure the diagnostic bank and the retrieval quizzes state is what the engine pays (computed here, not typed)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from coursekit.engine.payout import exact_payout
from coursekit.engine.plan import plan_from_dict
from coursekit.exercises.quiz.kind import load_bank

ROOT = Path(__file__).resolve().parents[2]
BANK = {it["id"]: it for it in load_bank(ROOT / "content")[0]}


def plan(**kw):
    base = {"name": "quiz", "ote": 200000, "variable_share": 0.5, "quota": 800000, "period": "annual",
            "tiers": [{"from": 0.0, "multiplier": 1.0}]}
    return plan_from_dict({**base, **kw})


def text(item_id: str) -> str:
    it = BANK[item_id]
    return " ".join([it["plan"], it["deals"], it["prompt"], *(o["text"] + " " + o.get("right", o.get("why", "")) for o in it["options"])])


def money(d: Decimal) -> str:
    return f"{d:,.2f}".removesuffix(".00")


def test_monthly_cap_item():
    p = plan(period="monthly", cap=2.0)
    month_small, month_big = exact_payout(p, Decimal(60000) / (Decimal(800000) / 12)), exact_payout(p, Decimal(480000) / (Decimal(800000) / 12))
    t = text("monthly-cap-pays")
    assert f"{money(month_small)} a month" in t and f"{money(12 * month_small)} " in t
    assert "cap of 16,666.67" in t and month_big == Decimal("16666.67") and "33,333" in t and 2 * month_big == Decimal("33333.34")


def test_quarter_cap_item():
    uncapped, capped = exact_payout(plan(period="quarterly"), 3), exact_payout(plan(period="quarterly", cap=2.0), 3)
    t = text("quarter-cap-resets")
    assert (money(uncapped), money(capped)) == ("75,000", "50,000") and "75,000" in t and "50,000" in t


def test_monthly_threshold_item():
    p = plan(period="monthly", threshold=0.5)
    att = Decimal(30000) / (Decimal(800000) / 12)
    assert att == Decimal("0.45") and exact_payout(p, att) == 0 and "45% of its quota and pays nothing" in text("monthly-threshold-resets")


@pytest.mark.parametrize("mode, pays", [("marginal", "130,000"), ("retroactive", "180,000")])
def test_accelerator_item(mode, pays):
    p = plan(ote=200000, quota=1000000, tiers=[{"from": 0.0, "multiplier": 1.0}, {"from": 1.0, "multiplier": 1.5}], tier_mode=mode)
    assert money(exact_payout(p, Decimal("1.2"))) == pays and pays in text("accelerator-mix-pays")


def test_credit_or_rate_item():
    p = plan(quota=1000000)  # 10% of credited bookings
    credit, rate = exact_payout(p, Decimal("0.6")), exact_payout(p, Decimal("0.4")) * Decimal("1.5")
    assert money(credit) == money(rate) == "60,000" and "60,000" in text("credit-or-rate-pays")
    assert "reads 60%" in text("credit-or-rate-pays")
