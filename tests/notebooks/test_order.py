"""Notebooks pass in any order: nbval over them in reverse order, each from a clean kernel.
(Run-twice determinism is `coursekit build --check`, which re-executes and compares byte for byte.)"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_notebooks_pass_in_reverse_order(tmp_path):
    names = sorted((ROOT / "notebooks").glob("*.ipynb"), reverse=True)
    r = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval", "--nbval-current-env",
                        "--nbval-sanitize-with", "tests/nbval-sanitize.cfg", *map(str, names)],
                       cwd=ROOT, capture_output=True, text=True, timeout=600, env={**os.environ, "COURSEKIT_HOME": str(tmp_path)})
    assert r.returncode == 0, r.stdout[-3000:]
    assert " passed" in r.stdout.splitlines()[-1]
