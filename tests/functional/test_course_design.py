"""Reads every built module in notebooks/ as a learner and a facilitator would: objectives first, key points last,
glossary links that land, and one number of minutes per module wherever minutes are shown."""

import re
from pathlib import Path

import nbformat
import pytest

from coursekit.assemble import generate
from coursekit.notes import load_course
from coursekit.workshop.agenda import agenda
from coursekit.workshop.timing import CLOSE, CLOSE_MIN, SETUP, SETUP_MIN, course_minutes, minutes_range

ROOT = Path(__file__).resolve().parents[2]
BOOKS = ROOT / "notebooks"
COURSE = load_course(ROOT / "content")
MODULES = [(COURSE.notebook_name(n.slug), n) for n in COURSE.notes]
LINK = re.compile(r"\]\(glossary\.ipynb#([^)\s]+)\)")
BULLET = re.compile(r"^- \S", re.M)


def read(name: str) -> nbformat.NotebookNode:
    return nbformat.read(BOOKS / name, as_version=4)


def markdown(nb: nbformat.NotebookNode) -> list[str]:
    return [c.source for c in nb.cells if c.cell_type == "markdown"]


@pytest.fixture(scope="module")
def facilitator() -> dict[str, nbformat.NotebookNode]:
    return generate(ROOT / "content", instructor=True)[1]  # assembled in memory, not executed: only its tables are read


@pytest.fixture(scope="module")
def start_minutes() -> dict[str, tuple[tuple[int, int], str]]:
    """Course-map rows of the start page: notebook -> ((low, high) self-paced minutes, time to apply at work)."""
    table = next(s for s in markdown(read("00-start-here.ipynb")) if s.startswith("## Course map"))
    rows = re.findall(r"^\| \d+ \| \[[^\]]+\]\(([^)]+)\) \|.*\| (\d+)-(\d+) \| ([^|]+) \|$", table, re.M)
    return {nb: ((int(low), int(high)), apply.strip()) for nb, low, high, apply in rows}


def test_every_module_is_built():
    assert sorted(p.name for p in BOOKS.glob("[0-9][0-9]-*.ipynb") if not p.name.startswith("00-")) == \
        sorted(name for name, _ in MODULES)


@pytest.mark.parametrize("name, note", MODULES, ids=[n.slug for _, n in MODULES])
def test_objectives_open_and_key_points_close(name, note):
    cells = read(name).cells
    objectives = [i for i, c in enumerate(cells) if c.cell_type == "markdown" and c.source.startswith("**By the end you can**")]
    assert objectives and objectives[0] <= 2, "the objectives come right after the header"
    assert 3 <= len(BULLET.findall(cells[objectives[0]].source)) <= 4
    key = [i for i, c in enumerate(cells) if c.cell_type == "markdown" and c.source.startswith("## Key points")]
    assert len(key) == 1 and 3 <= len(BULLET.findall(cells[key[0]].source)) <= 5
    # after the key points only the brief's footer (its heading and the export button) follows
    after = cells[key[0] + 1:]
    assert after and after[0].source.startswith("## Your Alignment brief")
    assert all(c.cell_type == "code" for c in after[1:]) and len(after) <= 3


@pytest.mark.parametrize("name, note", MODULES, ids=[n.slug for _, n in MODULES])
def test_glossary_links_land_on_an_anchor(name, note):
    anchors = {a for s in markdown(read("glossary.ipynb")) for a in re.findall(r'<a id="([^"]+)"></a>', s)}
    assert len(anchors) == len(COURSE.glossary) > 0
    used = [a for s in markdown(read(name)) for a in LINK.findall(s)]
    assert used, f"{name} links no glossary term"
    assert set(used) <= anchors, f"{name} links to anchors the glossary lacks: {set(used) - anchors}"
    assert len(used) == len(set(used)), "only the first use of a term in a module is linked"


