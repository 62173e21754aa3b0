"""In a kernel, an exercise with images shows at once and draws just after its cell (issue 27: the first widget
shows while the rest computes); before the next cell runs its images are there. Outside a kernel it draws at once."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SETUP = f"""
from coursekit.engine import load_scenario
from coursekit.exercises.plan_tester.widget import PlanTester
sc = load_scenario({str(ROOT / "examples" / "enterprise-vs-smb.yaml")!r})
"""


def test_in_a_kernel_the_widget_is_sent_before_its_charts_are_drawn_and_they_are_there_for_the_next_cell(tmp_path, monkeypatch):
    nbclient = pytest.importorskip("nbclient")
    import nbformat.v4 as v4

    monkeypatch.setenv("COURSEKIT_HOME", str(tmp_path))
    shown = textwrap.dedent("""
        w = PlanTester(sc.plan, sc.options, sc.prefer)
        display(w)
        print("at display:", len(w._image.value), len(w._bars.value), w._pending)
    """)
    nb = v4.new_notebook(cells=[v4.new_code_cell(SETUP), v4.new_code_cell(shown),
                                v4.new_code_cell('print("next cell:", len(w._image.value) > 1000, len(w._bars.value) > 1000, w._pending, w.feedback)')],
                         metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    nbclient.NotebookClient(nb, timeout=300, kernel_name="python3").execute()
    at_display = "".join(o.get("text", "") for o in nb.cells[1].outputs if o["output_type"] == "stream")
    assert "at display: 0 0 True" in at_display  # sent without its images: the PNG work had not run yet
    assert any(o["output_type"] == "display_data" and "application/vnd.jupyter.widget-view+json" in o["data"] for o in nb.cells[1].outputs)
    assert nb.cells[2].outputs[0]["text"].strip() == "next cell: True True False []"


def test_outside_a_kernel_showing_draws_at_once():
    from coursekit.engine import load_scenario
    from coursekit.exercises.plan_tester.widget import PlanTester

    sc = load_scenario(ROOT / "examples" / "enterprise-vs-smb.yaml")
    w = PlanTester(sc.plan, sc.options, sc.prefer)
    assert not w._image.value
    w._repr_mimebundle_()
    assert len(w._image.value) > 1000 and len(w._bars.value) > 1000 and not w._pending
