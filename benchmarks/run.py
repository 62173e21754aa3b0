"""coursekit benchmarks: each figure as a ratio against a floor measured in the same run.

    make bench            # prints the table and writes docs/performance.md
    python benchmarks/run.py --only payout,simulator          # reruns those rows in docs/performance.md
    python benchmarks/run.py --only runall --modules 01,03    # Run All of two modules against their floors

Timings are medians of repeated runs; ratios, not seconds, are what the targets speak of. A row that fails
(an exception, a command that exits non-zero) is reported as failed with its reason in one line; the other rows
still run and the report is still written, then the run exits 1. A run of some rows (``--only``) replaces those
rows in the report and keeps the others from the last run that measured them (each row says which run); with
``--modules`` only those modules' Run All rows are replaced.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from benchmarks import hub_load  # noqa: E402

RESULTS: list[dict] = []  # this run's rows: bench (its name in BENCHES), measure, floor, ratio, target, met / failed
CURRENT = {"bench": ""}  # the bench now running: its rows carry its name, so a rerun of it replaces them


def median_time(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def paired_medians(floor, measure, repeat: int = 3) -> tuple[float, float]:
    """Median times of ``floor`` and ``measure`` run in turn (floor, measure, floor, ...): a load that rises or falls
    during the run moves both sides alike, instead of one side's whole series."""
    a, b = [], []
    for _ in range(repeat):
        a.append(median_time(floor, 1))
        b.append(median_time(measure, 1))
    return statistics.median(a), statistics.median(b)


def record(measure: str, floor: str, ratio: float, target: str, met: bool | None) -> None:
    """One row; ``met=None`` for a row the issues set no target for (its ``target`` says why it is there)."""
    RESULTS.append({"bench": CURRENT["bench"], "measure": measure, "floor": floor, "ratio": f"{ratio:.2f}x", "target": target,
                    "met": "-" if met is None else "yes" if met else "**no**"})
    print(f"{'info' if met is None else 'ok  ' if met else 'MISS'} {measure}: {ratio:.2f}x {floor} (target {target})", flush=True)


def skipped(why: str) -> None:
    """This bench cannot run here: one row says so (the last run's rows for it are not kept as if current)."""
    RESULTS.append({"bench": CURRENT["bench"], "measure": f"`{CURRENT['bench']}` rows", "floor": "-", "ratio": "-", "target": "-",
                    "met": f"skipped: {why}".replace("|", "/")})
    print(f"skip {CURRENT['bench']}: {why}", flush=True)


class CommandFailed(RuntimeError):
    """A measured command exited non-zero; the message is its command and the last line it wrote to stderr."""


def run(cmd: list[str], **kw) -> None:
    r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, **kw)
    if r.returncode:
        last = next((line for line in reversed(r.stderr.splitlines()) if line.strip()), "(nothing on stderr)")
        raise CommandFailed(f"{Path(cmd[0]).name} {' '.join(cmd[1:3])} ... exited {r.returncode}: {last.strip()[:200]}")


def one_line(e: BaseException) -> str:
    text = " ".join(str(e).split()) or "(no message)"
    return f"{type(e).__name__}: {text[:300]}"


# --- measures ---------------------------------------------------------------------------------

def bench_payout() -> None:
    from coursekit.engine import period_payout, plan_from_dict
    from coursekit.engine.payout import knots, payout_loop

    plan = plan_from_dict({"name": "b", "ote": 200000, "quota": 800000, "cap": 3.0,
                           "tiers": [{"from": 0, "multiplier": 1}, {"from": 1, "multiplier": 2}, {"from": 1.5, "multiplier": 3}]})
    a = np.random.default_rng(1).uniform(0, 2.5, 1_000_000)
    xs, ys = knots(plan)
    engine = median_time(lambda: period_payout(plan, a), 7)
    floor = median_time(lambda: np.interp(a, xs, ys), 7)
    record("payout of 1,000,000 attainments", "np.interp over the same curve", engine / floor, "<= 3x", engine / floor <= 3)
    sample = a[:20_000]
    assert np.allclose(period_payout(plan, sample), payout_loop(plan, sample), atol=0.011)  # same results
    loop = median_time(lambda: payout_loop(plan, sample), 3) * (len(a) / len(sample))
    record("payout of 1,000,000 attainments (speed-up)", "a plain Python loop (same results)", loop / engine, ">= 100x", loop / engine >= 100)


