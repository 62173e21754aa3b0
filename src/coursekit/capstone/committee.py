"""The tests a comp committee applies to a proposed plan, as engine-computed functions of a scenario, the plans and
the strategy's option (never a fixed company's constants), each returning numbers and a feedback line the capstone,
the plan tester and the brief can show:

- ``afford``: the budget (the population's incentive per 100 of bookings) under the plan in force, the learner's
  starting design and the proposal, one line when the first two are the same plan; one rep's year labelled as such;
- ``pays_target``: a rep at planned attainment on the strategy's option (or at its wanted mix) earns the target
  incentive within +-10%, the planned attainment quoted as such;
- ``who_earns_less``: the proposal against the plan in force over the same simulated reps;
- ``transition_feedback``: the transition the learner picks for those who earn less (a structured answer);
- ``effort_moves`` / ``coverage_feedback``: where effort moves off an option, the revenue at risk, and who covers it;
- ``risk``: the strategy's option's bad year (P10, the year one rep in ten does worse) against the alternative's mean
  (with a wanted mix: the year at that mix against the best mix more than one step away): a floor, a draw or a reason;
- ``rate_changes``: a change of the rate curve named ("removes the 1.5x accelerator above 100%"), for the brief's
  one plan diff (``brief.compose.plan_changes``, and ``named_changes`` there: the learner's apart from the inherited).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from coursekit.engine.frontier import mix_edge, wanted_words
from coursekit.engine.money import exact, money
from coursekit.engine.plan import Plan, to_dict
from coursekit.engine.scenario import Population, Scenario
from coursekit.engine.simulate import Result, booking_mix, population, simulate, simulate_mix
from coursekit.feedback import INFO, OK, WARN, junk_reason

TARGET_BAND = Fraction(1, 10)  # a rep at planned attainment earns the target incentive within +-10%
TYPICAL_REPS = 200  # reps at exactly planned attainment, each starting at its own point of a deal: the typical rep's year
TRANSITIONS = ("guarantee", "phase-down", "none")
RISK_ASK = "Add a floor or a draw, or write why not."  # the question, and the hints the capstone's boxes show: pasted back, not a reason
RISK_HINT = "only with 'a reason': why a rep will take the bad year, and who reviews it when"
TRANSITION_HINT = "only with 'none': why the reps paid less need no transition"
RISK_ANSWERS = ("floor", "draw", "reason")


def _pct(x: Fraction) -> str:
    return f"{float(x) * 100:.1f}%"


def _budget(pop: Mapping[str, Any]) -> Fraction | None:
    return Fraction(str(pop["total_payout"])) * 100 / Fraction(str(pop["total_revenue"])) if pop["total_revenue"] else None


@functools.lru_cache(maxsize=64)
def _simulated(sc: Scenario, plan: Plan) -> Result:
    """``simulate`` once per scenario and plan: the committee's tests read the same runs (never mutated)."""
    return simulate(sc, plan)


def _population(sc: Scenario, plan: Plan, effort: Mapping[str, float], pop: Population | None = None) -> dict[str, Any]:
    return population(plan, pop or sc.population or Population(), sc.months, sc.start, booking_mix(sc, effort))


# --- Can we afford it? -------------------------------------------------------------------------------

@dataclass
class Budget:
    name: str
    budget: Fraction | None  # the population's incentive per 100 of bookings, each rep booking the rational rep's mix
    rep_year: float  # one rep's year: the rational rep's mean year pay under the plan
    mix: dict[str, float]


def budget(sc: Scenario, plan: Plan, name: str) -> Budget:
    r = _simulated(sc, plan)
    year = simulate_mix(sc, r.best_mix, plan).payout
    return Budget(name, _budget(_population(sc, plan, r.best_mix)), year, dict(r.best_mix))


