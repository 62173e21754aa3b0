import os
import re
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import nbformat
import pytest
from benchmarks.kit.net import free_port, wait_http

from coursekit.notes import load_course
from coursekit.workshop.agenda import agenda
from coursekit.workshop.links import binder_link, nbgitpuller_link
from coursekit.workshop.timing import CLOSE, CLOSE_MIN, SETUP, SETUP_MIN, module_timing
from tests.helpers import cli as ck

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("minutes", [30, 90, 180, 600])
def test_agenda_fits_the_time_or_says_what_to_cut(minutes):
    notes = load_course(ROOT / "content").notes
    rows, cut = agenda(notes, minutes)
    used = sum(a.minutes for _, a in rows)
    full = sum(a.minutes for n in notes for a in module_timing(n))
    assert used <= minutes or any("still" in c for c in cut)
    if full > minutes:
        assert cut
    assert rows[0][0] == "09:00" and (rows[0][1].activity, rows[0][1].minutes) == (SETUP, SETUP_MIN)
    assert rows[1][0] == f"09:{SETUP_MIN:02d}" and rows[1][1].module == notes[0].front.title
    assert (rows[-1][1].activity, rows[-1][1].minutes) == (CLOSE, CLOSE_MIN)
    assert [a.activity for _, a in rows].count(SETUP) == 1 and [a.activity for _, a in rows].count(CLOSE) == 1


def test_agenda_counts_setup_and_close_in_the_time():
    # module 1 alone: open 5 + actions 15/10/10 + pitfalls 5 + debrief 5 = 50; with setup 10 and close 5, 65.
    # In 60 minutes the optional pitfalls row goes (60 = 10 + 45 + 5), in 65 nothing is cut.
    note = load_course(ROOT / "content").by_slug()["intelligent-sales-foundation"]
    full = sum(a.minutes for a in module_timing(note))
    rows, cut = agenda([note], full + SETUP_MIN + CLOSE_MIN)
    assert not cut and sum(a.minutes for _, a in rows) == full + SETUP_MIN + CLOSE_MIN
    rows, cut = agenda([note], full + SETUP_MIN + CLOSE_MIN - 5)
    assert sum(a.minutes for _, a in rows) <= full + SETUP_MIN + CLOSE_MIN - 5
    assert len(cut) == 1 and "Pitfalls and assumptions" in cut[0]


def test_agenda_command_prints_a_markdown_table():
    r = ck("agenda", "--minutes", "90", "--modules", "intelligent-sales-foundation", "enablement-to-payout-alignment")
    assert r.returncode == 0 and "| start | module | activity | minutes |" in r.stdout
    used = int(re.search(r"Session plan: (\d+) of 90 minutes", r.stdout)[1])
    lines = [ln for ln in r.stdout.splitlines() if ln.startswith("| ")]
    assert used <= 90 and used == sum(int(ln.rsplit("|", 2)[1]) for ln in lines[1:])  # the rows add up to what it says
    assert "**Self-paced, each module takes**" in r.stdout and "- Intelligent Sales Foundation: " in r.stdout
    assert lines[1] == f"| 09:00 |  | {SETUP} | {SETUP_MIN} |" and lines[-1].endswith(f"|  | {CLOSE} | {CLOSE_MIN} |")
    bad = ck("agenda", "--modules", "no-such-module")
    assert bad.returncode == 2 and "--modules" in bad.stderr and "Traceback" not in bad.stderr


def test_facilitator_edition_has_notes_and_learner_edition_has_none(tmp_path):
    r = ck("build", "--instructor", "--no-execute", "--out", tmp_path / "fac")
    assert r.returncode == 0, r.stderr
    fac = nbformat.read(tmp_path / "fac" / "01-intelligent-sales-foundation.ipynb", as_version=4)
    notes = [c.source for c in fac.cells if "instructor" in c.metadata.get("tags", [])]
    text = "\n".join(notes)
    assert "timing for a live session" in text and "model answer" in text and "Discussion prompts" in text
    assert "Sell to enterprise" in text  # the contradiction map's model answer, from the sidecar
    for path in (ROOT / "notebooks").glob("*.ipynb"):
        nb = nbformat.read(path, as_version=4)
        assert nb.metadata["coursekit"].get("edition", "learner") == "learner"
        for cell in nb.cells:
            assert "instructor" not in cell.metadata.get("tags", [])
            assert "Facilitator notes" not in cell.source and "Discussion prompts" not in cell.source


def test_learner_notebooks_carry_slideshow_metadata():
    nb = nbformat.read(ROOT / "notebooks" / "01-intelligent-sales-foundation.ipynb", as_version=4)
    kinds = {c.metadata.get("slideshow", {}).get("slide_type") for c in nb.cells}
    assert {"slide", "subslide"} <= kinds


