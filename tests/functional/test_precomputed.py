"""What ``coursekit build`` precomputes (``coursekit.engine.precomputed``): every stored result equals its live
computation, a notebook's widget on the course's own files uses it, anything else computes live, and
``build --check`` names a stale file. The test suite reads a private copy of the package's store (conftest.py)."""

import base64
import json
from pathlib import Path

import pytest

from coursekit.assemble.precompute import precomputed_store
from coursekit.assemble.run import check_course
from coursekit.engine import precomputed
from coursekit.exercises.plan_tester.widget import PlanTester
from coursekit.exercises.signals_spotter.widget import SignalsSpotter
from coursekit.notebook import COURSE_APPROVAL_LIMIT, course_report
from tests.helpers import cli as ck

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / "content"


@pytest.fixture(scope="module")
def course():
    course, planned, _ = check_course(CONTENT)
    return course, planned, precomputed_store(course, planned)  # computed live, here, by the widgets' own code


def test_every_stored_result_equals_its_live_computation(course):
    _, planned, live = course
    kinds = {p.spec.type for ps in planned.values() for p in ps}
    assert {"plan_tester", "signals_spotter"} <= kinds
    assert sum(len(e) for e in live.values()) >= 6  # five modules' testers (the capstone's as it starts) and the spotter
    for note, entries in live.items():
        path = precomputed.store_dir() / f"{note}.json"
        stored = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        assert stored == entries, f"{path} is stale: run `coursekit build`"


def _notebook_tester(module: str) -> PlanTester:
    """The module's first plan tester, made by the notebook's own cells (setup, its arguments, the widget), unshown."""
    nb = json.loads((ROOT / "notebooks" / f"{module}.ipynb").read_text(encoding="utf-8"))
    cells = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    var = next(s.split("=")[0].strip() for s in cells if "ex.PlanTester(" in s)
    ns: dict = {}
    for src in [cells[0]] + [s for s in cells if f"{var}_args" in s]:
        exec(compile(src, module, "exec"), ns)  # noqa: S102 - the course's own generated cells
    return ns[var]


def _live_draw_forbidden(self, *a, **k):
    raise AssertionError("drew live: the stored charts were not found")


def test_a_notebooks_plan_tester_shows_the_stored_charts_and_a_change_draws_live(monkeypatch):
    w = _notebook_tester("01-intelligent-sales-foundation")
    stored = precomputed.lookup(precomputed.note_of(w.key), w.charts_key())
    assert isinstance(stored, dict)
    monkeypatch.setattr(PlanTester, "draw_charts", _live_draw_forbidden)
    w._repr_mimebundle_()  # shown (no kernel: drawn now)
    assert w._image.value == base64.b64decode(stored["curve"]) and w._bars.value == base64.b64decode(stored["bars"])
    assert w._chart_text.value == stored["text"]
    monkeypatch.undo()
    before = w._image.value
    w.set_answer({**w.answer, "threshold": 0.3})  # a learner's change: never in the store
    assert precomputed.lookup(precomputed.note_of(w.key), w.charts_key()) is None
    assert w._image.value != before and w._image.value == base64.b64decode(w.draw_charts()["curve"])


def test_the_capstone_tester_of_a_learner_with_no_answers_shows_the_stored_charts(monkeypatch, tmp_path):
    """Module 5's cells up to its tester, run as a learner who has saved nothing yet (the test's private answers home):
    the plan it starts from is the one the build stored charts for."""
    nb = json.loads((ROOT / "notebooks" / "05-alignment-capstone.ipynb").read_text(encoding="utf-8"))
    cells = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    upto = next(i for i, s in enumerate(cells) if "ex.PlanTester(" in s)
    monkeypatch.setenv("COURSEKIT_HOME", str(tmp_path))  # nothing saved yet, whatever other tests saved
    ns: dict = {}
    for src in cells[:upto + 1]:
        exec(compile(src, "capstone", "exec"), ns)  # noqa: S102 - the course's own generated cells
    w = ns["capstone_tester"]
    assert w.committee_tests and precomputed.lookup(precomputed.note_of(w.key), w.charts_key()) is not None
    monkeypatch.setattr(PlanTester, "draw_charts", _live_draw_forbidden)
    w._repr_mimebundle_()
    assert w._image.value and w._bars.value