def afford(sc: Scenario, in_force: Plan, starting: Plan, proposed: Plan, tolerance: float = 1.0) -> tuple[str, str]:
    """"Can we afford it?" against the plan in force and the learner's starting design (one comparison when they are
    the same plan): the budget labelled as such, one rep's year labelled as such."""
    now, mine = budget(sc, in_force, "the plan in force"), budget(sc, proposed, "the proposal")
    rows = [now] if to_dict(in_force) == to_dict(starting) else [now, budget(sc, starting, "your starting design")]
    tol = Fraction(str(tolerance))
    fails = [b for b in rows if b.budget is not None and mine.budget is not None and mine.budget > b.budget + tol]
    q = "Can we afford it?"
    if mine.budget is None:
        return WARN, f"{q} The proposal's reps book nothing, so every dollar of pay is cost."
    against = "; ".join(f"{b.name} {money(b.budget, 1)} (one rep's year {money(b.rep_year)})" for b in rows)
    text = (f"{q} {'No' if fails else 'Yes'}: the budget (the population's incentive per 100 of bookings) is "
            f"{money(mine.budget, 1)} under the proposal (one rep's year {money(mine.rep_year)}), against {against}"
            + (f"; affordable: up to {tolerance:g} per 100 more." if not fails else
               f"; that is more than {tolerance:g} per 100 above {' and '.join(b.name for b in fails)}: find a cheaper change, "
               "or say why the strategy's dollar is worth it."))
    return (WARN if fails else OK), text


# --- Pays target at planned attainment? -----------------------------------------------------------------

def where(sc: Scenario, prefer: str) -> str:
    """Where the strategy wants a rep's effort, for the committee's lines: "on new logos", or with a wanted mix "at the
    mix the strategy wants (60% of effort on vineyard retrofit, 40% on co-op analytics)"."""
    return f"at the mix the strategy wants ({wanted_words(sc.wanted)})" if sc.wanted else f"on {prefer}"


def pays_target(sc: Scenario, plan: Plan, prefer: str, attainment: float = 1.0) -> dict[str, Any]:
    """What a rep at ``attainment`` of quota on the strategy's option (or, with a wanted mix, booking that mix) earns
    in the year: ``TYPICAL_REPS`` reps at exactly that attainment booking the option's whole deals as they fall (each
    from its own point of a deal), their median year, against the plan's target incentive over the months."""
    pop = Population(reps=TYPICAL_REPS, attainment_mean=attainment, attainment_sd=0.0, seed=(sc.population or Population()).seed)
    paid = _population(sc, plan, sc.wanted or {prefer: 1.0}, pop)["payout"]
    typical = float(np.median(paid))
    target = exact(plan.target_incentive) * sc.months / 12
    ratio = Fraction(str(round(typical, 2))) / target if target else Fraction(0)
    return {"typical": typical, "target": float(target), "ratio": ratio, "ok": abs(ratio - 1) <= TARGET_BAND}


def pays_target_line(sc: Scenario, plan: Plan, prefer: str, attainment: float = 1.0, reason: str = "") -> tuple[str, str]:
    """The fifth test: a typical rep at planned attainment on the strategy's option earns target within +-10%, or
    the learner says why not (a reason the junk detector accepts)."""
    t = pays_target(sc, plan, prefer, attainment)
    q = "Does the plan pay target at planned attainment?"
    # the planned attainment quoted as planning states it: at 85% of quota a rep earns 89% of target incentive, not "target"
    said = (f"at the planned attainment, {attainment:.0%} of quota, a rep {where(sc, prefer)} earns {money(t['typical'])} in "
            f"the year, {_pct(t['ratio'])} of the {money(t['target'])} target incentive")
    if t["ok"]:
        return OK, f"{q} Yes: {said} (within {_pct(TARGET_BAND)})."
    if reason and not junk_reason(reason, 6):
        return INFO, f"{q} Not within {_pct(TARGET_BAND)}: {said}; your reason: {' '.join(reason.split())}"
    return WARN, (f"{q} No: {said}, outside {_pct(TARGET_BAND)}. Move the rate or the quota so a rep at plan earns target, "
                  f"or write why not.")


