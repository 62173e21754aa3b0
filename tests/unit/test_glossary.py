"""The glossary: content/glossary.yaml checked one line per problem, and the linker that links a term's first use."""

import re
from pathlib import Path

import pytest

from coursekit.assemble.start import glossary_notebook
from coursekit.notes import load_course
from coursekit.notes.glossary import Linker, Term, anchor, load_glossary
from tests.helpers import SEED, cli

ROOT = Path(__file__).resolve().parents[2]
TERMS = [Term("cap", "A maximum incentive."), Term("draw", "An advance."), Term("recoverable draw", "A repaid draw."),
         Term("credit multiplier", "Extra credit."), Term("OTE", "On-target earnings.", "Author (2024), Title.")]


def links(text: str) -> list[tuple[str, str]]:
    return re.findall(r"\[([^\]]+)\]\(glossary\.ipynb#([\w-]+)\)", text)


def test_the_first_use_only_is_linked_across_every_cell_of_a_module():
    link = Linker(TERMS)
    first = link.link("A cap limits pay. Another cap is here.")
    second = link.link("The cap again, and the OTE.")
    assert links(first) == [("cap", "cap")]  # the second "cap" in the same text stays plain
    assert links(second) == [("OTE", "ote")]  # "cap" was linked in an earlier cell of the module
    assert Linker(TERMS).link("A cap.") != "A cap."  # a new module links it again


def test_case_insensitive_whole_words_plural_and_longest_first():
    text = Linker(TERMS).link("Caps and a capacity model; a recoverable draw, then a draw; Credit\nMultipliers.")
    assert links(text) == [("Caps", "cap"), ("recoverable draw", "recoverable-draw"), ("draw", "draw"),
                           ("Credit\nMultipliers", "credit-multiplier")]
    assert "capacity" in text and "[capacity" not in text  # "cap" inside a word is not a use
    # a hyphen joins the word: "non-recoverable draw" is not a use of "recoverable draw" (its "draw" is a draw)
    assert links(Linker(TERMS).link("a non-recoverable draw")) == [("draw", "draw")]
    assert links(Linker(TERMS).link("the caped crusader, a captain, OTEs")) == [("OTEs", "ote")]


def test_not_in_code_links_headings_or_html():
    text = ("## The cap\n\n`cap` and\n\n```\ncap = 3\n```\n\n[the cap](https://x.org/cap) <a href='#x'>cap</a> "
            "<b title='cap'>x</b> https://x.org/cap [cap][ref]\n### A draw heading")
    assert Linker(TERMS).link(text) == text
    assert links(Linker(TERMS).link(text + "\n\nNow the cap.")) == [("cap", "cap")]


def test_verbs_are_not_terms():
    # "draw the line" and "cannot draw" are verbs; the noun after them is the first use
    text = Linker(TERMS).link("If you can't draw the line, you cannot draw at all. A draw steadies pay.")
    assert links(text) == [("draw", "draw")] and text.index("[draw]") > text.index("A ")
    # a modal with its subject between: "what line would you draw for it" is a verb too
    text = Linker(TERMS).link("What line would you draw for it? Should we cap it? A draw steadies pay.")
    assert links(text) == [("draw", "draw")] and text.index("[draw]") > text.index("A ")


def test_anchor_is_lower_case_words_joined_by_hyphens():
    assert [anchor(t) for t in ("OTE", "credit multiplier", "year-to-date with catch-up", "cost of sales")] == \
        ["ote", "credit-multiplier", "year-to-date-with-catch-up", "cost-of-sales"]


def test_the_course_glossary_loads_alphabetical_with_the_issue_terms():
    terms, problems = load_glossary(ROOT / "content")
    assert problems == []
    names = [t.term for t in terms]
    assert names == sorted(names, key=str.lower)
    for wanted in ("OTE", "target incentive", "BCR", "threshold", "accelerator", "decelerator", "cap", "draw", "SPIF",
                   "clawback", "credit multiplier", "measurement period", "true-up"):
        assert wanted in names


@pytest.mark.parametrize("yaml_text, field, fix", [
    ("cap:\n  definiton: A maximum.\n", "cap", "did you mean `definition`?"),
    ("cap: A maximum.\n", "cap", "definition"),
    ("cap:\n  source: Someone\n", "cap", "definition"),
    ("cap:\n  definition: A maximum.\n  source: [1, 2]\n", "cap", "remove it"),
    ("Cap:\n  definition: A.\ncap:\n  definition: B.\n", "cap", "rename one"),
    ("- cap\n", "yaml", "key: value"),
    ("cap: [\n", "yaml", "YAML"),
    ('cap: !!python/object/apply:os.system ["echo pwned"]\n', "yaml", "not allowed"),  # never code from YAML
])
def test_bad_glossary_is_one_line_per_problem_naming_file_field_and_fix(tmp_path, yaml_text, field, fix):
    (tmp_path / "glossary.yaml").write_text(yaml_text)
    terms, problems = load_glossary(tmp_path)
    assert len(problems) == 1
    line = str(problems[0])
    assert "glossary.yaml" in line and f": {field}: " in line and fix in line and "\n" not in line


def test_check_reports_a_bad_glossary_and_exits_2(tmp_path):
    (tmp_path / SEED.name).write_bytes(SEED.read_bytes())
    (tmp_path / "glossary.yaml").write_text("cap:\n  definition: A maximum.\n  sorce: x\ndraw: 3\n")
    r = cli("check", "--content", tmp_path)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    lines = [ln for ln in r.stderr.splitlines() if "glossary.yaml" in ln]
    assert len(lines) == 2 and "did you mean `source`?" in lines[0] and ": draw: must be a mapping" in lines[1]
    assert load_course(tmp_path).glossary == []  # a term with a problem is not used (here neither is)


def test_glossary_page_has_one_anchor_per_term_in_order_with_sources():
    nb = glossary_notebook(list(reversed(TERMS)))
    assert all(c.cell_type == "markdown" for c in nb.cells)
    ids = [m for c in nb.cells for m in re.findall(r'<a id="([\w-]+)"></a>', c.source)]
    assert ids == ["cap", "credit-multiplier", "draw", "ote", "recoverable-draw"]
    ote = next(c.source for c in nb.cells if 'id="ote"' in c.source)
    assert "### OTE" in ote and "*Source:* Author (2024), Title." in ote
    assert "Source" not in next(c.source for c in nb.cells if 'id="cap"' in c.source)