def test_a_changed_scenario_computes_live(monkeypatch):
    w = _notebook_tester("03-priority-encoding-via-pay")
    note = precomputed.note_of(w.key)
    assert precomputed.lookup(note, w.charts_key()) is not None
    changed = PlanTester(w.base_plan.with_changes(ote=w.base_plan.ote + 1000), w.options, w.prefer, key=w.key, solution="")
    assert precomputed.lookup(note, changed.charts_key()) is None
    calls, original = [], PlanTester.draw_charts
    monkeypatch.setattr(PlanTester, "draw_charts", lambda self: calls.append(1) or original(self))
    changed._repr_mimebundle_()
    assert calls == [1] and changed._image.value


def test_the_spotter_on_the_course_export_shows_the_stored_charts(course, monkeypatch):
    _, planned, _ = course
    note, p = next((n, p) for n, ps in planned.items() for p in ps if p.spec.type == "signals_spotter")
    w = SignalsSpotter(course_report(), approval_limit=COURSE_APPROVAL_LIMIT, key=f"{note}/{p.id}", solution="")  # as module 4's cell
    stored = precomputed.lookup(note, w.charts_key(w._chart_rep.value))
    assert isinstance(stored, dict)
    monkeypatch.setattr(SignalsSpotter, "draw_charts", _live_draw_forbidden)
    w._repr_mimebundle_()
    assert w._images["timing"].value == base64.b64decode(stored["timing"]) and w._chart_text.value == stored["text"]
    other = next(r for r in w.reps if r != w._chart_rep.value)
    assert precomputed.lookup(note, w.charts_key(other)) is None  # another rep's charts: drawn live when picked


def test_build_check_names_a_stale_results_file():
    path = precomputed.store_dir() / "intelligent-sales-foundation.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    chart = next(k for k, v in data.items() if isinstance(v, dict) and "text" in v)  # a chart entry (runs are lists)
    data[chart]["text"] = "a figure from an older build"
    path.write_text(json.dumps(data), encoding="utf-8")  # the private copy; conftest puts it back after this test
    r = ck("build", "--check", "--quiet")
    assert r.returncode == 1
    lines = [ln for ln in r.stderr.splitlines() if "(precomputed results)" in ln]
    assert lines == [f"  {path} (precomputed results)"], r.stderr
    assert "run it and commit" in r.stderr  # the fix: `coursekit build`


# --- the testers' first tests: the simulator's runs stored at build (issue 27, module 5's Run All) ---

MODULES = ("01-intelligent-sales-foundation", "02-strategy-to-comp-translation", "03-priority-encoding-via-pay",
           "04-enablement-to-payout-alignment")


def _capstone_tester(monkeypatch, tmp_path) -> PlanTester:
    """Module 5's cells up to its tester, as a learner who has saved nothing yet."""
    nb = json.loads((ROOT / "notebooks" / "05-alignment-capstone.ipynb").read_text(encoding="utf-8"))
    cells = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    upto = next(i for i, s in enumerate(cells) if "ex.PlanTester(" in s)
    monkeypatch.setenv("COURSEKIT_HOME", str(tmp_path))
    ns: dict = {}
    for src in cells[:upto + 1]:
        exec(compile(src, "capstone", "exec"), ns)  # noqa: S102 - the course's own generated cells
    return ns["capstone_tester"]


def _no_simulation(monkeypatch) -> list[str]:
    """An empty simulator cache whose runs are counted: the names of the runs computed live."""
    from coursekit.exercises.plan_tester import checks

    live: list[str] = []
    monkeypatch.setattr(checks, "_CACHE", {})
    for name in ("simulate", "simulate_mix", "option_months"):
        real = getattr(checks, name)
        monkeypatch.setattr(checks, name, lambda *a, _real=real, _name=name, **k: live.append(_name) or _real(*a, **k))
    return live


