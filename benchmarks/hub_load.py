"""What a learner costs on a JupyterHub: 1, 5 and 20 learners at once on this machine.

    python benchmarks/hub_load.py                  # writes its section of docs/performance.md
    python benchmarks/hub_load.py --rounds 1,2 --modules 01,02 --no-write

Each round starts a fresh hub (benchmarks/kit/hubkit.py: the same hub the hub tests use) and N learners at
the same moment. Each learner, in its own thread, does what a learner's browser makes the hub do:
its server is started through the hub's REST API, the course is pulled through nbgitpuller's own API
(the endpoint the link's page calls), a kernel is started for module 1 through the learner server's
sessions API, and every code cell of the pulled notebook is executed over the kernel's websocket
(through the proxy, as the browser does), in order, each waiting for its reply; then the same for module 2, 3, ...
in a new kernel each, the previous module's kernel shut down after its figures are taken (as a learner closing a
module's tab with "Shut Down Kernel", or the hub's idle-kernel culler, does).

Why the server's REST and websocket API rather than N browsers: a headless Chromium per learner would
cost more than the learner it measures on a 2-core machine, and what the hub pays for a learner is the
server and the kernel, which this drives exactly as JupyterLab does. Why not ``nbconvert --execute``
inside each server: that starts a second kernel outside the learner's server, which is not what a hub
runs. Widgets are built in the kernel as in a notebook; their views are not rendered (no browser).

Figures: kernel memory per learner after each module (RSS of that module's kernel after its last cell), the learner's
server (RSS), the hub and the proxy (RSS, with N learners live), CPU seconds per learner, and time from
the round's start to the last cell's reply, median and p95; growth from 1 to 20 as ratios in this run.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from benchmarks.kit import hubkit  # noqa: E402

MODULES = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb") if not p.name.startswith("00-"))
START, END = "<!-- hub-load: written by benchmarks/hub_load.py -->", "<!-- /hub-load -->"
MB = 1024 * 1024
SIZES = (30, 100, 300)
# above the learner's server and the largest module's kernel as measured: a second module's kernel left open (a
# session covers two modules), a learner's own company simulated, plots redrawn
HEADROOM = 1.5
WINDOW_S = 120  # the room logs in on the facilitator's cue and runs module 1: everyone's last cell within two minutes


def p95(xs: list[float]) -> float:
    """Nearest-rank 95th percentile (for 1 learner it is that learner)."""
    s = sorted(xs)
    return s[max(0, math.ceil(0.95 * len(s)) - 1)]


def pull(hub: hubkit.Hub, name: str, query: str) -> None:
    """nbgitpuller's event stream, as its page reads it; raises unless it ends 'finished'."""
    req = urllib.request.Request(f"{hub.url}/user/{name}/git-pull/api?{query}", headers={"Authorization": f"token {hub.token}"})
    phase = ""
    with urllib.request.urlopen(req, timeout=600) as r:
        for raw in r:
            line = raw.decode().strip()
            if line.startswith("data:"):
                event = json.loads(line[5:])
                phase = event.get("phase", phase)
                if phase == "error":
                    raise RuntimeError(f"{name}: nbgitpuller: {event.get('message')}")
    if phase != "finished":
        raise RuntimeError(f"{name}: nbgitpuller stream ended in phase {phase!r}")


def kernels_of(hub: hubkit.Hub, name: str) -> list:
    """The ipykernel processes of ``name``'s server (found by the learner's HOME among the hub's children)."""
    import psutil

    home = str(hub.home(name))
    for child in psutil.Process(hub.proc.pid).children(recursive=False):
        try:
            if "jupyterhub-singleuser" in " ".join(child.cmdline()) and child.environ().get("HOME") == home:
                return [k for k in child.children(recursive=True) if "ipykernel" in " ".join(k.cmdline())]
        except psutil.Error:
            continue
    return []


