"""Present mode: the course as an app (Voila), on loopback, under a throwaway identity."""

from __future__ import annotations

import contextlib
import json
import re
import signal
import subprocess
from collections.abc import Iterator, Mapping, Sequence
from importlib.resources import files
from pathlib import Path

from coursekit.io import atomic_write

PRESENTER = "presenter"
PRESENT_TEMPLATE = "coursekit-present"  # Voila's lab template without its CDN stylesheets
PRESENT_TEMPLATES = Path(str(files("coursekit") / "data" / "jupyter"))  # put on JUPYTER_PATH for Voila to find it
LIVE = "The widgets are live: change a value and the results follow."
_RUN_ALL = re.compile(r"(^|[.!?](?:\*\*)?\s+)([^.!?\n]*Run All Cells[^.!?\n]*[.!?])", re.MULTILINE)
_SAVED = re.compile(r" ?[^.!?\n]*[Yy]our answers are saved[^.!?\n]*[.!?]")  # a presenter's are thrown away


def present_text(markdown: str) -> str:
    """A learner's instructions (run every cell; your answers are saved) turned into what an audience sees in an app."""
    return _SAVED.sub("", _RUN_ALL.sub(lambda m: m[1] + LIVE, markdown))


def present_environment(home: str | Path, base: Mapping[str, str]) -> dict[str, str]:
    """Environment for the presenting server and its kernels: the ``presenter`` learner, answers under
    ``home`` (never the presenter's own), and ``COURSEKIT_PRESENT=1`` for cells that want to know."""
    return {**base, "COURSEKIT_HOME": str(home), "COURSEKIT_LEARNER": PRESENTER, "COURSEKIT_PRESENT": "1"}


def present_copy(notebooks: str | Path, dest: str | Path) -> list[str]:
    """Copy the course's notebooks into ``dest`` for presenting (flat, so links between them work),
    with "Run All Cells" instructions replaced. Returns the notebook names."""
    names = []
    for src in sorted(Path(notebooks).glob("*.ipynb")):
        nb = json.loads(src.read_text(encoding="utf-8"))
        for cell in nb.get("cells", []):
            if cell.get("cell_type") == "markdown":
                text = "".join(cell["source"]) if isinstance(cell.get("source"), list) else cell.get("source", "")
                cell["source"] = present_text(text)
        atomic_write(Path(dest) / src.name, json.dumps(nb, indent=1, ensure_ascii=False) + "\n")
        names.append(src.name)
    return names


class Stopped(Exception):
    """The presenting command was asked to stop by a signal (SIGTERM from a process manager, SIGHUP)."""


def _stop(proc: subprocess.Popen, grace: float = 10) -> None:
    """Stop the server: SIGTERM, then SIGKILL if it has not gone after ``grace`` seconds."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(grace)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP)


@contextlib.contextmanager
def stopped_by_signals() -> Iterator[None]:
    """SIGTERM and SIGHUP raise ``Stopped`` inside the block, as Ctrl-C raises KeyboardInterrupt, so every ``finally``
    and ``with`` in it runs (the temporary folder is removed) whenever the signal comes: while the course is copied,
    while Voila starts, while it serves. Outside the block the handlers are as they were."""
    def stopped(signum, _frame):
        raise Stopped(signum)

    old = {sig: signal.signal(sig, stopped) for sig in STOP_SIGNALS}
    try:
        yield
    finally:
        for sig, handler in old.items():
            signal.signal(sig, handler)


def serve(cmd: Sequence[str], env: Mapping[str, str], cwd: str | Path) -> int:
    """Run the server until it ends or this process is stopped, by Ctrl-C (SIGINT), SIGTERM (what a process manager
    sends) or SIGHUP alike: the server is stopped first, so the caller's temporary folder can go. Returns the exit code
    (130 for Ctrl-C, 128 + the signal's number for the others, as a shell reports them). The signals are held while the
    server is started, so one that comes then is taken once there is a server to stop."""
    with stopped_by_signals():
        held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, *STOP_SIGNALS})
        try:
            proc = subprocess.Popen(list(cmd), env=dict(env), cwd=cwd)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)  # a signal held meanwhile is delivered here
        try:
            return proc.wait()
        except KeyboardInterrupt:
            return 130
        except Stopped as exc:
            return 128 + exc.args[0]
        finally:
            _stop(proc)