@pytest.mark.parametrize("name, note", MODULES, ids=[n.slug for _, n in MODULES])
def test_every_term_a_module_uses_is_linked_at_its_first_use_wherever_it_is(name, note):
    """Objectives, worked examples, feedback captions and key points count as much as the note's prose: a term
    a learner meets first in an objective is linked there, not first in a later section (or never)."""
    from coursekit.notes.glossary import Linker

    # the header is the title line; the related-content cell (sources, next notes) is titles, never linked
    cells = [s for s in markdown(read(name))[1:] if not s.startswith("## Related Content")]
    bare = [re.sub(r"\[([^\]]+)\]\(glossary\.ipynb#[^)\s]+\)", r"\1", s) for s in cells]
    fresh = Linker(COURSE.glossary)  # linking the unlinked text again, in order, gives exactly what the build wrote
    assert [fresh.link(s) for s in bare] == cells, f"{name}: a term is linked later than its first use, or not at all"
    first = next(i for i, s in enumerate(cells) if LINK.search(s))
    assert "By the end you can" in cells[0] and first <= 1, f"{name}: the first glossary link comes late (cell {first})"


@pytest.mark.parametrize("name, note", MODULES, ids=[n.slug for _, n in MODULES])
def test_minutes_agree_everywhere(name, note, facilitator, start_minutes):
    header = read(name).cells[0].source
    low, high, live = map(int, re.search(r"\*\*(\d+)-(\d+) minutes\*\* at your own pace \(about (\d+) in a live session\)", header).groups())
    table = next(c.source for c in facilitator[name].cells if "timing for a live session" in c.source)
    stated = int(re.search(r"timing for a live session \((\d+) min\)", table)[1])
    rows = [int(m) for m in re.findall(r"^> \|[^|\n]+\| (\d+)(?: \(optional\))? \|$", table, re.M)]
    assert live == stated == sum(rows) == course_minutes(note)
    # self-paced: reading at 150 words a minute plus every exercise, the same range in the header and on the start page
    assert (low, high) == start_minutes[name][0] == minutes_range(note) and low < high
    # timeToApplyMin is the time to apply the note at work, shown as that and never as course time
    apply = note.front.timeToApplyMin
    assert f"time to apply at work: {apply} min" in header and start_minutes[name][1] == f"{apply} min"


def test_the_start_page_lists_the_glossary():
    assert any("](glossary.ipynb)" in s for s in markdown(read("00-start-here.ipynb")))


def test_readme_90_minute_example_is_what_agenda_prints():
    # the README's example session: modules 1 and 4 asked for in 90 minutes; at honest minutes module 1 fills it
    slugs = ["intelligent-sales-foundation", "enablement-to-payout-alignment"]
    rows, cut = agenda([COURSE.by_slug()[s] for s in slugs], 90)
    per = {}
    for _, a in rows:
        per[a.module or a.activity] = per.get(a.module or a.activity, 0) + a.minutes
    m1 = per[COURSE.by_slug()[slugs[0]].front.title]
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    assert per[SETUP] == SETUP_MIN and per[CLOSE] == CLOSE_MIN and sum(per.values()) <= 90
    assert f"setup ({SETUP_MIN} min)" in readme and f"module 1 whole ({m1} min)" in readme
    assert f"close and brief ({CLOSE_MIN} min)" in readme and "with module 4 assigned self-paced" in readme
    assert COURSE.by_slug()[slugs[1]].front.title not in per, "the README says module 4 is assigned self-paced"
    assert any(c.startswith("Enablement to Payout Alignment: the rest of the module") for c in cut)


ENTITY = re.compile(r"&(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);")
LEFTOVER = re.compile(r"\bmodule\(s\)|\bmonth\(s\)|DOMAIN")


@pytest.mark.parametrize("path", sorted(BOOKS.glob("*.ipynb")), ids=lambda p: p.name)
def test_no_html_entities_or_leftovers_in_learner_markdown(path):
    nb = nbformat.read(path, as_version=4)
    assert nb.metadata["coursekit"].get("edition", "learner") == "learner"
    for source in markdown(nb):
        assert not ENTITY.search(source), f"{path.name}: HTML entity {ENTITY.search(source)[0]!r} in {source[:80]!r}"
        assert not LEFTOVER.search(source), f"{path.name}: leftover {LEFTOVER.search(source)[0]!r} in {source[:80]!r}"