def bench_simulator() -> None:
    from benchmarks.kit.oracles import population_loop  # the floor is an oracle the tests use too, outside the engine
    from coursekit.engine import plan_from_dict
    from coursekit.engine.simulate import Population, population

    plan = plan_from_dict({"name": "b", "ote": 200000, "quota": 800000, "period": "quarterly", "threshold": 0.5, "cap": 3.0,
                           "tiers": [{"from": 0, "multiplier": 1}, {"from": 1, "multiplier": 2}]})
    pop = Population(reps=10_000, seed=7)
    fast = median_time(lambda: population(plan, pop), 5)
    att = population(plan, pop)["attainment"]
    slow = median_time(lambda: population_loop(plan, att[:1000]), 3) * 10
    record("simulator, 10,000 reps x 12 months (speed-up)", "a plain Python loop", slow / fast, ">= 50x", slow / fast >= 50)


def bench_import() -> None:
    """What every kernel pays before its first exercise shows: the facade, the answers store and one widget shown
    (as a cell shows it), against the libraries a course notebook uses plus one plain ipywidgets widget shown."""
    py = sys.executable
    env = {**os.environ, "COURSEKIT_HOME": tempfile.mkdtemp(prefix="coursekit-bench-home-")}

    def t(code):
        return median_time(lambda: run([py, "-c", code], env=env), 7)

    show = "from IPython.core.interactiveshell import InteractiveShell as S; S.instance().display_formatter.format({})"
    floor = t("import ipywidgets, pandas, matplotlib; " + show.format("ipywidgets.Button(description='one')"))
    r = t("import coursekit") / floor
    record('python -c "import coursekit"', '"import ipywidgets, pandas, matplotlib" and one ipywidgets button shown', r, "<= 1.1x", r <= 1.1)
    course = ("from coursekit import notebook as ex; from coursekit.notebook import Answers; "
              + show.format("ex.ContradictionMap(rows=1, answers=Answers.open(), key='m/action-1')"))
    r = t(course) / floor
    record("a kernel's facade, answers and first exercise shown (python -c)",
           '"import ipywidgets, pandas, matplotlib" and one ipywidgets button shown', r, "<= 1.1x", r <= 1.1)


def bench_plan_tester() -> None:
    import matplotlib

    matplotlib.use("Agg")
    from coursekit.engine import load_scenario
    from coursekit.engine.plot import GRID, png_bytes
    from coursekit.exercises.plan_tester.widget import PlanTester

    sc = load_scenario(ROOT / "examples" / "enterprise-vs-smb.yaml")
    w = PlanTester(sc.plan, sc.options, sc.prefer)
    w._repr_mimebundle_()  # displayed, as in a notebook: every move redraws the curve
    periods = ["annual", "monthly"]
    state = {"i": 0}

    def move():
        state["i"] += 1
        w.set_answer({**w.answer, "period": periods[state["i"] % 2]})  # a slider move: plan, simulation, curve, tests

    def bare():
        from matplotlib.figure import Figure

        fig = Figure(figsize=(6.4, 3.6), dpi=100, layout="constrained")
        ax = fig.add_subplot()
        ax.plot(GRID * 100, GRID, lw=2)
        ax.plot(GRID * 100, GRID, color="0.6")
        ax.axvline(100)
        ax.axhline(2.0, ls="--")
        ax.set_title("t")
        ax.grid(alpha=0.3)
        png_bytes(fig)
        # the month-by-month pay the tester draws beside the curve: one bar per option per month
        import numpy as np

        fig = Figure(figsize=(6.4, 3.6), dpi=100, layout="constrained")
        ax = fig.add_subplot()
        months = np.arange(12)
        for k in range(len(sc.options)):
            ax.bar(months + k * 0.3, np.arange(12) * 1000.0, width=0.3, label=str(k))
        ax.set_xticks(months, [str(m) for m in months])
        ax.legend()
        ax.set_title("t")
        png_bytes(fig)

    r = median_time(move, 9) / median_time(bare, 9)
    record("plan tester: slider move to new curve, month bars and tests shown", "bare matplotlib drawing the same two figures",
           r, "<= 1.5x", r <= 1.5)


