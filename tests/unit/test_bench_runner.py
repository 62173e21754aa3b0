"""The benchmark runner (benchmarks/run.py) without timing anything: a row that fails is reported with its name and
reason, the other rows still run and the report is still written, and the run exits 1; a rerun of some rows keeps
the others. The rows here are stand-ins that record fixed ratios or raise; no figure is measured."""

from __future__ import annotations

import subprocess
import sys

import pytest
from benchmarks import run
from benchmarks.kit.floors import facade_names, floor_notebook


@pytest.fixture
def rows(monkeypatch):
    def good():
        run.record("a good row", "its floor", 1.2, "<= 1.5x", True)

    def bad():
        raise ValueError("the floor notebook\nwas missing")

    def exits():
        run.run([sys.executable, "-c", "import sys; sys.exit('no kernel named python3')"])

    def late():
        run.record("a row after the failures", "its floor", 2.0, "<= 1.5x", False)

    monkeypatch.setattr(run, "BENCHES", {"good": good, "bad": bad, "exits": exits, "late": late})
    monkeypatch.setattr(run, "RESULTS", [])
    monkeypatch.setattr(run, "HUB", [])


def test_a_failing_row_is_named_with_its_reason_and_the_others_are_still_written(rows, tmp_path, capsys):
    report = tmp_path / "performance.md"
    assert run.main(["--report", str(report)]) == 1
    text = report.read_text()
    assert "| good | a good row | its floor | 1.20x | <= 1.5x | yes |" in text
    assert "| late | a row after the failures | its floor | 2.00x | <= 1.5x | **no** |" in text
    assert "| bad | `bad` rows | - | - | - | **failed**: ValueError: the floor notebook was missing |" in text  # one line
    exits = next(line for line in text.splitlines() if line.startswith("| exits |"))
    assert "**failed**: CommandFailed:" in exits and "exited 1: no kernel named python3" in exits
    err = capsys.readouterr().err
    assert "2 row(s) failed: bad, exits" in err


def test_a_rerun_of_one_row_replaces_it_and_keeps_the_others(rows, tmp_path, monkeypatch):
    report = tmp_path / "performance.md"
    run.main(["--report", str(report)])
    first = report.read_text()
    monkeypatch.setitem(run.BENCHES, "bad", lambda: run.record("bad, mended", "its floor", 1.0, "<= 1.5x", True))
    run.RESULTS.clear()
    assert run.main(["--only", "bad", "--report", str(report)]) == 0
    second = report.read_text()
    assert "**failed**: ValueError" not in second and "| bad | bad, mended | its floor | 1.00x |" in second
    keep = [line for line in first.splitlines() if line.startswith(("| good |", "| exits |", "| late |"))]
    assert keep and all(line in second for line in keep)  # same rows, same "measured" stamp
    order = [line.split("|")[1].strip() for line in second.splitlines() if line.startswith("| ") and "|---" not in line][1:]
    assert order == ["good", "bad", "exits", "late"]


def test_an_unknown_row_is_refused_in_one_line(rows, tmp_path, capsys):
    assert run.main(["--only", "nope", "--report", str(tmp_path / "p.md")]) == 2
    assert "no row nope: --only takes good,bad,exits,late" in capsys.readouterr().err
    assert not (tmp_path / "p.md").exists()


def test_make_bench_runs_the_runner_as_a_script_and_it_lists_its_rows():
    r = subprocess.run([sys.executable, "benchmarks/run.py", "--help"], capture_output=True, text=True, cwd=run.ROOT)
    assert r.returncode == 0 and "runall" in r.stdout and "browser" in r.stdout


def test_a_floor_keeps_the_setup_and_the_widget_imports_and_one_plain_widget_per_exercise():
    def cell(src, tags=()):
        return {"cell_type": "code", "metadata": {"tags": list(tags)}, "source": src, "outputs": []}
    nb = {"cells": [cell("from coursekit import notebook as ex\nfrom coursekit.notebook import Answers\nanswers = Answers.open()", ["setup"]),
                    cell("demo = ex.PlanTester(plan, options)\ndemo.set_answer({})", ["worked-example"]),
                    cell("a1 = ex.ContradictionMap(rows=3)\na1", ["exercise"]),
                    cell("from coursekit.notebook import compare_changes\ncompare_changes(x, y)"),
                    cell("a2 = ex.PlanTester(plan, options)\na2", ["nbval-ignore-output", "exercise"])]}
    assert facade_names(nb["cells"][3]["source"]) == {"compare_changes"}
    floor = floor_notebook(nb)
    first = floor["cells"][0]["source"]
    assert first.startswith(nb["cells"][0]["source"]) and "import pandas\nimport matplotlib.pyplot" in first
    only = floor_notebook(nb, ["pandas"])["cells"][0]["source"]  # the libraries the course's own Run All imported
    assert "import pandas" in only and "matplotlib" not in only
    assert "_facade.ContradictionMap" in first and "_facade.PlanTester" in first and "_facade.compare_changes" in first
    assert "_facade.Answers" not in first  # already imported by the setup cell
    rest = [c["source"] for c in floor["cells"][1:]]
    assert len(rest) == 2 and all(s.startswith("W.VBox([") for s in rest)  # no computation: no plan, no set_answer
    assert not any("set_answer" in c["source"] or "compare_changes(" in c["source"] for c in floor["cells"])


def test_a_row_that_cannot_run_here_says_why_and_is_not_a_failure(rows, tmp_path, monkeypatch):
    monkeypatch.setitem(run.BENCHES, "bad", lambda: run.skipped("no Chromium at /usr/bin/chromium"))
    monkeypatch.setitem(run.BENCHES, "exits", lambda: None)
    assert run.main(["--report", str(tmp_path / "p.md")]) == 0
    assert "| bad | `bad` rows | - | - | - | skipped: no Chromium at /usr/bin/chromium |" in (tmp_path / "p.md").read_text()


def test_a_row_the_issues_set_no_target_for_is_written_as_information_not_as_a_miss(rows, tmp_path, monkeypatch):
    monkeypatch.setitem(run.BENCHES, "late", lambda: run.record("two workers", "one worker", 1.25, "none set (informational)", None))
    report = tmp_path / "performance.md"
    run.main(["--only", "late", "--report", str(report)])
    line = next(ln for ln in report.read_text().splitlines() if ln.startswith("| late |"))
    assert "| 1.25x | none set (informational) | - |" in line and "**no**" not in line and "yes" not in line


def test_a_rerun_of_some_modules_replaces_their_run_all_rows_and_keeps_the_other_modules(rows, tmp_path, monkeypatch):
    def runall():
        for m in run.MODULES or ["01", "02", "03"]:
            run.record(f"Run All of {m}", "its floor", 1.0 if run.MODULES else 2.0, "<= 1.3x", not run.MODULES)

    monkeypatch.setattr(run, "BENCHES", {"runall": runall})
    report = tmp_path / "performance.md"
    run.main(["--report", str(report)])
    run.RESULTS.clear()
    run.main(["--only", "runall", "--modules", "02", "--report", str(report)])
    lines = [ln for ln in report.read_text().splitlines() if ln.startswith("| runall |")]
    assert [ln.split(" | ")[1] for ln in lines] == ["Run All of 01", "Run All of 02", "Run All of 03"]
    assert "| 2.00x |" in lines[0] and "| 1.00x |" in lines[1] and "| 2.00x |" in lines[2]
