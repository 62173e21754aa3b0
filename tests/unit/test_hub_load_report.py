"""The hub load run's report (benchmarks/hub_load.py) without a hub: its section of docs/performance.md is
replaced on a rerun and the rest of the file is kept; percentiles and sizing follow the stated rules."""

from __future__ import annotations

import math

from benchmarks import hub_load


def row(n: int, **kw) -> dict:
    base = {"n": n, "median_s": 10.0, "p95_s": 12.0, "ready_median_s": 5.0, "kernel_mb": 140.0, "kernel_mb_max": 150.0,
            "server_mb": 150.0, "server_cpu_s": 4.0, "kernel_cpu_s": 2.0, "hub_mb": 120.0, "proxy_mb": 60.0, "cells": 20}
    return {**base, **kw}


def test_p95_is_nearest_rank():
    assert hub_load.p95([7.0]) == 7.0
    assert hub_load.p95([1.0, 2.0, 3.0, 4.0, 5.0]) == 5.0  # ceil(0.95 * 5) = 5th
    assert hub_load.p95([float(i) for i in range(1, 21)]) == 19.0  # ceil(0.95 * 20) = 19th of 1..20


def test_section_replaces_itself_and_keeps_the_rest(tmp_path):
    path = tmp_path / "performance.md"
    path.write_text("# Performance\n\n| a table |\n\n## Where a target is missed\n\n- a reason\n")
    hub_load.write_section(hub_load.section([row(1), row(20, median_s=40.0)]), path)
    first = path.read_text()
    assert first.startswith("# Performance\n\n| a table |") and "- a reason" in first
    assert "| 20 | 40.0 s |" in first and "median 4.00x" in first  # 40 s / 10 s
    hub_load.write_section(hub_load.section([row(1), row(20, median_s=30.0)]), path)
    second = path.read_text()
    assert second.count(hub_load.START) == 1 and second.count(hub_load.END) == 1
    assert "| 20 | 30.0 s |" in second and "| 20 | 40.0 s |" not in second and "- a reason" in second


def test_sizing_follows_the_stated_assumptions():
    big = row(20)
    lines = hub_load.sizing([row(1), big])
    cells = {int(line.split("|")[1]): line.split("|") for line in lines[2:]}
    # 30 learners: (120 + 60) MB + 30 x (140 + 150) MB x 1.5 = 13230 MB -> 13 GB (rounded up: 12.92 GiB)
    assert cells[30][2].strip() == f"{math.ceil((180 + 30 * 290 * 1.5) / 1024)} GB" == "13 GB"
    # cores: 30 x (4 + 2) CPU s / 120 s = 1.5 -> at least 2; 300 x 6 / 120 = 15
    assert cells[30][3].strip() == "2" and cells[300][3].strip() == "15"
    assert "Kubernetes" in cells[300][4] and "Kubernetes" in cells[100][4]


def test_kernel_memory_after_each_module_is_reported_and_sizing_takes_the_largest():
    by = {"01-a.ipynb": 140.0, "02-b.ipynb": 180.0, "03-c.ipynb": 150.0}
    rows = [row(1, kernel_mb_by_module=by, kernel_mb=max(by.values()), modules=3),
            row(20, kernel_mb_by_module={**by, "02-b.ipynb": 200.0}, kernel_mb=200.0, modules=3)]
    text = hub_load.section(rows)
    assert "| learners at once | 01-a | 02-b | 03-c |" in text
    assert "| 20 | 140 MB | 200 MB | 150 MB |" in text
    cells = {int(line.split("|")[1]): line.split("|") for line in hub_load.sizing(rows)[2:]}
    # 30 learners: (120 + 60) MB + 30 x (200 + 150) MB x 1.5 = 15930 MB -> 16 GB: the largest module's kernel, not module 1's
    assert cells[30][2].strip() == f"{math.ceil((180 + 30 * 350 * 1.5) / 1024)} GB" == "16 GB"
