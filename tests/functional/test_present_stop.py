"""`coursekit present` stopped as a process manager stops it (SIGTERM) cleans up as Ctrl-C does: Voila is stopped, nothing
serves on the port any more, and the temporary folder (the course's copy, the presenter's answers) is gone (issue 28)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ..helpers import ROOT

pytestmark = pytest.mark.skipif(not (Path(sys.executable).parent / "voila").exists() and not shutil.which("voila"),
                                reason="needs voila (pip install -e '.[present]')")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def answers(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def children(pid: int) -> list[int]:
    """Every process below ``pid`` (from /proc)."""
    kids = []
    for p in Path("/proc").iterdir():
        if p.name.isdigit():
            try:
                stat = (p / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                kids += [int(p.name), *children(int(p.name))]
    return kids


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.parametrize("sig, code", [(signal.SIGTERM, 128 + signal.SIGTERM), (signal.SIGINT, 130)])
def test_present_stopped_by_a_signal_stops_voila_and_removes_its_temporary_folder(tmp_path, sig, code):
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "coursekit", "present", "intelligent-sales-foundation", "--port", str(port)],
                            cwd=ROOT, env={**os.environ, "TMPDIR": str(tmp_path)}, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    try:
        assert "presenting" in proc.stdout.readline()
        deadline = time.monotonic() + 120
        while not answers(port):
            assert proc.poll() is None and time.monotonic() < deadline, "voila did not start"
            time.sleep(0.3)
        server = children(proc.pid)
        assert server and list(tmp_path.glob("coursekit-present-*"))
        proc.send_signal(sig)
        assert proc.wait(60) == code
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert not answers(port)
    assert not [p for p in server if alive(p)]
    assert not list(tmp_path.glob("coursekit-present-*"))


def test_present_stopped_while_it_copies_the_course_leaves_no_folder_and_no_server(tmp_path):
    """A process manager that stops `coursekit present` right after starting it: SIGTERM while the course is copied
    killed the command outright (no handler yet), leaving its temporary folder behind. Now the folder goes, whenever
    the signal comes, and no server is left."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "coursekit", "present", "intelligent-sales-foundation", "--port", str(port)],
                            cwd=ROOT, env={**os.environ, "TMPDIR": str(tmp_path)}, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    try:
        deadline = time.monotonic() + 120
        while not list(tmp_path.glob("coursekit-present-*")):  # the folder is made: the copy has begun
            assert proc.poll() is None and time.monotonic() < deadline
            time.sleep(0.001)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(60) == 128 + signal.SIGTERM
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert not list(tmp_path.glob("coursekit-present-*"))
    assert not children(proc.pid) and not answers(port)