# --- Who earns less, by how much ------------------------------------------------------------------------

def who_earns_less(sc: Scenario, current: Plan, proposed: Plan) -> dict[str, Any]:
    """The proposal against the plan in force over the same simulated reps (same seed, same attainment), each plan's
    reps booking its own rational rep's mix: the share of reps paid less, the median and worst change in money and
    percent (of the rep's pay under the plan in force)."""
    before = _population(sc, current, _simulated(sc, current).best_mix)["payout"]
    after = _population(sc, proposed, _simulated(sc, proposed).best_mix)["payout"]
    change = after - before
    pct = np.where(before > 0, change / np.where(before > 0, before, 1), 0.0)
    less = change < -0.005
    worst = int(np.argmin(change))
    return {"reps": int(before.size), "share_paid_less": float(less.mean()),
            "median_change": round(float(np.median(change)), 2), "median_change_pct": float(np.median(pct)),
            "worst_change": round(float(change[worst]), 2), "worst_change_pct": float(pct[worst])}


def who_earns_less_line(w: Mapping[str, Any]) -> str:
    if not w["share_paid_less"]:
        return f"Who earns less? Nobody of the {w['reps']:,} simulated reps is paid less under the proposal."
    return (f"Who earns less? {w['share_paid_less']:.0%} of the {w['reps']:,} simulated reps are paid less under the proposal; "
            f"the median rep's pay changes by {money(w['median_change'])} ({w['median_change_pct']:+.1%}), the worst by "
            f"{money(w['worst_change'])} ({w['worst_change_pct']:+.1%}).")


def transition_feedback(answer: Mapping[str, Any], w: Mapping[str, Any]) -> tuple[str, str]:
    """The transition the learner picks for the reps who earn less: {"transition": guarantee | phase-down | none,
    "periods": N (phase-down), "reason": text (none)}."""
    if not w["share_paid_less"]:
        return OK, "Transition: none needed, nobody is paid less."
    kind = answer.get("transition")
    if kind not in TRANSITIONS:
        return WARN, f"Pick the transition for the {w['share_paid_less']:.0%} paid less: a guarantee, a phase-down over N periods, or none with a reason."
    if kind == "guarantee":
        return OK, "Transition: a guarantee of last year's pay for the reps paid less, for the first plan year."
    if kind == "phase-down":
        n = answer.get("periods")
        if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= 12:
            return WARN, "A phase-down needs the number of pay periods it runs over (1 to 12)."
        return OK, f"Transition: the cut is phased in over {n} pay periods."
    bad = junk_reason(answer.get("reason"), 6, asked=(TRANSITION_HINT,))
    if bad:
        return WARN, f"No transition needs a reason the committee can read: {bad}."
    return OK, f"Transition: none, because {' '.join(str(answer['reason']).split())}"


# --- Who picks up what reps stop doing ------------------------------------------------------------------

def effort_moves(sc: Scenario, current: Plan, proposed: Plan) -> list[dict[str, Any]]:
    """Each option the rational rep's effort moves off under the proposal: its share of effort before and after, the
    share of that effort moved off, and the revenue at risk (what the rep booked on it before less after)."""
    before, after = _simulated(sc, current).best_mix, _simulated(sc, proposed).best_mix
    out = []
    for o in sc.options:
        b, a = before.get(o.name, 0.0), after.get(o.name, 0.0)
        if a < b - 1e-9:
            rev_b = simulate_mix(sc, {o.name: b}, current).revenue
            rev_a = simulate_mix(sc, {o.name: a}, proposed).revenue if a else 0.0
            out.append({"option": o.name, "effort_before": b, "effort_after": a, "moved_off": (b - a) / b,
                        "revenue_at_risk": round(rev_b - rev_a, 2)})
    return out


