"""Notebooks pass in any order, at the cost of two notebook runs rather than six.

`make test`'s nbval runs every notebook forward in one answers home, and the build stores outputs run
one notebook at a time in an empty home, so "earlier modules change nothing later" is nbval's check.
Left is the reverse: a later module leaving state an earlier one reads. The start page is the one
that reads saved answers (the progress table), so: the last module alone in a fresh kernel and an
empty home, then the start page in that same home, each must give its stored outputs."""

from __future__ import annotations

import re
import shutil

import nbformat
from nbclient import NotebookClient

from tests.helpers import ROOT

SANITIZE = ROOT / "tests" / "nbval-sanitize.cfg"
COMPARED = ("text/plain", "text/html")  # what nbval compares; images and widget views it skips


def _rules() -> list[tuple[re.Pattern, str]]:
    lines = [ln.split(":", 1) for ln in SANITIZE.read_text().splitlines() if ln.startswith(("regex:", "replace:"))]
    return [(re.compile(a[1].strip()), b[1].strip()) for a, b in zip(lines[::2], lines[1::2], strict=True)]


def outputs(nb: nbformat.NotebookNode) -> list[list[str]]:
    """Each code cell's outputs as nbval compares them: streams and text data, sanitized; ignored cells empty."""
    rules = _rules()

    def clean(text) -> str:
        text = "".join(text) if isinstance(text, list) else str(text)
        for pattern, replace in rules:
            text = pattern.sub(replace, text)
        return text

    cells = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        shown, last_stream = [], None
        if "nbval-ignore-output" not in cell.metadata.get("tags", []):
            for o in cell.outputs:
                if o.output_type == "stream":
                    # one stream as a reader sees it: the kernel may split two prints into one message or two
                    # (nbval coalesces them too), so consecutive pieces of the same stream are joined
                    head = f"{o.name}: "
                    if shown and shown[-1].startswith(head) and shown[-1] is last_stream:
                        shown[-1] = last_stream = shown[-1] + clean(o.text)
                        continue
                    last_stream = f"{head}{clean(o.text)}"
                    shown.append(last_stream)
                    continue
                last_stream = None
                if o.output_type == "error":
                    shown.append(f"error: {o.ename}: {o.evalue}")
                else:
                    shown += [f"{mime}: {clean(o.data[mime])}" for mime in COMPARED if mime in o.get("data", {})]
        cells.append(shown)
    return cells


def test_the_last_module_then_the_start_page_in_one_empty_home_give_their_stored_outputs(tmp_path, monkeypatch):
    work = tmp_path / "notebooks"
    shutil.copytree(ROOT / "notebooks", work)  # kernels run here, never in the repository
    names = sorted(p.name for p in work.glob("[0-9][0-9]-*.ipynb"))  # the modules and the start page (not the glossary)
    last, start = names[-1], names[0]
    assert start == "00-start-here.ipynb" and last.startswith("05-"), names
    monkeypatch.setenv("COURSEKIT_HOME", str(tmp_path / "home"))  # empty: nothing from earlier modules
    for name in (last, start):
        stored = nbformat.read(work / name, as_version=4)
        ran = nbformat.read(work / name, as_version=4)
        NotebookClient(ran, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(work)}},
                       record_timing=False, store_widget_state=False).execute()
        assert outputs(ran) == outputs(stored), name