def learner(hub: hubkit.Hub, name: str, query: str, t0: float, go: threading.Event, modules: list[str]) -> dict[str, Any]:
    go.wait()
    hub.start_server(name)
    hub.wait_ready(name, seconds=900)
    ready = time.monotonic() - t0
    pull(hub, name, query)
    pulled = time.monotonic() - t0
    kernel_mb, kernel_cpu, cells_run, last_cell = {}, {}, {}, {}
    for module in modules:
        path = f"{hubkit.REPO_NAME}/notebooks/{module}"
        nb = hub.api("GET", f"/user/{name}/api/contents/{quote(path)}")["content"]  # the learner's own pulled copy
        cells = [c["source"] for c in nb["cells"] if c["cell_type"] == "code"]
        hubkit.execute(hub, name, path, cells)
        last_cell[module] = time.monotonic() - t0
        kernels = kernels_of(hub, name)
        if len(kernels) != 1:
            raise RuntimeError(f"{name}: expected one kernel process after {module}, found {len(kernels)}")
        kernel_mb[module] = kernels[0].memory_info().rss / MB
        kernel_cpu[module] = sum(kernels[0].cpu_times()[:2])
        cells_run[module] = len(cells)
        for sess in hub.api("GET", f"/user/{name}/api/sessions"):  # the module's tab closed with its kernel
            hub.api("DELETE", f"/user/{name}/api/sessions/{sess['id']}")
        _wait_no_kernel(hub, name)
    return {"name": name, "ready": ready, "pulled": pulled, "last_cell": last_cell[modules[0]], "all_done": time.monotonic() - t0,
            "cells": cells_run, "kernel_mb": kernel_mb, "kernel_cpu": kernel_cpu}


def _wait_no_kernel(hub: hubkit.Hub, name: str, seconds: float = 60) -> None:
    end = time.monotonic() + seconds
    while kernels_of(hub, name) and time.monotonic() < end:
        time.sleep(0.2)


def measure(hub: hubkit.Hub, names: list[str]) -> dict[str, Any]:
    """RSS and CPU of the hub, its proxy, and each learner's server, found by the learner's HOME."""
    import psutil

    hub_p = psutil.Process(hub.proc.pid)
    proxy, servers = [], {}
    homes = {str(hub.home(n)): n for n in names}
    for child in hub_p.children(recursive=False):
        try:
            cmd = " ".join(child.cmdline())
            if "configurable-http-proxy" in cmd:
                proxy.append(child)
            elif "jupyterhub-singleuser" in cmd:
                servers[homes[child.environ()["HOME"]]] = child
        except (psutil.Error, KeyError):
            continue
    missing = sorted(set(names) - set(servers))
    if missing:
        raise RuntimeError(f"expected one server process for each of {missing}")
    per = {n: {"server_mb": srv.memory_info().rss / MB, "server_cpu_s": sum(srv.cpu_times()[:2])} for n, srv in servers.items()}
    return {"hub_mb": hub_p.memory_info().rss / MB, "proxy_mb": sum(p.memory_info().rss for p in proxy) / MB, "per": per}


