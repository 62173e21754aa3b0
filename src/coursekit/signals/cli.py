"""``coursekit signals``: gaming signals in a CRM export, against the plan that paid them."""

from __future__ import annotations

import argparse
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
    """Gaming signals in a CRM export. Exit 0 clean, 1 signals found, 2 bad input."""
    try:
        if a.window < 1:
            raise CourseError.at(a.export, "--window", f"{a.window} is not a number of days", "give 1 or more business days")
        if a.approval_limit is not None and a.approval_limit <= 0:
            raise CourseError.at(a.export, "--approval-limit", f"{a.approval_limit} is not a limit", "give an amount above 0")
        plan = load_plan(a.plan)
        cols = parse_columns(a.columns, a.export) if a.columns else None
        ex = read_export(a.export, source=a.source, columns=cols, dayfirst=a.dayfirst, decimal_comma=a.decimal_comma,
                         currency=plan.currency, fields=("account", "discount", *sorted(plan.credit)))
        quotas = read_quotas(a.quotas, a.decimal_comma) if a.quotas else None
        try:
            report = detect(ex.deals, plan, quotas=quotas, year_start=a.year_start, window=a.window, approval_limit=a.approval_limit)
        except ValueError as exc:
            raise CourseError.at(a.year_start or a.export, "--year-start", str(exc), "give the plan year's first month, e.g. 2027-02") from None
        if a.output:
            write(report, a.output, Path(a.export).name)
    except CourseError as exc:
        for p in exc.problems:
            print(str(p), file=sys.stderr)
        return 2
    except ValueError as exc:  # anything else the export's cells provoke: still one line, still bad input
        print(f"{a.export}: export: cannot be read ({' '.join(str(exc).split())[:200]})", file=sys.stderr)
        return 2
    if a.json:
        print(json.dumps(report.to_dict(), indent=1))
    else:
        for s in report.signals:
            print(f"[{s.kind}] {s.rep or 'whole team'} {s.period or 'all periods'}: {s.evidence} ({s.strength:.1f}x; rewards: {s.component})")
        print(f"{count(len(report.signals), 'signal')} in {report.tests:,} tests over {len(report.reps)} reps and {len(report.periods)} periods"
              if report.signals else f"no signals of gaming in {report.tests:,} tests over {len(report.reps)} reps and {len(report.periods)} periods")
    if a.output:
        print(f"wrote {a.output}", file=sys.stderr if a.json else sys.stdout)
    return 1 if report.signals else 0


def add_parsers(sub: argparse._SubParsersAction) -> None:
    sg = sub.add_parser("signals", help="gaming signals in a CRM export of closed deals, against the plan that paid them")
    sg.add_argument("export", help="CSV of closed deals: date, amount, rep (optional account, segment, product, discount)")
    sg.add_argument("--plan", required=True)
    sg.add_argument("--json", action="store_true", help='print {"signals": [...], "reps": N, "periods": [...]}')
    sg.add_argument("-o", "--output", help="write the HTML report here")
    sg.add_argument("--from", dest="source", choices=["salesforce", "hubspot"], help="the export's column names")
    sg.add_argument("--columns", help='map columns, e.g. "date=Close Date,amount=Amount,rep=Opportunity Owner"')
    sg.add_argument("--dayfirst", action="store_true", help="dates are day/month/year")
    sg.add_argument("--decimal-comma", action="store_true", help="amounts are written 1.234,56")
    sg.add_argument("--quotas", help="CSV rep,quota of annual quotas (default: the plan's quota for everyone)")
    sg.add_argument("--approval-limit", type=float, help="deal size above which approval is needed (for deal splitting)")
    sg.add_argument("--window", type=int, default=5, help="business days before a period's end (default 5)")
    sg.add_argument("--year-start", help="first month of the plan year, YYYY-MM (default: the plan's, else January)")
    sg.set_defaults(func=cmd_signals)
