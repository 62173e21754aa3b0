"""``coursekit payout``, ``plot``, ``simulate`` and ``audit``: the comp engine from the command line."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from coursekit.engine import audit, booking_mix, explain, load_strategy, population, read_bookings, schedule, simulate
from coursekit.engine.audit import findings_dict
from coursekit.engine.currency import minor_unit
from coursekit.engine.frontier import mix_edge, near, wanted_words
from coursekit.engine.lint import attainment_warning, load_plan_linted, load_scenario_linted
from coursekit.engine.money import json_number
from coursekit.engine.payout import exact_payout
from coursekit.engine.plot import histogram_figure, save_curve
from coursekit.engine.scenario import population_override
from coursekit.engine.simulate import booking_shares
from coursekit.errors import BAD_INPUT, CourseError
from coursekit.feedback import count


def _stopped_by_warnings(warnings, strict: bool) -> bool:
    """Print plan warnings, one `FILE:LINE: field: why (fix)` line each; True when --strict makes them errors."""
    for w in warnings:
        print(str(w), file=sys.stderr)
    return strict and bool(warnings)


def _attainment(text: str):
    """The --attainment value as written (1.2 is 12/10 exactly), or a one-line error."""
    from decimal import Decimal, InvalidOperation

    try:
        value = Decimal(text.strip())
        if not value.is_finite() or abs(value) > 1000:
            raise InvalidOperation
    except InvalidOperation:
        raise CourseError.at("payout", "--attainment", f"{text!r} is not an attainment", "write a fraction of quota, e.g. 1.2 for 120%") from None
    if value < 0:
        raise CourseError.at("payout", "--attainment", f"{text} is below 0", "write a fraction of quota from 0, e.g. 1.2 for 120%")
    return value


PERIOD_WORDS = {"monthly": "month", "quarterly": "quarter", "annual": "year"}


def cmd_payout(a) -> int:
    plan, warnings = load_plan_linted(a.plan)
    if _stopped_by_warnings(warnings, a.strict):
        return BAD_INPUT
    if a.attainment is not None:
        att = _attainment(a.attainment)
        if _stopped_by_warnings([w] if (w := attainment_warning(att)) else [], a.strict):
            return BAD_INPUT
        x = exact_payout(plan, att)
        out = {"attainment": json_number(att), "payout": json_number(x), "currency": plan.currency, "period": plan.period}
        span = PERIOD_WORDS.get(plan.period, plan.period)
        print(json.dumps(out, allow_nan=False) if a.json else f"{x:,} {plan.currency} for one {span} at {float(att * 100):g}% of that {span}'s quota")
        return 0
    s = schedule(plan, read_bookings(a.bookings), rep=a.rep)
    # year to date: pay beyond the year's earnings to date still carried when a plan year ends (an advance the plan
    # never settled): said, never folded silently into "total earned"
    unsettled = [(m.month, m.carried) for i, m in enumerate(s.months) if (i + 1) % 12 == 0 and m.carried > 0]
    if a.json:
        print(json.dumps({**s.to_dict(), "carried_at_year_end": [{"month": mo, "carried": json_number(c)} for mo, c in unsettled]},
                         indent=1, allow_nan=False))
    else:
        import pandas as pd

        with pd.option_context("display.width", 160, "display.max_rows", 1000):
            print(s.to_frame().to_string(float_format=lambda v: f"{v:,.{minor_unit(plan.currency)}f}"))
        print(f"total earned {s.total_earned:,}  SPIFs {s.total_spif:,}  paid {s.total_paid:,} {plan.currency}")
        for mo, c in unsettled:
            print(f"carried at the plan year's end ({mo}): {c:,} {plan.currency} paid beyond the year's earnings to date; the "
                  "plan does not say whether it is recovered from later incentive or forgiven: the plan document should")
    return 0


IMAGE_TYPES = (".png", ".svg", ".pdf")


def _image(path: str, flag: str) -> Path:
    """An image file name a command will write, or a one-line error naming the flag."""
    if Path(path).suffix.lower() not in IMAGE_TYPES:
        raise CourseError.at(path, flag, "unknown image type", "end the file name in " + ", ".join(IMAGE_TYPES[:-1]) + f" or {IMAGE_TYPES[-1]}")
    return Path(path)


def cmd_plot(a) -> int:
    plan, warnings = load_plan_linted(a.plan)
    if _stopped_by_warnings(warnings, a.strict):
        return BAD_INPUT
    out = _image(a.output, "-o")
    save_curve(plan, out, assumed=a.assumed)
    print(f"wrote {out}")
    return 0


def cmd_simulate(a) -> int:
    sc, warnings = load_scenario_linted(a.scenario)
    if _stopped_by_warnings(warnings, a.strict):
        return BAD_INPUT
    pop = population_override(sc.population, a.reps, a.seed, a.scenario)
    if a.histogram:
        _image(a.histogram, "--histogram")
    if a.histogram and not pop:
        raise CourseError.at(a.scenario, "--histogram", "the scenario has no population to draw",
                             "add `population: {reps: 1000}` to the scenario, or give --reps")
    res = simulate(sc)
    out = res.to_dict()
    if sc.wanted:  # a strategy that wants a mix of effort: the mix rule (engine.frontier), beside the rep's choice
        e = mix_edge(sc)
        out["wanted_mix"] = {"shares": sc.wanted, "follows": near(res.best_mix, sc.wanted), "wanted_year": e.wanted.payout,
                             "best_year_away": e.away.payout, "away_mix": dict(e.away_mix), "clearly_wins": e.wins}
    if pop:  # every rep books the payout-maximizing mix's bookings, with their credit and pay multipliers
        p = population(sc.plan, pop, sc.months, sc.start, booking_mix(sc, res.best_mix))
        if a.histogram:
            histogram_figure(p, sc.plan).savefig(a.histogram)
        out["population"] = {k: v for k, v in p.items() if k not in ("attainment", "credited_attainment", "payout")}
        out["population"]["booking_mix"] = {k: round(float(v), 4) for k, v in booking_shares(sc, res.best_mix).items()}
    if a.json:
        print(json.dumps(out, indent=1))
        return 0
    print(f"{'option':<20}{'revenue':>14}{'mean pay':>12}{'P10':>12}{'median':>12}{'P90':>12}{'pay/100 rev':>13}")
    for o in res.options:
        cos = "-" if o.cost_of_sales is None else f"{o.cost_of_sales:.2f}"
        print(f"{o.name:<20}{o.revenue:>14,.0f}{o.payout:>12,.0f}{o.p10:>12,.0f}{o.median:>12,.0f}{o.p90:>12,.0f}{cos:>13}")
    tie = f" (ties with {', '.join(res.tied)} on mean pay)" if res.tied else ""
    print(f"rep's choice (on mean pay): {res.rep_choice}{tie}; strategy's choice: {res.strategy_choice}; aligned: {res.aligned}")
    print(f"revenue given up: {res.revenue_gap:,.0f}; payout-maximizing mix: " + ", ".join(f"{k} {v:.0%}" for k, v in res.best_mix.items()))
    print(f"method: {res.method}")
    if "wanted_mix" in out:
        w = out["wanted_mix"]
        print(f"the strategy wants {wanted_words(sc.wanted)}: the rep's mix is {'within' if w['follows'] else 'not within'} one "
              f"10% step of it; a year at it pays {w['wanted_year']:,.0f}, the best year more than one step away "
              f"{w['best_year_away']:,.0f} ({'a clear win' if w['clearly_wins'] else 'not a clear win'}: at least 2% more)")
    if "population" in out:
        shown = out["population"]
        mix = ", ".join(f"{k} {v:.0%}" for k, v in shown["booking_mix"].items()) or "nothing booked, no multipliers"
        print(f"population (bookings in the payout-maximizing mix: {mix}): "
              + ", ".join(f"{k} {v}" for k, v in shown.items() if k != "booking_mix"))
    return 0


def cmd_audit(a) -> int:
    plan, warnings = load_plan_linted(a.plan)
    strategy = load_strategy(a.strategy)
    if _stopped_by_warnings(warnings, a.strict):
        return BAD_INPUT
    found = audit(plan, strategy)
    if a.json:
        print(json.dumps({**findings_dict(found), "explanation": explain(plan)}, indent=1))
    else:
        for f in found:
            print(f"[{f.code}] {f.component}: {f.evidence}\n    fix: {f.fix}")
        print(count(len(found), "finding") if found else "no findings: the plan encodes the strategy it was checked against")
    return 1 if found else 0


def add_parsers(sub: argparse._SubParsersAction) -> None:
    pay = sub.add_parser("payout", help="payout at an attainment, or a schedule from bookings")
    pay.add_argument("plan")
    g = pay.add_mutually_exclusive_group(required=True)
    g.add_argument("--attainment", help="a fraction of the period quota, e.g. 1.2")
    g.add_argument("--bookings")
    pay.add_argument("--rep", help="with --bookings crediting several reps (a `rep` column): whose schedule")
    pay.add_argument("--json", action="store_true")
    pay.add_argument("--strict", action="store_true", help="plan warnings are errors (exit 2)")
    pay.set_defaults(func=cmd_payout)
    pl = sub.add_parser("plot", help="payout vs attainment chart")
    pl.add_argument("plan")
    pl.add_argument("-o", "--output", required=True)
    pl.add_argument("--assumed", type=float, default=None, help="mark planning's assumed attainment")
    pl.add_argument("--strict", action="store_true", help="plan warnings are errors (exit 2)")
    pl.set_defaults(func=cmd_plot)
    s = sub.add_parser("simulate", help="what a rational rep does under a plan", description=(
        "What a rational rep does under the scenario's plan: each option taken full-time, then the payout-maximizing "
        "effort mix. With a population (the scenario's `population:` or --reps), N reps' attainment of booked quota is "
        "drawn from its spread; every rep books the options in the shares the payout-maximizing mix books, with their "
        "credit and pay multipliers. Reported: incentive cost per 100 of bookings; the shares below threshold and at or "
        "above quota on credited attainment (what the comp system reports); the share the cap holds back."))
    s.add_argument("scenario")
    s.add_argument("--reps", type=int, help="simulate a population of this many reps (1 to 1,000,000), each booking the "
                   "payout-maximizing mix's options in the shares it books")
    s.add_argument("--seed", type=int, default=7, help="the population's seed, with --reps")
    s.add_argument("--histogram", help="write the population's credited attainment histogram to this image")
    s.add_argument("--json", action="store_true")
    s.add_argument("--strict", action="store_true", help="plan warnings are errors (exit 2)")
    s.set_defaults(func=cmd_simulate)
    au = sub.add_parser("audit", help="check a plan against the strategy it should encode")
    au.add_argument("plan")
    au.add_argument("--strategy", required=True)
    au.add_argument("--json", action="store_true")
    au.add_argument("--strict", action="store_true", help="plan warnings are errors (exit 2)")
    au.set_defaults(func=cmd_audit)