def one_round(n: int, repo_url: str, work: Path, modules: list[str]) -> dict[str, Any]:
    with hubkit.running_hub(work / f"hub-{n}") as hub:
        names = [f"l{n:02d}-{i:02d}" for i in range(n)]
        hub.create_learners(names)
        for name in names:
            hubkit.seed_learner_settings(hub.home(name))
        query = hubkit.course_link(hub.url, repo_url).split("?", 1)[1]
        go = threading.Event()
        with ThreadPoolExecutor(max_workers=n) as pool:
            t0 = time.monotonic()
            futures = [pool.submit(learner, hub, name, query, t0, go, modules) for name in names]
            go.set()  # everyone at once
            results = [f.result() for f in futures]
        figures = measure(hub, names)
    last = [r["last_cell"] for r in results]
    per = figures["per"].values()
    by_module = {m: statistics.median(r["kernel_mb"][m] for r in results) for m in modules}
    row = {"n": n, "median_s": statistics.median(last), "p95_s": p95(last),
           "ready_median_s": statistics.median(r["ready"] for r in results),
           "kernel_mb_by_module": by_module, "kernel_mb": max(by_module.values()),
           "kernel_mb_max": max(max(r["kernel_mb"].values()) for r in results),
           "server_mb": statistics.median(p["server_mb"] for p in per),
           "server_cpu_s": statistics.median(p["server_cpu_s"] for p in per),
           "kernel_cpu_s": statistics.median(r["kernel_cpu"][modules[0]] for r in results),  # module 1's: the room's first run
           "hub_mb": figures["hub_mb"], "proxy_mb": figures["proxy_mb"], "cells": results[0]["cells"][modules[0]],
           "modules": len(modules), "all_median_s": statistics.median(r["all_done"] for r in results)}
    print(f"{n:>3} learners: module 1's last cell median {row['median_s']:.1f} s, p95 {row['p95_s']:.1f} s; kernel after each module "
          + ", ".join(f"{m[:2]} {v:.0f} MB" for m, v in by_module.items())
          + f"; server {row['server_mb']:.0f} MB, CPU s each: server {row['server_cpu_s']:.1f}, module 1's kernel {row['kernel_cpu_s']:.1f}; "
          f"hub {row['hub_mb']:.0f} MB, proxy {row['proxy_mb']:.0f} MB", flush=True)
    return row


def sizing(rows: list[dict[str, Any]]) -> list[str]:
    """Cores and memory for a room, from the largest round's figures (assumptions printed with the table)."""
    big = rows[-1]
    per_learner_mb = (big["kernel_mb"] + big["server_mb"]) * HEADROOM
    fixed_mb = big["hub_mb"] + big["proxy_mb"]
    lines = ["| learners | memory | cores | deployment |", "|---|---|---|---|"]
    for n in SIZES:
        mem_gb = math.ceil((fixed_mb + n * per_learner_mb) / 1024)
        cores = max(2, math.ceil(n * (big["server_cpu_s"] + big["kernel_cpu_s"]) / WINDOW_S))
        where = ("one machine: this hub with a real authenticator (The Littlest JupyterHub)" if n <= 30 else
                 "Zero to JupyterHub on Kubernetes, the course's image, the nbgitpuller link")
        lines.append(f"| {n} | {mem_gb} GB | {cores} | {where} |")
    return lines


