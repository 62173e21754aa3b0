"""The learner's workspace: doing the course happens in a copy, so the repository's notebooks and its
checks never change; later course versions come in without overwriting a learner's changes."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import nbformat
import nbformat.v4 as v4
import pytest

from coursekit.workshop.workspace import MANIFEST, sync
from tests.helpers import ROOT, cli


def _nb(*sources: str) -> str:
    return nbformat.writes(v4.new_notebook(cells=[v4.new_markdown_cell(sources[0]), *map(v4.new_code_cell, sources[1:])]))


@pytest.fixture
def course(tmp_path):
    src = tmp_path / "notebooks"
    src.mkdir()
    for name in ("00-start-here.ipynb", "01-a.ipynb", "02-b.ipynb", "03-c.ipynb"):
        (src / name).write_text(_nb(f"# {name} v1", "x = 1"))
    return src


def test_first_start_copies_every_notebook(course, tmp_path):
    ws = tmp_path / "workspace"
    report = sync(course, ws)
    assert report.added == ["00-start-here.ipynb", "01-a.ipynb", "02-b.ipynb", "03-c.ipynb"] and not report.kept
    for p in course.iterdir():
        assert (ws / p.name).read_bytes() == p.read_bytes()
    assert sync(course, ws).lines() == []  # a second start with nothing new says nothing


def test_later_start_brings_changes_in_and_keeps_what_the_learner_changed(course, tmp_path):
    ws = tmp_path / "workspace"
    sync(course, ws)
    # the learner: edits 01 (a cell's source), only runs 02 (outputs and counts), deletes 03
    mine = nbformat.reads((ws / "01-a.ipynb").read_text(), as_version=4)
    mine.cells[1].source = "x = 42  # my experiment"
    (ws / "01-a.ipynb").write_text(nbformat.writes(mine))
    ran = nbformat.reads((ws / "02-b.ipynb").read_text(), as_version=4)
    ran.cells[1].outputs, ran.cells[1].execution_count = [v4.new_output("stream", text="1\n")], 1
    (ws / "02-b.ipynb").write_text(nbformat.writes(ran))
    (ws / "03-c.ipynb").unlink()
    # the course: a new version of 01 and 02, and a new module 04
    for name in ("01-a.ipynb", "02-b.ipynb"):
        (course / name).write_text(_nb(f"# {name} v2", "x = 2"))
    (course / "04-d.ipynb").write_text(_nb("# 04 v1", "y = 1"))

    report = sync(course, ws)
    assert report.kept == [("01-a.ipynb", "01-a.updated.ipynb")]
    assert "x = 42  # my experiment" in (ws / "01-a.ipynb").read_text()  # theirs, untouched
    assert (ws / "01-a.updated.ipynb").read_bytes() == (course / "01-a.ipynb").read_bytes()  # the new one beside it
    assert report.updated == ["02-b.ipynb"]  # running a notebook is not changing it
    assert (ws / "02-b.ipynb").read_bytes() == (course / "02-b.ipynb").read_bytes()
    assert sorted(report.added) == ["03-c.ipynb", "04-d.ipynb"]  # restored, and new
    assert "kept your changed 01-a.ipynb; the course's new version is beside it as 01-a.updated.ipynb" in report.lines()
    assert sync(course, ws).lines() == []  # nothing repeated on the next start

    (course / "01-a.ipynb").write_text(_nb("# 01 v3", "x = 3"))  # a third version: replaces the untouched copy beside
    assert sync(course, ws).kept == [("01-a.ipynb", "01-a.updated.ipynb")]
    assert "v3" in (ws / "01-a.updated.ipynb").read_text() and "my experiment" in (ws / "01-a.ipynb").read_text()


def test_a_lost_manifest_treats_every_differing_notebook_as_the_learners(course, tmp_path):
    ws = tmp_path / "workspace"
    sync(course, ws)
    (ws / MANIFEST).write_text("{not json")
    (course / "01-a.ipynb").write_text(_nb("# 01 v2", "x = 2"))
    assert sync(course, ws).kept == [("01-a.ipynb", "01-a.updated.ipynb")]
    assert "v1" in (ws / "01-a.ipynb").read_text()


def test_workspace_command_reports_and_refuses_bad_folders(course, tmp_path):
    r = cli("workspace", "--notebooks", course, "--dir", tmp_path / "ws")
    assert r.returncode == 0 and "added 01-a.ipynb" in r.stdout and "4 notebooks ready" in r.stdout
    r = cli("workspace", "--notebooks", tmp_path / "nothing-here", "--dir", tmp_path / "ws")
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "--notebooks" in r.stderr
    r = cli("workspace", "--notebooks", course, "--dir", course)
    assert r.returncode == 2 and "--dir" in r.stderr


def _digest(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob("*.ipynb"))}


def test_doing_a_module_in_the_workspace_leaves_the_repository_checks_passing(tmp_path, monkeypatch):
    from nbclient import NotebookClient

    monkeypatch.setenv("COURSEKIT_HOME", str(tmp_path / "home"))
    before = _digest(ROOT / "notebooks")
    ws = tmp_path / "workspace"
    assert cli("workspace", "--dir", ws).returncode == 0
    name = "01-intelligent-sales-foundation.ipynb"
    nb = nbformat.read(ws / name, as_version=4)
    nb.cells.append(v4.new_code_cell("answers.set(MODULE + '/scratch', {'note': 'mine'})"))  # the learner adds a cell
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(ws)}}).execute()
    nbformat.write(nb, ws / name)  # what JupyterLab's autosave does: outputs and all
    saved = json.loads((tmp_path / "home" / "answers" / "me.json").read_text())["answers"]
    assert saved == {"intelligent-sales-foundation/scratch": {"note": "mine"}}
    assert _digest(ROOT / "notebooks") == before
    r = cli("build", "--check", "--quiet")
    assert r.returncode == 0, r.stderr
    # and the next start keeps the learner's notebook
    assert "answers.set(MODULE" in (ws / name).read_text() and cli("workspace", "--dir", ws).stdout.endswith("ready\n")


def test_facilitator_edition_goes_where_the_lab_opens_it(tmp_path):
    r = cli("build", "--instructor", "--no-execute", "--quiet", "--content", ROOT / "content", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    fac = tmp_path / "workspace" / "facilitator"
    assert f"notebooks in {Path('workspace') / 'facilitator'}: wrote" in r.stdout
    assert sorted(p.name for p in fac.glob("*.ipynb")) == sorted([p.name for p in (ROOT / "notebooks").glob("*.ipynb")] + ["room.ipynb"])
    assert sync(ROOT / "notebooks", tmp_path / "workspace").added  # the learner's copy sits beside it, untouched by it
    assert sorted(p.name for p in fac.glob("*.ipynb")) == sorted([p.name for p in (ROOT / "notebooks").glob("*.ipynb")] + ["room.ipynb"])