def test_links_for_hub_and_binder():
    link = nbgitpuller_link("https://hub.example.org/", "https://github.com/acme/course", "main", "01-x.ipynb")
    assert link == ("https://hub.example.org/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgithub.com%2Facme%2Fcourse"
                    "&branch=main&targetpath=course&urlpath=lab%2Ftree%2Fcourse%2Fnotebooks%2F01-x.ipynb")
    # a URL ending in .git: nbgitpuller is told to clone into course/, the folder the link opens (not course.git/)
    dotgit = parse_qs(urlparse(nbgitpuller_link("https://hub.example.org", "https://git.example.org/acme/course.git", "main")).query)
    assert dotgit["targetpath"] == ["course"] and dotgit["urlpath"] == ["lab/tree/course/notebooks/00-start-here.ipynb"]
    assert binder_link("https://github.com/acme/course") == \
        "https://mybinder.org/v2/gh/acme/course/HEAD?urlpath=lab/tree/notebooks/00-start-here.ipynb"
    r = ck("links", "--hub", "https://hub.example.org", "--repo", "https://github.com/acme/course")
    assert r.returncode == 0 and r.stdout.count("git-pull?") == 6 and "mybinder.org/v2/gh/acme/course/main" in r.stdout
    bad = ck("links", "--hub", "hub.example.org", "--repo", "https://github.com/acme/course")
    assert bad.returncode == 2 and "--hub" in bad.stderr and bad.stderr.count("\n") == 1


def test_readme_has_the_binder_badge():
    assert "https://mybinder.org/v2/gh/" in (ROOT / "README.md").read_text()
    assert "urlpath=lab/tree/notebooks/00-start-here.ipynb" in (ROOT / "README.md").read_text()


def test_present_serves_the_course_offline_as_presenter_with_working_links(tmp_path):
    import re

    real = tmp_path / "my-home"
    (real / "answers").mkdir(parents=True)
    mine = real / "answers" / "me.json"
    mine.write_text('{"version": 1, "answers": {"intelligent-sales-foundation/action-1": {"rows": []}}}')
    before = {p: p.read_bytes() for p in real.rglob("*")if p.is_file()}
    port = free_port()
    env = {**os.environ, "COURSEKIT_HOME": str(real), "COURSEKIT_LEARNER": "me"}
    proc = subprocess.Popen([sys.executable, "-m", "coursekit.cli", "present", "intelligent-sales-foundation", "--port", str(port)],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        url = proc.stdout.readline().decode().split(" at ")[1].split()[0]  # the command says where the module is
        assert url == f"http://127.0.0.1:{port}/voila/render/01-intelligent-sales-foundation.ipynb"
        wait_http(f"http://127.0.0.1:{port}/voila/tree", proc, 120)
        body = urllib.request.urlopen(url, timeout=300).read().decode()
        assert "Intelligent Sales Foundation" in body and "Traceback" not in body
        assert "from coursekit import notebook" not in body  # code hidden
        assert "widgets are live" in body and "Run All Cells" not in body
        assert 'href="00-start-here.ipynb"' in body  # the course-map link, relative to /voila/render/
        start = urllib.request.urlopen(f"http://127.0.0.1:{port}/voila/render/00-start-here.ipynb", timeout=300)
        assert start.status == 200 and "Course map" in start.read().decode()  # where the link leads: no 403
        fetched = re.findall(r"""<(?:script|link|img|iframe)[^>]*?(?:src|href)=["']((?:https?:)?//[^"']+)""", body)
        fetched += re.findall(r"""@import\s+(?:url\()?["']?((?:https?:)?//[^"')]+)""", body)
        assert [u for u in fetched if not u.startswith(f"http://127.0.0.1:{port}/")] == []  # nothing from the internet
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(30)
    assert {p: p.read_bytes() for p in real.rglob("*") if p.is_file()} == before  # the presenter's own answers untouched


def test_present_copy_says_widgets_are_live_and_keeps_everything_else(tmp_path):
    from coursekit.workshop.present import LIVE, present_copy, present_environment

    names = present_copy(ROOT / "notebooks", tmp_path)
    assert names == sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
    for name in names:
        orig, shown = (nbformat.read(d / name, as_version=4) for d in (ROOT / "notebooks", tmp_path))
        changed = [(a.source, b.source) for a, b in zip(orig.cells, shown.cells, strict=True) if a.source != b.source]
        runs = any(c.cell_type == "code" for c in orig.cells)  # glossary.ipynb is Markdown only: nothing to run
        assert bool(changed) == runs, name  # every notebook with code told the learner to run all cells
        for before, after in changed:
            assert "Run All Cells" in before and "Run All Cells" not in after and LIVE in after
            assert "answers are saved" not in after  # the presenter's answers are thrown away
            assert after.count("**") % 2 == 0 and after.count("[course map](00-start-here.ipynb)") == before.count("[course map](00-start-here.ipynb)")
    env = present_environment(tmp_path / "home", {"COURSEKIT_LEARNER": "me", "COURSEKIT_HOME": "/mine", "PATH": "/bin"})
    assert env == {"COURSEKIT_LEARNER": "presenter", "COURSEKIT_HOME": str(tmp_path / "home"), "COURSEKIT_PRESENT": "1", "PATH": "/bin"}