def coverage_feedback(answer: Mapping[str, Any], moves: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """For each option effort moves off, the learner names who covers it: {option: {"who": "another role" | "a team" |
    "nobody", "name": who exactly}}; "nobody" states the revenue at risk."""
    lines = []
    for m in moves:
        a = answer.get(m["option"]) if isinstance(answer.get(m["option"]), Mapping) else {}
        head = f"{m['option']}: {m['moved_off']:.0%} of the rep's effort moves off it ({money(m['revenue_at_risk'])} a year of bookings at risk)"
        who = a.get("who")
        if who == "nobody":
            lines.append((INFO, f"{head}; nobody covers it: the brief says {money(m['revenue_at_risk'])} a year is at risk."))
        elif who in ("another role", "a team") and not junk_reason(a.get("name"), 1, "who covers it"):
            lines.append((OK, f"{head}; covered by {' '.join(str(a['name']).split())} ({who})."))
        else:
            lines.append((WARN, f"{head}: name who covers it (another role, a team), or say nobody."))
    return lines


# --- Risk ------------------------------------------------------------------------------------------------

def risk(r: Result, prefer: str, sc: Scenario | None = None, plan: Plan | None = None) -> dict[str, Any]:
    """The strategy's option's bad year (P10) against the best other option's mean year; with a wanted mix (``sc``'s,
    under ``plan``), the bad year at the wanted mix against the mean of the best year more than one step away from it."""
    if sc is not None and sc.wanted:
        e = mix_edge(sc, plan or sc.plan)
        away = wanted_words(dict(e.away_mix)).replace(" of effort", "") if e.away_mix else "another mix"
        return {"p10": e.wanted.p10, "other": "a mix away from it", "other_mean": e.away.payout,
                "risky": e.wanted.p10 < e.away.payout, "on": where(sc, prefer),
                "against": f"an average year at the best mix more than one step away from it ({away}: {money(e.away.payout)})"}
    want = next(o for o in r.options if o.name == prefer)
    other = max((o for o in r.options if o.name != prefer), key=lambda o: o.payout)
    return {"p10": want.p10, "other": other.name, "other_mean": other.payout, "risky": want.p10 < other.payout, "on": f"on {prefer}",
            "against": f"an average year on {other.name} ({money(other.payout)})"}


def risk_line(r: Result, prefer: str, answer: Mapping[str, Any] | None = None, sc: Scenario | None = None,
              plan: Plan | None = None) -> tuple[str, str]:
    """Where the bad year pays less than the alternative's average, the strategy test asks for a floor, a draw or a
    written reason ({"risk": floor | draw | reason, "reason": text}) instead of Yes. The bad year is P10: the year one
    rep in ten does worse than."""
    k = risk(r, prefer, sc, plan)
    bad = f"in a bad year (P10) a rep {k['on']} earns {money(k['p10'])} (one rep in ten does worse)"
    if not k["risky"]:
        return OK, f"Risk: {bad}, no less than {k['against']}."
    said = f"Risk: {bad}, less than {k['against']}"
    a = answer or {}
    if a.get("risk") in ("floor", "draw"):
        return OK, f"{said}; you answer it with a {a['risk']}."
    if a.get("risk") == "reason" and not junk_reason(a.get("reason"), 6, asked=(RISK_ASK, RISK_HINT)):
        return OK, f"{said}; your reason: {' '.join(str(a['reason']).split())}"
    return WARN, (f"{said}: a rep who fears that year may not take it. You are asked for a floor (a minimum paid whatever the "
                  f"bookings), a draw (an advance against pay) or a reason a rep will accept the risk. {RISK_ASK}")


# --- Each plan change named -----------------------------------------------------------------------------

def _acc(plan: Plan) -> tuple[float, float] | None:
    tiers = plan.effective_tiers()
    return (tiers[1].multiplier or 0.0, tiers[1].start) if not plan.curve and len(tiers) > 1 else None


def rate_changes(before: Plan, after: Plan) -> list[str]:
    """What a change of the rate curve does, named as a comp committee reads it ("removes the 1.5x accelerator above
    100%"), for the brief's plan diff (``brief.compose.plan_changes``); [] when tiers and curve are the same."""
    if (before.tiers, before.curve, before.tier_mode) == (after.tiers, after.curve, after.tier_mode):
        return []
    if before.curve or after.curve:
        return ["changes the payout curve (see the plans in full)"]
    a, b = _acc(before), _acc(after)
    out = []
    if a != b:
        out.append(f"removes the {a[0]:g}x accelerator above {a[1]:.0%}" if b is None else
                   f"adds a {b[0]:g}x accelerator above {b[1]:.0%}" if a is None else
                   f"changes the accelerator from {a[0]:g}x above {a[1]:.0%} to {b[0]:g}x above {b[1]:.0%}")
    first = [t.rate if t.rate is not None else t.multiplier for t in (before.effective_tiers()[0], after.effective_tiers()[0])]
    if first[0] != first[1]:
        out.append(f"changes the base rate from {first[0]:g} to {first[1]:g}" + ("x the base commission rate" if
                   before.effective_tiers()[0].rate is None else ""))
    if len(before.effective_tiers()) > 2 or len(after.effective_tiers()) > 2:
        out.append("changes the tiers above quota (see the plans in full)")
    if before.tier_mode != after.tier_mode:
        out.append(f"pays each tier's rate {'on all credit once reached' if after.tier_mode == 'retroactive' else 'only on credit within it'}")
    return out or ["changes the rate curve (see the plans in full)"]


# --- all of them, for the brief ---------------------------------------------------------------------------

ANSWER_FIELDS = {  # the structured answer the capstone's tester saves under "committee" (all optional)
    "transition": "guarantee | phase-down | none", "periods": "pay periods of a phase-down (1-12)",
    "reason": "why no transition", "coverage": "{option: {who: another role | a team | nobody, name: who}}",
    "risk": "{risk: floor | draw | reason, reason: text}", "target_reason": "why a rep at plan does not earn target",
}


def committee_lines(sc: Scenario, in_force: Plan, starting: Plan, proposed: Plan, prefer: str, attainment: float = 1.0,
                    answer: Mapping[str, Any] | None = None) -> list[tuple[str, str, str]]:
    """Every committee test on the proposal, as (label, level, text) for the brief: the budget, pays target at planned
    attainment, who earns less and the transition, who covers what reps stop doing, and the risk."""
    a = answer if isinstance(answer, Mapping) else {}
    out = [("Can we afford it (the budget)", *afford(sc, in_force, starting, proposed))]
    out.append(("Pays target at planned attainment", *pays_target_line(sc, proposed, prefer, attainment, str(a.get("target_reason") or ""))))
    w = who_earns_less(sc, in_force, proposed)
    level, said = transition_feedback(a, w)
    out.append(("Who earns less", WARN if level == WARN else INFO, who_earns_less_line(w) + " " + said))
    cover = a.get("coverage") if isinstance(a.get("coverage"), Mapping) else {}
    out += [("Who covers the work moved", lvl, text) for lvl, text in coverage_feedback(cover, effort_moves(sc, in_force, proposed))]
    out.append(("Risk", *risk_line(_simulated(sc, proposed), prefer, a.get("risk") if isinstance(a.get("risk"), Mapping) else None,
                                   sc, proposed)))
    return [(label, level, _answer_only(text)) for label, level, text in out]


def _answer_only(text: str) -> str:
    """The line without the question it answers ("Can we afford it? No: ..." -> "No: ..."): the brief labels it."""
    for q in ("Can we afford it? ", "Does the plan pay target at planned attainment? ", "Who earns less? ", "Risk: "):
        if text.startswith(q):
            rest = text[len(q):]
            return rest[:1].upper() + rest[1:]
    return text