def _first_render(w: PlanTester) -> dict:
    """What the tester shows and holds after its first refresh: the result, the four tests, their HTML."""
    return {"result": w.result.to_dict(), "tests": w.tests(), "html": w._tests.value, "explain": w.explain_key(),
            "frontier": w._frontier.value}


@pytest.mark.parametrize("module", [*MODULES, "05-alignment-capstone"])
def test_every_course_testers_first_tests_read_the_stored_runs_and_equal_a_live_computation(module, monkeypatch, tmp_path):
    monkeypatch.setenv("COURSEKIT_HOME", str(tmp_path))  # a learner with no saved answer (other tests save some)
    live = _no_simulation(monkeypatch)
    make = (lambda: _capstone_tester(monkeypatch, tmp_path)) if module.startswith("05") else (lambda: _notebook_tester(module))
    stored = make()
    assert live == [], f"{module}: the tester's first render simulated {live} live: its runs are not stored"
    assert precomputed.lookup(precomputed.note_of(stored.key), stored.runs_key())
    first = _first_render(stored)
    from coursekit.exercises.plan_tester import checks

    monkeypatch.setattr(checks, "_CACHE", {})
    with precomputed.live():  # nothing read from the store: every run computed now
        fresh = make()
    assert live and "simulate" in live  # it did compute
    assert _first_render(fresh) == first


def test_a_stale_runs_key_computes_live_with_the_same_tests(monkeypatch, tmp_path):
    live = _no_simulation(monkeypatch)
    first = _first_render(_capstone_tester(monkeypatch, tmp_path))
    assert live == []
    from coursekit.exercises.plan_tester import checks

    monkeypatch.setattr(checks, "_CACHE", {})
    # the computing code changed since the build: another code hash, another key, not in the store
    monkeypatch.setattr(PlanTester, "RUNS_CODE", (*PlanTester.RUNS_CODE, "exercises/theme.py"))
    w = _capstone_tester(monkeypatch, tmp_path)
    assert precomputed.lookup(precomputed.note_of(w.key), w.runs_key()) is None
    assert "simulate" in live
    assert _first_render(w) == first


def test_a_stored_run_serves_only_its_own_inputs_and_a_malformed_one_is_skipped(monkeypatch, tmp_path):
    from coursekit.exercises.plan_tester import checks

    monkeypatch.setenv("COURSEKIT_HOME", str(tmp_path))
    live = _no_simulation(monkeypatch)
    w = _notebook_tester("03-priority-encoding-via-pay")
    runs = precomputed.lookup(precomputed.note_of(w.key), w.runs_key())
    assert live == [] and runs
    monkeypatch.setattr(checks, "_CACHE", {})
    assert checks.seed([["simulate", "a key", {"options": "not a list"}], ["nonsense"], 3]) == 0  # skipped, never raised
    assert checks.seed(runs) == len(runs)
    w.set_answer({**w.answer, "threshold": 0.3})  # a learner's change: a plan the store has no run for
    assert "simulate" in live


def test_the_stored_runs_equal_the_simulator_run_now(course):
    """Each stored run, read back, equals the engine's own run on the inputs its cache key names."""
    from coursekit.engine.plan import plan_from_dict
    from coursekit.engine.scenario import Option
    from coursekit.exercises.plan_tester import checks

    _, _, live = course
    n = 0
    for entries in live.values():
        for value in entries.values():
            if not isinstance(value, list):
                continue
            for kind, key, data in value:
                k, plan, options, prefer, extra = json.loads(key)
                sc = checks.Scenario(plan_from_dict(plan), tuple(Option(**o) for o in options), prefer=prefer)
                now = {"simulate": checks.simulate, "mix": lambda s, e=extra: checks.simulate_mix(s, e),
                       "months": checks.option_months}[kind](sc)
                assert k == kind and checks._run_value(kind, data) == now
                n += 1
    assert n >= 10
