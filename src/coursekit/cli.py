"""The command line: parses arguments, calls the API, prints. Bad input: one line per problem, exit 1."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .errors import CourseError


def cmd_check(a) -> int:
    from .notes import load_course

    course = load_course(a.content)
    for p in course.problems:
        print(("warning: " if p.severity == "warning" else "") + str(p), file=sys.stderr)
    if not course.errors:
        print(f"{len(course.notes)} note(s) OK" + (f", {len(course.warnings)} warning(s)" if course.warnings else ""))
    return 1 if course.errors else 0


def cmd_build(a) -> int:
    from .build import build

    progress = (lambda s: None) if a.quiet else (lambda s: print(s, file=sys.stderr))
    out = a.out or ("facilitator" if a.instructor else "notebooks")
    report = build(a.content, out, check=a.check, run=not a.no_execute, instructor=a.instructor, progress=progress)
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
    print(f"wrote {len(report.written)}, unchanged {len(report.unchanged)}, removed {len(report.removed)} notebook(s) in {out}")
    return 0


def cmd_payout(a) -> int:
    from .engine import load_plan, payout, read_bookings, schedule

    plan = load_plan(a.plan)
    if a.attainment is not None:
        x = payout(plan, a.attainment)
        print(json.dumps({"attainment": a.attainment, "payout": x}) if a.json else f"{x:,.2f} {plan.currency}")
        return 0
    s = schedule(plan, read_bookings(a.bookings))
    if a.json:
        print(json.dumps(s.to_dict(), indent=1))
    else:
        import pandas as pd

        with pd.option_context("display.width", 160, "display.max_rows", 500):
            print(s.to_frame().to_string(float_format=lambda v: f"{v:,.2f}"))
        print(f"total earned {s.total_earned:,.2f}  SPIFs {s.total_spif:,.2f}  paid {s.total_paid:,.2f} {plan.currency}")
    return 0


def cmd_plot(a) -> int:
    from .engine import load_plan
    from .engine.plot import save_curve

    plan = load_plan(a.plan)
    out = Path(a.output)
    if out.suffix.lower() not in (".png", ".svg", ".pdf"):
        raise CourseError.at(out, "-o", "unknown image type", "end the file name in .png, .svg or .pdf")
    save_curve(plan, out, assumed=a.assumed)
    print(f"wrote {out}")
    return 0


def cmd_simulate(a) -> int:
    from .engine import load_scenario, population, simulate
    from .engine.simulate import Population

    sc = load_scenario(a.scenario)
    res = simulate(sc)
    out = res.to_dict()
    pop = sc.population
    if a.reps:
        pop = Population(a.reps, pop.attainment_mean if pop else 0.9, pop.attainment_sd if pop else 0.25, a.seed)
    if pop:
        p = population(sc.plan, pop, sc.months, sc.start)
        if a.histogram:
            from .engine.simulate import histogram_figure

            histogram_figure(p, sc.plan).savefig(a.histogram)
        out["population"] = {k: v for k, v in p.items() if k not in ("attainment", "payout")}
    if a.json:
        print(json.dumps(out, indent=1))
        return 0
    print(f"{'option':<16}{'revenue':>14}{'payout':>12}")
    for o in res.options:
        print(f"{o.name:<16}{o.revenue:>14,.0f}{o.payout:>12,.0f}")
    print(f"rep's choice: {res.rep_choice}; strategy's choice: {res.strategy_choice}; aligned: {res.aligned}")
    print(f"revenue given up: {res.revenue_gap:,.0f}; payout-maximizing mix: " + ", ".join(f"{k} {v:.0%}" for k, v in res.best_mix.items()))
    print(f"method: {res.method}")
    if "population" in out:
        print("population: " + ", ".join(f"{k} {v}" for k, v in out["population"].items()))
    return 0


def cmd_audit(a) -> int:
    from .engine import audit, explain, load_plan, load_strategy
    from .engine.audit import findings_dict

    plan, strategy = load_plan(a.plan), load_strategy(a.strategy)
    found = audit(plan, strategy)
    if a.json:
        print(json.dumps({**findings_dict(found), "explanation": explain(plan)}, indent=1))
    else:
        for f in found:
            print(f"[{f.kind}] {f.component}: {f.evidence}\n    fix: {f.fix}")
        print(f"{len(found)} finding(s)" if found else "no findings: the plan encodes the strategy it was checked against")
    return 1 if found else 0


def cmd_export(a) -> int:
    from .brief import export
    from .progress import Answers

    answers = Answers.open(a.learner)
    if answers.problem:
        print("warning: " + answers.problem, file=sys.stderr)
    md, page = export(answers, a.out, answers.path.stem)
    print(f"wrote {md}\nwrote {page}")
    return 0


def _course(content: str):
    from .notes import load_course

    course = load_course(content)
    if course.errors:
        raise CourseError(course.errors)
    return course


def cmd_agenda(a) -> int:
    from .workshop import agenda, agenda_markdown

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
    from .workshop import binder_link, nbgitpuller_link

    course = _course(a.content)
    names = ["00-start-here.ipynb"] + [course.notebook_name(n.slug) for n in course.notes]
    print("| notebook | JupyterHub (nbgitpuller) |\n|---|---|")
    for name in names:
        print(f"| {name} | {nbgitpuller_link(a.hub, a.repo, a.branch, name)} |")
    if "github.com" in a.repo:
        print(f"\nBinder: {binder_link(a.repo, a.branch)}")
    return 0


def cmd_present(a) -> int:
    import shutil
    import subprocess

    course = _course(a.content)
    if a.slug not in course.by_slug() and a.slug != "00-start-here":
        raise CourseError.at(a.content, "SLUG", f"no module {a.slug!r}", "use one of: " + ", ".join(course.by_slug()))
    name = "00-start-here.ipynb" if a.slug == "00-start-here" else course.notebook_name(a.slug)
    voila = shutil.which("voila", path=str(Path(sys.executable).parent)) or shutil.which("voila")
    if not voila:
        raise CourseError.at("present", "voila", "is not installed", "pip install -e '.[present]'")
    cmd = [voila, str(Path(a.notebooks) / name), "--no-browser", f"--port={a.port}", "--Voila.ip=127.0.0.1",
           "--strip_sources=True", "--VoilaConfiguration.extension_denylist=jupyterlab-jupytext"]
    print(f"presenting {name} at http://127.0.0.1:{a.port}/ (Ctrl-C to stop)", flush=True)
    return subprocess.call(cmd)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="coursekit", description="Build and run the sales strategy and compensation course.")
    sub = p.add_subparsers(dest="command", required=True)
    c = sub.add_parser("check", help="lint the notes without writing")
    c.add_argument("--content", default="content")
    c.set_defaults(func=cmd_check)
    b = sub.add_parser("build", help="build notebooks from notes")
    b.add_argument("--content", default="content")
    b.add_argument("--out", default=None, help="default: notebooks/ (facilitator/ with --instructor)")
    b.add_argument("--instructor", action="store_true", help="facilitator edition: timing, model answers, discussion prompts")
    b.add_argument("--check", action="store_true", help="exit 1 naming stale notebooks; write nothing")
    b.add_argument("--no-execute", action="store_true", help="do not run notebooks for stored outputs")
    b.add_argument("--quiet", "-q", action="store_true")
    b.set_defaults(func=cmd_build)
    pay = sub.add_parser("payout", help="payout at an attainment, or a schedule from bookings")
    pay.add_argument("plan")
    g = pay.add_mutually_exclusive_group(required=True)
    g.add_argument("--attainment", type=float)
    g.add_argument("--bookings")
    pay.add_argument("--json", action="store_true")
    pay.set_defaults(func=cmd_payout)
    pl = sub.add_parser("plot", help="payout vs attainment chart")
    pl.add_argument("plan")
    pl.add_argument("-o", "--output", required=True)
    pl.add_argument("--assumed", type=float, default=None, help="mark planning's assumed attainment")
    pl.set_defaults(func=cmd_plot)
    s = sub.add_parser("simulate", help="what a rational rep does under a plan")
    s.add_argument("scenario")
    s.add_argument("--reps", type=int)
    s.add_argument("--seed", type=int, default=7)
    s.add_argument("--histogram", help="write the population's attainment histogram to this image")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_simulate)
    au = sub.add_parser("audit", help="check a plan against the strategy it should encode")
    au.add_argument("plan")
    au.add_argument("--strategy", required=True)
    au.add_argument("--json", action="store_true")
    au.set_defaults(func=cmd_audit)
    ex = sub.add_parser("export", help="write the learner's Alignment brief (Markdown and HTML)")
    ex.add_argument("--learner", default=None)
    ex.add_argument("--out", default=None)
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
    from .room_cli import add_parsers  # handin, room

    add_parsers(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except CourseError as exc:
        for p in exc.problems:
            print(str(p), file=sys.stderr)
        return 1
    except (ValueError, OSError) as exc:
        print(f"coursekit {args.command}: {' '.join(str(exc).split())}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