def section(rows: list[dict[str, Any]]) -> str:
    first, last = rows[0], rows[-1]
    modules = list(first.get("kernel_mb_by_module", {}))
    out = [START, "## A room on JupyterHub: what a learner costs", "",
           f"Measured by `benchmarks/hub_load.py` on {platform.machine()}, {os.cpu_count()} cores shared with other work, "
           f"Python {platform.python_version()}, on {time.strftime('%Y-%m-%d', time.gmtime())}. Each round is a fresh "
           "JupyterHub (shared-password authenticator, local-process spawner, configurable-http-proxy) with N learners "
           f"started at the same moment; each pulls the course through its nbgitpuller link, runs module 1's "
           f"{first['cells']} code cells in a kernel of its own server, through the proxy, as JupyterLab does, then "
           f"each following module's in a new kernel ({first.get('modules', 1)} modules), closing the previous one. "
           "Memory is resident (RSS) after a module's last cell; CPU is the learner's server and module 1's kernel.", "",
           "| learners at once | module 1's last cell, median | p95 | server ready, median | kernel RSS per learner, largest module (max) "
           "| server RSS per learner | CPU s per learner: server start, module 1's kernel | hub RSS | proxy RSS |",
           "|---|---|---|---|---|---|---|---|---|"]
    out += [f"| {r['n']} | {r['median_s']:.1f} s | {r['p95_s']:.1f} s | {r['ready_median_s']:.1f} s | {r['kernel_mb']:.0f} MB "
            f"({r['kernel_mb_max']:.0f}) | {r['server_mb']:.0f} MB | {r['server_cpu_s']:.1f}, {r['kernel_cpu_s']:.1f} | {r['hub_mb']:.0f} MB | {r['proxy_mb']:.0f} MB |"
            for r in rows]
    if modules:
        out += ["", "Kernel RSS per learner after each module (median over the round's learners):", "",
                "| learners at once | " + " | ".join(m.removesuffix(".ipynb") for m in modules) + " |", "|---|" + "---|" * len(modules)]
        out += [f"| {r['n']} | " + " | ".join(f"{r['kernel_mb_by_module'][m]:.0f} MB" for m in modules) + " |" for r in rows]
    if len(rows) > 1:
        ratio = lambda k: last[k] / first[k]  # noqa: E731
        out += ["", f"From {first['n']} to {last['n']} learners ({last['n'] / first['n']:.0f}x the room), in this run:", "",
                f"- time to module 1's last cell: median {ratio('median_s'):.2f}x, p95 {ratio('p95_s'):.2f}x",
                f"- kernel memory per learner {ratio('kernel_mb'):.2f}x, server memory per learner {ratio('server_mb'):.2f}x, "
                f"CPU per learner: server {ratio('server_cpu_s'):.2f}x, kernel {ratio('kernel_cpu_s'):.2f}x",
                f"- hub memory {ratio('hub_mb'):.2f}x, proxy memory {ratio('proxy_mb'):.2f}x"]
    out += ["", "Sizing from these figures (the README's facilitator section carries the same table):", "", *sizing(rows), "",
            f"Assumptions: memory = hub and proxy as measured with {last['n']} learners, plus {HEADROOM}x each learner's "
            "server and the largest module's kernel (headroom for a second module's kernel left open, a learner's own "
            "company and redrawn plots; more kernels left open need more: cull idle kernels); cores = the "
            f"whole room logging in, pulling and running module 1 within the same {WINDOW_S} s (server start and kernel "
            f"CPU seconds per learner x learners / {WINDOW_S} s), at least 2. A room that reads between runs needs less CPU; "
            "memory is held for as long as servers run (cull idle servers).", END]
    return "\n".join(out)


def write_section(text: str, path: Path) -> None:
    """Replace this script's section of docs/performance.md, or add it at the end; the rest is kept."""
    body = path.read_text(encoding="utf-8") if path.exists() else "# Performance\n"
    if START in body and END in body:
        body = body[:body.index(START)].rstrip("\n") + "\n\n" + text + body[body.index(END) + len(END):]
    else:
        body = body.rstrip("\n") + "\n\n" + text + "\n"
    path.write_text(body if body.endswith("\n") else body + "\n", encoding="utf-8")


def run(rounds: tuple[int, ...] = (1, 5, 20), modules: list[str] | None = None) -> str:
    why = hubkit.missing()
    if why:
        raise SystemExit(f"hub load run needs: {why}")
    with tempfile.TemporaryDirectory(prefix="coursekit-hub-load-") as d:
        work = Path(d)
        (work / "repos").mkdir()
        hubkit.bare_repo(work / "repos")
        with hubkit.git_server(work / "repos") as git:
            rows = [one_round(n, f"{git}/{hubkit.REPO_NAME}", work, modules or MODULES) for n in rounds]
    return section(rows)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", default="1,5,20")
    ap.add_argument("--report", default=str(ROOT / "docs" / "performance.md"))
    ap.add_argument("--modules", default="", help="only these modules, e.g. 01,02 (default: all, in order)")
    ap.add_argument("--no-write", action="store_true")
    a = ap.parse_args()
    wanted = tuple(m for m in a.modules.split(",") if m)
    text = run(tuple(int(x) for x in a.rounds.split(",")), [m for m in MODULES if m.startswith(wanted)] if wanted else None)
    print(text)
    if not a.no_write:
        write_section(text, Path(a.report))
        print(f"wrote its section of {a.report}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
