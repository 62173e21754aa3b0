"""The command line: parses arguments, calls the API, prints.

Exit codes, every command: 0 success; 2 bad input (one line per problem naming file, field and fix);
1 when `audit` or `signals` find something (and `build --check` finds stale notebooks)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from coursekit.errors import CourseError

BAD_INPUT = 2  # as argparse exits for a bad option


def cmd_check(a) -> int:
    """Every problem `build --no-execute` would report, all at once, one line each; exit 2 on errors."""
    from coursekit.assemble import check_course

    course, _planned, problems = check_course(a.content)
    for p in problems:
        print(("warning: " if p.severity == "warning" else "") + str(p), file=sys.stderr)
    errors = [p for p in problems if p.severity == "error"]
    warnings = len(problems) - len(errors)
    if not errors:
        print(f"{_n(len(course.notes), 'note')} OK" + (f", {_n(warnings, 'warning')}" if warnings else ""))
    return BAD_INPUT if errors else 0


def cmd_build(a) -> int:
    from coursekit.assemble import build

    progress = (lambda s: None) if a.quiet else (lambda s: print(s, file=sys.stderr))
    out = a.out or ("workspace/facilitator" if a.instructor else "notebooks")
    if a.outputs and not a.check:
        raise CourseError.at("build", "--outputs", "only compares with --check", "add --check, or leave --outputs out")
    report = build(a.content, out, check=a.check, run=not a.no_execute, instructor=a.instructor, outputs=a.outputs,
                   progress=progress)
    for w in report.warnings:
        print("warning: " + str(w), file=sys.stderr)
    if a.check:
        if report.stale:
            print("stale: notebooks/ is not what `coursekit build` writes; run it and commit:", file=sys.stderr)
            for s in report.stale:
                print(f"  {s}", file=sys.stderr)
            return 1
        print("notebooks are up to date")
        return 0
    print(f"notebooks in {out}: wrote {len(report.written)}, unchanged {len(report.unchanged)}, removed {len(report.removed)}")
    return 0


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
    return value


def cmd_payout(a) -> int:
    from coursekit.engine import read_bookings, schedule
    from coursekit.engine.currency import minor_unit
    from coursekit.engine.lint import load_plan_linted
    from coursekit.engine.money import json_number
    from coursekit.engine.payout import exact_payout

    plan, warnings = load_plan_linted(a.plan)
    if _stopped_by_warnings(warnings, a.strict):
        return 2
    if a.attainment is not None:
        att = _attainment(a.attainment)
        x = exact_payout(plan, att)
        out = {"attainment": json_number(att), "payout": json_number(x), "currency": plan.currency}
        print(json.dumps(out, allow_nan=False) if a.json else f"{x:,} {plan.currency}")
        return 0
    s = schedule(plan, read_bookings(a.bookings))
    if a.json:
        print(json.dumps(s.to_dict(), indent=1, allow_nan=False))
    else:
        import pandas as pd

        with pd.option_context("display.width", 160, "display.max_rows", 1000):
            print(s.to_frame().to_string(float_format=lambda v: f"{v:,.{minor_unit(plan.currency)}f}"))
        print(f"total earned {s.total_earned:,}  SPIFs {s.total_spif:,}  paid {s.total_paid:,} {plan.currency}")
    return 0


def cmd_plot(a) -> int:
    from coursekit.engine.lint import load_plan_linted
    from coursekit.engine.plot import save_curve

    plan, warnings = load_plan_linted(a.plan)
    if _stopped_by_warnings(warnings, a.strict):
        return 2
    out = Path(a.output)
    if out.suffix.lower() not in (".png", ".svg", ".pdf"):
        raise CourseError.at(out, "-o", "unknown image type", "end the file name in .png, .svg or .pdf")
    save_curve(plan, out, assumed=a.assumed)
    print(f"wrote {out}")
    return 0


def cmd_simulate(a) -> int:
    from coursekit.engine import booking_mix, population, simulate
    from coursekit.engine.lint import load_scenario_linted
    from coursekit.engine.scenario import population_override
    from coursekit.engine.simulate import booking_shares

    sc, warnings = load_scenario_linted(a.scenario)
    if _stopped_by_warnings(warnings, a.strict):
        return 2
    pop = population_override(sc.population, a.reps, a.seed, a.scenario)
    if a.histogram and Path(a.histogram).suffix.lower() not in (".png", ".svg", ".pdf"):
        raise CourseError.at(a.histogram, "--histogram", "unknown image type", "end the file name in .png, .svg or .pdf")
    if a.histogram and not pop:
        raise CourseError.at(a.scenario, "--histogram", "the scenario has no population to draw",
                             "add `population: {reps: 1000}` to the scenario, or give --reps")
    res = simulate(sc)
    out = res.to_dict()
    if pop:  # every rep books the payout-maximizing mix's bookings, with their credit and pay multipliers
        p = population(sc.plan, pop, sc.months, sc.start, booking_mix(sc, res.best_mix))
        if a.histogram:
            from coursekit.engine.plot import histogram_figure

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
    if "population" in out:
        shown = out["population"]
        mix = ", ".join(f"{k} {v:.0%}" for k, v in shown["booking_mix"].items()) or "nothing booked, no multipliers"
        print(f"population (bookings in the payout-maximizing mix: {mix}): "
              + ", ".join(f"{k} {v}" for k, v in shown.items() if k != "booking_mix"))
    return 0


def cmd_audit(a) -> int:
    from coursekit.engine import audit, explain, load_strategy
    from coursekit.engine.audit import findings_dict
    from coursekit.engine.lint import load_plan_linted

    plan, warnings = load_plan_linted(a.plan)
    strategy = load_strategy(a.strategy)
    if _stopped_by_warnings(warnings, a.strict):
        return 2
    found = audit(plan, strategy)
    if a.json:
        print(json.dumps({**findings_dict(found), "explanation": explain(plan)}, indent=1))
    else:
        for f in found:
            print(f"[{f.code}] {f.component}: {f.evidence}\n    fix: {f.fix}")
        print(_n(len(found), "finding") if found else "no findings: the plan encodes the strategy it was checked against")
    return 1 if found else 0


def cmd_signals(a) -> int:
    """Gaming signals in a CRM export. Exit 0 clean, 1 signals found, 2 bad input."""
    from coursekit.engine import load_plan
    from coursekit.signals.crm import parse_columns, read_export, read_quotas
    from coursekit.signals.detect import detect

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
            from coursekit.signals.report import write

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
        print(f"{_n(len(report.signals), 'signal')} in {report.tests:,} tests over {len(report.reps)} reps and {len(report.periods)} periods"
              if report.signals else f"no signals of gaming in {report.tests:,} tests over {len(report.reps)} reps and {len(report.periods)} periods")
    if a.output:
        print(f"wrote {a.output}", file=sys.stderr if a.json else sys.stdout)
    return 1 if report.signals else 0


def _brief_context(content: str) -> dict | None:
    """Module titles and the capstone's scenario for the brief, when the course's notes are at hand."""
    from coursekit.assemble import brief_context, check_course

    if not Path(content).is_dir():
        return None
    course, planned, problems = check_course(content)
    return None if any(p.severity == "error" for p in problems) else brief_context(course, planned)


def cmd_export(a) -> int:
    from coursekit.answers import Answers
    from coursekit.brief.compose import export_answers

    answers = Answers.open(a.learner)
    if answers.problem:
        print("warning: " + answers.problem, file=sys.stderr)
    for path in export_answers(answers, _brief_context(a.content), a.out, answers.path.stem):
        print(f"wrote {path}")
    return 0


def _course(content: str):
    from coursekit.notes import load_course

    course = load_course(content)
    if course.errors:
        raise CourseError(course.errors)
    return course


def cmd_agenda(a) -> int:
    from coursekit.workshop.agenda import agenda, agenda_markdown

    course = _course(a.content)
    notes = course.notes
    if a.modules:
        known = course.by_slug()
        missing = [m for m in a.modules if m not in known]
        if missing:
            raise CourseError.at(a.content, "--modules", f"no module {missing[0]!r}", "use slugs from: " + ", ".join(known))
        notes = [known[m] for m in a.modules]
    if a.minutes <= 0:
        raise CourseError.at("agenda", "--minutes", f"{a.minutes} is not a length", "give the session length in minutes")
    rows, cut = agenda(notes, a.minutes, a.start)
    print(agenda_markdown(rows, cut, a.minutes), end="")
    return 0


def cmd_links(a) -> int:
    from coursekit.workshop.links import binder_link, nbgitpuller_link

    course = _course(a.content)
    names = ["00-start-here.ipynb"] + [course.notebook_name(n.slug) for n in course.notes]
    rows = [f"| {name} | {nbgitpuller_link(a.hub, a.repo, a.branch, name)} |" for name in names]  # all checked before printing
    binder = f"\nBinder: {binder_link(a.repo, a.branch)}" if "github.com" in a.repo else ""
    print("| notebook | JupyterHub (nbgitpuller) |\n|---|---|", *rows, sep="\n")
    if binder:
        print(binder)
    return 0


def cmd_present(a) -> int:
    import os
    import shutil
    import subprocess
    import tempfile

    from coursekit.workshop.present import PRESENT_TEMPLATE, PRESENT_TEMPLATES, present_copy, present_environment

    course = _course(a.content)
    if a.slug not in course.by_slug() and a.slug != "00-start-here":
        raise CourseError.at(a.content, "SLUG", f"no module {a.slug!r}", "use one of: " + ", ".join(course.by_slug()))
    name = "00-start-here.ipynb" if a.slug == "00-start-here" else course.notebook_name(a.slug)
    if not (Path(a.notebooks) / name).is_file():
        raise CourseError.at(Path(a.notebooks) / name, "--notebooks", "is missing", "run `coursekit build` first")
    voila = shutil.which("voila", path=str(Path(sys.executable).parent)) or shutil.which("voila")
    if not voila:
        raise CourseError.at("present", "voila", "is not installed", "pip install -e '.[present]'")
    with tempfile.TemporaryDirectory(prefix="coursekit-present-") as tmp:
        # the whole course in a throwaway folder: links between modules work, answers go to `presenter` here
        present_copy(a.notebooks, Path(tmp) / "course")
        cmd = [voila, str(Path(tmp) / "course"), "--no-browser", f"--port={a.port}", "--Voila.ip=127.0.0.1",
               "--strip_sources=True", "--VoilaConfiguration.extension_denylist=jupyterlab-jupytext", f"--template={PRESENT_TEMPLATE}"]
        env = present_environment(Path(tmp) / "home", os.environ)
        env["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(PRESENT_TEMPLATES), env.get("JUPYTER_PATH")]))
        print(f"presenting {name} at http://127.0.0.1:{a.port}/voila/render/{name} (Ctrl-C to stop)", flush=True)
        return subprocess.call(cmd, env=env, cwd=tmp)


def cmd_workspace(a) -> int:
    from coursekit.workshop.workspace import sync

    report = sync(a.notebooks, a.dir)
    for line in report.lines():
        print(line)
    print(f"workspace {a.dir}: {len(report.added) + len(report.updated) + len(report.unchanged) + len(report.kept)} notebooks ready"
          + (f", {len(report.kept)} kept as you changed them" if report.kept else ""))
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="coursekit", description="Build and run the sales strategy and compensation course.")
    sub = p.add_subparsers(dest="command", required=True)
    c = sub.add_parser("check", help="every problem `build --no-execute` would report, without writing (exit 2 on problems)")
    c.add_argument("--content", default="content")
    c.set_defaults(func=cmd_check)
    b = sub.add_parser("build", help="build notebooks from notes")
    b.add_argument("--content", default="content")
    b.add_argument("--out", default=None, help="default: notebooks/ (workspace/facilitator/ with --instructor, where `make lab` opens it)")
    b.add_argument("--instructor", action="store_true", help="facilitator edition: timing, model answers, discussion prompts")
    b.add_argument("--check", action="store_true", help="exit 1 naming stale notebooks (sources, cell types, tags, metadata; "
                   "no execution); write nothing")
    b.add_argument("--outputs", action="store_true", help="with --check: also execute every notebook and compare its "
                   "stored outputs, byte for byte (slow; make test leaves outputs to nbval)")
    b.add_argument("--no-execute", action="store_true", help="do not run notebooks for stored outputs")
    b.add_argument("--quiet", "-q", action="store_true")
    b.set_defaults(func=cmd_build)
    pay = sub.add_parser("payout", help="payout at an attainment, or a schedule from bookings")
    pay.add_argument("plan")
    g = pay.add_mutually_exclusive_group(required=True)
    g.add_argument("--attainment", help="a fraction of the period quota, e.g. 1.2")
    g.add_argument("--bookings")
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
    ex = sub.add_parser("export", help="write the learner's Alignment brief, a decision document (Markdown, HTML and JSON)")
    ex.add_argument("--learner", default=None)
    ex.add_argument("--out", default=None, help="folder for decision-brief.md, .html and .json (default ~/.coursekit/brief, where handin reads)")
    ex.add_argument("--content", default="content", help="notes folder, for module titles and the capstone's scenario in the brief")
    ex.set_defaults(func=cmd_export)
    ag = sub.add_parser("agenda", help="a session plan that fits the time")
    ag.add_argument("--minutes", type=int, default=90)
    ag.add_argument("--modules", nargs="*", help="module slugs, in order (default: all)")
    ag.add_argument("--start", default="09:00", help="start time HH:MM")
    ag.add_argument("--content", default="content")
    ag.set_defaults(func=cmd_agenda)
    li = sub.add_parser("links", help="JupyterHub (nbgitpuller) and Binder links for the course and each module")
    li.add_argument("--hub", required=True, help="e.g. https://hub.example.org")
    li.add_argument("--repo", required=True, help="e.g. https://github.com/OWNER/REPO")
    li.add_argument("--branch", default="main")
    li.add_argument("--content", default="content")
    li.set_defaults(func=cmd_links)
    pr = sub.add_parser("present", help="serve one module with Voila on loopback: code hidden, widgets live")
    pr.add_argument("slug")
    pr.add_argument("--port", type=int, default=8866)
    pr.add_argument("--content", default="content")
    pr.add_argument("--notebooks", default="notebooks")
    pr.set_defaults(func=cmd_present)
    ws = sub.add_parser("workspace", help="create or update your own copy of the notebooks (what `make lab` opens)")
    ws.add_argument("--dir", default="workspace", help="the workspace folder (default: workspace, ignored by git)")
    ws.add_argument("--notebooks", default="notebooks", help="the course's built notebooks")
    ws.set_defaults(func=cmd_workspace)
    from coursekit.room.cli import add_parsers  # handin, room

    add_parsers(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except CourseError as exc:
        for p in exc.problems:
            print(str(p), file=sys.stderr)
        return BAD_INPUT
    except OSError as exc:  # a path the user gave that cannot be read or written
        where = exc.filename or args.command
        print(f"{where}: file: {exc.strerror or ' '.join(str(exc).split())} (check the path and its permissions)", file=sys.stderr)
        return BAD_INPUT
    except ValueError as exc:
        print(f"coursekit {args.command}: {' '.join(str(exc).split())}", file=sys.stderr)
        return BAD_INPUT
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())


def _w(n: int, word: str) -> str:
    """The word for a count: "1 note", "2 notes"."""
    return word if n == 1 else word + "s"


def _n(n: int, word: str) -> str:
    return f"{n:,} {_w(n, word)}"
