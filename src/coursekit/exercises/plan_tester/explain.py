""""Can we explain it in 60 seconds?" as the course can check it (issue 25): for each component the plan actually has, a
short keyed choice built from that plan, each wrong option a named misconception; beside it the learner's own words,
kept, shown back and exported, held to 150 words (a count, the 60-second proxy) and never judged on their content.

Each option's value is concrete (``"quarter"``, ``"year"``, ``"credit"``): when the learner changes the plan, a pick that
no longer describes it turns wrong, and a pick that still does stays right. Pure functions over a ``Plan``: the widget
draws them, the tests call them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from coursekit.engine.audit import cap_basis, pct
from coursekit.engine.plan import Plan
from coursekit.engine.plot import PERIOD_NOUN
from coursekit.feedback import OK, WARN, random_letters, words

MAX_WORDS = 150  # 60 seconds read aloud at 150 words a minute (engine.audit.WORDS_PER_MINUTE)
QUESTION = "Can we explain the plan's logic in under 60 seconds?"
LETTERS = "ABCD"
# every question the tester may ask, with its options' values (fixed per question: the buttons never move)
VALUES: dict[str, tuple[str, ...]] = {
    "measure": ("month", "quarter", "year", "never"),
    "threshold": ("gate", "above", "lower"),
    "accelerator": ("marginal", "retroactive", "bonus", "deal"),
    "cap": ("period", "year", "rate"),
    "credit": ("credit", "rate", "accelerator"),
    "rate": ("rate", "credit", "accelerator"),
}


@dataclass(frozen=True)
class Part:
    """One keyed part of the explanation: ``options`` (value, text) in the order shown, the ``right`` value and, for
    each wrong value, the misconception that pick stands for."""

    id: str
    label: str  # what the part is about, in feedback: "the cap"
    question: str
    options: tuple[tuple[str, str], ...]
    right: str
    misconceptions: dict[str, str]

    def text_of(self, value: str) -> str:
        return dict(self.options).get(value, "")


def shown(part_id: str, values: tuple[str, ...] | None = None) -> list[str]:
    """A question's values in the order shown: fixed for the question, never the order written (the right one is not
    always first)."""
    return sorted(values or VALUES[part_id], key=lambda v: hashlib.sha256(f"explain|{part_id}|{v}".encode()).hexdigest())


def _part(pid: str, label: str, question: str, texts: dict[str, str], right: str, wrong: dict[str, str]) -> Part:
    return Part(pid, label, question, tuple((v, texts[v]) for v in shown(pid)), right, wrong)


def _paid_each(plan: Plan) -> str | None:
    """How often a check is cut, as a period noun (None: once, at the year's end)."""
    if plan.period == "annual":
        return None if plan.measurement == "cumulative" else "month"  # the year against the annual quota, paid monthly
    return PERIOD_NOUN[plan.period]


def _measure(plan: Plan) -> Part:
    per, paid = PERIOD_NOUN[plan.period], _paid_each(plan)
    right = "year" if plan.measurement == "cumulative" or plan.period == "annual" else per
    texts = {"month": "Each month on its own: every month starts again from zero",
             "quarter": "Each quarter on its own: every quarter starts again from zero",
             "year": "The year to date: a slow month or quarter is made up later in the year",
             "never": "It never starts again: sales keep counting into the next plan year"}
    wrong = {"never": "a quota without end: attainment counts against the plan year's quota, and nothing carries into the "
                      "next plan year"}
    for v in ("month", "quarter", "year"):
        if v == right:
            continue
        if right == "year" and v == paid:
            wrong[v] = (f"payment frequency confused with the measurement period: you are paid each {paid}, but attainment is "
                        f"measured over the year to date, so a slow {paid} is made up later")
        elif right == "year":
            wrong[v] = ("a measurement period shorter than the plan's: this plan measures the year to date, so nothing starts "
                        "again until the year ends")
        elif v == "year":
            wrong[v] = (f"a true-up this plan does not have: each {right} is measured on its own, so a slow {right} is never "
                        f"made up, and the threshold, accelerator and cap start again every {right}")
        else:
            wrong[v] = (f"the wrong measurement period: this plan measures each {right} on its own, so the "
                        f"threshold, accelerator and cap start again every {right}, not every {v}")
    return _part("measure", "how attainment is measured", "Over what span is attainment counted before it starts again from zero?",
                 texts, right, wrong)


def _quota_words(plan: Plan) -> str:
    if plan.measurement == "cumulative":
        return "quota to date"
    return "the annual quota" if plan.period == "annual" else f"the {PERIOD_NOUN[plan.period]}'s quota"


def _threshold(plan: Plan, shape: Plan) -> Part:
    t, per = pct(shape.threshold), PERIOD_NOUN[plan.period]
    gate = ("No incentive until attainment to date reaches it; then pay counts from the first dollar, caught up"
            if plan.measurement == "cumulative" else f"No incentive for that {per}; once past it, pay counts from the first dollar")
    texts = {"gate": gate, "above": "Only the sales above the threshold are paid",
             "lower": "Pay runs at a lower rate until attainment reaches it"}
    wrong = {"above": f"the threshold read as a deductible: it is a gate, and once past {t} every credited dollar from the "
                      f"first is paid",
             "lower": f"the threshold read as a decelerator: below {t} nothing is paid at all"}
    return _part("threshold", "the threshold", f"What happens below the threshold of {t} of {_quota_words(plan)}?",
                 texts, "gate", wrong)


def _accelerator(plan: Plan, shape: Plan) -> Part | None:
    tiers = shape.effective_tiers()
    acc = next((t for t in tiers[1:] if (t.multiplier or 0) > 1), None) if not shape.curve else None
    if acc is None:
        return None
    m, at = f"{acc.multiplier:g}", pct(acc.start)
    span = "year to date" if plan.measurement == "cumulative" else PERIOD_NOUN[plan.period]
    right = "retroactive" if shape.tier_mode == "retroactive" else "marginal"
    texts = {"marginal": f"{m} times the base rate on each dollar above {at} of {_quota_words(plan)}; the dollars below keep the base rate",
             "retroactive": f"{m} times the base rate on every dollar of the {span}, back to the first, once past {at}",
             "bonus": f"A one-off bonus of {m} times the target incentive once past {at}",
             "deal": f"{m} times the rate on the deals the strategy wants, at any attainment"}
    wrong = {"marginal": f"a retroactive tier read as marginal: once past {at} the higher rate applies to every dollar of the "
                         f"{span}, back to the first (a cliff at the edge)",
             "retroactive": f"a marginal accelerator read as retroactive: only the dollars above {at} earn {m} times the rate; "
                            f"those below keep the base rate",
             "bonus": "an accelerator read as a lump sum: it is a higher rate on each further dollar, not a bonus",
             "deal": f"an accelerator confused with a rate differential: it pays for attainment above {at}, whatever kind of "
                     f"deal gets the rep there"}
    wrong.pop(right)
    return _part("accelerator", "the accelerator", f"What does the accelerator from {at} of quota pay?", texts, right, wrong)


def _cap(plan: Plan, shape: Plan) -> Part:
    cap, basis = f"{shape.cap:g}", cap_basis(plan)
    per = "month" if plan.period == "annual" else PERIOD_NOUN[plan.period]
    right = "year" if basis == "year" else "period"
    texts = {"period": (f"Incentive stops at {cap} times the target incentive to date" if basis == "to date" else
                        f"Incentive stops at {cap} times each {per}'s target incentive, and starts again the next {per}"),
             "year": f"Incentive stops at {cap} times the year's target incentive",
             "rate": f"The commission rate stops rising at {cap} times the base rate; pay keeps growing at that rate"}
    if right == "year":
        period = ("payment frequency confused with the cap's scope: you are paid monthly, but the cap is on the year's "
                  "incentive" if plan.period == "annual" else
                  f"a cap on the year read as a cap per {per}: it applies to the year's incentive, so a big {per} is not "
                  f"capped on its own")
        wrong = {"period": period}
    elif basis == "to date":
        wrong = {"year": f"a cap to date read as the year's: under year-to-date measurement it is {cap} times the target "
                         f"incentive to date, so it binds sooner in the year"}
    else:
        wrong = {"year": f"a cap per {per} read as a cap on the year: it starts again every {per}, so one big deal's {per} is "
                         f"capped even when the year is not"}
    wrong["rate"] = "a cap read as a limit on the rate: a cap stops pay itself at a ceiling; past it a further dollar of sales pays nothing"
    return _part("cap", "the cap", f"What does the cap of {cap}x target incentive do?", texts, right, wrong)


def _multiplier_texts(name: str, v: str) -> dict[str, str]:
    return {"credit": f"Each {name} dollar counts {v} times toward quota, so attainment and the pay on it rise",
            "rate": f"{name[:1].upper()}{name[1:]} deals pay {v} times the commission rate and count toward quota as booked",
            "accelerator": f"{v} times the rate on {name} deals once past quota"}


def _lever(kind: str, name: str, value: float) -> Part:
    """The keyed part for the strategy's credit (``kind`` "credit") or rate differential ("rate"): the other lever and an
    accelerator are its wrong options, each the misconception of reading it as them."""
    v = f"{value:g}"
    wrong = {"credit": {"rate": f"a credit read as a rate differential: a credit also counts each {name} dollar {v} times toward "
                                f"quota, so attainment reports and capacity plans read high",
                        "accelerator": f"a credit confused with an accelerator: it counts every {name} dollar {v} times from "
                                       f"the first, at any attainment"},
             "rate": {"credit": f"a rate differential read as a credit: it pays {v} times the rate on {name} deals but credits no "
                                f"extra quota, so attainment reads as booked",
                      "accelerator": f"a rate differential confused with an accelerator: it pays {v} times the rate on every "
                                     f"{name} dollar from the first, at any attainment"}}[kind]
    return _part(kind, f"the {name} {kind}", f"What does the {name} {kind} of {v}x do?", _multiplier_texts(name, v), kind, wrong)


def _multiplier(table: dict[str, dict[str, float]], name: str | None) -> float | None:
    return next((m[name] for m in table.values() if name in m), None) if name else None


def parts(plan: Plan, segment: str | None, shape: Plan | None = None) -> list[Part]:
    """The keyed parts of the plan as it stands: how attainment is measured, and its threshold, accelerator, cap and the
    strategy's segment's credit and rate when it has them. ``shape``: where the threshold, tiers and cap live (on a plan
    with weighted measures, the measure that pays the strategy's option; else the plan)."""
    shape = shape or plan
    out = [_measure(plan)]
    if shape.threshold:
        out.append(_threshold(plan, shape))
    acc = _accelerator(plan, shape)
    if acc is not None:
        out.append(acc)
    if shape.cap is not None:
        out.append(_cap(plan, shape))
    credit, rate = _multiplier(plan.credit, segment), _multiplier(plan.pay_multiplier, segment)
    if credit is not None:
        out.append(_lever("credit", segment, credit))
    if rate is not None:
        out.append(_lever("rate", segment, rate))
    return out


def key(plan: Plan, segment: str | None, shape: Plan | None = None) -> dict[str, str]:
    """The right pick of every part: what a learner who reads the plan right picks (tests, model answers)."""
    return {p.id: p.right for p in parts(plan, segment, shape)}


def seconds(n_words: int) -> int:
    return round(n_words * 60 / MAX_WORDS)


def explanation_line(text: Any, picks: Any, plan_parts: list[Part]) -> tuple[str, str]:
    """The test: Yes when every keyed part is picked right and the learner's own words are there, at most 150 words. The
    words are counted, never graded: only keyboard noise is no text at all."""
    picks = picks if isinstance(picks, dict) else {}
    wrong, unpicked = [], []
    for p in plan_parts:
        v = picks.get(p.id)
        if v == p.right:
            continue
        if isinstance(v, str) and v in p.misconceptions:
            wrong.append(f"{p.label[:1].upper()}{p.label[1:]}: not “{p.text_of(v)}”. The misconception behind that pick: "
                         f"{p.misconceptions[v]}.")
        else:
            unpicked.append(p.label)
    text = str(text or "") if not isinstance(text, (dict, list)) else ""
    n = len(words(text))
    if not text.strip():
        say = (f"write your own 60 seconds in the box, as you would say it to a rep (at most {MAX_WORDS} words; it is kept for "
               f"your brief, not graded)")
    elif n > MAX_WORDS:
        say = f"your own words are {n} words, about {seconds(n)} seconds read aloud: cut them to {MAX_WORDS}"
    elif random_letters(text):
        say = "your own words read as random letters: write the plan as you would say it to a rep"
    else:
        say = ""
    if wrong:
        rest = (f" Also pick {', '.join(unpicked)}." if unpicked else "") + (f" And {say}." if say else "")
        return WARN, f"{QUESTION} No. {' '.join(wrong)}{rest}"
    if unpicked or say:
        todo = ([f"pick how the plan reads for {', '.join(unpicked)}"] if unpicked else []) + ([say] if say else [])
        return WARN, f"{QUESTION} Not yet: {'; and '.join(todo)}."
    names = ", ".join(p.label for p in plan_parts)
    return OK, (f"{QUESTION} Yes: you read each part of the plan right ({names}), and your own words are {n} words, about {seconds(n)} seconds read "
                f"aloud (kept for your brief, not graded).")
