"""``coursekit signals``: gaming signals in a CRM export, against the plan that paid them."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from coursekit.engine import load_plan
from coursekit.errors import CourseError
from coursekit.feedback import count
from coursekit.signals.crm import parse_columns, read_export, read_quotas
from coursekit.signals.detect import detect
from coursekit.signals.report import write


def cmd_signals(a) -> int:
    """Patterns to review in a CRM export. Exit 0 none, 1 patterns naming a rep, 2 bad input.

    Observations on the plan's design (the whole team's) are printed but never set exit 1 by themselves."""
    try:
        if a.window < 1:
            raise CourseError.at(a.export, "--window", f"{a.window} is not a number of days", "give 1 or more business days")
        if a.approval_limit is not None and a.approval_limit <= 0:
            raise CourseError.at(a.export, "--approval-limit", f"{a.approval_limit} is not a limit", "give an amount above 0")
        as_of = _as_of(a.as_of, a.export)
        plan = load_plan(a.plan)
        cols = parse_columns(a.columns, a.export) if a.columns else None
        won = tuple(w for w in (a.won or "").split(",") if w.strip()) or None
        ex = read_export(a.export, source=a.source, columns=cols, dayfirst=a.dayfirst, decimal_comma=a.decimal_comma,
                         currency=plan.currency, fields=("account", "discount", "segment", "team", *sorted(plan.credit)),
                         as_of=as_of, won=won)
        quotas = read_quotas(a.quotas, a.decimal_comma) if a.quotas else None
        report = detect(ex.deals, plan, quotas=quotas, year_start=a.year_start, window=a.window, approval_limit=a.approval_limit,
                        peer=a.peer_column)
        report.notes = ex.notes + report.notes + ([] if quotas else [f"every rep carries the plan's quota ({plan.quota:,.0f} a year); "
                                                       "--quotas gives each rep's own"])
        if a.output:
            write(report, a.output, Path(a.export).name)
    except ValueError as exc:  # anything the export's cells provoke: still one line and exit 2 (cli.main maps CourseError)
        raise CourseError.at(a.export, "export", f"cannot be read ({' '.join(str(exc).split())[:200]})",
                             "check the export's cells, or name its columns with --columns") from None
    if a.json:
        print(json.dumps(report.to_dict(), indent=1))
    else:
        for line in report.notes:
            print(f"note: {line}")
        for s in report.findings:
            print(f"[{s.kind}] {s.rep} {s.period or 'all periods'}: {s.evidence} (rewards: {s.component}; q = {s.q_value:.2g})")
            ids = [d["deal_id"] or d["date"] for d in s.deals[:6]]
            if ids:
                print(f"    deals: {', '.join(ids)}{' ...' if s.deals_total > len(ids) else ''} ({s.deals_total}); "
                      f"at stake {s.at_stake:,.0f} {plan.currency}: {s.at_stake_what}")
        for s in report.design:
            print(f"[plan design: {s.kind}] whole team {s.period or 'all periods'}: {s.evidence} (component: {s.component})")
        for line in report.untested:
            print(f"not tested: {line}")
        for w in report.watch:
            print(f"watch: [{w.kind}] {w.rep} {w.period or 'all periods'}: {w.evidence} (q = {w.q_value:.2g}; not a pattern to review)")
        where = f"{report.tests:,} tests over {len(report.reps)} reps and {len(report.periods)} periods"
        n = len(report.findings)
        print(f"{count(n, 'pattern')} to review in {where}" if n else f"no patterns to review in {where}")
    if a.output:
        print(f"wrote {a.output}", file=sys.stderr if a.json else sys.stdout)
    return 1 if report.findings else 0


def _as_of(text: str | None, export: str) -> dt.date:
    if text is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise CourseError.at(export, "--as-of", f"{text!r} is not a date", "write the export's date as YYYY-MM-DD") from None


def add_parsers(sub: argparse._SubParsersAction) -> None:
    sg = sub.add_parser("signals", help="patterns to review in a CRM export of closed deals, against the plan that paid them")
    sg.add_argument("export", help="CSV of closed deals: date, amount, rep (optional account, segment, product, discount)")
    sg.add_argument("--plan", required=True)
    sg.add_argument("--json", action="store_true", help='print {"signals": [...], "reps": N, "periods": [...]}')
    sg.add_argument("-o", "--output", help="write the HTML report here")
    sg.add_argument("--from", dest="source", choices=["salesforce", "hubspot"], help="the export's column names")
    sg.add_argument("--columns", help='map columns, e.g. "date=Close Date,amount=Amount,rep=Opportunity Owner"')
    sg.add_argument("--dayfirst", action="store_true", help="dates are day/month/year")
    mark = sg.add_mutually_exclusive_group()
    mark.add_argument("--decimal-comma", dest="decimal_comma", action="store_true", default=None,
                      help="amounts are written 1.234,56 (default: read from the data)")
    mark.add_argument("--decimal-point", dest="decimal_comma", action="store_false", help="amounts are written 1,234.56")
    sg.add_argument("--as-of", help="the day the export was taken, YYYY-MM-DD (default today): later close dates are set aside")
    sg.add_argument("--won", help='stage values that mean won, comma-separated (default: "Closed Won", "Won")')
    sg.add_argument("--quotas", help="CSV rep,quota of annual quotas (default: the plan's quota for everyone)")
    sg.add_argument("--approval-limit", type=float,
                    help="deal size above which approval is needed; deal splitting is tested only when it is given")
    sg.add_argument("--peer-column", choices=["segment", "team"],
                    help="group reps into peers by this column (default: segment or team when each rep sells in one)")
    sg.add_argument("--window", type=int, default=5, help="business days before a period's end (default 5)")
    sg.add_argument("--year-start", help="first month of the plan year, YYYY-MM (default: the plan's, else January)")
    sg.set_defaults(func=cmd_signals)
