"""What the capstone's forms check, as pure functions of an answer: feedback lines (level, text) that
name the row and the reason. The widgets in ``exercises/priorities.py`` and ``exercises/scenario_editor.py``
show them; tests call them directly."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from coursekit.answers import OWNERS
from coursekit.engine.money import money
from coursekit.engine.scenario import options_from_list
from coursekit.feedback import INFO, OK, UNSURE, WARN, junk_reason, keyword_list_reason, names_lines, pasted_reason, plural

PLACEHOLDERS = {
    "name": "e.g. win competitive logos",
    "behavior": "e.g. take a named account from the main competitor",
    "ask": "e.g. confirm the two ranked priorities by 15 January",
    "who": "e.g. CRO",
}

def field_problem(text: Any, min_words: int = 1, field: str = "it") -> str:
    """The one junk detector (``coursekit.feedback``) on a form's field, with the form's hints as examples; "" when fine."""
    return junk_reason(text, min_words, field, PLACEHOLDERS.values()) or ""


def priorities_feedback(answer: Mapping[str, Any], segments: list[str], option_cycles: Mapping[str, int] | None = None,
                        min_rows: int = 1, asked: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """Checks of the priorities form: every filled row complete and a behavior (the row's pick of what it names carries
    that verdict: ``feedback.names_lines``); ranks distinct; no duplicates. ``asked``: the form's own texts (title, labels,
    hints), refused when pasted back. A behavior of two words or more is long enough ("second-product proposals sent")."""
    rows = answer.get("priorities") if isinstance(answer.get("priorities"), list) else []
    lines: list[tuple[str, str]] = []
    filled = [(i, r) for i, r in enumerate(rows, 1) if isinstance(r, Mapping) and (str(r.get("name") or "").strip() or str(r.get("behavior") or "").strip())]
    if len(filled) < min_rows:
        return [(WARN, f"Write at least {min_rows} priorit{'y' if min_rows == 1 else 'ies'}: a name, the behavior wanted, its segment and its sales cycle.")]
    names: dict[str, int] = {}
    behaviors: dict[str, int] = {}
    ranks: dict[int, int] = {}
    for i, r in filled:
        row_ok = True
        for f, label, words in (("name", "the priority's name", 1), ("behavior", "the behavior", 2)):
            bad = field_problem(r.get(f), words, label) or (f"{label}: {p}" if (p := pasted_reason(r.get(f), asked)) else "")
            if bad:
                lines.append((WARN, f"Row {i}: {bad}."))
                row_ok = False
        beh = " ".join(str(r.get("behavior") or "").split())
        junk = "" if field_problem(beh, 2) or pasted_reason(beh, asked) else junk_reason(beh, 2, asked=asked) or ""
        if junk and "random letters" not in junk:  # keyboard noise is named by the form itself, box by box
            lines.append((WARN, f"Row {i}: the behavior: {junk}."))
            row_ok = False
        elif not field_problem(beh, 2) and not pasted_reason(beh, asked) and (named := names_lines(r.get("what"), beh, f"Row {i}: ")):
            lines += named
            row_ok = False
        seg = " ".join(str(r.get("segment") or "").split())
        if not seg:
            lines.append((WARN, f"Row {i}: say the segment or product it applies to ({', '.join(segments)}, or your own company's)."))
            row_ok = False
        elif seg not in segments:
            lines.append((INFO, f"Row {i}: {seg} is not one of this module's segments ({', '.join(segments)}): the capstone matches it "
                                "to your own company's options by segment, product or option name."))
        cyc = r.get("cycle_months")
        if isinstance(cyc, bool) or not isinstance(cyc, int) or not 1 <= cyc <= 36:
            lines.append((WARN, f"Row {i}: the sales cycle must be a whole number of months from 1 to 36 (from the CRM: created to closed-won)."))
            row_ok = False
        elif option_cycles and seg in option_cycles and cyc != option_cycles[seg]:
            lines.append((INFO, f"Row {i}: you wrote {cyc} months for {seg}; the module's scenario assumes {option_cycles[seg]}. Keep yours if your CRM says so."))
        rank = r.get("rank")
        if isinstance(rank, bool) or not isinstance(rank, int) or not 1 <= rank <= len(rows):
            lines.append((WARN, f"Row {i}: rank it from 1 (most important) to {len(rows)}."))
            row_ok = False
        elif rank in ranks:
            lines.append((WARN, f"Row {i}: rank {rank} is also row {ranks[rank]}'s: give each priority its own rank."))
            row_ok = False
        else:
            ranks[rank] = i
        for key, seen, what in ((str(r.get("name") or ""), names, "priority"), (beh, behaviors, "behavior")):
            norm = " ".join(re.findall(r"[a-z0-9]+", key.lower()))
            if norm and norm in seen:
                lines.append((WARN, f"Row {i}: the same {what} as row {seen[norm]}: merge them or write a different one."))
                row_ok = False
            elif norm:
                seen[norm] = i
        if row_ok:
            lines.append((OK, f"Row {i}: {r['name'].strip()}: a behavior a rep can do, in {seg}, on a {cyc}-month cycle."))
    if len(filled) > 3 and all(lvl not in (WARN, UNSURE) for lvl, _ in lines):
        lines.append((INFO, f"{len(filled)} priorities: encode the top one or two in pay and leave the rest to management and enablement."))
    att = answer.get("assumed_attainment")
    if attainment_reason(att):
        lines.append((INFO, f"Planning assumes {att:g}% attainment: {HEALTHY_ATTAINMENT}."))
    return lines


HEALTHY_ATTAINMENT = ("in a healthy plan 60-70% of reps reach quota and the rest fall short, some far short, so mean "
                      "attainment sits below 100%; ask planning for the mean they use (capacity models often assume about 85%)")
_EVERY_REP = re.compile(r"\b(?:every|each|all(?:\s+(?:the|our))?)\s+(?:[a-z-]+\s+)?(?:reps?|sellers?|salespeople|aes?|account executives?)\b"
                        r"[^.;]{0,40}?\b(?:reach|reaches|reaching|hit|hits|hitting|make|makes|making|meet|meets|meeting|attain|attains|"
                        r"achieve|achieves|at|on)\b[^.;]{0,25}?(?:\bquota\b|\btarget\b|\bplan\b|100\s*%)", re.I)
_PERCENT_OF_QUOTA = re.compile(r"(\d+(?:\.\d+)?)\s*%\s*(?:of\s+(?:their\s+|the\s+|its\s+)?quota\b(?!\s+(?:coverage|over))|(?:mean\s+|average\s+|expected\s+)?attainment\b)"
                               r"|\battainment\s+(?:of|at)\s+(\d+(?:\.\d+)?)\s*%", re.I)


def attainment_reason(assumed: Any) -> str:
    """Why a planning assumption describes a sales force that does not exist ("" when it does not): every rep at
    quota or above. ``assumed`` is the attainment in % (the priorities form's box) or the text of an ask (the
    decisions form: "Build capacity assuming every rep reaches 100% of quota"). Module 2 names this misconception."""
    if isinstance(assumed, bool):
        return ""
    if isinstance(assumed, (int, float)):
        return f"{assumed:g}% attainment for every rep" if assumed >= 100 else ""
    said = " ".join(str(assumed or "").split())
    high = [float(a or b) for a, b in _PERCENT_OF_QUOTA.findall(said) if float(a or b) >= 100]
    if high:
        return f"{max(high):g}% attainment for every rep"
    return "every rep at quota" if _EVERY_REP.search(said) else ""


# A statement about what is (or was), not a request: it opens with its subject. An ask is an imperative ("Update the
# capacity model", "Roll out the method", "Greenlight ...") or a yes/no question ("Will comp approve ...?"), whatever its verb.
_STATEMENT_OPENERS = frozenset("""we i they he she it its our my their this that these those there reps rep sales the a an
everyone nobody everything""".split())
_REQUEST = re.compile(r"^\s*(?:please\s+)?(?:we|i)\s+(?:(?:would|'d)\s+like|ask|need|want|request|propose|recommend)\b(?:\s+\S+){0,2}?\s+to\b", re.I)
_QUESTION = re.compile(r"^\s*(?:will|would|can|could|should|shall|may|do|does|is|are)\b.*\?\s*$", re.I | re.S)
ASKED = ("One decision per owner, each answerable yes or no, and the day you will look at the hypothesis's metric.",)


def decision_reason(ask: Any) -> str:
    """Why ``ask`` is not a decision someone can say yes or no to ("" when it is one): junk or filler (the one junk
    detector), or a statement of what is rather than a request. Any imperative or yes/no question is an ask."""
    bad = field_problem(ask, 4, "the ask") or junk_reason(ask, 4, asked=ASKED) or keyword_list_reason(ask)
    if bad:
        return bad if bad.startswith("the ask") else f"the ask: {bad}"
    said = " ".join(str(ask).split())
    first = re.findall(r"[A-Za-z']+", said)[0].lower()
    if _QUESTION.match(said) or _REQUEST.match(said) or first not in _STATEMENT_OPENERS:
        return ""
    return (f"{said!r} says what is, not what you ask of them: write the decision as a request (\"Approve ...\", \"Update ...\") "
            f"or a yes/no question (\"Will you fund ...?\")")


def earliest_review(today: dt.date, min_months: int | None = None, plan_start: dt.date | None = None) -> dt.date:
    """The first day a hypothesis can be reviewed: one sales cycle (``min_months``) after the plan starts
    (``plan_start``, e.g. the capstone scenario's first month), or after ``today`` without a start; never
    before tomorrow."""
    start = plan_start or today
    first = add_months(start, min_months) if min_months else start + dt.timedelta(days=1) if plan_start else start
    return max(first, today + dt.timedelta(days=1))


def decisions_feedback(answer: Mapping[str, Any], today: dt.date, min_months: int | None = None,
                       plan_start: dt.date | None = None) -> list[tuple[str, str]]:
    """Checks of the decisions form: an owner and a decision for each of the four owners; a review date
    in the future, after the plan starts (``plan_start``) and at least one sales cycle (``min_months``)
    into it, and whose calendar it is on."""
    lines: list[tuple[str, str]] = []
    asks = answer.get("asks") if isinstance(answer.get("asks"), Mapping) else {}
    for key, label in OWNERS:
        a = asks.get(key) if isinstance(asks.get(key), Mapping) else {}
        who_bad = field_problem(a.get("who"), 1, "who decides")
        ask_bad = decision_reason(a.get("ask"))
        if who_bad or ask_bad:
            lines.append((WARN, f"{label}: {who_bad or ask_bad}." + (f" Also {ask_bad}." if who_bad and ask_bad else "")))
        elif assumes := attainment_reason(a.get("ask")):
            lines.append((WARN, f"{label}: {' '.join(str(a['ask']).split())!r} plans on {assumes}, a sales force that does not exist: "
                                f"{HEALTHY_ATTAINMENT}, and build capacity on that mean and on ramp for new hires."))
        else:
            who, ask = " ".join(str(a["who"]).split()), " ".join(str(a["ask"]).split()).strip("\"'“”‘’ ")
            # an imperative reads after "is asked to"; a question (with or without its "?"), or an ask with its own lead-in
            # ("Yes or no: approve ..."), is quoted
            quoted = ask.endswith("?") or ":" in ask or re.match(r"(?i)(?:yes|no)\b", ask) or re.match(
                r"(?i)(?:do|does|did|will|would|can|could|should|shall|is|are|may|must|have|has)\s+(?:we|you|they|i|it|the|our|this|that)\b", ask)
            said = f"is asked: “{ask.rstrip('.')}”." if quoted else f"is asked to {_lower_first(ask)}."
            said = said.replace("?”.", "?”")
            lines.append((OK, f"{label}: {who} {said}"))
    date = parse_date(answer.get("review_date"))
    if date is None:
        lines.append((WARN, "Set the review date of the hypothesis (a date on a calendar)."))
    elif date <= today:
        lines.append((WARN, f"The review date {date.isoformat()} is not in the future: pick the day you will look at the metric."))
    elif (why := review_date_reason(date, today, min_months, plan_start)):
        lines.append((WARN, why))
    else:
        lines.append((OK, f"Review on {date.day} {date:%B %Y}."))  # as the brief writes it
    if field_problem(answer.get("calendar"), 1, "whose calendar"):
        lines.append((WARN, "Say on whose calendar the review sits (the person who reads the metric, e.g. the CRO)."))
    if all(level != WARN for level, _ in lines):
        lines.append((INFO, monday(answer)))
    return lines


def review_date_reason(date: dt.date, today: dt.date, min_months: int | None = None, plan_start: dt.date | None = None) -> str:
    """Why a review date comes too early ("" when it does not): before the plan starts, or before one
    sales cycle of it has run. The decisions form and the brief both ask this."""
    first = earliest_review(today, min_months, plan_start)
    if date >= first:
        return ""
    if plan_start and date <= plan_start:
        return (f"The review date {date.isoformat()} is before the plan starts ({plan_start.isoformat()}): nothing the plan changes can be "
                f"seen by then; look on or after {first.isoformat()}.")
    since = f"of the plan (it starts {plan_start.isoformat()})" if plan_start else ""
    return (f"The review date {date.isoformat()} comes before one full sales cycle ({min_months} months) {since}".rstrip() + " has run: "
            f"few of the deals the plan is meant to change can have closed by then; look on or after {first.isoformat()}.")


def monday(answer: Mapping[str, Any]) -> str:
    """What to do on Monday, from a complete decisions answer: who gets the brief, when, and the review."""
    asks = answer["asks"]
    who = list(dict.fromkeys(" ".join(str(asks[k]["who"]).split()) for k, _ in OWNERS))  # each once, in owner order
    names = ", ".join(who[:-1]) + (" and " if len(who) > 1 else "") + who[-1]
    return (f"On Monday: export the brief and send it to {names}, asking for thirty minutes together before next year's targets and "
            f"budget are set (the start of the planning calendar, before quotas are allocated). Put the review on "
            f"{' '.join(str(answer['calendar']).split())} calendar for {parse_date(answer['review_date']).isoformat()}.")


def parse_date(v: Any) -> dt.date | None:
    if isinstance(v, dt.date):
        return v
    try:
        return dt.date.fromisoformat(str(v)) if v else None
    except ValueError:
        return None


def add_months(d: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (the month's last day when it is shorter)."""
    y, m = divmod(d.month - 1 + months, 12)
    year = d.year + y
    return dt.date(year, m + 1, min(d.day, calendar.monthrange(year, m + 1)[1]))




def _lower_first(text: Any) -> str:
    t = " ".join(str(text).split()).rstrip(".")
    return t[:1].lower() + t[1:]


def per_100(pay: Any, revenue: Any) -> str:
    """Pay per 100 of revenue to one decimal, half-up, computed exactly ("-" without revenue)."""
    rev = Decimal(str(revenue))
    return money(Decimal(str(pay)) * 100 / rev, 1) if rev else "-"


def option_revenue(o: Mapping[str, Any], months: int = 12) -> Decimal:
    """Expected revenue of a year on one option: deals closed per cycle x win rate x deal size, per whole cycle."""
    cycles = months // int(o.get("cycle_months", 1))
    return (Decimal(str(o.get("deal_size", 0))) * Decimal(str(o.get("deals_per_cycle", 1)))
            * Decimal(str(o.get("win_rate", 1.0))) * cycles)


def options_feedback(answer: Mapping[str, Any], scenario: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Checks of the options editor: each option valid for the engine and able to close a deal in the
    scenario's year; what a year on it brings; whether the numbers are still the scenario's own."""
    months = int(scenario.get("months", 12))
    base = {str(o.get("name")): o for o in scenario.get("options") or []}
    rows = answer.get("options") if isinstance(answer.get("options"), list) else []
    lines: list[tuple[str, str]] = []
    changed = 0
    for r in rows:
        if not isinstance(r, Mapping) or str(r.get("name")) not in base:
            continue
        name = str(r["name"])
        opt = {**base[name], **{k: r[k] for k in ("deal_size", "deals_per_cycle", "cycle_months", "win_rate") if k in r}}
        probs = options_from_list([opt], "options")[1]
        if probs:
            lines += [(WARN, f"{name}: {p.field.split('.', 1)[-1]} {p.problem}.") for p in probs]
            continue
        changed += any(opt.get(k) != base[name].get(k) for k in ("deal_size", "deals_per_cycle", "cycle_months", "win_rate"))
        rev = option_revenue(opt, months)
        if opt["cycle_months"] > months:
            lines.append((WARN, f"{name}: a {opt['cycle_months']}-month cycle closes no deal within the {months}-month plan year: shorten it to {months} or less."))
        elif rev <= 0:
            lines.append((WARN, f"{name}: with a win rate of 0 or no deals per cycle, a year on it brings nothing: put in the CRM's numbers."))
        else:
            lines.append((OK, f"{name}: {plural(opt.get('deals_per_cycle', 1), 'deal')} of {money(opt['deal_size'])} every "
                              f"{'month' if opt.get('cycle_months', 1) == 1 else plural(opt['cycle_months'], 'month')}, "
                              f"{round(float(opt.get('win_rate', 1)) * 100, 2):g}% won: {money(rev)} a year expected."))
    if not rows:
        return [(WARN, "Set each option's deal size, sales cycle, deals per cycle and win rate.")]
    if not changed and all(lvl != WARN for lvl, _ in lines):
        lines.append((INFO, "These are the scenario's numbers. Put in your own from the CRM (closed-won and closed-lost, last four quarters)."))
    return lines
