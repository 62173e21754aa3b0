"""Answers survive a kernel restart: one kernel types an answer, a fresh kernel gets it back."""

import os

import nbformat.v4 as v4
from nbclient import NotebookClient

SETUP = ("from coursekit import notebook as ex\nfrom coursekit.answers import Answers\n"
         "w = ex.HypothesisBuilder(answers=Answers.open(), key='m/hypothesis')\n")


def run(code: str, home) -> str:
    nb = v4.new_notebook(cells=[v4.new_code_cell(SETUP + code)])
    old = os.environ.get("COURSEKIT_HOME")
    os.environ["COURSEKIT_HOME"] = str(home)
    try:
        NotebookClient(nb, kernel_name="python3", timeout=120).execute()
    finally:
        os.environ["COURSEKIT_HOME"] = old or ""
    return "".join(o.get("text", "") for o in nb.cells[0].outputs)


def test_answers_survive_a_kernel_restart(tmp_path):
    run("w._behavior.value = 'more platform deals'  # what typing does\nprint('typed')", tmp_path)
    assert run("print(w.read_inputs()['behavior'])", tmp_path).strip() == "more platform deals"
