"""What the benchmarks and the tests both use: a free port and an HTTP wait (``net``), the system Chromium and why
it cannot run (``chromium``), a real JupyterHub on loopback (``hubkit``), plain-Python oracles (``oracles``) and a
handed-in brief built in code (``briefs``).

The benchmarks import nothing from ``tests/``; the tests import this kit (``from benchmarks.kit.net import
free_port``). Nothing here imports pytest.
"""