def bench_frontier() -> None:
    """The cheapest-plan search (engine.frontier) on each course scenario and a learner-style company, against one plan
    tester refresh on the same scenario (a slider move: plan, simulation, curve, month bars and tests), same run."""
    import matplotlib

    matplotlib.use("Agg")
    from coursekit.engine import load_scenario
    from coursekit.engine.frontier import mix_edge, search
    from coursekit.exercises.plan_tester import widget as tester

    worst, names = 0.0, []
    for rel in ("examples/enterprise-vs-smb.yaml", "content/scenarios/platform-vs-point.yaml",
                "content/scenarios/capstone-fy28.yaml", "content/scenarios/hospital-devices.yaml",
                "benchmarks/kit/company-weighted.yaml"):  # a learner's company: weighted components, options of its own
        path = ROOT / rel
        sc = load_scenario(path)
        w = tester.PlanTester(sc.plan, sc.options, sc.prefer, population=sc.population)
        w._repr_mimebundle_()
        state = {"i": 0}

        def move(w=w, state=state):
            state["i"] += 1
            w.set_answer({**w.answer, "period": ("annual", "monthly")[state["i"] % 2], "measurement": "standalone"})

        def cold(sc=sc):
            tester._FRONTIERS.clear()
            search(sc)

        r = median_time(cold, 3) / median_time(move, 5)
        worst, names = max(worst, r), names + [f"{path.stem} {r:.1f}x"]
    record(f"cheapest-plan search, slowest scenario ({'; '.join(names)})", "one plan-tester refresh on the same scenario",
           worst, "<= 3x", worst <= 3)
    # a strategy that wants a mix of effort: credit, rate and SPIF walked over their whole grids (engine.frontier._search_mix)
    sc = load_scenario(ROOT / "benchmarks/kit/company-mix.yaml")
    w = tester.PlanTester(sc.plan, sc.options, sc.prefer, population=sc.population, mix=sc.wanted)
    w._repr_mimebundle_()
    state = {"i": 0}

    def move_mix():
        state["i"] += 1
        w.set_answer({**w.answer, "period": ("annual", "quarterly")[state["i"] % 2], "measurement": "standalone"})

    def cold_mix():
        tester._FRONTIERS.clear()
        mix_edge.cache_clear()
        search(sc)

    r = median_time(cold_mix, 3) / median_time(move_mix, 5)
    record("cheapest-plan search, a company that wants a 60/40 mix of effort", "one plan-tester refresh on the same scenario",
           r, "<= 3x", r <= 3)


NOTE = (ROOT / "content" / "intelligent-sales-foundation.md").read_text()


def _notes(folder: Path, n: int) -> None:
    folder.mkdir(parents=True)
    for i in range(n):
        slug = f"note-{i:04d}"
        text = NOTE.replace("slug: intelligent-sales-foundation", f"slug: {slug}")
        nxt = f"- note-{i + 1:04d}" if i + 1 < n else ""
        text = text.split("**Next Counsel**:")[0] + "**Next Counsel**:\n" + nxt + "\n"
        (folder / f"{slug}.md").write_text(text)


def bench_build() -> None:
    ck = str(Path(sys.executable).with_name("coursekit"))
    jt = str(Path(sys.executable).with_name("jupytext"))
    with tempfile.TemporaryDirectory() as d:
        d = Path(d)
        for n in (200, 400):
            _notes(d / f"c{n}", n)
        times = {}
        for n in (200, 400):
            def build(n=n):
                shutil.rmtree(d / f"o{n}", ignore_errors=True)
                run([ck, "build", "--no-execute", "--quiet", "--content", str(d / f"c{n}"), "--out", str(d / f"o{n}")])
            times[n] = median_time(build, 3)

        def jupytext200():
            shutil.rmtree(d / "j", ignore_errors=True)
            shutil.copytree(d / "c200", d / "j")
            run([jt, "--to", "ipynb", *map(str, sorted((d / "j").glob("*.md")))])
        floor = median_time(jupytext200, 3)
    r = times[200] / floor
    record("coursekit build of 200 notes, no execution", "jupytext --to ipynb of the same 200 notes", r, "<= 1.5x", r <= 1.5)
    r2 = times[400] / times[200]
    record("coursekit build of 400 notes", "the same build of 200 notes", r2, "<= 2.2x", r2 <= 2.2)


def _floor_notebooks(folder: Path, names: list[str]) -> None:
    import nbformat
    import nbformat.v4 as v4

    folder.mkdir(parents=True, exist_ok=True)
    for n in names:
        nb = v4.new_notebook(cells=[v4.new_code_cell("import ipywidgets, pandas, matplotlib, numpy, yaml", id="c0")],
                             metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
        (folder / n).write_text(nbformat.writes(nb))


def bench_nbval() -> None:
    py = sys.executable
    names = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
    with tempfile.TemporaryDirectory() as d:
        _floor_notebooks(Path(d), names)
        common = ["-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval", "--nbval-current-env"]
        env = {**os.environ, "COURSEKIT_HOME": d}
        course1 = median_time(lambda: run([py, *common, "--nbval-sanitize-with", "tests/nbval-sanitize.cfg", "notebooks"], cwd=ROOT, env=env), 3)
        floor = median_time(lambda: run([py, *common, d], cwd=d, env=env), 3)
        course2 = median_time(lambda: run([py, *common, "-n", "2", "--dist", "loadfile", "--nbval-sanitize-with", "tests/nbval-sanitize.cfg", "notebooks"],
                                          cwd=ROOT, env=env), 3)
    r = course1 / floor
    record("nbval over all course notebooks", f"{len(names)} notebooks that only import the same libraries", r, "<= 1.3x", r <= 1.3)
    r = course2 / course1
    # issue 27 asks for two workers "where that helps" and sets no figure: this row shows whether it helps here
    record("the same suite on 2 workers (pytest-xdist)", "the suite on 1 worker", r,
           "none set (informational: issue 27 asks for two workers where that helps)", None)


MODULES: list[str] = []  # --modules 01,03: only those modules' Run All rows (default: every module)


def bench_runall() -> None:
    """Each module's Run All in a fresh kernel (nbclient, as Restart and Run All does), against its floor: the same
    notebook's imports and a plain widget per exercise without the course's computations (benchmarks/kit/floors.py)."""
    import nbclient
    import nbformat
    import nbformat.v4

    from benchmarks.kit.floors import LOADED_PROBE, module_notebooks, write_floor

    with tempfile.TemporaryDirectory() as d:
        d = Path(d)
        shutil.copytree(ROOT / "notebooks", d / "nb")
        old_home = os.environ.get("COURSEKIT_HOME")
        os.environ["COURSEKIT_HOME"] = str(d / "home")  # the kernels inherit it: answers saved there, not the user's
        try:
            for path in module_notebooks(d / "nb"):
                if MODULES and not path.name.startswith(tuple(MODULES)):
                    continue
                def run_all(p=path, nb=None):
                    nb = nb or nbformat.read(p, as_version=4)
                    nbclient.NotebookClient(nb, timeout=900, kernel_name="python3", resources={"metadata": {"path": str(p.parent)}}).execute()
                    return nb

                # once, untimed: which table and chart libraries the module's Run All imports; the floor imports those
                probed = nbformat.read(path, as_version=4)
                probed.cells.append(nbformat.v4.new_code_cell(LOADED_PROBE))
                probed = run_all(nb=probed)
                shows = "".join(o.get("text", "") for o in probed.cells[-1].outputs).split()
                floor_path = write_floor(path, d / "nb" / f"floor-{path.name}", shows)
                print(f"     {path.stem}: its Run All imports {', '.join(shows) or 'none'} of the table and chart libraries", flush=True)

                floor, course = paired_medians(lambda fp=floor_path: run_all(fp), run_all, 5)
                print(f"     seconds, median of 5: floor {floor:.2f}, course {course:.2f}", flush=True)
                r = course / floor
                record(f"Run All of {path.stem} (nbclient, fresh kernel)", f"its setup cell, {', '.join(shows + ['its widgets'])}' imports, a plain widget per exercise",
                       r, "<= 1.3x", r <= 1.3)
        finally:
            if old_home is None:
                os.environ.pop("COURSEKIT_HOME", None)
            else:
                os.environ["COURSEKIT_HOME"] = old_home


def shut_down_kernels(server: str) -> None:
    """Delete every session (and its kernel) of a Jupyter server without a token: a closed tab leaves its kernel
    running, and a second Run All in a warm kernel would measure cached imports."""
    import json
    import urllib.request

    with urllib.request.urlopen(f"{server}/api/sessions", timeout=30) as r:
        sessions = json.load(r)
    for sess in sessions:
        urllib.request.urlopen(urllib.request.Request(f"{server}/api/sessions/{sess['id']}", method="DELETE"), timeout=60).close()


def bench_browser() -> None:
    from benchmarks.kit.chromium import ARGS, CHROMIUM
    from benchmarks.kit.net import free_port, wait_http

    if not Path(CHROMIUM).exists():
        skipped(f"no Chromium at {CHROMIUM}")
        return
    import nbformat
    import nbformat.v4 as v4
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as d:
        d = Path(d)
        shutil.copytree(ROOT / "notebooks", d / "nb")
        nb = v4.new_notebook(cells=[v4.new_code_cell("import ipywidgets as W\nW.Button(description='one button')", id="c0")],
                             metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
        (d / "nb" / "floor.ipynb").write_text(nbformat.writes(nb))
        nb2 = v4.new_notebook(cells=[v4.new_code_cell("import ipywidgets as W, numpy, pandas, matplotlib, yaml\n"
                                                      "W.Button(description='one button')", id="c0")], metadata=nb.metadata)
        (d / "nb" / "floor2.ipynb").write_text(nbformat.writes(nb2))
        port = free_port()
        env = {**os.environ, "COURSEKIT_HOME": str(d / "home"), "JUPYTER_CONFIG_DIR": str(d / "cfg")}
        proc = subprocess.Popen([sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--port={port}", "--ServerApp.ip=127.0.0.1",
                                 "--IdentityProvider.token=", "--ServerApp.password=", "--allow-root", f"--ServerApp.root_dir={d / 'nb'}",
                                 "--ServerApp.disable_check_xsrf=True"],
                                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_http(f"http://127.0.0.1:{port}/api", proc)
            with sync_playwright() as p:
                b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)

                def first_widget(name, selector):
                    page = b.new_page()
                    page.goto(f"http://127.0.0.1:{port}/lab/tree/{name}?reset")
                    page.wait_for_selector("text=| Idle", timeout=90_000)
                    t = time.perf_counter()
                    page.click("text=Run")
                    page.click('.lm-Menu-item[data-command="runmenu:run-all"]')
                    page.wait_for_selector(selector, timeout=90_000)
                    dt = time.perf_counter() - t
                    page.close()
                    shut_down_kernels(f"http://127.0.0.1:{port}")  # the next run starts a fresh kernel, as opening a module does
                    return dt

                course = statistics.median(first_widget("01-intelligent-sales-foundation.ipynb", ".coursekit-exercise") for _ in range(3))
                floor = statistics.median(first_widget("floor.ipynb", ".jupyter-button") for _ in range(3))
                floor2 = statistics.median(first_widget("floor2.ipynb", ".jupyter-button") for _ in range(3))
                b.close()
                print(f"     seconds, median of 3: course {course:.2f}, one button {floor:.2f}, imports then one button {floor2:.2f}", flush=True)
        finally:
            proc.terminate()
            proc.wait(20)
    r = course / floor
    # context for the row below: issue 27's target is against the second floor, which imports the same libraries
    record("real browser: Run All to first widget shown", "a notebook with one button", r,
           "none (context: issue 27's target is against the floor on the next row)", None)
    r2 = course / floor2
    record("real browser: Run All to first widget shown", "a notebook that imports the same libraries, then shows one button",
           r2, "<= 1.5x", r2 <= 1.5)


def bench_signals() -> None:
    import json

    import pandas as pd

    from coursekit.engine import load_plan
    from coursekit.signals.crm import read_export
    from coursekit.signals.detect import detect
    from coursekit.signals.synth import generate, write

    plan = load_plan(ROOT / "examples" / "crm-plan.yaml")
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "export.csv"
        write(generate(plan, reps=400, deals_per_period=220, seed=1), path)  # about 1,000,000 deals
        rows = sum(1 for _ in path.open()) - 1

        def signals():
            report = detect(read_export(path, currency=plan.currency, fields=("account", "discount")).deals, plan,
                            approval_limit=20000)
            json.dumps(report.to_dict())  # the JSON the command prints, case files included

        signals()  # once, untimed: the file's pages read into the cache and the code's first-call costs paid, for both sides
        # floor and measure alternate (floor, signals, floor, ...; median of five each), so a load that rises or falls
        # during the row moves both sides alike; each run is timed on two clocks: the process's CPU time (the work done,
        # which other processes on the machine do not stretch: both sides are single-threaded) and the wall clock
        wall: dict[str, list[float]] = {"floor": [], "signals": []}
        cpu: dict[str, list[float]] = {"floor": [], "signals": []}
        for _ in range(5):
            for side, fn in (("floor", lambda: pd.read_csv(path)), ("signals", signals)):
                t, c = time.perf_counter(), time.process_time()
                fn()
                wall[side].append(time.perf_counter() - t)
                cpu[side].append(time.process_time() - c)
        med = {k: {side: statistics.median(v[side]) for side in v} for k, v in (("wall", wall), ("cpu", cpu))}
        print(f"     seconds, median of 5: CPU floor {med['cpu']['floor']:.2f}, signals {med['cpu']['signals']:.2f}; "
              f"wall floor {med['wall']['floor']:.2f}, signals {med['wall']['signals']:.2f}", flush=True)
        r = med["cpu"]["signals"] / med["cpu"]["floor"]
        record(f"coursekit signals over {rows:,} deals (read, clean, detect, JSON), CPU time", "pandas.read_csv of the same file",
               r, "<= 3x", r <= 3)
        r = med["wall"]["signals"] / med["wall"]["floor"]
        record(f"coursekit signals over {rows:,} deals (read, clean, detect, JSON), wall clock", "pandas.read_csv of the same file",
               r, "none (context: the same runs on the wall clock, which other processes' load stretches unevenly)", None)
        code = ("import resource, sys; sys.path.insert(0, {src!r}); {body}; "
                "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)")
        src = str(ROOT / "src")
        peak_floor = int(subprocess.run([sys.executable, "-c", code.format(src=src, body=f"import pandas as pd; pd.read_csv({str(path)!r})")],
                                        capture_output=True, text=True, check=True).stdout)
        body = (f"from coursekit.engine import load_plan; from coursekit.signals.crm import read_export; "
                f"from coursekit.signals.detect import detect; p = load_plan({str(ROOT / 'examples' / 'crm-plan.yaml')!r}); "
                f"import json; json.dumps(detect(read_export({str(path)!r}, currency='USD', fields=('account', 'discount')).deals, p, "
                f"approval_limit=20000).to_dict())")
        peak = int(subprocess.run([sys.executable, "-c", code.format(src=src, body=body)], capture_output=True, text=True, check=True).stdout)
        r = peak / peak_floor
        record(f"peak memory of coursekit signals over {rows:,} deals", "peak memory of pandas.read_csv of the same file", r,
               "<= 1.25x", r <= 1.25)


def bench_room() -> None:
    import json

    from matplotlib.figure import Figure

    from benchmarks.kit.briefs import sample_brief
    from coursekit.engine.plot import png_bytes
    from coursekit.room.gather import gather
    from coursekit.room.page import to_html

    texts = ["Reps avoid enterprise", "Quota ignores cycles", "SPIF pulls deals forward", "Territories ignore segment"]
    with tempfile.TemporaryDirectory() as d:
        for i in range(300):
            b = sample_brief(f"l{i:03d}", contradiction=texts[i % 4], change=f"change {i % 7}", aligned=i % 2 == 0, cost=f"{8 + i % 5}.0")
            (Path(d) / f"l{i:03d}.json").write_text(json.dumps(b))

        def floor():  # read every brief, draw the same panels (1, 5 and 2 axes) as bare bar charts
            for p in Path(d).glob("*.json"):
                json.loads(p.read_bytes())
            for panels, rows in ((1, 6), (5, 4), (2, 7)):
                fig = Figure(figsize=(8, 0.32 * rows * panels + 1), dpi=100, layout="constrained")
                for ax in fig.subplots(panels, 1, squeeze=False).flat:
                    ax.barh(range(rows), range(rows))
                png_bytes(fig)

        base = median_time(floor, 3)
        room = median_time(lambda: to_html(gather(d)), 3)
        r = room / base
        record("coursekit room over 300 briefs (read, aggregate, charts, page)", "json.loads of the same files and the same panels as bare bar charts",
               r, "<= 2x", r <= 2)


def bench_signals_html() -> None:
    """Issue 26: the HTML report and its charts on their own row. ``coursekit signals -o`` on the course's export (the
    report made once, untimed: the ``signals`` row times reading and detecting), against a floor that does the same
    drawing and writing bare: as many matplotlib figures, of the same sizes and with as many marks, saved as PNG and
    base64-encoded, and a string of the report's length written to a file."""
    import base64

    from matplotlib.figure import Figure

    from coursekit.engine.plot import png_bytes
    from coursekit.signals.detect import course_report
    from coursekit.signals.plot import case_figure, figures
    from coursekit.signals.report import CASE_CHARTS, render, write

    report = course_report()
    made = list(figures(report).values()) + [f for f, _alt in filter(None, (case_figure(report, s) for s in report.findings))][:CASE_CHARTS]
    shapes = [(tuple(f.get_size_inches()), f.dpi, max(1, sum(len(ax.patches) + len(ax.lines) for ax in f.axes))) for f in made]
    size = len(render(report, "crm-export.csv"))
    with tempfile.TemporaryDirectory() as d:
        def floor():
            for inches, dpi, marks in shapes:
                fig = Figure(figsize=inches, dpi=dpi, layout="constrained")
                fig.add_subplot().bar(range(marks), range(marks))
                base64.b64encode(png_bytes(fig)).decode("ascii")
            (Path(d) / "floor.html").write_text("x" * size, encoding="utf-8")

        base = median_time(floor, 3)
        html = median_time(lambda: write(report, Path(d) / "report.html", "crm-export.csv"), 3)
    r = html / base
    record(f"coursekit signals -o: HTML report and its {len(shapes)} charts ({len(report.reps)} reps, {len(report.deals):,} deals)",
           "the same number of bare matplotlib charts, same sizes and marks, to base64 PNG, and as many bytes written", r,
           "<= 2x (the room page's)", r <= 2)


HUB: list[str] = []  # the hub load run's own section of the report (benchmarks/hub_load.py)


def bench_hub() -> None:
    if hub_load.hubkit.missing():
        skipped(hub_load.hubkit.missing())
        return
    HUB.append(hub_load.run())


BENCHES = {"payout": bench_payout, "simulator": bench_simulator, "import": bench_import, "plan_tester": bench_plan_tester,
           "frontier": bench_frontier,
           "build": bench_build, "nbval": bench_nbval, "runall": bench_runall, "browser": bench_browser, "signals": bench_signals,
           "signals_html": bench_signals_html, "room": bench_room, "hub": bench_hub}
COLUMNS = ("bench", "measure", "floor", "ratio", "target", "met", "measured")
HEADER = "| row | measure | floor, measured in the same run | ratio | target | met | measured |"


def run_rows(names: list[str]) -> list[str]:
    """Run each bench; a bench that raises becomes one failed row naming it and why. Returns the failed benches."""
    failed = []
    for name in names:
        CURRENT["bench"] = name
        try:
            BENCHES[name]()
        except (Exception, SystemExit) as e:  # noqa: BLE001 - one row's failure must not cost the others
            why = one_line(e).replace("|", "/")
            RESULTS.append({"bench": name, "measure": f"`{name}` rows", "floor": "-", "ratio": "-", "target": "-", "met": f"**failed**: {why}"})
            print(f"FAIL {name}: {why}", flush=True)
            failed.append(name)
    return failed


def old_rows(text: str) -> list[dict]:
    """The rows of an earlier report's table (empty if it has none in this format)."""
    if HEADER not in text:
        return []
    rows = []
    for line in text[text.index(HEADER):].splitlines()[2:]:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
        if len(cells) == len(COLUMNS):
            rows.append(dict(zip(COLUMNS, cells)))
    return rows


def write_report(path: Path, ran: list[str], when: str) -> None:
    """This run's rows for the benches it ran, the last report's rows for the others, in BENCHES order."""
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    earlier = old_rows(old)
    rows = []
    for name in BENCHES:
        new = [{**r, "measured": when} for r in RESULTS if r["bench"] == name]
        before = [r for r in earlier if r["bench"] == name]
        if name not in ran:
            rows += before
        elif name == "runall" and MODULES:  # some modules rerun: their rows replace theirs, the other modules' stay
            mine = {r["measure"]: r for r in new}
            rows += [mine.pop(r["measure"], r) for r in before] + list(mine.values())
        else:
            rows += new
    lines = ["# Performance", "", "Written by `make bench` (`benchmarks/run.py`). Every figure is a ratio against a floor measured",
             "in the same run, so a busy machine moves both sides. `python benchmarks/run.py --only ROW` reruns one row",
             "and keeps the others; the last column says when each row was measured.", "",
             f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.platform()}", "",
             HEADER, "|---|---|---|---|---|---|---|"]
    lines += ["| " + " | ".join(r[c] for c in COLUMNS) + " |" for r in rows]
    notes = path.with_name("performance-notes.md")
    if notes.exists():
        lines += ["", notes.read_text(encoding="utf-8").strip()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    if HUB or hub_load.START in old:  # this run's hub figures, else the last ones measured
        hub_load.write_section(HUB[0] if HUB else old[old.index(hub_load.START):old.index(hub_load.END) + len(hub_load.END)], path)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", default=",".join(BENCHES), help="rows to run, comma-separated: " + ",".join(BENCHES))
    ap.add_argument("--modules", default="", help="runall: only these modules, e.g. 01,03")
    ap.add_argument("--report", default=str(ROOT / "docs" / "performance.md"))
    ap.add_argument("--no-write", action="store_true", help="print the rows, leave the report alone")
    a = ap.parse_args(argv)
    names = [n for n in a.only.split(",") if n]
    unknown = [n for n in names if n not in BENCHES]
    if unknown:
        print(f"benchmarks/run.py: no row {', '.join(unknown)}: --only takes {','.join(BENCHES)}", file=sys.stderr)
        return 2
    MODULES[:] = [m for m in a.modules.split(",") if m]
    RESULTS.clear()
    HUB.clear()
    failed = run_rows(names)
    if not a.no_write:
        write_report(Path(a.report), names, time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()))
        print(f"wrote {a.report}")
    if failed:
        print(f"{len(failed)} row(s) failed: {', '.join(failed)} (their reasons are in the report)", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
